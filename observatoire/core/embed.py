"""Pages other sites may show in an <iframe>: only these, and only for the listed origins.

Every page of the portal refuses to be framed (``X-Frame-Options: DENY`` and CSP
``frame-ancestors 'none'``) against clickjacking. An embed view (minimal layout, public
content only) relaxes that for the origins in ``settings.EMBED_ALLOWED_ORIGINS`` through
django-csp's per-view override; with no origin listed it stays as strict as the rest.
The setting is read per request, so that it can change without touching the views.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        origins = list(settings.EMBED_ALLOWED_ORIGINS)
        if not origins:
            return view(request, *args, **kwargs)
        # X-Frame-Options has no allow-list: browsers that know CSP follow frame-ancestors.
        framed = xframe_options_exempt(csp_replace({"frame-ancestors": origins})(view))
        return framed(request, *args, **kwargs)

    return wrapped
