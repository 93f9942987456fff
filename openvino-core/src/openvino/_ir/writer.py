"""The IR writer: ``serialize(model, xml_path, bin_path=None)`` and
``save_model(model, output_model, compress_to_fp16=True)`` write IR v11.

Layers come in the order the real runtime writes them: Parameters (model order), the other
ops so that producers come first, then Results (model order). Port ids number the inputs
first, then the outputs. Identical constant blobs are stored once in the ``.bin``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from .._model import Model
from .._node import Node
from .._type import Type
from .bodies import BODY_TAGS, subgraph_xml
from .constant_data import constant_bytes
from .rt_info_xml import write_attributes, write_model_rt_info, xml_attr
from .tensor_names import join_names

__all__ = ["serialize", "save_model", "write_ir"]

IR_VERSION = 11
_PRECISION = {
    "f16": "FP16", "f32": "FP32", "f64": "FP64", "bf16": "BF16", "i4": "I4", "i8": "I8",
    "i16": "I16", "i32": "I32", "i64": "I64", "u1": "BIN", "u4": "U4", "u8": "U8",
    "u16": "U16", "u32": "U32", "u64": "U64", "boolean": "BOOL", "string": "STRING",
    "nf4": "NF4", "f8e4m3": "F8E4M3", "f8e5m2": "F8E5M2", "dynamic": "UNSPECIFIED",
}


def _precision(et: Type) -> str:
    return _PRECISION.get(et.get_type_name(), et.get_type_name().upper())


def _ir_type_name(node: Node) -> str:
    own = node.__dict__.get("type_name")  # a custom op's (openvino.Op), from its type info
    if own is not None:
        return own
    for cls in type(node).__mro__:
        if "type_name" in cls.__dict__:
            return cls.__dict__.get("ir_type_name") or cls.__dict__["type_name"]
    return node.type_name


def _layer_order(model: Model) -> list[Node]:
    params = model.get_parameters()
    results = model.get_results()
    skip = {id(n) for n in params} | {id(n) for n in results}
    middle = [n for n in model.get_ordered_ops() if id(n) not in skip]
    return [*params, *middle, *results]


class _BinWriter:
    """Collects constant blobs, storing identical ones once."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.offsets: dict[bytes, int] = {}

    def add(self, blob: bytes) -> int:
        found = self.offsets.get(blob)
        if found is not None:
            return found
        offset = self.size
        self.offsets[blob] = offset
        self.chunks.append(blob)
        self.size += len(blob)
        return offset

    def add_constant(self, tensor: Any) -> tuple[int, int]:
        """``(offset, size)`` of a constant's value in the ``.bin``."""
        blob = constant_bytes(tensor)
        return self.add(blob), len(blob)

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _dims(ps: Any, indent: str) -> list[str]:
    if ps.rank.is_dynamic:
        return []
    return [f"{indent}<dim>{d.get_length() if d.is_static else -1}</dim>" for d in ps]


def _port(port_id: int, desc: Any, indent: str, names: set[str] | None, rt: dict) -> list[str]:
    head = f'{indent}<port id="{port_id}" precision="{_precision(desc.element_type)}"'
    if names:
        head += f' names="{xml_attr(join_names(names))}"'
    body = _dims(desc.partial_shape, indent + "\t") + write_attributes(rt, indent + "\t")
    if not body:
        return [head + " />"]
    return [head + ">", *body, f"{indent}</port>"]


def _data_attributes(node: Node, blobs: Any) -> dict[str, str]:
    if node.type_name == "Constant":
        tensor = node.get_tensor_view()
        offset, size = blobs.add_constant(tensor)
        return {"element_type": tensor.get_element_type().get_type_name(),
                "shape": ", ".join(str(d) for d in tensor.get_shape()),
                "offset": str(offset), "size": str(size)}
    return node._ir_attributes()


