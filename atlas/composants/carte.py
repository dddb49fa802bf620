"""A light map of territories drawn on an HTML canvas, without plotly, for the maps shown on screen.

Plotly's MapLibre map costs the browser about 3 times a page with one title before it draws a
single polygon, and MapLibre GL JS alone, on a machine without GPU (software WebGL), still about
2,2 s of browser CPU per map (``docs/performance.md``). This component draws with Canvas 2D
(``carte.js``, no library): each level's GeoJSON is a static file (:mod:`atlas.composants.couches`)
that the browser fetches once per database and keeps in its Cache Storage, projected once (Web Mercator) into one
Path2D per territory; each run sends only the colours, the hover texts and the legend. The
background is plain (raster tiles under the territories when a basemap is chosen), the view fits
the region's extent at the map's real width, the legend is HTML beside the map, and a click on a
territory (or Enter on the one under the centre, the map having the keyboard's focus) returns its
code to Python. The wheel scrolls the page; Ctrl + wheel, a pinch or two fingers move the map. A map below the fold starts drawing when the reader scrolls
near it; its legend shows at once. The code and style (``carte.js``, ``carte.css``) are static files too
(:func:`publier_le_code`): each map element carries only a loader of a few hundred bytes.

Images and slides keep the plotly figures (:mod:`atlas.maps`, drawn by kaleido on click).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from atlas import queries
from atlas.composants import couches
from atlas.contours_carte import CONTOUR_SELECTION, LIBELLE_SELECTION
from atlas.maps import (
    CONTOUR_ESTIMATION,
    HAUTEUR_PRESENTATION,
    LIBELLE_ESTIMATION,
    POLICE_PRESENTATION,
    en_presentation,
)

COULEUR_QPV, EPAISSEUR_QPV = "#1f1f1f", 1.6
#: Height of the map (px); in presentation mode :func:`hauteur_en_presentation`.
HAUTEUR = 600

_ICI = Path(__file__).parent
#: Folder of ``static/`` where the component's code is published, under names that change with it.
DOSSIER_CODE = "composants"
#: The component's code and style, published as static files (:func:`publier_le_code`).
SOURCES = (_ICI / "carte.js", _ICI / "carte.css")
#: Modification date of the published files (1 January 2000, UTC). Streamlit's static serving sends
#: no Cache-Control and answers a revalidation with the whole file; a browser keeps a file without
#: Cache-Control for a tenth of its age since this date (RFC 9111, heuristic freshness), so with
#: this date it keeps the code for years. Safe: a file's name changes with its content.
DATE_PUBLIEE = 946_684_800


def _nom_publie(source: Path) -> str:
    """The file's name in ``static/``: its name and the hash of its content (``carte-<hash>.js``)."""
    empreinte = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    return f"{source.stem}-{empreinte}{source.suffix}"


_NOMS_PUBLIES = {source: _nom_publie(source) for source in SOURCES}
_URL_CODE, _URL_STYLE = (f"app/static/{DOSSIER_CODE}/{_NOMS_PUBLIES[source]}" for source in SOURCES)

# What each map element carries: a loader of a few hundred bytes instead of the ~42 kB of
# carte.js and carte.css. The browser imports the code and links the style from Streamlit's static
# serving once per page (a module is evaluated once per document, the link stays in <head>) and
# keeps both in its HTTP cache under names that change with their content; the style is applied
# before the map measures its box.
CHARGEUR = f"""const CODE = new URL({json.dumps(_URL_CODE)}, document.baseURI).href;
const STYLE = new URL({json.dumps(_URL_STYLE)}, document.baseURI).href;
function style() {{
  const styles = (window.__atlasCarteStyles = window.__atlasCarteStyles || new Map());
  if (!styles.has(STYLE)) {{
    styles.set(STYLE, new Promise((ok, echec) => {{
      const lien = document.createElement("link");
      lien.rel = "stylesheet";
      lien.href = STYLE;
      lien.onload = ok;
      lien.onerror = () => {{
        styles.delete(STYLE);
        lien.remove();
        echec(new Error(`style de la carte introuvable : ${{STYLE}}`));
      }};
      document.head.append(lien);
    }}));
  }}
  return styles.get(STYLE);
}}
export default async function (composant) {{
  const [module] = await Promise.all([import(CODE), style()]);
  return module.default(composant);
}}
"""

