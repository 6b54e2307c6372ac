import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foncier import consommation_graphiques as graphiques
from foncier.consommation import read, yearly_columns
from foncier.consommation_indicateurs import recompute
from foncier.models import ConsommationEspace
from foncier.zan import flux_of, trajectoire
from habitat.indicateurs import recompute as recompute_habitat
from observatoire.indicateurs.models import Indicateur, Valeur
from tests.habitat.test_sitadel import GOOD as SITADEL
from tests.habitat.test_sitadel import write

YEARS = range(10, 23)  # naf10art11 … naf22art23


def header():
    columns = ["idcom", "idcomtxt", "iddep"]
    for y in YEARS:
        columns += [f"naf{y}art{y + 1}", f"art{y}hab{y + 1}", f"art{y}act{y + 1}"]
    return ";".join([*columns, "naf10art23"])  # a whole-period total, not a year


def line(code, name, flows, habitat_share=0.5):
    """One commune: ``flows`` in m² by year (20yy); habitat takes ``habitat_share``, activity the rest."""
    cells = [code, name, code[:2]]
    for y in YEARS:
        flow = flows.get(2000 + y, 0)
        cells += [str(flow), str(round(flow * habitat_share)), str(flow - round(flow * habitat_share))]
    return ";".join([*cells, "99999999"])


# Aix: 10 ha a year from 2011 to 2020 (reference 100 ha, allowance 50 ha), 15 ha in 2021, 5 ha in 2022.
AIX = {2010: 200_000, **dict.fromkeys(range(2011, 2021), 100_000), 2021: 150_000, 2022: 50_000}
# Marseille published by arrondissement: 13201 and 13202 add up to 4 ha a year, 2 ha since 2021.
ARR_1 = {**dict.fromkeys(range(2011, 2021), 30_000), 2021: 10_000, 2022: 10_000}
ARR_2 = {**dict.fromkeys(range(2011, 2021), 10_000), 2021: 0, 2022: 0}
GOOD = "\n".join(
    [
        header(),
        line("13001", "Aix-en-Provence", AIX),
        line("13201", "Marseille 1er", ARR_1),
        line("13202", "Marseille 2e", ARR_2),
        line("83137", "Toulon", AIX),  # another département: skipped and counted
    ]
)


def test_only_yearly_flows_are_columns_of_a_year():
    found = yearly_columns(["idcom", "naf21art22", "art21hab22", "art21rou22", "naf09art23", "art09hab23"])
    assert found == {"naf21art22": (2021, "total_ha"), "art21hab22": (2021, "habitat_ha"),
                     "art21rou22": (2021, "routes_ha")}  # fmt: skip


def test_zan_figures_by_hand():
    t = trajectoire({year: m2 / 10_000 for year, m2 in AIX.items()})
    assert (t.reference_ha, t.enveloppe_ha, t.consomme_ha, t.restant_ha) == (100, 50, 20, 30)
    assert t.part_consommee == pytest.approx(0.4)
    assert t.moyenne_reference == 10 and t.rythme_cible == 5
    assert t.annees_restantes == 8 and t.rythme_restant == pytest.approx(3.75)  # 30 ha over 2023–2030
    assert (t.cumul_cible(2021), t.cumul_cible(2025), t.cumul_cible(2030)) == (5, 25, 50)
    assert t.cumul_consomme(2021) == 15 and t.cumul_consomme(2022) == 20
    assert trajectoire({2015: 3.0}).reference_complete is False
    assert trajectoire({}).part_consommee is None


def test_zan_charts_by_hand():
    t = trajectoire({year: m2 / 10_000 for year, m2 in AIX.items()})
    annual, cumulative = graphiques.annual(t), graphiques.cumulative(t)
    bars, average, target, left = annual["data"]
    assert (bars["type"], bars["x"][0], bars["y"][0], bars["marker"]["color"][-2:]) == (
        "bar", 2010, 20, [graphiques.ORANGE] * 2
    )  # fmt: skip
    assert (average["y"], target["y"], left["y"]) == ([10, 10], [5, 5], [3.75, 3.75])
    assert left["x"] == [2022.6, 2030.4] and left["line"]["dash"] == "dot"
    assert bars["hovertemplate"] == "%{x} : %{y:,.1f} ha<extra></extra>"
    assert left["hovertemplate"] == "Reste de l'enveloppe réparti : %{y:,.1f} ha/an<extra></extra>"
    assert [trace["y"] for trace in cumulative["data"]] == [[0, *range(5, 55, 5)], [0, 15, 20]]
    for figure, title in (
        (annual, "Hectares par an"),
        (cumulative, "Hectares cumulés depuis le 1er janvier 2021"),
    ):
        shape = figure["layout"]
        assert shape["separators"] == ",\u202f" and shape["showlegend"] is True  # French numbers
        assert (shape["yaxis"]["title"]["text"], shape["yaxis"]["rangemode"], shape["xaxis"]["dtick"]) == (
            title, "tozero", 1
        )  # fmt: skip
    # Without the whole reference period: the bars alone, no legend.
    alone = graphiques.annual(trajectoire({2015: 3.0}))
    assert len(alone["data"]) == 1 and alone["layout"]["showlegend"] is False
    assert json.loads(json.dumps(annual)) == annual  # the page's JSON block


