"""The one exception the ETL raises for bad input or a failed build, always with a French message."""

from __future__ import annotations


class EtlError(Exception):
    """A build or import failure, with a message a user can act on (in French).

    Parameters
    ----------
    message : str
        What went wrong and why.
    fichier, ligne, colonne, valeur : optional
        Where: the file (relative to the raw folder when possible), the line number as an editor
        shows it (the header is line 1), the column name and the offending value.
    """

    def __init__(self, message, *, fichier=None, ligne=None, colonne=None, valeur=None):
        self.message = message
        self.fichier = fichier
        self.ligne = ligne
        self.colonne = colonne
        self.valeur = valeur
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.fichier is not None:
            where.append(f"fichier {self.fichier}")
        if self.ligne is not None:
            where.append(f"ligne {self.ligne}")
        if self.colonne is not None:
            where.append(f"colonne « {self.colonne} »")
        if self.valeur is not None:
            where.append(f"valeur « {self.valeur} »")
        return (", ".join(where) + " : " if where else "") + self.message
