"""Read side of the Atlas du non-recours: read-only database access, queries, metrics, figures
and small UI helpers shared by the Streamlit pages."""
