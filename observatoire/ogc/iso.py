"""ISO 19139 metadata of the catalogue's geographic datasets, as INSPIRE and GeoNetwork read them (ADR 13).

A dataset is geographic when an OGC collection serves it (``registry``) or when its open-data
source has a geometry. Each gets one ``gmd:MD_Metadata`` record, built from the catalogue row
(``gouvernance.JeuDeDonnees``) and what the portal publishes of it: files, OGC collections, tiles.
The facts are gathered once into a ``Fiche`` that both the ISO record and the CSW's Dublin Core
record (``csw``) are written from, so the two never disagree.

Who sees which record follows the meta-catalogue (``/gouvernance/catalogue/``): agents and partners
read every sensitivity there, everyone else only public datasets. INSPIRE asks for metadata even
of restricted data, but our catalogue has always kept the very existence of a restricted dataset
(its title, its reason) to those who may ask for it, and a restricted dataset's reason can itself
say too much (« terrains mobilisables avant décision »). So anonymous harvesters get the public
records; an agent's session or token gets all of them, restricted ones carrying their
``motif_sensibilite`` as the INSPIRE limitation on public access. A dataset any of whose
collections is unlisted (DVF: its terms forbid indexing) is never listed by the CSW at all; its
record is served by identifier to those who read the meta-catalogue.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.timezone import localtime
from lxml import etree

from gouvernance.acces_views import reads_catalogue
from gouvernance.enums import LICENCE_URI, Frequence, Sensibilite, Theme
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.coverage import published_period, territory_extent
from observatoire.opendata.dcat import LICENCE_TITLE
from observatoire.opendata.sources import SPATIAL_SOURCES

from . import query
from .registry import all_collections

NS = {
    "gmd": "http://www.isotc211.org/2005/gmd",
    "gco": "http://www.isotc211.org/2005/gco",
    "gmx": "http://www.isotc211.org/2005/gmx",
    "gml": "http://www.opengis.net/gml/3.2",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMA_LOCATION = (
    "http://www.isotc211.org/2005/gmd http://schemas.opengis.net/csw/2.0.2/profiles/apiso/1.0.0/apiso.xsd"
)
CODELISTS = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml"
EXTENT_SECONDS = 3600
TILE_MATRIX_SET = "WebMercatorQuad"
CRS = (
    ("2154", "RGF93 v1 / Lambert-93"),
    ("4326", "WGS 84"),
)

# INSPIRE themes (GEMET, registry.inspire.ec.europa.eu) and ISO topic categories by portal theme.
INSPIRE_THEMES_THESAURUS = ("GEMET - INSPIRE themes, version 1.0", "2008-06-01")
INSPIRE_THEMES_URL = "http://inspire.ec.europa.eu/theme"
INSPIRE_THEME = {
    Theme.TERRITOIRE: ("au", "Unités administratives"),
    Theme.FONCIER: ("lu", "Usage des sols"),
    Theme.HABITAT: ("bu", "Bâtiments"),
    Theme.MOBILITE: ("tn", "Réseaux de transport"),
    Theme.ESPACE_PUBLIC: ("us", "Services d'utilité publique et services publics"),
    Theme.ENVIRONNEMENT: ("lc", "Occupation des terres"),
}
# Per dataset when the portal theme names the wrong one (indicators per commune are statistics).
INSPIRE_THEME_OF_DATASET = {"indicateurs-observatoires": ("su", "Unités statistiques")}
TOPIC_CATEGORY = {
    Theme.TERRITOIRE: "boundaries",
    Theme.FONCIER: "planningCadastre",
    Theme.HABITAT: "structure",
    Theme.MOBILITE: "transportation",
    Theme.ESPACE_PUBLIC: "society",
    Theme.ENVIRONNEMENT: "environment",
    Theme.FISCALITE: "economy",
    Theme.GOUVERNANCE: "society",
}
LIMITATIONS = "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
# The INSPIRE article (13.1) a sensitivity stands on, when the sensitivity itself names it.
ARTICLE_13 = {
    Sensibilite.PERSONNEL: ("INSPIRE_Directive_Article13_1f", "Confidentialité des données personnelles"),
    Sensibilite.SECURITE: ("INSPIRE_Directive_Article13_1b", "Relations internationales, sécurité publique"),
}
INSPIRE_REGULATION = (
    "Règlement (UE) n° 1089/2010 de la Commission du 23 novembre 2010 portant modalités d'application "
    "de la directive 2007/2/CE en ce qui concerne l'interopérabilité des séries et des services de "
    "données géographiques",
    "2010-12-08",
)
MAINTENANCE = {
    Frequence.CONT: "continual",
    Frequence.DAILY: "daily",
    Frequence.WEEKLY: "weekly",
    Frequence.MONTHLY: "monthly",
    Frequence.QUARTERLY: "quarterly",
    Frequence.ANNUAL: "annually",
    Frequence.IRREG: "irregular",
}
FILE_FORMATS = {
    "csv": ("CSV", "RFC 4180"),
    "geojson": ("GeoJSON", "RFC 7946"),
    "parquet": ("GeoParquet", "1.1"),
}

# Protocols as GeoNetwork's link editor and its harvesters name them.
DOWNLOAD = "WWW:DOWNLOAD-1.0-http--download"
LINK = "WWW:LINK"
FEATURES = "OGC API Features"


@dataclass(frozen=True)
class Resolution:
    """Spatial resolution: an equivalent scale (1:``scale``) or a ground distance in metres."""

    scale: int | None = None
    distance_m: float | None = None


DEFAULT_RESOLUTION = Resolution(scale=25000)
RESOLUTIONS = {}


def declare_resolution(slug, *, scale=None, distance_m=None):
    RESOLUTIONS[slug] = Resolution(scale, distance_m)


# Communes come from IGN's ADMIN EXPRESS (~1:50 000); PLUi zones are drawn on the cadastre; reports
# leave the portal snapped to a 0.0001° grid (about ten metres, signalements.positions).
declare_resolution("communes-metropole", scale=50000)
declare_resolution("consommation-espaces-naf", scale=50000)
declare_resolution("indicateurs-observatoires", scale=50000)
declare_resolution("zonage-plui", scale=5000)
declare_resolution("gisements-fonciers", scale=2000)
declare_resolution("dvf-mutations", scale=2000)
declare_resolution("arrets-transport-en-commun", distance_m=5)
declare_resolution("signalements-espace-public", distance_m=10)
declare_resolution("signalements-complets", distance_m=5)


@dataclass(frozen=True)
class Lien:
    url: str
    protocol: str
    name: str
    description: str
    function: str = "information"  # CI_OnLineFunctionCode: download, information, …


@dataclass
class Fiche:
    """Everything a metadata record says of one dataset, computed once per request."""

    jeu: JeuDeDonnees
    identifier: str
    bbox: tuple  # (west, south, east, north) in WGS 84
    period: tuple  # (start, end) dates or None
    links: list = field(default_factory=list)
    formats: list = field(default_factory=list)
    collections: list = field(default_factory=list)
    listed: bool = True

    @property
    def title(self):
        return self.jeu.titre

    @property
    def abstract(self):
        return self.jeu.description

    @property
    def revised(self):
        """When the data last changed (a publication, else the record): the citation's revision date."""
        return localtime(self.jeu.derniere_mise_a_jour or self.jeu.updated_at)

    @property
    def modified(self):
        """When the record last changed, data or description: ``dateStamp``, ``dct:modified``,
        ``apiso:Modified``. Harvesters re-read a record when this moves."""
        return max(self.revised, localtime(self.jeu.updated_at)).replace(microsecond=0)

    @property
    def inspire_theme(self):
        return INSPIRE_THEME_OF_DATASET.get(self.jeu.slug) or INSPIRE_THEME.get(self.jeu.theme)

    @property
    def subjects(self):
        theme = self.inspire_theme
        return [*self.jeu.mots_cles, *([theme[1]] if theme else []), self.jeu.get_theme_display()]

    @property
    def topic_category(self):
        return TOPIC_CATEGORY.get(self.jeu.theme, "society")

    @property
    def resolution(self):
        return RESOLUTIONS.get(self.jeu.slug, DEFAULT_RESOLUTION)

    @property
    def public(self):
        return self.jeu.sensibilite == Sensibilite.PUBLIC

    @property
    def record_url(self):
        return ogc_url("metadonnees", self.jeu.slug)

    def anytext(self):
        """What ``csw:AnyText`` matches against when the full-text search does not decide alone."""
        jeu = self.jeu
        words = [jeu.titre, jeu.description, jeu.producteur, jeu.source, *self.subjects, self.identifier]
        return " ".join(w for w in words if w)


