"""Constant values in the IR's ``.bin``: decoding a ``Const`` layer's bytes (``offset``,
``size``, ``element_type``, ``shape``) into a ``Tensor`` and encoding a ``Constant`` back.

Numeric types are stored as their raw little-endian elements; u1/u4/i4/nf4 packed as the
runtime packs them. String constants are stored as one i32 element count, then count + 1 i32
offsets (the first 0, each next one the end of a string in the character block), then the
characters of all strings, UTF-8, back to back.
"""

from __future__ import annotations

import numpy as np

from .._encoding import packed_byte_size
from .._tensor import Tensor
from .._type import Type, type_from_name
from .layer_spec import IRError, LayerSpec

__all__ = ["constant_tensor", "constant_bytes", "ConstantReader"]

_I32 = np.dtype("<i4")


def _shape_of(spec: LayerSpec) -> tuple[int, ...]:
    text = spec.data.get("shape")
    if text is None:
        raise IRError(f"{spec.describe()}: attribute 'shape' is missing")
    try:  # the common form, "24, 3, 3, 3"
        dims = tuple(map(int, text.split(",")))
    except ValueError:
        pass
    else:
        if min(dims) >= 0:
            return dims
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    if not body.strip():
        return ()
    dims = []
    for part in body.split(","):
        try:
            d = int(part.strip())
        except ValueError:
            raise IRError(f"{spec.describe()}: shape '{text}' is not a static shape") from None
        if d < 0:
            raise IRError(f"{spec.describe()}: shape '{text}' has a negative dimension")
        dims.append(d)
    return tuple(dims)


def _int_attr(spec: LayerSpec, key: str) -> int:
    text = spec.data.get(key)
    if text is None:
        raise IRError(f"{spec.describe()}: attribute '{key}' is missing")
    try:
        value = int(text.strip())
    except ValueError:
        raise IRError(f"{spec.describe()}: attribute '{key}' is not an integer: '{text}'"
                      ) from None
    if value < 0:
        raise IRError(f"{spec.describe()}: attribute '{key}' is negative: {value}")
    return value


def constant_tensor(spec: LayerSpec, weights: np.ndarray | None) -> Tensor:
    """The value of a ``Const`` layer, viewing ``weights`` without copying where it can."""
    return ConstantReader(weights).tensor(spec)


class _Form:
    """What a Const layer's ``element_type`` and ``shape`` texts say: the type, the shape,
    the element count and the bytes those elements take."""

    __slots__ = ("et", "shape", "count", "need", "dtype", "packed", "view_shape")

    def __init__(self, spec: LayerSpec) -> None:
        name = spec.data.get("element_type")
        if name is None:
            raise IRError(f"{spec.describe()}: attribute 'element_type' is missing")
        try:
            et = type_from_name(name.strip())
        except RuntimeError:
            raise IRError(f"{spec.describe()}: unknown element type '{name}'") from None
        if et.is_dynamic():
            raise IRError(f"{spec.describe()}: a constant cannot have element type '{name}'")
        self.et = et
        self.shape = shape = _shape_of(spec)
        count = 1
        for d in shape:
            count *= d
        self.count = count
        self.need = packed_byte_size(et, count)
        self.packed = et.is_packed
        #: the numpy dtype that views the bytes, None for strings and booleans
        self.dtype = None if et is Type.string or et is Type.boolean else et.to_dtype()
        #: the shape of that view: the tensor's, or the bytes of a packed type
        self.view_shape = (self.need,) if self.packed else shape


