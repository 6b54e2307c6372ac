from django import template

from .. import services
from ..policy import SESSION_KEY, requires_second_factor

register = template.Library()


@register.simple_tag(takes_context=True)
def etat_second_facteur(context):
    """What « Mon compte » says of the user's second factor."""
    request = context["request"]
    device = services.authenticator(request.user)
    return {
        "active": device is not None,
        "since": device.created_at if device else None,
        "last_used": device.last_used_at if device else None,
        "mandatory": requires_second_factor(request.user),
        "recovery_left": services.recovery_codes_left(request.user) if device else 0,
        "method": (request.session.get(SESSION_KEY) or {}).get("method", ""),
    }
