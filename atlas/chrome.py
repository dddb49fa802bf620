"""Streamlit's own controls (« chrome ») in French: the style and script every page gets first."""

from __future__ import annotations

import json

from atlas import graphiques_html

# Streamlit 1.67 writes some of its own controls in English and has no setting to translate them
# (``client.toolbarMode = "minimal"`` already removes the developer menu: Deploy, Print, Record,
# Settings, Rerun). What is left, seen by a visitor:
# - « Stop », next to the running icon at the top right while a page computes: with this
#   configuration Streamlit 1.67 draws neither (not even during the first-run build); should a
#   version draw them again, the button stays hidden;
# - « Skip to main content », the keyboard's first stop (shown when focused): a help for keyboard
#   and screen-reader users, kept and written in French, as are the buttons' tooltips and spoken
#   names of the tables and charts (« Download as CSV », « Fullscreen »...) and the page's
#   language (``lang``: a screen reader reads French with a French voice, and the browser does
#   not offer to translate the page from English).
#: Style of the chrome, in the sidebar's HTML block of every page (:func:`bloc_de_la_barre_laterale`),
#: and given alone before the first-run build (which shows the running icon).
CSS_CHROME = (
    "<style>/* chrome de Streamlit en français */\n"
    '[data-testid="stStatusWidget"] button {display: none !important;}\n'
    # Streamlit keeps 6 rem above the title for a header that is 3.75 rem high: on a 720 px screen
    # those 2 rem more are the first lines of a map
    '[data-testid="stMain"] [data-testid="stMainBlockContainer"] {padding-top: 4rem;}\n'
    # a key figure's label wraps on a narrow column instead of ending in « … » (« EPCI à fiscalité pr… »)
    # the key figures (atlas.ui.chiffre_cle), drawn as Streamlit's st.metric was; a label wraps on a
    # narrow column instead of ending in « … » (« EPCI à fiscalité pr… »)
    # (st.html indents lists: not this one)
    ".atlas-chiffre-cle {margin: 0; padding-left: 0 !important; color: #31333f;}\n"
    ".atlas-chiffre-cle dt {margin: 0 0 0.25rem 0; font-size: 0.875rem; font-weight: 400; line-height: 1.6;}\n"
    ".atlas-chiffre-cle dd {margin: 0; padding-bottom: 0.25rem; font-size: 2.25rem; line-height: normal;}\n"
    ".atlas-chiffre-cle dd.atlas-chiffre-ecart {display: inline-block; padding: 0.125rem 0.5rem; border-radius: 1rem; "
    "font-size: 0.875rem; color: #4b4d59; background: rgba(49, 51, 63, 0.08);}\n"
    ".atlas-aide {position: relative; display: inline-flex; align-items: center; justify-content: center; "
    "width: 1rem; height: 1rem; margin-left: 0.4rem; border: 1px solid currentColor; border-radius: 50%; "
    "font-size: 0.7rem; line-height: 1; vertical-align: 0.1rem; color: #5f6170; cursor: help;}\n"
    # the help is read with the label; on screen it shows on hover or keyboard focus
    ".atlas-bulle {position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); "
    "white-space: nowrap; color: #31333f;}\n"
    ".atlas-aide:hover .atlas-bulle, .atlas-aide:focus .atlas-bulle {top: 1.4rem; left: -0.5rem; z-index: 10; "
    "width: max-content; max-width: 18rem; height: auto; padding: 0.5rem 0.75rem; overflow: visible; clip-path: none; "
    "white-space: normal; border-radius: 0.5rem; background: #fff; color: #31333f; font-size: 0.875rem; line-height: 1.5; "
    "box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2);}\n"
    # the sidebar's link of the view (atlas.ui.copier_le_lien), drawn as Streamlit's code blocks are
    ".atlas-lien p {margin: 0 0 0.5rem 0;}\n"
    ".atlas-lien code {display: block; padding: 0.75rem 1rem; border-radius: 0.5rem; background: #f0f2f6; "
    "color: #31333f; font-family: monospace; font-size: 0.8rem; overflow-wrap: anywhere; white-space: pre-wrap;}\n"
    ".atlas-lien button {margin-top: 0.5rem; padding: 0.25rem 0.75rem; border: 1px solid rgba(49, 51, 63, 0.2); "
    "border-radius: 0.5rem; background: #fff; color: #31333f; font: inherit; cursor: pointer;}\n"
    ".atlas-lien button:hover, .atlas-lien button:focus-visible {border-color: #ff4b4b; color: #ff4b4b;}\n"
    # the empty slide basket (atlas.diaporama_ui.panneau_lateral), drawn as Streamlit's expander is
    ".atlas-panier {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; font-size: 0.875rem;}\n"
    ".atlas-panier summary {display: flex; align-items: center; gap: 0.5rem; padding: 0.5rem 0.75rem; "
    "cursor: pointer; list-style: none;}\n"
    ".atlas-panier summary::-webkit-details-marker {display: none;}\n"
    ".atlas-panier summary:hover, .atlas-panier summary:focus-visible {color: #ff4b4b;}\n"
    ".atlas-panier[open] summary {background: rgba(49, 51, 63, 0.05);}\n"
    '.atlas-icone {font-family: "Material Symbols Rounded"; font-size: 1.25rem; line-height: 1; font-weight: 400; '
    "font-style: normal; letter-spacing: normal; text-transform: none; white-space: nowrap;}\n"
    ".atlas-panier p {margin: 0; padding: 0.75rem 1rem 1rem 1rem; font-size: 0.875rem; color: rgba(49, 51, 63, 0.8);}\n"
    "</style>"
)
#: Streamlit's and plotly's English names of their buttons (tooltips and spoken names), in French.
TRADUCTIONS_CHROME = {
    "Skip to main content": "Aller au contenu principal",
    "Running...": "Calcul en cours",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Clear selection": "Effacer la sélection",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear entry": "Effacer",
    "Clear date": "Effacer la date",
    "Clear dates": "Effacer les dates",
    # not the name of the atlas's own « Télécharger l'image (PNG) » (with title, legend and source)
    "Download plot as a png": "Capture de la figure (PNG)",
    "Download plot as a PNG": "Capture de la figure (PNG)",
    "Pan": "Déplacer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
    "Reset view": "Vue initiale",
    "Reset axes": "Axes initiaux",
    "Autoscale": "Échelle automatique",
    "Zoom": "Zoomer",
    "Box Select": "Sélection rectangulaire",
    "Lasso Select": "Sélection au lasso",
    # the file uploader (Importer des visites, the editors' layers and declarations)
    "Upload": "Choisir un fichier",
    "file upload": "Choisir un fichier",
    "Add files": "Ajouter un fichier",
    "add icon": "Ajouter",
}
#: Script of the chrome: French page language, French names and tooltips of Streamlit's and
#: plotly's buttons (:data:`TRADUCTIONS_CHROME`), drawn again by the frontend at every run, and the
#: copy button of the view's link (:func:`atlas.ui.copier_le_lien`).
SCRIPT_CHROME = (
    """
<script>
(() => {
  if (window.__atlasChrome) return;
  window.__atlasChrome = true;
  const fr = """
    + json.dumps(TRADUCTIONS_CHROME, ensure_ascii=False)
    + """;
  // texts: the skip link, the tooltips of the tables' and charts' buttons, the file uploader's
  const FICHIER = '[data-testid="stFileUploader"]';
  const TEXTES = `[data-testid="stSkipToContent"], [data-baseweb="tooltip"] *, [role="tooltip"] *, ${FICHIER} *`;
  // the uploader's sizes and names: « 20MB per file • CSV, XLSX », « 1.0KB », « Remove visites.csv »
  const UNITES = {B: "o", KB: "Ko", MB: "Mo", GB: "Go"};
  const enFrancais = (t) => t
    .replace(/(\\d+(?:\\.\\d+)?)\\s?(GB|MB|KB|B)\\b/g, (_, n, u) => n.replace(".", ",") + "\u00a0" + UNITES[u])
    .replace(" per file", " par fichier").replace(/^Remove /, "Retirer ");
  const traduction = (e, t) => fr[t] || (e.closest(FICHIER) && t ? enFrancais(t) : null);
  const traduireTexte = (e) => {
    const t = e.childElementCount === 0 && traduction(e, e.textContent);
    if (t && t !== e.textContent) e.textContent = t;
  };
  // ``racine`` and what it holds; a selector is matched in the whole document (a text put in a
  // tooltip already shown is found)
  const franciser = (racine) => {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    for (const attr of ["aria-label", "title", "data-title"]) {
      const traduire = (e) => {
        const t = traduction(e, e.getAttribute(attr));
        if (t && t !== e.getAttribute(attr)) e.setAttribute(attr, t);
      };
      if (racine !== document && racine.hasAttribute(attr)) traduire(racine);
      racine.querySelectorAll(`[${attr}]`).forEach(traduire);
    }
    if (racine !== document && racine.matches(TEXTES)) traduireTexte(racine);
    racine.querySelectorAll(TEXTES).forEach(traduireTexte);
  };
  franciser(document);
  // the « Copier le lien » button of atlas.ui.copier_le_lien: the clipboard where the browser
  // allows it (https, localhost), else the link selected for Ctrl+C
  document.addEventListener("click", (ev) => {
    const bouton = ev.target.closest && ev.target.closest(".atlas-copier");
    if (!bouton) return;
    const code = bouton.parentElement.querySelector("code");
    const dire = (texte) => {
      bouton.textContent = texte;
      setTimeout(() => { bouton.textContent = "Copier le lien"; }, 2500);
    };
    const selectionner = () => {
      const plage = document.createRange();
      plage.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(plage);
      dire(document.execCommand("copy") ? "Lien copié" : "Lien sélectionné : Ctrl+C pour le copier");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.textContent).then(() => dire("Lien copié"), selectionner);
    } else {
      selectionner();
    }
  });
  // only what each change added: a page's first draw is hundreds of changes, and going through
  // the whole page at each of them cost 10 to 40 ms of script on the Explorer or the Fiche
  new MutationObserver((changements) => {
    for (const changement of changements) {
      for (const ajout of changement.addedNodes) {
        if (ajout.nodeType === Node.ELEMENT_NODE) franciser(ajout);
        else if (ajout.parentElement && ajout.parentElement.matches(TEXTES)) traduireTexte(ajout.parentElement);
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
})();
</script>
"""
)


def bloc_de_la_barre_laterale(visible: str = "") -> str:
    """The one HTML block the frame writes in the sidebar of every page.

    The chrome's style and script, the style of the HTML charts and tables
    (:data:`atlas.graphiques_html.STYLE`, once per page rather than with each of them), and
    ``visible`` (the empty slide basket): every element is one more message and one more drawing
    of the page in the browser, so the frame's parts without a control share one block.

    Parameters
    ----------
    visible : str
        HTML shown in the sidebar, at the block's place.

    Returns
    -------
    str
        For ``st.sidebar.html(..., unsafe_allow_javascript=True)``.
    """
    return CSS_CHROME + graphiques_html.STYLE + visible + SCRIPT_CHROME
