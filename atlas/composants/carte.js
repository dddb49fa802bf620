// Map of territories drawn on an HTML canvas (Canvas 2D, no library), colours computed in Python.
// Each GeoJSON layer is a static file, fetched once per database (and kept in the Cache Storage),
// parsed and projected once into one Path2D per territory; each run sends only colours, hover
// texts and the legend, so a new indicator or class redraws without fetching or parsing again.
// Web Mercator, plain white background (raster tiles under the territories when given).

const MARGE_VUE = 6; // px between the region's extent and the map's edges
const MARGE_BOUTONS = 42; // px kept free on the right for the zoom buttons: they hide no territory
const ZOOM_MIN = 0.5; // times the fitted scale
const ZOOM_MAX = 512;
const RAYON_POINT = 3.5;

// Web Mercator in units of the world's width: x from 0 (180° W) to 1, y from 0 (north) down
const mercX = (lon) => (lon + 180) / 360;
const mercY = (lat) => {
  const s = Math.min(Math.max(Math.sin((lat * Math.PI) / 180), -0.9999), 0.9999);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};
const lonDe = (x) => x * 360 - 180;
const latDe = (y) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

// A layer projected once: each territory's Path2D in the layer's own units (its extent spans
// about 1 000 units from its north-west corner: float precision holds at any zoom) and its box.
function projeter(geojson) {
  let ox = Infinity, oy = Infinity, ex = -Infinity, ey = -Infinity;
  const anneaux = (g) => (g.type === "Polygon" ? g.coordinates : g.type === "MultiPolygon" ? g.coordinates.flat() : []);
  for (const f of geojson.features) {
    if (!f.geometry) continue;
    for (const anneau of anneaux(f.geometry))
      for (const [lon, lat] of anneau) {
        const x = mercX(lon), y = mercY(lat);
        if (x < ox) ox = x;
        if (y < oy) oy = y;
        if (x > ex) ex = x;
        if (y > ey) ey = y;
      }
  }
  const echelle = 1000 / Math.max(ex - ox, ey - oy, 1e-9);
  const territoires = [];
  for (const f of geojson.features) {
    if (!f.geometry) continue;
    const chemin = new Path2D();
    const boite = [Infinity, Infinity, -Infinity, -Infinity];
    let premier = null;
    for (const anneau of anneaux(f.geometry)) {
      anneau.forEach(([lon, lat], i) => {
        const x = (mercX(lon) - ox) * echelle, y = (mercY(lat) - oy) * echelle;
        if (i === 0) chemin.moveTo(x, y);
        else chemin.lineTo(x, y);
        if (!premier) premier = [x, y];
        if (x < boite[0]) boite[0] = x;
        if (y < boite[1]) boite[1] = y;
        if (x > boite[2]) boite[2] = x;
        if (y > boite[3]) boite[3] = y;
      });
      chemin.closePath();
    }
    const code = String((f.properties && f.properties.code) ?? f.id ?? "");
    territoires.push({ code, chemin, boite, premier });
  }
  return { ox, oy, echelle, territoires, parCode: new Map(territoires.map((t) => [t.code, t])) };
}

// Streamlit's static serving sends no Cache-Control and answers a revalidation with the whole
// file, so the browser's HTTP cache downloads the layer again at every page view. A layer's name
// changes with the database (atlas/composants/couches.py), so a copy kept under that name in the
// Cache Storage is never stale: the next page views read it without a request. Without Cache
// Storage (a page served over plain http to another machine), each page view fetches it.
const BOITE_COUCHES = "atlas-couches";

async function garder(boite, adresse, reponse) {
  try {
    // the same layer of an earlier database (the same name, another hash) is not needed any more
    const prefixe = adresse.replace(/-[0-9a-f]+\.geojson$/, "-");
    for (const requete of await boite.keys()) {
      if (requete.url !== adresse && requete.url.startsWith(prefixe)) await boite.delete(requete);
    }
    await boite.put(adresse, reponse);
  } catch (err) {
    // not kept: the next page view fetches it again
  }
}

