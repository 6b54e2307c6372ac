from signalements.dashboard.hotspots import find_hotspots
from signalements.demo import HOTSPOTS, load_demo_signalements
from signalements.models import CategorieCommune, CelluleCarte, Signalement


def test_demo_set_up_is_realistic_and_idempotent(territoire):
    created = load_demo_signalements(count=200)
    assert created == 200 + sum(spot[-1] for spot in HOTSPOTS)
    assert CategorieCommune.objects.filter(commune__insee="13055", ouverture="tous").exists()
    assert CategorieCommune.objects.filter(commune__insee="13039", ouverture="agents").exists()
    assert CelluleCarte.objects.exists()  # the map grid is built with the data
    assert load_demo_signalements(count=200) == 0
    assert Signalement.objects.count() == created
    assert len(find_hotspots()) >= len(HOTSPOTS)
