"""INSEE's archives as published: the data CSV beside its dictionary of variables.

The census and Filosofi zips hold the data (``base-cc-emploi-pop-active-2021.CSV``,
``FD_MOBPRO_2021.csv``) next to a file describing its variables (``meta_….CSV``,
``varmod_MOBPRO_2021.csv``), sometimes one data file per area (Filosofi: metropole, Martinique,
La Réunion), and for some millésimes a 7-Zip archive in place of the CSV. The member chosen with
``--membre`` always wins.
"""

import csv
from contextlib import contextmanager
from pathlib import PurePosixPath

from observatoire.imports import files
from observatoire.imports.base import ImportRejected

DICTIONARY_PREFIXES = ("meta", "varmod")
DATA_SUFFIXES = (".csv", ".txt", ".csv.gz", ".txt.gz")


def data_members(path):
    """The data files of an INSEE zip (dictionaries left out), None when ``path`` is not a zip."""
    names = files.zip_members(path)
    if names is None:
        return None
    candidates = [
        name
        for name in names
        if name.lower().endswith(DATA_SUFFIXES)
        and not PurePosixPath(name).name.lower().startswith(DICTIONARY_PREFIXES)
    ]
    if {"stops.txt", "stop_times.txt"} <= {PurePosixPath(name).name for name in names}:
        raise ImportRejected(
            "Ce fichier est un flux GTFS (stops.txt, stop_times.txt…), pas un fichier de l'Insee : "
            "importez-le avec `python manage.py import_gtfs`. Rien n'a été importé."
        )
    sevenzip = [name for name in names if name.lower().endswith(".7z")]
    if not candidates and sevenzip:
        raise ImportRejected(
            f"L'archive contient une archive 7-Zip (« {sevenzip[0]} ») que le portail ne sait pas ouvrir : "
            "extrayez-en le fichier CSV (avec 7-Zip) et importez ce CSV. Rien n'a été importé."
        )
    return candidates


def members_to_read(path):
    """``[None]`` (the file itself, or the member given with ``--membre``), else the zip's data files."""
    if files.chosen_member_name():
        return [None]
    members = data_members(path)
    return members if members else [None]


@contextmanager
def open_insee_text(path):
    """``files.open_text`` on the data file of an INSEE zip. Several data files: the framework's refusal,
    which lists them and asks for ``--membre``."""
    members = members_to_read(path)
    with open_member(path, members[0] if len(members) == 1 else None) as stream:
        yield stream


def open_member(path, member):
    """Context manager: the text of one member (None: the file or the ``--membre`` one)."""
    if member is None:
        return files.open_text(path)
    return _open_named(path, member)


@contextmanager
def _open_named(path, member):
    with files.chosen_member(member), files.open_text(path) as stream:
        yield stream


def insee_table(stream, **options):
    """The file's ``CsvTable``, its separator told by the header line: INSEE writes ``;`` for the census
    bases and ``,`` for Filosofi, and a person may re-save either way.

    ``csv.Sniffer`` gives up on samples whose rows repeat the same values (« Could not determine
    delimiter ») and its fallback ``;`` read a comma-separated header as one column.
    """
    first = stream.readline()
    stream.seek(0)
    dialect = files.Semicolon if first.count(";") >= first.count(",") else csv.excel
    return files.CsvTable(stream, dialect, **options)
