"""Files as the producers ship them: zips with a metadata file beside the data, gzip, any encoding."""

import gzip
import io
import random
import re
import zipfile

import pytest
from openpyxl import Workbook

from observatoire.imports.base import ImportRejected
from observatoire.imports.files import chosen_member, data_member, detect_encoding, open_text, zip_members

DATA = "CODGEO;LIBGEO;P21_LOG\n13001;Aix-en-Provence;80000\n13055;Marseille;480000\n"
META = "COD_VAR;LIB_VAR\nP21_LOG;Logements en 2021\n"


def write_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def read(path):
    with open_text(path) as stream:
        return stream.read(), stream.name_in_archive


def test_an_insee_zip_opens_its_data_file_not_the_metadata_beside_it(tmp_path):
    # INSEE's « base-cc-logement-2021_csv.zip »: the data and « meta_… » (labels of the variables).
    path = write_zip(
        tmp_path / "base-cc-logement-2021_csv.zip",
        {"meta_base-cc-logement-2021.CSV": META.encode("cp1252"), "base-cc-logement-2021.CSV": DATA.encode()},
    )
    assert read(path) == (DATA, "base-cc-logement-2021.CSV")


def test_the_data_file_is_found_in_a_subfolder_and_gzip_members_are_opened(tmp_path):
    member = gzip.compress(b"A;B\n1;2\n")
    path = write_zip(tmp_path / "a.zip", {"donnees/2023/": b"", "donnees/2023/fichier.csv.gz": member})
    assert read(path) == ("A;B\n1;2\n", "donnees/2023/fichier.csv.gz")


def test_several_data_files_ask_for_membre_which_then_chooses(tmp_path):
    members = {"2022.csv": b"A\n1\n", "2023.csv": b"A\n2\n", "notice.pdf": b"%PDF"}
    path = write_zip(tmp_path / "a.zip", members)
    with pytest.raises(ImportRejected, match="--membre") as refused:
        read(path)
    assert "« 2022.csv »" in refused.value.errors[0] and "notice.pdf" not in refused.value.errors[0]
    with chosen_member("2023.CSV"):
        assert read(path) == ("A\n2\n", "2023.csv")
    with chosen_member("2024.csv"), pytest.raises(ImportRejected, match=r"pas de fichier « 2024\.csv »"):
        read(path)


def test_an_importer_leaves_its_documentation_out_unless_named(tmp_path):
    names = ["REI_2023.csv", "REI_2023_notice.csv"]
    notice = re.compile("notice").search
    assert data_member(tmp_path / "a.zip", names, leave_out=notice) == "REI_2023.csv"
    with pytest.raises(ImportRejected, match="--membre"):
        data_member(tmp_path / "a.zip", names)
    with chosen_member("rei_2023_notice.csv"):
        assert data_member(tmp_path / "a.zip", names, leave_out=notice) == "REI_2023_notice.csv"


def test_an_archive_without_data_or_that_is_a_spreadsheet_is_refused_in_french(tmp_path):
    with pytest.raises(ImportRejected, match=r"aucun fichier \.csv ou \.txt") as refused:
        read(write_zip(tmp_path / "a.zip", {"notice.pdf": b"%PDF"}))
    assert "« notice.pdf »" in refused.value.errors[0]
    book, buffer = Workbook(), io.BytesIO()
    book.save(buffer)
    (tmp_path / "classeur.zip").write_bytes(buffer.getvalue())
    with pytest.raises(ImportRejected, match=r"classeur Excel \(\.xlsx\)"):
        read(tmp_path / "classeur.zip")
    whole = write_zip(tmp_path / "b.zip", {"a.csv": random.Random(1).randbytes(5000)}).read_bytes()
    (tmp_path / "coupe.zip").write_bytes(whole[:3000])
    with pytest.raises(ImportRejected, match="corrompue ou tronquée"):
        read(tmp_path / "coupe.zip")


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("\ufeffCOMM;NOM\n13001;Aix-en-Provence été\n".encode(), "utf-8-sig"),
        ("COMM;NOM\n13001;Aix-en-Provence été\n".encode("cp1252"), "cp1252"),
        # 0x8d is undefined in Windows-1252: Latin-1, which reads every byte.
        ("COMM;NOM\n13001;Aix été\n".encode("latin-1") + b"\x8d\n", "latin-1"),
    ],
)
def test_the_encoding_is_decided_on_the_whole_content(tmp_path, content, encoding):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    assert detect_encoding(path) == encoding
    assert "été" in read(path)[0]


def test_an_accent_after_the_first_megabytes_does_not_end_in_a_traceback(tmp_path):
    # The encoding used to be decided on the first megabyte: « é » in Windows-1252 further on crashed.
    path = tmp_path / "long.csv.gz"
    content = b"COMM;NOM\n" + b"13001;Aix\n" * 300_000 + "13055;Marseille é\n".encode("cp1252")
    path.write_bytes(gzip.compress(content))
    assert detect_encoding(path) == "cp1252"
    assert read(path)[0].endswith("Marseille é\n")


def test_zip_members_lists_files_only(tmp_path):
    path = write_zip(tmp_path / "a.zip", {"d/": b"", "d/a.csv": b"A\n", "__MACOSX/d/._a.csv": b"x"})
    assert zip_members(path) == ["d/a.csv"]
    assert zip_members(tmp_path / "a.zip") is not None
    (tmp_path / "b.csv").write_text("A\n")
    assert zip_members(tmp_path / "b.csv") is None
