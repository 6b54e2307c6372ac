"""What every portal pusher shares: errors, the HTTP session, the public URLs it points to."""

import requests
from django.conf import settings
from django.urls import reverse

TIMEOUT = 30  # seconds; a portal slower than that is treated as unavailable
USER_AGENT = "observatoire-metropolitain (+{site})"


class PortalUnavailable(Exception):
    """Connection error, timeout or 5xx: worth trying again later."""


class PortalRefused(Exception):
    """The portal answered 4xx (bad key, invalid metadata…): retrying would not help."""


def _raise_on_server_error(response, *args, **kwargs):
    if response.status_code >= 500:
        raise PortalUnavailable(f"{response.request.method} {response.url} : HTTP {response.status_code}")


def session():
    """A session where a 5xx becomes PortalUnavailable before any client parses the body."""
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT.format(site=settings.SITE_URL)
    http.hooks["response"].append(_raise_on_server_error)
    return http


def landing_url(jeu):
    return settings.SITE_URL + jeu.get_absolute_url()


def download_url(jeu, fmt):
    """The stable URL of the latest file: the portals link to it, so a new version needs no re-upload."""
    return settings.SITE_URL + reverse("opendata:telecharger", kwargs={"slug": jeu.slug, "format": fmt})


def resource_title(jeu, ressource):
    return f"{jeu.titre} ({ressource.format.upper()})"


class Pusher:
    """Sends one dataset and its latest files to a portal; create first, update afterwards."""

    portail = ""

    @classmethod
    def credentials(cls):
        """(url, api_key) from the settings; either may be empty."""
        raise NotImplementedError

    @classmethod
    def is_configured(cls):
        return all(cls.credentials())

    @classmethod
    def from_settings(cls):
        """The configured pusher, or None when its URL or key is missing (the default)."""
        return cls(*cls.credentials()) if cls.is_configured() else None

    def push(self, jeu, publication, diffusion):
        """Create or update the remote dataset; store its id on ``diffusion`` as soon as it is known.

        Raise PortalUnavailable (retry later) or PortalRefused (give up).
        """
        raise NotImplementedError

    def close(self):
        """Release the HTTP session."""
