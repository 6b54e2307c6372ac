"""Run udata's DCAT harvester (the code data.gouv.fr runs) on a catalogue URL and dump what it kept.

Runs in .venv-udata (``make interop-udata``), not in the portal's venv: udata's pins clash with ours.
No MongoDB server: mongoengine connects through mongomock's client, and Celery runs eagerly (udata's
own test settings). The licences are data.gouv.fr's, as its API lists them (/api/1/datasets/licenses/).

Usage: udata_harvest.py CATALOGUE_URL OUTPUT_JSON
"""

import json
import sys

import mongomock
from udata import settings
from udata.app import create_app

# data.gouv.fr's entries for the licences the portal uses, and its fallback.
LICENCES = [
    {
        "id": "lov2",
        "title": "Licence Ouverte / Open Licence version 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        "alternate_urls": [
            "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
            "https://github.com/etalab/Licence-Ouverte/blob/master/LO.md",
        ],
        "alternate_titles": [
            "Licence Ouverte v2.0",
            "Licence Ouverte version 2.0",
            "Licence Ouverte / Open Licence v2.0",
            "etalab-2.0",
        ],
    },
    {
        "id": "odc-odbl",
        "title": "Open Data Commons Open Database License (ODbL)",
        "url": "http://opendatacommons.org/licenses/odbl/summary/",
        "alternate_urls": ["https://opendefinition.org/licenses/odc-odbl"],
        "alternate_titles": [
            "Open Database License (ODbL) 1.0",
            "Open Data Commons Open Database License 1.0",
            "Open Database License",
        ],
    },
    {"id": "notspecified", "title": "License Not Specified", "url": None},
]


class Settings(settings.Testing):
    HARVESTER_BACKENDS = ["dcat"]
    MONGODB_HOST = "mongodb://localhost:27017/udata"
    MONGODB_SETTINGS = {
        "host": "mongodb://localhost:27017/udata",
        "mongo_client_class": mongomock.MongoClient,
    }


def _resource(resource):
    return {
        "title": resource.title,
        "description": resource.description,
        "url": resource.url,
        "type": resource.type,
        "format": resource.format,
        "mime": resource.mime,
        "filesize": resource.filesize,
        "checksum": (
            {"type": resource.checksum.type, "value": resource.checksum.value} if resource.checksum else None
        ),
        "schema": resource.schema.url if resource.schema else None,
        "license (extras)": resource.extras.get("dcat", {}).get("license"),
    }


def _dataset(dataset):
    spatial = dataset.spatial.geom if dataset.spatial and dataset.spatial.geom else None
    temporal = dataset.temporal_coverage
    return {
        "title": dataset.title,
        "description": dataset.description,
        "license": dataset.license.id if dataset.license else None,
        "frequency": str(dataset.frequency) if dataset.frequency else None,
        "temporal_coverage": (
            [
                temporal.start.isoformat() if temporal.start else None,
                temporal.end.isoformat() if temporal.end else None,
            ]
            if temporal
            else None
        ),
        "spatial": {"type": spatial["type"], "coordinates": spatial["coordinates"]} if spatial else None,
        "contact_points": sorted(
            ({"role": c.role, "name": c.name, "email": c.email} for c in dataset.contact_points),
            key=lambda c: (c["role"], c["name"] or ""),
        ),
        "tags": list(dataset.tags),
        "schema": dataset.schema.url if dataset.schema else None,
        "harvest": {
            "dct_identifier": dataset.harvest.dct_identifier,
            "uri": dataset.harvest.uri,
            "remote_url": dataset.harvest.remote_url,
            "modified_at": dataset.harvest.modified_at.isoformat() if dataset.harvest.modified_at else None,
        },
        "extras": dict(dataset.extras.get("dcat", {})),
        "resources": [_resource(r) for r in dataset.resources],
    }


def main(url, output):
    app = create_app(settings.Defaults, override=Settings)
    with app.app_context():
        from udata.core.organization.models import Organization
        from udata.harvest import actions
        from udata.harvest.models import HarvestSource
        from udata.models import Dataset, License

        for licence in LICENCES:
            License.objects.create(**licence)
        organization = Organization.objects.create(name="Métropole d'Aix-Marseille-Provence", description="-")
        source = HarvestSource.objects.create(
            name="portail", url=url, backend="dcat", organization=organization
        )
        actions.run(source)
        source.reload()
        job = source.get_last_job()
        result = {
            "job": {
                "status": job.status,
                "errors": [error.message for error in job.errors],
                "items": [
                    {"remote_id": i.remote_id, "status": i.status, "errors": [e.message for e in i.errors]}
                    for i in job.items
                ],
            },
            "datasets": [_dataset(d) for d in Dataset.objects.order_by("title")],
        }
    with open(output, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:3])
