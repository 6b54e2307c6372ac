"""A CSW 2.0.2 catalogue of the ISO records (``iso``), the subset harvesters and GIS clients use (ADR 13).

Requests come as KVP (GET) or XML (POST) and are read into one ``CswRequest``; filters (OGC Filter
1.1 XML or CQL text) into a small tree evaluated on each record. The catalogue holds tens of
datasets, not millions: every record is built, then filtered in Python, except the words of
``csw:AnyText``, which go through the meta-catalogue's French full-text search (stems, synonyms)
and, for what it does not find (a part of a word, an identifier), a plain accent-blind match.
Bad requests answer an OWS ExceptionReport with a French text.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, OGRGeometry, SpatialReference
from django.utils import timezone
from django.utils.timezone import localtime
from lxml import etree

from gouvernance.models import JeuDeDonnees

from . import iso

NS = {
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dct": "http://purl.org/dc/terms/",
    "ows": "http://www.opengis.net/ows",
    "ogc": "http://www.opengis.net/ogc",
    "gml": "http://www.opengis.net/gml",
    "gml32": "http://www.opengis.net/gml/3.2",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "apiso": "http://www.opengis.net/cat/csw/apiso/1.0",
    "gmd": iso.NS["gmd"],
}
CSW_SCHEMA = NS["csw"]
GMD_SCHEMA = NS["gmd"]
OUTPUT_SCHEMAS = {CSW_SCHEMA: CSW_SCHEMA, "csw:Record": CSW_SCHEMA, GMD_SCHEMA: GMD_SCHEMA}
TYPE_NAMES = ("csw:Record", "gmd:MD_Metadata")
ELEMENT_SETS = ("brief", "summary", "full")
RESULT_TYPES = ("hits", "results")
OUTPUT_FORMATS = ("application/xml", "text/xml")
CONSTRAINT_LANGUAGES = ("FILTER", "CQL_TEXT")
OPERATIONS = ("GetCapabilities", "DescribeRecord", "GetRecords", "GetRecordById", "GetDomain")
DEFAULT_MAX_RECORDS = 10
MAX_PATTERN = 200
MAX_WILDCARDS = 6
MAX_RECORDS = 500
CSW_SCHEMA_LOCATION = f"{CSW_SCHEMA} http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd"

# Queryable names (prefix and case aside) → the record's field.
PROPERTIES = {
    "anytext": "anytext",
    "title": "title",
    "subject": "subject",
    "abstract": "abstract",
    "description": "abstract",
    "identifier": "identifier",
    "type": "type",
    "modified": "modified",
    "revisiondate": "modified",
    "format": "format",
    "organisationname": "organisation",
    "creator": "organisation",
    "publisher": "organisation",
    "topiccategory": "topic",
    "language": "language",
    "keywordtype": "type",
    "boundingbox": "bbox",
    "resourcelanguage": "language",
}
QUERYABLES = (
    *("csw:AnyText", "dc:title", "dc:subject", "dct:abstract", "dc:identifier", "dc:type", "dct:modified"),
    *("dc:format", "ows:BoundingBox", "apiso:AnyText", "apiso:Title", "apiso:Subject", "apiso:Abstract"),
    *("apiso:Identifier", "apiso:Type", "apiso:Modified", "apiso:Format", "apiso:OrganisationName"),
    *("apiso:TopicCategory", "apiso:Language", "apiso:BoundingBox"),
)


class CswError(Exception):
    """An OWS exception: ``code`` from OWS 1.0 (§8), ``locator`` the parameter at fault."""

    def __init__(self, code, text, locator=None, status=400):
        super().__init__(text)
        self.code, self.text, self.locator, self.status = code, text, locator, status


def _invalid(locator, text):
    return CswError("InvalidParameterValue", text, locator)


def _element_name():
    return _invalid(
        "ElementName",
        "ElementName n'est pas pris en charge : demandez ElementSetName brief, summary ou full.",
    )


@dataclass
class CswRequest:
    operation: str
    type_names: tuple = ("csw:Record",)
    element_set: str = "summary"
    output_schema: str = CSW_SCHEMA
    result_type: str = "hits"
    start: int = 1
    max_records: int = DEFAULT_MAX_RECORDS
    filter: object = None
    sort: tuple = ()  # (field, descending)
    ids: list = field(default_factory=list)
    parameter_name: str = ""
    property_name: str = ""
    accept_versions: str = ""


# --- reading requests ------------------------------------------------------------------------


def _integer(value, locator, minimum):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _invalid(locator, f"« {value} » n'est pas un entier.") from None
    if number < minimum:
        raise _invalid(locator, f"{locator} doit valoir au moins {minimum}.")
    return number


def _choice(value, allowed, locator):
    for option in allowed:
        if value.lower() == option.lower():
            return option
    raise _invalid(
        locator, f"Valeur « {value} » non prise en charge ; valeurs possibles : {', '.join(allowed)}."
    )


def _type_names(value):
    names = [name for name in re.split(r"[\s,]+", value.strip()) if name]
    if not names:
        raise CswError("MissingParameterValue", "Le paramètre typeNames est obligatoire.", "typeNames")
    result = []
    for name in names:
        local = name.split(":")[-1]
        match = next((t for t in TYPE_NAMES if t.split(":")[1].lower() == local.lower()), None)
        if match is None:
            raise _invalid("typeNames", f"Type « {name} » inconnu ; types servis : {', '.join(TYPE_NAMES)}.")
        result.append(match)
    return tuple(result)


def _output_schema(value):
    schema = OUTPUT_SCHEMAS.get(value.strip())
    if schema is None:
        raise _invalid(
            "outputSchema",
            f"Schéma « {value} » non pris en charge ; schémas servis : {CSW_SCHEMA}, {GMD_SCHEMA}.",
        )
    return schema


def _output_format(value):
    if value and value.split(";")[0].strip().lower() not in OUTPUT_FORMATS:
        raise _invalid(
            "outputFormat", f"Format « {value} » non pris en charge : seul application/xml est servi."
        )


def _common(operation, service, version):
    if not service:
        raise CswError("MissingParameterValue", "Le paramètre service est obligatoire (CSW).", "service")
    if service.upper() != "CSW":
        raise _invalid("service", f"Service « {service} » inconnu : ce point d'accès sert CSW.")
    if operation != "GetCapabilities":
        if not version:
            raise CswError(
                "MissingParameterValue", "Le paramètre version est obligatoire (2.0.2).", "version"
            )
        if version != "2.0.2":
            raise _invalid(
                "version", f"Version « {version} » non prise en charge : seule la 2.0.2 est servie."
            )


def _operation(name):
    if not name:
        raise CswError("MissingParameterValue", "Le paramètre request est obligatoire.", "request")
    for operation in OPERATIONS:
        if operation.lower() == name.lower():
            return operation
    raise CswError(
        "OperationNotSupported",
        f"Opération « {name} » non prise en charge ; opérations servies : {', '.join(OPERATIONS)}.",
        "request",
    )


def _sort_kvp(value):
    """``dc:title:A,dct:modified:D`` (CSW 2.0.2 §10.8.4.7); the first key decides, then the title."""
    if not value:
        return ()
    name, _, direction = value.split(",")[0].rpartition(":")
    if not name:
        name, direction = direction, "A"
    return (_property(name, "sortBy"), direction.upper().startswith("D"))


def from_kvp(params):
    """A ``CswRequest`` from GET parameters (names are case-insensitive, CSW 2.0.2 §10.5)."""
    p = {key.lower(): value for key, value in params.items()}
    operation = _operation(p.get("request", ""))
    _common(operation, p.get("service", ""), p.get("version", ""))
    request = CswRequest(operation, accept_versions=p.get("acceptversions", ""))
    _output_format(p.get("outputformat", ""))
    if "typenames" in p or "typename" in p:
        request.type_names = _type_names(p.get("typenames") or p.get("typename", ""))
    if "elementsetname" in p:
        request.element_set = _choice(p["elementsetname"], ELEMENT_SETS, "ElementSetName")
    if "outputschema" in p:
        request.output_schema = _output_schema(p["outputschema"])
    if "resulttype" in p:
        request.result_type = _choice(p["resulttype"], RESULT_TYPES, "resultType")
    if "startposition" in p:
        request.start = _integer(p["startposition"], "startPosition", 1)
    if "maxrecords" in p:
        request.max_records = _integer(p["maxrecords"], "maxRecords", 0)
    if p.get("constraint"):
        language = p.get("constraintlanguage", "")
        if not language:
            raise CswError(
                "MissingParameterValue",
                "CONSTRAINTLANGUAGE est obligatoire avec constraint (FILTER ou CQL_TEXT).",
                "CONSTRAINTLANGUAGE",
            )
        language = _choice(language, CONSTRAINT_LANGUAGES, "CONSTRAINTLANGUAGE")
        if language == "CQL_TEXT":
            request.filter = parse_cql(p["constraint"])
        else:
            request.filter = parse_filter(_xml(p["constraint"], "constraint"))
    if p.get("elementname"):
        raise _element_name()
    request.sort = _sort_kvp(p.get("sortby", ""))
    if operation == "GetRecordById":
        request.element_set = _choice(p.get("elementsetname", "full"), ELEMENT_SETS, "ElementSetName")
        request.ids = [i.strip() for i in p.get("id", "").split(",") if i.strip()]
        if not request.ids:
            raise CswError("MissingParameterValue", "Le paramètre id est obligatoire.", "id")
    if operation == "DescribeRecord" and not ("typenames" in p or "typename" in p):
        request.type_names = TYPE_NAMES
    request.parameter_name = p.get("parametername", "")
    request.property_name = p.get("propertyname", "")
    if operation == "GetDomain" and not (request.parameter_name or request.property_name):
        raise CswError(
            "MissingParameterValue", "ParameterName ou PropertyName est obligatoire.", "ParameterName"
        )
    return request


def _xml(text, locator):
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(text.encode() if isinstance(text, str) else text, parser)
    except etree.XMLSyntaxError as error:
        raise CswError("NoApplicableCode", f"XML illisible : {error}", locator) from None


def _local(tag):
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(node, name):
    return next((c for c in node if _local(c.tag) == name), None)


def from_xml(body):
    """A ``CswRequest`` from a POSTed XML request (CSW 2.0.2 §10.6 to §10.9)."""
    root = _xml(body, "request")
    operation = _operation(_local(root.tag))
    _common(operation, root.get("service", ""), root.get("version", ""))
    request = CswRequest(operation)
    _output_format(root.get("outputFormat", ""))
    if root.get("outputSchema"):
        request.output_schema = _output_schema(root.get("outputSchema"))
    if operation == "GetCapabilities":
        versions = root.find(f"{{{NS['ows']}}}AcceptVersions")
        if versions is not None:
            request.accept_versions = ",".join(v.text or "" for v in versions)
    elif operation == "GetRecords":
        request.result_type = _choice(root.get("resultType", "hits"), RESULT_TYPES, "resultType")
        request.start = _integer(root.get("startPosition", "1"), "startPosition", 1)
        request.max_records = _integer(root.get("maxRecords", str(DEFAULT_MAX_RECORDS)), "maxRecords", 0)
        query = _child(root, "Query")
        if query is None:
            raise CswError("MissingParameterValue", "L'élément csw:Query est obligatoire.", "Query")
        request.type_names = _type_names(query.get("typeNames", ""))
        element_set = _child(query, "ElementSetName")
        if element_set is not None:
            request.element_set = _choice((element_set.text or "").strip(), ELEMENT_SETS, "ElementSetName")
        if _child(query, "ElementName") is not None:
            raise _element_name()
        constraint = _child(query, "Constraint")
        if constraint is not None:
            request.filter = _constraint(constraint)
        sort = _child(query, "SortBy")
        if sort is not None:
            request.sort = _sort_xml(sort)
    elif operation == "GetRecordById":
        request.element_set = "full"
        element_set = _child(root, "ElementSetName")
        if element_set is not None:
            request.element_set = _choice((element_set.text or "").strip(), ELEMENT_SETS, "ElementSetName")
        request.ids = [
            (c.text or "").strip() for c in root if _local(c.tag) == "Id" and (c.text or "").strip()
        ]
        if not request.ids:
            raise CswError("MissingParameterValue", "L'élément csw:Id est obligatoire.", "Id")
    elif operation == "DescribeRecord":
        names = [(c.text or "").strip() for c in root if _local(c.tag) == "TypeName"]
        request.type_names = _type_names(" ".join(names)) if names else TYPE_NAMES
    elif operation == "GetDomain":
        parameter, prop = _child(root, "ParameterName"), _child(root, "PropertyName")
        request.parameter_name = (parameter.text or "").strip() if parameter is not None else ""
        request.property_name = (prop.text or "").strip() if prop is not None else ""
        if not (request.parameter_name or request.property_name):
            raise CswError(
                "MissingParameterValue", "ParameterName ou PropertyName est obligatoire.", "ParameterName"
            )
    return request


def _constraint(node):
    cql = _child(node, "CqlText")
    if cql is not None:
        return parse_cql(cql.text or "")
    filter_node = _child(node, "Filter")
    if filter_node is None:
        raise CswError(
            "MissingParameterValue", "La contrainte ne contient ni ogc:Filter ni csw:CqlText.", "Constraint"
        )
    return parse_filter(filter_node)


def _sort_xml(node):
    prop = next((p for p in node.iter() if _local(p.tag) == "PropertyName"), None)
    order = next((p for p in node.iter() if _local(p.tag) == "SortOrder"), None)
    if prop is None:
        return ()
    return (
        _property(prop.text or "", "SortBy"),
        (order is not None and (order.text or "").upper() == "DESC"),
    )


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    kind: str  # and, or, not, like, compare, bbox, id
    args: tuple


def _property(name, locator="PropertyName"):
    local = name.strip().split(":")[-1].split("/")[-1].lower()
    prop = PROPERTIES.get(local)
    if prop is None:
        raise _invalid(
            locator, f"Propriété « {name.strip()} » non interrogeable ; propriétés : {', '.join(QUERYABLES)}."
        )
    return prop


COMPARISONS = {
    "PropertyIsEqualTo": "=",
    "PropertyIsNotEqualTo": "<>",
    "PropertyIsLessThan": "<",
    "PropertyIsGreaterThan": ">",
    "PropertyIsLessThanOrEqualTo": "<=",
    "PropertyIsGreaterThanOrEqualTo": ">=",
}


def parse_filter(node):
    """An ``Op`` tree from an ``ogc:Filter`` (Filter Encoding 1.1)."""
    if _local(node.tag) == "Filter":
        children = [c for c in node if isinstance(c.tag, str)]
        if len(children) != 1:
            raise _invalid("Filter", "ogc:Filter doit contenir exactement une condition.")
        node = children[0]
    name = _local(node.tag)
    children = [c for c in node if isinstance(c.tag, str)]
    if name in ("And", "Or"):
        if len(children) < 2:
            raise _invalid("Filter", f"ogc:{name} demande au moins deux conditions.")
        return Op(name.lower(), tuple(parse_filter(c) for c in children))
    if name == "Not":
        if len(children) != 1:
            raise _invalid("Filter", "ogc:Not demande une condition.")
        return Op("not", (parse_filter(children[0]),))
    if name == "PropertyIsLike":
        prop, literal = _property_and_literal(node, name)
        pattern = _like_regex(
            literal, node.get("wildCard", "%"), node.get("singleChar", "_"), node.get("escapeChar", "\\")
        )
        return Op("like", (prop, pattern, literal))
    if name in COMPARISONS:
        prop, literal = _property_and_literal(node, name)
        return Op("compare", (prop, COMPARISONS[name], literal))
    if name == "BBOX":
        envelope = next((c for c in node.iter() if _local(c.tag) == "Envelope"), None)
        if envelope is None:
            raise _invalid("BBOX", "ogc:BBOX demande un gml:Envelope.")
        corners = {_local(c.tag): (c.text or "").split() for c in envelope if isinstance(c.tag, str)}
        try:
            (a, b), (c, d) = (
                (float(v) for v in corners["lowerCorner"]),
                (float(v) for v in corners["upperCorner"]),
            )
        except (KeyError, ValueError):
            raise _invalid("BBOX", "gml:Envelope demande lowerCorner et upperCorner numériques.") from None
        return Op("bbox", _box(envelope.get("srsName", ""), a, b, c, d))
    if name in ("FeatureId", "GmlObjectId"):
        ids = [c.get("fid") or c.get(f"{{{NS['gml']}}}id") for c in node.getparent() if _local(c.tag) == name]
        return Op("id", tuple(i for i in ids if i))
    raise CswError("OperationNotSupported", f"Opérateur de filtre ogc:{name} non pris en charge.", "Filter")


def _property_and_literal(node, name):
    prop = _child(node, "PropertyName")
    literal = _child(node, "Literal")
    if prop is None or literal is None:
        raise _invalid("Filter", f"ogc:{name} demande ogc:PropertyName et ogc:Literal.")
    return _property(prop.text or ""), (literal.text or "")


def _like_regex(pattern, wildcard, single, escape):
    """A regular expression for a LIKE pattern; a few wildcards only, since each one multiplies the
    backtracking of ``.*`` over a record's text."""
    if len(pattern) > MAX_PATTERN or pattern.count(wildcard) > MAX_WILDCARDS:
        raise _invalid(
            "Filter",
            f"Motif trop long ou trop de jokers (au plus {MAX_PATTERN} caractères, {MAX_WILDCARDS} jokers).",
        )
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if escape and char == escape and index + 1 < len(pattern):
            out.append(re.escape(_fold(pattern[index + 1])))
            index += 2
            continue
        out.append(".*" if char == wildcard else "." if char == single else re.escape(_fold(char)))
        index += 1
    return re.compile("".join(out), re.DOTALL)