_COMPOSANT = st.components.v2.component(
    "atlas_carte",
    html=(
        '<div class="atlas-carte" data-etat="chargement">'
        '<div class="atlas-carte-fond-boite"><div class="atlas-carte-fond"></div>'
        '<div class="atlas-carte-bulle" role="tooltip" hidden></div></div>'
        '<div class="atlas-carte-legende"></div></div>'
    ),
    js=CHARGEUR,
    # in the page's own DOM (no shadow root): the browser tests and benchmarks find each map and
    # its state (data-etat) with document.querySelectorAll; the style linked in <head> applies
    isolate_styles=False,
)


def publier_le_code(dossier: Path) -> None:
    """Write ``carte.js`` and ``carte.css`` into ``dossier``/composants under their published names.

    Each is written once (atomically) for as long as its content does not change, dated
    :data:`DATE_PUBLIEE`; the copies of an earlier code go after a day (another server process may
    still serve a page with them).
    """
    cible = dossier / DOSSIER_CODE
    for source, nom in _NOMS_PUBLIES.items():
        chemin = cible / nom
        if chemin.exists():
            continue
        couches.publier(chemin, source.read_bytes(), "code de la carte non écrit", date=DATE_PUBLIEE)
        # the age of a copy is that of its inode (ctime): its modification date is DATE_PUBLIEE
        couches.retirer_les_anciens(chemin, f"{source.stem}-*{source.suffix}", lambda etat: etat.st_ctime)


def libelle_qpv() -> str:
    """Legend entry of the QPV contours, with their geography (``sources.millesime``)."""
    return f"Quartiers prioritaires {queries.millesime_source('anct_qpv_contours')} (contours)"


def donnees_classes(
    data: pd.DataFrame,
    niveau: str,
    classes,
    *,
    emprise: tuple[float, float, float, float],
    survol: list[str],
    titre_legende: str,
    selection: str | None = None,
    avec_qpv: bool = False,
    hauteur: int = HAUTEUR,
    fond: str = "aucun",
) -> dict:
    """What the component draws for a map in classes: the same classes, colours and greys as
    :func:`atlas.maps.carte_classes`.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code``, ``nom``, ``statut`` (ok | estime | secret | absent)
        and the hover columns.
    niveau : str
        The level, whose layer is drawn.
    classes : atlas.classification.Classes
        Classification of ``data`` (``classes.classe`` aligned on ``data``'s index).
    emprise : (west, south, east, north)
        Extent the view fits.
    survol : list of str
        Columns holding the hover lines (formatted in French); the first is in bold.
    titre_legende : str
        Legend title.
    selection : str, optional
        Code of the territory outlined in blue and named in the legend.
    avec_qpv : bool
        Draw the 2024 quartiers prioritaires' contours.
    hauteur : int
        Height in pixels (in presentation mode: :func:`hauteur_en_presentation`).
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``: a plain background, or raster tiles (internet).

    Returns
    -------
    dict
        The component's data (JSON).
    """
    from atlas.classification import GRIS_ABSENT, GRIS_SECRET, LIBELLE_ABSENT, LIBELLE_SECRET

    statut = data["statut"]
    secret = (statut == "secret").to_numpy()
    absent = ((statut == "absent") | ((statut == "ok") & classes.classe.isna())).to_numpy()
    couleurs = [*classes.couleurs, GRIS_SECRET, GRIS_ABSENT]
    libelles = [*classes.libelles, LIBELLE_SECRET, LIBELLE_ABSENT]
    rang = {lib: i for i, lib in enumerate(classes.libelles)}
    indices = classes.classe.reindex(data.index).map(rang)
    indices = indices.where(~(secret | absent), -1).fillna(-1).astype(int).to_numpy().copy()
    indices[secret] = len(classes.couleurs)
    indices[absent] = len(classes.couleurs) + 1
    visible = indices >= 0
    estimes = (statut == "estime").to_numpy() & visible
    presents = set(indices[visible].tolist())
    legende = [
        {"libelle": lib, "couleur": col}
        for i, (lib, col) in enumerate(zip(libelles, couleurs, strict=True))
        if i in presents
    ]
    return assembler(
        data,
        niveau,
        indices,
        estimes,
        couleurs=couleurs,
        libelles=libelles,
        legende=legende,
        emprise=emprise,
        survol=survol,
        titre_legende=titre_legende,
        selection=selection,
        avec_qpv=avec_qpv,
        hauteur=hauteur,
        fond=fond,
    )


