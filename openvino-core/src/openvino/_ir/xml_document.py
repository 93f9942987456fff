"""Parsing the IR's XML safely.

Model files are untrusted. A document may not have a DTD at all: no DTD means no entity
declarations, so no entity expansion (billion laughs) and no external entities. Documents
that are UTF-8 (or ASCII) by their declaration or BOM and hold no ``<!DOCTYPE`` go to the
C ElementTree parser directly, which is fast. Everything else (a DTD, or another encoding
in which ``<!DOCTYPE`` would not show as those bytes) goes through defusedxml with DTDs,
entities and external references forbidden, which refuses it or parses it safely.

Most of an IR is indentation and ``<dim>`` elements, and making an element or a string for
each is most of the parsing time. So ``parse_ir_xml`` parses a compacted copy of a document
that would go to the C parser: whitespace-only runs before markup removed, and each run of
sibling dims ``<dim>1</dim><dim>3</dim>`` merged into one ``<dim>1\x7f3</dim>``. Neither can
make a malformed document well-formed or change an attribute, and the reader reads no text
but the dims'. A dim the merge could have changed (one with child elements, or whose text is
not a valid dimension) makes the reader raise ``NotCompactable`` before it builds anything
and read the plain parse instead. A document that already holds the separator (or a
character reference to it) or CDATA is not compacted, and a compacted copy that does not
parse is parsed again as it is, so that errors name the document's own lines and columns.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

__all__ = ["parse_xml", "parse_ir_xml", "plain_document", "DIM_SEPARATOR", "NotCompactable"]

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


DIM_SEPARATOR = "\x7f"  # joins the texts of merged dims (DEL: legal XML, absent from IRs)

_WHITESPACE_RUN = re.compile(rb">[ \t\r\n]+<")
_SEPARATOR_REFERENCE = re.compile(rb"&#(?:0*127|[xX]0*7[fF]);")


class NotCompactable(Exception):  # noqa: N818 - a signal to the reader, not an error
    """Internal: a compacted document holds dims that only the plain parse reads right."""


def _tabs_and_newlines_precede_markup(data: bytes) -> bool:
    """True when every run of tabs and newlines ends right before a ``<`` (as indentation
    does), so that deleting them all deletes no attribute or tag content: ``<`` cannot be in
    an attribute value or inside a tag, and text the reader does not read but the dims'."""
    a = np.frombuffer(data, np.uint8)
    blank = (a == 9) | (a == 10)
    return not np.any(blank[:-1] & ~blank[1:] & (a[1:] != 60))


def _compacted(data: bytes) -> bytes | None:
    """The compacted copy of a plain UTF-8 document, or ``None`` when it cannot be made."""
    if not (data.startswith(b"<") or data.startswith(_UTF8_BOM + b"<")):
        return None  # leading whitespace is an error before an XML declaration: keep it
    if b"\x7f" in data or b"<![CDATA[" in data or _SEPARATOR_REFERENCE.search(data):
        return None
    if _tabs_and_newlines_precede_markup(data):
        stripped = data.translate(None, b"\t\n")
    else:
        stripped = _WHITESPACE_RUN.sub(b"><", data)
    return stripped.replace(b"</dim><dim>", b"\x7f")


def plain_document(data: bytes) -> bool:
    """Whether ``data`` is a UTF-8 document without a DTD, which the plain (C) parsers may
    read; the rest goes through defusedxml."""
    return bool(data.strip()) and _plain_utf8(data) and b"<!DOCTYPE" not in data


def parse_ir_xml(data: bytes) -> tuple[ET.Element, bool]:
    """The root element of ``data`` and whether it was parsed compacted (see the module
    docstring); errors as ``parse_xml``."""
    if plain_document(data):
        compact = _compacted(data)
        if compact is not None:
            try:
                return ET.fromstring(compact), True
            except (ET.ParseError, ValueError, UnicodeError, LookupError):
                pass  # parse the document as it is, for its own error
    return parse_xml(data), False


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
