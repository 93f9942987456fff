"""Tensors whose bytes live in files next to the model (ONNX external data)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

__all__ = ["resolve_external_data"]


def _tensors(graph: Any, where: str) -> Iterator[tuple[Any, str]]:
    for t in graph.initializer:
        yield t, f"initializer '{t.name}'"
    for node in graph.node:
        label = f"ONNX node '{node.name or (node.output[0] if node.output else '')}' " \
                f"({node.op_type})"
        for a in node.attribute:
            if a.HasField("t"):
                yield a.t, f"{label} attribute '{a.name}'"
            for t in a.tensors:
                yield t, f"{label} attribute '{a.name}'"
            if a.HasField("g"):
                yield from _tensors(a.g, label)
            for g in a.graphs:
                yield from _tensors(g, label)


def resolve_external_data(model: Any, base_dir: str) -> None:
    """Load the bytes of every tensor stored outside the model into the tensor itself.

    Locations are relative to ``base_dir`` and must stay inside it; a missing file, an offset
    or length past its end raise ``RuntimeError`` naming the tensor."""
    base = os.path.realpath(base_dir)
    cache: dict[str, bytes] = {}
    for tensor, label in _tensors(model.graph, "graph"):
        if tensor.data_location != 1:  # TensorProto.EXTERNAL
            continue
        info = {e.key: e.value for e in tensor.external_data}
        location = info.get("location")
        if not location:
            raise RuntimeError(f"{label}: external data without a 'location'")
        path = os.path.realpath(os.path.join(base, location))
        if os.path.isabs(location) or not (path == base or path.startswith(base + os.sep)):
            raise RuntimeError(f"{label}: external data location '{location}' points outside "
                               f"the model's folder '{base}'")
        if path not in cache:
            if not os.path.isfile(path):
                raise RuntimeError(f"{label}: external data file '{location}' not found in "
                                   f"'{base}'")
            with open(path, "rb") as f:
                cache[path] = f.read()
        blob = cache[path]
        try:
            offset = int(info.get("offset", 0))
            length = int(info["length"]) if "length" in info else len(blob) - offset
        except ValueError:
            raise RuntimeError(f"{label}: bad external data offset/length {info}") from None
        if offset < 0 or length < 0 or offset + length > len(blob):
            raise RuntimeError(f"{label}: external data [{offset}, {offset + length}) lies "
                               f"past the end of '{location}' ({len(blob)} bytes)")
        tensor.raw_data = blob[offset:offset + length]
        del tensor.external_data[:]
        tensor.data_location = 0
