"""TopK (v1, v3, v11): the ``k`` largest or smallest elements along an axis, and their
indices.

``sort="value"`` orders the selected elements by value (descending for ``max``, ascending
for ``min``), ``sort="index"`` by their index along the axis, ``sort="none"`` leaves the
order unspecified (this implementation keeps the value order). Ties are resolved in favour
of the lower index, which makes the result stable as v11's ``stable=True`` requires.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import constant_value, normalize_axis

__all__ = ["TopK1", "TopK3", "TopK"]

_SORT_ALIASES = {"sort_values": "value", "sort_indices": "index", "values": "value",
                 "indices": "index"}


def topk_reference(x: np.ndarray, k: int, axis: int, mode: str, sort: str
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(values, int64 indices) of the top ``k`` elements of ``x`` along ``axis``."""
    n = x.shape[axis]
    k = min(k, n)
    moved = np.moveaxis(x, axis, -1)
    if mode == "max":
        # stable descending order: reverse the stable ascending order of the reversed data
        order = np.argsort(moved[..., ::-1], axis=-1, kind="stable")[..., ::-1]
        order = n - 1 - order
    else:
        order = np.argsort(moved, axis=-1, kind="stable")
    idx = order[..., :k]
    if sort == "index":
        idx = np.sort(idx, axis=-1)
    values = np.take_along_axis(moved, idx, axis=-1)
    return np.moveaxis(values, -1, axis), np.moveaxis(idx, -1, axis).astype(np.int64)


class _TopKBase(Node):
    """Shared validation: data of any numeric type and a scalar integer ``k``."""

    has_default_output = False

    def _index_type(self) -> Type:
        return Type.i32

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "TopK takes data and k inputs")
        a = self._attrs
        a["sort"] = _SORT_ALIASES.get(a["sort"], a["sort"])
        self.check(a["mode"] in ("max", "min"), f"Unsupported mode '{a['mode']}' "
                                                f"(expected max or min)")
        self.check(a["sort"] in ("value", "index", "none"),
                   f"Unsupported sort '{a['sort']}' (expected value, index or none)")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
                   f"TopK expects a numeric element type, got {et.get_type_name()}")
        it = self._index_type()
        self.check(it in (Type.i32, Type.i64), f"Index element type must be i32 or i64, got "
                                               f"{it.get_type_name()}")
        kt = self.get_input_element_type(1)
        self.check(kt.is_dynamic() or kt.is_integral_number(),
                   f"K input must be of an integer type, got {kt.get_type_name()}")
        kps = self.get_input_partial_shape(1)
        self.check(kps.rank.is_dynamic or len(kps) == 0 or
                   (len(kps) == 1 and kps[0]._compatible(1)),
                   f"The 'K' input must be a scalar, got shape {kps}")
        data = self.get_input_partial_shape(0)
        k_value = constant_value(self._inputs[1])
        k = None
        if k_value is not None:
            k = int(np.asarray(k_value).reshape(-1)[0])
            self.check(k >= 0, f"The value of 'K' must be greater or equal to zero, got {k}")
        if data.rank.is_dynamic:
            out = PartialShape.dynamic()
        else:
            self.check(len(data) > 0, "TopK data input must have at least rank 1")
            axis = normalize_axis(self, a["axis"], len(data))
            dims = list(data)
            dims[axis] = self._axis_dim(dims[axis], k)
            out = PartialShape(dims)
        self.set_output_type(0, et, out)
        self.set_output_type(1, it, PartialShape(out))

    @staticmethod
    def _axis_dim(dim: Dimension, k: int | None) -> Dimension:
        hi = dim.get_max_length()
        if k is None:
            return Dimension(0, hi)
        if dim.is_static:
            return Dimension(min(k, dim.get_length()))
        lo = min(k, dim.get_min_length())
        return Dimension(lo, k if hi < 0 else min(k, hi))

    def reference(self, x: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        kv = int(np.asarray(k).reshape(-1)[0])
        if kv < 0:
            raise RuntimeError(f"TopK '{self.get_friendly_name()}': K must be non-negative, "
                               f"got {kv}")
        axis = normalize_axis(self, self._attrs["axis"], x.ndim)
        values, idx = topk_reference(x, kv, axis, self._attrs["mode"], self._attrs["sort"])
        return values, idx.astype(self._index_type().evaluation_dtype)


class TopK1(_TopKBase):
    """TopK (v1): i32 indices."""

    type_name = "TopK"
    version = "opset1"
    attributes = {"axis": Attr.int(), "mode": Attr.enum(), "sort": Attr.enum()}


class TopK3(_TopKBase):
    """TopK (v3): ``index_element_type`` chooses i32 or i64 indices."""

    type_name = "TopK"
    version = "opset3"
    attributes = {"axis": Attr.int(), "mode": Attr.enum(), "sort": Attr.enum(),
                  "index_element_type": Attr.type(Type.i32)}

    def _index_type(self) -> Type:
        return self._attrs["index_element_type"]


class TopK(TopK3):
    """TopK (v11): adds ``stable`` (equal elements keep their input order)."""

    type_name = "TopK"
    version = "opset11"
    attributes = {**TopK3.attributes, "stable": Attr.bool(False)}


@factory("topk", since=1)
def topk1(data: Any, k: Any, axis: int, mode: str, sort: str,
          name: str | None = None) -> TopK1:
    """The ``k`` largest (``mode="max"``) or smallest elements along ``axis``."""
    return TopK1(data, k, axis=axis, mode=mode, sort=sort, name=name)


@factory("topk", since=3)
def topk3(data: Any, k: Any, axis: int, mode: str, sort: str, index_element_type: Any = Type.i32,
          name: str | None = None) -> TopK3:
    """The ``k`` largest or smallest elements along ``axis`` with i32/i64 indices."""
    return TopK3(data, k, axis=axis, mode=mode, sort=sort,
                 index_element_type=index_element_type, name=name)


@factory("topk", since=11)
def topk(data: Any, k: Any, axis: int, mode: str, sort: str, index_element_type: Any = Type.i32,
         stable: bool = False, name: str | None = None) -> TopK:
    """The ``k`` largest or smallest elements along ``axis``; ``stable`` keeps ties in input
    order."""
    return TopK(data, k, axis=axis, mode=mode, sort=sort,
                index_element_type=index_element_type, stable=stable, name=name)