def _ranger_les_groupes(
    data: pd.DataFrame, groupes: list[tuple], grille: dict | None
) -> tuple[np.ndarray, np.ndarray, list[str], list[str], list[dict]]:
    """Each territory's colour index and estimate flag, the colours, their labels and the legend entries.

    A category split in two (published, estimated) keeps one fill; a category whose colour is a
    cell of the bivariate ``grille`` is named by the grid, not listed; ``-1`` marks a territory in
    no category (see :func:`donnees_categories` for ``groupes``).
    """
    from atlas.maps import CONTOUR_ESTIMATION as ESTIMATION

    indices = np.full(len(data), -1, dtype=int)
    estimes = np.zeros(len(data), dtype=bool)
    position = pd.Series(np.arange(len(data)), index=data.index)
    couleurs: list[str] = []
    libelles: list[str] = []
    legende: list[dict] = []
    dans_la_grille = set()
    if grille is not None:
        dans_la_grille = {c.lower() for ligne in grille["couleurs"] for c in ligne}
    for groupe in groupes:
        libelle, couleur, idx = groupe[:3]
        style = groupe[3] if len(groupe) > 3 else {}
        if style.get("legende_seule"):
            legende.append({"libelle": libelle, "couleur": couleur, "contour": True, "epaisseur": 2})
            continue
        if len(idx) == 0:
            continue
        # a category split in two (published, estimated) keeps one fill: the same label and colour
        cle = (libelle, couleur)
        if cle in zip(libelles, couleurs, strict=True):
            rang = list(zip(libelles, couleurs, strict=True)).index(cle)
        else:
            rang = len(couleurs)
            couleurs.append(couleur)
            libelles.append(libelle)
            if style.get("legende", True) and couleur.lower() not in dans_la_grille:
                legende.append({"libelle": libelle, "couleur": couleur})
        lignes = position.reindex(idx).dropna().astype(int).to_numpy()
        indices[lignes] = rang
        if style.get("trait") == ESTIMATION["trait"]:
            estimes[lignes] = True
    return indices, estimes, couleurs, libelles, legende


def donnees_categories(
    data: pd.DataFrame,
    niveau: str,
    groupes: list[tuple],
    *,
    emprise: tuple[float, float, float, float],
    survol: list[str],
    titre_legende: str = "",
    selection: str | None = None,
    avec_qpv: bool = False,
    hauteur: int = HAUTEUR,
    fond: str = "aucun",
    trait: str = "#ffffff",
    grille: dict | None = None,
    points: list[tuple[str, str, pd.DataFrame]] | None = None,
) -> dict:
    """What the component draws for a map in named categories: the groups of
    :func:`atlas.maps.carte_categories`, one flat colour each, listed in the legend in their order.

    Parameters
    ----------
    data : DataFrame
        One row per territory with ``code``, ``nom`` and the hover columns.
    niveau : str
        The level, whose layer is drawn.
    groupes : list of (label, colour, index) or (label, colour, index, style)
        The categories in legend order, each with the index of its rows in ``data``, exactly as
        :func:`atlas.maps.carte_categories` takes them: a style of
        :data:`atlas.maps.CONTOUR_ESTIMATION` outlines its territories in black (the atlas's
        estimates, :func:`atlas.maps.contours_estimations`), ``legende: False`` gives it no entry
        of its own, ``legende_seule`` makes a legend entry without territory (an outline swatch).
        A category without territory has no legend entry, as on the plotly map.
    emprise : (west, south, east, north)
        Extent the view fits.
    survol : list of str
        Columns holding the hover lines (formatted in French); the first is in bold.
    titre_legende : str
        Legend title.
    selection : str, optional
        Code of the territory outlined in blue and named in the legend.
    avec_qpv : bool
        Draw the quartiers prioritaires' contours.
    hauteur : int
        Height in pixels (in presentation mode: :func:`hauteur_en_presentation`).
    fond : str
        Key of ``commun.config.FONDS_DE_CARTE``.
    trait : str
        Colour of the territories' outlines (grey where a category is near white).
    grille : dict, optional
        A 3 × 3 legend of a bivariate map (:func:`atlas.composants.echelles.grille_bivariee`), drawn above the list; the
        categories whose colour is one of its nine cells are named by the grid, not listed again.
    points : list of (label, colour, DataFrame), optional
        Point layers drawn over the territories (service sites), each a frame with
        ``longitude``, ``latitude`` and ``nom`` (the hover), listed in the legend as a dot.

    Returns
    -------
    dict
        The component's data (JSON).
    """
    indices, estimes, couleurs, libelles, legende = _ranger_les_groupes(data, groupes, grille)
    visible = indices >= 0
    donnees = assembler(
        data,
        niveau,
        indices,
        estimes & visible,
        couleurs=couleurs,
        libelles=libelles,
        legende=legende,
        emprise=emprise,
        survol=survol,
        titre_legende=titre_legende,
        selection=selection,
        avec_qpv=avec_qpv,
        hauteur=hauteur,
        fond=fond,
        estimation_deja_legendee=any(e.get("contour") for e in legende),
    )
    donnees["trait"] = trait
    donnees["grille"] = grille
    if points:
        _ajouter_les_points(donnees, points)
    return donnees


