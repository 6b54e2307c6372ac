"""What every importer of an official file shares: its errors, its summary, its registry.

An importer reads the file as published, validates all of it, then writes in one transaction:
a bad file raises ``ImportRejected`` (each error names the line and the column) and changes
nothing. Rows of communes outside the territory are counted, not errors.

``Importer.execute`` is the one way to run an importer (command, admin, tests): the real run inside a
transaction, rolled back for a dry run, so that a dry run that succeeds is the real run that was
undone, with the same counts.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

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
    warnings: list = field(default_factory=list)
    outside: Counter = field(default_factory=Counter)
    dry_run: bool = False

    def note_outside(self, code, count=1):
        """``count`` rows of commune ``code`` (INSEE) lie outside the territory: counted and kept for the
        check (a national file has millions: an importer reading by blocks notes each block's counts)."""
        self.skipped_outside += count
        self.outside[code] += count

    @property
    def changed(self):
        return self.inserted + self.updated

    def as_dict(self):
        return {
            "lues": self.read,
            "ajoutees": self.inserted,
            "mises_a_jour": self.updated,
            "hors_territoire": self.skipped_outside,
            "rejetees": self.rejected[:200],
            **({"avertissements": self.warnings} if self.warnings else {}),
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
    # Set when the importer also runs without a variant (what the variant says being read in the
    # file or its name): the admin then offers the plain kind under this label beside the variants.
    plain_label = ""

    def variants(self):
        """``(suffix, label)`` of the kinds ``<kind>:<suffix>`` this importer offers instead of its own
        (one per row of a table, e.g. a category): read at each call, never at start-up."""
        return ()

    def variant(self, suffix):
        """The importer of kind ``<kind>:<suffix>``."""
        raise KeyError(suffix)

    def run(self, path, *, progress=no_progress):
        """Import the file at ``path`` (writing it); return a ``Summary`` or raise ``ImportRejected``."""
        raise NotImplementedError

    def execute(self, path, *, dry_run=False, progress=no_progress):
        """Run the import in one transaction, rolled back when ``dry_run``; refuse a file of elsewhere.

        The rollback also discards what the run registered with ``on_commit`` (recomputes, publication).
        """
        with transaction.atomic():
            summary = self.run(path, progress=progress)
            check_territory(summary)
            if dry_run:
                transaction.set_rollback(True)
        summary.dry_run = dry_run
        return summary


def check_territory(summary):
    """Refuse a file of which no row lies in the territory; warn when most of it lies outside."""
    from .territory import outside_refusal, outside_warning

    kept = summary.read - summary.skipped_outside - len(summary.rejected)
    if summary.outside and kept <= 0:
        raise outside_refusal(summary)
    if summary.outside and summary.skipped_outside * 2 > summary.read:
        summary.warnings.append(outside_warning(summary))


def register(importer_class):
    REGISTRY[importer_class.kind] = importer_class()
    return importer_class


def get_importer(kind):
    family, _, suffix = kind.partition(":")
    return REGISTRY[family].variant(suffix) if suffix else REGISTRY[kind]


def find_importer(kind):
    """The importer of ``kind`` (a variant ``family:suffix`` too), or None."""
    try:
        return get_importer(kind or "")
    except KeyError:
        return None


def choices(observatoire=None):
    """(kind, label) of every importer, or of those of one ``observatoire`` (slug), by label."""
    entries = []
    for kind, imp in REGISTRY.items():
        if observatoire is not None and imp.observatoire != observatoire:
            continue
        variants = imp.variants()
        entries.extend((f"{kind}:{suffix}", label) for suffix, label in variants)
        if not variants or imp.plain_label:
            entries.append((kind, imp.plain_label or imp.label))
    return sorted(entries, key=lambda c: c[1])


def grouped_choices(names):
    """The choices grouped by observatoire, in the order of ``names`` (slug → group label); the
    importers of a slug ``names`` lacks come last, under the slug."""
    slugs = list(names) + sorted({imp.observatoire for imp in REGISTRY.values()} - set(names))
    groups = [(names.get(slug) or slug.capitalize(), choices(slug)) for slug in slugs]
    return [(label, entries) for label, entries in groups if entries]
