"""Column widths of the interactive tables, so that a table fits its page at 1280 px.

Widths are estimated from the texts in the tables' font (:func:`largeur_texte`); :func:`atlas.ui.tableau`
applies them.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict

from atlas.formatting import MANQUANT

#: Width (px) a table takes without scrolling sideways: the page's column at 1280 px with the
#: sidebar open is 820 px; less the frame's borders and a classic vertical scrollbar (Windows
#: draws one inside the table, 15 px). At 1400 px and in presentation mode the columns stretch.
LARGEUR_TABLEAU = 768
#: Row height (px) that lets a table's long texts wrap on three lines (Streamlit wraps the cells'
#: text only above 64 px).
HAUTEUR_LIGNE_REPLIEE = 66
# Text widths in the tables' font (Source Sans, 14 px), measured in Chromium: narrow letters,
# wide ones, capitals, and the rest (lower case, digits).
_ETROITS = set("fijlrtI.,;:'()|[]!/- \u00a0\u202f")
_LARGES = set("mwMW%—…")
# cell padding (8 px each side) and, in a header, room for the sort arrow
_MARGE_CELLULE, _MARGE_ENTETE = 18, 20
# a column never narrower than this, whatever its content (a header must show a word)
_LARGEUR_MIN = 56
# a text column that wraps keeps at least this width (about fourteen letters a line)
_LARGEUR_MIN_REPLIEE = 100
# The data grid wraps a text at its spaces only and cuts a longer word anywhere (« Torcé-Viviers-en-C
# / harnie »): a text column is never narrower than its longest word, estimated with this margin
# (:func:`largeur_texte` reads « Saint-Martin-Lars-en-Sainte-Hermine » 3 % narrower than Chromium draws it).
_MARGE_MOT = 1.06


def largeur_texte(texte: str) -> float:
    """Width (px) of a text written in a table's font (Source Sans, 14 px), within a few percent.

    Examples
    --------
    >>> round(largeur_texte("Nantes"))
    40
    """
    largeur = 0.0
    for c in texte:
        if c in _ETROITS:
            largeur += 3.8
        elif c in _LARGES:
            largeur += 11.2
        elif c.isupper():
            largeur += 8.3
        else:
            largeur += 7.0
    return largeur


def libelle_et_aide(nom, config) -> tuple[str, str | None]:
    """Header text and tooltip of a column from its ``column_config`` entry (None, str or dict)."""
    if isinstance(config, str):
        return config, None
    if isinstance(config, dict):
        return (config.get("label") or str(nom)), config.get("help")
    return str(nom), None


def _texte_affiche(valeur, config) -> str:
    """A cell's value roughly as the table writes it (numbers with their separators and decimals)."""
    import pandas as pd

    from atlas.formatting import format_nombre

    if valeur is None or (not isinstance(valeur, (list, tuple, dict)) and pd.isna(valeur)):
        return MANQUANT
    if isinstance(valeur, bool):
        return "✓"  # a checkbox
    if isinstance(valeur, (int, float)):
        pas = ((config or {}).get("type_config") or {}).get("step") if isinstance(config, dict) else None
        decimales = max(0, -int(math.floor(math.log10(pas)))) if pas else (1 if isinstance(valeur, float) else 0)
        return format_nombre(valeur, decimales)
    return str(valeur)


def _plafonner(largeurs: dict, minimums: dict, reductibles: set, budget: float) -> dict:
    """Narrow the widest of the ``reductibles`` columns to a common cap (none below its minimum)
    until the table fits ``budget``, or every one of them is at its minimum."""
    fixe = sum(w for n, w in largeurs.items() if n not in reductibles)

    def total(cap):
        return fixe + sum(max(minimums[n], min(largeurs[n], cap)) for n in reductibles)

    bas, haut = 0.0, max((largeurs[n] for n in reductibles), default=0.0)
    for _ in range(40):
        cap = (bas + haut) / 2
        bas, haut = (cap, haut) if total(cap) <= budget else (bas, cap)
    return {n: max(minimums[n], min(w, bas)) if n in reductibles else w for n, w in largeurs.items()}


