from django import template

from observatoire.identite import providers

register = template.Library()


@register.inclusion_tag("identite/boutons.html", takes_context=True)
def identite_boutons(context):
    """The ProConnect and FranceConnect buttons, each only when its provider is configured."""
    request = context["request"]
    return {
        "providers": {provider.slug: provider for provider in providers.configured()},
        "next": request.GET.get("next", ""),
    }
