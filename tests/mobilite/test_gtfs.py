import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mobilite.calendrier import active_services, typical_weekday
from mobilite.models import Arret, Ligne, Reseau
from observatoire.imports.base import get_importer

from .gtfs_files import AIX, CALENDAR, FEED, STOP_TIMES, STOPS, write_zip


def passages():
    return dict(Arret.objects.values_list("stop_id", "passages"))


def test_feed_is_aggregated_on_the_busiest_tuesday(territoire, tmp_path, capsys):
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    assert "30 lignes lues, 6 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    reseau = Reseau.objects.get()
    assert (reseau.nom, reseau.jour_type, reseau.courses) == ("Réseau test", datetime.date(2025, 1, 7), 5)
    # The holiday trip TV1 does not run that Tuesday; no boarding at T3's terminus; empty times count.
    assert passages() == {"AIX1": 4, "AIX2": 4, "MRS1": 1}
    aix1 = Arret.objects.get(stop_id="AIX1")
    assert (aix1.commune.insee, aix1.lignes) == ("13001", "1, 50, P")
    assert Arret.objects.get(stop_id="MRS1").commune.insee == "13055"
    ligne = Ligne.objects.get(route_id="L1")
    assert (ligne.nom_court, ligne.type, ligne.couleur, ligne.courses) == ("1", 3, "FF0000", 3)
    assert len(ligne.geom) == 2  # one representative trip per direction
    assert Ligne.objects.get(route_id="LP").couleur == "00FF00"
    assert Ligne.objects.get(route_id="LP").geom.num_points == 2  # drawn through Paris, the stop dropped


def test_reimport_replaces_the_feed_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    path = write_zip(tmp_path / "gtfs.zip")
    call_command("import_gtfs", path, dry_run=True)
    simulated = "Simulation (import fait puis annulé, rien n'a été écrit) : 30 lignes lues, 6 ajoutées"
    assert simulated in capsys.readouterr().out
    assert not Reseau.objects.exists() and not Arret.objects.exists()
    call_command("import_gtfs", path)
    call_command("import_gtfs", path)
    assert "0 ajoutées, 6 mises à jour, 1 hors du territoire" in capsys.readouterr().out
    assert (Reseau.objects.count(), Arret.objects.count(), Ligne.objects.count()) == (1, 3, 3)
    # A new feed of the same network replaces the stops: AIX2 gone, its passages with it.
    fewer = STOP_TIMES.replace(",AIX2,", ",AIX1,")
    call_command("import_gtfs", write_zip(tmp_path / "new.zip", stop_times_txt=fewer))
    assert set(passages()) == {"AIX1", "AIX2", "MRS1"}
    assert passages()["AIX2"] == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stop_times_txt": None}, r"Fichier\(s\) absent\(s\) de l'archive GTFS : stop_times.txt"),
        ({"calendar_txt": None, "calendar_dates_txt": None}, "calendar.txt ou calendar_dates.txt"),
        ({"stops_txt": STOPS.replace("stop_lat,", "latitude,")},
         r"stops.txt : colonne\(s\) absente\(s\) : stop_lat"),
        ({"stops_txt": STOPS.replace(",Rotonde,43.5263", ",Rotonde,quarante")},
         "ligne 2 de stops.txt, colonne stop_lat : coordonnée invalide « quarante »"),
        ({"stop_times_txt": STOP_TIMES.replace("T2,08:10:00,08:10:00", "T2,25:61:00,08:10:00")},
         "ligne 5 de stop_times.txt, colonne arrival_time : heure invalide « 25:61:00 »"),
        ({"stop_times_txt": STOP_TIMES.replace("T1,07:10:00,07:10:00,AIX2", "T1,07:10:00,07:10:00,NOPE")},
         "ligne 3 de stop_times.txt, colonne stop_id : arrêt inconnu de stops.txt « NOPE »"),
        ({"stop_times_txt": STOP_TIMES.replace("T1,07:10:00,07:10:00,AIX2", "T1,07:10:00,07:10:00,STA")},
         "ligne 3 de stop_times.txt, colonne stop_id : « STA » est de location_type 1 dans stops.txt"),
        ({"stop_times_txt": STOP_TIMES + "T9,07:00:00,07:00:00,AIX1,1,\n"},
         "ligne 17 de stop_times.txt, colonne trip_id : course inconnue de trips.txt « T9 »"),
        ({"stop_times_txt": STOP_TIMES.replace("AIX2,2,\n", "AIX2,deux,\n", 1)},
         "ligne 3 de stop_times.txt, colonne stop_sequence : rang invalide « deux »"),
        ({"calendar_txt": CALENDAR.replace("SEM,1,1,1,1,1,0,0,20250106", "SEM,1,1,1,1,1,0,0,2025-01-06")},
         "ligne 2 de calendar.txt, colonne start_date : date invalide « 2025-01-06 »"),
    ],
    ids=["fichier", "calendrier", "colonne", "nombre", "heure", "arret", "station", "course", "rang", "date"],
)  # fmt: skip
def test_broken_feed_is_rejected_and_changes_nothing(territoire, tmp_path, changes, message):
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    before = sorted(passages().items())
    with pytest.raises(CommandError, match=message):
        call_command("import_gtfs", write_zip(tmp_path / "bad.zip", **changes))
    assert sorted(passages().items()) == before and Reseau.objects.count() == 1


