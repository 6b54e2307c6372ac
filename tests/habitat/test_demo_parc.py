import json

from django.core.management import call_command
from openpyxl import load_workbook

from habitat.demo import load_demo_habitat
from habitat.demo_qpv import QUARTIERS
from habitat.demo_qpv import write_demo_file as write_qpv
from habitat.models import LogementRecensement, ObjectifPlh, ParcSocial
from observatoire.imports.base import choices
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone


def value(code, insee=None, millesime=None, siren=None):
    territory = {"epci__siren": siren} if siren else {"commune__insee": insee}
    millesime = millesime or Indicateur.objects.get(code=code).dernier_millesime
    return Valeur.objects.get(indicateur__code=code, millesime=millesime, **territory).valeur


def test_demo_files_are_official_formats_loaded_through_the_importers(territoire, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    load_demo_habitat()
    folder = tmp_path / "var" / "demo"
    header = (folder / "base-cc-logement-2021.csv").read_text().splitlines()[0]
    assert header.startswith("CODGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;") and ";P15_LOG;" in header
    book = load_workbook(folder / "rpls_communes_2024.xlsx", read_only=True)
    rows = list(book["COMMUNE"].iter_rows(values_only=True))
    book.close()
    assert rows[1][0] == "Parc locatif social au 1er janvier 2024"
    assert rows[5][:5] == ("DEPCOM_ARM", "LIBCOM", "DEP", "REG", "nb_ls")
    assert (
        (folder / "plh_objectifs.csv")
        .read_text()
        .startswith("code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an\n")
    )
    qpv = json.loads((folder / "qpv_2024.geojson").read_text())["features"]
    assert set(qpv[0]["properties"]) == {"code_qp", "lib_qp", "insee_com", "lib_com", "siren_epci"}

    assert LogementRecensement.objects.count() == 92 * 2  # two censuses; Toulon and Avignon skipped
    assert ParcSocial.objects.count() == 92  # Marseille from its 16 arrondissements
    assert ObjectifPlh.objects.count() == 92 * 2
    assert Zone.objects.filter(type=ZoneType.QPV).count() == len(qpv) == sum(len(q[2]) for q in QUARTIERS)

    # Plausible orders of magnitude for the real territory.
    assert 380_000 < value("residences-principales", "13055") < 460_000
    assert 18 < value("taux-sru", "13055") < 24
    assert 35 < value("taux-sru", "13117") < 45  # Vitrolles
    assert value("deficit-sru", "13055") > 10_000
    assert 5 < value("loyer-moyen-parc-social", siren="200054807") < 8
    assert 30 < value("part-logements-sociaux-qpv", "13055") < 60
    assert value("part-logements-sociaux-qpv", "13113") == 0  # Venelles: no QPV
    assert 40 < value("taux-atteinte-plh", siren="200054807", millesime=2024) < 200
    assert Indicateur.objects.get(code="taux-sru").dernier_millesime == 2024

    counts = [m.objects.count() for m in (LogementRecensement, ParcSocial, ObjectifPlh, Valeur)]
    assert load_demo_habitat() == 0
    assert [m.objects.count() for m in (LogementRecensement, ParcSocial, ObjectifPlh, Valeur)] == counts


def test_demo_qpv_are_inside_their_commune(territoire, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    load_demo_habitat()
    qpv = Zone.objects.filter(type=ZoneType.QPV).select_related("commune")
    marseille = [z for z in qpv if z.commune.insee == "13055"]
    assert len(marseille) == 10  # listed under arrondissement codes, attached to Marseille
    for zone in qpv:
        assert zone.commune.geom.buffer(1).contains(zone.geom), zone.nom
        assert 150_000 < zone.geom.area < 700_000, zone.nom  # 300–460 m buffers, clipped
    assert len({z.code for z in qpv}) == qpv.count()


def test_demo_qpv_file_goes_through_the_import_zones_command(territoire, tmp_path, capsys):
    path = write_qpv(tmp_path / "qpv.geojson")
    options = {
        "zone_type": "QPV",
        "code_field": "code_qp",
        "nom_field": "lib_qp",
        "commune_field": "insee_com",
    }
    call_command("import_zones", str(path), **options)
    total = sum(len(names) for _, _, names in QUARTIERS)
    summary = f"{total} lignes lues, {total} ajoutées, 0 mises à jour, 0 hors du territoire."
    assert summary in capsys.readouterr().out
    zones = Zone.objects.filter(type=ZoneType.QPV)
    assert zones.get(nom="Encagnane").commune.insee == "13001"
    assert zones.get(nom="Air Bel").commune.insee == "13055"
    assert zones.get(nom="Abeille Maurelle Matagots").code.startswith("QN013")
    # Deterministic: the same file twice.
    assert write_qpv(tmp_path / "again.geojson").read_text() == path.read_text()


def test_the_new_importers_are_offered_in_the_admin():
    kinds = {kind for kind, _ in choices()}
    assert {"insee_logement", "rpls", "plh", "sitadel"} <= kinds


def test_new_indicators_show_on_the_existing_map_and_portrait(client, territoire, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    load_demo_habitat()
    assert client.get("/observatoires/indicateurs/taux-sru/carte/").status_code == 200
    portrait = client.get("/territoires/13117/").content.decode()
    assert "Taux de logements sociaux (estimation SRU)" in portrait
    assert "Taux d&#x27;atteinte de l&#x27;objectif PLH" in portrait or "objectif PLH" in portrait
