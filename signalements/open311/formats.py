"""The same Open311 payload rendered as JSON or as XML, and the spec's error list.

Views build plain Python data (dicts, lists, strings, numbers, booleans, None); this module
turns it into the two formats of GeoReport v2. In XML the spec names one element per list item
(``<services><service>``, ``<endpoints><endpoint>``…): ``ITEM_NAMES`` holds those names.
"""

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
DEFAULT_FORMAT = "json"

ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# The spec asks for this exact declaration before the root element.
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry, even escaped (its "Char" production): control characters but
# tab and line breaks, lone surrogates, U+FFFE and U+FFFF. ElementTree writes them as they are,
# which makes the document unreadable, e.g. an error echoing a parameter with a control character.
NOT_XML_CHARACTERS = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def iso(moment):
    """ISO 8601 with the Europe/Paris offset (2026-11-21T14:03:00+01:00), as the spec requires."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def render(fmt, root, data, status=200):
    body = to_xml(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)


def error(fmt, status, description):
    """The spec's error list: one error, whose code is the HTTP status."""
    fmt = fmt if fmt in CONTENT_TYPES else DEFAULT_FORMAT
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def to_xml(root, data):
    element = ET.Element(root)
    _fill(element, data)
    return XML_DECLARATION + ET.tostring(element, encoding="utf-8")


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[element.tag]
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = xml_text(str(value))


def xml_text(text):
    """The text with every character XML 1.0 forbids replaced by U+FFFD (the replacement character)."""
    return NOT_XML_CHARACTERS.sub("\ufffd", text)