def file_identifier(slug):
    """Stable across deployments of the same site and across renames of the title (uuid5 of its URL)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/ogc/metadonnees/{slug}"))


def ogc_url(name, *args):
    """Absolute address of an /ogc/ page under the site's canonical URL (records are copied elsewhere)."""
    return settings.SITE_URL + reverse(f"ogc:{name}", args=args)


def _collections_by_dataset():
    grouped = {}
    for collection in all_collections().values():
        grouped.setdefault(collection.dataset, []).append(collection)
    return grouped


def geographic_datasets(user):
    """The geographic datasets ``user`` may read the metadata of, with their collections, by title.

    Returns [(jeu, [collections])]."""
    grouped = _collections_by_dataset()
    jeux = JeuDeDonnees.objects.filter(slug__in=list(grouped)) | JeuDeDonnees.objects.filter(
        source_technique__in=SPATIAL_SOURCES
    )
    if not reads_catalogue(user):
        jeux = jeux.filter(sensibilite=Sensibilite.PUBLIC)
    jeux = jeux.select_related("organisation").prefetch_related("publications__ressources")
    return [(jeu, grouped.get(jeu.slug, [])) for jeu in jeux.distinct().order_by("titre", "slug")]


def fiches(user, *, listed_only=True):
    """A ``Fiche`` for each dataset ``user`` may see; unlisted ones only when asked by identifier."""
    result = [_fiche(jeu, collections) for jeu, collections in geographic_datasets(user)]
    return [f for f in result if f.listed or not listed_only]


