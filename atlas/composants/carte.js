// Map of territories: MapLibre GL JS alone (no plotly), plain background, colours computed in Python.
// MapLibre and each GeoJSON layer are static files, fetched once per page and kept in the browser's
// cache (the worker fetches the layer itself: no parsing nor copy on the page's thread); each run
// sends only colours, hover texts and the legend.

const chargerScript = (racine) => {
  if (window.__atlasMaplibre) return window.__atlasMaplibre;
  window.__atlasMaplibre = new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = racine + "maplibre-gl.css";
    document.head.appendChild(css);
    const script = document.createElement("script");
    script.src = racine + "maplibre-gl.js";
    script.onload = () => {
      // the one worker every map of the page shares starts now, while the first map is being set up
      window.maplibregl.prewarm();
      resolve(window.maplibregl);
    };
    script.onerror = () => reject(new Error("MapLibre introuvable : " + script.src));
    document.head.appendChild(script);
  });
  return window.__atlasMaplibre;
};

const VIDE = { type: "FeatureCollection", features: [] };

const contient = (b, e) =>
  b.getWest() <= e[0] + 1e-6 && b.getSouth() <= e[1] + 1e-6 && b.getEast() >= e[2] - 1e-6 && b.getNorth() >= e[3] - 1e-6;

const element = (balise, classe, texte) => {
  const el = document.createElement(balise);
  if (classe) el.className = classe;
  if (texte !== undefined) el.textContent = texte;
  return el;
};

// the 3 × 3 legend of a bivariate map: y classes on the left (highest on top), x classes under it
function grille(el, g) {
  const bloc = element("div", "atlas-carte-grille");
  bloc.appendChild(element("div", "atlas-carte-grille-titre", g.titre));
  const corps = element("div", "atlas-carte-grille-corps");
  corps.appendChild(element("div", "atlas-carte-grille-axe-y", g.titre_y));
  const table = element("div", "atlas-carte-grille-table");
  g.lignes.forEach((ligne, r) => {
    table.appendChild(element("div", "atlas-carte-grille-borne", g.libelles_y[2 - r]));
    for (const cellule of ligne) {
      const c = element("div", "atlas-carte-grille-case", cellule.texte);
      c.style.background = cellule.couleur;
      c.style.color = cellule.encre;
      c.title = cellule.titre;
      c.setAttribute("aria-label", cellule.titre);
      table.appendChild(c);
    }
  });
  table.appendChild(element("div"));
  for (const borne of g.libelles_x) table.appendChild(element("div", "atlas-carte-grille-borne-x", borne));
  corps.appendChild(table);
  bloc.appendChild(corps);
  bloc.appendChild(element("div", "atlas-carte-grille-axe-x", g.titre_x));
  el.appendChild(bloc);
}

// Least room between two graduations of a gradient, in pixels: closer, « 500 » and « 1 000 » read
// as one number.
const ECART_GRADUATIONS = 6;

// Graduations that would touch one another are left out, the roundest kept first (1, 10, 100…,
// then 5, 50…, then 2, 20…: ``rang``): measured in the browser, since the legend's font and width
// differ between modes and screens.
function espacerGraduations(grad) {
  const marques = [...grad.children];
  for (const t of marques) t.hidden = false;
  const placees = [];
  for (const t of marques.sort((a, b) => Number(a.dataset.rang) - Number(b.dataset.rang))) {
    const r = t.getBoundingClientRect();
    if (!r.width) continue; // not laid out yet (hidden legend): measured again when it shows
    const libre = placees.every((p) => r.left >= p.right + ECART_GRADUATIONS || r.right <= p.left - ECART_GRADUATIONS);
    if (libre) placees.push(r);
    else t.hidden = true;
  }
}

