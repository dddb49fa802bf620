"""Load benchmark: N sessions at once, in a meeting or without pause, optionally during a rebuild.

Run ``python -m benchmarks.charge [--scenario reunion|saturation|les-deux] [--sessions 20] [--duree 120]
[--reconstruction] [--protocole]``. On loopback only: it builds a fresh database, starts
``streamlit run dashboard.py`` on a free 127.0.0.1 port, then

1. one session alone opens every page twice (the second round is measured): the single-session
   figure, median page-ready time;
2. ``--sessions`` sessions (browser contexts spread over ``--navigateurs`` headless Chromium
   processes, or with ``--protocole`` websocket clients without a browser) until ``--duree``
   seconds have passed, in one of two scenarios (``les-deux`` runs the meeting, then the
   saturation, on the same server):

   - ``reunion``, the issue's steering committee: every session opens the home page within the
     same second (each at a seeded random instant of that second), then reads each page for a
     pause drawn uniformly between :data:`PAUSE_REUNION` seconds before opening another page
     (drawn among the others, seeded by ``--graine``). Five seconds is the least a reader takes
     to find the map, its legend and the figure under discussion; twenty, reading a map's
     caption and the key figures while the presenter comments them, before moving on. The
     burst at the start is reported apart: the time until all the first pages are ready, and
     their own p50 / max;
   - ``saturation``: each session cycles the pages back to back without any pause, from
     different starting pages. No room clicks like that: on 2 cores it measures the server's
     throughput (pages per second), and by queueing alone p90 is many times one session's.

   With ``--reconstruction``, ``python -m etl build`` rebuilds the same database file a third of
   the way through each scenario (the readers must survive the swap).

It prints p50 / p90 / max of the page-ready times (in a browser: navigation until the page is
idle with every chart drawn, :data:`benchmarks.navigateur.PRETE_JS`; with ``--protocole``: until
the server has sent the whole page), the errors (a page not ready within ``--delai`` seconds, a
Streamlit exception on the page, a JavaScript error), and p90 divided by the single-session
figure. The browsers and the server share the machine: on 2 cores the browsers' software WebGL
takes most of the CPU, so the browser figure measures the whole machine, not the server alone;
``--protocole`` isolates the server. The load average at the start and end is printed with the
results: on a shared machine, compare runs made at a similar load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
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


#: Reading time of a page in the meeting scenario, seconds (uniform; see the module docstring).
PAUSE_REUNION = (5.0, 20.0)


async def visiteur(
    ouvrir_page, k: int, scenario: str, t0: float, fin: float, hasard: random.Random | None, r: dict
) -> None:
    """One visitor until ``fin``: ``ouvrir_page(chemin)`` gives (seconds, error) for each page.

    ``saturation``: the pages back to back from page ``k``. ``reunion``: the home page at a
    random instant of the first second (its end time kept in ``r["premieres"]``), then another
    page after each reading pause.
    """

    async def une_page(i: int) -> float | None:
        nom, chemin = PAGES[i]
        secondes, erreur = await ouvrir_page(chemin)
        if erreur:
            r["erreurs"].append((nom, erreur))
        return secondes

    if scenario == "saturation":
        i = k
        while time.monotonic() < fin:
            if (secondes := await une_page(i % len(PAGES))) is not None:
                r["mesures"].append((PAGES[i % len(PAGES)][0], secondes))
            i += 1
        return
    await asyncio.sleep(hasard.random())
    secondes = await une_page(0)
    r["premieres"].append((time.monotonic() - t0, secondes))
    i = 0
    while True:
        pause = hasard.uniform(*PAUSE_REUNION)
        if time.monotonic() + pause >= fin:  # the meeting ends while this page is read
            await asyncio.sleep(max(0.0, fin - time.monotonic()))
            return
        await asyncio.sleep(pause)
        i = hasard.choice([j for j in range(len(PAGES)) if j != i])
        if (secondes := await une_page(i)) is not None:
            r["mesures"].append((PAGES[i][0], secondes))


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


async def phase(args, scenario: str, ouvrir_pour, db: Path, cpu_clients) -> dict:
    """One scenario with ``args.sessions`` visitors; ``ouvrir_pour(k)`` gives visitor k's opener.

    ``ouvrir_pour`` is an async context manager factory: a browser context, or nothing over the
    websocket. ``cpu_clients()`` gives the clients' CPU seconds so far.
    """
    r: dict = {"scenario": scenario, "mesures": [], "erreurs": [], "premieres": [], "reconstruction": {}}
    hasard = random.Random(args.graine)
    # one generator per visitor, drawn from the run's seed: the same pauses and pages at every run
    graines = [hasard.randrange(2**32) for _ in range(args.sessions)]

    async def un_visiteur(k: int) -> None:
        async with ouvrir_pour(k) as ouvrir_page:
            await visiteur(ouvrir_page, k, scenario, t0, fin, random.Random(graines[k]), r)

    r["charge"] = os.getloadavg()[0]
    cpu_serveur, cpu_client = cpu_secondes(args.serveur_pid), cpu_clients()
    t0 = time.monotonic()
    fin = t0 + args.duree
    reconstruction = (
        asyncio.ensure_future(reconstruire(db, args.duree / 3, r["reconstruction"])) if args.reconstruction else None
    )
    await asyncio.gather(*(un_visiteur(k) for k in range(args.sessions)))
    # the visitors' time, not the rebuild's (on a loaded machine it may end after them)
    r.update(
        duree=time.monotonic() - t0,
        charge_fin=os.getloadavg()[0],
        cpu_serveur=cpu_secondes(args.serveur_pid) - cpu_serveur,
        cpu_clients=cpu_clients() - cpu_client,
    )
    if reconstruction is not None:
        await reconstruction
    return r


def scenarios(args) -> list[str]:
    return ["reunion", "saturation"] if args.scenario == "les-deux" else [args.scenario]


async def mesurer_protocole(args, serveur: Serveur, db: Path) -> tuple[list[float], list[dict]]:
    """As :func:`mesurer`, with websocket sessions instead of browsers (``--protocole``)."""
    import websockets

    seul: list[float] = []
    # A visitor's tab keeps its session while they change pages; a server left without any
    # session empties its cache of compiled scripts (Streamlit 1.67), and each page would then pay
    # for compiling dashboard.py and the page again: one idle session stays open meanwhile.
    async with websockets.connect(
        serveur.url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=serveur.url
    ):
        for tour in range(2):
            for nom, chemin in PAGES:
                secondes, erreur = await page_protocole(serveur.url, chemin, args.delai)
                if erreur:
                    raise RuntimeError(f"{nom} : {erreur}")
                if tour:
                    seul.append(secondes)

    @contextlib.asynccontextmanager
    async def ouvrir_pour(k: int):
        async def ouvrir_page(chemin: str):
            return await page_protocole(serveur.url, chemin, args.delai)

        yield ouvrir_page

    phases = [await phase(args, s, ouvrir_pour, db, time.process_time) for s in scenarios(args)]
    return seul, phases


async def mesurer(args, serveur: Serveur, db: Path) -> tuple[list[float], list[dict]]:
    """The single-session figure, then each scenario: ``(seul, [phase, ...])``."""
    args.serveur_pid = serveur.process.pid
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

        # 2. N sessions at once, each a browser context
        @contextlib.asynccontextmanager
        async def ouvrir_pour(k: int):
            context = await nouveau_contexte(navigateurs[k % len(navigateurs)])
            try:

                async def ouvrir_page(chemin: str):
                    return await ouvrir(context, f"{serveur.url}/{chemin}", args.delai)

                yield ouvrir_page
            finally:
                await context.close()

        def cpu_navigateurs() -> float:
            # the browsers' processes (the rebuild, reaped by this process, is not counted)
            return cpu_secondes(os.getpid(), exclure=frozenset({serveur.process.pid}), racine=False)

        phases = [await phase(args, s, ouvrir_pour, db, cpu_navigateurs) for s in scenarios(args)]
        for b in navigateurs:
            await b.close()
    return seul, phases


def quantile(valeurs: list[float], q: float) -> float:
    valeurs = sorted(valeurs)
    return valeurs[min(len(valeurs) - 1, int(q * len(valeurs)))]


def fr(texte: str) -> str:
    """Decimal commas in a printed line."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", texte)


