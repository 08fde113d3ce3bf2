"""The two wire formats of GeoReport v2, from one plain tree of dicts, lists and scalars.

JSON is the tree as it is (UTF-8, Chinese as itself). XML follows the spec's examples: a list becomes one element
per item, named after the list (services → service, service_requests → request, errors → error, ...); None is
an empty element; booleans are true/false.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of a list's items, by the list's own name.
ITEM_TAGS: dict[str, str] = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all (a text typed elsewhere may hold one): dropped from XML answers.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: Element, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(SubElement(element, tag), child)
    else:
        element.text = _scalar(value)


def to_xml(root: str, value: Any) -> bytes:
    element = Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="utf-8", xml_declaration=False)


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """root names the XML document element (services, service_requests, discovery, ...); JSON has no root."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def error_response(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: [{code, description}], code being the HTTP status."""
    errors = [{"code": status, "description": d} for d in descriptions] or [{"code": status, "description": ""}]
    return respond(fmt, "errors", errors, status=status)
