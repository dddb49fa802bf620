"""Load benchmark: N browser sessions cycling the pages at once, optionally during a rebuild.

Run ``python -m benchmarks.charge [--sessions 20] [--duree 180] [--reconstruction]``. On loopback
only: it builds a fresh database, starts ``streamlit run dashboard.py`` on a free 127.0.0.1 port,
then

1. one session alone opens every page twice (the second round is measured): the single-session
   figure, median page-ready time;
2. ``--sessions`` sessions (browser contexts spread over ``--navigateurs`` headless Chromium
   processes) each cycle the pages, from different starting pages, until ``--duree`` seconds
   have passed; with ``--reconstruction``, ``python -m etl build`` rebuilds the same database
   file a third of the way through (the readers must survive the swap).

It prints p50 / p90 / max of the page-ready times (navigation until the page is idle with every
chart drawn, :data:`benchmarks.navigateur.PRETE_JS`), the errors (a page not ready within
``--delai`` seconds, a Streamlit exception on the page, a JavaScript error), and p90 divided by
the single-session figure. The browsers and the server share the machine: on 2 cores the
browsers' software WebGL takes most of the CPU, so the figure measures the whole machine, not
the server alone; the load average at the start is printed with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.navigateur import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    HAUTEUR,
    LARGEUR,
    PAGES,
    PRETE_JS,
    ROOT,
    Serveur,
    construire_base,
    cpu_secondes,
)

EXCEPTION_JS = "() => document.querySelectorAll('[data-testid=\"stException\"]').length"

# ``--serveur-seul``: the page is ready once the script has finished and every element has come
# (title, no running indicator); the plotly charts' code is not loaded at all, so that the
# browsers draw no map and the measure is the server's (each visitor draws maps on their own
# machine in a real meeting).
PRETE_SERVEUR_JS = r"""
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  return !!document.querySelector('h1');
}
"""
CONDITION = {"js": PRETE_JS}


async def attendre_prete(page, delai: float, stable: float = 0.3) -> float:
    """Wait until the page is ready for ``stable`` seconds; returns the monotonic time it first was."""
    fin = time.monotonic() + delai
    depuis = None
    while time.monotonic() < fin:
        if await page.evaluate(CONDITION["js"], None):
            maintenant = time.monotonic()
            if depuis is None:
                depuis = maintenant
            elif maintenant - depuis >= stable:
                return depuis
        else:
            depuis = None
        await asyncio.sleep(0.1)
    raise TimeoutError(f"page pas prête après {delai:.0f} s")


async def ouvrir(context, url: str, delai: float) -> tuple[float | None, str | None]:
    """Seconds to a ready page in a new tab, or an error message."""
    page = await context.new_page()
    erreurs_js: list[str] = []
    page.on("pageerror", lambda exc: erreurs_js.append(str(exc)))
    try:
        t0 = time.monotonic()
        await page.goto(url, wait_until="commit", timeout=delai * 1000)
        pret = await attendre_prete(page, delai)
        if await page.evaluate(EXCEPTION_JS):
            texte = await page.locator('[data-testid="stException"]').first.inner_text()
            return None, f"exception Streamlit : {texte[:200]}"
        if erreurs_js and CONDITION["js"] is PRETE_JS:
            return None, f"erreur JavaScript : {erreurs_js[0][:200]}"
        return pret - t0, None
    except Exception as exc:  # a timeout or a closed connection is a measured error, not a crash
        return None, f"{type(exc).__name__} : {str(exc)[:200]}"
    finally:
        await page.close()


async def nouveau_contexte(browser):
    """A French browser context at 1400 × 900; with ``--serveur-seul``, without plotly's code."""
    context = await browser.new_context(viewport={"width": LARGEUR, "height": HAUTEUR}, locale="fr-FR")
    if CONDITION["js"] is PRETE_SERVEUR_JS:
        await context.route("**/PlotlyChart*.js", lambda route: route.abort())
    return context


async def session(browser, base_url: str, debut: int, fin: float, delai: float, mesures: list, erreurs: list) -> None:
    """One visitor: a browser context cycling the pages from ``debut`` until ``fin``."""
    context = await nouveau_contexte(browser)
    try:
        i = debut
        while time.monotonic() < fin:
            nom, chemin = PAGES[i % len(PAGES)]
            secondes, erreur = await ouvrir(context, f"{base_url}/{chemin}", delai)
            if erreur:
                erreurs.append((nom, erreur))
            else:
                mesures.append((nom, secondes))
            i += 1
    finally:
        await context.close()


async def reconstruire(db: Path, apres: float, resultat: dict) -> None:
    """``python -m etl build`` on the database being read, ``apres`` seconds into the run."""
    await asyncio.sleep(apres)
    t0 = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "etl", "build", "--db", str(db),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    sortie, _ = await proc.communicate()
    resultat.update(duree=time.monotonic() - t0, code=proc.returncode, fin=sortie.decode()[-300:])


