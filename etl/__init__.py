"""Write side of the Atlas du non-recours: ``python -m etl build | import-visits | import-dpe``.

One module per source; SQL files for the schema, marts and data checks; the DuckDB file is built
beside the target and swapped in with ``os.replace``. This package never imports streamlit.
"""