def test_hours_past_midnight_are_valid_and_a_non_zip_is_a_clear_error(territoire, tmp_path):
    late = STOP_TIMES.replace("T3,24:05:00,24:05:00", "T3,25:59:59,26:00:00")
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip", stop_times_txt=late))
    assert Arret.objects.count() == 3
    text = tmp_path / "gtfs.csv"
    text.write_text("pas un zip")
    with pytest.raises(CommandError, match="n'est pas une archive zip GTFS"):
        call_command("import_gtfs", str(text))


def test_services_flagged_for_the_same_tuesday_are_not_added_up():
    tuesday, other = datetime.date(2025, 1, 7), datetime.date(2025, 2, 18)
    flags = (True, True, True, True, True, False, False)
    calendar = {
        "SCOLAIRE": (flags, datetime.date(2025, 1, 6), datetime.date(2025, 3, 1)),
        "VACANCES": (flags, datetime.date(2025, 1, 6), datetime.date(2025, 3, 1)),
    }
    # The holiday service runs in the February break only, the school service everywhere else.
    days = [datetime.date(2025, 1, 6) + datetime.timedelta(n) for n in range(54)]
    exceptions = {day: {"VACANCES": 2} for day in days if day != other}
    exceptions[other] = {"SCOLAIRE": 2}
    assert active_services(tuesday, calendar, exceptions) == {"SCOLAIRE"}
    day, services = typical_weekday(calendar, exceptions, {"SCOLAIRE": 100, "VACANCES": 40})
    assert day == tuesday and services == {"SCOLAIRE"}  # not 140 trips
    only_dates = {datetime.date(2025, 1, 9): {"X": 1}}  # a Thursday, calendar_dates.txt alone
    assert typical_weekday({}, only_dates, {"X": 3}) == (datetime.date(2025, 1, 9), {"X"})


# Feeds as French networks publish them (fixtures/gtfs, see its README.md).
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gtfs"


