"""The observatories of the metropolis and their rubriques, as shipped by a data migration."""

OBSERVATOIRES = [
    ("habitat", "Observatoire de l'habitat", "Habitat", "actif",
     "Le logement dans les communes : parc existant, logement social, construction, publics, marchés.",
     [("cadrage", "Données de cadrage"), ("parc-existant", "Suivi du parc existant"),
      ("nouvelle-offre", "Nouvelle offre de logements"), ("publics-specifiques", "Publics spécifiques"),
      ("renouvellement-urbain", "Renouvellement urbain"), ("marches-immobiliers", "Marchés immobiliers")]),
    ("foncier", "Observatoire du foncier", "Foncier", "actif",
     "Marchés fonciers, consommation d'espace et trajectoire ZAN, gisements fonciers.",
     [("marches-fonciers", "Marchés fonciers"), ("consommation-espace", "Consommation d'espace et ZAN"),
      ("gisements", "Gisements fonciers"), ("urbanisme", "Documents d'urbanisme et autorisations")]),
    ("mobilite", "Observatoire de la mobilité", "Mobilité", "en_cours",
     "Offre de transport en commun, déplacements domicile-travail, accessibilité des équipements.",
     [("offre-transport", "Offre de transport"), ("domicile-travail", "Déplacements domicile-travail"),
      ("accessibilite", "Accessibilité des équipements")]),
    ("fiscalite", "Observatoire de la fiscalité", "Fiscalité", "en_cours",
     "Bases et produits fiscaux des communes, comparaisons intercommunales.", []),
    ("environnement", "Observatoire de l'environnement", "Environnement", "en_projet",
     "Qualité de l'air, risques, nature en ville.",
     [("espace-public", "Espace public et cadre de vie")]),
]  # fmt: skip


def sync_observatoires(apps):
    """Create or update the metropolis' observatories and rubriques (data migrations, tests)."""
    Observatoire = apps.get_model("observatoires", "Observatoire")
    Rubrique = apps.get_model("observatoires", "Rubrique")
    for ordre, (slug, nom, theme, statut, description, rubriques) in enumerate(OBSERVATOIRES):
        observatoire, _ = Observatoire.objects.update_or_create(
            slug=slug,
            defaults={
                "nom": nom,
                "theme": theme,
                "statut": statut,
                "description": description,
                "ordre": ordre,
            },
        )
        for rang, (rslug, rnom) in enumerate(rubriques):
            Rubrique.objects.update_or_create(
                observatoire=observatoire, slug=rslug, defaults={"nom": rnom, "ordre": rang}
            )
