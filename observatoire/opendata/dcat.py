"""The catalogue in DCAT-AP 3.0.1 (rdflib), paged with Hydra the way national harvesters follow it.

It conforms to the full official shapes (``shapes/dcat-ap-3.0.1``) and is written so that the two
harvesters our datasets go through read it whole: udata (data.gouv.fr) and ckanext-dcat (CKAN). Where
they read a value differently, the comments below say which one needs what.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, reverse
from django.utils.timezone import localtime
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from gouvernance.enums import EU_THEME, EU_THEME_LABEL, LICENCE_URI, Frequence, Licence

from .coverage import published_period, territory_extent, territory_name

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"
ADMS_PUBLISHER = "http://purl.org/adms/publishertype/"
ADMS_LICENCE = "http://purl.org/adms/licencetype/"
IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPE = {"csv": "CSV", "geojson": "GEOJSON", "parquet": "PARQUET"}
FORMAT_LABEL = {"csv": "Fichier CSV", "geojson": "Fichier GeoJSON", "parquet": "Fichier Parquet"}
PAGE_SIZE = 50
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3, not in rdflib's closed DCAT namespace

# The titles data.gouv.fr gives these licences (its ids lov2 and odc-odbl); the ODbL one is also CKAN's.
# udata matches a licence by URL, else by the label; ckanext-dcat by URI, else by dct:title.
LICENCE_TITLE = {
    Licence.LO2: "Licence Ouverte / Open Licence version 2.0",
    Licence.ODBL: "Open Data Commons Open Database License (ODbL)",
}
LICENCE_TYPES = {
    Licence.LO2: (("Attribution", "Attribution"),),
    Licence.ODBL: (("Attribution", "Attribution"), ("ShareAlike", "Partage à l'identique")),
}
# EU frequency code → Dublin Core Collection frequency (the vocabulary data.gouv.fr's udata also maps).
DC_FREQUENCY = {
    Frequence.CONT: "continuous",
    Frequence.DAILY: "daily",
    Frequence.WEEKLY: "weekly",
    Frequence.MONTHLY: "monthly",
    Frequence.QUARTERLY: "quarterly",
    Frequence.ANNUAL: "annual",
    Frequence.IRREG: "irregular",
}
DC_FREQ = Namespace("http://purl.org/cld/freq/")
# SHA-256 as SPDX 3.0.1 names it: udata 17 reads a checksum only under SPDX 2's three names and then
# rejects the dataset for the xsd:hexBinary value the shapes require (ADR 0011).
SHA256 = URIRef("https://spdx.org/rdf/3.0.1/terms/Core/HashAlgorithm/sha256")


def _typed(graph, uri, rdf_type, label=None):
    node = URIRef(uri)
    graph.add((node, RDF.type, rdf_type))
    if label:
        graph.add((node, SKOS.prefLabel, Literal(label, lang="fr")))
    return node


def _concept(graph, uri, label, lang="fr"):
    node = URIRef(uri)
    graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.prefLabel, Literal(label, lang=lang)))
    return node


def _publisher(graph):
    """The Métropole, named and identified: the catalogue's and every dataset's publisher."""
    agent = URIRef(settings.OPENDATA_PUBLISHER_URI)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(settings.OPENDATA_PUBLISHER, lang="fr")))
    graph.add(
        (agent, DCTERMS.type, _concept(graph, ADMS_PUBLISHER + "LocalAuthority", "Local Authority", "en"))
    )
    return agent


def _creator(graph, name):
    agent = BNode()
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name, lang="fr")))
    return agent


def _contact(graph, jeu):
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(jeu.producteur)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{jeu.contact or settings.OPENDATA_CONTACT_EMAIL}")))
    return contact


def _licence(graph, code):
    node = URIRef(LICENCE_URI[code])
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(LICENCE_TITLE[code])))
    graph.add((node, RDFS.label, Literal(LICENCE_TITLE[code])))
    for name, label in LICENCE_TYPES[code]:
        graph.add((node, DCTERMS.type, _concept(graph, ADMS_LICENCE + name, label)))
    return node


def _frequency(graph, code):
    node = _typed(graph, f"{EU}frequency/{code}", DCTERMS.Frequency, Frequence(code).label)
    graph.add((node, SKOS.exactMatch, DC_FREQ[DC_FREQUENCY[code]]))
    return node


def _wkt_box(xmin, ymin, xmax, ymax):
    ring = f"{xmin} {ymin}, {xmax} {ymin}, {xmax} {ymax}, {xmin} {ymax}, {xmin} {ymin}"
    return Literal(f"POLYGON(({ring}))", datatype=GSP.wktLiteral)


def _territory(graph):
    """The territory as the official geographic reference names it, with its bounding box.

    ``dcat:bbox`` is what udata turns into the dataset's spatial coverage and ckanext-dcat into
    ``spatial_bbox``; the URI (``OPENDATA_SPATIAL_URI``) is the EPCI in the Code officiel géographique.
    """
    node = URIRef(settings.OPENDATA_SPATIAL_URI)
    graph.add((node, RDF.type, DCTERMS.Location))
    graph.add((node, SKOS.prefLabel, Literal(territory_name(), lang="fr")))
    extent = territory_extent()
    if extent:
        xmin, ymin, xmax, ymax = (round(value, 6) for value in extent)
        graph.add((node, DCAT.bbox, _wkt_box(xmin, ymin, xmax, ymax)))
        centre = f"POINT({round((xmin + xmax) / 2, 6)} {round((ymin + ymax) / 2, 6)})"
        graph.add((node, DCAT.centroid, Literal(centre, datatype=GSP.wktLiteral)))
    return node


def _period(graph, start, end):
    period = BNode()
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
    return period


def _schema(graph, jeu, publication, base, latest=False):
    """The Table Schema published beside the version's files, when there is one."""
    ressource = next(iter(publication.ressources.all()), None)
    if ressource is None:
        return None
    folder = ressource.fichier.rsplit("/", 1)[0]
    if not cache.get_or_set(
        f"opendata:schema:{publication.pk}", lambda: default_storage.exists(f"{folder}/schema.json"), None
    ):
        return None
    try:
        if latest:
            path = reverse("opendata:schema", kwargs={"slug": jeu.slug})
        else:
            path = reverse(
                "opendata:schema_version", kwargs={"slug": jeu.slug, "version": publication.version}
            )
    except NoReverseMatch:
        return None
    node = URIRef(base + path)
    graph.add((node, RDF.type, DCTERMS.Standard))
    graph.add((node, DCTERMS.title, Literal(f"Schéma de données (Table Schema) : {jeu.titre}", lang="fr")))
    return node