def write_csv(tmp_path, text, name="conso.csv"):
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_import_adds_up_arrondissements_skips_outside_and_computes_indicators(territoire, tmp_path, capsys):
    call_command("import_consommation_espace", write_csv(tmp_path, GOOD))
    assert "4 lignes lues, 26 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    aix_2021 = ConsommationEspace.objects.get(commune__insee="13001", annee=2021)
    assert (aix_2021.total_ha, aix_2021.habitat_ha, aix_2021.activite_ha) == (15, 7.5, 7.5)
    assert ConsommationEspace.objects.get(commune__insee="13055", annee=2015).total_ha == 4
    assert trajectoire(flux_of(commune=territoire.get(insee="13055"))).consomme_ha == 2

    recompute()

    def value(code, millesime, **territory):
        return Valeur.objects.get(indicateur__code=code, millesime=millesime, **territory).valeur

    assert value("conso-enaf-annuelle", 2010, commune__insee="13001") == 20
    assert value("conso-enaf-2011-2021", 2020, commune__insee="13001") == 100
    assert value("conso-enaf-depuis-2021", 2022, commune__insee="13001") == 20
    assert value("part-enveloppe-zan-consommee", 2022, commune__insee="13001") == pytest.approx(40)
    assert value("enveloppe-zan-restante", 2022, commune__insee="13001") == pytest.approx(30)
    # Marseille: reference 40 ha, allowance 20 ha, 2 ha consumed → 10 %.
    assert value("part-enveloppe-zan-consommee", 2022, commune__insee="13055") == pytest.approx(10)
    # The metropolis: the communes added up (140 ha, allowance 70 ha, 22 ha consumed).
    assert value("conso-enaf-2011-2021", 2020, epci__siren="200054807") == pytest.approx(140)
    assert value("part-enveloppe-zan-consommee", 2022, epci__siren="200054807") == pytest.approx(2200 / 70)
    indicateur = Indicateur.objects.get(code="conso-enaf-annuelle")
    assert (indicateur.dernier_millesime, indicateur.rubrique.slug, indicateur.observatoire.slug) == (
        2022,
        "consommation-espace",
        "foncier",
    )


def test_reimport_and_recompute_are_idempotent_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    path = write_csv(tmp_path, GOOD)
    call_command("import_consommation_espace", path, dry_run=True)
    assert not ConsommationEspace.objects.exists()
    call_command("import_consommation_espace", path)
    call_command("import_consommation_espace", path)
    assert "0 ajoutées, 26 mises à jour" in capsys.readouterr().out
    assert ConsommationEspace.objects.count() == 26
    assert recompute() == recompute()
    assert Valeur.objects.filter(indicateur__code="conso-enaf-annuelle", commune__insee="13001").count() == 13


TEXT_FLOW = line("13005", "Aubagne", {2015: 1}).replace(";1;", ";un;", 1)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (TEXT_FLOW, "colonne naf15art16 : surface invalide « un »"),
        (line("13005", "Aubagne", {2015: -100}), r"ligne 6, colonne naf15art16 : surface invalide « -100 »"),
        (line("13-05", "Aubagne", {}), r"ligne 6, colonne idcom : code commune invalide « 13-05 »"),
        # Before: a letter O for a zero was a commune outside the territory, skipped in silence.
        (line("13O05", "Aubagne", {}), r"ligne 6, colonne idcom : code commune invalide « 13O05 »"),
        (line("13001", "Aix", {}), "ligne 6, colonne idcom : commune « 13001 » déjà lue ligne 2"),
        (line("13001.0", "Aix", {}), "ligne 6, colonne idcom : commune « 13001 » déjà lue ligne 2"),
    ],
    ids=["texte", "negatif", "code", "code-lettre-o", "doublon", "doublon-decimal"],
)  # fmt: skip
def test_one_bad_row_rejects_the_file(territoire, tmp_path, row, message):
    call_command("import_consommation_espace", write_csv(tmp_path, GOOD))
    before = list(ConsommationEspace.objects.values_list("pk", "total_ha"))
    changed = GOOD.replace(";150000;", ";990000;")
    with pytest.raises(CommandError, match=message):
        call_command("import_consommation_espace", write_csv(tmp_path, changed + "\n" + row, "bad.csv"))
    assert list(ConsommationEspace.objects.values_list("pk", "total_ha")) == before


