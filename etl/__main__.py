"""Command line: ``python -m etl build [--region 52] [--db PATH] [--raw-dir PATH]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commun.config import get_settings
from etl import argparse_fr
from etl.errors import EtlError, from_duckdb_io_error, from_os_error


def main(argv: list[str] | None = None) -> int:
    """Run one command of ``python -m etl``; 0 when it succeeded, 1 after a French error on stderr."""
    argparse_fr.install()  # argparse's own errors (a missing file name, an unknown option) in French
    args = _parser().parse_args(argv)
    try:
        _run(args)
    except (EtlError, OSError) as exc:
        # a full disk or a permission: one French sentence, never a traceback; the writers removed
        # their temporaries on the way out (and the next writer removes a killed run's)
        error = from_os_error(exc) if isinstance(exc, OSError) else exc
        print(f"ERREUR : {error}", file=sys.stderr)
        print("La base précédente est restée inchangée.", file=sys.stderr)
        return 1
    except Exception as exc:
        import duckdb

        if not isinstance(exc, duckdb.IOException):  # DuckDB's own write errors (a full disk)
            raise
        print(f"ERREUR : {from_duckdb_io_error(exc)}", file=sys.stderr)
        print("La base précédente est restée inchangée.", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    """The commands, their arguments and their French help (defaults from the settings)."""
    settings = get_settings()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=settings.db_path, help="fichier DuckDB (défaut : %(default)s, env ATLAS_DB)"
    )
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="Chargement des données de l'Atlas du non-recours."
    )
    commands = parser.add_subparsers(dest="commande", required=True)
    build = commands.add_parser("build", parents=[common], help="reconstruit toute la base depuis data/raw/")
    build.add_argument(
        "--region", default=settings.region, help="code INSEE de région (défaut : %(default)s, env ATLAS_REGION)"
    )
    build.add_argument(
        "--raw-dir", type=Path, default=settings.raw_dir, help="dossier des données brutes (env ATLAS_RAW_DIR)"
    )
    services = commands.add_parser(
        "import-services", parents=[common], help="importe une couche de services (CSV : nom, type, coordonnées)"
    )
    services.add_argument("fichier", type=Path, help="fichier CSV des points de service")
    services.add_argument("--couche", default=None, help="nom de la couche (défaut : tiré du nom du fichier)")
    visits = commands.add_parser(
        "import-visits", parents=[common], help="importe un fichier de visites (CSV ou XLSX, anonyme)"
    )
    visits.add_argument("fichier", type=Path, help="fichier CSV ou XLSX des visites (format : DESIGN.md)")
    experiments = commands.add_parser(
        "import-experimentations",
        parents=[common],
        help="déclare des expérimentations et leurs objectifs mensuels (CSV)",
    )
    experiments.add_argument("fichier", type=Path, help="fichier CSV (une ligne par mois d'une expérimentation)")
    demo = commands.add_parser("demo-visits", help="écrit un fichier de visites de démonstration (déterministe)")
    demo.add_argument("--rows", type=int, default=None, help="nombre de contacts (défaut : 3600)")
    demo.add_argument("--out", type=Path, default=Path("data/demo/visites_demonstration.csv"), help="fichier écrit")
    dpe = commands.add_parser(
        "import-dpe", parents=[common], help="importe un extrait DPE de l'ADEME (CSV, CSV.gz ou Parquet)"
    )
    dpe.add_argument("fichier", type=Path, help="extrait dpe03existant ou dpe-v2-logements-existants")
    conservation = dpe.add_mutually_exclusive_group()
    conservation.add_argument(
        "--copier",
        action="store_true",
        help="garde une copie indépendante de l'extrait (par défaut : un lien vers le fichier, sans copie)",
    )
    conservation.add_argument(
        "--deplacer",
        action="store_true",
        help="déplace l'extrait dans le dossier de la base (il quitte son dossier d'origine)",
    )
    demo_dpe = commands.add_parser(
        "demo-dpe", parents=[common], help="écrit un extrait DPE de démonstration (format dpe03existant)"
    )
    demo_dpe.add_argument("--rows", type=int, default=100_000, help="nombre de DPE (défaut : %(default)s)")
    demo_dpe.add_argument("--out", type=Path, default=Path("data/demo/dpe_demonstration.csv"), help="fichier écrit")
    demo_dpe.add_argument("--gzip", action="store_true", help="compresser le fichier (gzip)")
    return parser


def _run(args: argparse.Namespace) -> None:
    """Run the parsed command (each one imports its own module: ``--help`` stays fast)."""
    if args.commande == "build":
        from etl.build import build as run_build

        run_build(args.db.resolve(), args.raw_dir.resolve(), args.region)
    elif args.commande == "import-services":
        from etl.services_import import import_services

        report = import_services(args.fichier.resolve(), args.db.resolve(), args.couche)
        print(f"Couche de services importée : {report.progress_line().strip()}")
        if report.rejets:
            print(f"Lignes rejetées (motifs) : {args.fichier}.rejets.csv")
    elif args.commande == "import-visits":
        from etl.visits import import_visits

        import_visits(args.db.resolve(), args.fichier.resolve())
    elif args.commande == "import-experimentations":
        from etl.experimentations import import_experimentations

        import_experimentations(args.db.resolve(), args.fichier.resolve())
    elif args.commande == "demo-visits":
        from etl.demo_visits import DEFAULT_ROWS, write_demo

        path = write_demo(args.out, args.rows or DEFAULT_ROWS)
        print(f"Fichier de visites de démonstration écrit : {path} ({args.rows or DEFAULT_ROWS} contacts)")
    elif args.commande == "import-dpe":
        from etl.dpe import import_dpe

        import_dpe(args.db.resolve(), args.fichier.resolve(), deplacer=args.deplacer, copier=args.copier)
    elif args.commande == "demo-dpe":
        from etl.dpe_demo import communes_from_db, write_demo

        if not args.db.is_file():
            raise EtlError(f"base introuvable : {args.db} (les communes viennent de la base construite)")
        path = write_demo(args.out, args.rows, communes_from_db(args.db), gzip=args.gzip)
        print(f"Extrait DPE de démonstration écrit : {path} ({args.rows} DPE, valeurs inventées)")


if __name__ == "__main__":
    sys.exit(main())