// a continuous scale: the gradient, its lowest and highest values, the graduations of a log scale
function degrade(el, d) {
  const bloc = element("div", "atlas-carte-degrade");
  const barre = element("div", "atlas-carte-degrade-barre");
  barre.style.background = `linear-gradient(to right, ${d.couleurs.join(", ")})`;
  bloc.appendChild(barre);
  if (d.graduations && d.graduations.length) {
    const grad = element("div", "atlas-carte-degrade-graduations");
    for (const g of d.graduations) {
      const t = element("span", "atlas-carte-degrade-graduation", g.texte);
      t.style.left = `${(100 * g.position).toFixed(2)}%`;
      t.dataset.rang = String(g.rang || 0);
      // a label near an end stays inside the legend: aligned on its mark's side
      if (g.position > 0.85) t.classList.add("atlas-carte-degrade-graduation-fin");
      else if (g.position < 0.15) t.classList.add("atlas-carte-degrade-graduation-debut");
      grad.appendChild(t);
    }
    bloc.appendChild(grad);
    // measured once laid out, and again whenever the legend's width or font changes
    new ResizeObserver(() => espacerGraduations(grad)).observe(grad);
  }
  const bornes = element("div", "atlas-carte-degrade-bornes");
  bornes.append(element("span", "", d.min), element("span", "", d.max));
  bloc.appendChild(bornes);
  el.appendChild(bloc);
}

function legende(el, donnees) {
  el.replaceChildren();
  if (donnees.titre) el.appendChild(element("div", "atlas-carte-legende-titre", donnees.titre));
  if (donnees.degrade) degrade(el, donnees.degrade);
  if (donnees.grille) grille(el, donnees.grille);
  for (const entree of donnees.legende) {
    const ligne = element("div", "atlas-carte-legende-ligne");
    const pastille = element("span", "atlas-carte-pastille");
    if (entree.contour) {
      pastille.style.border = `${entree.epaisseur || 2}px solid ${entree.couleur}`;
      pastille.style.background = "transparent";
    } else if (entree.point) {
      pastille.classList.add("atlas-carte-pastille-point");
      pastille.style.background = entree.couleur;
    } else {
      pastille.style.background = entree.couleur;
    }
    ligne.append(pastille, element("span", "", entree.libelle));
    el.appendChild(ligne);
  }
}

function appliquer(etat, donnees) {
  const carte = etat.carte;
  const source = carte.getSource("territoires");
  if (etat.url !== donnees.url) {
    etat.url = donnees.url;
    source.setData(new URL(donnees.url, document.baseURI).href);
  }
  const qpv = carte.getSource("qpv");
  const urlQpv = donnees.url_qpv || null;
  if (etat.urlQpv !== urlQpv) {
    etat.urlQpv = urlQpv;
    qpv.setData(urlQpv ? new URL(urlQpv, document.baseURI).href : VIDE);
  }
  carte.getSource("points").setData(donnees.points || VIDE);
  carte.setPaintProperty("limites", "line-color", [
    "case",
    ["==", ["feature-state", "e"], 1],
    donnees.styles.estimation,
    donnees.trait || "#ffffff",
  ]);
  // colours and outlines as feature states: a new indicator or classification re-tiles nothing
  {
    carte.removeFeatureState({ source: "territoires" });
    const { codes, classes, couleurs, estimes } = donnees;
    for (let i = 0; i < codes.length; i++) {
      carte.setFeatureState(
        { source: "territoires", id: codes[i] },
        { c: couleurs[classes[i]], e: estimes[i] ? 1 : 0 },
      );
    }
    etat.survol = new Map(codes.map((c, i) => [c, donnees.survol[i]]));
    choisir(etat, donnees.selection || null);
  }
}

// a tiled basemap (internet) under the territories, or the plain background alone
function fond(etat, tuiles) {
  const cle = JSON.stringify(tuiles || null);
  if (etat.fond === cle) return;
  etat.fond = cle;
  const carte = etat.carte;
  if (carte.getLayer("tuiles")) carte.removeLayer("tuiles");
  if (carte.getSource("tuiles")) carte.removeSource("tuiles");
  if (!tuiles) return;
  carte.addSource("tuiles", { type: "raster", tiles: tuiles.tuiles, tileSize: 256, attribution: tuiles.attribution });
  carte.addLayer({ id: "tuiles", type: "raster", source: "tuiles" }, "aplats");
}

function choisir(etat, code) {
  etat.selection = code;
  etat.carte.setFilter("selection", ["==", ["get", "code"], code || ""]);
}

function ajuster(etat, forcer) {
  const e = etat.emprise;
  if (!e || (etat.lecteur && !forcer)) return;
  etat.carte.resize();
  if (!forcer && contient(etat.carte.getBounds(), e)) return;
  etat.carte.fitBounds([[e[0], e[1]], [e[2], e[3]]], { padding: 6, animate: false });
}