async function telecharger(adresse) {
  let boite = null;
  try {
    boite = globalThis.caches ? await globalThis.caches.open(BOITE_COUCHES) : null;
    const gardee = boite ? await boite.match(adresse) : null;
    if (gardee) return await gardee.json();
  } catch (err) {
    boite = null; // storage refused (private mode, quota): the network still answers
  }
  const reponse = await fetch(adresse);
  if (!reponse.ok) throw new Error(`couche de carte introuvable : ${adresse} (HTTP ${reponse.status})`);
  // kept in the background: the map does not wait for the storage
  if (boite) garder(boite, adresse, reponse.clone());
  return reponse.json();
}

// one fetch and one projection per layer and page, shared by every map of the page
function couche(url) {
  const cache = (window.__atlasCouches = window.__atlasCouches || new Map());
  const adresse = new URL(url, document.baseURI).href;
  if (!cache.has(adresse)) {
    const promesse = telecharger(adresse).then(projeter);
    promesse.catch(() => cache.delete(adresse)); // a failed fetch is tried again at the next run
    cache.set(adresse, promesse);
  }
  return cache.get(adresse);
}

// a context of one pixel, with no transform: the hit tests (isPointInPath) in a layer's own units
let contexteTest = null;
const testeur = () => (contexteTest = contexteTest || document.createElement("canvas").getContext("2d"));

// French punctuation never starts a line of a legend or a bubble (« Taux de pauvreté (seuil à 60 /
// %) »): a no-break space before « ; : ! ? » % » and after « « » (as atlas.formatting.espaces_insecables)
const insecable = (texte) =>
  String(texte)
    .replace(/(?<=\S)[ \t]+(?=[;:!?](?:\s|$|[)\].,])|[»%])/g, "\u00a0")
    .replace(/«[ \t]+/g, "«\u00a0");

