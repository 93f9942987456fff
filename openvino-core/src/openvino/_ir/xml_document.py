"""Parsing the IR's XML safely: defusedxml over the C ElementTree parser, with DTDs,
entity declarations and external references refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

__all__ = ["parse_xml"]


def parse_xml(data: bytes) -> ET.Element:
    """The root element of ``data``; ``RuntimeError`` for malformed or unsafe XML."""
    if not data.strip():
        raise RuntimeError("Cannot read the IR: the XML is empty")
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as e:
        raise RuntimeError(f"Cannot read the IR: the XML uses a forbidden construct ({e})"
                           ) from None
    except ET.ParseError as e:
        raise RuntimeError(f"Cannot read the IR: malformed XML ({e})") from None
    except (ValueError, UnicodeError) as e:
        raise RuntimeError(f"Cannot read the IR: undecodable XML ({e})") from None
