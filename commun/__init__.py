"""What the write side (``etl``) and the read side (``atlas``, ``pages``) share, and nothing else.

Configuration (:mod:`commun.config`), method constants (:mod:`commun.methode`), the pure geometry of
the access estimate (:mod:`commun.geometrie`), the schema version and the visit file format
(:mod:`commun.schema`), the import limits (:mod:`commun.limites`), formula-proof CSV cells
(:mod:`commun.tableur`) and the error type of builds and imports (:mod:`commun.erreurs`).
It imports neither side, nor streamlit, nor duckdb (``tests/test_boundary.py``).
"""