# Widths already measured, by table content and configuration: the same table drawn for every
# visitor (a view shared per database) is measured once, not at each run (about 25 ms a table of
# the 1 228 communes). Bounded; shared by the server's sessions, hence the lock.
_MESUREES: OrderedDict = OrderedDict()
_MESUREES_MAX = 256
_VERROU = threading.Lock()


def _cle(frame, column_config, hide_index, budget) -> tuple | None:
    """The table's content, index, column names and types, and the configuration; None when not hashable."""
    import pandas as pd

    try:
        empreinte = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()).hexdigest()
        return (
            empreinte,
            tuple(map(repr, frame.columns)),
            tuple(map(str, frame.dtypes)),
            type(frame.index).__name__,  # a plain row number is not shown
            repr(frame.index.dtype),
            repr(column_config),
            hide_index,
            budget,
        )
    except (TypeError, ValueError):  # a cell pandas cannot hash: measured each time
        return None


def largeurs_colonnes(
    frame, column_config: dict | None = None, hide_index: bool | None = None, budget: int = LARGEUR_TABLEAU
):
    """Column widths that fit a table in ``budget`` pixels, and whether its long texts must wrap.

    Each column asks for the width of its header and of its longest value. When the whole table
    fits, every column gets what it asks (the table then stretches to its container). Otherwise
    the texts of several words wrap on up to three lines, in columns that share the room left by
    the others. When that is not enough, the text columns narrow to a common cap, down to 100 px
    or their longest word, then down to their longest word or their header. A header is never cut (the grid draws one line of it and clips the
    rest): a table still too wide keeps every header whole, and :func:`atlas.ui.tableau` makes it
    scroll sideways.

    Parameters
    ----------
    frame : DataFrame
        The table as shown.
    column_config : dict, optional
        Streamlit's column configuration (``None`` hides a column; a width given there is kept).
    hide_index : bool, optional
        As ``st.dataframe``: ``None`` shows the index unless it is a plain row number.
    budget : int
        Width available (px).

    Returns
    -------
    largeurs : dict
        Width (px) by column name (``"_index"`` for the index).
    replier : bool
        Whether a column's text is wider than the column (the rows must wrap).
    coupes : set
        Columns whose header is wider than the column (none: kept for the callers).

    Examples
    --------
    >>> import pandas as pd
    >>> largeurs, replier, coupes = largeurs_colonnes(pd.DataFrame({"nom": ["Nantes"], "x": [1.5]}))
    >>> replier, coupes, sum(largeurs.values()) <= LARGEUR_TABLEAU
    (False, set(), True)
    """
    cle = _cle(frame, column_config, hide_index, budget)
    if cle is not None:
        with _VERROU:
            if cle in _MESUREES:
                _MESUREES.move_to_end(cle)
                largeurs, replier, coupes = _MESUREES[cle]
                return dict(largeurs), replier, set(coupes)
    resultat = _mesurer(frame, column_config, hide_index, budget)
    if cle is not None:
        with _VERROU:
            _MESUREES[cle] = (dict(resultat[0]), resultat[1], frozenset(resultat[2]))
            while len(_MESUREES) > _MESUREES_MAX:
                _MESUREES.popitem(last=False)
    return resultat


