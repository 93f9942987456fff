"""Parsing the IR's XML safely.

Model files are untrusted. A document may not have a DTD at all: no DTD means no entity
declarations, so no entity expansion (billion laughs) and no external entities. Documents
that are UTF-8 (or ASCII) by their declaration or BOM and hold no ``<!DOCTYPE`` go to the
C ElementTree parser directly, which is fast. Everything else (a DTD, or another encoding
in which ``<!DOCTYPE`` would not show as those bytes) goes through defusedxml with DTDs,
entities and external references forbidden, which refuses it or parses it safely.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

__all__ = ["parse_xml"]

_UTF8_BOM = b"\xef\xbb\xbf"
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def _plain_utf8(data: bytes) -> bool:
    """True when the document is UTF-8 by its BOM or declaration (or has neither)."""
    head = data[:256]
    if head.startswith(_UTF8_BOM):
        head = head[3:]
    if not head.lstrip().startswith(b"<") or b"\x00" in head:
        return False  # UTF-16/32 or other non-ASCII-compatible text
    match = _DECLARATION.match(head.lstrip())
    return match is None or match.group(1).lower() in _PLAIN_ENCODINGS


def parse_xml(data: bytes) -> ET.Element:
    """The root element of ``data``; ``RuntimeError`` for malformed or unsafe XML."""
    if not data.strip():
        raise RuntimeError("Cannot read the IR: the XML is empty")
    try:
        if _plain_utf8(data) and b"<!DOCTYPE" not in data:
            return ET.fromstring(data)
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as e:
        raise RuntimeError(f"Cannot read the IR: the XML uses a forbidden construct ({e})"
                           ) from None
    except ET.ParseError as e:
        raise RuntimeError(f"Cannot read the IR: malformed XML ({e})") from None
    except (ValueError, UnicodeError, LookupError) as e:
        raise RuntimeError(f"Cannot read the IR: undecodable XML ({e})") from None
