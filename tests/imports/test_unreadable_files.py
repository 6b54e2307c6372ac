"""Every registered importer refuses an empty, header-only, garbage or wrong-format file cleanly.

Cleanly: ``ImportRejected`` with a French message (so the command exits 1 with it and the admin
job ends « rejeté » with it), never a traceback, never the server's temporary path, nothing
written. The audit found two importers ending in a traceback on such files.
"""

import io
import random
import zipfile
from pathlib import Path

import geopandas
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from foncier.dvf.columns import HEADER as DVF_HEADER
from mobilite.gtfs import CALENDAR, REQUIRED
from observatoire.imports.base import REGISTRY, ImportRejected
from observatoire.imports.models import ImportJob, Statut
from observatoire.imports.tasks import run_import
from tests.habitat import test_rpls

CSV_HEADERS = {
    "sitadel": "ANNEE;COMM;TYPE_LGT;LOG_AUT;LOG_COM;SDP_AUT;SDP_COM",
    "insee_logement": "CODGEO;LIBGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC",
    "plh": "code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an",
    "consommation_espace": "idcom;idcomtxt;naf21art22;art21hab22",
    "mobilites_professionnelles": "CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C22_ACTOCC15P",
    "emploi_pop_active": "CODGEO;P21_ACTOCC15P;"
    + ";".join(f"C21_ACTOCC15P_{m}" for m in ("PAS", "MAR", "VELO", "2ROUESMOT", "VOIT", "TCOM")),
    "carreaux_200m": "Idcar_200m;Ind",
    "dvf": ",".join(DVF_HEADER),
    "ofgl_comptes": "Exercice;Code Insee 2024 Commune;Agrégat;Montant",
    "dgcl_criteres": "Informations générales - Code INSEE de la commune;Effort fiscal - Effort fiscal final",
    "rei": "DEP;DIR;COM;LIBCOM;E11;E12VOTE;E13",
    "indice_atmo": "date_ech,code_qual,lib_qual,coul_qual,date_dif,source,type_zone,code_zone,lib_zone",
    "emissions_air": "Année;Entité administrative;Id Entité;Activité;Energie;Variable;Valeur;Unite",
    "gaspar": "cod_nat_catnat;cod_commune;lib_commune;num_risque_jo;lib_risque_jo;dat_deb;dat_fin;"
    "dat_pub_arrete;dat_pub_jo;dat_maj",
}
GEO_FIELDS = {
    "gisements": ["id_gisement", "type"],
    "zones_plu": ["LIBELLE", "TYPEZONE", "IDURBA"],
    "actifs": ["identifiant", "nature"],
    "espaces_naturels": ["ID_MNHN", "NOM"],
}
GEOJSON = '{"type": "FeatureCollection", "features": []}\n'
CSV_TEXT = "ANNEE;COMM;TYPE_LGT\n2023;13001;Collectif\n"
DATA_APPS = ("habitat", "foncier", "mobilite", "signalements")


def header_only(kind, tmp_path):
    if kind in CSV_HEADERS:
        return (CSV_HEADERS[kind] + "\n").encode()
    if kind == "gtfs":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, columns in {**REQUIRED, "calendar.txt": CALENDAR}.items():
                archive.writestr(name, ",".join(columns) + "\n")
        return buffer.getvalue()
    if kind == "rpls":
        return Path(test_rpls.workbook(tmp_path, rows=[], name="entete.xlsx")).read_bytes()
    # A GeoPackage layer with its fields and no feature.
    frame = geopandas.GeoDataFrame({name: [] for name in GEO_FIELDS[kind]}, geometry=[], crs=2154)
    path = tmp_path / "vide.gpkg"
    frame.to_file(path, layer="zone_urba", driver="GPKG")
    return path.read_bytes()


def wrong_format(kind):
    """Text of another importer's format: GeoJSON for the CSV ones, CSV for the others."""
    return (GEOJSON if kind in CSV_HEADERS else CSV_TEXT).encode()


def spreadsheet():
    """A real .xlsx given to the importer (what a person sends instead of exporting a CSV)."""
    book = Workbook()
    book.active.append(["ANNEE", "COMM"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FILES = {
    "vide": lambda kind, tmp_path: b"",
    "en-tete-seul": header_only,
    "octets-au-hasard": lambda kind, tmp_path: random.Random(9).randbytes(4096),
    # Bytes neither UTF-8 nor Windows-1252 reads (0x81, 0x8d…), no NUL: the decoding path.
    "octets-indecodables": lambda kind, tmp_path: (
        b"ANNEE;COMM\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50
    ),
    "autre-format": lambda kind, tmp_path: wrong_format(kind),
    "classeur-excel": lambda kind, tmp_path: spreadsheet(),
}


def stored_counts():
    return {
        model._meta.label: model.objects.count()
        for app in DATA_APPS
        for model in apps.get_app_config(app).get_models()
    }


def write(tmp_path, kind, content, case=""):
    # GeoJSON cannot hold fields without features: the geo importers' header-only file is a GeoPackage.
    suffix = ".gpkg" if kind in GEO_FIELDS and case == "en-tete-seul" else REGISTRY[kind].extensions[0]
    path = tmp_path / f"fichier{suffix}"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("case", FILES)
@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_the_command_refuses_with_a_french_message_and_writes_nothing(territoire, tmp_path, kind, case):
    if kind == "rpls" and case == "classeur-excel":
        pytest.skip("a spreadsheet is RPLS's own format")
    path = write(tmp_path, kind, FILES[case](kind, tmp_path), case)
    before = stored_counts()
    for dry_run in (True, False):
        with pytest.raises(CommandError) as refused:
            call_command(f"import_{kind}", str(path), dry_run=dry_run, verbosity=0)
        assert isinstance(refused.value.__cause__, ImportRejected)  # the importer's refusal, in French
        assert str(tmp_path) not in str(refused.value)  # the server's paths stay out of the message
    assert stored_counts() == before


@pytest.mark.parametrize("case", ["vide", "en-tete-seul", "octets-au-hasard"])
@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_the_admin_job_ends_rejected_with_the_message(territoire, tmp_path, kind, case):
    content = FILES[case](kind, tmp_path)
    name = write(tmp_path, kind, b"", case).name
    job = ImportJob.objects.create(kind=kind, fichier=ContentFile(content, name=name))
    before = stored_counts()
    assert run_import(job.pk) == Statut.REJETE
    job.refresh_from_db()
    assert job.message and "Erreur technique" not in job.message
    assert stored_counts() == before
