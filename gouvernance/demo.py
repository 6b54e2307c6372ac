"""Demo governance records: documents with generated PDFs, designations, partners, committee, register.

Idempotent: records are found by their identifiers, and what exists (a status already moved, a
version already uploaded, meetings already held) is left alone.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.demo import DEMO_DOMAIN
from observatoire.accounts.enums import OrganisationType
from observatoire.accounts.models import Organisation, User

from .exports import document_pdf
from .models import (
    Comite,
    ContactPartenaire,
    Designation,
    DocumentGouvernance,
    JeuDeDonnees,
    Partenariat,
    Principe,
    Reunion,
    Traitement,
    VersionDocument,
)
from .models.algorithmes import sync_portal_algorithms
from .models.documents import StatutDocument, TypeDocument, Visibilite
from .models.partenaires import SensFlux
from .models.registre import BaseLegale, preregister
from .models.roles import Fonction

S = StatutDocument
CHARTE_PRINCIPES = [
    (
        "Des données publiques maîtrisées",
        "Les données produites ou collectées pour le service public restent "
        "sous la maîtrise de la métropole, quel que soit le prestataire qui les héberge ou les traite.",
    ),
    (
        "Des algorithmes expliqués",
        "Tout traitement algorithmique appliqué aux usagers est décrit en langage "
        "courant dès sa conception et publié dans l'inventaire des algorithmes.",
    ),
    (
        "Ouvertes par défaut",
        "Les données non sensibles sont publiées en open data, gratuitement, sous licence ouverte.",
    ),
    (
        "Partagées avec le territoire",
        "Les données d'intérêt général sont centralisées et partagées avec les "
        "communes et les partenaires publics.",
    ),
    (
        "Interopérables",
        "Les données publiées respectent les standards nationaux et européens (schémas, "
        "DCAT-AP, formats ouverts).",
    ),
    (
        "Protectrices des personnes",
        "Les données personnelles sont minimisées, protégées et effacées au terme "
        "de leur durée de conservation.",
    ),
    ("Sûres", "L'accès aux données sensibles est limité, tracé et revu régulièrement."),
    (
        "Ouvertes à l'expérimentation",
        "La métropole expérimente de nouveaux usages des données avec ses "
        "partenaires et les habitants, dans un cadre écrit à l'avance.",
    ),
]


@transaction.atomic
def load_demo_gouvernance():
    """Create the demo records; returns the number of documents created (0 on a second run)."""
    preregister()
    sync_portal_algorithms()
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@" + DEMO_DOMAIN)}
    agd = users.get("agd")
    agam, cerema = _partners()
    created = _documents(agd, agam, cerema)
    _designations(users)
    _committee(users)
    _register()
    return created


def _partners():
    agam, _ = Organisation.objects.get_or_create(
        nom="Agence d'urbanisme de l'agglomération marseillaise",
        defaults={"sigle": "AGAM", "type": OrganisationType.ASSOCIATION, "site_web": "https://www.agam.org"},
    )
    # The partner organisation of the demo accounts (observatoire/accounts/demo.py).
    cerema, _ = Organisation.objects.get_or_create(
        nom="Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement",
        defaults={"sigle": "Cerema", "type": OrganisationType.ETABLISSEMENT_PUBLIC},
    )
    for organisation, sens, donnees, contact in [
        (
            agam,
            SensFlux.RECIPROQUE,
            "Gisements fonciers, zones AU, permis de construire, logement social.",
            ("Responsable du pôle données", "donnees@agam.example"),
        ),
        (
            cerema,
            SensFlux.ENTRANT,
            "Fichiers fonciers retraités, consommation d'espaces, accidentalité.",
            ("Chargé d'études données", "etudes@cerema.example"),
        ),
    ]:
        partenariat, created = Partenariat.objects.get_or_create(
            organisation=organisation,
            defaults={"sens_flux": sens, "donnees": donnees, "depuis": date(2022, 9, 1)},
        )
        if created:
            ContactPartenaire.objects.create(partenariat=partenariat, nom=contact[0], email=contact[1])
    return agam, cerema


DOCUMENTS = [
    (
        "charte-de-la-donnee",
        "Charte de la donnée",
        TypeDocument.CHARTE,
        Visibilite.PUBLIC,
        S.EN_VIGUEUR,
        "Les principes qui guident la production, le partage et l'ouverture des données de la métropole.",
    ),
    (
        "clause-d-interface",
        "Clause d'interface des données entrantes",
        TypeDocument.CLAUSE_INTERFACE,
        Visibilite.PUBLIC,
        S.EN_VIGUEUR,
        "Clause insérée dans les marchés et conventions : formats, fréquence et droits sur les données remises "
        "à la métropole par ses prestataires et partenaires.",
    ),
    (
        "acte-unilateral",
        "Acte unilatéral de mise à disposition des données",
        TypeDocument.ACTE_UNILATERAL,
        Visibilite.PUBLIC,
        S.EN_VIGUEUR,
        "Conditions dans lesquelles la métropole met ses données à disposition d'autres acteurs.",
    ),
    (
        "reglement-general-de-la-donnee",
        "Règlement général de la donnée",
        TypeDocument.REGLEMENT,
        Visibilite.PUBLIC,
        S.EN_CONCEPTION,
        "Rôle des documents (charte, clause d'interface, acte unilatéral) et des acteurs (agents, partenaires) ; "
        "il sera soumis au conseil métropolitain.",
    ),
    (
        "convention-agam",
        "Convention d'échange de données avec l'AGAM",
        TypeDocument.CONVENTION,
        Visibilite.PUBLIC,
        S.EN_VIGUEUR,
        "Partage des données et des méthodes qui alimentent les observatoires ; comité de suivi tous les deux "
        "mois.",
    ),
    (
        "convention-cerema",
        "Convention d'échange de données avec le Cerema",
        TypeDocument.CONVENTION,
        Visibilite.INTERNE,
        S.DELIBERE,
        "Mise à disposition des fichiers fonciers retraités et des études de consommation d'espaces.",
    ),
]

DELIBERATIONS = {
    "charte-de-la-donnee": (date(2022, 6, 30), "NUM 005-12045/22/CM"),
    "clause-d-interface": (date(2022, 6, 30), "NUM 006-12046/22/CM"),
    "acte-unilateral": (date(2022, 6, 30), "NUM 007-12047/22/CM"),
    "convention-agam": (date(2023, 10, 19), "URBA 014-14532/23/CM"),
    "convention-cerema": (date(2024, 12, 12), "URBA 021-17210/24/BM"),
}


def _documents(agd, agam, cerema):
    created = 0
    for slug, titre, kind, visibilite, target, resume in DOCUMENTS:
        organisation = {"convention-agam": agam, "convention-cerema": cerema}.get(slug)
        doc, was_created = DocumentGouvernance.objects.get_or_create(
            slug=slug,
            defaults={
                "titre": titre,
                "type": kind,
                "visibilite": visibilite,
                "resume": resume,
                "organisation": organisation,
            },
        )
        if not was_created:
            continue
        created += 1
        if kind == TypeDocument.CHARTE:
            Principe.objects.bulk_create(
                Principe(document=doc, numero=n, intitule=intitule, texte=texte)
                for n, (intitule, texte) in enumerate(CHARTE_PRINCIPES, start=1)
            )
        paragraphs = [resume] + [
            f"{n}. {i} : {t}" for n, (i, t) in enumerate(CHARTE_PRINCIPES, 1) if kind == TypeDocument.CHARTE
        ]
        VersionDocument.objects.create(
            document=doc,
            fichier=ContentFile(document_pdf(titre, paragraphs), name=f"{slug}.pdf"),
            note="Version initiale",
            deposited_by=agd,
        )
        if target != S.EN_CONCEPTION:
            deliberation, reference = DELIBERATIONS[slug]
            doc.transition(
                S.DELIBERE,
                by=agd,
                date_deliberation=deliberation,
                reference=reference,
                motif="Adopté par le conseil métropolitain",
            )
        if target == S.EN_VIGUEUR:
            doc.transition(
                S.EN_VIGUEUR,
                by=agd,
                motif="Publication de la délibération",
                date=doc.date_deliberation + relativedelta(months=1),
            )
    return created


def _designations(users):
    rows = [
        (
            Fonction.AGD,
            "agd",
            "",
            "Direction du numérique et des systèmes d'information",
            False,
            "administration-donnees@" + DEMO_DOMAIN,
        ),
        (
            Fonction.DPO,
            "dpo",
            "",
            "Direction des affaires juridiques",
            False,
            "protection-donnees@" + DEMO_DOMAIN,
        ),
        (
            Fonction.DPO,
            None,
            "Élodie Garcia",
            "Direction des affaires juridiques",
            True,
            "protection-donnees@" + DEMO_DOMAIN,
        ),
        (
            Fonction.RSSI,
            "rssi",
            "",
            "Direction du numérique et des systèmes d'information",
            False,
            "securite-si@" + DEMO_DOMAIN,
        ),
    ]
    for fonction, login, nom, service, delegue, contact in rows:
        personne = users.get(login) if login else None
        if login and personne is None:
            continue
        Designation.objects.get_or_create(
            fonction=fonction,
            personne=personne,
            nom=nom,
            delegue=delegue,
            defaults={"service": service, "contact": contact, "debut": date(2022, 6, 1)},
        )


def _committee(users):
    comite, _ = Comite.objects.get_or_create(
        nom="Comité de suivi des données",
        defaults={
            "mission": "Réunit la métropole et les agences d'urbanisme pour suivre les échanges de données, "
            "la programmation des observatoires et les demandes d'accès."
        },
    )
    members = [users[k] for k in ("agd", "dpo", "rssi", "agent.metropole", "etudes") if k in users]
    comite.membres.add(*members)
    if comite.reunions.exists():
        return
    today = timezone.localdate()
    agenda = [
        (
            "Bilan des échanges de l'année ; demandes d'accès en cours ; calendrier des millésimes.",
            "Ouvrir en open data les gisements fonciers consolidés. Relancer le Cerema sur les fichiers fonciers.",
        ),
        (
            "Méta-catalogue : sensibilité des jeux ; registre des traitements.",
            "Classer le jeu des signalements complets en données personnelles ; accès réservé aux services.",
        ),
        (
            "Observatoire de l'habitat : atlas du logement social ; règlement général de la donnée.",
            "Le projet de règlement sera présenté aux élus avant délibération.",
        ),
    ]
    for months_ago, (ordre, decisions) in zip((5, 3, 1), agenda, strict=True):
        day = today - relativedelta(months=months_ago)
        reunion = Reunion.objects.create(
            comite=comite,
            date=day,
            lieu="Le Pharo, Marseille",
            ordre_du_jour=ordre,
            decisions=decisions,
            participants_externes="AGAM\nAgence d'urbanisme du Pays d'Aix",
        )
        reunion.participants.set(members)
        pdf = document_pdf(
            f"Compte rendu du comité de suivi des données du {day:%d/%m/%Y}",
            [f"Ordre du jour : {ordre}", f"Décisions : {decisions}"],
        )
        reunion.compte_rendu.save("compte-rendu.pdf", ContentFile(pdf), save=True)


def _register():
    extra = [
        {
            "code": "comptes-utilisateurs",
            "nom": "Comptes des utilisateurs du portail",
            "service": "Direction du numérique et des systèmes d'information",
            "finalite": "Permettre aux habitants, agents, élus et partenaires de se connecter, et attribuer "
            "à chacun ses droits selon son rôle et son territoire.",
            "base_legale": BaseLegale.MISSION_PUBLIQUE,
            "categories_donnees": "Nom, prénom, adresse électronique, fonction, organisation, rôles, communes, "
            "dates de connexion, tentatives de connexion échouées (adresse IP).",
            "personnes_concernees": "Habitants inscrits, agents, élus, agents des partenaires.",
            "destinataires": "Administrateurs du portail ; AGD pour les droits d'accès des partenaires.",
            "duree_conservation": "Durée d'utilisation du compte, puis suppression 3 ans après la dernière "
            "connexion ; tentatives de connexion : 90 jours.",
            "mesures_securite": "Mots de passe hachés (PBKDF2) ; blocage après 5 échecs ; HTTPS ; comptes "
            "de démonstration refusés en production.",
        },
        {
            "code": "journal-telechargements",
            "nom": "Journal des téléchargements de données restreintes",
            "service": "Administration générale des données",
            "finalite": "Tracer qui télécharge les jeux de données restreints, pour contrôler le respect des "
            "droits d'accès accordés aux partenaires.",
            "base_legale": BaseLegale.OBLIGATION,
            "base_legale_precision": "Obligation de sécurité du responsable de traitement (RGPD art. 32).",
            "categories_donnees": "Compte, organisation, jeu téléchargé, date et heure, adresse IP.",
            "personnes_concernees": "Agents et partenaires qui téléchargent des données restreintes.",
            "destinataires": "AGD et RSSI.",
            "duree_conservation": "1 an, puis suppression.",
            "mesures_securite": "Journal en ajout seul ; consultation réservée à l'AGD et au RSSI.",
        },
    ]
    for entry in extra:
        Traitement.objects.get_or_create(code=entry.pop("code"), defaults=entry)
    signalements = Traitement.objects.get(code="signalements")
    signalements.jeux.add(*JeuDeDonnees.objects.filter(slug__startswith="signalements"))
