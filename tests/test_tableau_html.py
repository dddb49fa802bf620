"""Short tables drawn in HTML (atlas.graphiques_html.tableau_html): what a reader sees in a narrow column."""

import lxml.html
import pandas as pd

from atlas.graphiques_html import STYLE, tableau_html


def test_a_number_stays_on_the_line_of_its_unit_and_the_text_is_unchanged():
    # the fiche's narrow first column read « Taux de pauvreté (seuil à 60 » / « %) »
    frame = pd.DataFrame({"indicateur": ["Taux de pauvreté (seuil à 60 %)"], "valeur": ["14,2 %"]})
    rendu = tableau_html(frame, {"indicateur": "Indicateur", "valeur": "Valeur"}, nombres=["valeur"])
    cellule = lxml.html.fromstring(rendu).find(".//tbody/tr/td")
    assert cellule.text_content() == "Taux de pauvreté (seuil à 60 %)"
    assert [span.text for span in cellule.iter("span") if span.get("class") == "insecable"] == ["60 %"]
    # the page's style (sent once per page by the frame, atlas.chrome) keeps the span on one line
    assert ".atlas-tableau .insecable {white-space: nowrap;}" in STYLE


def test_cell_texts_are_escaped():
    frame = pd.DataFrame({"nom": ["<b>Saint-Nazaire & co</b>"]})
    rendu = tableau_html(frame, {"nom": "Nom"})
    assert "&lt;b&gt;Saint-Nazaire &amp; co&lt;/b&gt;" in rendu
