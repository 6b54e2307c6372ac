"""A line with fewer (or more) fields than the header rejects the file, in every text importer.

A download cut short ends in half a line: read as it is, its missing values became empty or
zero and replaced good data (`2019;13001;Collectif;12` through Sitadel overwrote 292/227/18104/
14074 with 12/0/0/0). The shared reader now refuses it, naming the line, and nothing is written.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from foncier.models import ConsommationEspace, Mutation
from habitat.models import ConstructionAnnuelle, LogementRecensement, ObjectifPlh
from mobilite.models import Arret, Carreau, Flux, Ligne, ModesTransport
from tests.foncier import test_consommation, test_dvf
from tests.habitat import test_insee_logement, test_plh, test_sitadel
from tests.mobilite import gtfs_files, test_desserte, test_flux_modes


def cut(text, line, keep):
    """``text`` with its line number ``line`` (1 = header) cut after ``keep`` fields."""
    lines = text.rstrip("\n").split("\n")
    separator = ";" if ";" in lines[0] else ","
    lines[line - 1] = separator.join(lines[line - 1].split(separator)[:keep])
    last = line == len(lines)  # a file cut short has no final newline
    return "\n".join(lines) + ("" if last else "\n")


def write_text(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def write_gtfs(member):
    def write(tmp_path, text, name):
        return gtfs_files.write_zip(tmp_path / f"{name}.zip", **{member.replace(".", "_"): text})

    return write


def carreaux():
    cells = [gtfs_files.cell_at(*gtfs_files.AIX, dx=200 * n)[0] for n in range(4)]
    return test_desserte.HEADER + "".join(f"{cell};0;x;0;x;1;{10 + n};1\n" for n, cell in enumerate(cells))


@dataclass
class Case:
    command: str
    text: str
    models: tuple
    write: object = write_text
    where: str = ""  # the member of an archive, as the error names it


CASES = {
    "sitadel": Case("import_sitadel", test_sitadel.GOOD, (ConstructionAnnuelle,)),
    "insee_logement": Case("import_insee_logement", test_insee_logement.GOOD, (LogementRecensement,)),
    "plh": Case("import_plh", test_plh.GOOD, (ObjectifPlh,)),
    "consommation_espace": Case("import_consommation_espace", test_consommation.GOOD, (ConsommationEspace,)),
    "mobilites_professionnelles": Case("import_mobilites_professionnelles", test_flux_modes.FLUX, (Flux,)),
    "emploi_pop_active": Case("import_emploi_pop_active", test_flux_modes.MODES, (ModesTransport,)),
    "carreaux_200m": Case("import_carreaux_200m", carreaux(), (Carreau,)),
    "dvf": Case("import_dvf", test_dvf.text(test_dvf.sample_rows()), (Mutation,)),
    "gtfs_stop_times": Case(
        "import_gtfs",
        gtfs_files.STOP_TIMES,
        (Arret, Ligne),
        write_gtfs("stop_times.txt"),
        " de stop_times.txt",
    ),
    "gtfs_stops": Case(
        "import_gtfs", gtfs_files.STOPS, (Arret, Ligne), write_gtfs("stops.txt"), " de stops.txt"
    ),
}


def stored(models):
    return [list(model.objects.order_by("pk").values()) for model in models]


@pytest.mark.parametrize("position", ["derniere", "milieu"])
@pytest.mark.parametrize("kind", CASES)
def test_a_truncated_line_rejects_the_file_and_changes_nothing(territoire, tmp_path, kind, position):
    case = CASES[kind]
    call_command(case.command, case.write(tmp_path, case.text, "bon.csv"), verbosity=0)
    before = stored(case.models)
    assert all(before), "the good file must have imported rows for the test to mean anything"
    width = len(re.split("[;,]", case.text.split("\n", 1)[0]))
    line = case.text.rstrip("\n").count("\n") + 1 if position == "derniere" else 3
    keep = width // 2
    path = case.write(tmp_path, cut(case.text, line, keep), "tronque.csv")
    message = f"ligne {line}{case.where} : {keep} champs au lieu de {width} (ligne tronquée ?)"
    for dry_run in (True, False):
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command(case.command, path, dry_run=dry_run, verbosity=0)
    assert stored(case.models) == before


@pytest.mark.parametrize("kind", ["sitadel", "mobilites_professionnelles", "dvf"])
def test_a_line_with_more_fields_than_the_header_rejects_the_file(territoire, tmp_path, kind):
    case = CASES[kind]
    lines = case.text.split("\n")
    separator = ";" if ";" in lines[0] else ","
    width = len(lines[0].split(separator))
    lines[2] += separator + "en trop"
    with pytest.raises(CommandError, match=re.escape(f"ligne 3 : {width + 1} champs au lieu de {width}")):
        call_command(case.command, case.write(tmp_path, "\n".join(lines), "long.csv"), verbosity=0)
    assert stored(case.models) == [[] for _ in case.models]


def test_blank_lines_are_not_rows(territoire, tmp_path):
    text = test_sitadel.GOOD.replace("\n2024;", "\n\n2024;") + "\n\n"
    call_command("import_sitadel", write_text(tmp_path, text, "blancs.csv"), verbosity=0)
    assert ConstructionAnnuelle.objects.count() == 4


def test_the_issue_example_exits_non_zero_and_keeps_the_good_values(territoire, tmp_path):
    """The reported case, through the real command line: exit status 1, message on stderr."""
    good = test_sitadel.HEADER + "2019;13001;Collectif;292;227;18104;14074\n"
    call_command("import_sitadel", write_text(tmp_path, good, "bon.csv"), verbosity=0)
    path = write_text(tmp_path, test_sitadel.HEADER + "2019;13001;Collectif;12", "tronque.csv")
    # The test database, whose communes are committed (this test's own rows are not visible to it).
    url = urlsplit(os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire"))
    database = url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "observatoire.settings.test", "DATABASE_URL": database}
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "import_sitadel", path, "--dry-run", "--verbosity", "0"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "ligne 2 : 4 champs au lieu de 7 (ligne tronquée ?)" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(CommandError, match=re.escape("ligne 2 : 4 champs au lieu de 7")):
        call_command("import_sitadel", path, verbosity=0)
    row = ConstructionAnnuelle.objects.get(commune__insee="13001", annee=2019)
    values = (row.logements_autorises, row.logements_commences, row.surface_autorisee, row.surface_commencee)
    assert values == (292, 227, 18104, 14074)
