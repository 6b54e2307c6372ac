from django.db import models


class Statut(models.TextChoices):
    ACTIF = "actif", "Actif"
    EN_COURS = "en_cours", "En cours de développement"
    EN_PROJET = "en_projet", "En projet"


class TypeContenu(models.TextChoices):
    """The six kinds of content of an observatory site."""

    DONNEE = "donnee", "Donnée à télécharger"
    TABLEAU_DE_BORD = "tableau_de_bord", "Tableau de bord"
    LIEN = "lien", "Lien vers un autre outil"
    ETUDE = "etude", "Étude à télécharger"
    CARTE = "carte", "Carte à télécharger"
    CARTE_DYNAMIQUE = "carte_dynamique", "Carte dynamique"


DOWNLOADS = {TypeContenu.DONNEE, TypeContenu.ETUDE, TypeContenu.CARTE}


class Visibilite(models.TextChoices):
    """Audiences, from the widest to the narrowest."""

    PUBLIC = "public", "Public"
    PARTENAIRES = "partenaires", "Agents, élus, agents communaux et partenaires autorisés"
    COMMUNAUX = "communaux", "Agents et élus de la métropole, agents communaux"
    AGENTS_ELUS = "agents_elus", "Agents et élus de la métropole"
