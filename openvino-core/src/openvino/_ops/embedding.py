"""Sums (or means) of bags of embedding rows without materialising the gathered rows:
EmbeddingBagOffsetsSum-3, EmbeddingBagPackedSum-3, EmbeddingSegmentsSum-3 and their opset15
successors EmbeddingBagOffsets / EmbeddingBagPacked with a ``reduction`` attribute.

Every index into the table must lie in ``[0, num_embeddings)``; a negative or missing
``default_index`` fills empty bags with zeros."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node, as_output
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._index_args import check_integral_input, checked_indices, dims_of, scalar_input_value
from ._infer import merge_types

__all__ = ["EmbeddingBagOffsetsSum", "EmbeddingBagPackedSum", "EmbeddingSegmentsSum",
           "EmbeddingBagOffsets", "EmbeddingBagPacked"]


def _fail_runtime(node: Node, message: str) -> None:
    raise RuntimeError(f"{node.type_name} '{node.get_friendly_name()}': {message}")


def _check_rank(node: Node, port: int, rank: int, what: str) -> None:
    ps = node.get_input_partial_shape(port)
    node.check(ps.rank._compatible(rank), f"{what} must have rank {rank}, got shape {ps}")


def _table_rows(node: Node) -> list[Dimension] | None:
    """The embedding table's dimensions after the first (the shape of one row)."""
    table = dims_of(node.get_input_partial_shape(0))
    if table is None:
        return None
    node.check(len(table) >= 1, "emb_table must have rank of at least 1")
    return table[1:]


def _check_common(node: Node, index_ports: dict[int, str], weights_port: int | None) -> Type:
    """Index inputs share an integer type; weights share the table's type."""
    for port, what in index_ports.items():
        check_integral_input(node, port, what)
    merge_types(node, *(node.get_input_element_type(p) for p in index_ports))
    et = node.get_input_element_type(0)
    if weights_port is not None and len(node._inputs) > weights_port:
        et = merge_types(node, et, node.get_input_element_type(weights_port))
        w = node.get_input_partial_shape(weights_port)
        idx = node.get_input_partial_shape(1)
        node.check(w.compatible(idx),
                   f"per_sample_weights shape {w} must match the indices shape {idx}")
    return et


def _set_output(node: Node, et: Type, first: Dimension) -> None:
    rows = _table_rows(node)
    node.set_output_type(0, et, PartialShape.dynamic() if rows is None
                         else PartialShape([first] + rows))


def _reduce_bags(node: Node, table: np.ndarray, bags: list[np.ndarray],
                 weights: list[np.ndarray] | None, default_index: int | None,
                 mean: bool) -> np.ndarray:
    """One output row per bag: the (weighted) sum or the mean of the rows it names."""
    out = np.zeros((len(bags),) + table.shape[1:], dtype=table.dtype)
    default = None
    if default_index is not None and default_index >= 0:
        default = table[int(checked_indices(node, np.array([default_index]), table.shape[0],
                                            False, "default_index")[0])]
    for n, bag in enumerate(bags):
        if bag.size == 0:
            if default is not None:
                out[n] = default
            continue
        rows = table[checked_indices(node, bag, table.shape[0], False)]
        if weights is not None:
            rows = rows * weights[n].reshape((-1,) + (1,) * (table.ndim - 1))
        total = rows.sum(axis=0, dtype=table.dtype)
        out[n] = total / bag.size if mean else total
    return out


def _offset_bags(node: Node, indices: np.ndarray, offsets: np.ndarray) -> list[slice]:
    starts = [int(v) for v in np.asarray(offsets).reshape(-1)]
    size = indices.size
    bounds = starts + [size]
    for i, (a, b) in enumerate(zip(bounds, bounds[1:])):
        if not 0 <= a <= size:
            _fail_runtime(node, f"offset {a} (bag {i}) is out of range [0, {size}]")
        if a > b:
            _fail_runtime(node, f"offsets must not decrease: bag {i} starts at {a} and the "
                                f"next one at {b}")
    return [slice(a, b) for a, b in zip(bounds, bounds[1:])]


