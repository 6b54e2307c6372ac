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
    ("fiscalite", "Observatoire de la fiscalité", "Fiscalité", "actif",
     "Taux votés, bases et produits de la fiscalité directe locale, finances et dotations des communes, "
     "comparés entre les communes et dans le temps.",
     [("taux-et-bases", "Taux, bases et produits fiscaux"), ("finances-communales", "Finances communales"),
      ("dotations", "Dotations et potentiel financier")]),
    ("environnement", "Observatoire de l'environnement", "Environnement", "actif",
     "Risques naturels, qualité de l'air, espaces naturels protégés, consommation d'espace, cadre de vie.",
     [("espace-public", "Espace public et cadre de vie"), ("risques", "Risques naturels et technologiques"),
      ("qualite-air", "Qualité de l'air"), ("espaces-naturels", "Espaces naturels protégés et inventoriés"),
      ("sobriete-fonciere", "Consommation d'espaces naturels")]),
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