class ConstantReader:
    """Decodes the Const layers of one IR read from its ``weights``: layers with the same
    ``element_type`` and ``shape`` texts share the parse of those texts."""

    __slots__ = ("weights", "_forms")

    def __init__(self, weights: np.ndarray | None) -> None:
        self.weights = weights
        self._forms: dict[tuple[str | None, str | None], _Form] = {}

    def tensor(self, spec: LayerSpec) -> Tensor:
        """The value of a ``Const`` layer, viewing the weights without copying where it
        can; an ``IRError`` naming the layer for anything that does not fit."""
        data = spec.data
        key = (data.get("element_type"), data.get("shape"))
        form = self._forms.get(key)
        if form is None:
            form = _Form(spec)
            self._forms[key] = form
        et, shape = form.et, form.shape
        try:  # the common case of plain non-negative numbers; _int_attr says what is wrong
            offset = int(data["offset"])
        except (KeyError, TypeError, ValueError):
            offset = -1
        if offset < 0:
            offset = _int_attr(spec, "offset")
        try:
            size = int(data["size"])
        except (KeyError, TypeError, ValueError):
            size = -1
        if size < 0:
            size = _int_attr(spec, "size")
        weights = self.weights
        if form.dtype is not None and weights is not None and size == form.need and \
                0 < offset + size <= weights.size:  # the usual numeric constant
            # the array the general path below makes (weights[offset:offset + size] viewed
            # as the type and shaped), made in one step
            return Tensor._wrap(np.ndarray(form.view_shape, form.dtype, weights, offset), et,
                                shape)
        if weights is None:
            if size == 0 and et is not Type.string and form.need == 0:
                return Tensor._wrap(np.zeros(shape, et.to_dtype()), et, shape)
            raise IRError(f"{spec.describe()}: the constant needs {size} bytes at offset "
                          f"{offset} of the weights, but no weights (.bin) were given")
        if offset + size > weights.size:
            raise IRError(f"{spec.describe()}: the constant's bytes [{offset}, {offset + size}) "
                          f"run past the end of the weights ({weights.size} bytes)")
        raw = weights[offset:offset + size]
        if et is Type.string:
            return Tensor._wrap(_decode_strings(raw, form.count, spec).reshape(shape), et,
                                shape)
        if size != form.need:
            raise IRError(f"{spec.describe()}: size {size} does not match {form.count} elements "
                          f"of {et.get_type_name()} (shape {list(shape)}, {form.need} bytes)")
        if et is Type.boolean:
            return Tensor._wrap((raw != 0).reshape(shape), et, shape)
        data = raw.view(form.dtype)
        return Tensor._wrap(data if form.packed else data.reshape(shape), et, shape)


def _decode_strings(raw: np.ndarray, count: int, spec: LayerSpec) -> np.ndarray:
    if raw.size < 4:
        raise IRError(f"{spec.describe()}: a string constant needs at least 4 bytes, has "
                      f"{raw.size}")
    n = int(raw[:4].view(_I32)[0])
    if n != count:
        raise IRError(f"{spec.describe()}: the string constant holds {n} strings, its shape "
                      f"needs {count}")
    header = 4 * (n + 2)
    if raw.size < header:
        raise IRError(f"{spec.describe()}: the string constant's header needs {header} bytes, "
                      f"the constant has {raw.size}")
    offsets = raw[4:header].view(_I32).astype(np.int64)
    chars = raw[header:].tobytes()
    if offsets[0] != 0 or np.any(np.diff(offsets) < 0) or offsets[-1] > len(chars):
        raise IRError(f"{spec.describe()}: the string constant's offsets are not increasing "
                      f"within its {len(chars)} character bytes")
    out = np.empty(n, dtype=object)
    bounds = offsets.tolist()
    for i in range(n):
        out[i] = chars[bounds[i]:bounds[i + 1]]
    return out


def constant_bytes(tensor: Tensor) -> bytes:
    """The ``.bin`` bytes of a constant's value (the inverse of ``constant_tensor``)."""
    et = tensor.get_element_type()
    data = tensor._data
    if et is Type.string:
        items = [v if isinstance(v, bytes) else str(v).encode("utf-8")
                 for v in np.asarray(data, dtype=object).reshape(-1)]
        ends = np.cumsum([0] + [len(v) for v in items], dtype=np.int64)
        header = np.concatenate([[len(items)], ends]).astype(_I32)
        return header.tobytes() + b"".join(items)
    if et is Type.boolean:
        return np.ascontiguousarray(data, dtype=np.bool_).tobytes()
    return np.ascontiguousarray(data).tobytes()