def test_missing_columns_are_named(territoire, tmp_path):
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) : idcom\."):
        call_command("import_consommation_espace", write_csv(tmp_path, "code;naf21art22\n13001;5"))
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) : naf09art10… \(flux annuels\)"):
        call_command("import_consommation_espace", write_csv(tmp_path, "idcom;naf09art23\n13001;5"))


def test_floor_area_authorised_comes_from_sitadel(territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, SITADEL))
    recompute_habitat()
    recompute()
    surface = Indicateur.objects.get(code="surface-plancher-autorisee")
    assert (surface.rubrique.slug, surface.unite, surface.dernier_millesime) == ("urbanisme", "m²", 2024)
    aix = Valeur.objects.get(indicateur=surface, commune__insee="13001", millesime=2023)
    assert aix.valeur == 10_800  # 7 200 collectif + 3 600 individuel
    metro = Valeur.objects.get(indicateur=surface, epci__siren="200054807", millesime=2023)
    assert metro.valeur == 16_800  # Aix + Marseille's 2 400 + 3 600


CEREMA = Path(__file__).resolve().parents[2] / "fixtures" / "consommation"


def test_each_cerema_vintage_is_read_with_its_window(territoire):
    call_command("import_consommation_espace", str(CEREMA / "obs_artif_conso_com_2009_2021.csv"), verbosity=0)
    assert ConsommationEspace.objects.get(commune__insee="13001", annee=2009).total_ha == pytest.approx(41.23)
    call_command("import_consommation_espace", str(CEREMA / "conso_com_2009_2024.csv"), verbosity=0)
    assert ConsommationEspace.objects.get(commune__insee="13117", annee=2023).total_ha == pytest.approx(1.63)
    # Before: the −2 m² rounding residue of the unknown destination refused the whole 2025 vintage.
    call_command("import_consommation_espace", str(CEREMA / "conso_com_2011_2025_csv.zip"), verbosity=0)
    vitrolles = ConsommationEspace.objects.get(commune__insee="13117", annee=2024)
    assert (vitrolles.total_ha, vitrolles.inconnu_ha) == (pytest.approx(1.53), pytest.approx(-0.0002))


def test_a_commune_listed_whole_and_by_arrondissement_is_counted_once(territoire, tmp_path, capsys):
    # Before: 13055 and its arrondissements were added together.
    whole = line("13055", "Marseille", dict.fromkeys(range(2011, 2021), 50_000))
    path = write_csv(tmp_path, GOOD + "\n" + whole)
    call_command("import_consommation_espace", path)
    assert ConsommationEspace.objects.get(commune__insee="13055", annee=2015).total_ha == 5
    assert "arrondissements" not in capsys.readouterr().err


def test_arrondissements_set_aside_are_counted_and_a_spreadsheets_code_is_read(territoire, marseille):
    whole = line("13055", "Marseille", {2015: 50_000})
    text = GOOD.replace("\n13001;", "\n13001.0;") + "\n" + whole + "\n"
    rows, summary = read(io.StringIO(text))
    assert rows[(marseille.pk, 2015)]["total_ha"] == 5
    assert rows[(territoire.get(insee="13001").pk, 2015)]["total_ha"] == 10
    assert summary.details["arrondissements_ignores"] == 2 * len(YEARS)  # 13201 and 13202, every year


def test_a_destination_below_the_rounding_residue_is_an_error(territoire, tmp_path):
    text = GOOD.replace(",", ";") + "\n" + line("13005", "Aubagne", {2015: 100}, habitat_share=1.2)
    with pytest.raises(CommandError, match="colonne art15act16 : surface invalide « -20 »"):
        call_command("import_consommation_espace", write_csv(tmp_path, text))
