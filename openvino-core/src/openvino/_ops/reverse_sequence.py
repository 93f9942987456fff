"""ReverseSequence (v1): reverse the first ``seq_lengths[b]`` elements along ``seq_axis`` of
each slice ``b`` along ``batch_axis``; the rest of each sequence stays in place.

``seq_lengths`` is a 1-D tensor of any numeric type (floating lengths are truncated); a
length outside ``[0, data.shape[seq_axis]]`` is an error at inference, as in the runtime.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._type import Type
from ._infer import normalize_axis

__all__ = ["ReverseSequence"]


class ReverseSequence(Node):
    type_name = "ReverseSequence"
    version = "opset1"
    attributes = {"batch_axis": Attr.int(0), "seq_axis": Attr.int(1)}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "ReverseSequence takes data and seq_lengths")
        lt = self.get_input_element_type(1)
        self.check(lt.is_dynamic() or (lt is not Type.boolean and lt is not Type.string),
                   f"Sequence lengths element type must be numeric type. Got: "
                   f"{lt.get_type_name()}")
        data, lengths = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(lengths.rank.is_dynamic or len(lengths) == 1,
                   f"Sequence lengths rank must be equal to 1. Got: {lengths}")
        if data.rank.is_static:
            rank = len(data)
            self.check(rank >= 2, f"Data input rank should be equal or greater than 2. Got: "
                                  f"{data}")
            batch = normalize_axis(self, self._attrs["batch_axis"], rank)
            normalize_axis(self, self._attrs["seq_axis"], rank)
            if lengths.rank.is_static:
                self.check(data[batch]._compatible(lengths[0]),
                           f"Sequence lengths input size ({lengths[0]}) is not equal to batch "
                           f"axis dimension of data input ({data[batch]}) (argument shape: "
                           f"{data}, sequence indices shape: {lengths}).")
        self.set_output_type(0, self.get_input_element_type(0), data)

    def reference(self, data: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        batch = normalize_axis(self, self._attrs["batch_axis"], data.ndim)
        seq = normalize_axis(self, self._attrs["seq_axis"], data.ndim)
        steps = data.shape[seq]
        lens = np.trunc(np.asarray(lengths, np.float64).reshape(-1)).astype(np.int64)
        if lens.size != data.shape[batch] or (lens < 0).any() or (lens > steps).any():
            raise RuntimeError(f"ReverseSequence '{self.get_friendly_name()}': Incorrect input "
                               f"'seq_lengths' values! Got {lens.tolist()} for {steps} steps "
                               f"and {data.shape[batch]} sequences")
        # the source index along seq_axis for each (batch, step)
        t = np.arange(steps)[None, :]
        n = lens[:, None]
        src = np.where(t < n, n - 1 - t, t)  # [batch, steps]
        shape = [1] * data.ndim
        shape[batch], shape[seq] = data.shape[batch], steps
        order = np.moveaxis(src.reshape(src.shape + (1,) * (data.ndim - 2)), [0, 1],
                            [batch, seq]) if batch < seq else \
            np.moveaxis(src.T.reshape(src.T.shape + (1,) * (data.ndim - 2)), [0, 1],
                        [seq, batch])
        return np.take_along_axis(data, np.broadcast_to(order, data.shape), axis=seq)


@factory("reverse_sequence", since=1)
def reverse_sequence(input: Any, seq_lengths: Any, batch_axis: Any, seq_axis: Any,
                     name: str | None = None) -> ReverseSequence:
    """Reverse variable-length sequences of ``input``."""
    return ReverseSequence(input, seq_lengths, batch_axis=int(batch_axis),
                           seq_axis=int(seq_axis), name=name)