async def page_protocole(url: str, chemin: str, delai: float) -> tuple[float | None, str | None]:
    """Seconds until the server has sent a whole page over Streamlit's websocket, or an error.

    A session of its own, as a browser opens it: connect, ask for the page, read every message
    until ``script_finished``. Nothing is drawn: this is the server's part of a page.
    """
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.monotonic()
    try:
        async with asyncio.timeout(delai):
            async with websockets.connect(
                url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=url, max_size=None
            ) as ws:
                demande = BackMsg()
                demande.rerun_script.page_name = chemin
                demande.rerun_script.query_string = ""
                await ws.send(demande.SerializeToString())
                async for brut in ws:
                    message = ForwardMsg()
                    message.ParseFromString(brut)
                    genre = message.WhichOneof("type")
                    if genre == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                        return None, f"exception Streamlit : {message.delta.new_element.exception.message[:200]}"
                    if genre == "script_finished":
                        return time.monotonic() - t0, None
        return None, "connexion fermée avant la fin du script"
    except Exception as exc:  # a timeout or a closed connection is a measured error, not a crash
        return None, f"{type(exc).__name__} : {str(exc)[:200]}"


async def session_protocole(base_url: str, debut: int, fin: float, delai: float, mesures: list, erreurs: list):
    """One visitor over the websocket: cycling the pages from ``debut`` until ``fin``."""
    i = debut
    while time.monotonic() < fin:
        nom, chemin = PAGES[i % len(PAGES)]
        secondes, erreur = await page_protocole(base_url, chemin, delai)
        if erreur:
            erreurs.append((nom, erreur))
        else:
            mesures.append((nom, secondes))
        i += 1


async def mesurer_protocole(args, serveur: Serveur, db: Path) -> dict:
    """As :func:`mesurer`, with websocket sessions instead of browsers (``--protocole``)."""
    seul: list[float] = []
    for tour in range(2):
        for nom, chemin in PAGES:
            secondes, erreur = await page_protocole(serveur.url, chemin, args.delai)
            if erreur:
                raise RuntimeError(f"{nom} : {erreur}")
            if tour:
                seul.append(secondes)
    charge = os.getloadavg()[0]
    mesures: list = []
    erreurs: list = []
    reconstruction: dict = {}
    fin = time.monotonic() + args.duree
    taches = [session_protocole(serveur.url, k, fin, args.delai, mesures, erreurs) for k in range(args.sessions)]
    if args.reconstruction:
        taches.append(reconstruire(db, args.duree / 3, reconstruction))
    cpu_serveur = cpu_secondes(serveur.process.pid)
    cpu_client = time.process_time()
    t0 = time.monotonic()
    await asyncio.gather(*taches)
    duree = time.monotonic() - t0
    return {
        "seul": seul,
        "mesures": mesures,
        "erreurs": erreurs,
        "reconstruction": reconstruction,
        "charge": charge,
        "charge_fin": os.getloadavg()[0],
        "duree": duree,
        "cpu_serveur": cpu_secondes(serveur.process.pid) - cpu_serveur,
        "cpu_navigateurs": time.process_time() - cpu_client,
    }


async def mesurer(args, serveur: Serveur, db: Path) -> dict:
    if args.protocole:
        return await mesurer_protocole(args, serveur, db)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        navigateurs = [
            await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            for _ in range(args.navigateurs)
        ]
        # 1. one session alone (first round warms the server and the browser cache)
        seul: list[float] = []
        context = await nouveau_contexte(navigateurs[0])
        for tour in range(2):
            for nom, chemin in PAGES:
                secondes, erreur = await ouvrir(context, f"{serveur.url}/{chemin}", args.delai)
                if erreur:
                    raise RuntimeError(f"{nom} : {erreur}")
                if tour:
                    seul.append(secondes)
        await context.close()
        # 2. N sessions at once
        charge = os.getloadavg()[0]
        mesures: list = []
        erreurs: list = []
        reconstruction: dict = {}
        fin = time.monotonic() + args.duree
        taches = [
            session(navigateurs[k % len(navigateurs)], serveur.url, k, fin, args.delai, mesures, erreurs)
            for k in range(args.sessions)
        ]
        if args.reconstruction:
            taches.append(reconstruire(db, args.duree / 3, reconstruction))
        serveur_pid = serveur.process.pid
        cpu_serveur = cpu_secondes(serveur_pid)
        cpu_navigateurs = cpu_secondes(os.getpid(), exclure=frozenset({serveur_pid}), racine=False)
        t0 = time.monotonic()
        await asyncio.gather(*taches)
        duree = time.monotonic() - t0
        charge_fin = os.getloadavg()[0]
        # before the browsers close: their processes' CPU time (the rebuild, reaped, is not in it)
        cpu_serveur = cpu_secondes(serveur_pid) - cpu_serveur
        cpu_navigateurs = cpu_secondes(os.getpid(), exclure=frozenset({serveur_pid}), racine=False) - cpu_navigateurs
        for b in navigateurs:
            await b.close()
    return {
        "seul": seul,
        "mesures": mesures,
        "erreurs": erreurs,
        "reconstruction": reconstruction,
        "charge": charge,
        "charge_fin": charge_fin,
        "duree": duree,
        "cpu_serveur": cpu_serveur,
        "cpu_navigateurs": cpu_navigateurs,
    }


