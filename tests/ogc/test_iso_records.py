"""ISO 19139 records of the geographic datasets, read back by OWSLib's ISO parser (nobody here wrote it)."""

import dataclasses
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from lxml import etree
from owslib.iso import MD_Metadata

from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.ogc import iso, registry
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from tests.factories import UserFactory
from tests.foncier.test_gisements import gisements_rows, write_layer

SITE = "https://data.exemple.fr"


@pytest.fixture
def catalogue(territoire, settings, tmp_path):
    settings.SITE_URL = SITE
    settings.OPENDATA_CONTACT_EMAIL = "donnees@exemple.fr"
    sync_catalogue()
    call_command("import_gisements", str(write_layer(tmp_path, gisements_rows())), verbosity=0)
    communes = JeuDeDonnees.objects.get(slug="communes-metropole")
    communes.notes_qualite = "Contours simplifiés à 10 m."
    communes.save()
    publish(communes)
    return JeuDeDonnees.objects.all()


def _parsed(fiche):
    return MD_Metadata(etree.fromstring(iso.iso_document(fiche)))


def _fiche(slug, user=None):
    return iso.fiche_for(user or AnonymousUser(), slug=slug)


def test_a_public_record_read_by_owslib(catalogue):
    record = _parsed(_fiche("communes-metropole"))
    assert record.identifier == str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{SITE}/ogc/metadonnees/communes-metropole")
    )
    assert record.language == "fre" or record.languagecode == "fre"
    assert record.hierarchy == "dataset"
    assert record.contact[0].organization == "Métropole d'Aix-Marseille-Provence"
    assert record.contact[0].email == "donnees@exemple.fr"
    assert record.referencesystem.code == "EPSG:2154 (RGF93 v1 / Lambert-93)"
    assert record.referencesystem.code_url == "http://www.opengis.net/def/crs/EPSG/0/2154"
    codes = etree.fromstring(iso.iso_document(_fiche("communes-metropole"))).xpath(
        "//gmd:referenceSystemInfo//gmd:code/gmx:Anchor/@xlink:href", namespaces=iso.NS
    )
    assert codes == [
        "http://www.opengis.net/def/crs/EPSG/0/2154",
        "http://www.opengis.net/def/crs/EPSG/0/4326",
    ]
    ident = record.identification[0]
    assert ident.title == "Communes de la métropole : contours et population"
    assert ident.abstract.startswith("Contours, code INSEE")
    assert ident.topiccategory == ["boundaries"]
    assert ident.denominators == ["50000"]
    assert ident.accessconstraints == ["otherRestrictions"]
    assert "Pas de restriction d'accès public" in ident.otherconstraints
    assert "Licence Ouverte / Open Licence version 2.0" in ident.otherconstraints
    # The territory's communes, computed by PostGIS: around Marseille and Aix.
    west, south, east, north = (
        float(v) for v in (ident.bbox.minx, ident.bbox.miny, ident.bbox.maxx, ident.bbox.maxy)
    )
    assert 4.5 < west < 5.0 < 5.6 < east < 6.0 and 43.0 < south < 43.3 < 43.6 < north < 44.0
    keywords = {k.name: block for block in ident.keywords for k in block.keywords}
    assert "limites administratives" in keywords
    inspire = keywords["Unités administratives"]
    assert inspire.thesaurus["title"] == "GEMET - INSPIRE themes, version 1.0"
    assert inspire.keywords[0].url == "http://inspire.ec.europa.eu/theme/au"
    contacts = {c.role: c for c in ident.contact}
    assert contacts["pointOfContact"].organization.startswith("Métropole d'Aix-Marseille-Provence, d'après")
    assert record.dataquality.lineage.startswith("Source : INSEE")
    assert "Notes de qualité : Contours simplifiés à 10 m." in record.dataquality.lineage
    links = {(o.protocol, o.url) for o in record.distribution.online}
    assert (
        "WWW:DOWNLOAD-1.0-http--download",
        f"{SITE}/opendata/communes-metropole/telecharger/csv/",
    ) in links
    assert ("OGC API Features", f"{SITE}/ogc/collections/communes") in links
    assert ("OGC API Features", f"{SITE}/ogc/collections/arrondissements") in links
    assert ("WWW:LINK", f"{SITE}/opendata/communes-metropole/") in links