def fiche_for(user, *, slug=None, identifier=None):
    """One record by slug or by file identifier (unlisted ones included), or None."""
    for jeu, collections in geographic_datasets(user):
        if jeu.slug == slug or (identifier and file_identifier(jeu.slug) == identifier):
            return _fiche(jeu, collections)
    return None


def has_record(jeu):
    """For the pages' links: whether ``jeu`` has an ISO record at all (visibility aside)."""
    if jeu.source_technique in SPATIAL_SOURCES:
        return True
    return any(c.dataset == jeu.slug for c in all_collections().values())


def _fiche(jeu, collections):
    fiche = Fiche(
        jeu=jeu,
        identifier=file_identifier(jeu.slug),
        bbox=extent(jeu, collections),
        period=_period(jeu),
        collections=collections,
        listed=all(c.listed for c in collections),
    )
    _add_links(fiche)
    return fiche


def _period(jeu):
    latest = jeu.latest
    start, end = published_period(latest) if latest else (None, None)
    if start or end:
        return start, end
    if jeu.debut or jeu.fin:
        return jeu.debut, jeu.fin
    return None


def _compute_extent(jeu, collections):
    # The collections' own boxes, as the Features documents announce them (computed and cached once).
    boxes = [box for box in (query.extent(collection)[0] for collection in collections) if box]
    if not boxes:
        return tuple(territory_extent() or settings.SPATIAL_EXTENT)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def extent(jeu, collections):
    """WGS 84 box of the dataset's geometries, from PostGIS through its collections; the territory's
    when it has none (a restricted dataset without a layer: its rows are not read for its record)
    or no rows.

    An ``ST_Extent`` over a million reports takes a fraction of a second: kept an hour, since a
    harvester reads every record and a box moves little."""
    box = cache.get_or_set(
        f"ogc:iso:extent:{jeu.slug}", lambda: _compute_extent(jeu, collections), EXTENT_SECONDS
    )
    return tuple(round(value, 6) for value in box)


def _add_links(fiche):
    jeu = fiche.jeu
    latest = jeu.latest if jeu.is_publishable else None
    if latest is not None:
        page = settings.SITE_URL + jeu.get_absolute_url()
        fiche.links.append(Lien(page, LINK, jeu.titre, "Fiche du jeu sur le portail open data"))
        for ressource in latest.ressources.all():
            url = settings.SITE_URL + reverse(
                "opendata:telecharger", kwargs={"slug": jeu.slug, "format": ressource.format}
            )
            label = FILE_FORMATS.get(ressource.format, (ressource.format.upper(), ""))[0]
            fiche.links.append(
                Lien(
                    url,
                    DOWNLOAD,
                    f"{jeu.slug}.{ressource.format}",
                    f"Fichier {label}, version {latest.version} (dernière version publiée)",
                    "download",
                )
            )
            fiche.formats.append(ressource.format)
    if not fiche.public:
        page = settings.SITE_URL + reverse("acces:jeu", kwargs={"slug": jeu.slug})
        description = (
            "Fiche du méta-catalogue : conditions d'accès et demande d'accès (agents et partenaires)"
        )
        fiche.links.append(Lien(page, LINK, jeu.titre, description))
    for collection in fiche.collections:
        fiche.links.append(
            Lien(
                ogc_url("collection", collection.id),
                FEATURES,
                collection.id,
                f"{collection.title} (OGC API Features)",
            )
        )
        fiche.links.append(
            Lien(
                ogc_url("items", collection.id) + "?f=json",
                FEATURES,
                collection.id,
                f"{collection.title} : entités en GeoJSON (OGC API Features)",
                "download",
            )
        )
        if collection.tiles is not None:
            fiche.links.append(
                Lien(
                    ogc_url("tiles-tilejson", collection.id, TILE_MATRIX_SET),
                    LINK,
                    f"{collection.id} (TileJSON)",
                    f"{collection.title} : tuiles vectorielles (TileJSON 3.0.0, Mapbox Vector Tiles)",
                )
            )


