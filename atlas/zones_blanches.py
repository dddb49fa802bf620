"""Zones blanches: territories whose need is high and which no service reaches.

Definition (DESIGN.md): a commune is a *zone blanche* when its need is high (the chosen
indicator in the top tercile by default) and no service reaches it: no outreach contact in the
last N months (12 by default) and no service of the chosen layers within T minutes (France
services within 20 minutes by default). Travel time without a routing engine: crow-fly distance
× the detour factor at the constant speed of ``commun.methode``, stated on the page. Island rule (``commun.geometrie``): a commune
without a road link to the mainland (L'Île-d'Yeu) only reaches the sites of its own island.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from atlas.db import cache_par_base, query
from atlas.url import entier_borne, reel_borne

SEUILS = {"tercile": "Tiers le plus exposé", "quartile": "Quart le plus exposé", "valeur": "Valeur choisie"}
#: Share of communes on the exposed side of the need threshold, exact (see :func:`seuil_besoin`).
PARTS = {"tercile": Fraction(1, 3), "quartile": Fraction(1, 4)}
# Every category is visible on white (a projector washes pale fills out) and differs from every
# other one (tests/test_legend_colours.py); the unknown need has a hue of its own, not a grey.
CATEGORIES = {
    "zone_blanche": ("Besoin élevé, aucun service ne l'atteint (zone blanche)", "#bd0026"),
    "besoin_couvert": ("Besoin élevé, couvert", "#fd8d3c"),
    "non_couvert": ("Besoin modéré, non couvert", "#969696"),
    "couvert": ("Besoin modéré, couvert", "#cccccc"),
    "inconnu": ("Besoin inconnu (secret ou donnée manquante)", "#bcbddc"),
}

# Ranges of the page's widgets: a number read from the address is clamped to them
MOIS = (0, 36)
MINUTES = (5, 60)
BORNE_VALEUR = 1e9


@dataclass
class Regles:
    """The committee's choices; they live in the URL."""

    indicateur: str = "taux_pauvrete"
    seuil: str = "tercile"  # tercile | quartile | valeur
    valeur: float | None = None  # with seuil == "valeur"
    mois: int = 12  # outreach contact within N months (0 = outreach not counted)
    minutes: int = 20  # a service within T minutes
    couches: tuple[str, ...] = ("france_services",)
    estimations: bool = True  # the atlas's estimates of secret values count as needs (switch off: unknown)

    def vers_params(self) -> dict[str, str]:
        out = {k: str(v) for k, v in asdict(self).items() if v is not None and k not in ("couches", "estimations")}
        out["couches"] = ",".join(self.couches)
        if not self.estimations:
            out["estimations"] = "0"  # on by default: only the switch turned off is written
        return out

    def resume(self, ind: dict, seuil_valeur: float | None) -> str:
        """The rules in one French line (subtitle of the exported map)."""
        from atlas.formatting import format_nombre

        couches = ", ".join("France services" if c == "france_services" else c for c in self.couches)
        contact = f"aucun contact d'aller vers depuis {self.mois} mois ; " if self.mois else ""
        return (
            f"Besoin élevé : {ind['libelle']} {'≥' if ind['sens'] == '+' else '≤'} "
            f"{format_nombre(seuil_valeur, 1, ind['unite'])} ({SEUILS[self.seuil].lower()}) ; {contact}"
            f"aucun service ({couches or 'aucune couche'}) à moins de {self.minutes} min"
        )

    @classmethod
    def depuis_params(cls, params, indicateurs: list[str], couches: list[str]) -> Regles:
        """Rules from URL parameters; anything invalid falls back to the default."""
        defaut = cls()

        def entier(cle, bas, haut, valeur_defaut, pas=1):
            return entier_borne(params.get(cle), bas, haut, valeur_defaut, pas)

        indicateur = params.get("indicateur", defaut.indicateur)
        if indicateur not in indicateurs:
            indicateur = defaut.indicateur if defaut.indicateur in indicateurs else indicateurs[0]
        seuil = params.get("seuil", defaut.seuil)
        seuil = seuil if seuil in SEUILS else defaut.seuil
        valeur = reel_borne(params.get("valeur"), -BORNE_VALEUR, BORNE_VALEUR, None)
        demandees = tuple(c for c in str(params.get("couches", "france_services")).split(",") if c in couches)
        return cls(
            indicateur,
            seuil,
            valeur,
            entier("mois", *MOIS, 12),
            entier("minutes", *MINUTES, 20, pas=5),
            demandees,
            params.get("estimations") != "0",
        )


