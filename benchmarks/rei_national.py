"""Reading a national REI: 35 000 communes × about 1 000 columns, as the DGFiP's CSV from 2023.

Writes such a file (``;``, Latin-1, decimal comma; the identifying columns, the ~40 columns the
portal reads, and fillers up to REI_COLUMNS; the communes of the development database's territory
among them, the others of other départements), then times ``fiscalite.rei.read`` (detection of the
encoding, the whole file parsed, out-of-territory rows skipped before their values) and the whole
import as a dry run. Needs a database whose territory is loaded (DATABASE_URL).

    DATABASE_URL=postgis://… .venv/bin/python benchmarks/rei_national.py
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
django.setup()

from fiscalite.demo_rei import IDENTITY_CODES, VARIABLES  # noqa: E402
from fiscalite.rei import read  # noqa: E402
from observatoire.imports.base import get_importer  # noqa: E402
from observatoire.territoires.models import Commune  # noqa: E402

ROWS = int(os.environ.get("REI_ROWS", "35000"))
COLUMNS = int(os.environ.get("REI_COLUMNS", "1000"))


def write(path):
    rng = random.Random(1)  # noqa: S311 - seeded bench data
    codes = [code for code, _, _ in VARIABLES]
    fillers = [f"Z{index:04d}" for index in range(COLUMNS - len(IDENTITY_CODES) - len(codes))]
    header = IDENTITY_CODES + fillers[: len(fillers) // 2] + codes + fillers[len(fillers) // 2 :]
    own = list(Commune.objects.filter(epci__isnull=False).values_list("insee", flat=True))
    others = [f"{dep:02d}{com:03d}" for dep in range(1, 96) for com in range(1, 400)]
    others = [code for code in others if code not in set(own)]  # the territory spans 13, 83 and 84
    insee = own + others[: ROWS - len(own)]
    pool = [f"{rng.uniform(0, 60):.2f}".replace(".", ",") for _ in range(800)] + [""] * 200
    with open(path, "w", encoding="latin-1", newline="") as handle:
        handle.write(";".join(header) + "\r\n")
        for code in insee:
            identity = [
                code[:2],
                "0",
                code[2:],
                "200054807",
                "200054807",
                "MÉTROPOLE",
                "FPU",
                "MET",
                "COMMUNE",
            ]
            values = rng.choices(pool, k=len(header))
            handle.write(";".join(identity + values[len(identity) :]) + "\r\n")
    return len(insee), len(own)


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "REI_2024.csv"
        started = time.perf_counter()
        rows, own = write(path)
        written = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        started = time.perf_counter()
        values, summary = read(path)
        reading = time.perf_counter() - started
        started = time.perf_counter()
        summary = get_importer("rei").execute(path, dry_run=True)
        whole = time.perf_counter() - started
    print(
        f"{rows} communes ({own} of the territory) × {COLUMNS} columns, {size:.0f} Mo written in {written:.1f} s"
    )
    print(f"read (encoding, parsing, {len(values)} values kept): {reading:.1f} s")
    print(f"import as a dry run (read + upsert + rollback): {whole:.1f} s — {summary}")


if __name__ == "__main__":
    main()