const element = (balise, classe, texte) => {
  const el = document.createElement(balise);
  if (classe) el.className = classe;
  if (texte !== undefined) el.textContent = insecable(texte);
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

// --- the view: screen (CSS px) = (Mercator - origin) × scale -----------------------------------

function taille(etat) {
  return { l: etat.boite.clientWidth, h: etat.boite.clientHeight };
}

// the view that shows the whole extent with a few pixels to spare, centred
function ajuster(etat) {
  const { l, h } = taille(etat);
  const [o, s, e, n] = etat.emprise;
  const x0 = mercX(o), x1 = mercX(e), y0 = mercY(n), y1 = mercY(s);
  const utile = l - MARGE_VUE - MARGE_BOUTONS;
  if (utile <= 0 || h <= 2 * MARGE_VUE || x1 <= x0 || y1 <= y0) return false;
  const k = Math.min(utile / (x1 - x0), (h - 2 * MARGE_VUE) / (y1 - y0));
  etat.ajustee = k;
  // centred in the width left of the buttons
  etat.vueCourante = { x: (x0 + x1) / 2 - (MARGE_VUE + utile / 2) / k, y: (y0 + y1) / 2 - h / 2 / k, k };
  return true;
}

function zoomer(etat, facteur, sx, sy) {
  const v = etat.vueCourante;
  if (!v) return;
  const k = Math.min(Math.max(v.k * facteur, etat.ajustee * ZOOM_MIN), etat.ajustee * ZOOM_MAX);
  const mx = v.x + sx / v.k, my = v.y + sy / v.k;
  etat.vueCourante = { x: mx - sx / k, y: my - sy / k, k };
  etat.lecteur = true;
  planifier(etat);
}

// the canvas at the box's size in device pixels (crisp on HiDPI screens)
function dimensionner(etat) {
  const { l, h } = taille(etat);
  const dpr = window.devicePixelRatio || 1;
  const largeur = Math.round(l * dpr), hauteur = Math.round(h * dpr);
  if (etat.canvas.width !== largeur || etat.canvas.height !== hauteur) {
    etat.canvas.width = largeur;
    etat.canvas.height = hauteur;
  }
  return dpr;
}

// --- drawing, once per animation frame ---------------------------------------------------------

function planifier(etat) {
  if (etat.image) return;
  etat.image = requestAnimationFrame(() => {
    etat.image = 0;
    peindre(etat);
  });
}

// the layer's units to device pixels: lines are given in CSS px, divided by the layer's scale
function transformer(ctx, c, v, dpr) {
  const a = (v.k * dpr) / c.echelle;
  ctx.setTransform(a, 0, 0, a, (c.ox - v.x) * v.k * dpr, (c.oy - v.y) * v.k * dpr);
  return a;
}

function tuiles(etat, ctx, v, l, h, dpr) {
  const fond = etat.fond;
  if (!fond) return;
  const z = Math.min(Math.max(Math.round(Math.log2(v.k / 256)), 0), 19);
  const n = 2 ** z, cote = v.k / n;
  const images = (etat.tuiles = etat.tuiles || new Map());
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  for (let ty = Math.max(0, Math.floor(v.y * n)); ty <= Math.min(n - 1, Math.floor((v.y + h / v.k) * n)); ty++) {
    for (let tx = Math.max(0, Math.floor(v.x * n)); tx <= Math.min(n - 1, Math.floor((v.x + l / v.k) * n)); tx++) {
      const modele = fond.tuiles[(tx + ty) % fond.tuiles.length];
      const url = modele.replace("{z}", z).replace("{x}", tx).replace("{y}", ty);
      let tuile = images.get(url);
      if (!tuile) {
        tuile = { image: new Image(), prete: false };
        tuile.image.crossOrigin = "anonymous";
        tuile.image.onload = () => {
          tuile.prete = true;
          planifier(etat);
        };
        // a tile that cannot load (no internet) is left out: the plain background shows
        tuile.image.onerror = () => {};
        tuile.image.src = url;
        images.set(url, tuile);
      }
      if (tuile.prete) ctx.drawImage(tuile.image, (tx / n - v.x) * v.k, (ty / n - v.y) * v.k, cote + 0.5, cote + 0.5);
    }
  }
}

function peindre(etat) {
  const ctx = etat.ctx;
  const dpr = dimensionner(etat);
  const { l, h } = taille(etat);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, etat.canvas.width, etat.canvas.height);
  ctx.lineJoin = "miter"; // the selection's round joins are set for it alone
  const v = etat.vueCourante;
  const c = etat.couche;
  if (v && c && etat.dessin) {
    tuiles(etat, ctx, v, l, h, dpr);
    const d = etat.dessin;
    let a = transformer(ctx, c, v, dpr);
    ctx.globalAlpha = 0.9;
    for (const [couleur, chemin] of d.aplats) {
      ctx.fillStyle = couleur;
      ctx.fill(chemin, "evenodd");
    }
    ctx.globalAlpha = 1;
    // 0,7 px borders, at most one device pixel: a hairline, which software rasterisers draw
    // without stroking each segment into a polygon (faster on a 2× screen)
    ctx.lineWidth = Math.min(0.7 * dpr, 1) / a;
    ctx.strokeStyle = d.trait;
    ctx.stroke(d.limites);
    // the estimates' outlines over their neighbours' white ones
    ctx.strokeStyle = d.styles.estimation;
    ctx.stroke(d.estimes);
    if (etat.qpv && d.avecQpv) {
      a = transformer(ctx, etat.qpv, v, dpr);
      ctx.lineWidth = (d.styles.qpv.epaisseur * dpr) / a;
      ctx.strokeStyle = d.styles.qpv.couleur;
      ctx.stroke(etat.qpv.contours);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#ffffff";
    for (const p of d.points) {
      ctx.beginPath();
      ctx.arc((p.x - v.x) * v.k, (p.y - v.y) * v.k, RAYON_POINT, 0, 2 * Math.PI);
      ctx.fillStyle = p.couleur;
      ctx.fill();
      ctx.stroke();
    }
    const choisi = etat.selection && c.parCode.get(etat.selection);
    if (choisi) {
      a = transformer(ctx, c, v, dpr);
      ctx.lineJoin = "round";
      ctx.lineWidth = (d.styles.selection.epaisseur * dpr) / a;
      ctx.strokeStyle = d.styles.selection.couleur;
      ctx.stroke(choisi.chemin);
    }
  }
  // this run's colours are on screen: the map says so (benchmarks, tests)
  if (etat.attendue && etat.parent.__atlasVersion === etat.attendue && etat.dessin) {
    etat.racine.dataset.etat = "prete";
    etat.racine.dataset.rendu = String(etat.attendue);
    etat.attendue = 0;
  }
}

// --- what a run changes: colours, outlines, hover texts, selection ------------------------------

function appliquer(etat, donnees) {
  const c = etat.couche;
  const { codes, classes, couleurs, estimes } = donnees;
  const aplats = new Map();
  const limites = new Path2D(), contoursEstimes = new Path2D();
  const colores = new Set();
  for (let i = 0; i < codes.length; i++) {
    const t = c.parCode.get(codes[i]);
    const couleur = couleurs[classes[i]];
    if (!t || !couleur) continue;
    if (!aplats.has(couleur)) aplats.set(couleur, new Path2D());
    aplats.get(couleur).addPath(t.chemin);
    (estimes[i] ? contoursEstimes : limites).addPath(t.chemin);
    colores.add(codes[i]);
  }
  const points = ((donnees.points && donnees.points.features) || []).map((f) => ({
    x: mercX(f.geometry.coordinates[0]),
    y: mercY(f.geometry.coordinates[1]),
    couleur: f.properties.couleur,
    lignes: [f.properties.nom, f.properties.couche],
  }));
  etat.dessin = {
    aplats,
    limites,
    estimes: contoursEstimes,
    trait: donnees.trait || "#ffffff",
    styles: donnees.styles,
    points,
    avecQpv: Boolean(donnees.url_qpv),
  };
  etat.colores = colores;
  etat.survol = new Map(codes.map((code, i) => [code, donnees.survol[i]]));
  etat.selection = donnees.selection || null;
  etat.fond = donnees.fond || null;
  nommer(etat, donnees.titre);
  etat.attribution.textContent = etat.fond ? etat.fond.attribution : "";
  etat.attribution.hidden = !etat.fond;
}

// the territory (or service site, unless ``sites`` is false) under a point of the canvas (CSS px)
function sous(etat, sx, sy, sites = true) {
  const v = etat.vueCourante, c = etat.couche, d = etat.dessin;
  if (!v || !c || !d) return null;
  // a service site is named before the territory around it
  for (let i = sites ? d.points.length - 1 : -1; i >= 0; i--) {
    const p = d.points[i];
    if (Math.hypot((p.x - v.x) * v.k - sx, (p.y - v.y) * v.k - sy) <= RAYON_POINT + 1.5) return { lignes: p.lignes };
  }
  const x = (v.x + sx / v.k - c.ox) * c.echelle, y = (v.y + sy / v.k - c.oy) * c.echelle;
  const ctx = testeur();
  for (const t of c.territoires) {
    const b = t.boite;
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3] || !etat.colores.has(t.code)) continue;
    if (ctx.isPointInPath(t.chemin, x, y, "evenodd")) return { code: t.code, lignes: etat.survol.get(t.code) };
  }
  return null;
}

