import datetime

import pytest
from django.core.management import CommandError, call_command

from mobilite.calendrier import active_services, typical_weekday
from mobilite.models import Arret, Ligne, Reseau

from .gtfs_files import CALENDAR, STOP_TIMES, STOPS, write_zip


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
    assert "Simulation (import fait puis annulé, rien n'a été écrit) : 30 lignes lues, 6 ajoutées" in capsys.readouterr().out
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
        ({"stop_times_txt": STOP_TIMES + "T9,07:00:00,07:00:00,AIX1,1,\n"},
         "ligne 17 de stop_times.txt, colonne trip_id : course inconnue de trips.txt « T9 »"),
        ({"stop_times_txt": STOP_TIMES.replace("AIX2,2,\n", "AIX2,deux,\n", 1)},
         "ligne 3 de stop_times.txt, colonne stop_sequence : rang invalide « deux »"),
        ({"calendar_txt": CALENDAR.replace("SEM,1,1,1,1,1,0,0,20250106", "SEM,1,1,1,1,1,0,0,2025-01-06")},
         "ligne 2 de calendar.txt, colonne start_date : date invalide « 2025-01-06 »"),
    ],
    ids=["fichier", "calendrier", "colonne", "nombre", "heure", "arret", "course", "rang", "date"],
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
