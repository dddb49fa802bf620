"""Streamlit components of the atlas that load no plotly (see :mod:`atlas.composants.carte`)."""