def seuil_besoin(valeurs: pd.Series, sens: str, regles: Regles) -> float | None:
    """The need threshold: the tercile / quartile boundary on the exposed side, or the chosen value.

    The boundary is the linear-interpolation quantile (pandas' default), with its position among
    the sorted values computed exactly: in floating point ``(n - 1) * (1 - 1/3)`` lands just past
    a whole rank (196.00000000000003 for the 295 published commune poverty rates), which put the
    boundary at 10.000000000000028 instead of 10.0 and left every commune at 10.0 % out of the
    top tercile.
    """
    connues = valeurs.dropna()
    if regles.seuil == "valeur":
        return regles.valeur
    if connues.empty:
        return None
    part = PARTS[regles.seuil]
    triees = np.sort(connues.to_numpy(dtype=float))
    position = (1 - part if sens == "+" else part) * (len(triees) - 1)
    rang = int(position)  # floor: the position is a non-negative Fraction
    reste = position - rang
    if reste == 0:
        return float(triees[rang])
    return float(triees[rang] + (triees[rang + 1] - triees[rang]) * float(reste))


def classer(frame: pd.DataFrame, sens: str, regles: Regles, date_reference: dt.date) -> pd.Series:
    """Category of each commune (keys of :data:`CATEGORIES`).

    Parameters
    ----------
    frame : DataFrame
        One row per commune with ``besoin`` (the need indicator, NaN when secret / missing),
        ``dernier_contact`` (date of the latest outreach contact, NaT when none) and
        ``minutes_service`` (minutes to the nearest service of the chosen layers, NaN when none).
    sens : {"+", "-"}
        Direction of the need indicator (``+``: higher is worse).
    regles : Regles
        The committee's rules.
    date_reference : date
        "Now" for the outreach window (the latest visit date of the data by default).
    """
    seuil = seuil_besoin(frame["besoin"], sens, regles)
    if seuil is None:
        eleve = pd.Series(False, index=frame.index)
    else:
        eleve = frame["besoin"] >= seuil if sens == "+" else frame["besoin"] <= seuil
    par_service = frame["minutes_service"] <= regles.minutes
    if regles.mois > 0:
        debut = pd.Timestamp(date_reference) - pd.DateOffset(months=regles.mois)
        par_aller_vers = pd.to_datetime(frame["dernier_contact"]) > debut
    else:
        par_aller_vers = pd.Series(False, index=frame.index)
    couvert = par_service.fillna(False) | par_aller_vers.fillna(False)
    out = pd.Series("couvert", index=frame.index, dtype=object)
    out[~couvert] = "non_couvert"
    out[eleve & couvert] = "besoin_couvert"
    out[eleve & ~couvert] = "zone_blanche"
    out[frame["besoin"].isna()] = "inconnu"
    return out


def plus_proches(data: pd.DataFrame, sens: str) -> dict[str, pd.DataFrame]:
    """The communes that came closest to being zones blanches, one per condition they miss.

    Parameters
    ----------
    data : DataFrame
        Classified communes: :func:`donnees` with ``categorie`` (:func:`classer`).
    sens : {"+", "-"}
        Direction of the need indicator.

    Returns
    -------
    dict of DataFrame
        ``non_couvertes``: the communes no service nor contact covers (their need is under the
        threshold), the most exposed need first; ``besoin_eleve``: the high-need communes (all
        covered), the farthest from a service first (no reachable service counts as farthest).
    """
    non_couvertes = data[data["categorie"] == "non_couvert"].sort_values(
        ["besoin", "minutes_service"], ascending=[sens == "-", False], na_position="first"
    )
    besoin_eleve = data[data["categorie"] == "besoin_couvert"]
    loin = besoin_eleve["minutes_service"].fillna(np.inf)
    besoin_eleve = besoin_eleve.assign(_loin=loin).sort_values("_loin", ascending=False).drop(columns="_loin")
    return {"non_couvertes": non_couvertes, "besoin_eleve": besoin_eleve}


