"""Demo: the partner has asked for the gisements inventory; the AGD finds the request to decide."""

from observatoire.accounts.demo import DEMO_DOMAIN

from .models import DemandeAcces, JeuDeDonnees


def load_demo_acces():
    from observatoire.accounts.models import User

    partenaire = User.objects.filter(email=f"partenaire@{DEMO_DOMAIN}").first()
    jeu = JeuDeDonnees.objects.filter(slug="gisements-fonciers").first()
    if not (partenaire and jeu) or DemandeAcces.objects.filter(demandeur=partenaire).exists():
        return 0
    DemandeAcces.objects.create(
        jeu=jeu,
        demandeur=partenaire,
        organisation=partenaire.organisation,
        finalite=(
            "Croiser l'inventaire des gisements avec les fichiers fonciers pour estimer le potentiel de "
            "renouvellement urbain dans l'étude de densification 2027."
        ),
        duree_mois=6,
    )
    return 1