def _graph_lines(model: Model, blobs: Any, indent: str) -> tuple[list[str], dict[int, int]]:
    """The ``<layers>`` and ``<edges>`` of ``model`` at ``indent``, and the layer id of each
    node (by ``id``)."""
    order = _layer_order(model)
    layer_id = {id(n): i for i, n in enumerate(order)}
    lines = [f"{indent}<layers>"]
    edges: list[tuple[int, int, int, int]] = []
    for node in order:
        lid = layer_id[id(node)]
        is_result = node.type_name == "Result"
        head = (f'{indent}\t<layer id="{lid}" name="{xml_attr(node.get_friendly_name())}" '
                f'type="{xml_attr(_ir_type_name(node))}" version="{xml_attr(node.version)}"')
        if is_result and node._outputs and node._outputs[0].names:
            head += f' output_names="{xml_attr(join_names(node._outputs[0].names))}"'
        lines.append(head + ">")
        data = _data_attributes(node, blobs)
        if data:
            attrs = " ".join(f'{k}="{xml_attr(v)}"' for k, v in data.items())
            lines.append(f"{indent}\t\t<data {attrs} />")
        lines.extend(write_attributes(node._rt_info, indent + "\t\t"))
        after: list[str] = []
        if node.type_name in BODY_TAGS and getattr(node, "_bodies", None):
            before, after = subgraph_xml(node, indent + "\t\t",
                                         lambda body, at: _body_lines(body, blobs, at))
            lines.extend(before)
        if node._inputs:
            lines.append(f"{indent}\t\t<input>")
            for i, src in enumerate(node._inputs):
                desc = src._node._outputs[src._index]
                lines.extend(_port(i, desc, indent + "\t\t\t", None, node._input_rt[i]))
                src_id = layer_id.get(id(src._node))
                if src_id is None:
                    raise RuntimeError(f"Node '{node.get_friendly_name()}' reads from "
                                       f"'{src._node.get_friendly_name()}', which is not part "
                                       "of the model")
                if src._node.type_name == "Result":  # as the real serializer, refused
                    raise RuntimeError(f"Node '{node.get_friendly_name()}' reads from the "
                                       f"output of Result '{src._node.get_friendly_name()}': "
                                       "a Result's output cannot be serialized as an IR edge")
                edges.append((src_id, len(src._node._inputs) + src._index, lid, i))
            lines.append(f"{indent}\t\t</input>")
        if node._outputs and not is_result:
            lines.append(f"{indent}\t\t<output>")
            first = len(node._inputs)
            for j, desc in enumerate(node._outputs):
                lines.extend(_port(first + j, desc, indent + "\t\t\t", desc.names, desc.rt_info))
            lines.append(f"{indent}\t\t</output>")
        lines.extend(after)
        lines.append(f"{indent}\t</layer>")
    lines.append(f"{indent}</layers>")
    lines.append(f"{indent}<edges>")
    for e in sorted(edges):
        lines.append(f'{indent}\t<edge from-layer="{e[0]}" from-port="{e[1]}" to-layer="{e[2]}" '
                     f'to-port="{e[3]}" />')
    lines.append(f"{indent}</edges>")
    return lines, layer_id


def _body_lines(model: Model, blobs: Any, indent: str
                ) -> tuple[list[str], dict[int, int]]:
    lines, ids = _graph_lines(model, blobs, indent)
    return [*lines, f"{indent}<rt_info />"], ids


def write_ir(model: Model, extra_rt_info: dict | None = None,
             constants: Any = None) -> tuple[str, bytes]:
    """The XML text and the ``.bin`` bytes of ``model`` as IR v11.

    ``constants``: what places the Constants' values instead of the ``.bin`` writer, an
    object with ``add_constant(tensor) -> (offset, size)`` (the layer's ``offset`` and
    ``size`` attributes) and ``data() -> bytes`` (what is returned as the weights)."""
    if not isinstance(model, Model):
        raise TypeError(f"Expected an openvino.Model, got {type(model)}")
    blobs = _BinWriter() if constants is None else constants
    lines = ['<?xml version="1.0"?>',
             f'<net name="{xml_attr(model.get_friendly_name())}" version="{IR_VERSION}">']
    lines += _graph_lines(model, blobs, "\t")[0]
    rt = dict(dict.items(model._rt_info))
    if extra_rt_info:
        rt.update(extra_rt_info)
    lines.extend(write_model_rt_info(rt, "\t"))
    lines.append("</net>")
    return "\n".join(lines) + "\n", blobs.data()


def _write_files(xml: str, data: bytes, xml_path: Path, bin_path: Path) -> None:
    for p in (xml_path, bin_path):
        if p.parent and not p.parent.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
    _replace_file(bin_path, data)
    xml_path.write_text(xml, encoding="utf-8")


def _replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; an existing regular file is replaced by a new one (written
    beside it, then renamed over it), so a model whose weights map the old file (read with
    ``ENABLE_MMAP``) keeps reading the old bytes instead of a truncated file."""
    if not path.is_file() or path.is_symlink():
        path.write_bytes(data)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _bin_path_for(xml_path: Path, bin_path: Any) -> Path:
    if bin_path is None or str(bin_path) == "":
        return xml_path.with_suffix(".bin")
    return Path(bin_path)


def serialize(model: Model, xml_path: Any, bin_path: Any = None) -> None:
    """Write ``model`` as IR v11 to ``xml_path`` and ``bin_path`` (default: the ``.xml``
    path with the ``.bin`` suffix). Weights are written as they are (no compression)."""
    if not isinstance(model, Model):
        raise TypeError("Incompatible `model` argument. Please provide a valid openvino.Model "
                        "instance.")
    xml_file = Path(xml_path)
    xml, data = write_ir(model)
    _write_files(xml, data, xml_file, _bin_path_for(xml_file, bin_path))


def save_model(model: Model, output_model: Any, compress_to_fp16: bool = True) -> None:
    """Save ``model`` as IR v11 to ``output_model`` (``.xml``; the ``.bin`` goes next to it).
    With ``compress_to_fp16`` f32 constants are stored as f16 plus a Convert back to f32.
    The model itself is not changed."""
    if not isinstance(model, Model):
        raise TypeError("Incompatible `model` argument. Please provide a valid openvino.Model "
                        "instance.")
    from .. import __version__
    from .fp16_compression import compress_model_to_fp16

    xml_file = Path(output_model)
    to_write = model
    if compress_to_fp16:
        to_write = model.clone()
        compress_model_to_fp16(to_write)
    xml, data = write_ir(to_write, {"OpenVINO Runtime": __version__})
    _write_files(xml, data, xml_file, xml_file.with_suffix(".bin"))
