-- Every row read is loaded, rejected, a duplicate, or out of scope: nothing disappears.
select source, fichier, lignes_lues, lignes_chargees, lignes_rejetees, lignes_doublons, lignes_hors_champ
from chargements
where lignes_lues <> lignes_chargees + lignes_rejetees + lignes_doublons + lignes_hors_champ
