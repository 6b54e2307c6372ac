"""Inventory of the public algorithms the portal applies (Code des relations entre le public et
l'administration, art. L312-1-3, from the Loi pour une République numérique)."""

from django.db import models


class Algorithme(models.Model):
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    nom = models.CharField(max_length=200)
    finalite = models.TextField("à quoi il sert")
    description = models.TextField("comment il fonctionne", help_text="En langage courant")
    donnees = models.TextField("données utilisées")
    parametres = models.TextField("paramètres et seuils", blank=True)
    decision = models.TextField(
        "effet sur les décisions",
        help_text="Aide à la décision ou décision automatique ; place de l'intervention humaine",
    )
    code_source = models.CharField("module du code source", max_length=200, blank=True)
    public = models.BooleanField("publié", default=True)
    ordre = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "algorithme public"
        verbose_name_plural = "inventaire des algorithmes publics"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


# What the portal's code really does (kept next to the model so a change of code is a change here).
PORTAL_ALGORITHMS = [
    {
        "slug": "routage-signalements",
        "nom": "Orientation des signalements vers le service compétent",
        "finalite": "Transmettre chaque signalement au service qui intervient, sans ressaisie.",
        "description": (
            "La commune est trouvée à partir du point placé sur la carte. Chaque commune indique, pour "
            "chaque catégorie (propreté, voirie, éclairage…), si elle l'ouvre à tous, aux seuls agents "
            "ou pas du tout, et quel service la traite. Quand le gestionnaire transmet un signalement, "
            "le service proposé est celui que la commune a choisi pour cette catégorie ; s'il change "
            "la catégorie ou déplace le point, le service suit."
        ),
        "donnees": "Position du signalement, limites communales, catégorie, réglages de chaque commune.",
        "parametres": (
            "Table d'orientation par commune et catégorie, modifiable par l'administrateur communal."
        ),
        "decision": (
            "Aide à la décision : un gestionnaire valide chaque transmission et peut choisir un autre "
            "service. Le service peut renvoyer le signalement au tri."
        ),
        "code_source": "signalements/workflow.py (routing_service), signalements/availability.py",
        "ordre": 10,
    },
    {
        "slug": "file-de-tri",
        "nom": "Ordre de traitement et détection des doublons",
        "finalite": "Traiter les signalements dans l'ordre d'arrivée et éviter les interventions en double.",
        "description": (
            "La file du gestionnaire présente les signalements du plus ancien au plus récent ; aucun "
            "score ne classe les personnes ou les quartiers. Au dépôt, les signalements ouverts de la "
            "même catégorie à moins de 50 mètres et de moins de 30 jours sont proposés : l'habitant peut "
            "soutenir l'existant au lieu d'en créer un nouveau."
        ),
        "donnees": "Date de dépôt, catégorie, position, statut des signalements ouverts.",
        "parametres": "Rayon de 50 m et fenêtre de 30 jours pour les doublons possibles.",
        "decision": "Aucune décision automatique : le gestionnaire seul classe un signalement en doublon.",
        "code_source": "signalements/services.py (similar_open_reports), signalements/backoffice/views.py",
        "ordre": 20,
    },
    {
        "slug": "points-noirs",
        "nom": "Détection des points noirs (signalements récurrents)",
        "finalite": "Repérer les lieux où les signalements reviennent, pour agir à la source.",
        "description": (
            "Sur les signalements des 90 derniers jours, un lieu forme un point noir quand au moins 5 "
            "signalements, toutes catégories confondues, se trouvent à moins de 100 mètres les uns des "
            "autres (méthode DBSCAN calculée par la base de données). Le tableau de bord montre ces "
            "zones, leur nombre de signalements et la catégorie dominante."
        ),
        "donnees": "Position, date, catégorie et statut des signalements (sans donnée sur les auteurs).",
        "parametres": (
            "100 m, 5 signalements, 90 jours par défaut ; l'utilisateur du tableau de bord peut les "
            "ajuster (20 à 500 m, 3 à 50 signalements, 7 à 365 jours)."
        ),
        "decision": "Aide à la décision des élus et des services ; aucune intervention n'est déclenchée.",
        "code_source": "signalements/dashboard/hotspots.py",
        "ordre": 30,
    },
    {
        "slug": "regroupement-carte",
        "nom": "Regroupement des signalements sur les cartes",
        "finalite": "Afficher des milliers de signalements lisiblement, à toutes les échelles.",
        "description": (
            "La carte est découpée en carrés d'environ 80 pixels à l'écran ; chaque carré montre le "
            "nombre de signalements qu'il contient, placé à leur position moyenne. Aux zooms les plus "
            "larges, ces comptes sont préparés toutes les cinq minutes ; au niveau de la rue, les "
            "points eux-mêmes sont affichés."
        ),
        "donnees": "Position, statut, catégorie et commune des signalements.",
        "parametres": "Carrés de 80 pixels ; points individuels à partir du zoom 17.",
        "decision": "Représentation seulement ; aucun effet sur le traitement.",
        "code_source": "signalements/clusters.py, signalements/grid.py",
        "ordre": 40,
    },
    {
        "slug": "effacement-donnees-signalements",
        "nom": "Effacement des données personnelles des signalements",
        "finalite": "Ne garder les données des auteurs que le temps nécessaire.",
        "description": (
            "Chaque nuit, les signalements clos, rejetés ou doublons depuis plus de 12 mois perdent "
            "l'adresse électronique et l'adresse IP de leur auteur, le lien à son compte et les "
            "courriels envoyés ; le signalement anonyme reste pour les statistiques."
        ),
        "donnees": "Statut et date de clôture des signalements.",
        "parametres": "Durée fixée par le réglage SIGNALEMENT_PERSONAL_DATA_MONTHS (12 mois).",
        "decision": "Traitement automatique, sans effet sur le fond du signalement.",
        "code_source": "signalements/retention.py",
        "ordre": 50,
    },
    {
        "slug": "indicateurs-observatoires",
        "nom": "Calcul des indicateurs des observatoires",
        "finalite": "Produire des indicateurs comparables par commune, pour la métropole.",
        "description": (
            "Les fichiers officiels (Sitadel, RPLS, INSEE, DVF…) sont importés tels que publiés, "
            "vérifiés ligne à ligne, puis chaque indicateur est recalculé selon la méthode affichée sur "
            "sa fiche. Les arrondissements de Marseille sont additionnés pour obtenir la commune. Le "
            "portrait d'une commune la classe parmi les autres pour chaque indicateur."
        ),
        "donnees": "Fichiers statistiques publics par commune ; population et limites communales.",
        "parametres": "Méthode, source et millésime indiqués sur la fiche de chaque indicateur.",
        "decision": "Information et aide à la décision ; aucune décision individuelle.",
        "code_source": "observatoire/indicateurs/, habitat/, foncier/, mobilite/",
        "ordre": 60,
    },
    {
        "slug": "classes-cartes",
        "nom": "Découpage en classes des cartes d'indicateurs",
        "finalite": "Colorer les communes d'une carte selon la valeur d'un indicateur.",
        "description": (
            "Les valeurs des communes sont réparties en 3 à 7 classes (5 par défaut) selon la méthode "
            "choisie par l'utilisateur : quantiles (autant de communes par classe), seuils naturels de "
            "Jenks (classes les plus homogènes) ou intervalles égaux. La légende affiche les bornes."
        ),
        "donnees": "Valeurs de l'indicateur pour le millésime choisi.",
        "parametres": "Méthode et nombre de classes au choix de l'utilisateur.",
        "decision": "Représentation seulement.",
        "code_source": "observatoire/indicateurs/classes.py (bibliothèque mapclassify)",
        "ordre": 70,
    },
]


def sync_portal_algorithms(apps=None):
    """Create the missing entries; an entry an editor rewrote is left as it is."""
    model = apps.get_model("gouvernance", "Algorithme") if apps else Algorithme
    created = 0
    for entry in PORTAL_ALGORITHMS:
        values = dict(entry)
        created += model.objects.get_or_create(slug=values.pop("slug"), defaults=values)[1]
    return created