def regles_voisines(data: pd.DataFrame, sens: str, regles: Regles, date_reference: dt.date) -> list[dict]:
    """The zones blanches one rule change away from ``regles``, each rule changed alone.

    A map without a single zone blanche leaves a committee with nothing to decide; the next
    question is how far the rules are from finding some. Each neighbour changes one rule towards
    more zones blanches, to the nearest value the page offers: the need threshold down to the
    need of the most exposed uncovered commune (it becomes one), the time one step of the slider
    shorter, the outreach window halved (and not counted when it is one month).

    Parameters
    ----------
    data : DataFrame
        The communes of :func:`donnees` for these rules (``besoin``, ``minutes_service``,
        ``dernier_contact``), classified or not.
    sens : {"+", "-"}
        Direction of the need indicator.
    regles : Regles
        The committee's rules.
    date_reference : date
        "Now" for the outreach window (as in :func:`classer`).

    Returns
    -------
    list of dict
        ``regle`` (the changed :class:`Regles`), ``champ`` (``valeur``, ``minutes`` or ``mois``)
        and ``blanches`` (its zones blanches, the highest need first), in that order of fields.
    """
    from dataclasses import replace

    classees = data.assign(categorie=classer(data, sens, regles, date_reference))
    voisines = []
    non_couvertes = plus_proches(classees, sens)["non_couvertes"]["besoin"].dropna()
    if len(non_couvertes):
        voisines.append(("valeur", replace(regles, seuil="valeur", valeur=float(non_couvertes.iloc[0]))))
    if regles.minutes - 5 >= MINUTES[0]:
        voisines.append(("minutes", replace(regles, minutes=regles.minutes - 5)))
    if regles.mois > 0:
        voisines.append(("mois", replace(regles, mois=regles.mois // 2)))
    out = []
    for champ, voisine in voisines:
        categorie = classer(data, sens, voisine, date_reference)
        blanches = data[categorie == "zone_blanche"].sort_values("besoin", ascending=sens == "-")
        out.append({"regle": voisine, "champ": champ, "blanches": blanches})
    return out


def sans_estimations(regles: Regles, sens: str, date_reference: dt.date) -> dict | None:
    """The outcome of the same rules with the published needs only (the estimates switched off).

    The estimates of secret values move the tercile: the published communes alone are not the
    region's distribution. Saying what the switch changes tells a committee why a map differs
    from one drawn without them.

    Returns
    -------
    dict or None
        ``seuil`` (the need threshold), ``publiees`` (communes with a published need) and
        ``blanches`` (the zones blanches, highest need first); None when the estimates are
        already off or the indicator has none.
    """
    if not regles.estimations:
        return None
    frame = donnees(regles.indicateur, regles.couches, estimations=False)
    if not (_donnees(regles.indicateur, tuple(sorted(regles.couches)))["statut_besoin"] == "estime").any():
        return None
    frame = frame.assign(categorie=classer(frame, sens, regles, date_reference))
    blanches = frame[frame["categorie"] == "zone_blanche"].sort_values("besoin", ascending=sens == "-")
    return {
        "seuil": seuil_besoin(frame["besoin"], sens, regles),
        "publiees": int(frame["besoin"].notna().sum()),
        "blanches": blanches,
    }


@cache_par_base
def _donnees(indicateur: str, couches: tuple[str, ...]) -> pd.DataFrame:
    # one definition of the travel-time estimate and of the island rule
    from commun.geometrie import island_of_sites, minutes_from_km

    communes = query(
        """
        with besoin as (
            select v.code, v.valeur, v.statut, e.bas, e.haut
            from valeurs as v
            left join estimations as e using (indicateur, niveau, code, millesime)
            where v.indicateur = ? and v.niveau = 'commune'
              and v.millesime = (select max(millesime) from valeurs where indicateur = ? and niveau = 'commune')
        ),
        fs as (
            select code, valeur from valeurs where indicateur = 'fs_temps_min' and niveau = 'commune'
        ),
        contacts as (
            -- the month only: a day would date one household's visit (periods of visit data are whole months)
            select code_commune as code, date_trunc('month', max(date_contact))::date as dernier_contact
            from visites group by 1
        )
        select t.code, t.nom, t.population, t.longitude, t.latitude,
               b.valeur as besoin, coalesce(b.statut, 'absent') as statut_besoin, b.bas as besoin_bas,
               b.haut as besoin_haut, fs.valeur as minutes_fs, c.dernier_contact, i.ile
        from territoires as t
        left join besoin as b on b.code = t.code
        left join fs on fs.code = t.code
        left join contacts as c on c.code = t.code
        left join communes_insulaires as i on i.code_commune = t.code
        where t.niveau = 'commune'
        order by t.code
        """,
        [indicateur, indicateur],
    )
    minutes = pd.Series(np.nan, index=communes.index)
    if "france_services" in couches:
        minutes = communes["minutes_fs"]
    autres = [c for c in couches if c != "france_services"]
    if autres:
        sites = query("select code_commune, longitude, latitude from services where list_contains(?, couche)", [autres])
        if len(sites):
            sites["ile"] = island_of_sites(sites, _iles())
            km = km_meme_terre(communes, sites).min(axis=1)
            autres_minutes = pd.Series(np.where(np.isfinite(km), minutes_from_km(km), np.nan), index=communes.index)
            minutes = pd.concat([minutes, autres_minutes], axis=1).min(axis=1)
    return communes.assign(minutes_service=minutes)


def _iles() -> pd.DataFrame:
    return query(
        """
        select i.code_commune, i.ile, t.geom from communes_insulaires as i
        join territoires as t on t.niveau = 'commune' and t.code = i.code_commune
        """
    )


def km_meme_terre(communes: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """Crow-fly km from each commune (rows) to each site (columns), infinite across the sea.

    Parameters
    ----------
    communes, sites : DataFrame
        ``longitude``, ``latitude`` (the commune's reference point) and ``ile`` (its island,
        None on the mainland; :func:`commun.geometrie.island_of_sites` for the sites).
    """
    from commun.geometrie import haversine_km

    # island rule: a commune only reaches the sites of its own land mass
    terres = pd.factorize(pd.concat([communes["ile"], sites["ile"]], ignore_index=True).fillna(""))[0]
    meme_terre = terres[: len(communes), None] == terres[None, len(communes) :]
    km = haversine_km(
        communes["longitude"].to_numpy()[:, None],
        communes["latitude"].to_numpy()[:, None],
        sites["longitude"].to_numpy()[None, :],
        sites["latitude"].to_numpy()[None, :],
    )
    return np.where(meme_terre, km, np.inf)


def donnees(indicateur: str, couches: tuple[str, ...], estimations: bool = True) -> pd.DataFrame:
    """Per commune: need value, minutes to the nearest service of the layers, latest contact.

    ``statut_besoin`` says whether the need is published (``ok``) or the atlas's estimate of a
    value INSEE keeps secret (``estime``, interval ``besoin_bas`` / ``besoin_haut``); with
    ``estimations=False`` an estimate is left out (NaN: the need is unknown, as INSEE publishes it).

    ``dernier_contact`` is the first day of the month of the latest contact (the day is not
    shown: it would date one household's visit). ``ile`` names the island of a commune without a road link to the mainland (None otherwise);
    ``minutes_service`` is NaN when no site of the layers is reachable by road (an island without
    a site of the layers): such a commune is not covered by a service.
    """
    frame = _donnees(indicateur, tuple(sorted(couches)))
    if not estimations:
        estime = frame["statut_besoin"] == "estime"
        frame = frame.assign(
            besoin=frame["besoin"].mask(estime),
            statut_besoin=frame["statut_besoin"].mask(estime, "secret"),
            besoin_bas=frame["besoin_bas"].mask(estime),
            besoin_haut=frame["besoin_haut"].mask(estime),
        )
    return frame


@cache_par_base
def contexte() -> dict:
    """Service layers with their site counts, and the last day of the month of the latest visit."""
    couches = query("select couche, count(*) as n from services group by 1 order by 1")
    # the end of the month of the latest visit: its day would date one household's visit
    visites = query("select last_day(max(date_contact)) as fin, bool_or(demonstration) as demo from visites")
    return {
        "couches": dict(zip(couches["couche"], couches["n"], strict=True)),
        "derniere_visite": visites["fin"].iloc[0],
        "visites_demo": bool(visites["demo"].iloc[0]) if pd.notna(visites["demo"].iloc[0]) else False,
    }


def sites_de_la_carte(sites: pd.DataFrame, communes: pd.DataFrame, minutes: int) -> pd.DataFrame:
    """The sites the map draws: those of the region's communes, and those that reach one of them in time.

    A site across the border counts for a commune within ``minutes`` of it (the travel-time rule
    of :func:`classer`); the others, further out, cover nothing of the region and only crowded
    the map's margins.

    Parameters
    ----------
    sites : DataFrame
        ``dans_region`` (the site's commune is one of the region), ``longitude``, ``latitude``
        and ``ile`` (:func:`commun.geometrie.island_of_sites`).
    communes : DataFrame
        The region's communes: ``longitude``, ``latitude`` (reference point) and ``ile``.
    minutes : int
        The committee's travel time.
    """
    from commun.geometrie import minutes_from_km

    dehors = ~sites["dans_region"].to_numpy(dtype=bool)
    atteint = np.zeros(len(sites), dtype=bool)
    if dehors.any() and len(communes):
        proche = minutes_from_km(km_meme_terre(communes, sites[dehors]).min(axis=0))
        # the build stores the commune's travel time to 3 decimals: the same rounding at the threshold
        atteint[dehors] = np.round(proche, 3) <= minutes
    return sites[~dehors | atteint].reset_index(drop=True)


@cache_par_base
def _sites(couches: tuple[str, ...], minutes: int) -> pd.DataFrame:
    from commun.geometrie import island_of_sites

    sites = query(
        """
        select s.couche, s.nom, s.type, s.longitude, s.latitude, s.code_commune,
               s.code_commune in (select code from territoires where niveau = 'commune')
               or s.code_commune in (
                   select p.code_ancien from passage_communes as p
                   join territoires as t on t.niveau = 'commune' and t.code = p.code_actuel
               ) as dans_region,
               coalesce(c.nom, (
                   select any_value(t.nom) from passage_communes as p
                   join territoires as t on t.niveau = 'commune' and t.code = p.code_actuel
                   where p.code_ancien = s.code_commune
               )) as commune
        from services as s
        left join territoires as c on c.niveau = 'commune' and c.code = s.code_commune
        where list_contains(?, s.couche)
        order by s.couche, s.nom, s.longitude, s.latitude
        """,
        [list(couches)],
    )
    communes = query(
        """
        select t.longitude, t.latitude, i.ile from territoires as t
        left join communes_insulaires as i on i.code_commune = t.code
        where t.niveau = 'commune'
        """
    )
    sites["dans_region"] = sites["dans_region"].fillna(False).astype(bool)
    sites["ile"] = island_of_sites(sites, _iles())
    return sites_de_la_carte(sites, communes, minutes)[
        ["couche", "nom", "type", "longitude", "latitude", "code_commune", "commune"]
    ]


def sites(couches: tuple[str, ...], minutes: int) -> pd.DataFrame:
    """Service sites of the layers the map draws: :func:`sites_de_la_carte` of the region."""
    return _sites(tuple(sorted(couches)), minutes)


def nature_besoin(frame: pd.DataFrame, unite: str) -> list[str]:
    """« publié », or « estimation de l'atlas (7,5 à 12,0 %) » for a need the atlas estimated."""
    from atlas.formatting import format_nombre

    return [
        f"estimation de l'atlas ({format_nombre(lo, 1)} à {format_nombre(hi, 1, unite)})" if s == "estime" else "publié"
        for s, lo, hi in zip(frame["statut_besoin"], frame["besoin_bas"], frame["besoin_haut"], strict=True)
    ]
