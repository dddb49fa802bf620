"""French messages for the command line's own errors and help (argparse speaks English).

argparse looks each of its messages up through gettext (the module's ``_``) when it prints it;
:func:`install` points that lookup at :data:`FRENCH`, so that a user of ``python -m etl``
reads « erreur : arguments requis manquants : fichier » rather than English. A message without a
translation is printed as argparse wrote it.
"""

from __future__ import annotations

import argparse

# argparse's message ids (Python 3.11) -> French. The %-placeholders must stay the same.
FRENCH = {
    "usage: ": "usage : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments requis manquants : %s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est requis",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "expected one argument": "une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}


def translate(message: str) -> str:
    """The French text of one of argparse's messages, or the message itself."""
    return FRENCH.get(message, message)


def install() -> None:
    """Make argparse print its errors and help headings in French (see the module docstring)."""
    argparse._ = translate