def _box(srs, a, b, c, d):
    """(west, south, east, north) in WGS 84 from an envelope in its CRS and axis order.

    URN and http URIs of EPSG:4326 are latitude first (as the EPSG defines it); ``EPSG:4326`` or no
    CRS at all mean longitude first, as most clients send. Lambert-93 is transformed."""
    code = (re.search(r"(\d+)\s*$", srs or "") or [None, "4326"])[1]
    if code == "2154":
        polygon = OGRGeometry.from_bbox((a, b, c, d))
        polygon.srs = SpatialReference(2154)
        polygon.transform(CoordTransform(SpatialReference(2154), SpatialReference(4326)))
        return polygon.extent
    if code not in ("4326", "84", "CRS84"):
        raise _invalid("BBOX", f"Système de coordonnées « {srs} » non pris en charge (EPSG:4326, EPSG:2154).")
    latitude_first = srs.startswith(("urn:", "http")) and not srs.endswith("CRS84")
    return (b, a, d, c) if latitude_first else (a, b, c, d)


# CQL_TEXT: the OGC Catalogue 2.0.2 grammar (§6.2.2), the part clients send.
CQL_TOKENS = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<op><>|<=|>=|=|<|>|\(|\)|,)|(?P<word>[A-Za-z_][\w:.]*))"
)


