"""Demo opinions: most resolved reports had an e-mail (so were invited), about half answered."""

from django.db import transaction

from ..models import Signalement
from .models import Avis
from .services import RATED_STATUSES

COMMENTAIRES = {
    True: ["Rapide, merci.", "Propre et bien fait.", "", "", "Enfin !"],
    False: [
        "Le dépôt est revenu deux jours après.",
        "Toujours pareil.",
        "Réparation provisoire seulement.",
        "",
    ],
}


def generate_avis(rng):
    """Idempotent: only into an empty table of opinions. Returns how many were created."""
    if Avis.objects.exists():
        return 0
    resolved = list(
        Signalement.objects.filter(status__in=RATED_STATUSES, resolved_at__isnull=False).only(
            "pk", "categorie_id", "service_id", "commune_id", "resolved_at", "created_at"
        )
    )
    invited, opinions = [], []
    for report in resolved:
        if rng.random() > 0.7:
            continue
        report.reporter_email = f"habitant.{report.pk}@demo.observatoire.local"
        invited.append(report)
        if rng.random() > 0.45:
            continue
        fixed = rng.random() < 0.82
        note = rng.choice([4, 5, 5, 3, None]) if fixed else rng.choice([1, 2, 2, 3, None])
        opinions.append(
            Avis(
                signalement=report,
                probleme_regle=fixed,
                note=note,
                commentaire=rng.choice(COMMENTAIRES[fixed]),
                categorie_id=report.categorie_id,
                service_id=report.service_id,
                commune_id=report.commune_id,
                created_at=report.resolved_at,
            )
        )
    with transaction.atomic():
        Signalement.objects.bulk_update(invited, ["reporter_email"], batch_size=2000)
        Avis.objects.bulk_create(opinions, batch_size=2000)
    return len(opinions)