def quantile(valeurs: list[float], q: float) -> float:
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, int(q * len(valeurs)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duree", type=float, default=180, help="secondes de charge (180 par défaut)")
    parser.add_argument("--navigateurs", type=int, default=2, help="processus Chromium (2 par défaut)")
    parser.add_argument("--delai", type=float, default=120, help="délai d'une page avant de la compter en erreur (s)")
    parser.add_argument("--reconstruction", action="store_true", help="reconstruire la base pendant la charge")
    parser.add_argument(
        "--serveur-seul",
        action="store_true",
        help="page prête quand le serveur a tout envoyé, sans dessiner les cartes (code plotly bloqué)",
    )
    parser.add_argument(
        "--protocole",
        action="store_true",
        help="sessions sans navigateur : le protocole websocket de Streamlit, page prête à la fin du script",
    )
    parser.add_argument("--db", type=Path, help="base déjà construite (elle est reconstruite avec --reconstruction)")
    args = parser.parse_args()
    if args.serveur_seul:
        CONDITION["js"] = PRETE_SERVEUR_JS
    db = args.db or construire_base(Path(tempfile.mkdtemp()))
    serveur = Serveur(ROOT / "dashboard.py", db)
    try:
        r = asyncio.run(mesurer(args, serveur, db))
    finally:
        serveur.stop()
    seul = statistics.median(r["seul"])
    temps = [s for _, s in r["mesures"]]
    print(
        f"\n{args.sessions} sessions pendant {r['duree']:.0f} s sur {os.cpu_count()} cœurs "
        + (
            "(clients websocket dans ce processus, le serveur sur la même machine ; "
            if args.protocole
            else f"({args.navigateurs} processus Chromium et le serveur sur la même machine ; "
        )
        + f"charge moyenne sur 1 min au départ : {r['charge']:.1f}, à la fin : {r['charge_fin']:.1f})"
        + (" ; cartes non dessinées (--serveur-seul)" if args.serveur_seul else "")
        + "\n"
    )
    print("| mesure | valeur |")
    print("|---|---:|")
    print(f"| une session seule : page prête, médiane des {len(r['seul'])} pages | {seul:.2f} s |".replace(".", ","))
    print(f"| pages ouvertes sous charge | {len(temps)} |")
    if temps:
        p90 = quantile(temps, 0.9)
        for nom, v in (("p50", quantile(temps, 0.5)), ("p90", p90), ("max", max(temps))):
            print(f"| {nom} page prête sous charge | {v:.2f} s |".replace(".", ","))
        print(f"| ratio p90 / une session seule | {p90 / seul:.2f} |".replace(".", ","))
    print(f"| erreurs | {len(r['erreurs'])} |")
    print(
        f"| temps CPU pendant la charge : serveur Streamlit / {'clients' if args.protocole else 'navigateurs'} | "
        f"{r['cpu_serveur']:.0f} s / "
        f"{r['cpu_navigateurs']:.0f} s (sur {r['duree'] * (os.cpu_count() or 1):.0f} s·cœur disponibles) |"
    )
    if r["reconstruction"]:
        rec = r["reconstruction"]
        etat = "réussie" if rec["code"] == 0 else f"échec (code {rec['code']}) : {rec['fin']}"
        print(f"| reconstruction de la base pendant la charge | {rec['duree']:.1f} s, {etat} |".replace(".", ","))
    par_page: dict[str, list[float]] = {}
    for nom, s in r["mesures"]:
        par_page.setdefault(nom, []).append(s)
    print("\n| page | pages ouvertes | p50 | p90 |")
    print("|---|---:|---:|---:|")
    for nom, _ in PAGES:
        v = par_page.get(nom, [])
        if v:
            print(f"| {nom} | {len(v)} | {quantile(v, 0.5):.2f} s | {quantile(v, 0.9):.2f} s |".replace(".", ","))
    for nom, erreur in r["erreurs"][:10]:
        print(f"erreur : {nom} : {erreur}")


if __name__ == "__main__":
    main()
