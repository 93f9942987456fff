"""ReverseSequence: per-sequence reversal along seq_axis, lengths as the real runtime reads
them (floats truncated, 0 and 1 leave a sequence as it is, out-of-range lengths fail)."""

from __future__ import annotations

import numpy as np
import pytest

from openvino import opset1

from .node_eval import evaluate_in_model

X = np.arange(24, dtype=np.float32).reshape(2, 4, 3)


@pytest.mark.parametrize("lengths,dtype,want", [
    ([3, 0], np.int32, [[6, 3, 0, 9], [12, 15, 18, 21]]),
    ([4, 1], np.int64, [[9, 6, 3, 0], [12, 15, 18, 21]]),
    ([2.7, 1.2], np.float32, [[3, 0, 6, 9], [12, 15, 18, 21]]),
])
def test_lengths_as_the_runtime_reads_them(lengths, dtype, want):
    node = opset1.reverse_sequence(opset1.parameter([2, 4, 3]), opset1.parameter([2], dtype),
                                   0, 1)
    out = evaluate_in_model(node, X, np.array(lengths, dtype))[0]
    np.testing.assert_array_equal(out[:, :, 0], want)


def test_batch_axis_after_seq_axis_and_negative_axes():
    x = np.random.default_rng(0).normal(size=(5, 3, 2)).astype(np.float32)
    node = opset1.reverse_sequence(opset1.parameter([5, 3, 2]), opset1.parameter([3], np.int64),
                                   -2, -3)
    out = evaluate_in_model(node, x, np.array([5, 2, 0]))[0]
    np.testing.assert_array_equal(out[:, 0], x[::-1, 0])
    np.testing.assert_array_equal(out[:2, 1], x[1::-1, 1])
    np.testing.assert_array_equal(out[2:, 1], x[2:, 1])
    np.testing.assert_array_equal(out[:, 2], x[:, 2])


@pytest.mark.parametrize("lengths", [[5, 1], [-1, 2]])
def test_lengths_out_of_range_fail(lengths):
    node = opset1.reverse_sequence(opset1.parameter([2, 4, 3]), opset1.parameter([2], np.int32),
                                   0, 1)
    with pytest.raises(RuntimeError, match="Incorrect input 'seq_lengths' values"):
        evaluate_in_model(node, X, np.array(lengths, np.int32))


@pytest.mark.parametrize("lengths,dtype,axes,message", [
    ([3], np.int32, (0, 1), r"Sequence lengths input size \(3\) is not equal to batch axis "
                            r"dimension of data input \(2\)"),
    ([2, 1], np.int32, (0, 1), "Sequence lengths rank must be equal to 1"),
    ([2], np.int32, (0, 3), r"Axis 3 out of the tensor rank range \[-3, 2\]"),
    ([2], np.bool_, (0, 1), "Sequence lengths element type must be numeric type. Got: boolean"),
])
def test_validation_messages(lengths, dtype, axes, message):
    with pytest.raises(RuntimeError, match=message):
        opset1.reverse_sequence(opset1.parameter([2, 4, 3]), opset1.parameter(lengths, dtype),
                                *axes)
