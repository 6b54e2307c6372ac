from django.conf import settings


def portal(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "METROPOLE_NAME": settings.METROPOLE_NAME,
    }
