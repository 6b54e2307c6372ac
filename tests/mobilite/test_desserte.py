import pytest
from django.core.management import CommandError, call_command

from mobilite.indicateurs import DESSERTE, recompute
from mobilite.models import Carreau
from observatoire.indicateurs.models import Indicateur, Valeur

from .gtfs_files import AIX, MARSEILLE, cell_at, write_zip

HEADER = "Idcar_200m;I_est_200;Idcar_1km;I_est_1km;Idcar_nat;Groupe;Ind;Men\n"


def cells_file(tmp_path, rows, name="carreaux.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{i};0;x;0;x;1;{ind};1\n" for i, ind in rows), encoding="utf-8")
    return str(path)


def network(tmp_path):
    """A stop with 3 passages at the centre of cell A, one with 1 passage near cell C, a far one."""
    _, stop_a = cell_at(*AIX)
    _, stop_c = cell_at(*AIX, dx=1000)
    _, far = cell_at(*AIX, dy=-3000)
    stops = (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        f"A,Près de A,{stop_a[1]},{stop_a[0]}\nC,Près de C,{stop_c[1]},{stop_c[0]}\n"
        f"X,Loin,{far[1]},{far[0]}\n"
    )
    trips = "route_id,service_id,trip_id\n" + "".join(f"L,S,T{n}\n" for n in range(4))
    times = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(
        f"T{n},08:0{n}:00,08:0{n}:00,{'A' if n < 3 else 'C'},1\nT{n},08:30:00,08:30:00,X,2\n"
        for n in range(4)
    )
    return write_zip(
        tmp_path / "gtfs.zip",
        stops_txt=stops,
        routes_txt="route_id,route_short_name,route_type\nL,L,3\n",
        trips_txt=trips,
        stop_times_txt=times,
        calendar_txt="service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "S,1,1,1,1,1,0,0,20250106,20250131\n",
        calendar_dates_txt=None,
    )


@pytest.fixture
def grid(territoire, tmp_path):
    a, _ = cell_at(*AIX)
    b, _ = cell_at(*AIX, dx=400)  # centre 400 m from stop A
    c, _ = cell_at(*AIX, dx=1000)  # next to stop C, which has 1 passage
    d, _ = cell_at(*AIX, dy=600)  # 600 m from stop A
    m, _ = cell_at(*MARSEILLE)
    call_command(
        "import_carreaux_200m", cells_file(tmp_path, [(a, 100), (b, 50), (c, 30), (d, 20), (m, "1000.0")])
    )
    call_command("import_gtfs", network(tmp_path))
    return a, b, c, d, m


def value(insee=None):
    query = Valeur.objects.filter(indicateur__code=DESSERTE, millesime=2025)
    query = query.filter(commune__insee=insee) if insee else query.filter(epci__siren="200054807")
    return query.get().valeur


def test_share_of_population_within_500_m_of_a_served_stop(grid, settings):
    settings.MOBILITE_SEUIL_PASSAGES = 3
    recompute()
    assert value("13001") == 75.0  # A 100 + B 50 served, C 30 (stop under threshold) and D 20 not: 150/200
    assert value("13055") == 0.0
    assert value() == 12.5  # 150 / 1 200 over the metropolis
    assert Indicateur.objects.get(code=DESSERTE).dernier_millesime == 2025
    settings.MOBILITE_SEUIL_PASSAGES = 1
    recompute()
    assert value("13001") == 90.0  # C now served by its single passage: 180/200
    settings.MOBILITE_SEUIL_PASSAGES = 5
    recompute()
    assert value("13001") == 0.0


def test_cells_import_locates_centres_skips_outside_and_is_idempotent(grid, tmp_path, capsys):
    a, b, c, d, m = grid
    assert dict(Carreau.objects.values_list("idcar", "commune__insee")) == {
        a: "13001",
        b: "13001",
        c: "13001",
        d: "13001",
        m: "13055",
    }
    paris, _ = cell_at(2.35, 48.85)
    path = cells_file(tmp_path, [(a, 100), (b, 50), (c, 30), (d, 20), (m, 900), (paris, 5)], "again.csv")
    call_command("import_carreaux_200m", path, dry_run=True)
    assert Carreau.objects.get(idcar=m).population == 1000
    call_command("import_carreaux_200m", path)
    out = capsys.readouterr().out
    assert "6 lignes lues, 0 ajoutées, 5 mises à jour, 1 hors du territoire." in out
    assert Carreau.objects.get(idcar=m).population == 900
    # A new grid without cell D drops it.
    call_command(
        "import_carreaux_200m", cells_file(tmp_path, [(a, 100), (b, 50), (c, 30), (m, 900)], "new.csv")
    )
    assert Carreau.objects.count() == 4


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("CRS3035RES200mN2029800E4252000", "beaucoup")],
            "ligne 2, colonne Ind : nombre d'individus invalide",
        ),
        ([("CRS3035RES1km", "3")], "ligne 2, colonne Idcar_200m : identifiant de carreau invalide"),
        (
            [(cell_at(*AIX)[0], "3"), (cell_at(*AIX)[0], "3")],
            "ligne 3, colonne Idcar_200m : carreau en double",
        ),
    ],
    ids=["nombre", "identifiant", "doublon"],
)
def test_bad_cells_file_is_rejected(grid, tmp_path, rows, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_carreaux_200m", cells_file(tmp_path, rows, "bad.csv"))
    assert Carreau.objects.count() == 5


def test_missing_column_is_named(territoire, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Idcar_200m;Men\nCRS3035RES200mN1E1;3\n")
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) : Ind"):
        call_command("import_carreaux_200m", str(path))