def _dataset(graph, jeu, base, context):
    page = base + jeu.get_absolute_url()
    node = URIRef(page)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(page)))
    graph.add((node, DCTERMS.title, Literal(jeu.titre, lang="fr")))
    graph.add((node, DCTERMS.description, Literal(jeu.description, lang="fr")))
    graph.add((node, DCTERMS.publisher, context["publisher"]))
    graph.add((node, DCTERMS.creator, _creator(graph, jeu.producteur)))
    graph.add((node, DCAT.contactPoint, _contact(graph, jeu)))
    graph.add((node, DCAT.landingPage, _typed(graph, page, FOAF.Document)))
    theme = EU_THEME[jeu.theme]
    graph.add(
        (node, DCAT.theme, _typed(graph, f"{EU}data-theme/{theme}", SKOS.Concept, EU_THEME_LABEL[theme]))
    )
    for keyword in jeu.mots_cles:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="fr")))
    graph.add((node, DCTERMS.language, context["language"]))
    graph.add((node, DCTERMS.accessRights, context["access"]))
    graph.add((node, DCTERMS.license, _licence(graph, jeu.licence)))
    graph.add((node, DCTERMS.issued, Literal(jeu.created_at, datatype=XSD.dateTime)))
    graph.add(
        (node, DCTERMS.modified, Literal(jeu.derniere_mise_a_jour or jeu.updated_at, datatype=XSD.dateTime))
    )
    graph.add((node, DCTERMS.accrualPeriodicity, _frequency(graph, jeu.frequence)))
    graph.add((node, DCTERMS.spatial, context["territory"]))
    latest = jeu.latest
    start, end = published_period(latest) if latest else (None, None)
    start, end = (start, end) if start or end else (jeu.debut, jeu.fin)  # else what the editor declared
    if start or end:
        graph.add((node, DCTERMS.temporal, _period(graph, start, end)))
    if latest is None:
        return node
    graph.add((node, DCAT_VERSION, Literal(str(latest.version))))
    schema = _schema(graph, jeu, latest, base, latest=True)
    if schema:
        graph.add((node, DCTERMS.conformsTo, schema))
    version_schema = _schema(graph, jeu, latest, base)
    for ressource in latest.ressources.all():
        distribution = _distribution(graph, jeu, ressource, base, page)
        if version_schema:
            graph.add((distribution, DCTERMS.conformsTo, version_schema))
        graph.add((node, DCAT.distribution, distribution))
    return node


