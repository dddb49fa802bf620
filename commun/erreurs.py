"""The error a build or an import raises for bad input or a failed write, always with a French message.

It lives here, not in ``etl``, so that the app catches it (a refused upload, a failed first build)
without importing the write side.
"""

from __future__ import annotations

import errno

# French causes of the system errors a build or an import meets (os.strerror is in English).
_CAUSES = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


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


def from_os_error(exc: OSError) -> EtlError:
    """One French sentence for a system error (a full disk, a permission...), naming the file.

    Parameters
    ----------
    exc : OSError
        What the failed write (or read) raised.

    Returns
    -------
    EtlError
        « écriture ou lecture impossible (disque plein) », with the file when the error names one.
    """
    cause = _CAUSES.get(exc.errno, f"erreur système {errno.errorcode.get(exc.errno, exc.errno)}")
    fichier = exc.filename if exc.filename is not None else None
    if exc.errno == errno.ENOSPC:
        message = f"écriture impossible ({cause}) : libérer de la place sur le disque puis relancer"
    else:
        message = f"lecture ou écriture impossible ({cause})"
    return EtlError(message, fichier=str(fichier) if fichier is not None else None)
