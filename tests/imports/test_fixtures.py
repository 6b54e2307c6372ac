"""Every sample of ``fixtures/`` goes through its real command: the dry run is the real run, undone.

Each folder of ``fixtures/`` describes its files in ``cases.toml`` (command, arguments, whether the
file is accepted or refused, what the output says). For each case the dry run must leave the database
exactly as it was and print the counts the real run then prints; a refused file changes nothing in
either mode and gets the same French refusal.
"""

import io
import re
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string

from observatoire.imports.base import REGISTRY
from tests.imports.snapshot import changed_tables, database_snapshot

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DRY_PREFIX = re.compile(r"^Simulation[^:]*: ")
# Folders of API answers, not import files: no command reads them (see fixtures/README.md).
API_ANSWERS = {"ban"}


def load_cases():
    cases = []
    for manifest in sorted(FIXTURES.glob("*/cases.toml")):
        for case in tomllib.loads(manifest.read_text(encoding="utf-8")).get("case", []):
            cases.append(pytest.param(manifest.parent, case, id=f"{manifest.parent.name}/{case['file']}"))
    return cases


CASES = load_cases()


def run(command, path, args, *, dry_run):
    out = io.StringIO()
    options = ["--dry-run"] if dry_run else []
    call_command(command, str(path), *args, *options, stdout=out, stderr=io.StringIO(), verbosity=1)
    return out.getvalue()


def refusal(command, path, args, *, dry_run):
    with pytest.raises(CommandError) as refused:
        run(command, path, args, dry_run=dry_run)
    return str(refused.value)


def test_every_fixture_file_is_a_case_and_is_described():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    described = {(folder, case["file"]) for folder, case in (c.values for c in CASES)}
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name not in API_ANSWERS):
        folder_readme = (folder / "README.md").read_text(encoding="utf-8")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if name in ("README.md", "cases.toml") or _is_part_of_a_dataset(path):
                continue
            assert (folder, name) in described, f"{folder.name}/{name} n'est dans aucun cases.toml"
            assert name in folder_readme, f"{folder.name}/{name} absent de {folder.name}/README.md"
        assert f"{folder.name}/" in readme, f"fixtures/README.md ne présente pas {folder.name}/"


def _is_part_of_a_dataset(path):
    """A shapefile's .dbf/.shx/.prj/.cpg travel with its .shp, which is the case."""
    return path.suffix.lower() in {".dbf", ".shx", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qpj"}


@pytest.mark.parametrize(("folder", "case"), CASES)
def test_the_dry_run_is_the_real_run_undone(territoire, folder, case):
    path = folder / case["file"]
    command, args = case["command"], case.get("args", [])
    for needed in case.get("needs", []):  # reference rows the import reads (e.g. report categories)
        import_string(needed)()
    before = database_snapshot()
    if case["outcome"] == "refused":
        dry, real = (refusal(command, path, args, dry_run=mode) for mode in (True, False))
        assert dry == real
        assert changed_tables(before, database_snapshot()) == []
        text = real
    else:
        dry = run(command, path, args, dry_run=True)
        assert changed_tables(before, database_snapshot()) == [], "la simulation a écrit"
        real = run(command, path, args, dry_run=False)
        assert DRY_PREFIX.sub("", dry) == real
        text = real
    for expected in case.get("expect", []):
        assert expected in text, f"« {expected} » absent de : {text}"


def test_every_importer_has_an_accepted_sample_so_its_dry_run_is_checked():
    accepted = {case["command"] for _, case in (c.values for c in CASES) if case["outcome"] == "ok"}
    commands = {f"import_{kind}" for kind in REGISTRY} | {"import_zones"}
    assert sorted(commands - accepted) == []
