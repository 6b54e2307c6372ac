"""Reading a national REI: 35 000 communes × about 1 000 columns, as the DGFiP's CSV from 2023
(or, with REI_FORMAT=xlsx, as its workbooks of 2013–2022).

Writes such a file (``;``, Latin-1, decimal comma; the identifying columns, the ~40 columns the
portal reads, and fillers up to REI_COLUMNS; the communes of the development database's territory
among them, the others of other départements), then times ``fiscalite.rei.read`` (detection of the
encoding, the whole file parsed, out-of-territory rows skipped before their values) and the whole
import as a dry run (nothing is written). Uses DATABASE_URL (the development database by default) and
loads the territory there when it is missing (`make bench` has done so in its first part).

    DATABASE_URL=postgis://… .venv/bin/python benchmarks/rei_national.py

Measured (machine shared with other sessions, 2026-11): CSV 168 Mo read in 2.8 s (dry-run import
3.7 s; up to 7 s and 11 s under heavier load); workbook 148 Mo read in 37 s, dry-run import 36 s
(45 s under heavier load; openpyxl needed 118 s for 5 000 rows, ~14 min for all).
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import django
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
django.setup()

from django.core.management import call_command  # noqa: E402

from fiscalite.demo_rei import IDENTITY_CODES, VARIABLES  # noqa: E402
from fiscalite.rei import read  # noqa: E402
from observatoire.imports.base import get_importer  # noqa: E402
from observatoire.territoires.models import Commune  # noqa: E402

ROWS = int(os.environ.get("REI_ROWS", "35000"))
COLUMNS = int(os.environ.get("REI_COLUMNS", "1000"))
FORMAT = os.environ.get("REI_FORMAT", "csv")


def rows():
    """The header (codes) and the rows: the territory's communes first, then others up to ROWS."""
    rng = random.Random(1)  # noqa: S311 - seeded bench data
    codes = [code for code, _, _ in VARIABLES]
    fillers = [f"Z{index:04d}" for index in range(COLUMNS - len(IDENTITY_CODES) - len(codes))]
    header = IDENTITY_CODES + fillers[: len(fillers) // 2] + codes + fillers[len(fillers) // 2 :]
    own = set(Commune.objects.filter(epci__isnull=False).values_list("insee", flat=True))
    others = [f"{dep:02d}{com:03d}" for dep in range(1, 96) for com in range(1, 400)]
    insee = sorted(own) + [code for code in others if code not in own][: ROWS - len(own)]  # own: 13, 83, 84
    pool = [round(rng.uniform(0, 60), 2) for _ in range(800)] + [None] * 200
    yield header
    for code in insee:
        identity = [code[:2], "0", code[2:], "200054807", "200054807", "MÉTROPOLE", "FPU", "MET", "COMMUNE"]
        yield identity + rng.choices(pool, k=len(header) - len(identity))


def write(path):
    """The national file as a CSV (Latin-1, decimal comma) or, with REI_FORMAT=xlsx, a workbook."""
    lines = list(rows())
    if path.suffix == ".xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("REI")
        for row in lines:
            sheet.append(row)
        book.save(path)
    else:
        with open(path, "w", encoding="latin-1", newline="") as handle:
            for row in lines:
                cells = ("" if cell is None else str(cell).replace(".", ",") for cell in row)
                handle.write(";".join(cells) + "\r\n")
    return len(lines) - 1


def main():
    siren = os.environ.get("METROPOLE_EPCI_SIREN", "200054807")
    call_command("import_territoire", epci=siren, skip_if_loaded=True, verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"REI_2024.{FORMAT}"
        started = time.perf_counter()
        count = write(path)
        written = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        started = time.perf_counter()
        values, summary = read(path)
        reading = time.perf_counter() - started
        started = time.perf_counter()
        summary = get_importer("rei").execute(path, dry_run=True)
        whole = time.perf_counter() - started
    print(f"{count} communes × {COLUMNS} columns as .{FORMAT}, {size:.0f} Mo written in {written:.1f} s")
    print(f"read (encoding, parsing, {len(values)} values kept): {reading:.1f} s")
    print(f"import as a dry run (read + upsert + rollback): {whole:.1f} s — {summary}")


if __name__ == "__main__":
    main()