def _mesurer(frame, column_config, hide_index, budget):
    import pandas as pd

    config = column_config or {}
    colonnes = []  # (name, values, is_text)
    montrer_index = hide_index is False or (hide_index is None and not isinstance(frame.index, pd.RangeIndex))
    if montrer_index:
        colonnes.append(("_index", frame.index, not pd.api.types.is_numeric_dtype(frame.index)))
    for nom in frame.columns:
        colonnes.append((nom, frame[nom], not pd.api.types.is_numeric_dtype(frame[nom])))
    demandes, minimums, planchers, repliees, entetes, contenus, est_texte = {}, {}, {}, {}, {}, {}, {}
    coupees = set()  # text columns too long for three lines at their longest word's width
    fixes = {}
    for nom, valeurs, texte in colonnes:
        cfg = config.get(nom)
        if (nom in config and cfg is None) or (isinstance(cfg, dict) and cfg.get("hidden")):
            continue  # hidden column
        if isinstance(cfg, dict) and isinstance(cfg.get("width"), int):
            fixes[nom] = cfg["width"]
            continue
        libelle, _aide = libelle_et_aide(nom, cfg)
        # the longest values: a table of thousands of rows is sized on a sample of its distinct values
        distinctes = pd.Series(valeurs).drop_duplicates()
        if len(distinctes) > 2000:
            distinctes = distinctes.sample(2000, random_state=0)
        textes = [_texte_affiche(v, cfg) for v in distinctes]
        contenu = max((largeur_texte(t) for t in textes), default=0) + _MARGE_CELLULE
        # a text wraps at its spaces only: its column is never narrower than its longest word
        # (hyphens included: a name is not cut)
        mot = 0.0
        if texte:
            mot = max((largeur_texte(m) for t in textes for m in t.split()), default=0) * _MARGE_MOT + _MARGE_CELLULE
            contenu = max(contenu, mot)
        entete = largeur_texte(libelle) * 1.03 + _MARGE_ENTETE  # headers are semi-bold
        demandes[nom] = max(contenu, entete, _LARGEUR_MIN)
        entetes[nom], contenus[nom], est_texte[nom] = entete, contenu, texte
        if texte and contenu > _LARGEUR_MIN_REPLIEE:
            # on three lines, a text needs a third of its width (a little more: lines break
            # between words), and never less than its longest word
            repliees[nom] = min(demandes[nom], max(entete, mot, contenu / 2.6, 150))
        # a header is read whole: no column is narrower than its header
        minimums[nom] = max(max(min(contenu, _LARGEUR_MIN_REPLIEE), mot) if texte else contenu, entete, _LARGEUR_MIN)
        # at the last resort a text of short words wraps narrower than 100 px (« élevée · / moyenne »),
        # and a text too long for three lines even at its longest word's width (a remark of a few
        # sentences: cut at its third line anyway) is not held at that width
        entiere = contenu / 2.6 <= max(mot, _LARGEUR_MIN_REPLIEE)
        if texte and not entiere:
            coupees.add(nom)
        planchers[nom] = max(mot if entiere else _LARGEUR_MIN_REPLIEE, entete, _LARGEUR_MIN) if texte else minimums[nom]
    reste = budget - sum(fixes.values())
    largeurs = dict(demandes)
    if sum(demandes.values()) > reste:
        largeurs = {n: repliees.get(n, d) for n, d in demandes.items()}
        libre = reste - sum(largeurs.values())
        if libre >= 0:
            # the room left goes to the wrapped columns, in proportion to what they lack
            manque = {n: demandes[n] - largeurs[n] for n in repliees}
            total = sum(manque.values())
            for n, m in manque.items():
                largeurs[n] += libre * m / total if total else 0
        else:
            # still too wide: the text columns narrow (down to 100 px, their text on three lines,
            # never below their longest word nor their header); a table still too wide then
            # scrolls with its headers whole, rather than cut them
            textes = {n for n in demandes if est_texte[n]}
            largeurs = _plafonner(largeurs, minimums, textes, reste)
            # then the texts cut at their third line anyway narrow first, and the others after
            for reductibles in (coupees, textes):
                if sum(largeurs.values()) > reste:
                    largeurs = _plafonner(largeurs, planchers, reductibles, reste)
    largeurs = {n: int(w) for n, w in largeurs.items()}
    replier = any(contenus[n] > largeurs[n] + 1 for n in largeurs)
    coupes = {n for n in largeurs if entetes[n] > largeurs[n] + 1}
    return largeurs, replier, coupes