TITRES = {
    "reunion": "Scénario réunion : toutes les sessions ouvrent l'accueil dans la même seconde, puis lisent chaque page "
    "{pause} s (tirage uniforme) avant d'en ouvrir une autre",
    "saturation": "Scénario saturation : chaque session enchaîne les pages sans pause (débit du serveur, pas une "
    "réunion)",
}


def imprimer(args, seul: float, r: dict) -> None:
    """One scenario's table."""
    temps = [s for _, s in r["mesures"]]
    pause = f"{PAUSE_REUNION[0]:g} à {PAUSE_REUNION[1]:g}"
    print("\n## " + TITRES[r["scenario"]].format(pause=pause) + "\n")
    print(
        f"{args.sessions} sessions pendant {r['duree']:.0f} s sur {os.cpu_count()} cœurs "
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
    print(fr(f"| une session seule : page prête, médiane des {len(PAGES)} pages | {seul:.2f} s |"))
    if r["scenario"] == "reunion":
        premieres = [s for _, s in r["premieres"] if s is not None]
        if r["premieres"]:
            print(
                fr(
                    f"| rafale du début : {len(premieres)} premières pages prêtes sur {args.sessions}, "
                    f"toutes en | {max(t for t, _ in r['premieres']):.2f} s |"
                )
            )
        if premieres:
            print(
                fr(
                    f"| rafale du début : p50 / max d'une première page | {quantile(premieres, 0.5):.2f} s / "
                    f"{max(premieres):.2f} s |"
                )
            )
    print(f"| pages ouvertes sous charge{' après la rafale' if r['scenario'] == 'reunion' else ''} | {len(temps)} |")
    if r["scenario"] == "saturation":
        print(fr(f"| débit du serveur | {len(temps) / r['duree']:.1f} pages/s |"))
    if temps:
        envoyees = len(temps) + len(r["premieres"])
        print(fr(f"| temps CPU du serveur par page ouverte | {r['cpu_serveur'] / envoyees:.3f} s |"))
    if temps:
        p90 = quantile(temps, 0.9)
        for nom, v in (("p50", quantile(temps, 0.5)), ("p90", p90), ("max", max(temps))):
            print(fr(f"| {nom} page prête sous charge | {v:.2f} s |"))
        print(fr(f"| ratio p90 / une session seule | {p90 / seul:.2f} |"))
    print(f"| erreurs | {len(r['erreurs'])} |")
    print(
        f"| temps CPU pendant la charge : serveur Streamlit / {'clients' if args.protocole else 'navigateurs'} | "
        f"{r['cpu_serveur']:.0f} s / "
        f"{r['cpu_clients']:.0f} s (sur {r['duree'] * (os.cpu_count() or 1):.0f} s·cœur disponibles) |"
    )
    if r["reconstruction"]:
        rec = r["reconstruction"]
        etat = "réussie" if rec["code"] == 0 else f"échec (code {rec['code']}) : {rec['fin']}"
        print(fr(f"| reconstruction de la base pendant la charge | {rec['duree']:.1f} s, {etat} |"))
    par_page: dict[str, list[float]] = {}
    for nom, s in r["mesures"]:
        par_page.setdefault(nom, []).append(s)
    print("\n| page | pages ouvertes | p50 | p90 |")
    print("|---|---:|---:|---:|")
    for nom, _ in PAGES:
        v = par_page.get(nom, [])
        if v:
            print(fr(f"| {nom} | {len(v)} | {quantile(v, 0.5):.2f} s | {quantile(v, 0.9):.2f} s |"))
    for nom, erreur in r["erreurs"][:10]:
        print(f"erreur : {nom} : {erreur}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        choices=["saturation", "reunion", "les-deux"],
        default="saturation",
        help="réunion (lecture de chaque page), saturation (pages sans pause) ou les deux à la suite",
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duree", type=float, default=180, help="secondes de charge par scénario (180 par défaut)")
    parser.add_argument("--graine", type=int, default=17, help="graine des instants d'arrivée, pauses et pages")
    parser.add_argument("--navigateurs", type=int, default=2, help="processus Chromium (2 par défaut)")
    parser.add_argument("--delai", type=float, default=120, help="délai d'une page avant de la compter en erreur (s)")
    parser.add_argument("--reconstruction", action="store_true", help="reconstruire la base pendant chaque scénario")
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
        seul, phases = asyncio.run(mesurer(args, serveur, db))
    finally:
        serveur.stop()
    for r in phases:
        imprimer(args, statistics.median(seul), r)


if __name__ == "__main__":
    main()
