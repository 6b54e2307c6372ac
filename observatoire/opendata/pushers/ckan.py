"""Push to a CKAN instance through its action API (ckanapi): package_show, then create or update."""

import logging

import requests
from ckanapi import CKANAPIError, NotFound, RemoteCKAN
from ckanapi.errors import ServerIncompatibleError
from django.conf import settings

from gouvernance.enums import LICENCE_URI, Licence

from ..models import Portail
from .base import TIMEOUT, PortalRefused, PortalUnavailable, Pusher, download_url, landing_url, resource_title
from .base import session as http_session

logger = logging.getLogger(__name__)

# license_id must be one of the portal's `license_list`. CKAN's default register has the ODbL but
# no Licence Ouverte; French portals load data.gouv.fr's register (`lov2`). Failing a known id or
# our licence's URL, « Other (Open) » of the default register.
LICENCE_IDS = {Licence.LO2: ("lov2", "etalab-2.0"), Licence.ODBL: ("odc-odbl",)}
OTHER_OPEN = "other-open"
FORMAT = {"csv": "CSV", "geojson": "GeoJSON", "parquet": "Parquet"}
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"


def package_name(jeu):
    return jeu.slug.lower()[:100]  # CKAN names: lowercase, at most 100 characters


def _bare(url):
    return (url or "").split("://", 1)[-1].rstrip("/").lower()


def licence_id(licence, register):
    """Our licence's id in the portal's licence register (the answer of `license_list`)."""
    ids = [entry["id"] for entry in register]
    known = next((known for known in LICENCE_IDS[licence] if known in ids), None)
    by_url = (entry["id"] for entry in register if _bare(entry.get("url")) == _bare(LICENCE_URI[licence]))
    return known or next(by_url, OTHER_OPEN if OTHER_OPEN in ids else "")


def package(jeu, publication, license_id):
    """Package metadata; coverage and frequency go in the extras ckanext-dcat reads and writes."""
    extras = {
        "frequency": EU_FREQUENCY + jeu.frequence,
        "spatial_uri": settings.OPENDATA_SPATIAL_URI,  # the territory in the official geographic reference
        "spatial_text": jeu.couverture_spatiale,
    }
    if jeu.debut:
        extras["temporal_start"] = jeu.debut.isoformat()
    if jeu.fin:
        extras["temporal_end"] = jeu.fin.isoformat()
    data = {
        "name": package_name(jeu),
        "title": jeu.titre,
        "notes": jeu.description,
        "url": landing_url(jeu),
        "version": str(publication.version),
        "license_id": license_id,
        "author": jeu.producteur,
        "maintainer_email": jeu.contact or settings.OPENDATA_CONTACT_EMAIL,  # as the DCAT contact point
        "tags": [{"name": mot} for mot in jeu.mots_cles],
        "extras": [{"key": key, "value": value} for key, value in extras.items() if value],
    }
    if settings.OPENDATA_CKAN_ORGANIZATION:
        data["owner_org"] = settings.OPENDATA_CKAN_ORGANIZATION
    return data


def resource(jeu, publication, ressource):
    return {
        "url": download_url(jeu, ressource.format),
        "name": resource_title(jeu, ressource),
        "format": FORMAT.get(ressource.format, ressource.format.upper()),
        "mimetype": ressource.media_type,
        "size": ressource.taille,
        "hash": f"sha256:{ressource.sha256}",
        "last_modified": publication.created_at.replace(tzinfo=None).isoformat(timespec="seconds"),
    }


class CkanPusher(Pusher):
    portail = Portail.CKAN

    def __init__(self, url, api_key):
        self.site = url
        self.client = RemoteCKAN(url, apikey=api_key, session=http_session())

    @classmethod
    def credentials(cls):
        return settings.OPENDATA_CKAN_URL, settings.OPENDATA_CKAN_API_KEY

    def call(self, action, data):
        try:
            return self.client.call_action(action, data, requests_kwargs={"timeout": TIMEOUT})
        except (requests.ConnectionError, requests.Timeout) as error:
            raise PortalUnavailable(f"CKAN injoignable ({action}) : {error}") from error
        except NotFound:
            raise
        # Validation, authorisation or an answer it cannot parse: the 5xx were raised by the session.
        except (CKANAPIError, ServerIncompatibleError) as error:
            raise PortalRefused(f"CKAN a refusé {action} : {error}") from error

    def push(self, jeu, publication, diffusion):
        try:
            remote = self.call("package_show", {"id": diffusion.remote_id or package_name(jeu)})
        except NotFound:
            remote = None
        data = package(jeu, publication, licence_id(jeu.licence, self.call("license_list", {})))
        if remote is None:
            remote = self.call("package_create", data)
            logger.info("CKAN : jeu %s créé (%s)", jeu.slug, remote["id"])
        else:
            # package_update replaces the whole package: keep the resources it already lists.
            remote = self.call(
                "package_update", {**data, "id": remote["id"], "resources": remote["resources"]}
            )
        diffusion.remote_id = remote["id"]
        diffusion.remote_url = f"{self.site}/dataset/{remote['name']}"
        diffusion.save(update_fields=["remote_id", "remote_url", "at"])
        existing = {item["url"]: item["id"] for item in remote.get("resources", [])}
        for ressource in publication.ressources.all():
            fields = resource(jeu, publication, ressource)
            if fields["url"] in existing:
                self.call(
                    "resource_update", {**fields, "id": existing[fields["url"]], "package_id": remote["id"]}
                )
            else:
                self.call("resource_create", {**fields, "package_id": remote["id"]})

    def close(self):
        self.client.close()
