"""Benchmark of the exports drawn by Chromium: PNG images, the fiche PDF, the PPTX deck.

Run ``python -m benchmarks.exports`` (a minute or two; needs Chromium and a built database).
Each export runs in a fresh process (median of 3 runs) next to a baseline measured in the same
run: drawing an empty plotly figure, i.e. starting Chromium and kaleido for nothing. The ratio
says what the export itself costs beyond that fixed start. Peak memory: the Python process
(``RUSAGE_SELF``) and the largest Chromium process it started (``RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PREAMBULE = """
import warnings
warnings.filterwarnings("ignore")
import logging
logging.disable(logging.WARNING)
"""

CAS = {
    "référence : figure vide (démarrage de Chromium)": """
import plotly.graph_objects as go
from atlas import images
sortie = images.pngs([go.Figure()])[0]
""",
    "PNG : carte des communes (explorateur)": """
from atlas import images, indicateurs, queries
from atlas.classification import classer
from atlas.explorer import preparer
from atlas.maps import carte_classes
ind = indicateurs.indicateur("taux_pauvrete")
data = preparer(indicateurs.valeurs("taux_pauvrete", "commune", "2021"), ind, "communes")
fig = carte_classes(data, queries.geojson("commune"), classer(data["valeur"], "quantiles", 5, ind["unite"], ind["sens"]),
                    emprise=queries.emprise_region(), survol=["nom"], fond="aucun", titre_legende="Taux de pauvreté (%)")
sortie = images.png(fig, titre="Taux de pauvreté", source="Insee, Filosofi 2021")
""",
    "PNG : graphique en barres": """
import plotly.graph_objects as go
from atlas import images
fig = go.Figure(go.Bar(x=["RSA", "Prime d'activité", "CSS", "Aides au logement"], y=[12, 30, 7, 18]))
sortie = images.png(fig, titre="Droits ouverts", source="Visites d'aller-vers")
""",
    "PDF : fiche territoire d'Angers": """
from atlas import fiche_pdf
sortie = fiche_pdf.pdf_fiche("commune", "49007")
""",
    "PPTX : carte + profil d'Angers (7 diapositives)": """
from atlas import diaporama, diaporama_pptx, fiche, fiche_tableaux, indicateurs, queries
from atlas.classification import classer
from atlas.explorer import preparer
from atlas.maps import carte_classes
ind = indicateurs.indicateur("taux_pauvrete")
data = preparer(indicateurs.valeurs("taux_pauvrete", "commune", "2021"), ind, "communes")
fig = carte_classes(data, queries.geojson("commune"), classer(data["valeur"], "quantiles", 5, ind["unite"], ind["sens"]),
                    emprise=queries.emprise_region(), survol=["nom"], fond="aucun", titre_legende="Taux de pauvreté (%)")
profil = fiche.profil("commune", "49007")
vues = [diaporama.Vue.de_figure(fig, titre="Taux de pauvreté", source="Insee, Filosofi 2021"),
        diaporama.Vue(titre="Angers", source=fiche.sources_du_bloc(profil), tableau=fiche_tableaux.profil_pour_diaporama(profil, "commune"))]
sortie = diaporama_pptx.construire_pptx(vues, titre="Atlas du non-recours")
""",
}

ENVELOPPE = """
import resource, sys, time
exec(compile(PREAMBULE, "<preambule>", "exec"))
t0 = time.perf_counter()
exec(compile(CODE, "<bench>", "exec"))
dt = time.perf_counter() - t0
moi = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
enfants = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{dt} {moi} {enfants} {len(sortie)}")
"""


def mesurer(code: str) -> tuple[float, float, float, int]:
    """Seconds, peak RSS of Python and of its largest child (MB), output size (bytes)."""
    programme = f"PREAMBULE = {PREAMBULE!r}\nCODE = {textwrap.dedent(code)!r}\n" + ENVELOPPE
    sortie = subprocess.run(
        [sys.executable, "-c", programme], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
    )  # fmt: skip
    secondes, moi, enfants, taille = sortie.stdout.strip().splitlines()[-1].split()
    return float(secondes), float(moi), float(enfants), int(taille)


def main() -> None:
    from atlas import images

    if images.chromium() is None:
        sys.exit(images.MESSAGE_SANS_CHROMIUM)
    lignes = []
    for nom, code in CAS.items():
        mesures = [mesurer(code) for _ in range(3)]
        lignes.append(
            (
                nom,
                statistics.median(m[0] for m in mesures),
                max(m[1] for m in mesures),
                max(m[2] for m in mesures),
                mesures[-1][3],
            )
        )
    reference = lignes[0][1]
    print(f"{'export':50} {'temps (s)':>10} {'ratio':>7} {'Python (Mo)':>12} {'Chromium (Mo)':>14} {'taille (Ko)':>12}")
    for nom, secondes, moi, enfants, taille in lignes:
        print(
            f"{nom:50} {secondes:10.2f} {secondes / reference:7.2f} {moi:12.0f} {enfants:14.0f} {taille / 1024:12.0f}"
        )


if __name__ == "__main__":
    main()
