"""CKAN's own code, run in the side virtualenv .venv-ckan (`make interop-ckan`), never imported by pytest.

    ckan_side.py harvest URL PROFILE [--licences FILE]   → {"pages": [...], "datasets": [...]}
    ckan_side.py validate < requests.json                 → [{"action": ..., "errors": {...}}, ...]

`harvest` walks the catalogue's Hydra pages the way ckanext-dcat's DCAT harvester does (one
RDFParser per page, `next_page()` until there is none) and prints the CKAN dataset dicts the
parser builds, i.e. what `package_create` would store. `--licences` stands for the
`licenses_group_url` setting of a CKAN whose licence register is not the default one.

`validate` runs each CKAN action body through the validation schema CKAN applies to that action
(ckan/logic/schema.py). The few validators that read the portal's database (name still free,
organisation exists, resource id unused, sysadmin-only fields) are left out: the cassettes stand
for the portal's state; every other rule (types, names, tags, extras, URLs, dates) is CKAN's own.
"""

import argparse
import json
import sys
import urllib.request

NEEDS_PORTAL_DATABASE = {
    "package_name_validator",
    "package_id_not_changed",
    "owner_org_validator",
    "empty_if_not_sysadmin",
    "resource_id_does_not_exist",
    "vocabulary_id_exists",
    "package_id_exists",
    "package_id_or_name_exists",
    "resource_id_exists",
}
RDF_FORMATS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


def harvest(url, profile, licences=None):
    from ckan.common import config

    if licences:
        config["licenses_group_url"] = f"file://{licences}"
    from ckanext.dcat.processors import RDFParser

    pages, datasets = [], []
    while url and url not in pages:  # a catalogue whose pages loop would be walked once
        pages.append(url)
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the test's live server)
            content_type = response.headers.get_content_type()
            body = response.read().decode("utf-8")
        parser = RDFParser(profiles=[profile])
        parser.parse(body, _format=RDF_FORMATS[content_type])
        datasets.extend(parser.datasets())
        url = parser.next_page()
    return {"pages": pages, "datasets": datasets}


def _offline(schema):
    """CKAN's schema for an action, less the validators that query the portal's database."""
    if isinstance(schema, dict):
        return {key: _offline(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [item for item in schema if getattr(item, "__name__", "") not in NEEDS_PORTAL_DATABASE]
    return schema


def _required(*keys):
    """The `_get_or_bust` checks the action functions make before (or instead of) a schema."""

    def check(data):
        return {key: ["Missing value"] for key in keys if not data.get(key)}

    return check


def action_checks():
    from ckan.logic import schema

    return {
        # ckan/logic/action/get.py package_show: _get_or_bust(data_dict, 'id')
        "package_show": [_required("id")],
        # get.py license_list: no parameter
        "license_list": [lambda data: {key: ["license_list takes no parameter"] for key in data}],
        # ckan/logic/action/create.py package_create: default_create_package_schema
        "package_create": [schema.default_create_package_schema()],
        # ckan/logic/action/update.py package_update: _get_or_bust 'id' (or name), update schema
        "package_update": [_required("id"), schema.default_update_package_schema()],
        # create.py resource_create: _get_or_bust 'package_id', then the resource inside the package
        "resource_create": [_required("package_id"), schema.default_resource_schema()],
        # update.py resource_update: _get_or_bust 'id', then default_update_resource_schema
        "resource_update": [_required("id"), schema.default_update_resource_schema()],
    }


def validate_requests(requests):
    import ckan.model as model
    from ckan.lib.navl.dictization_functions import validate

    checks = action_checks()
    context = {"model": model, "session": model.Session, "user": "", "api_version": 3}
    results = []
    for request in requests:
        errors = {}
        if request["action"] not in checks:
            errors["action"] = [f"no contract for {request['action']!r}: add its CKAN schema here"]
        for check in checks.get(request["action"], []):
            if callable(check):
                errors.update(check(request["data"]))
            else:
                errors.update(validate(request["data"], _offline(check), dict(context))[1])
        results.append({"action": request["action"], "errors": errors})
    return results


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    harvest_args = commands.add_parser("harvest")
    harvest_args.add_argument("url")
    harvest_args.add_argument("profile")
    harvest_args.add_argument("--licences")
    commands.add_parser("validate")
    args = parser.parse_args()
    if args.command == "harvest":
        result = harvest(args.url, args.profile, args.licences)
    else:
        result = validate_requests(json.load(sys.stdin))
    json.dump(result, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
