"""Open311 GeoReport v2 documents in XML and JSON: the same Python structure rendered either way.

A document is (root tag, item tag, list of dicts). Nested dicts become nested elements; a list value becomes one
element per item under the key's element (`formats` → `<formats><format>…`). UTF-8 with the XML declaration;
characters XML 1.0 cannot carry (control characters a citizen may paste) are dropped, never sent broken.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

XML_CT = "text/xml; charset=utf-8"
JSON_CT = "application/json; charset=utf-8"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Element name of one item of a list-valued field.
ITEM_TAGS = {
    "formats": "format",
    "endpoints": "endpoint",
    "values": "value",
    "attributes": "attribute",
    "media_urls": "media_url",
}


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with the offset (+07:00), to the second (a page of Open311 has thousands: kept short)."""
    return (
        value.astimezone(timezone.get_current_timezone()).replace(microsecond=0).isoformat()
        if value
        else None
    )


def _scalar(value) -> str:
    """The text of a scalar; characters XML cannot carry are dropped once, over the whole document."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso(value) or ""
    return str(value)


def _element(tag: str, value, out: list[str]) -> None:
    if isinstance(value, dict):
        append = out.append
        append(f"<{tag}>")
        for key, inner in value.items():
            if inner.__class__ is str:  # the common case, inline: most fields of a request are text
                append(f"<{key}>{escape(inner)}</{key}>" if inner else f"<{key}/>")
            else:
                _element(key, inner, out)
        append(f"</{tag}>")
    elif isinstance(value, list):
        item = ITEM_TAGS.get(tag, "item")
        out.append(f"<{tag}>")
        for inner in value:
            _element(item, inner, out)
        out.append(f"</{tag}>")
    else:
        text = _scalar(value)
        out.append(f"<{tag}>{escape(text)}</{tag}>" if text else f"<{tag}/>")


def xml_document(root: str, item: str | None, body) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if item is None:
        _element(root, body, out)
    else:
        out.append(f"<{root}>")
        for entry in body:
            _element(item, entry, out)
        out.append(f"</{root}>")
    return _INVALID_XML.sub("", "".join(out))


def _json_default(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)


def _json_clean(value):
    if isinstance(value, str):
        return _INVALID_XML.sub("", value)
    return value


def render(fmt: str, root: str, item: str | None, body, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(
            xml_document(root, item, body).encode("utf-8"), content_type=XML_CT, status=status
        )
    else:
        text = json.dumps(body, ensure_ascii=False, default=_json_default, separators=(",", ":"))
        response = HttpResponse(_json_clean(text).encode("utf-8"), content_type=JSON_CT, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The standard error body: `[{"code": 400, "description": "…"}]` / `<errors><error><code>…`."""
    body = [{"code": status, "description": text} for text in descriptions]
    return render(fmt if fmt in {"xml", "json"} else "xml", "errors", "error", body, status=status)