// the hover bubble beside the pointer, or below the keyboard's cross-hair (``dessous``): it hides
// neither
function survoler(etat, sx, sy, dessous = false) {
  const trouve = sous(etat, sx, sy);
  const bulle = etat.bulle;
  if (!trouve || !trouve.lignes) {
    etat.canvas.style.cursor = "";
    bulle.hidden = true;
    return;
  }
  etat.canvas.style.cursor = "pointer";
  bulle.replaceChildren();
  trouve.lignes.forEach((texte, i) => {
    const ligne = document.createElement(i === 0 ? "strong" : "div");
    ligne.textContent = insecable(texte);
    bulle.appendChild(ligne);
  });
  bulle.hidden = false;
  const largeur = etat.boite.clientWidth;
  const x = sx + 14 + bulle.offsetWidth > largeur ? sx - 14 - bulle.offsetWidth : sx + 14;
  bulle.style.left = `${Math.max(0, x)}px`;
  bulle.style.top = `${Math.max(0, dessous ? sy + 16 : sy - 10)}px`;
}

// The map takes the keyboard's focus: arrows pan, « + » / « - » zoom, « 0 » fits the region again,
// Enter chooses the territory under the cross-hair drawn at the centre while the keyboard drives it.
const AIDE_CLAVIER = "Flèches : déplacer · + / − : zoomer · 0 : recentrer · Entrée : choisir le territoire sous la croix";
const PAS_CLAVIER = 0.1; // share of the map's shorter side moved by an arrow, 4 times more with Shift
const DEPLACEMENTS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
// ⌘ on a Mac, Ctrl elsewhere: the key that turns the wheel into a zoom
const MAC = /Mac|iPhone|iPad/.test(navigator.platform || "");
const INDICE_MOLETTE = `Pour zoomer sur la carte : ${MAC ? "⌘" : "Ctrl"} + molette`;
const INDICE_DOIGTS = "Utilisez deux doigts pour déplacer la carte";
const DUREE_INDICE = 1000; // ms an overlay hint stays before it fades
// A click chooses the territory once no second press has followed it within this delay and this
// distance: the two clicks of a double-click zoom, they do not also choose (and rerun the page)
const DELAI_DOUBLE_CLIC = 300; // ms, about the browsers' own double-click delay
const ECART_DOUBLE_CLIC = 8; // px

