"""The published format of DVF géolocalisées (Etalab), one row per mutation × parcel × local × culture."""

HEADER = [
    "id_mutation", "date_mutation", "numero_disposition", "nature_mutation", "valeur_fonciere",
    "adresse_numero", "adresse_suffixe", "adresse_nom_voie", "adresse_code_voie", "code_postal",
    "code_commune", "nom_commune", "code_departement", "ancien_code_commune", "ancien_nom_commune",
    "id_parcelle", "ancien_id_parcelle", "numero_volume", "lot1_numero", "lot1_surface_carrez",
    "lot2_numero", "lot2_surface_carrez", "lot3_numero", "lot3_surface_carrez", "lot4_numero",
    "lot4_surface_carrez", "lot5_numero", "lot5_surface_carrez", "nombre_lots", "code_type_local",
    "type_local", "surface_reelle_bati", "nombre_pieces_principales", "code_nature_culture",
    "nature_culture", "code_nature_culture_speciale", "nature_culture_speciale", "surface_terrain",
    "longitude", "latitude",
]  # fmt: skip

# The columns the importer needs; the others are read past.
USED = [
    "id_mutation", "date_mutation", "numero_disposition", "nature_mutation", "valeur_fonciere",
    "code_commune", "id_parcelle", "numero_volume", "lot1_numero", "type_local", "surface_reelle_bati",
    "nombre_pieces_principales", "code_nature_culture", "surface_terrain", "longitude", "latitude",
]  # fmt: skip

NUMBERS = ["valeur_fonciere", "surface_reelle_bati", "nombre_pieces_principales", "surface_terrain"]

# type_local as published → the kind of local counted on the mutation (0: no local on the row).
APPARTEMENT, MAISON, DEPENDANCE, ACTIVITE = 1, 2, 3, 4
TYPES_LOCAL = {
    "": 0,
    "Appartement": APPARTEMENT,
    "Maison": MAISON,
    "Dépendance": DEPENDANCE,
    "Local industriel. commercial ou assimilé": ACTIVITE,
}

VENTE = "Vente"
VEFA = "Vente en l'état futur d'achèvement"
VENTE_TERRAIN_A_BATIR = "Vente terrain à bâtir"
NATURES_VENTE = [VENTE, VEFA, VENTE_TERRAIN_A_BATIR]
NATURES = [*NATURES_VENTE, "Echange", "Adjudication", "Expropriation"]

CULTURE_TERRAIN_A_BATIR = "AB"