# --- ISO 19139 ---------------------------------------------------------------------------------


def _q(name):
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(parent, path, text=None, **attributes):
    """Create the chain of elements ``path`` ("gmd:a/gmd:b") under ``parent``; the last gets ``text``."""
    node = parent
    for name in path.split("/"):
        node = etree.SubElement(node, _q(name))
    for key, value in attributes.items():
        node.set(_q(key.replace("__", ":")) if "__" in key else key, value)
    if text is not None:
        node.text = str(text)
    return node


def _string(parent, path, text):
    return _el(parent, f"{path}/gco:CharacterString", text)


def _anchor(parent, path, text, href):
    return _el(parent, f"{path}/gmx:Anchor", text, xlink__href=href)


def _code(parent, path, code_list, value, text=None):
    return _el(parent, path, text or value, codeList=f"{CODELISTS}#{code_list}", codeListValue=value)


def _date(parent, path, value, date_type):
    node = _el(parent, f"{path}/gmd:CI_Date")
    _el(node, "gmd:date/gco:Date", value.isoformat())
    _code(node, "gmd:dateType/gmd:CI_DateTypeCode", "CI_DateTypeCode", date_type)


def _party(parent, path, organisation, email, role):
    party = _el(parent, f"{path}/gmd:CI_ResponsibleParty")
    _string(party, "gmd:organisationName", organisation)
    contact = _el(party, "gmd:contactInfo/gmd:CI_Contact")
    _string(contact, "gmd:address/gmd:CI_Address/gmd:electronicMailAddress", email)
    _code(party, "gmd:role/gmd:CI_RoleCode", "CI_RoleCode", role)


def _language(parent, path):
    _el(
        parent,
        f"{path}/gmd:LanguageCode",
        "fre",
        codeList="http://www.loc.gov/standards/iso639-2/",
        codeListValue="fre",
    )


def _keywords(identification, words, thesaurus=None, anchors=None):
    block = _el(identification, "gmd:descriptiveKeywords/gmd:MD_Keywords")
    for index, word in enumerate(words):
        if anchors:
            _anchor(block, "gmd:keyword", word, anchors[index])
        else:
            _string(block, "gmd:keyword", word)
    _code(block, "gmd:type/gmd:MD_KeywordTypeCode", "MD_KeywordTypeCode", "theme")
    if thesaurus:
        title, published = thesaurus
        citation = _el(block, "gmd:thesaurusName/gmd:CI_Citation")
        _string(citation, "gmd:title", title)
        _date(citation, "gmd:date", dt.date.fromisoformat(published), "publication")


def _constraints(identification, fiche):
    jeu = fiche.jeu
    access = _el(identification, "gmd:resourceConstraints/gmd:MD_LegalConstraints")
    _code(access, "gmd:accessConstraints/gmd:MD_RestrictionCode", "MD_RestrictionCode", "otherRestrictions")
    if fiche.public:
        _anchor(
            access, "gmd:otherConstraints", "Pas de restriction d'accès public", LIMITATIONS + "noLimitations"
        )
    else:
        article = ARTICLE_13.get(jeu.sensibilite)
        if article:
            _anchor(access, "gmd:otherConstraints", article[1], LIMITATIONS + article[0])
        reason = jeu.motif_sensibilite or f"Accès restreint ({jeu.get_sensibilite_display()})"
        _string(access, "gmd:otherConstraints", reason)
    use = _el(identification, "gmd:resourceConstraints/gmd:MD_LegalConstraints")
    _string(use, "gmd:useLimitation", LICENCE_TITLE[jeu.licence])
    _code(use, "gmd:useConstraints/gmd:MD_RestrictionCode", "MD_RestrictionCode", "otherRestrictions")
    _anchor(use, "gmd:otherConstraints", LICENCE_TITLE[jeu.licence], LICENCE_URI[jeu.licence])


