"""What every importer of an official file shares: its errors, its summary, its registry.

An importer reads the file as published, validates all of it, then writes in one transaction:
a bad file raises ``ImportRejected`` (each error names the line and the column) and changes
nothing. Rows of communes outside the territory are counted, not errors.
"""

from dataclasses import dataclass, field

REGISTRY = {}


class ImportRejected(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


class TooManyErrors(Exception):
    """Raised by ``ErrorList.add`` past the limit: a file this wrong is not worth reading further."""


class ErrorList(list):
    """Errors of one file, each « ligne N, colonne C : raison », bounded so a wrong file fails fast."""

    def __init__(self, limit=200):
        super().__init__()
        self.limit = limit

    def add(self, line, column, reason):
        self.append(f"ligne {line}, colonne {column} : {reason}" if column else f"ligne {line} : {reason}")
        if len(self) >= self.limit:
            raise TooManyErrors

    def raise_if_any(self):
        if self:
            more = " (lecture arrêtée)" if len(self) >= self.limit else ""
            raise ImportRejected(f"{len(self)} erreur(s){more} : rien n'a été importé.", self)


@dataclass
class Summary:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    skipped_outside: int = 0
    rejected: list = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def as_dict(self):
        return {
            "lues": self.read,
            "ajoutees": self.inserted,
            "mises_a_jour": self.updated,
            "hors_territoire": self.skipped_outside,
            "rejetees": self.rejected[:200],
            **self.details,
        }

    def __str__(self):
        text = (
            f"{self.read} lignes lues, {self.inserted} ajoutées, {self.updated} mises à jour, "
            f"{self.skipped_outside} hors du territoire"
        )
        if self.rejected:
            text += f", {len(self.rejected)} écartées"
        return text + "."


def no_progress(done, total):
    """Default progress callback: importers call ``progress(done, total)`` as they go."""


class Importer:
    """Subclass, set ``kind``/``label``/``extensions``, implement ``run`` and decorate with ``register``."""

    kind = ""
    label = ""
    extensions = ()
    observatoire = ""

    def run(self, path, *, dry_run=False, progress=no_progress):
        """Import the file at ``path``; return a ``Summary`` or raise ``ImportRejected``."""
        raise NotImplementedError


def register(importer_class):
    REGISTRY[importer_class.kind] = importer_class()
    return importer_class


def get_importer(kind):
    return REGISTRY[kind]


def choices():
    return sorted(((kind, imp.label) for kind, imp in REGISTRY.items()), key=lambda c: c[1])