def test_the_temporal_extent_is_the_records(catalogue):
    import datetime as dt

    jeu = JeuDeDonnees.objects.get(slug="zonage-plui")
    jeu.debut, jeu.fin = dt.date(2019, 1, 1), dt.date(2024, 12, 31)
    jeu.save()
    ident = _parsed(_fiche("zonage-plui")).identification[0]
    assert (ident.temporalextent_start, ident.temporalextent_end) == ("2019-01-01", "2024-12-31")
    assert ident.denominators == ["5000"]
    assert iso.INSPIRE_THEME_OF_DATASET.get("zonage-plui") is None
    assert "Usage des sols" in {k.name for block in ident.keywords for k in block.keywords}


def test_points_declare_a_distance_and_no_file_links_until_published(catalogue):
    record = _parsed(_fiche("signalements-espace-public"))
    ident = record.identification[0]
    assert (ident.distance, ident.uom) == (["10"], ["m"])
    protocols = {o.protocol for o in record.distribution.online}
    assert "WWW:DOWNLOAD-1.0-http--download" not in protocols  # never published in this test
    assert "OGC API Features" in protocols


def test_restricted_datasets_only_for_catalogue_readers(catalogue):
    anonymous, citizen = AnonymousUser(), UserFactory(role=Role.CITOYEN)
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    for user in (anonymous, citizen):
        slugs = {f.jeu.slug for f in iso.fiches(user)}
        assert "communes-metropole" in slugs and "gisements-fonciers" not in slugs
        assert _fiche("gisements-fonciers", user) is None
    slugs = {f.jeu.slug for f in iso.fiches(agent)}
    assert "gisements-fonciers" in slugs
    assert "dvf-mutations" in slugs  # restricted: agents read it in the meta-catalogue too
    ident = _parsed(_fiche("gisements-fonciers", agent)).identification[0]
    motif = JeuDeDonnees.objects.get(slug="gisements-fonciers").motif_sensibilite
    assert motif in ident.otherconstraints
    assert "Pas de restriction d'accès public" not in ident.otherconstraints
    # The box is the gisements' own, not the territory's.
    assert float(ident.bbox.maxx) - float(ident.bbox.minx) < 0.5


def test_personal_data_cites_the_inspire_article(catalogue):
    agent = UserFactory(role=Role.AGD)
    record = etree.fromstring(iso.iso_document(_fiche("signalements-complets", agent)))
    hrefs = record.xpath("//gmd:otherConstraints/gmx:Anchor/@xlink:href", namespaces=iso.NS)
    assert iso.LIMITATIONS + "INSPIRE_Directive_Article13_1f" in hrefs


def test_every_record_parses_and_names_its_extent(catalogue):
    agent = UserFactory(role=Role.AGD)
    fiches = iso.fiches(agent, listed_only=False)
    assert len(fiches) >= 8
    for fiche in fiches:
        record = _parsed(fiche)
        ident = record.identification[0]
        assert ident.title == fiche.jeu.titre
        assert ident.bbox is not None and float(ident.bbox.minx) < float(ident.bbox.maxx)
        assert record.datestamp
        assert record.distribution.online, fiche.jeu.slug


def test_an_unlisted_collection_keeps_its_dataset_out_of_listings(catalogue, monkeypatch):
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    dvf = registry.COLLECTIONS["dvf-mutations"]
    monkeypatch.setitem(registry.COLLECTIONS, "dvf-mutations", dataclasses.replace(dvf, listed=False))
    assert "dvf-mutations" not in {f.jeu.slug for f in iso.fiches(agent)}
    assert _fiche("dvf-mutations", agent) is not None  # by identifier, for those who read the catalogue
    assert _fiche("dvf-mutations") is None


def test_editing_the_record_moves_its_date_stamp(catalogue):
    before = _parsed(_fiche("zonage-plui")).datestamp
    jeu = JeuDeDonnees.objects.get(slug="zonage-plui")
    jeu.updated_at = jeu.updated_at.replace(year=jeu.updated_at.year - 1)
    JeuDeDonnees.objects.filter(pk=jeu.pk).update(updated_at=jeu.updated_at)  # as if edited a year ago
    assert _parsed(_fiche("zonage-plui")).datestamp < before
    jeu.description += " Mise à jour de la description."
    jeu.save()
    after = _parsed(_fiche("zonage-plui"))
    assert after.datestamp >= before
    assert after.identification[0].abstract.endswith("Mise à jour de la description.")