def _distribution(graph, jeu, ressource, base, page):
    download = base + reverse("opendata:telecharger", kwargs={"slug": jeu.slug, "format": ressource.format})
    publication = ressource.publication
    node = URIRef(f"{download}#distribution")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(f"{jeu.titre} ({ressource.format.upper()})", lang="fr")))
    # The checksum in words too: data.gouv.fr keeps the description, not the spdx:checksum (ADR 0011).
    description = (
        f"{FORMAT_LABEL[ressource.format]}, version {publication.version} publiée le "
        f"{localtime(publication.created_at):%d/%m/%Y}. Empreinte SHA-256 : {ressource.sha256}"
    )
    graph.add((node, DCTERMS.description, Literal(description, lang="fr")))
    graph.add((node, DCAT.accessURL, URIRef(page)))
    graph.add((node, DCAT.downloadURL, URIRef(download)))
    media_type = ressource.media_type.split(";")[0].strip()
    # The label is what CKAN shows as the resource's mimetype (« text/csv », not the IANA URI).
    media = _typed(graph, IANA + media_type, DCTERMS.MediaType)
    graph.add((media, RDFS.label, Literal(media_type)))
    graph.add((node, DCAT.mediaType, media))
    file_type = f"{EU}file-type/{FILE_TYPE[ressource.format]}"
    graph.add((node, DCTERMS.format, _typed(graph, file_type, DCTERMS.MediaTypeOrExtent)))
    graph.add((node, DCAT.byteSize, Literal(ressource.taille, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.issued, Literal(publication.created_at, datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.modified, Literal(publication.created_at, datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.license, _licence(graph, jeu.licence)))
    checksum = BNode()
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SHA256))
    graph.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    graph.add((SHA256, RDFS.label, Literal("SHA-256")))
    graph.add((checksum, SPDX.checksumValue, Literal(ressource.sha256.lower(), datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
    return node


def catalogue_graph(jeux, base, page, total, view_url):
    """One page of the catalogue: the datasets of ``jeux`` and a Hydra view linking the others."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("hydra", HYDRA),
                              ("spdx", SPDX), ("vcard", VCARD), ("skos", SKOS), ("gsp", GSP)):  # fmt: skip
        graph.bind(prefix, namespace)
    context = {
        "publisher": _publisher(graph),
        "territory": _territory(graph),
        "language": _typed(graph, f"{EU}language/FRA", DCTERMS.LinguisticSystem),
        "access": _typed(graph, f"{EU}access-right/PUBLIC", DCTERMS.RightsStatement),
    }
    graph.add((context["access"], RDFS.label, Literal("Public", lang="fr")))
    catalog = URIRef(base + reverse("opendata:liste"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(settings.OPENDATA_CATALOGUE_TITLE, lang="fr")))
    graph.add((catalog, DCTERMS.description, Literal(settings.OPENDATA_CATALOGUE_DESCRIPTION, lang="fr")))
    graph.add((catalog, DCTERMS.publisher, context["publisher"]))
    graph.add((catalog, FOAF.homepage, _typed(graph, base + "/", FOAF.Document)))
    graph.add((catalog, DCTERMS.language, context["language"]))
    graph.add((catalog, DCTERMS.spatial, context["territory"]))
    themes = _typed(graph, f"{EU}data-theme", SKOS.ConceptScheme)
    graph.add((themes, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((catalog, DCAT.themeTaxonomy, themes))
    for jeu in jeux:
        graph.add((catalog, DCAT.dataset, _dataset(graph, jeu, base, context)))
    last = max(1, -(-total // PAGE_SIZE))
    view = URIRef(view_url(page))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, URIRef(view_url(1))))
    graph.add((view, HYDRA.last, URIRef(view_url(last))))
    if page < last:
        graph.add((view, HYDRA.next, URIRef(view_url(page + 1))))
    if page > 1:
        graph.add((view, HYDRA.previous, URIRef(view_url(page - 1))))
    graph.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((catalog, HYDRA.view, view))
    return graph


FORMATS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}
