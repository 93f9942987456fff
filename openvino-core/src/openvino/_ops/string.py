"""String tensor ops (opset15): StringTensorUnpack and StringTensorPack.

In evaluation form a string tensor is a numpy object array of ``bytes``; the unpacked form
is ``begins``/``ends`` (i32 offsets, same shape as the strings) and ``symbols`` (the UTF-8
bytes of every string, concatenated, u8 1-D).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import constant_value

__all__ = ["StringTensorUnpack", "StringTensorPack"]


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, np.bytes_):
        return bytes(value)
    raise RuntimeError(f"String tensor element {value!r} is not bytes or str")


class StringTensorUnpack(Node):
    """Splits a string tensor into ``begins``, ``ends`` (i32, the input's shape) and
    ``symbols`` (u8, all strings' bytes concatenated)."""

    type_name = "StringTensorUnpack"
    version = "opset15"

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 1, "StringTensorUnpack takes one input (data)")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et == Type.string,
                   f"StringTensorUnpack expects a string tensor, got {et.get_type_name()}")
        ps = self.get_input_partial_shape(0)
        value = constant_value(self.input_value(0))
        if value is not None:
            symbols = Dimension(sum(len(_as_bytes(v)) for v in value.reshape(-1)))
        else:
            symbols = Dimension()
        self.set_output_type(0, Type.i32, PartialShape(ps))
        self.set_output_type(1, Type.i32, PartialShape(ps))
        self.set_output_type(2, Type.u8, PartialShape([symbols]))

    def reference(self, data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        items = [_as_bytes(v) for v in np.asarray(data, dtype=object).reshape(-1)]
        lengths = np.array([len(b) for b in items], dtype=np.int64)
        ends = np.cumsum(lengths)
        begins = ends - lengths
        if ends.size and ends[-1] > np.iinfo(np.int32).max:
            raise RuntimeError(f"StringTensorUnpack '{self.get_friendly_name()}': "
                               f"{int(ends[-1])} bytes do not fit i32 offsets")
        symbols = np.frombuffer(b"".join(items), dtype=np.uint8).copy()
        return (begins.astype(np.int32).reshape(data.shape),
                ends.astype(np.int32).reshape(data.shape), symbols)


class StringTensorPack(Node):
    """Builds a string tensor of ``begins``' shape whose element ``i`` is
    ``symbols[begins[i]:ends[i]]``."""

    type_name = "StringTensorPack"
    version = "opset15"

    def validate_and_infer_types(self) -> None:
        self.check(self.get_input_size() == 3,
                   "StringTensorPack takes three inputs (begins, ends, symbols)")
        for i, what in ((0, "begins"), (1, "ends")):
            et = self.get_input_element_type(i)
            self.check(et.is_dynamic() or et in (Type.i32, Type.i64),
                       f"The element type of '{what}' must be i32 or i64, got {et.get_type_name()}")
        tb, te = self.get_input_element_type(0), self.get_input_element_type(1)
        self.check(tb.compatible(te), f"The element types of 'begins' ({tb.get_type_name()}) "
                                      f"and 'ends' ({te.get_type_name()}) "
                   "must match")
        st = self.get_input_element_type(2)
        self.check(st.is_dynamic() or st == Type.u8,
                   f"The element type of 'symbols' must be u8, got {st.get_type_name()}")
        sps = self.get_input_partial_shape(2)
        self.check(sps.rank.is_dynamic or sps.rank.get_length() == 1,
                   f"'symbols' must be a 1D tensor, got shape {sps}")
        pb, pe = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        shape = pb.merge(pe)
        self.check(shape is not None, f"The shapes of 'begins' ({pb}) and 'ends' ({pe}) must "
                   "be equal")
        self.set_output_type(0, Type.string, shape)

    def reference(self, begins: np.ndarray, ends: np.ndarray, symbols: np.ndarray
                  ) -> np.ndarray:
        if begins.shape != ends.shape:
            raise RuntimeError(f"StringTensorPack '{self.get_friendly_name()}': begins shape "
                               f"{list(begins.shape)} differs from ends shape "
                               f"{list(ends.shape)}")
        raw = np.ascontiguousarray(symbols, dtype=np.uint8).tobytes()
        out = np.empty(begins.shape, dtype=object)
        flat = out.reshape(-1)
        for i, (b, e) in enumerate(zip(begins.reshape(-1), ends.reshape(-1))):
            b, e = int(b), int(e)
            if not 0 <= b <= e <= len(raw):
                raise RuntimeError(f"StringTensorPack '{self.get_friendly_name()}': string "
                                   f"{i} spans [{b}, {e}) outside of the {len(raw)} symbols "
                                   "or ends before it begins")
            flat[i] = raw[b:e]
        return out


@factory("string_tensor_unpack", since=15)
def string_tensor_unpack(data: Any, name: str | None = None) -> StringTensorUnpack:
    """Unpack a string tensor into begins, ends and symbols."""
    return StringTensorUnpack(data, name=name)


@factory("string_tensor_pack", since=15)
def string_tensor_pack(begins: Any, ends: Any, symbols: Any, name: str | None = None
                       ) -> StringTensorPack:
    """Pack begins, ends and symbols into a string tensor."""
    return StringTensorPack(begins, ends, symbols, name=name)
