"""CTC: greedy decoding (CTCGreedyDecoder v0, CTCGreedyDecoderSeqLen v6) and the loss
(CTCLoss v4).

Each step takes its most likely class (the first one on ties); blanks are dropped and, with
``merge_repeated``, a class equal to the previous step's is dropped too (a blank between two
equal classes keeps both). CTCGreedyDecoder reads ``data`` ``[T, N, C]`` and a
``sequence_mask`` ``[T, N]`` (a sequence ends at its first 0), uses the last class as the
blank and returns ``[N, T, 1, 1]`` floats. CTCGreedyDecoderSeqLen reads ``data``
``[N, T, C]``, ``sequence_length`` ``[N]`` and an optional ``blank_index`` (default
``C - 1``) and returns the classes ``[N, T]`` and the decoded lengths ``[N]``. Unused
positions hold -1.

CTCLoss returns ``-log p(labels | logits)`` per sequence (``[N]``) over the softmax of
``logits`` ``[N, T, C]`` for ``logit_length`` steps and the first ``label_length`` of
``labels`` ``[N, T]`` (after ``unique`` keeps first occurrences, or
``preprocess_collapse_repeated`` merges runs). With ``ctc_merge_repeated`` a label may last
several steps (equal consecutive labels need a blank between them), otherwise each label
takes exactly one step. A sequence no alignment fits gives infinity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type

__all__ = ["CTCGreedyDecoder", "CTCGreedyDecoderSeqLen", "CTCLoss"]


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


def _log_add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.logaddexp(a, b)


def ctc_log_likelihood(logp: np.ndarray, target: list[int], blank: int, merge: bool) -> float:
    """log p(target) under per-step log probabilities ``logp`` ``[T, C]``."""
    steps = logp.shape[0]
    n = len(target)
    if not merge:  # each label exactly one step, blanks elsewhere
        alpha = np.full(n + 1, -np.inf)
        alpha[0] = 0.0
        for t in range(steps):
            stay = alpha + logp[t, blank]
            move = np.full(n + 1, -np.inf)
            if n:
                move[1:] = alpha[:-1] + logp[t, target]
            alpha = _log_add(stay, move)
        return float(alpha[n])
    ext = [blank]
    for c in target:
        ext += [c, blank]
    m = len(ext)
    ext_arr = np.array(ext)
    skip = np.zeros(m, bool)  # s may come from s - 2: a label different from the one before
    for k in range(3, m, 2):
        skip[k] = ext[k] != ext[k - 2]
    alpha = np.full(m, -np.inf)
    alpha[0] = logp[0, blank]
    if m > 1:
        alpha[1] = logp[0, ext[1]]
    for t in range(1, steps):
        prev = alpha
        a = prev.copy()
        a[1:] = _log_add(a[1:], prev[:-1])
        a[2:] = np.where(skip[2:], _log_add(a[2:], prev[:-2]), a[2:])
        alpha = a + logp[t, ext_arr]
    tail = alpha[m - 1] if m == 1 else _log_add(alpha[m - 1], alpha[m - 2])
    return float(tail)


class CTCLoss(Node):
    type_name = "CTCLoss"
    version = "opset4"
    attributes = {"preprocess_collapse_repeated": Attr.bool(False),
                  "ctc_merge_repeated": Attr.bool(True), "unique": Attr.bool(False)}

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in in (4, 5), "CTCLoss takes logits, logit_length, labels, label_length "
                                   "and optionally blank_index")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"The data type for logits is expected to be a floating point type. Got: "
                   f"{et.get_type_name()}")
        for i, name in ((1, "logit length"), (2, "labels"), (3, "label length"),
                        (4, "blank index")):
            if i < n_in:
                t = self.get_input_element_type(i)
                self.check(t.is_dynamic() or t in (Type.i32, Type.i64),
                           f"The {name} type is expected to be an integer type. Got: "
                           f"{t.get_type_name()}")
        logits, labels = self.get_input_partial_shape(0), self.get_input_partial_shape(2)
        self.check(logits.rank.is_dynamic or len(logits) == 3,
                   f"Expected a 3D tensor for logits. Got: {logits}")
        self.check(labels.rank.is_dynamic or len(labels) == 2,
                   f"Expected a 2D tensor for labels. Got: {labels}")
        for i, name in ((1, "logit length"), (3, "label length")):
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or len(ps) == 1,
                       f"Expected a 1D tensor for {name}. Got: {ps}")
        if logits.rank.is_static and labels.rank.is_static:
            self.check(labels[1]._compatible(logits[1]),
                       f"The second dimension of labels must be equal to the second dimension "
                       f"of logits. Got: {labels[1]} and: {logits[1]}")
        batch = Dimension()
        for i in range(4):
            ps = self.get_input_partial_shape(i)
            if ps.rank.is_static and len(ps) > 0:
                merged = batch.merge(ps[0])
                self.check(merged is not None,
                           f"The first dimension of the inputs must be the batch size. Got: "
                           f"{batch} and {ps[0]}")
                batch = merged
        self.set_output_type(0, et, PartialShape([batch]))

    def reference(self, logits: np.ndarray, logit_len: np.ndarray, labels: np.ndarray,
                  label_len: np.ndarray, *blank: np.ndarray) -> np.ndarray:
        a = self._attrs
        batch, steps, classes = logits.shape
        blank_index = int(np.asarray(blank[0]).reshape(-1)[0]) if blank else classes - 1
        x = logits.astype(np.float64)
        out = np.zeros(batch)
        for b in range(batch):
            t_len, l_len = int(logit_len[b]), int(label_len[b])
            if t_len > steps or l_len > steps or l_len > t_len or t_len < 0 or l_len < 0:
                raise RuntimeError(f"CTCLoss '{self.get_friendly_name()}': Logit or label "
                                   f"length cannot greater than max sequence length. Also a "
                                   f"label length cannot be greater than a logit length. "
                                   f"MaxSeqLen: {steps}; Logit len: {t_len}; Label len: "
                                   f"{l_len}")
            target = [int(v) for v in labels[b, :l_len]]
            if a["unique"]:
                seen: list[int] = []
                for v in target:
                    if v not in seen:
                        seen.append(v)
                target = seen
            elif a["preprocess_collapse_repeated"] and target:
                target = [v for k, v in enumerate(target) if k == 0 or v != target[k - 1]]
            z = x[b, :t_len]
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            if t_len == 0:
                out[b] = 0.0 if not target else np.inf
                continue
            out[b] = -ctc_log_likelihood(logp, target, blank_index, a["ctc_merge_repeated"])
        return out.astype(logits.dtype)


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


@factory("ctc_loss", since=4)
def ctc_loss(logits: Any, logit_length: Any, labels: Any, label_length: Any,
             blank_index: Any = None, preprocess_collapse_repeated: bool = False,
             ctc_merge_repeated: bool = True, unique: bool = False,
             name: str | None = None) -> CTCLoss:
    """The connectionist temporal classification loss of each sequence."""
    inputs = [logits, logit_length, labels, label_length] + ([] if blank_index is None
                                                            else [blank_index])
    return CTCLoss(*inputs, preprocess_collapse_repeated=preprocess_collapse_repeated,
                   ctc_merge_repeated=ctc_merge_repeated, unique=unique, name=name)