def _cql_tokens(text):
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = CQL_TOKENS.match(text, position)
        if not match or match.end() == position:
            raise _invalid("constraint", f"CQL illisible à partir de « {text[position : position + 20]} ».")
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "string":
            value = value[1:-1].replace("''", "'")
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Cql:
    def __init__(self, text):
        self.tokens = _cql_tokens(text)
        self.index = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, value=None):
        kind, token = self.peek()
        if kind is None or (value is not None and str(token).upper() != value):
            expected = f"« {value} »" if value else "une suite"
            raise _invalid("constraint", f"CQL : {expected} attendu, trouvé « {token or 'fin du texte'} ».")
        self.index += 1
        return kind, token

    def keyword(self, word):
        kind, token = self.peek()
        if kind == "word" and token.upper() == word:
            self.index += 1
            return True
        return False

    def parse(self):
        tree = self.disjunction()
        if self.peek()[0] is not None:
            raise _invalid("constraint", f"CQL : « {self.peek()[1]} » inattendu.")
        return tree

    def disjunction(self):
        parts = [self.conjunction()]
        while self.keyword("OR"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Op("or", tuple(parts))

    def conjunction(self):
        parts = [self.negation()]
        while self.keyword("AND"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else Op("and", tuple(parts))

    def negation(self):
        if self.keyword("NOT"):
            return Op("not", (self.negation(),))
        if self.peek() == ("op", "("):
            self.take("(")
            tree = self.disjunction()
            self.take(")")
            return tree
        return self.predicate()

    def predicate(self):
        kind, name = self.take()
        if kind != "word":
            raise _invalid("constraint", f"CQL : nom de propriété attendu, trouvé « {name} ».")
        if name.upper() == "BBOX":
            self.take("(")
            self.take()
            numbers = []
            for _ in range(4):
                self.take(",")
                numbers.append(float(self.take()[1]))
            srs = ""
            if self.peek() == ("op", ","):
                self.take(",")
                srs = self.take()[1]
            self.take(")")
            # CQL writes x then y: the CRS's axis order does not apply.
            west, south, east, north = _box("EPSG:2154" if srs.endswith("2154") else "EPSG:4326", *numbers)
            return Op("bbox", (west, south, east, north))
        prop = _property(name, "constraint")
        negated = self.keyword("NOT")
        if self.keyword("LIKE") or self.keyword("ILIKE"):
            literal = self.take()[1]
            tree = Op("like", (prop, _like_regex(str(literal), "%", "_", "\\"), str(literal)))
        else:
            kind, operator = self.take()
            if kind != "op" or operator in ("(", ")", ","):
                raise _invalid("constraint", f"CQL : opérateur attendu après {name}, trouvé « {operator} ».")
            tree = Op("compare", (prop, operator, str(self.take()[1])))
        return Op("not", (tree,)) if negated else tree


def parse_cql(text):
    if not text.strip():
        raise CswError("MissingParameterValue", "La contrainte CQL est vide.", "constraint")
    return _Cql(text).parse()


def _fold(text):
    """Case and accents aside, as a French reader compares (« Équipement » = « equipement »)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Matcher:
    """Evaluates a filter on records; remembers each AnyText full-text search for the request."""

    def __init__(self):
        self.searches = {}

    def full_text(self, literal):
        words = re.sub(r"[%_*?]", " ", literal).strip()
        if words not in self.searches:
            self.searches[words] = set(JeuDeDonnees.objects.search(words).values_list("slug", flat=True))
        return self.searches[words]

    @staticmethod
    def values(fiche, prop):
        if prop == "subject":
            return [*fiche.subjects, fiche.topic_category]
        if prop == "anytext":
            return [fiche.anytext()]
        if prop == "modified":
            return [fiche.modified.isoformat()]
        if prop == "format":
            return [iso.FILE_FORMATS.get(f, (f,))[0] for f in fiche.formats]
        simple = {
            "title": fiche.title,
            "abstract": fiche.abstract,
            "identifier": fiche.identifier,
            "type": "dataset",
            "organisation": fiche.jeu.producteur,
            "topic": fiche.topic_category,
            "language": "fre",
        }
        return [simple[prop]] if prop in simple else []

    def matches(self, op, fiche):
        if op is None:
            return True
        if op.kind == "and":
            return all(self.matches(o, fiche) for o in op.args)
        if op.kind == "or":
            return any(self.matches(o, fiche) for o in op.args)
        if op.kind == "not":
            return not self.matches(op.args[0], fiche)
        if op.kind == "bbox":
            west, south, east, north = op.args
            w, s, e, n = fiche.bbox
            return w <= east and e >= west and s <= north and n >= south
        if op.kind == "id":
            return fiche.identifier in op.args or fiche.jeu.slug in op.args
        prop = op.args[0]
        if op.kind == "like":
            if prop == "anytext" and fiche.jeu.slug in self.full_text(op.args[2]):
                return True
            pattern = op.args[1]
            if prop == "anytext":  # words anywhere in the text, as « %…% » means
                return bool(pattern.search(_fold(fiche.anytext())))
            return any(pattern.fullmatch(_fold(v)) for v in self.values(fiche, prop))
        operator, literal = op.args[1], _fold(op.args[2])
        if prop == "anytext":
            found = fiche.jeu.slug in self.full_text(op.args[2]) or literal in _fold(fiche.anytext())
            return found if operator == "=" else not found if operator == "<>" else False
        compare = {
            "=": lambda v: v == literal,
            "<>": lambda v: v != literal,
            "<": lambda v: v < literal,
            ">": lambda v: v > literal,
            "<=": lambda v: v <= literal,
            ">=": lambda v: v >= literal,
        }[operator]
        return any(compare(_fold(v)) for v in self.values(fiche, prop))


def search(fiches, request):
    matcher = Matcher()
    found = [f for f in fiches if matcher.matches(request.filter, f)]
    if request.sort:
        prop, descending = request.sort
        found.sort(key=lambda f: _fold(next(iter(matcher.values(f, prop)), "")), reverse=descending)
    return found


# --- writing responses -----------------------------------------------------------------------


def _q(name):
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _el(parent, tag, text=None, /, **attributes):
    node = etree.SubElement(parent, _q(tag))
    for key, value in attributes.items():
        node.set(key, str(value))
    if text is not None:
        node.text = str(text)
    return node


def _root(tag, *prefixes, **attributes):
    nsmap = {p: NS[p] for p in ("csw", "ows", "xsi", *prefixes)}
    root = etree.Element(_q(tag), nsmap=nsmap)
    for key, value in attributes.items():
        root.set(key, str(value))
    return root


def document(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def exception_report(error):
    root = etree.Element(_q("ows:ExceptionReport"), nsmap={"ows": NS["ows"], "xsi": NS["xsi"]})
    root.set("version", "1.2.0")
    root.set("language", "fr")
    root.set(
        _q("xsi:schemaLocation"), f"{NS['ows']} http://schemas.opengis.net/ows/1.0.0/owsExceptionReport.xsd"
    )
    exception = _el(root, "ows:Exception", exceptionCode=error.code)
    if error.locator:
        exception.set("locator", error.locator)
    _el(exception, "ows:ExceptionText", error.text)
    return document(root)


def _bounding_box(parent, bbox):
    west, south, east, north = bbox
    box = _el(parent, "ows:BoundingBox", crs="urn:ogc:def:crs:EPSG::4326", dimensions="2")
    _el(box, "ows:LowerCorner", f"{south} {west}")
    _el(box, "ows:UpperCorner", f"{north} {east}")


def dublin_core(fiche, element_set):
    """The csw:Record (Brief-, Summary- or full) of one dataset (CSW 2.0.2 §10.2.5)."""
    names = {"brief": "csw:BriefRecord", "summary": "csw:SummaryRecord", "full": "csw:Record"}
    record = etree.Element(_q(names[element_set]), nsmap={p: NS[p] for p in ("csw", "dc", "dct", "ows")})
    _el(record, "dc:identifier", fiche.identifier)
    _el(record, "dc:title", fiche.title)
    _el(record, "dc:type", "dataset")
    if element_set != "brief":
        for subject in fiche.subjects:
            _el(record, "dc:subject", subject)
        _el(record, "dc:subject", fiche.topic_category)
        for name in dict.fromkeys(iso.FILE_FORMATS.get(f, (f,))[0] for f in fiche.formats):
            _el(record, "dc:format", name)
        _el(record, "dct:modified", fiche.modified.isoformat())
        _el(record, "dct:abstract", fiche.abstract)
        _el(record, "dct:spatial", iso.jeu_coverage(fiche.jeu))
    if element_set == "full":
        _el(record, "dc:creator", fiche.jeu.producteur)
        _el(record, "dc:publisher", settings.OPENDATA_PUBLISHER)
        _el(record, "dc:language", "fre")
        _el(record, "dc:rights", iso.LICENCE_TITLE[fiche.jeu.licence])
        if not fiche.public:
            _el(
                record, "dct:accessRights", fiche.jeu.motif_sensibilite or fiche.jeu.get_sensibilite_display()
            )
        _el(record, "dct:references", fiche.record_url, scheme="ISO 19139")
        for lien in fiche.links:
            _el(record, "dct:references", lien.url, scheme=lien.protocol)
    _bounding_box(record, fiche.bbox)
    return record


def _record(fiche, request):
    if request.output_schema == GMD_SCHEMA:
        return iso.iso_record(fiche)  # ISO records are served whole whatever the element set
    return dublin_core(fiche, request.element_set)


def get_records(fiches, request):
    found = search(fiches, request)
    start = request.start - 1
    page = (
        found[start : start + min(request.max_records, MAX_RECORDS)]
        if request.result_type == "results"
        else []
    )
    following = request.start + len(page)
    next_record = following if request.result_type == "results" and following <= len(found) else 0
    prefixes = ("dc", "dct", "gmd") if request.output_schema == GMD_SCHEMA else ("dc", "dct")
    root = _root("csw:GetRecordsResponse", *prefixes, version="2.0.2")
    root.set(_q("xsi:schemaLocation"), CSW_SCHEMA_LOCATION)
    _el(root, "csw:SearchStatus", timestamp=localtime(timezone.now()).replace(microsecond=0).isoformat())
    results = _el(
        root,
        "csw:SearchResults",
        numberOfRecordsMatched=len(found),
        numberOfRecordsReturned=len(page),
        nextRecord=next_record,
        recordSchema=request.output_schema,
        elementSet=request.element_set,
    )
    for fiche in page:
        results.append(_record(fiche, request))
    return document(root)


def get_record_by_id(fiche_list, request):
    root = _root("csw:GetRecordByIdResponse", "dc", "dct")
    root.set(_q("xsi:schemaLocation"), CSW_SCHEMA_LOCATION)
    for fiche in fiche_list:
        root.append(_record(fiche, request))
    return document(root)


def describe_record(request):
    root = _root("csw:DescribeRecordResponse", "xs")
    locations = {
        "csw:Record": (CSW_SCHEMA, "http://schemas.opengis.net/csw/2.0.2/record.xsd"),
        "gmd:MD_Metadata": (GMD_SCHEMA, "http://schemas.opengis.net/iso/19139/20060504/gmd/gmd.xsd"),
    }
    for type_name in request.type_names:
        namespace, location = locations[type_name]
        component = _el(root, "csw:SchemaComponent", targetNamespace=namespace, schemaLanguage="XMLSCHEMA")
        schema = etree.SubElement(component, _q("xs:schema"), nsmap={"xs": NS["xs"]})
        schema.set("targetNamespace", namespace)
        schema.set("elementFormDefault", "qualified")
        _el(schema, "xs:include", schemaLocation=location)
    return document(root)


DOMAIN_PARAMETERS = {
    "getrecords.resulttype": RESULT_TYPES,
    "getrecords.elementsetname": ELEMENT_SETS,
    "getrecords.outputschema": (CSW_SCHEMA, GMD_SCHEMA),
    "getrecords.typenames": TYPE_NAMES,
    "getrecords.constraintlanguage": CONSTRAINT_LANGUAGES,
    "getrecords.outputformat": ("application/xml",),
    "getrecordbyid.outputschema": (CSW_SCHEMA, GMD_SCHEMA),
    "getrecordbyid.elementsetname": ELEMENT_SETS,
    "describerecord.typename": TYPE_NAMES,
}


def get_domain(fiches, request):
    root = _root("csw:GetDomainResponse")
    domain = _el(root, "csw:DomainValues", type="csw:Record")
    if request.parameter_name:
        values = DOMAIN_PARAMETERS.get(request.parameter_name.lower())
        if values is None:
            raise _invalid("ParameterName", f"Paramètre « {request.parameter_name} » inconnu.")
        _el(domain, "csw:ParameterName", request.parameter_name)
    else:
        prop = _property(request.property_name)
        matcher = Matcher()
        values = sorted(
            {v for f in fiches for v in matcher.values(f, prop) if v and prop not in ("anytext", "bbox")}
        )
        _el(domain, "csw:PropertyName", request.property_name)
    listed = _el(domain, "csw:ListOfValues")
    for value in values:
        _el(listed, "csw:Value", value)
    return document(root)


def _operation_node(parent, name, url, parameters=()):
    operation = _el(parent, "ows:Operation", name=name)
    http = _el(_el(operation, "ows:DCP"), "ows:HTTP")
    _el(http, "ows:Get", **{_q("xlink:href"): url})
    post = _el(http, "ows:Post", **{_q("xlink:href"): url})
    encoding = _el(post, "ows:Constraint", name="PostEncoding")
    _el(encoding, "ows:Value", "XML")
    for parameter, values in parameters:
        node = _el(operation, "ows:Parameter", name=parameter)
        for value in values:
            _el(node, "ows:Value", value)
    return operation


def capabilities(url):
    """The capabilities (OWS 1.0.0), service described in French."""
    root = _root("csw:Capabilities", "ogc", "gml", "xlink", version="2.0.2")
    root.set(_q("xsi:schemaLocation"), f"{CSW_SCHEMA} http://schemas.opengis.net/csw/2.0.2/CSW-discovery.xsd")
    identification = _el(root, "ows:ServiceIdentification")
    _el(identification, "ows:Title", f"Catalogue des données géographiques — {settings.OPENDATA_PUBLISHER}")
    _el(
        identification,
        "ows:Abstract",
        "Métadonnées ISO 19139 (profil INSPIRE) des jeux de données géographiques de l'observatoire "
        "métropolitain : couches OGC API Features, tuiles vectorielles et fichiers ouverts. Les jeux "
        "à accès restreint ne sont listés qu'aux agents et partenaires authentifiés.",
    )
    keywords = _el(identification, "ows:Keywords")
    for word in ("catalogue", "métadonnées", "INSPIRE", "CSW", "open data", settings.OPENDATA_PUBLISHER):
        _el(keywords, "ows:Keyword", word)
    _el(identification, "ows:ServiceType", "CSW")
    _el(identification, "ows:ServiceTypeVersion", "2.0.2")
    _el(identification, "ows:Fees", "Aucun")
    _el(
        identification,
        "ows:AccessConstraints",
        "Aucune pour les jeux publics ; jeton d'API pour les jeux restreints",
    )
    provider = _el(root, "ows:ServiceProvider")
    _el(provider, "ows:ProviderName", settings.OPENDATA_PUBLISHER)
    _el(provider, "ows:ProviderSite", **{_q("xlink:href"): settings.SITE_URL + "/"})
    contact = _el(provider, "ows:ServiceContact")
    _el(contact, "ows:PositionName", "Administration générale des données")
    info = _el(contact, "ows:ContactInfo")
    _el(_el(info, "ows:Address"), "ows:ElectronicMailAddress", settings.OPENDATA_CONTACT_EMAIL)
    _el(contact, "ows:Role", "pointOfContact")
    metadata = _el(root, "ows:OperationsMetadata")
    schemas = (CSW_SCHEMA, GMD_SCHEMA)
    _operation_node(
        metadata,
        "GetCapabilities",
        url,
        (
            (
                "sections",
                ("ServiceIdentification", "ServiceProvider", "OperationsMetadata", "Filter_Capabilities"),
            ),
        ),
    )
    _operation_node(
        metadata,
        "DescribeRecord",
        url,
        (
            ("typeName", TYPE_NAMES),
            ("outputFormat", ("application/xml",)),
            ("schemaLanguage", ("http://www.w3.org/XML/Schema",)),
        ),
    )
    records = _operation_node(
        metadata,
        "GetRecords",
        url,
        (
            ("typeNames", TYPE_NAMES),
            ("outputFormat", ("application/xml",)),
            ("outputSchema", schemas),
            ("resultType", RESULT_TYPES),
            ("ElementSetName", ELEMENT_SETS),
            ("CONSTRAINTLANGUAGE", CONSTRAINT_LANGUAGES),
        ),
    )
    queryables = _el(records, "ows:Constraint", name="SupportedISOQueryables")
    for name in QUERYABLES:
        if name.startswith("apiso:"):
            _el(queryables, "ows:Value", name)
    dublin = _el(records, "ows:Constraint", name="SupportedDublinCoreQueryables")
    for name in QUERYABLES:
        if not name.startswith("apiso:"):
            _el(dublin, "ows:Value", name)
    _operation_node(
        metadata,
        "GetRecordById",
        url,
        (("outputSchema", schemas), ("ElementSetName", ELEMENT_SETS), ("outputFormat", ("application/xml",))),
    )
    _operation_node(metadata, "GetDomain", url, (("ParameterName", tuple(DOMAIN_PARAMETERS)),))
    for name, values in (("service", ("CSW",)), ("version", ("2.0.2",))):
        node = _el(metadata, "ows:Parameter", name=name)
        for value in values:
            _el(node, "ows:Value", value)
    _filter_capabilities(root)
    return document(root)


def _filter_capabilities(root):
    filters = _el(root, "ogc:Filter_Capabilities")
    spatial = _el(filters, "ogc:Spatial_Capabilities")
    _el(_el(spatial, "ogc:GeometryOperands"), "ogc:GeometryOperand", "gml:Envelope")
    _el(_el(spatial, "ogc:SpatialOperators"), "ogc:SpatialOperator", name="BBOX")
    scalar = _el(filters, "ogc:Scalar_Capabilities")
    _el(scalar, "ogc:LogicalOperators")
    comparison = _el(scalar, "ogc:ComparisonOperators")
    for name in (
        "EqualTo",
        "Like",
        "LessThan",
        "GreaterThan",
        "LessThanEqualTo",
        "GreaterThanEqualTo",
        "NotEqualTo",
    ):
        _el(comparison, "ogc:ComparisonOperator", name)
    ids = _el(filters, "ogc:Id_Capabilities")
    _el(ids, "ogc:EID")
    _el(ids, "ogc:FID")


def negotiate_version(accept_versions):
    if accept_versions and "2.0.2" not in [v.strip() for v in accept_versions.split(",")]:
        raise CswError(
            "VersionNegotiationFailed",
            f"Versions « {accept_versions} » non servies : seule la 2.0.2 l'est.",
            "AcceptVersions",
        )