def _extent(identification, fiche):
    extent = _el(identification, "gmd:extent/gmd:EX_Extent")
    _string(extent, "gmd:description", jeu_coverage(fiche.jeu))
    box = _el(extent, "gmd:geographicElement/gmd:EX_GeographicBoundingBox")
    west, south, east, north = fiche.bbox
    for name, value in (("west", west), ("east", east), ("south", south), ("north", north)):
        axis = "Longitude" if name in ("west", "east") else "Latitude"
        _el(box, f"gmd:{name}Bound{axis}/gco:Decimal", value)
    if fiche.period:
        start, end = fiche.period
        period = _el(extent, "gmd:temporalElement/gmd:EX_TemporalExtent/gmd:extent/gml:TimePeriod")
        period.set(_q("gml:id"), f"periode-{fiche.jeu.slug}")
        if start:
            _el(period, "gml:beginPosition", start.isoformat())
        else:
            _el(period, "gml:beginPosition", indeterminatePosition="unknown")
        if end:
            _el(period, "gml:endPosition", end.isoformat())
        else:
            _el(period, "gml:endPosition", indeterminatePosition="now")


def jeu_coverage(jeu):
    return jeu.couverture_spatiale or settings.OPENDATA_PUBLISHER


def _resolution(identification, resolution):
    node = _el(identification, "gmd:spatialResolution/gmd:MD_Resolution")
    if resolution.distance_m is not None:
        _el(node, "gmd:distance/gco:Distance", resolution.distance_m, uom="m")
    else:
        _el(
            node,
            "gmd:equivalentScale/gmd:MD_RepresentativeFraction/gmd:denominator/gco:Integer",
            resolution.scale,
        )


def _identification(root, fiche):
    jeu = fiche.jeu
    identification = _el(root, "gmd:identificationInfo/gmd:MD_DataIdentification")
    citation = _el(identification, "gmd:citation/gmd:CI_Citation")
    _string(citation, "gmd:title", jeu.titre)
    _date(citation, "gmd:date", localtime(jeu.created_at).date(), "creation")
    _date(citation, "gmd:date", fiche.revised.date(), "revision")
    identifier = _el(citation, "gmd:identifier/gmd:MD_Identifier")
    _string(identifier, "gmd:code", settings.SITE_URL + jeu.get_absolute_url())
    _string(identification, "gmd:abstract", jeu.description)
    producer = jeu.organisation.nom if jeu.organisation else jeu.producteur
    _party(
        identification,
        "gmd:pointOfContact",
        producer,
        jeu.contact or settings.OPENDATA_CONTACT_EMAIL,
        "pointOfContact",
    )
    _party(
        identification,
        "gmd:pointOfContact",
        settings.OPENDATA_PUBLISHER,
        settings.OPENDATA_CONTACT_EMAIL,
        "publisher",
    )
    maintenance = _el(identification, "gmd:resourceMaintenance/gmd:MD_MaintenanceInformation")
    _code(
        maintenance,
        "gmd:maintenanceAndUpdateFrequency/gmd:MD_MaintenanceFrequencyCode",
        "MD_MaintenanceFrequencyCode",
        MAINTENANCE.get(jeu.frequence, "unknown"),
    )
    if jeu.mots_cles:
        _keywords(identification, jeu.mots_cles)
    theme = fiche.inspire_theme
    if theme:
        code, label = theme
        _keywords(identification, [label], INSPIRE_THEMES_THESAURUS, [f"{INSPIRE_THEMES_URL}/{code}"])
    _constraints(identification, fiche)
    _code(
        identification,
        "gmd:spatialRepresentationType/gmd:MD_SpatialRepresentationTypeCode",
        "MD_SpatialRepresentationTypeCode",
        "vector",
    )
    _resolution(identification, fiche.resolution)
    _language(identification, "gmd:language")
    _code(identification, "gmd:characterSet/gmd:MD_CharacterSetCode", "MD_CharacterSetCode", "utf8")
    _el(identification, "gmd:topicCategory/gmd:MD_TopicCategoryCode", fiche.topic_category)
    _extent(identification, fiche)