# --- offsets -------------------------------------------------------------------------------------
class _OffsetsBase(Node):
    """Bags are runs of the 1-D ``indices``: bag ``i`` starts at ``offsets[i]``. Inputs:
    emb_table, indices, offsets[, default_index[, per_sample_weights]]."""

    def _mean(self) -> bool:
        return self._attrs.get("reduction", "sum") == "mean"

    def validate_and_infer_types(self) -> None:
        self.check(3 <= len(self._inputs) <= 5, f"{self.type_name} takes 3 to 5 inputs: "
                   "emb_table, indices, offsets[, default_index[, per_sample_weights]]")
        ports = {1: "indices", 2: "offsets"}
        if len(self._inputs) > 3:
            ports[3] = "default_index"
            _check_rank(self, 3, 0, "default_index")
        _check_rank(self, 1, 1, "indices")
        _check_rank(self, 2, 1, "offsets")
        et = _check_common(self, ports, 4)
        _check_reduction(self, 4)
        offsets = self.get_input_partial_shape(2)
        _set_output(self, et, offsets[0] if offsets.rank.is_static else Dimension())

    def reference(self, table: np.ndarray, indices: np.ndarray, offsets: np.ndarray,
                  default_index: np.ndarray | None = None,
                  weights: np.ndarray | None = None) -> np.ndarray:
        flat = np.asarray(indices).reshape(-1)
        bags = _offset_bags(self, flat, offsets)
        w = np.asarray(weights).reshape(-1) if weights is not None else None
        default = int(np.asarray(default_index).reshape(-1)[0]) if default_index is not None \
            else None
        return _reduce_bags(self, table, [flat[s] for s in bags],
                            [w[s] for s in bags] if w is not None else None, default,
                            self._mean())


def _check_reduction(node: Node, weights_port: int) -> None:
    reduction = node._attrs.get("reduction", "sum")
    node.check(reduction in ("sum", "mean"),
               f"reduction must be 'sum' or 'mean', got '{reduction}'")
    if reduction == "mean":
        node.check(len(node._inputs) <= weights_port,
                   "per_sample_weights are supported only with reduction 'sum'")


class EmbeddingBagOffsetsSum(_OffsetsBase):
    """EmbeddingBagOffsetsSum-3: the (weighted) sum of each bag."""

    type_name = "EmbeddingBagOffsetsSum"
    version = "opset3"


class EmbeddingBagOffsets(_OffsetsBase):
    """EmbeddingBagOffsets-15: ``reduction`` ``sum`` or ``mean`` of each bag."""

    type_name = "EmbeddingBagOffsets"
    version = "opset15"
    attributes = {"reduction": Attr.enum("sum")}


def _offsets_inputs(emb_table: Any, indices: Any, offsets: Any, default_index: Any,
                    per_sample_weights: Any) -> list[Any]:
    indices = as_output(indices)
    inputs = [emb_table, indices, offsets]
    if default_index is None and per_sample_weights is not None:
        default_index = np.array(-1, dtype=indices.get_element_type().to_dtype())
    if default_index is not None:
        inputs.append(default_index)
    if per_sample_weights is not None:
        inputs.append(per_sample_weights)
    return inputs


@factory("embedding_bag_offsets_sum", since=3)
def embedding_bag_offsets_sum(emb_table: Any, indices: Any, offsets: Any,
                              default_index: Any = None, per_sample_weights: Any = None,
                              name: str | None = None) -> EmbeddingBagOffsetsSum:
    """Sum the table rows of each bag of ``indices`` delimited by ``offsets``."""
    return EmbeddingBagOffsetsSum(*_offsets_inputs(emb_table, indices, offsets, default_index,
                                                   per_sample_weights), name=name)


@factory("embedding_bag_offsets", since=15)
def embedding_bag_offsets(emb_table: Any, indices: Any, offsets: Any, default_index: Any = None,
                          per_sample_weights: Any = None, reduction: str = "sum",
                          name: str | None = None) -> EmbeddingBagOffsets:
    """Sum or average the table rows of each bag of ``indices`` delimited by ``offsets``."""
    return EmbeddingBagOffsets(*_offsets_inputs(emb_table, indices, offsets, default_index,
                                                per_sample_weights),
                               reduction=reduction, name=name)


# --- packed ---------------------------------------------------------------------------------------
class _PackedBase(Node):
    """Bags of equal size: row ``i`` of the 2-D ``indices`` is bag ``i``. Inputs:
    emb_table, indices[, per_sample_weights]."""

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (2, 3), f"{self.type_name} takes 2 or 3 inputs: "
                   "emb_table, indices[, per_sample_weights]")
        _check_rank(self, 1, 2, "indices")
        et = _check_common(self, {1: "indices"}, 2)
        _check_reduction(self, 2)
        idx = self.get_input_partial_shape(1)
        _set_output(self, et, idx[0] if idx.rank.is_static else Dimension())

    def reference(self, table: np.ndarray, indices: np.ndarray,
                  weights: np.ndarray | None = None) -> np.ndarray:
        if indices.ndim != 2:
            _fail_runtime(self, f"indices must be 2-D, got shape {list(indices.shape)}")
        bags = list(indices)
        w = list(weights) if weights is not None else None
        return _reduce_bags(self, table, bags, w, None,
                            self._attrs.get("reduction", "sum") == "mean")


class EmbeddingBagPackedSum(_PackedBase):
    """EmbeddingBagPackedSum-3: the (weighted) sum of each bag."""

    type_name = "EmbeddingBagPackedSum"
    version = "opset3"


