import pytest
from django.core.management import CommandError, call_command

from mobilite.indicateurs import recompute
from mobilite.models import Flux, ModesTransport
from observatoire.indicateurs.models import Valeur

FLUX = (
    "CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C19_ACTOCC15P\n"
    "13201;Marseille 1er Arrondissement;13201;Marseille 1er Arrondissement;100\n"
    "13201;Marseille 1er Arrondissement;13202;Marseille 2e Arrondissement;50.5\n"
    "13201;Marseille 1er Arrondissement;13001;Aix-en-Provence;30\n"
    "13202;Marseille 2e Arrondissement;13201;Marseille 1er Arrondissement;19.5\n"
    "13001;Aix-en-Provence;13001;Aix-en-Provence;200\n"
    "13001;Aix-en-Provence;13201;Marseille 1er Arrondissement;40\n"
    "13001;Aix-en-Provence;83137;Toulon;10\n"
    "83137;Toulon;13001;Aix-en-Provence;99\n"
)
MODES = (
    "CODGEO;P21_POP1564;P21_ACTOCC15P;C21_ACTOCC15P_PAS;C21_ACTOCC15P_MAR;C21_ACTOCC15P_VELO;"
    "C21_ACTOCC15P_2ROUESMOT;C21_ACTOCC15P_VOIT;C21_ACTOCC15P_TCOM\n"
    "13001;1000;201;10;20;5;5;140;20\n"
    "13201;500;100;0;30;5;5;30;30\n"
    "13202;500;100;0;10;5;5;50;30\n"
    "83137;900;100;0;10;5;5;50;30\n"
)


def write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def value(code, insee=None, millesime=2019):
    query = Valeur.objects.filter(indicateur__code=code, millesime=millesime)
    query = query.filter(commune__insee=insee) if insee else query.filter(epci__siren="200054807")
    return query.get().valeur


def test_flows_map_arrondissements_keep_outside_workplaces_and_give_the_shares(territoire, tmp_path, capsys):
    call_command("import_mobilites_professionnelles", write(tmp_path, FLUX))
    assert "8 lignes lues, 5 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    flows = {(f.commune.insee, f.code_travail): f.actifs for f in Flux.objects.select_related("commune")}
    assert flows == {
        ("13055", "13055"): 170.0,  # 100 + 50.5 + 19.5 between arrondissements
        ("13055", "13001"): 30.0,
        ("13001", "13001"): 200.0,
        ("13001", "13055"): 40.0,
        ("13001", "83137"): 10.0,
    }
    assert Flux.objects.get(code_travail="83137").commune_travail is None
    assert set(Flux.objects.values_list("millesime", flat=True)) == {2019}
    recompute()
    assert value("actifs-travaillant-commune-residence", "13055") == 85.0  # 170 / 200
    assert value("actifs-travaillant-autre-commune-metropole", "13055") == 15.0
    assert value("actifs-travaillant-commune-residence", "13001") == 80.0  # 200 / 250
    assert value("actifs-travaillant-autre-commune-metropole", "13001") == 16.0  # Toulon is outside
    assert value("actifs-travaillant-commune-residence") == 82.22  # 370 / 450


