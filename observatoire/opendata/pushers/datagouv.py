"""Push to data.gouv.fr (udata API 1): the dataset, then its files as remote resources."""

import logging

import requests
from django.conf import settings

from gouvernance.enums import Licence

from ..dcat import DC_FREQUENCY
from ..models import Portail
from .base import TIMEOUT, PortalRefused, PortalUnavailable, Pusher, download_url, landing_url, resource_title
from .base import session as http_session

logger = logging.getLogger(__name__)

# Identifiers of data.gouv.fr's licence register (GET /api/1/datasets/licenses/).
LICENCE = {Licence.LO2: "lov2", Licence.ODBL: "odc-odbl"}
# udata's frequency vocabulary (the enum of Dataset.frequency in API 1's description) takes the
# Dublin Core ids the catalogue also publishes.
FREQUENCY = DC_FREQUENCY


def _date_time(day):
    """A date as API 1 types it (date-time, RFC 3339); udata keeps the day."""
    return f"{day.isoformat()}T00:00:00+00:00"


def dataset(jeu, publication):
    description = f"{jeu.description}\n\nSource : [{settings.OPENDATA_PUBLISHER}]({landing_url(jeu)})"
    data = {
        "title": jeu.titre,
        "description": description,
        "license": LICENCE[jeu.licence],
        "frequency": FREQUENCY[jeu.frequence],
        "tags": list(jeu.mots_cles),
        "last_update": publication.created_at.isoformat(),
    }
    if jeu.debut:  # API 1 requires the start of the period; its end may stay open
        data["temporal_coverage"] = {"start": _date_time(jeu.debut)}
        if jeu.fin:
            data["temporal_coverage"]["end"] = _date_time(jeu.fin)
    if settings.OPENDATA_DATAGOUV_ZONES:
        data["spatial"] = {"zones": list(settings.OPENDATA_DATAGOUV_ZONES)}
    if settings.OPENDATA_DATAGOUV_ORGANIZATION:  # a reference, as API 1 describes it; udata reads the id
        data["organization"] = {
            "class": "Organization",
            "id": settings.OPENDATA_DATAGOUV_ORGANIZATION,
            "name": settings.OPENDATA_PUBLISHER,
        }
    return data


def resource(jeu, ressource):
    return {
        "title": resource_title(jeu, ressource),
        "url": download_url(jeu, ressource.format),
        "type": "main",
        "filetype": "remote",
        "format": ressource.format,
        "mime": ressource.media_type,
        "filesize": ressource.taille,
        "checksum": {"type": "sha256", "value": ressource.sha256},
    }


class DatagouvPusher(Pusher):
    portail = Portail.DATAGOUV

    def __init__(self, url, api_key):
        self.api = url
        self.http = http_session()
        self.http.headers.update({"X-API-KEY": api_key, "Accept": "application/json"})

    @classmethod
    def credentials(cls):
        return settings.OPENDATA_DATAGOUV_URL, settings.OPENDATA_DATAGOUV_API_KEY

    def call(self, method, path, payload, gone_ok=False):
        try:
            response = self.http.request(method, self.api + path, json=payload, timeout=TIMEOUT)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise PortalUnavailable(f"data.gouv.fr injoignable ({method} {path}) : {error}") from error
        if gone_ok and response.status_code in (404, 410):
            return None
        if response.status_code >= 400:
            raise PortalRefused(
                f"data.gouv.fr a refusé {method} {path} : HTTP {response.status_code} {response.text}"
            )
        return response.json()

    def push(self, jeu, publication, diffusion):
        data = dataset(jeu, publication)
        remote = None
        if diffusion.remote_id:
            remote = self.call("PUT", f"/datasets/{diffusion.remote_id}/", data, gone_ok=True)
            if remote is None:
                logger.warning(
                    "data.gouv.fr : le jeu %s a disparu du portail, il est recréé", diffusion.remote_id
                )
        if remote is None:
            remote = self.call("POST", "/datasets/", data)
            logger.info("data.gouv.fr : jeu %s créé (%s)", jeu.slug, remote["id"])
        diffusion.remote_id = remote["id"]
        diffusion.remote_url = remote.get("page", "")
        diffusion.save(update_fields=["remote_id", "remote_url", "at"])
        existing = {item["url"]: item["id"] for item in remote.get("resources", [])}
        for ressource in publication.ressources.all():
            fields = resource(jeu, ressource)
            if fields["url"] in existing:
                self.call("PUT", f"/datasets/{remote['id']}/resources/{existing[fields['url']]}/", fields)
            else:
                self.call("POST", f"/datasets/{remote['id']}/resources/", fields)

    def close(self):
        self.http.close()