class EmbeddingBagPacked(_PackedBase):
    """EmbeddingBagPacked-15: ``reduction`` ``sum`` or ``mean`` of each bag."""

    type_name = "EmbeddingBagPacked"
    version = "opset15"
    attributes = {"reduction": Attr.enum("sum")}


@factory("embedding_bag_packed_sum", since=3)
def embedding_bag_packed_sum(emb_table: Any, indices: Any, per_sample_weights: Any = None,
                             name: str | None = None) -> EmbeddingBagPackedSum:
    """Sum the table rows named by each row of the 2-D ``indices``."""
    inputs = [emb_table, indices] + ([per_sample_weights] if per_sample_weights is not None
                                     else [])
    return EmbeddingBagPackedSum(*inputs, name=name)


@factory("embedding_bag_packed", since=15)
def embedding_bag_packed(emb_table: Any, indices: Any, per_sample_weights: Any = None,
                         reduction: str = "sum", name: str | None = None) -> EmbeddingBagPacked:
    """Sum or average the table rows named by each row of the 2-D ``indices``."""
    inputs = [emb_table, indices] + ([per_sample_weights] if per_sample_weights is not None
                                     else [])
    return EmbeddingBagPacked(*inputs, reduction=reduction, name=name)


# --- segments -------------------------------------------------------------------------------------
class EmbeddingSegmentsSum(Node):
    """``out[segment_ids[j]] += emb_table[indices[j]] * per_sample_weights[j]`` for
    ``num_segments`` output rows. Inputs: emb_table, indices, segment_ids, num_segments[,
    default_index[, per_sample_weights]]."""

    type_name = "EmbeddingSegmentsSum"
    version = "opset3"

    def validate_and_infer_types(self) -> None:
        self.check(4 <= len(self._inputs) <= 6, "EmbeddingSegmentsSum takes 4 to 6 inputs: "
                   "emb_table, indices, segment_ids, num_segments[, default_index"
                   "[, per_sample_weights]]")
        ports = {1: "indices", 2: "segment_ids", 3: "num_segments"}
        if len(self._inputs) > 4:
            ports[4] = "default_index"
            _check_rank(self, 4, 0, "default_index")
        _check_rank(self, 1, 1, "indices")
        _check_rank(self, 2, 1, "segment_ids")
        _check_rank(self, 3, 0, "num_segments")
        self.check(self.get_input_partial_shape(1).compatible(self.get_input_partial_shape(2)),
                   "segment_ids must have the shape of indices")
        et = _check_common(self, ports, 5)
        count = scalar_input_value(self, 3)
        if count is not None:
            self.check(count >= 0, f"num_segments must be non-negative, got {count}")
        _set_output(self, et, Dimension() if count is None else Dimension(count))

    def reference(self, table: np.ndarray, indices: np.ndarray, segment_ids: np.ndarray,
                  num_segments: np.ndarray, default_index: np.ndarray | None = None,
                  weights: np.ndarray | None = None) -> np.ndarray:
        count = int(np.asarray(num_segments).reshape(-1)[0])
        if count < 0:
            _fail_runtime(self, f"num_segments must be non-negative, got {count}")
        flat = np.asarray(indices).reshape(-1)
        seg = checked_indices(self, np.asarray(segment_ids).reshape(-1), count, False,
                              "segment id")
        if seg.size != flat.size:
            _fail_runtime(self, f"{seg.size} segment ids for {flat.size} indices")
        w = np.asarray(weights).reshape(-1) if weights is not None else None
        members = [np.flatnonzero(seg == s) for s in range(count)]
        default = int(np.asarray(default_index).reshape(-1)[0]) if default_index is not None \
            else None
        return _reduce_bags(self, table, [flat[m] for m in members],
                            [w[m] for m in members] if w is not None else None, default, False)


@factory("embedding_segments_sum", since=3)
def embedding_segments_sum(emb_table: Any, indices: Any, segment_ids: Any,
                           num_segments: Any = None, default_index: Any = None,
                           per_sample_weights: Any = None,
                           name: str | None = None) -> EmbeddingSegmentsSum:
    """Sum the table rows of ``indices`` into ``num_segments`` rows chosen by
    ``segment_ids``."""
    if num_segments is None:
        raise RuntimeError("EmbeddingSegmentsSum needs num_segments")
    indices = as_output(indices)
    inputs = [emb_table, indices, segment_ids, num_segments]
    if default_index is None and per_sample_weights is not None:
        default_index = np.array(-1, dtype=indices.get_element_type().to_dtype())
    if default_index is not None:
        inputs.append(default_index)
    if per_sample_weights is not None:
        inputs.append(per_sample_weights)
    return EmbeddingSegmentsSum(*inputs, name=name)