function bouton(texte, libelle, action) {
  const b = element("button", "atlas-carte-bouton", texte);
  b.type = "button";
  b.title = libelle;
  b.setAttribute("aria-label", libelle);
  b.addEventListener("click", action);
  return b;
}

// the map's spoken name: its legend title and how to use it with the keyboard
function nommer(etat, titre) {
  const nom = titre ? `Carte interactive : ${titre}` : "Carte interactive";
  etat.canvas.setAttribute("aria-label", `${nom}. ${AIDE_CLAVIER.replaceAll(" · ", " ; ")}.`);
}

// a brief overlay (wheel without Ctrl, one finger on a touch screen), faded out after a second
function indiquer(etat, texte) {
  const indice = etat.indice;
  indice.textContent = texte;
  indice.classList.add("atlas-carte-indice-visible");
  clearTimeout(etat.minuteIndice);
  etat.minuteIndice = setTimeout(() => indice.classList.remove("atlas-carte-indice-visible"), DUREE_INDICE);
}

function recentrer(etat) {
  etat.lecteur = false;
  if (ajuster(etat)) planifier(etat);
}

// the territory under the centre, as the pointer's hover: its bubble and, for a screen reader, its name
function annoncerLeCentre(etat) {
  const [cx, cy] = [etat.boite.clientWidth / 2, etat.boite.clientHeight / 2];
  survoler(etat, cx, cy, true);
  const trouve = sous(etat, cx, cy);
  etat.annonce.textContent = trouve && trouve.lignes ? trouve.lignes.join(", ") : "Aucun territoire sous la croix";
}

function auClavier(etat, oui) {
  etat.clavier = oui;
  etat.racine.classList.toggle("atlas-carte-au-clavier", oui);
  if (!oui) etat.bulle.hidden = true;
}

function choisir(etat, trouve) {
  if (!trouve || !trouve.code || !etat.survol.has(trouve.code)) return false;
  etat.selection = trouve.code;
  planifier(etat);
  etat.declencher("clic", trouve.code);
  return true;
}

function clavier(etat) {
  const canvas = etat.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "carte");
  nommer(etat, "");
  // a focus reached with the keyboard shows the cross-hair and the keys; a click does not
  canvas.addEventListener("focus", () => auClavier(etat, canvas.matches(":focus-visible")));
  canvas.addEventListener("blur", () => auClavier(etat, false));
  canvas.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !etat.vueCourante) return; // the browser's own shortcuts
    const { l, h } = taille(etat);
    const centre = [l / 2, h / 2];
    const fleche = DEPLACEMENTS[ev.key];
    if (ev.key === "Escape") {
      if (!etat.clavier) return;
      auClavier(etat, false);
    } else if (fleche) {
      const v = etat.vueCourante;
      const pas = (PAS_CLAVIER * (ev.shiftKey ? 4 : 1) * Math.min(l, h)) / v.k;
      etat.vueCourante = { x: v.x + fleche[0] * pas, y: v.y + fleche[1] * pas, k: v.k };
      etat.lecteur = true;
      planifier(etat);
    } else if (ev.key === "+" || ev.key === "=") {
      zoomer(etat, 2, ...centre);
    } else if (ev.key === "-" || ev.key === "_") {
      zoomer(etat, 0.5, ...centre);
    } else if (ev.key === "0" || ev.key === "Home" || ev.code === "Digit0" || ev.code === "Numpad0") {
      // « 0 » by its key too: on a French keyboard it gives « à » without Shift
      recentrer(etat);
    } else if (ev.key === "Enter") {
      const trouve = sous(etat, ...centre, false); // the territory, even under a service site
      if (choisir(etat, trouve)) etat.annonce.textContent = `Territoire choisi : ${trouve.lignes[0]}`;
    } else {
      return;
    }
    ev.preventDefault(); // the page does not scroll under the arrows
    if (ev.key === "Escape") return;
    auClavier(etat, true);
    if (ev.key !== "Enter") annoncerLeCentre(etat);
  });
}