def _ajouter_les_points(donnees: dict, points: list[tuple[str, str, pd.DataFrame]]) -> None:
    """Add the point layers to the component's data and a dot per layer to its legend."""
    donnees["points"] = couches.points_geojson(points)
    # the dots come after the last fill, before the outlines of the legend
    remplis = [i for i, e in enumerate(donnees["legende"]) if not e.get("contour")]
    position_points = remplis[-1] + 1 if remplis else 0
    donnees["legende"][position_points:position_points] = [
        {"libelle": libelle, "couleur": couleur, "point": True} for libelle, couleur, _ in points
    ]


def assembler(
    data: pd.DataFrame,
    niveau: str,
    indices: np.ndarray,
    estimes: np.ndarray,
    *,
    couleurs: list[str],
    libelles: list[str],
    legende: list[dict],
    emprise,
    survol: list[str],
    titre_legende: str,
    selection: str | None,
    avec_qpv: bool,
    hauteur: int,
    fond: str,
    estimation_deja_legendee: bool = False,
) -> dict:
    """The component's data common to every variant: layer, colours, outlines, hover, legend.

    Each variant (:func:`donnees_classes`, :func:`donnees_categories`,
    :func:`atlas.composants.echelles.donnees_continues`) computes one colour index per territory
    (-1: not drawn) and its legend, then calls this.
    """
    presentation = en_presentation()
    visible = indices >= 0
    legende = list(legende)
    if estimes.any() and not estimation_deja_legendee:
        legende.append(
            {"libelle": LIBELLE_ESTIMATION, "couleur": CONTOUR_ESTIMATION["trait"], "contour": True, "epaisseur": 2}
        )
    if avec_qpv:
        legende.append({"libelle": libelle_qpv(), "couleur": COULEUR_QPV, "contour": True, "epaisseur": 2})
    codes = data["code"].to_numpy()[visible].tolist()
    if selection in set(codes):
        nom = data.loc[data["code"] == selection, "nom"].iloc[0]
        legende.append(
            {
                "libelle": f"{LIBELLE_SELECTION} : {nom}",
                "couleur": CONTOUR_SELECTION["trait"],
                "contour": True,
                "epaisseur": 3,
            }
        )
    else:
        selection = None
    return {
        "fond": couches.TUILES.get(fond),
        "url": couches.url_couche(niveau),
        "url_qpv": couches.url_qpv() if avec_qpv else None,
        "emprise": [float(v) for v in emprise],
        "hauteur": hauteur_en_presentation(hauteur) if presentation else hauteur,
        # larger legend text for a projector, as the plotly maps' (atlas.maps.POLICE_PRESENTATION)
        "police_legende": POLICE_PRESENTATION if presentation else None,
        "titre": titre_legende,
        "legende": legende,
        "couleurs": couleurs,
        "libelles": libelles,
        # the outlines of the plotly maps (atlas.maps), drawn the same by the component
        "styles": {
            "estimation": CONTOUR_ESTIMATION["trait"],
            "selection": {"couleur": CONTOUR_SELECTION["trait"], "epaisseur": CONTOUR_SELECTION["epaisseur"]},
            "qpv": {"couleur": COULEUR_QPV, "epaisseur": EPAISSEUR_QPV},
        },
        "codes": codes,
        "classes": indices[visible].tolist(),
        "estimes": [int(e) for e in estimes[visible]],
        "survol": data.loc[visible, survol].astype(str).to_numpy().tolist(),
        "selection": selection,
    }


