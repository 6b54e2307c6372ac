"""Demo questions for the demo categories: what a metropolis would really ask, one blocking answer."""

import random

from django.db import transaction

from ..models import Categorie
from .models import Choix, Question, QuestionType

DANGER_112 = (
    "Danger immédiat : éloignez-vous, ne touchez à rien et appelez le 112 (ou le 18). "
    "Ce formulaire n'est pas lu en urgence."
)

# (category, code, label, help, type, required, public, [(key, label, blocking message or "")])
QUESTIONS = [
    ("eclairage", "danger", "Y a-t-il un danger immédiat ?", "Câble à nu, candélabre tombé ou penché, armoire ouverte.",
     QuestionType.CHOIX_UNIQUE, True, False,
     [("non", "Non", ""), ("oui", "Oui : câble à nu, candélabre tombé ou armoire ouverte", DANGER_112)]),
    ("eclairage", "points-eteints", "Combien de points lumineux sont éteints ?", "Une estimation suffit.",
     QuestionType.NOMBRE, False, True, []),
    ("eclairage", "constate-le", "Quand l'avez-vous constaté ?", "",
     QuestionType.DATE_HEURE, False, False, []),
    ("voirie", "taille", "Quelle taille fait le trou ou la dégradation ?", "",
     QuestionType.CHOIX_UNIQUE, True, True,
     [("petit", "Moins de 20 cm", ""), ("moyen", "De 20 à 50 cm", ""), ("grand", "Plus de 50 cm", "")]),
    ("voirie", "genes", "Qui est gêné ?", "Plusieurs réponses possibles.",
     QuestionType.CHOIX_MULTIPLE, False, True,
     [("pietons", "Piétons", ""), ("velos", "Cyclistes", ""), ("vehicules", "Véhicules", ""),
      ("pmr", "Personnes à mobilité réduite", "")]),
    ("proprete", "volume", "Quel volume environ ?", "",
     QuestionType.CHOIX_UNIQUE, False, True,
     [("sac", "Quelques sacs", ""), ("coffre", "Un coffre de voiture", ""), ("camion", "Un camion ou plus", "")]),
    ("proprete", "depuis", "Depuis quand est-ce là ?", "",
     QuestionType.DATE, False, False, []),
    ("proprete", "detail", "Un détail qui aidera l'équipe sur place ?", "Ex. derrière le conteneur vert.",
     QuestionType.TEXTE, False, False, []),
]  # fmt: skip


@transaction.atomic
def load_questions():
    categories = {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}
    for ordre, (code_cat, code, libelle, aide, kind, required, public, choices) in enumerate(QUESTIONS):
        if code_cat not in categories:
            continue
        question, _ = Question.objects.update_or_create(
            categorie=categories[code_cat],
            code=code,
            defaults={
                "libelle": libelle,
                "aide": aide,
                "type": kind,
                "obligatoire": required,
                "publique": public,
                "ordre": ordre,
            },
        )
        for choice_ordre, (key, label, blocking) in enumerate(choices):
            Choix.objects.update_or_create(
                question=question,
                valeur=key,
                defaults={
                    "libelle": label,
                    "ordre": choice_ordre,
                    "bloquant": bool(blocking),
                    "message_blocage": blocking,
                },
            )


GENES = ["pietons", "velos", "vehicules", "pmr"]


def demo_answers(code, number):
    """Plausible answers for the n-th generated report of a category (its own generator, so that the
    other random draws of the demo stay as they were)."""
    rng = random.Random(f"{code}-{number}")
    if code == "eclairage":
        return {"danger": "non", "points-eteints": rng.randint(1, 6)}
    if code == "voirie":
        genes = set(rng.sample(GENES, rng.randint(1, 2)))
        return {"taille": rng.choice(["petit", "moyen", "grand"]), "genes": [g for g in GENES if g in genes]}
    if code == "proprete":
        return {"volume": rng.choice(["sac", "sac", "coffre", "camion"])}
    return {}