// Pointers: a mouse drags the map; on a touch screen one finger scrolls the page (the browser's)
// and two pan and zoom the map. The wheel scrolls the page; Ctrl (⌘) + wheel or a trackpad's pinch
// zooms: a reader scrolling down a long page is not caught by a map.
function gestes(etat) {
  const canvas = etat.canvas;
  const point = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [ev.clientX - r.left, ev.clientY - r.top];
  };
  const appuis = new Map();
  let glisse = null;
  // the click waiting for the double-click's delay: { minuteur, position, choisir }
  let clicEnAttente = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0 || !etat.vueCourante) return;
    auClavier(etat, false);
    if (ev.pointerType !== "touch") canvas.setPointerCapture(ev.pointerId);
    appuis.set(ev.pointerId, point(ev));
    const v = etat.vueCourante;
    glisse = { depart: point(ev), x: v.x, y: v.y, bouge: appuis.size > 1, tactile: ev.pointerType === "touch" };
    if (clicEnAttente) {
      const [px, py] = clicEnAttente.position, [sx, sy] = point(ev);
      const enAttente = clicEnAttente;
      clearTimeout(enAttente.minuteur);
      clicEnAttente = null;
      // the second press of a double-click: neither it nor the first one chooses
      if (Math.hypot(sx - px, sy - py) <= ECART_DOUBLE_CLIC) glisse.double = true;
      else enAttente.choisir();
    }
  });
  canvas.addEventListener("pointermove", (ev) => {
    const [sx, sy] = point(ev);
    if (!appuis.has(ev.pointerId)) {
      if (ev.pointerType === "mouse") survoler(etat, sx, sy);
      return;
    }
    const avant = appuis.get(ev.pointerId);
    appuis.set(ev.pointerId, [sx, sy]);
    const v = etat.vueCourante;
    if (appuis.size >= 2) {
      // two fingers: the point under their middle follows it, the scale follows their distance
      const autre = [...appuis.entries()].find(([id]) => id !== ev.pointerId)[1];
      const ecart = Math.hypot(sx - autre[0], sy - autre[1]);
      const ecartAvant = Math.hypot(avant[0] - autre[0], avant[1] - autre[1]);
      const m0 = [(avant[0] + autre[0]) / 2, (avant[1] + autre[1]) / 2], m1 = [(sx + autre[0]) / 2, (sy + autre[1]) / 2];
      const k = Math.min(Math.max(v.k * (ecartAvant > 0 ? ecart / ecartAvant : 1), etat.ajustee * ZOOM_MIN), etat.ajustee * ZOOM_MAX);
      const mx = v.x + m0[0] / v.k, my = v.y + m0[1] / v.k;
      etat.vueCourante = { x: mx - m1[0] / k, y: my - m1[1] / k, k };
      etat.lecteur = true;
      etat.bulle.hidden = true;
      glisse = null;
      planifier(etat);
      return;
    }
    if (!glisse) return;
    const dx = sx - glisse.depart[0], dy = sy - glisse.depart[1];
    if (!glisse.bouge && Math.hypot(dx, dy) < 4) return;
    glisse.bouge = true;
    if (glisse.tactile) return; // one finger: the page scrolls, the map stays
    etat.lecteur = true;
    etat.bulle.hidden = true;
    etat.vueCourante = { x: glisse.x - dx / v.k, y: glisse.y - dy / v.k, k: v.k };
    planifier(etat);
  });
  const relacher = (ev, annule) => {
    if (!appuis.has(ev.pointerId)) return;
    appuis.delete(ev.pointerId);
    const clic = glisse && !glisse.bouge && !glisse.double && !annule && appuis.size === 0;
    glisse = null;
    if (!clic) return;
    // what is under the pointer now: the map may be redrawn or moved before the delay ends
    const trouve = sous(etat, ...point(ev));
    const enAttente = { position: point(ev), choisir: () => choisir(etat, trouve) };
    enAttente.minuteur = setTimeout(() => {
      if (clicEnAttente === enAttente) clicEnAttente = null;
      enAttente.choisir();
    }, DELAI_DOUBLE_CLIC);
    clicEnAttente = enAttente;
  };
  canvas.addEventListener("pointerup", (ev) => relacher(ev, false));
  canvas.addEventListener("pointercancel", (ev) => relacher(ev, true));
  canvas.addEventListener("pointerleave", () => {
    if (etat.clavier) return; // the bubble says what is under the cross-hair
    etat.bulle.hidden = true;
    canvas.style.cursor = "";
  });
  // touch: one finger is left to the page (and told how to move the map), two are the map's
  canvas.addEventListener(
    "touchmove",
    (ev) => {
      if (ev.touches.length >= 2) ev.preventDefault();
      else indiquer(etat, INDICE_DOIGTS);
    },
    { passive: false },
  );
  canvas.addEventListener(
    "wheel",
    (ev) => {
      if (!ev.ctrlKey && !ev.metaKey) {
        if (ev.deltaY) indiquer(etat, INDICE_MOLETTE);
        return; // the page scrolls
      }
      ev.preventDefault(); // nor the page's zoom (Ctrl) nor its scroll
      const pas = ev.deltaMode === 1 ? ev.deltaY * 40 : ev.deltaMode === 2 ? ev.deltaY * 800 : ev.deltaY;
      zoomer(etat, Math.pow(2, -pas / 300), ...point(ev));
    },
    { passive: false },
  );
  canvas.addEventListener("dblclick", (ev) => {
    ev.preventDefault();
    zoomer(etat, ev.shiftKey ? 0.5 : 2, ...point(ev));
  });
}