def _distribution(root, fiche):
    distribution = _el(root, "gmd:distributionInfo/gmd:MD_Distribution")
    formats = [FILE_FORMATS.get(f, (f.upper(), "")) for f in fiche.formats]
    if fiche.collections:
        formats.append(("GeoJSON", "RFC 7946"))
    for name, version in dict(formats).items():
        node = _el(distribution, "gmd:distributionFormat/gmd:MD_Format")
        _string(node, "gmd:name", name)
        _string(node, "gmd:version", version or "inconnue")
    options = _el(distribution, "gmd:transferOptions/gmd:MD_DigitalTransferOptions")
    for lien in fiche.links:
        online = _el(options, "gmd:onLine/gmd:CI_OnlineResource")
        _el(online, "gmd:linkage/gmd:URL", lien.url)
        _string(online, "gmd:protocol", lien.protocol)
        _string(online, "gmd:name", lien.name)
        _string(online, "gmd:description", lien.description)
        _code(online, "gmd:function/gmd:CI_OnLineFunctionCode", "CI_OnLineFunctionCode", lien.function)


def _quality(root, fiche):
    jeu = fiche.jeu
    quality = _el(root, "gmd:dataQualityInfo/gmd:DQ_DataQuality")
    _code(quality, "gmd:scope/gmd:DQ_Scope/gmd:level/gmd:MD_ScopeCode", "MD_ScopeCode", "dataset")
    # Conformity to the INSPIRE interoperability rules has not been evaluated: said, not claimed.
    result = _el(quality, "gmd:report/gmd:DQ_DomainConsistency/gmd:result/gmd:DQ_ConformanceResult")
    specification = _el(result, "gmd:specification/gmd:CI_Citation")
    _string(specification, "gmd:title", INSPIRE_REGULATION[0])
    _date(specification, "gmd:date", dt.date.fromisoformat(INSPIRE_REGULATION[1]), "publication")
    _string(result, "gmd:explanation", "Conformité non évaluée")
    _el(result, "gmd:pass", **{"gco__nilReason": "unknown"})
    parts = []
    if jeu.source:
        parts.append(f"Source : {jeu.source}.")
    if jeu.cadre:
        parts.append(f"Cadre : {jeu.cadre}.")
    if jeu.notes_qualite:
        parts.append(f"Notes de qualité : {jeu.notes_qualite}")
    statement = " ".join(parts) or f"Données produites par {jeu.producteur}."
    _string(quality, "gmd:lineage/gmd:LI_Lineage/gmd:statement", statement)


def iso_record(fiche):
    """The ``gmd:MD_Metadata`` element of one dataset (INSPIRE metadata, ISO 19139 encoding)."""
    root = etree.Element(_q("gmd:MD_Metadata"), nsmap=NS)
    root.set(_q("xsi:schemaLocation"), SCHEMA_LOCATION)
    _string(root, "gmd:fileIdentifier", fiche.identifier)
    _language(root, "gmd:language")
    _code(root, "gmd:characterSet/gmd:MD_CharacterSetCode", "MD_CharacterSetCode", "utf8")
    _code(root, "gmd:hierarchyLevel/gmd:MD_ScopeCode", "MD_ScopeCode", "dataset")
    _party(
        root, "gmd:contact", settings.OPENDATA_PUBLISHER, settings.OPENDATA_CONTACT_EMAIL, "pointOfContact"
    )
    _el(root, "gmd:dateStamp/gco:DateTime", fiche.modified.isoformat())
    _string(root, "gmd:metadataStandardName", "ISO 19115:2003/19139")
    _string(root, "gmd:metadataStandardVersion", "1.0")
    for code, name in CRS:
        identifier = _el(
            root,
            "gmd:referenceSystemInfo/gmd:MD_ReferenceSystem/gmd:referenceSystemIdentifier/gmd:RS_Identifier",
        )
        _anchor(
            identifier, "gmd:code", f"EPSG:{code} ({name})", f"http://www.opengis.net/def/crs/EPSG/0/{code}"
        )
        _string(identifier, "gmd:codeSpace", "EPSG")
    _identification(root, fiche)
    _distribution(root, fiche)
    _quality(root, fiche)
    return root


def iso_document(fiche):
    return etree.tostring(iso_record(fiche), xml_declaration=True, encoding="UTF-8", pretty_print=True)
