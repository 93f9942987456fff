"""rt_info in the IR: the model-level ``<rt_info>`` (nested ``<info name value>`` or
``<key value>`` elements) and the ``<rt_info><attribute .../></rt_info>`` of layers and
ports."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Any

from .._layout import Layout
from .._ov_any import OVAny
from .._rt_info import RTMap
from .layer_spec import IRError
from .runtime_attribute import RuntimeAttribute

__all__ = ["read_model_rt_info", "write_model_rt_info", "read_attributes",
           "write_attributes", "xml_attr"]

MAX_DEPTH = 64
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def xml_attr(value: Any) -> str:
    """``value`` as the text of an XML attribute, escaped."""
    return str(value).translate(_ESCAPES)


# --- model-level rt_info ------------------------------------------------------------------

def read_model_rt_info(element: ET.Element | None) -> RTMap:
    """The model's rt_info from ``<net><rt_info>``: values are strings, sections dicts."""
    out = RTMap()
    if element is not None:
        _read_section(element, out, 0)
    return out


def _read_section(element: ET.Element, into: dict, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise IRError(f"Model rt_info is nested deeper than {MAX_DEPTH} levels")
    for child in element:
        name = child.get("name") if child.tag == "info" and "name" in child.attrib \
            else child.tag
        if "value" in child.attrib:
            dict.__setitem__(into, name, child.get("value"))
        else:
            section = RTMap()
            _read_section(child, section, depth + 1)
            dict.__setitem__(into, name, section)


def _text_value(value: Any) -> str:
    raw = getattr(value, "value", value) if isinstance(value, OVAny) else value
    if isinstance(raw, (list, tuple)):  # items of a list as OpenVINO writes them: 1/0 bools
        return " ".join(("1" if item else "0") if isinstance(item, bool) else _text_value(item)
                        for item in raw)
    if isinstance(raw, float):
        # OpenVINO prints floats with 6 significant digits ("1", "0.25", "1e-07"); that
        # form where it is exact, else every digit (it would lose some)
        short = f"{raw:g}"
        return short if float(short) == raw else repr(raw)
    return OVAny(raw).astype(str)


def write_model_rt_info(rt: dict, indent: str) -> list[str]:
    """Lines of the ``<rt_info>`` element for the model's rt_info (keys sorted; the IR
    version the reader recorded, ``version``, is the ``<net>``'s attribute instead)."""
    rt = {k: v for k, v in dict.items(rt) if k != "version"}
    if not rt:
        return [f"{indent}<rt_info />"]
    lines = [f"{indent}<rt_info>"]
    _write_section(rt, indent + "\t", lines, 0)
    lines.append(f"{indent}</rt_info>")
    return lines


def _write_section(rt: dict, indent: str, lines: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise RuntimeError(f"Model rt_info is nested deeper than {MAX_DEPTH} levels")
    for key in sorted(dict.keys(rt), key=str):
        value = dict.__getitem__(rt, key)
        if isinstance(value, OVAny) and isinstance(value.value, dict):
            value = value.value
        key = str(key)
        if _XML_NAME.match(key) and not key.lower().startswith("xml"):
            open_tag, close_tag = f"<{key}", f"</{key}>"
        else:
            open_tag, close_tag = f'<info name="{xml_attr(key)}"', "</info>"
        if isinstance(value, dict):
            if not value:
                lines.append(f"{indent}{open_tag} />")
                continue
            lines.append(f"{indent}{open_tag}>")
            _write_section(value, indent + "\t", lines, depth + 1)
            lines.append(f"{indent}{close_tag}")
        else:
            lines.append(f'{indent}{open_tag} value="{xml_attr(_text_value(value))}" />')


# --- layer / port rt_info -------------------------------------------------------------------

def read_attributes(entries: Iterable[tuple[str, dict[str, str]]] | None, into: dict,
                    where: Callable[[], str] | str) -> None:
    """Fill ``into`` (a node's or port's rt_info) from the ``(tag, attributes)`` entries of
    an ``<rt_info>`` element; ``where`` names the layer in errors (or makes that name when
    called)."""
    if entries is None:
        return
    setitem = dict.__setitem__
    for tag, attributes in entries:
        name = attributes.get("name") or tag
        version = attributes.get("version")
        if version is None:
            setitem(into, name, attributes.get("value", ""))
            continue
        if len(attributes) == 2 and "name" in attributes:  # a name and a version, no fields
            attribute = RuntimeAttribute(name, version)
            setitem(into, attribute.key, attribute)
            continue
        attrs = dict(attributes)
        attrs.pop("name", None)
        del attrs["version"]
        if name == "layout" and "layout" in attrs:
            try:
                setitem(into, "layout", Layout(attrs["layout"]))
            except RuntimeError as e:
                shown = where() if callable(where) else where
                raise IRError(f"{shown}: bad layout '{attrs['layout']}': {e}") from None
            continue
        attribute = RuntimeAttribute(name, version, attrs)
        setitem(into, attribute.key, attribute)


def write_attributes(rt: dict, indent: str) -> list[str]:
    """Lines of an ``<rt_info>`` element for the IR-storable entries of ``rt`` (none when
    there are none)."""
    items = []
    for key in sorted(dict.keys(rt), key=str):
        value = dict.__getitem__(rt, key)
        value = value.value if isinstance(value, OVAny) else value
        if isinstance(value, RuntimeAttribute):
            fields = "".join(f' {k}="{xml_attr(v)}"' for k, v in value.fields.items())
            items.append(f'{indent}\t<attribute name="{xml_attr(value.name)}" '
                         f'version="{xml_attr(value.version)}"{fields} />')
        elif key == "layout" and isinstance(value, Layout) and not value.empty:
            items.append(f'{indent}\t<attribute name="layout" version="0" '
                         f'layout="{xml_attr(value.to_string())}" />')
    if not items:
        return []
    return [f"{indent}<rt_info>", *items, f"{indent}</rt_info>"]