function creer(parent, racine) {
  const boite = racine.querySelector(".atlas-carte-fond");
  const canvas = element("canvas", "atlas-carte-canvas");
  const attribution = element("div", "atlas-carte-attribution");
  attribution.hidden = true;
  // the keyboard's cross-hair and keys, the wheel's and fingers' hint, and what a screen reader says
  const mire = element("div", "atlas-carte-mire");
  const aide = element("div", "atlas-carte-aide", AIDE_CLAVIER);
  const indice = element("div", "atlas-carte-indice");
  const annonce = element("div", "atlas-carte-annonce");
  mire.setAttribute("aria-hidden", "true");
  aide.setAttribute("aria-hidden", "true");
  indice.setAttribute("aria-hidden", "true");
  annonce.setAttribute("aria-live", "polite");
  boite.replaceChildren(canvas, attribution, mire, aide, indice, annonce);
  const etat = {
    parent,
    racine,
    boite,
    canvas,
    attribution,
    indice,
    annonce,
    ctx: canvas.getContext("2d"),
    bulle: racine.querySelector(".atlas-carte-bulle"),
    lecteur: false,
    clavier: false,
    image: 0,
    attendue: 0,
    selection: null,
    colores: new Set(),
    survol: new Map(),
  };
  const centre = () => [boite.clientWidth / 2, boite.clientHeight / 2];
  const commandes = element("div", "atlas-carte-boutons");
  commandes.append(
    bouton("+", "Zoom avant", () => zoomer(etat, 2, ...centre())),
    bouton("\u2212", "Zoom arrière", () => zoomer(etat, 0.5, ...centre())),
    bouton("\u2302", "Recentrer la carte sur la région", () => recentrer(etat)),
  );
  boite.appendChild(commandes);
  clavier(etat);
  gestes(etat);
  // a new width (window, sidebar, presentation mode) fits the region again, unless the reader
  // has moved the map
  new ResizeObserver(() => {
    if (!etat.lecteur || !etat.vueCourante) ajuster(etat);
    planifier(etat);
  }).observe(boite);

  // for the browser tests: the region's extent, what is visible, the outlined territory
  racine.__atlasCarte = etat;
  etat.vue = () => {
    const v = etat.vueCourante;
    if (!v) return null;
    const { l, h } = taille(etat);
    return [lonDe(v.x), latDe(v.y + h / v.k), lonDe(v.x + l / v.k), latDe(v.y)];
  };
  // a point of a territory's outline in CSS px of the canvas (its first vertex)
  etat.pointDuContour = (code) => {
    const t = etat.couche && etat.couche.parCode.get(code), v = etat.vueCourante, c = etat.couche;
    if (!t || !v) return null;
    return [(t.premier[0] / c.echelle + c.ox - v.x) * v.k, (t.premier[1] / c.echelle + c.oy - v.y) * v.k];
  };
  return etat;
}

