"""« Intégrer »: the disclosure widget giving the <iframe> snippet of an embed view."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("integrer/_bouton.html", takes_context=True)
def bouton_integrer(context, view_name, *args, title, query=""):
    url = context["request"].build_absolute_uri(reverse(view_name, args=args))
    return {
        "embed_url": f"{url}?{query}" if query else url,
        "embed_title": title,
        "embed_id": "code-integration-" + view_name.rsplit(":", 1)[-1],
    }