def import_fixture(name, **options):
    out = io.StringIO()
    call_command("import_gtfs", str(FIXTURES / name), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_a_network_of_elsewhere_is_refused_naming_where_it_runs(territoire):
    """Périgueux's network used to be imported into Aix-Marseille: « 80 ajoutées, 809 hors du territoire »."""
    import_fixture("aix_racine.zip")
    before = (sorted(passages().items()), Reseau.objects.count(), Ligne.objects.count())
    with pytest.raises(CommandError) as refused:
        import_fixture("perigueux_hors_territoire.zip")
    message = str(refused.value)
    assert "Aucun arrêt de ce flux GTFS n'est dans le territoire du portail : rien n'a été importé" in message
    assert "« Péribus (échantillon) » (3 lignes, 7 arrêts)" in message
    served = "Dordogne (24) : Périgueux, Boulazac Isle Manoire, Chancelade, Coulounieix-Chamiers, Trélissac"
    assert served in message
    assert "emprise des arrêts : longitude 0.672 à 0.779, latitude 45.172 à 45.204" in message
    assert (sorted(passages().items()), Reseau.objects.count(), Ligne.objects.count()) == before


def test_a_network_mostly_outside_warns_and_leaves_out_its_lines_without_a_stop_inside(territoire):
    output = import_fixture("zou_region_surtout_hors_territoire.zip")
    assert "28 lignes lues, 3 ajoutées, 0 mises à jour, 7 hors du territoire." in output
    assert (
        "Attention : 5 arrêts sur 7 sont hors du territoire (Alpes-de-Haute-Provence (04) : Digne-les-Bains, "
        "Forcalquier, Manosque, Oraison, Sisteron) : ni eux ni les 2 ligne(s) qui ne desservent que ceux-là "
        "n'ont été importés."
    ) in output
    reseau = Reseau.objects.get()
    # Not Digne – Sisteron nor Manosque – Forcalquier.
    assert set(reseau.lignes.values_list("route_id", flat=True)) == {"L25"}
    assert passages() == {"MSC": 2, "AIX": 2}
    assert reseau.courses == 2  # the two runs of line 25, not those of the lines left out


def test_the_published_layouts_of_one_network_give_the_same_network(territoire):
    """Root or folder, BOM, CRLF, quotes, blank lines, stations and entrances, optional files, macOS."""
    import_fixture("aix_racine.zip")
    at_root = passages()
    assert at_root == {"JAS": 2, "ROT": 3, "MIR": 1, "GRT": 1, "MSC": 1}
    output = import_fixture("aix_dossier_bom_crlf.zip")
    assert "33 lignes lues, 0 ajoutées, 7 mises à jour, 0 hors du territoire." in output
    reseau = Reseau.objects.get()
    assert reseau.nom == "Aix en Bus (échantillon)"
    assert dict(reseau.lignes.values_list("route_id", "couleur")) == {"A1": "E2001A", "A50": "0055A4"}
    assert Arret.objects.get(stop_id="GRT").nom == "Gare routière"
    # frequencies.txt runs A1-2 four times (08:00 to 10:00 every 30 min): its stops get 3 more passages.
    assert passages() == at_root | {"JAS": 5, "ROT": 6}
    assert reseau.courses == 8


def test_calendar_dates_alone_gives_the_validity_and_hours_past_midnight_are_read(territoire):
    import_fixture("aix_calendar_dates_seul.zip")
    reseau = Reseau.objects.get()
    assert (reseau.debut, reseau.fin) == (datetime.date(2025, 1, 6), datetime.date(2025, 1, 18))
    assert reseau.jour_type == datetime.date(2025, 1, 7)
    assert reseau.courses == 6  # A50-N leaves at 23:50 and arrives at 24:25:00
    assert passages()["GRT"] == 2


def test_a_feed_saved_in_windows_1252_is_read_with_a_warning(territoire):
    output = import_fixture("aix_windows1252.zip")
    assert "Attention : stops.txt est encodé en cp1252 et non en UTF-8 comme le veut la norme GTFS" in output
    assert Arret.objects.get(stop_id="GRT").nom == "Gare routière"
    assert Reseau.objects.get().nom == "Aix en Bus (échantillon)"


def test_two_feeds_in_one_archive_and_an_archive_of_archives_are_refused(territoire, tmp_path):
    path = tmp_path / "deux.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for folder in ("aix", "marseille"):
            for name, text in FEED.items():
                archive.writestr(f"{folder}/{name}", text)
    with pytest.raises(CommandError, match=r"plusieurs flux GTFS \(agency.txt dans aix, marseille\)"):
        call_command("import_gtfs", str(path))
    nested = tmp_path / "export.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        archive.write(write_zip(tmp_path / "gtfs.zip"), "gtfs.zip")
    with pytest.raises(CommandError, match=r"contient d'autres archives \(gtfs.zip\)"):
        call_command("import_gtfs", str(nested))
    assert not Reseau.objects.exists()


def test_a_dry_run_schedules_no_recompute_and_a_real_run_one(territoire, django_capture_on_commit_callbacks):
    importer = get_importer("gtfs")
    with django_capture_on_commit_callbacks() as callbacks:
        importer.execute(str(FIXTURES / "aix_racine.zip"), dry_run=True)
    assert callbacks == [] and not Reseau.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        summary = importer.execute(str(FIXTURES / "aix_racine.zip"))
    assert len(callbacks) == 1 and summary.changed == 7


def test_a_network_abroad_is_refused_with_its_extent(territoire, tmp_path):
    turin = STOPS.replace("43.5263,5.4474", "45.0703,7.6869").replace(
        f"{AIX[1] - 0.004},{AIX[0] - 0.004}", "45.0625,7.6781"
    )
    gone = {"MRS1", "PAR1"}  # Marseille and Paris: the feed is Turin's alone

    def without_gone(text):
        return "".join(line for line in text.splitlines(keepends=True) if not gone & set(line.split(",")))

    turin, times = without_gone(turin), without_gone(STOP_TIMES)
    with pytest.raises(CommandError) as refused:
        call_command("import_gtfs", write_zip(tmp_path / "torino.zip", stops_txt=turin, stop_times_txt=times))
    assert "dessert des arrêts hors de toute commune française" in str(refused.value)
    assert "emprise des arrêts : longitude 7.678 à 7.687" in str(refused.value)
    assert not Reseau.objects.exists()