// A map far below the fold waits until the reader scrolls near it: its legend (HTML) shows at once;
// the map says « en_attente » (data-etat) once the observer has found it far from the viewport,
// « chargement » while its layer loads, « prete » once drawn with this run's colours.
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
  const qpv = donnees.url_qpv ? couche(donnees.url_qpv) : Promise.resolve(null);
  Promise.all([couche(donnees.url), qpv])
    .then(([territoires, contours]) => {
      // a later run's data arrived meanwhile: it draws, not this one
      if (parent.__atlasVersion !== version) return;
      let etat = parent.__atlasCarte;
      if (!etat || etat.racine !== racine || !etat.boite.isConnected) {
        etat = parent.__atlasCarte = creer(parent, racine);
      }
      const nouvelleVue = JSON.stringify(etat.emprise) !== JSON.stringify(donnees.emprise) || etat.url !== donnees.url;
      etat.emprise = donnees.emprise;
      etat.url = donnees.url;
      etat.couche = territoires;
      if (contours && !contours.contours) {
        // the QPV contours are only stroked: one path for all of them, made once per page
        contours.contours = new Path2D();
        for (const t of contours.territoires) contours.contours.addPath(t.chemin);
      }
      etat.qpv = contours;
      etat.declencher = setTriggerValue;
      appliquer(etat, donnees);
      if (nouvelleVue) etat.lecteur = false;
      if (nouvelleVue || !etat.vueCourante) ajuster(etat);
      etat.attendue = version;
      planifier(etat);
    })
    .catch((err) => {
      racine.dataset.etat = "erreur";
      console.error(err && err.stack ? err.stack : String(err));
    });
}

// the data comes as UTF-8 JSON bytes, each hover text once (carte.py, charge_utile): the rows
// name their texts by index
function lire(brut) {
  const donnees = JSON.parse(new TextDecoder().decode(brut));
  const textes = donnees.textes;
  donnees.survol = donnees.survol.map((ligne) => ligne.map((i) => textes[i]));
  delete donnees.textes;
  return donnees;
}

export default function (composant) {
  const { data: brut, parentElement: parent, setTriggerValue } = composant;
  const donnees = lire(brut);
  const racine = parent.querySelector(".atlas-carte");
  // pixels, or in presentation mode a CSS length that grows with the window's height
  racine.style.setProperty("--hauteur", typeof donnees.hauteur === "number" ? `${donnees.hauteur}px` : donnees.hauteur);
  const blocLegende = parent.querySelector(".atlas-carte-legende");
  blocLegende.style.fontSize = donnees.police_legende ? `${donnees.police_legende}px` : "";
  // a 3 × 3 grid with its class bounds needs a wider column than a list
  blocLegende.style.flexBasis = donnees.grille ? "250px" : "";
  legende(blocLegende, donnees);
  const version = (parent.__atlasVersion = (parent.__atlasVersion || 0) + 1);
  // the layer is fetched and projected once for the page, whether or not this map waits
  couche(donnees.url).catch(() => {});
  parent.__atlasDessiner = () => dessiner(parent, racine, donnees, setTriggerValue, version);
  if (parent.__atlasProche) {
    parent.__atlasDessiner();
  } else {
    quandProche(parent, racine, parent.querySelector(".atlas-carte-fond-boite"));
  }
}