def test_flows_reimport_is_idempotent_and_drops_stale_rows(territoire, tmp_path, capsys):
    path = write(tmp_path, FLUX)
    call_command("import_mobilites_professionnelles", path, dry_run=True)
    assert not Flux.objects.exists()
    call_command("import_mobilites_professionnelles", path)
    call_command("import_mobilites_professionnelles", path)
    assert "0 ajoutées, 5 mises à jour" in capsys.readouterr().out
    assert Flux.objects.count() == 5
    call_command(
        "import_mobilites_professionnelles",
        write(tmp_path, FLUX.replace("13001;Aix-en-Provence;83137;Toulon;10\n", ""), "g.csv"),
    )
    assert Flux.objects.count() == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            FLUX + "13001;Aix;13005;Aubagne;douze\n",
            "ligne 10, colonne NBFLUX_C19_ACTOCC15P : nombre invalide « douze »",
        ),
        (FLUX + "13-01;Aix;13005;Aubagne;3\n", "ligne 10, colonne CODGEO : code commune invalide « 13-01 »"),
        (FLUX + "13001;Aix;13O05;Aubagne;3\n", "ligne 10, colonne DCLT : code commune invalide « 13O05 »"),
        (FLUX.replace("NBFLUX_C19_ACTOCC15P", "NB"), r"Colonne\(s\) absente\(s\) : NBFLUX_Caa_ACTOCC15P"),
        (FLUX.replace("DCLT;L_DCLT", "LIEU;L_DCLT"), r"Colonne\(s\) absente\(s\) : DCLT"),
    ],
    ids=["nombre", "commune", "lieu-de-travail", "millesime", "colonne"],
)
def test_bad_flows_file_changes_nothing(territoire, tmp_path, text, message):
    call_command("import_mobilites_professionnelles", write(tmp_path, FLUX))
    with pytest.raises(CommandError, match=message):
        call_command("import_mobilites_professionnelles", write(tmp_path, text, "bad.csv"))
    assert Flux.objects.count() == 5


def test_modal_shares_from_the_census_file(territoire, tmp_path, capsys):
    call_command("import_emploi_pop_active", write(tmp_path, MODES))
    assert "4 lignes lues, 2 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    marseille = ModesTransport.objects.get(commune__insee="13055")
    assert (marseille.millesime, marseille.actifs, marseille.transports_en_commun) == (2021, 200, 60)
    recompute()
    assert value("part-modale-voiture", "13001", 2021) == 70.0  # 140 / 200
    assert value("part-modale-transports-en-commun", "13001", 2021) == 10.0
    assert value("part-modale-velo", "13001", 2021) == 2.5
    assert value("part-modale-marche", "13055", 2021) == 20.0  # (30 + 10) / 200 arrondissements added up
    assert value("part-modale-transports-en-commun", None, 2021) == 20.0  # (20 + 60) / 400
    # A commune row for Marseille wins over its arrondissements; re-import updates.
    call_command("import_emploi_pop_active", write(tmp_path, MODES + "13055;1;1;0;0;0;0;1;0\n", "g.csv"))
    assert "0 ajoutées, 2 mises à jour" in capsys.readouterr().out
    assert ModesTransport.objects.get(commune__insee="13055").voiture == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MODES + "13005;1;1;0;0;x;0;1;0\n", "ligne 6, colonne C21_ACTOCC15P_VELO : nombre invalide « x »"),
        (MODES + "13O05;1;1;0;0;0;0;1;0\n", "ligne 6, colonne CODGEO : code commune invalide « 13O05 »"),
        (
            MODES.replace("C21_ACTOCC15P_TCOM", "C21_ACTOCC15P_TC"),
            r"Colonne\(s\) absente\(s\) : C21_ACTOCC15P_TCOM",
        ),
    ],
    ids=["nombre", "commune", "colonne"],
)
def test_bad_census_file_changes_nothing(territoire, tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_emploi_pop_active", write(tmp_path, text))
    assert not ModesTransport.objects.exists()


def test_codes_a_spreadsheet_rewrote_are_read_in_both_files(territoire, tmp_path):
    # Before: « code commune invalide « 13001.0 » » in either file.
    flows = FLUX.replace("13001;Aix-en-Provence;13201;", "13001.0;Aix-en-Provence;13201.0;")
    call_command("import_mobilites_professionnelles", write(tmp_path, flows), verbosity=0)
    assert Flux.objects.get(commune__insee="13001", code_travail="13055").actifs == 40
    modes = MODES.replace("13001;", "13001.0;").replace("13202;", "13202.0;")
    call_command("import_emploi_pop_active", write(tmp_path, modes, "m.csv"), verbosity=0)
    assert ModesTransport.objects.get(commune__insee="13001").voiture == 140
    assert ModesTransport.objects.get(commune__insee="13055").actifs == 200
