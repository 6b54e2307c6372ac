"""PLH objectives and how far the dwellings authorised each year (Sitadel) reach them."""

from observatoire.indicateurs.store import epci_of_communes, ratio, store, sum_by_epci

from ..models import ObjectifPlh
from .sitadel import per_commune
from .store import ensure

SOURCE = "Métropole (objectifs du PLH) ; SDES, base Sitadel (logements autorisés)"


def yearly_objectives():
    """{(commune id, year): objective} for every year of every PLH period."""
    return {
        (cid, year): objective
        for cid, start, end, objective in ObjectifPlh.objects.values_list(
            "commune_id", "annee_debut", "annee_fin", "objectif_logements_par_an"
        )
        for year in range(start, end + 1)
    }


def recompute():
    epci_of = epci_of_communes()
    objectives = yearly_objectives()
    count = store(
        ensure(
            "objectif-plh",
            rubrique="nouvelle-offre",
            libelle="Objectif de production de logements du PLH",
            unite="logements par an",
            definition="Nombre de logements à produire chaque année selon le programme local de l'habitat.",
            methode="Objectif annuel de la période du PLH qui couvre l'année.",
            source="Métropole (objectifs du PLH)",
        ),
        objectives,
        sum_by_epci(objectives, epci_of),
    )
    authorised = per_commune("logements_autorises")
    sitadel_years = {year for _, year in authorised}
    # A commune without any authorisation in a year Sitadel covers reached 0 % of its objective.
    reached = {k: authorised.get(k, 0) for k in objectives if k[1] in sitadel_years}
    epci_reached, epci_objectives = (
        sum_by_epci(reached, epci_of),
        sum_by_epci({k: objectives[k] for k in reached}, epci_of),
    )
    return count + store(
        ensure(
            "taux-atteinte-plh",
            rubrique="nouvelle-offre",
            libelle="Taux d'atteinte de l'objectif PLH",
            unite="%",
            definition="Logements autorisés dans l'année rapportés à l'objectif annuel du PLH de la commune.",
            methode="Logements autorisés (Sitadel, tous types) / objectif annuel du PLH × 100. Métropole : "
            "somme des logements autorisés des communes ayant un objectif / somme de leurs objectifs.",
            source=SOURCE,
        ),
        {k: ratio(reached[k], objectives[k]) for k in reached},
        {k: ratio(epci_reached[k], epci_objectives[k]) for k in epci_reached},
    )
