"""The catalogue in DCAT-AP 3.0.1 (rdflib), paged with Hydra the way national harvesters follow it."""

from django.conf import settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from gouvernance.enums import EU_THEME, EU_THEME_LABEL, LICENCE_URI

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = {"csv": "CSV", "geojson": "GEOJSON", "parquet": "PARQUET"}
IANA = "https://www.iana.org/assignments/media-types/"
PAGE_SIZE = 50


def _agent(graph, name):
    agent = BNode()
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name, lang="fr")))
    return agent


def _typed(graph, uri, rdf_type, label=None):
    node = URIRef(uri)
    graph.add((node, RDF.type, rdf_type))
    if label:
        graph.add((node, SKOS.prefLabel, Literal(label, lang="fr")))
    return node


def _dataset(graph, jeu, base):
    page = base + jeu.get_absolute_url()
    node = URIRef(page)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(page)))
    graph.add((node, DCTERMS.title, Literal(jeu.titre, lang="fr")))
    graph.add((node, DCTERMS.description, Literal(jeu.description, lang="fr")))
    graph.add((node, DCTERMS.publisher, _agent(graph, jeu.producteur)))
    graph.add((node, DCAT.landingPage, _typed(graph, page, FOAF.Document)))
    theme = EU_THEME[jeu.theme]
    graph.add(
        (node, DCAT.theme, _typed(graph, f"{EU}data-theme/{theme}", SKOS.Concept, EU_THEME_LABEL[theme]))
    )
    for keyword in jeu.mots_cles:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="fr")))
    graph.add((node, DCTERMS.issued, Literal(jeu.created_at, datatype=XSD.dateTime)))
    graph.add(
        (node, DCTERMS.modified, Literal(jeu.derniere_mise_a_jour or jeu.updated_at, datatype=XSD.dateTime))
    )
    graph.add(
        (node, DCTERMS.accrualPeriodicity, _typed(graph, f"{EU}frequency/{jeu.frequence}", DCTERMS.Frequency))
    )
    spatial = BNode()
    graph.add((spatial, RDF.type, DCTERMS.Location))
    graph.add((spatial, SKOS.prefLabel, Literal(jeu.couverture_spatiale, lang="fr")))
    graph.add((node, DCTERMS.spatial, spatial))
    if jeu.debut or jeu.fin:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if jeu.debut:
            graph.add((period, DCAT.startDate, Literal(jeu.debut, datatype=XSD.date)))
        if jeu.fin:
            graph.add((period, DCAT.endDate, Literal(jeu.fin, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    if jeu.contact:
        contact = BNode()
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(jeu.producteur)))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{jeu.contact}")))
        graph.add((node, DCAT.contactPoint, contact))
    latest = jeu.latest
    for ressource in latest.ressources.all() if latest else []:
        graph.add((node, DCAT.distribution, _distribution(graph, jeu, ressource, base, page)))
    return node


def _distribution(graph, jeu, ressource, base, page):
    download = base + reverse("opendata:telecharger", kwargs={"slug": jeu.slug, "format": ressource.format})
    node = URIRef(f"{download}#distribution")
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(f"{jeu.titre} ({ressource.format.upper()})", lang="fr")))
    graph.add((node, DCAT.accessURL, URIRef(page)))
    graph.add((node, DCAT.downloadURL, URIRef(download)))
    graph.add((node, DCAT.mediaType, _typed(graph, IANA + ressource.media_type, DCTERMS.MediaType)))
    file_type = f"{EU}file-type/{FILE_TYPE[ressource.format]}"
    graph.add((node, DCTERMS.format, _typed(graph, file_type, DCTERMS.MediaTypeOrExtent)))
    graph.add((node, DCAT.byteSize, Literal(ressource.taille, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.modified, Literal(ressource.publication.created_at, datatype=XSD.dateTime)))
    licence = _typed(graph, LICENCE_URI[jeu.licence], DCTERMS.LicenseDocument)
    graph.add((node, DCTERMS.license, licence))
    checksum = BNode()
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(ressource.sha256, datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
    return node


def catalogue_graph(jeux, base, page, total, view_url):
    """One page of the catalogue: the datasets of ``jeux`` and a Hydra view linking the others."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("hydra", HYDRA),
                              ("spdx", SPDX), ("vcard", VCARD), ("skos", SKOS)):  # fmt: skip
        graph.bind(prefix, namespace)
    catalog = URIRef(base + reverse("opendata:liste"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(settings.OPENDATA_CATALOGUE_TITLE, lang="fr")))
    graph.add((catalog, DCTERMS.description, Literal(settings.OPENDATA_CATALOGUE_DESCRIPTION, lang="fr")))
    graph.add((catalog, DCTERMS.publisher, _agent(graph, settings.OPENDATA_PUBLISHER)))
    graph.add((catalog, FOAF.homepage, _typed(graph, base + "/", FOAF.Document)))
    graph.add((catalog, DCTERMS.language, _typed(graph, f"{EU}language/FRA", DCTERMS.LinguisticSystem)))
    for jeu in jeux:
        graph.add((catalog, DCAT.dataset, _dataset(graph, jeu, base)))
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
