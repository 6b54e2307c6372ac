"""Where the tiles and the catalogue services add themselves to the Features documents.

The Features views do not import the tiles or CSW modules: those register, at import, the links they
add to the landing page and to a collection's document, and the conformance classes they implement.
"""

LANDING_LINKS = []  # function(request) -> [link, ...]
COLLECTION_LINKS = []  # function(request, collection) -> [link, ...]
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
]


def link(href, rel, type, title=""):
    entry = {"href": href, "rel": rel, "type": type}
    if title:
        entry["title"] = title
    return entry


def landing_links(request):
    return [entry for provider in LANDING_LINKS for entry in provider(request)]


def collection_links(request, collection):
    return [entry for provider in COLLECTION_LINKS for entry in provider(request, collection)]
