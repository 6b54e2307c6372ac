"""INSEE's archives as published: the data CSV beside its dictionary of variables.

The census and Filosofi zips hold the data (``base-cc-emploi-pop-active-2021.CSV``,
``FD_MOBPRO_2021.csv``) next to a file describing its variables (``meta_….CSV``,
``varmod_MOBPRO_2021.csv``), sometimes one data file per area (Filosofi: metropole, Martinique,
La Réunion), and for some millésimes a 7-Zip archive in place of the CSV. The member chosen with
``--membre`` always wins.
"""

from contextlib import contextmanager

from observatoire.imports import files


def data_members(path):
    """The data files of an INSEE zip (dictionaries left out), None when ``path`` is not a zip."""
    names = files.zip_members(path)
    return None if names is None else files.data_candidates(names)


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
