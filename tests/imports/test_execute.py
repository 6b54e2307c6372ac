"""``Importer.execute``: the dry run is the real run rolled back; a file of elsewhere is refused."""

import pytest
from django.db import connection

from observatoire.imports.base import Importer, ImportRejected, Summary


class Probe(Importer):
    """Writes (a table of its own, so no model is involved) and notes rows of the given communes."""

    kind = "sonde"

    def __init__(self, inside=0, outside=()):
        self.inside, self.outside = inside, outside

    def run(self, path, *, progress=None):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS import_probe (n int)")
        summary = Summary(read=self.inside + len(self.outside), inserted=self.inside)
        for code in self.outside:
            summary.note_outside(code)
        return summary


def probe_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('import_probe') IS NOT NULL")
        return cursor.fetchone()[0]


def test_a_dry_run_writes_then_rolls_back_with_the_same_counts():
    dry = Probe(inside=3).execute("f.csv", dry_run=True)
    assert not probe_exists() and dry.dry_run
    real = Probe(inside=3).execute("f.csv")
    assert probe_exists() and (real.inserted, real.read) == (dry.inserted, dry.read) == (3, 3)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_file_entirely_outside_the_territory_is_refused_naming_what_it_covers(dry_run):
    with pytest.raises(ImportRejected) as refused:
        Probe(outside=["24322"] * 5 + ["24037", "33063"]).execute("f.csv", dry_run=dry_run)
    message = str(refused.value)
    assert "Dordogne (24) : Périgueux, Bergerac ; Gironde (33) : Bordeaux" in message
    assert "rien n'a été importé" in message
    assert not probe_exists()


def test_a_file_mostly_outside_is_imported_with_a_warning():
    summary = Probe(inside=1, outside=["24322", "24322"]).execute("f.csv")
    assert probe_exists()
    assert summary.warnings == [
        "2 ligne(s) sur 3 sont hors du territoire (surtout Dordogne (24) : Périgueux) : elles n'ont pas été "
        "importées. Un extrait limité au territoire serait plus rapide à importer."
    ]
    assert Probe(inside=2, outside=["24322"]).execute("f.csv").warnings == []