function creer(parent, maplibregl, donnees, setTriggerValue) {
  const boite = parent.querySelector(".atlas-carte-fond");
  const bulle = parent.querySelector(".atlas-carte-bulle");
  const e = donnees.emprise;
  const styles = donnees.styles;
  const carte = new maplibregl.Map({
    container: boite,
    style: {
      version: 8,
      sources: {
        // a small tile buffer and a 1 px simplification: the layer is already simplified for display,
        // and the worker cuts and triangulates less (the largest part of the first drawing)
        territoires: { type: "geojson", data: VIDE, promoteId: "code", buffer: 16, tolerance: 1 },
        qpv: { type: "geojson", data: VIDE },
        points: { type: "geojson", data: VIDE },
      },
      layers: [
        { id: "fond", type: "background", paint: { "background-color": "#ffffff" } },
        {
          id: "aplats",
          type: "fill",
          source: "territoires",
          paint: { "fill-color": ["coalesce", ["feature-state", "c"], "rgba(0,0,0,0)"], "fill-opacity": 0.9, "fill-antialias": false },
        },
        {
          id: "limites",
          type: "line",
          source: "territoires",
          paint: {
            "line-color": ["case", ["==", ["feature-state", "e"], 1], styles.estimation, "#ffffff"],
            "line-width": 0.7,
            "line-opacity": ["case", ["to-boolean", ["feature-state", "c"]], 1, 0],
          },
        },
        { id: "qpv", type: "line", source: "qpv", paint: { "line-color": styles.qpv.couleur, "line-width": styles.qpv.epaisseur } },
        {
          id: "points",
          type: "circle",
          source: "points",
          paint: { "circle-radius": 3.5, "circle-color": ["get", "couleur"], "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 },
        },
        {
          id: "selection",
          type: "line",
          source: "territoires",
          filter: ["==", ["get", "code"], ""],
          paint: { "line-color": styles.selection.couleur, "line-width": styles.selection.epaisseur },
        },
      ],
    },
    bounds: [[e[0], e[1]], [e[2], e[3]]],
    fitBoundsOptions: { padding: 6 },
    attributionControl: donnees.fond ? { compact: true } : false,
    fadeDuration: 0,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    locale: {
      "NavigationControl.ZoomIn": "Zoom avant",
      "NavigationControl.ZoomOut": "Zoom arrière",
      "NavigationControl.ResetBearing": "Réorienter vers le nord",
    },
  });
  carte.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  // the style's own load, once (isStyleLoaded() is false again while a layer loads)
  const charge = new Promise((r) => carte.once("load", r));
  const etat = { carte, charge, declencher: setTriggerValue, url: null, urlQpv: null, survol: new Map(), selection: null, lecteur: false, emprise: e };
  // a pan or zoom of the reader's own (mouse, touch, keyboard) is left alone until the next view
  carte.on("movestart", (ev) => {
    const type = ev.originalEvent && ev.originalEvent.type;
    if (type && /^(mouse|wheel|touch|pointer|key|dblclick)/.test(type)) etat.lecteur = true;
  });
  carte.on("mousemove", (ev) => {
    // a service site under the pointer is named before the territory around it
    const site = carte.queryRenderedFeatures(ev.point, { layers: ["points"] })[0];
    const f = site ? null : carte.queryRenderedFeatures(ev.point, { layers: ["aplats"] })[0];
    const lignes = site ? [site.properties.nom, site.properties.couche] : f && etat.survol.get(f.properties.code);
    if (!lignes) {
      carte.getCanvas().style.cursor = "";
      bulle.hidden = true;
      return;
    }
    carte.getCanvas().style.cursor = "pointer";
    bulle.replaceChildren();
    lignes.forEach((texte, i) => {
      const ligne = document.createElement(i === 0 ? "strong" : "div");
      ligne.textContent = texte;
      bulle.appendChild(ligne);
    });
    bulle.hidden = false;
    const largeur = boite.clientWidth;
    const x = ev.point.x + 14 + bulle.offsetWidth > largeur ? ev.point.x - 14 - bulle.offsetWidth : ev.point.x + 14;
    bulle.style.left = `${Math.max(0, x)}px`;
    bulle.style.top = `${Math.max(0, ev.point.y - 10)}px`;
  });
  carte.on("mouseout", () => {
    bulle.hidden = true;
    carte.getCanvas().style.cursor = "";
  });
  carte.on("click", "aplats", (ev) => {
    const f = ev.features && ev.features[0];
    const code = f && f.properties.code;
    if (!code || !etat.survol.has(code)) return;
    choisir(etat, code);
    etat.declencher("clic", code);
  });
  new ResizeObserver(() => ajuster(etat, false)).observe(boite);
  return etat;
}

// A map far below the fold waits until the reader scrolls near it: each MapLibre map is a WebGL context,
// a worker parse of its layer and a first drawing, about what a whole one-title page costs on a machine
// without GPU. Its legend (HTML) shows at once; the map says « en_attente » (data-etat) once the observer
// has found it far from the viewport, « chargement » while it draws, « prete » when drawn.
const MARGE = "400px 0px";

// the element that scrolls the page (Streamlit's main block, not the document): a margin given to the
// viewport would be clipped by it, so the margin is given to it
function defileur(el) {
  for (let e = el.parentElement; e; e = e.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(e).overflowY)) return e;
  }
  return null;
}