def hauteur_en_presentation(hauteur: int) -> str:
    """The map's CSS height on a projector: :data:`HAUTEUR_PRESENTATION` at 720 px high, more on a taller screen.

    Every page shows its title, key figure and whole map on a 1280 × 720 projector with a map
    of :data:`HAUTEUR_PRESENTATION` px; a taller window gives the map the extra height (what lies
    above the map does not grow with it), up to the page's own ``hauteur``. At 1400 × 900 the
    home map kept 330 px and filled a third of the width.

    Examples
    --------
    >>> hauteur_en_presentation(600)
    'min(600px, max(330px, 100vh - 390px))'
    """
    return f"min({hauteur}px, max({HAUTEUR_PRESENTATION}px, 100vh - {720 - HAUTEUR_PRESENTATION}px))"


def charge_utile(donnees: dict) -> bytes:
    """The component's data as it travels to the browser: UTF-8 JSON, each hover text once.

    The hover texts are most of a map's data (97 kB of Mobilité's 117 kB) and repeat (« Non classé »,
    « part non publiée (9 DPE, moins de 20) »): the rows name their texts by index into ``textes``.
    Sent as bytes, the accented letters travel as UTF-8 (2 bytes for « é »), not as the 6 of
    ``\\u00e9`` that Streamlit's ``json.dumps`` of a dict writes. ``carte.js`` reads it back.

    Parameters
    ----------
    donnees : dict
        The component's data (:func:`assembler`), hover rows in ``survol``.

    Returns
    -------
    bytes
        The JSON text, ``survol`` as rows of indices into ``textes``.
    """
    textes: dict[str, int] = {}
    survol = [[textes.setdefault(texte, len(textes)) for texte in ligne] for ligne in donnees["survol"]]
    envoi = {**donnees, "survol": survol, "textes": list(textes)}
    return json.dumps(envoi, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def lire_charge_utile(brut: bytes) -> dict:
    """The component's data from :func:`charge_utile`'s bytes, hover rows as texts again (as ``carte.js`` reads it)."""
    donnees = json.loads(brut.decode("utf-8"))
    textes = donnees.pop("textes")
    donnees["survol"] = [[textes[i] for i in ligne] for ligne in donnees["survol"]]
    return donnees


def afficher(donnees: dict, *, key: str) -> str | None:
    """Draw the map; returns the code of the territory just clicked (None on other runs)."""
    publier_le_code(couches.dossier_static())
    resultat = _COMPOSANT(key=key, data=charge_utile(donnees), on_clic_change=lambda: None, height="content")
    return getattr(resultat, "clic", None)


def selection_en_cours(key: str, codes, code_url: str | None) -> tuple[str | None, str | None]:
    """The territory to outline on the map ``key`` in this run, and the click that triggered it.

    The click read before the map is drawn comes first, then the territory chosen in the list
    (``st.session_state["territoire"]``), then the URL's; a code that is not on the map
    (another level) outlines nothing.

    Returns
    -------
    (str or None, str or None)
        The code just clicked (None when the run was not triggered by a click), and the code to
        outline.
    """
    clic = clic_en_attente(key)
    choisi = clic or st.session_state.get("territoire") or code_url
    return clic, (choisi if choisi in set(codes) else None)


def clic_en_attente(key: str) -> str | None:
    """The code clicked on the map ``key`` that triggered this run, read before the map is drawn."""
    valeur = st.session_state.get(key)
    if valeur is None:
        return None
    try:
        return valeur.get("clic") if hasattr(valeur, "get") else getattr(valeur, "clic", None)
    except Exception:  # a state of another shape (an old plotly selection): no click
        return None
