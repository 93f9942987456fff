"""CTC greedy decoding: CTCGreedyDecoder (v0) and CTCGreedyDecoderSeqLen (v6).

Each step takes its most likely class (the first one on ties); blanks are dropped and, with
``merge_repeated``, a class equal to the previous step's is dropped too (a blank between two
equal classes keeps both). CTCGreedyDecoder reads ``data`` ``[T, N, C]`` and a
``sequence_mask`` ``[T, N]`` (a sequence ends at its first 0), uses the last class as the
blank and returns ``[N, T, 1, 1]`` floats. CTCGreedyDecoderSeqLen reads ``data``
``[N, T, C]``, ``sequence_length`` ``[N]`` and an optional ``blank_index`` (default
``C - 1``) and returns the classes ``[N, T]`` and the decoded lengths ``[N]``. Unused
positions hold -1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["CTCGreedyDecoder", "CTCGreedyDecoderSeqLen"]


def _decode(best: np.ndarray, length: int, blank: int, merge: bool) -> list[int]:
    out: list[int] = []
    previous = -1
    for t in range(length):
        c = int(best[t])
        if c != blank and not (merge and c == previous):
            out.append(c)
        previous = c
    return out


class CTCGreedyDecoder(Node):
    type_name = "CTCGreedyDecoder"
    version = "opset1"
    attributes = {"ctc_merge_repeated": Attr.bool(True)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "CTCGreedyDecoder takes data and sequence_mask")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"The data input must be floating point, got {et.get_type_name()}")
        data, mask = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(data.rank.is_dynamic or len(data) == 3,
                   f"The rank of logits tensor must be equal to 3. Got: {data}")
        self.check(mask.rank.is_dynamic or len(mask) == 2,
                   f"The rank of sequence mask tensor must be equal to 2. Got: {mask}")
        t, n = Dimension(), Dimension()
        if data.rank.is_static:
            t, n = data[0], data[1]
        if mask.rank.is_static:
            mt = t.merge(mask[0])
            mn = n.merge(mask[1])
            self.check(mt is not None and mn is not None,
                       f"The first dimensions of the logits and sequence mask tensors must be "
                       f"equal (time), and the second ones (batch). Got: {data} and {mask}")
            t, n = mt, mn
        self.set_output_type(0, et, PartialShape([n, t, 1, 1]))

    def reference(self, data: np.ndarray, mask: np.ndarray) -> np.ndarray:
        steps, batch, classes = data.shape
        best = np.argmax(data, axis=2)  # [T, N], first maximum on ties
        out = np.full((batch, steps), -1.0)
        for b in range(batch):
            zero = np.flatnonzero(mask[:, b] == 0)
            length = int(zero[0]) if zero.size else steps
            dec = _decode(best[:, b], length, classes - 1, self._attrs["ctc_merge_repeated"])
            out[b, :len(dec)] = dec
        return out.reshape(batch, steps, 1, 1).astype(data.dtype)


class CTCGreedyDecoderSeqLen(Node):
    type_name = "CTCGreedyDecoderSeqLen"
    version = "opset6"
    attributes = {"merge_repeated": Attr.bool(True), "classes_index_type": Attr.type(Type.i32),
                  "sequence_length_type": Attr.type(Type.i32)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (2, 3),
                   "CTCGreedyDecoderSeqLen takes data, sequence_length and optionally "
                   "blank_index")
        a = self._attrs
        for key in ("classes_index_type", "sequence_length_type"):
            self.check(a[key] in (Type.i32, Type.i64),
                       f"The {key} attribute must be i32 or i64, got {a[key]}")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"The data input must be floating point, got {et.get_type_name()}")
        for i in range(1, len(self._inputs)):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t in (Type.i32, Type.i64),
                       f"The type of {'sequence_length' if i == 1 else 'blank_index'} input "
                       f"must be i32 or i64, got {t.get_type_name()}")
        data, lengths = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(data.rank.is_dynamic or len(data) == 3,
                   f"The rank of logits tensor must be equal to 3. Got: {data}")
        self.check(lengths.rank.is_dynamic or len(lengths) == 1,
                   f"The rank of sequence len tensor must be equal to 1. Got: {lengths}")
        if len(self._inputs) == 3:
            bps = self.get_input_partial_shape(2)
            self.check(bps.rank.is_dynamic or len(bps) == 0 or
                       (len(bps) == 1 and bps[0]._compatible(1)),
                       f"Expected 0D or 1D tensor for the 'blank_index' input. Got: {bps}")
        n = data[0] if data.rank.is_static else Dimension()
        t = data[1] if data.rank.is_static else Dimension()
        if lengths.rank.is_static:
            merged = n.merge(lengths[0])
            self.check(merged is not None,
                       f"The first dimensions of input tensors must match. Got: {data} and "
                       f"{lengths}")
            n = merged
        self.set_output_type(0, a["classes_index_type"], PartialShape([n, t]))
        self.set_output_type(1, a["sequence_length_type"], PartialShape([n]))

    def reference(self, data: np.ndarray, lengths: np.ndarray, *blank: np.ndarray) -> Any:
        batch, steps, classes = data.shape
        blank_index = int(np.asarray(blank[0]).reshape(-1)[0]) if blank else classes - 1
        lens = np.asarray(lengths).reshape(-1).astype(np.int64)
        if (lens < 0).any() or (lens > steps).any():
            raise RuntimeError(f"CTCGreedyDecoderSeqLen '{self.get_friendly_name()}': "
                               f"sequence_length {lens.tolist()} must be in [0, {steps}]")
        best = np.argmax(data, axis=2)
        out = np.full((batch, steps), -1, np.int64)
        out_len = np.zeros(batch, np.int64)
        for b in range(batch):
            dec = _decode(best[b], int(lens[b]), blank_index, self._attrs["merge_repeated"])
            out[b, :len(dec)] = dec
            out_len[b] = len(dec)
        a = self._attrs
        return (out.astype(a["classes_index_type"].evaluation_dtype),
                out_len.astype(a["sequence_length_type"].evaluation_dtype))


@factory("ctc_greedy_decoder", since=1)
def ctc_greedy_decoder(data: Any, sequence_mask: Any, merge_repeated: bool = True,
                       name: str | None = None) -> CTCGreedyDecoder:
    """Greedy CTC decoding of ``[T, N, C]`` logits."""
    return CTCGreedyDecoder(data, sequence_mask, ctc_merge_repeated=merge_repeated, name=name)


@factory("ctc_greedy_decoder_seq_len", since=6)
def ctc_greedy_decoder_seq_len(data: Any, sequence_length: Any, blank_index: Any = None,
                               merge_repeated: bool = True, classes_index_type: str = "i32",
                               sequence_length_type: str = "i32",
                               name: str | None = None) -> CTCGreedyDecoderSeqLen:
    """Greedy CTC decoding of ``[N, T, C]`` logits with per-sequence lengths."""
    inputs = [data, sequence_length] + ([] if blank_index is None else [blank_index])
    return CTCGreedyDecoderSeqLen(*inputs, merge_repeated=merge_repeated,
                                  classes_index_type=classes_index_type,
                                  sequence_length_type=sequence_length_type, name=name)
