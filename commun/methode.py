"""Method constants both sides state: the build computes with them, the app explains them.

One value each, so that a page's caption and the ETL's figure cannot disagree.
"""

from __future__ import annotations

# --- travel time to a service (etl.access computes it, atlas.zones_blanches re-applies it) ---
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
#: Travel time is an **estimate without a routing engine**: the crow-fly distance is lengthened by
#: a detour factor of 1.3 (road network vs straight line) and driven at a constant 60 km/h.
#: ``minutes = km × DETOUR_FACTOR / SPEED_KMH × 60`` (so minutes = km × 1.3 at 60 km/h).
DETOUR_FACTOR = 1.3
SPEED_KMH = 60.0

# --- « non-recours potentiel estimé » (etl.potentiel computes it, atlas.non_recours reads it) ---
#: Benefit code of ``taux_non_recours_national`` → (CNAF count indicator, estimate indicator,
#: estimate per 100 ménages indicator). Codes are written whole, so that a grep for an indicator
#: of the catalogue finds the code that computes it.
DROITS_POTENTIEL = {
    "RSA": ("allocataires_rsa", "nr_potentiel_rsa", "taux_nr_potentiel_rsa"),
    "PA": ("allocataires_prime_activite", "nr_potentiel_prime_activite", "taux_nr_potentiel_prime_activite"),
}
#: The RSA + prime d'activité sum: (estimate indicator, estimate per 100 ménages indicator).
COMBINE_POTENTIEL = ("nr_potentiel_rsa_pa", "taux_nr_potentiel_rsa_pa")

# --- DPE reliability (the ETL does not publish a share on fewer DPE; the page flags it) ---
#: Under this number of DPE a share is not published (``etl.dpe``) and flagged « peu fiable ».
SEUIL_DPE = 20
#: DPE construction periods in chronological order: the ETL's labels (``etl.dpe``, by their index in
#: its packed integers) and the order of the page's bars (``atlas.precarite``).
PERIODES_DPE = ("avant 1948", "1948-1974", "1975-1988", "1989-2005", "2006-2012", "après 2012", "inconnue")
