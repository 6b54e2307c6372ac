"""``{% load questions %}``: a report's answers in words (question and choice labels) for pages and mails."""

from django import template

from ..questions.answers import labelled

register = template.Library()


@register.simple_tag
def reponses_lisibles(signalement):
    """[(question, answer)] of a report, empty when it has no answer."""
    return labelled(signalement.categorie, signalement.reponses, signalement.sous_categorie)