function quandProche(parent, racine, boite) {
  if (parent.__atlasProche || parent.__atlasGuet) return;
  parent.__atlasGuet = new IntersectionObserver(
    (entrees) => {
      // the observer's first report says where the map is: only then does it say it waits
      if (!entrees.some((e) => e.isIntersecting)) {
        racine.dataset.etat = "en_attente";
        return;
      }
      parent.__atlasGuet.disconnect();
      parent.__atlasGuet = null;
      parent.__atlasProche = true;
      if (parent.__atlasDessiner) parent.__atlasDessiner();
    },
    { root: defileur(boite), rootMargin: MARGE },
  );
  parent.__atlasGuet.observe(boite);
}

function dessiner(parent, racine, donnees, setTriggerValue, version) {
  racine.dataset.etat = "chargement";
  chargerScript(donnees.racine_maplibre)
    .then((maplibregl) => {
      // a later run's data arrived meanwhile: it draws, not this one
      if (parent.__atlasVersion !== version) return;
      let etat = parent.__atlasCarte;
      if (!etat || !etat.carte.getContainer().isConnected) {
        etat = parent.__atlasCarte = creer(parent, maplibregl, donnees, setTriggerValue);
      }
      racine.__atlasCarte = etat; // for the browser tests: the view against the region's extent
      const carte = etat.carte;
      const nouvelleVue = JSON.stringify(etat.emprise) !== JSON.stringify(donnees.emprise) || etat.url !== donnees.url;
      etat.emprise = donnees.emprise;
      if (nouvelleVue) etat.lecteur = false;
      etat.declencher = setTriggerValue;
      return etat.charge.then(() => {
        if (parent.__atlasVersion !== version) return;
        fond(etat, donnees.fond);
        appliquer(etat, donnees);
        ajuster(etat, nouvelleVue);
        carte.once("idle", () => {
          if (parent.__atlasVersion !== version) return;
          racine.dataset.etat = "prete";
          racine.dataset.rendu = String(version);
        });
        carte.triggerRepaint();
      });
    })
    .catch((err) => {
      racine.dataset.etat = "erreur";
      console.error(err && err.stack ? err.stack : String(err));
    });
}

export default function (composant) {
  const { data: donnees, parentElement: parent, setTriggerValue } = composant;
  const racine = parent.querySelector(".atlas-carte");
  racine.style.setProperty("--hauteur", `${donnees.hauteur}px`);
  const blocLegende = parent.querySelector(".atlas-carte-legende");
  blocLegende.style.fontSize = donnees.police_legende ? `${donnees.police_legende}px` : "";
  // a 3 × 3 grid with its class bounds needs a wider column than a list
  blocLegende.style.flexBasis = donnees.grille ? "250px" : "";
  legende(blocLegende, donnees);
  const version = (parent.__atlasVersion = (parent.__atlasVersion || 0) + 1);
  // MapLibre's script is fetched and parsed once for the page, whether or not this map waits
  chargerScript(donnees.racine_maplibre).catch(() => {});
  parent.__atlasDessiner = () => dessiner(parent, racine, donnees, setTriggerValue, version);
  if (parent.__atlasProche) {
    parent.__atlasDessiner();
  } else {
    quandProche(parent, racine, parent.querySelector(".atlas-carte-fond-boite"));
  }
}
