"""ScaledDotProductAttention (opset13).

``softmax(Q @ K^T * scale + bias) @ V`` with Q [N, ..., L, E], K [N, ..., S, E],
V [N, ..., S, Ev] (batch dimensions broadcast numpy-style). ``scale`` defaults to
``1 / sqrt(E)``. The bias is ``-inf`` above the diagonal when ``causal`` (the mask input is
then ignored); otherwise a boolean mask gives ``-inf`` where it is false and a real mask is
added as is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node, as_output
from .._opsets import factory
from .._shape import PartialShape
from .._type import Type
from ._infer import broadcast_shapes, merge_types
from .constant import Constant

__all__ = ["ScaledDotProductAttention"]


class ScaledDotProductAttention(Node):
    """Attention over query, key, value with optional mask and scale inputs."""

    type_name = "ScaledDotProductAttention"
    version = "opset13"
    attributes = {"causal": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        n = len(self._inputs)
        self.check(3 <= n <= 5, "ScaledDotProductAttention takes query, key, value and "
                                "optional attention_mask and scale inputs")
        et = merge_types(self, *(self.get_input_element_type(i) for i in range(3)))
        self.check(et.is_dynamic() or et.is_real(),
                   f"Query, key and value must be of a floating-point type, got "
                   f"{et.get_type_name()}")
        q, k, v = (self.get_input_partial_shape(i) for i in range(3))
        for name, ps in (("query", q), ("key", k), ("value", v)):
            self.check(ps.rank.is_dynamic or len(ps) >= 3,
                       f"The {name} input must have rank of at least 3, got {ps}")
        if n >= 4:
            mt = self.get_input_element_type(3)
            self.check(mt.is_dynamic() or mt is Type.boolean or et.is_dynamic() or
                       mt.merge(et) is not None,
                       f"The attention_mask must be boolean or of the query type "
                       f"{et.get_type_name()}, got {mt.get_type_name()}")
        if n == 5:
            st = self.get_input_element_type(4)
            self.check(st.is_dynamic() or et.is_dynamic() or st.merge(et) is not None,
                       f"The scale must be of the query type {et.get_type_name()}, got "
                       f"{st.get_type_name()}")
            sps = self.get_input_partial_shape(4)
            self.check(sps.rank.is_dynamic or len(sps) == 0 or
                       (len(sps) == 1 and sps[0]._compatible(1)),
                       f"The scale input must be a scalar, got shape {sps}")
        if q.rank.is_dynamic or k.rank.is_dynamic or v.rank.is_dynamic:
            out = PartialShape.dynamic()
            if q.rank.is_static and v.rank.is_static:
                out = PartialShape.dynamic(len(q))
        else:
            self.check(q[-1].compatible(k[-1]),
                       f"Embedding dimensions of query {q} and key {k} do not match")
            self.check(k[-2].compatible(v[-2]),
                       f"Source sequence lengths of key {k} and value {v} do not match")
            batch = broadcast_shapes(self, q[:-2], k[:-2])
            batch = broadcast_shapes(self, batch, v[:-2])
            length = q[-2]
            if n >= 4 and not self._attrs["causal"]:
                m = self.get_input_partial_shape(3)
                if m.rank.is_static and len(m) >= 2:
                    self.check(m[-1].compatible(k[-2]) or
                               (m[-1].is_static and m[-1].get_length() == 1),
                               f"The attention_mask {m} does not match the source length "
                               f"{k[-2]}")
                    self.check(m[-2].compatible(q[-2]) or
                               (m[-2].is_static and m[-2].get_length() == 1),
                               f"The attention_mask {m} does not match the target length "
                               f"{q[-2]}")
                    batch = broadcast_shapes(self, batch, m[:-2])
                    merged = length.merge(m[-2])
                    if merged is not None and not (m[-2].is_static and
                                                   m[-2].get_length() == 1):
                        length = merged
            out = PartialShape(list(batch) + [length, v[-1]])
        self.set_output_type(0, et, out)

    def reference(self, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                  mask: np.ndarray | None = None, scale: np.ndarray | None = None
                  ) -> np.ndarray:
        ct = np.float64 if q.dtype == np.float64 else np.float32
        qf, kf, vf = (a.astype(ct, copy=False) for a in (q, k, v))
        if scale is None:
            s = ct(1.0) / np.sqrt(ct(q.shape[-1]))
        else:
            s = np.asarray(scale, dtype=ct).reshape(())
        scores = np.matmul(qf, np.swapaxes(kf, -1, -2)) * s
        L, S = q.shape[-2], k.shape[-2]
        if self._attrs["causal"]:
            bias = np.where(np.triu(np.ones((L, S), dtype=bool), k=1), -np.inf, 0).astype(ct)
            scores = scores + bias
        elif mask is not None:
            if mask.dtype == np.bool_:
                scores = scores + np.where(mask, ct(0), ct(-np.inf))
            else:
                scores = scores + mask.astype(ct, copy=False)
        with np.errstate(invalid="ignore", over="ignore"):
            top = np.max(scores, axis=-1, keepdims=True)
            e = np.exp(scores - top)
            weights = e / np.sum(e, axis=-1, keepdims=True)
        return np.matmul(weights, vf).astype(q.dtype)


@factory("scaled_dot_product_attention", since=13)
def scaled_dot_product_attention(query: Any, key: Any, value: Any, attention_mask: Any = None,
                                 scale: Any = None, causal: bool = False,
                                 name: str | None = None) -> ScaledDotProductAttention:
    """``softmax(query @ key^T * scale + mask) @ value``; ``causal`` masks future positions."""
    inputs = [query, key, value]
    if attention_mask is not None:
        inputs.append(attention_mask)
    elif scale is not None:
        et = as_output(query).get_element_type()
        inputs.append(Constant(et if et.is_static() else Type.f32, [], [0]))
    if scale is not None:
        inputs.append(scale)
    return ScaledDotProductAttention(*inputs, causal=causal, name=name)
