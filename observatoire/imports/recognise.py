"""Recognising an official file from its header, to tell a person which import takes it.

A file given to the wrong import used to get that import's complaint (« colonne(s) absente(s) : …
forty names », « fichier .prj absent »), which says nothing of what to do. Each known format is
recognised by a few columns its producer always writes, whatever the vintage.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownFormat:
    label: str
    command: str = ""  # the import that takes it; empty when the portal imports another form of it
    hint: str = ""


def _has(*names):
    wanted = set(names)
    return lambda header: wanted <= header


def _matches(required, pattern):
    regex = re.compile(pattern)
    return lambda header: required in header and any(regex.match(name) for name in header)


FORMATS = [
    (_has("id_mutation", "date_mutation", "valeur_fonciere", "id_parcelle"),
     KnownFormat("DVF géolocalisées (Etalab)", "import_dvf")),
    (_has("valeur fonciere", "nature mutation", "code commune"),
     KnownFormat("DVF brut de la DGFiP (ValeursFoncieres-AAAA.txt)", "",
                 "Le portail importe les DVF géolocalisées publiées par Etalab (un fichier par département, "
                 "csv.gz) avec `python manage.py import_dvf` : ils portent les mêmes mutations, "
                 "géolocalisées et une ligne par local.")),
    (_has("depcom_arm", "nb_ls"), KnownFormat("RPLS communal (SDES)", "import_rpls")),
    (_has("type_lgt", "log_aut"),
     KnownFormat("Sitadel, logements autorisés et commencés (SDES)", "import_sitadel")),
    (_matches("codgeo", r"^p\d\d_log$"),
     KnownFormat("INSEE, base communale Logement", "import_insee_logement")),
    (_matches("codgeo", r"^p\d\d_actocc15p$"),
     KnownFormat("INSEE, actifs occupés par mode de transport", "import_emploi_pop_active")),
    (_has("codgeo", "dclt"),
     KnownFormat("INSEE, flux domicile-travail (MOBPRO)", "import_mobilites_professionnelles")),
    (_has("commune", "dclt", "ipondi"),
     KnownFormat("INSEE, fichier détail des mobilités professionnelles (MOBPRO)",
                 "import_mobilites_professionnelles")),
    (_has("idcar_200m", "ind"), KnownFormat("INSEE, carreaux de 200 m (Filosofi)", "import_carreaux_200m")),
    (_has("idinspire", "ind"),
     KnownFormat("INSEE, carreaux de 200 m (Filosofi 2015)", "import_carreaux_200m")),
    (_matches("idcom", r"^naf\d\dart\d\d$"),
     KnownFormat("Cerema, consommation d'espaces NAF", "import_consommation_espace")),
    (_has("code_insee", "objectif_logements_par_an"), KnownFormat("objectifs du PLH", "import_plh")),
    (_has("id_gisement", "type"), KnownFormat("gisements fonciers", "import_gisements")),
    # A Shapefile cuts field names at 10 characters.
    (_has("id_gisemen", "type"), KnownFormat("gisements fonciers", "import_gisements")),
    (_has("code_iris", "nom_iris"),
     KnownFormat("contours IRIS (IGN)", "import_zones",
                 "Avec --type IRIS --code-field CODE_IRIS --nom-field NOM_IRIS.")),
    (_has("code_qp", "lib_qp"),
     KnownFormat("quartiers prioritaires de la ville (ANCT)", "import_zones",
                 "Avec --type QPV --code-field code_qp --nom-field lib_qp.")),
    (_has("libelle", "typezone"), KnownFormat("zonage d'un PLU/PLUi (CNIG, ZONE_URBA)", "import_zones_plu")),
    (_has("date_ech", "code_qual", "code_zone"),
     KnownFormat("indice ATMO quotidien (format national des AASQA)", "import_indice_atmo")),
    (_has("id entité", "activité", "variable", "valeur"),
     KnownFormat("extraction CIGALE de l'inventaire des émissions (AtmoSud)", "import_emissions_air")),
    (_has("stop_id", "stop_lat", "stop_lon"),
     KnownFormat("stops.txt d'un flux GTFS", "import_gtfs", "Importez l'archive .zip du GTFS entière.")),
    (_has("route_id", "route_type"),
     KnownFormat("routes.txt d'un flux GTFS", "import_gtfs", "Importez l'archive .zip du GTFS entière.")),
    (_matches("agrégat", r"^code insee \d{4} commune$"),
     KnownFormat("OFGL, comptes des communes", "import_ofgl_comptes")),
    (_matches("agrégat", r"^code siren \d{4} epci$"),
     KnownFormat("OFGL, comptes des groupements à fiscalité propre", "import_ofgl_comptes")),
    (_has("informations générales - code insee de la commune"),
     KnownFormat("DGCL, critères de répartition des dotations des communes", "import_dgcl_criteres")),
    (_has("dep", "com", "libcom"), KnownFormat("REI de la DGFiP (fiscalité directe locale)", "import_rei")),
    (_has("departement", "commune", "libellé commune"),
     KnownFormat("REI de la DGFiP (fiscalité directe locale)", "import_rei")),
    (_has("idcom", "var", "varlib", "valeur"), KnownFormat("REI republié par l'OFGL", "import_rei")),
    (_has("cod_nat_catnat", "num_risque_jo"),
     KnownFormat("Géorisques GASPAR, arrêtés CatNat", "import_gaspar")),
    (_has("id_gaspar", "lib_risque_jo"), KnownFormat("Géorisques GASPAR, arrêtés CatNat", "import_gaspar")),
    (_has("cod_nat_pprn", "cod_commune"),
     KnownFormat("Géorisques GASPAR, plans de prévention des risques", "import_gaspar")),
    (_has("code insee commune", "code procedure"),
     KnownFormat("Géorisques GASPAR, plans de prévention des risques", "import_gaspar")),
    (_has("code insee commune", "code proecedure"),
     KnownFormat("Géorisques GASPAR, plans de prévention des risques", "import_gaspar")),
]  # fmt: skip


def header_name(name):
    """A column name as files write it, compared: quotes, BOM, spaces and case left out."""
    return str(name).strip().strip('"').lstrip("\ufeff").strip().lower()


def identify(header):
    """The ``KnownFormat`` the header belongs to, or None."""
    names = {header_name(name) for name in header}
    for test, known in FORMATS:
        if test(names):
            return known
    return None


def wrong_format(header, expected_command):
    """An ``ImportRejected`` saying what the file is and which import takes it, when it is another
    known format than the one ``expected_command`` reads; None otherwise (let the importer explain)."""
    from .base import ImportRejected

    known = identify(header)
    if known is None or known.command == expected_command:
        return None
    if known.command:
        advice = f"importez-le avec `python manage.py {known.command}`."
        if known.hint:
            advice += f" {known.hint}"
    else:
        advice = known.hint
    return ImportRejected(
        f"Ce fichier est un fichier « {known.label} », pas celui qu'attend `{expected_command}` : {advice} "
        "Rien n'a été importé."
    )


def missing_columns(header, missing, command, help_text=""):
    """The refusal of a header without the columns ``command`` needs: another known official file is
    named with its import; otherwise the missing columns and those read are listed."""
    from .base import ImportRejected

    known = wrong_format(header, command)
    if known is not None:
        return known
    shown = ", ".join(header[:25]) + ("…" if len(header) > 25 else "")
    parts = [f"Colonne(s) absente(s) : {', '.join(missing)}.", help_text, f"Colonnes lues : {shown}."]
    return ImportRejected(" ".join(part for part in parts if part))
