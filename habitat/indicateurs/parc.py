"""The housing stock (INSEE census) and the social housing stock (RPLS), per commune and for the EPCI."""

from dataclasses import dataclass

from observatoire.imports.cells import weighted_mean
from observatoire.indicateurs.store import epci_of_communes, ratio, store, sum_by_epci

from ..models import LogementRecensement, ParcSocial
from .store import ensure

INSEE = "INSEE, recensement de la population, base « logement » par commune (base-cc-logement)"
RPLS = "SDES, répertoire des logements locatifs des bailleurs sociaux (RPLS), résultats par commune"


@dataclass(frozen=True)
class Spec:
    rubrique: str
    libelle: str
    unite: str
    field: str
    definition: str
    denominator: str | None = None  # census ratios: numerator field / this field × 100
    weight: str = "offered"  # RPLS rates: weight of the mean over arrondissements and communes


RECENSEMENT = {
    "parc-logements": Spec(
        "cadrage",
        "Logements",
        "logements",
        "logements",
        "Ensemble des logements : résidences principales, secondaires, occasionnelles et vacants.",
    ),
    "residences-principales": Spec(
        "cadrage",
        "Résidences principales",
        "logements",
        "residences_principales",
        "Logements occupés de façon habituelle et à titre principal par un ménage.",
    ),
    "part-residences-secondaires": Spec(
        "parc-existant",
        "Part des résidences secondaires",
        "%",
        "residences_secondaires",
        "Résidences secondaires et logements occasionnels rapportés à l'ensemble des logements.",
        denominator="logements",
    ),
    "taux-vacance-logements": Spec(
        "parc-existant",
        "Taux de vacance des logements",
        "%",
        "logements_vacants",
        "Logements vacants rapportés à l'ensemble des logements.",
        denominator="logements",
    ),
}
PARC_SOCIAL = {
    "taux-vacance-parc-social": Spec(
        "parc-existant", "Taux de vacance du parc social", "%", "tx_vac",
        "Logements sociaux vacants au 1er janvier rapportés aux logements proposés à la location "
        "(loués ou vacants).",
    ),
    "taux-mobilite-parc-social": Spec(
        "parc-existant", "Taux de mobilité du parc social", "%", "tx_mob",
        "Emménagements dans l'année rapportés aux logements proposés à la location depuis au moins un an.",
    ),
    "loyer-moyen-parc-social": Spec(
        "parc-existant", "Loyer moyen du parc social", "€/m²", "loymoy",
        "Loyer moyen hors charges par m² de surface habitable des logements loués.",
        weight="nb_loues",
    ),
}  # fmt: skip
WEIGHTS = {"offered": "les logements proposés à la location", "nb_loues": "les logements loués"}


def recompute():
    epci_of = epci_of_communes()
    return _recensement(epci_of) + _parc_social(epci_of)


def _recensement(epci_of):
    rows = list(LogementRecensement.objects.values())
    count = 0
    for code, spec in RECENSEMENT.items():
        methode = (
            "Recensement (estimation pondérée de l'INSEE) ; millésime = année de référence du recensement."
        )
        if spec.denominator:
            methode += " Métropole : rapport des sommes des communes."
        indicateur = ensure(
            code,
            rubrique=spec.rubrique,
            libelle=spec.libelle,
            unite=spec.unite,
            definition=spec.definition,
            methode=methode,
            source=INSEE,
        )
        count += store(indicateur, *_ratio_values(rows, spec.field, spec.denominator, epci_of))
    return count


def _ratio_values(rows, numerator, denominator, epci_of):
    """Per commune num/den × 100 (or num itself); per EPCI the ratio of the sums, not a mean of ratios."""
    key = lambda row: (row["commune_id"], row["millesime"])  # noqa: E731
    nums = {key(row): row[numerator] for row in rows}
    if denominator is None:
        return nums, sum_by_epci(nums, epci_of)
    both = [row for row in rows if row[numerator] is not None and row[denominator]]
    dens = {key(row): row[denominator] for row in both}
    nums = {key(row): row[numerator] for row in both}
    epci_nums, epci_dens = sum_by_epci(nums, epci_of), sum_by_epci(dens, epci_of)
    return (
        {k: ratio(nums[k], dens[k]) for k in nums},
        {k: ratio(epci_nums[k], epci_dens[k]) for k in epci_nums},
    )


def _parc_social(epci_of):
    rows = list(ParcSocial.objects.values())
    for row in rows:
        row["offered"] = (row["nb_loues"] or 0) + (row["nb_vacants"] or 0)
    count = store(
        ensure(
            "logements-sociaux",
            rubrique="parc-existant",
            libelle="Logements sociaux",
            unite="logements",
            definition="Logements locatifs des bailleurs sociaux au 1er janvier (loués, vacants, vides…).",
            methode="Nombre nb_ls du RPLS ; Marseille : somme de ses arrondissements.",
            source=RPLS,
        ),
        *_ratio_values(rows, "nb_ls", None, epci_of),
    )
    count += store(
        ensure(
            "part-logements-sociaux-qpv",
            rubrique="renouvellement-urbain",
            libelle="Part des logements sociaux situés en QPV",
            unite="%",
            definition="Logements sociaux situés dans un quartier prioritaire de la politique de la ville, "
            "rapportés à l'ensemble des logements sociaux de la commune.",
            methode="nb_ls_en_qpv / nb_ls du RPLS. Métropole : rapport des sommes des communes.",
            source=RPLS,
        ),
        *_ratio_values(rows, "nb_ls_en_qpv", "nb_ls", epci_of),
    )
    for code, spec in PARC_SOCIAL.items():
        indicateur = ensure(
            code,
            rubrique=spec.rubrique,
            libelle=spec.libelle,
            unite=spec.unite,
            definition=spec.definition,
            methode=f"Valeur {spec.field} publiée par commune. Marseille et la métropole : moyenne des "
            f"arrondissements ou des communes pondérée par {WEIGHTS[spec.weight]}.",
            source=RPLS,
        )
        communes = {(row["commune_id"], row["millesime"]): row[spec.field] for row in rows}
        groups = {}
        for row in rows:
            if row["commune_id"] in epci_of:
                key = (epci_of[row["commune_id"]], row["millesime"])
                groups.setdefault(key, []).append((row[spec.field], row[spec.weight]))
        count += store(indicateur, communes, {k: weighted_mean(pairs) for k, pairs in groups.items()})
    return count
