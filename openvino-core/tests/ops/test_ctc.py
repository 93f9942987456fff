"""CTC greedy decoders: blanks, merging of repeats, sequence ends and the -1 padding."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset4, opset6

from .node_eval import evaluate_in_model


def _onehot(classes, count):
    x = np.zeros((len(classes), count), np.float32)
    x[np.arange(len(classes)), classes] = 1
    return x


@pytest.mark.parametrize("merge,want", [(True, [0, 1, 0, -1, -1, -1]),
                                        (False, [0, 0, 1, 0, -1, -1])])
def test_ctc_greedy_decoder(merge, want):
    # classes per step: 0 0 1 2(blank) 0 | stop (mask 0) then 1
    steps = _onehot([0, 0, 1, 2, 0, 1], 3)[:, None, :]
    mask = np.array([[1], [1], [1], [1], [1], [0]], np.float32)
    node = opset1.ctc_greedy_decoder(opset1.parameter([6, 1, 3]), opset1.parameter([6, 1]),
                                     merge)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 6, 1, 1])
    out = evaluate_in_model(node, steps, mask)[0]
    np.testing.assert_array_equal(out.reshape(-1), want)


def test_ctc_greedy_decoder_seq_len_blank_and_lengths():
    data = np.stack([_onehot([1, 1, 0, 1, 2, 2], 3), _onehot([2, 0, 0, 1, 1, 1], 3)])
    node = opset6.ctc_greedy_decoder_seq_len(opset6.parameter([2, 6, 3]),
                                             opset6.parameter([2], np.int32), np.int32(0),
                                             True, "i64", "i32")
    assert [o.get_element_type() for o in node.outputs()] == [ov.Type.i64, ov.Type.i32]
    classes, lengths = evaluate_in_model(node, data, np.array([6, 4], np.int32))
    np.testing.assert_array_equal(classes, [[1, 1, 2, -1, -1, -1], [2, 1, -1, -1, -1, -1]])
    np.testing.assert_array_equal(lengths, [3, 2])
    default_blank = opset6.ctc_greedy_decoder_seq_len(opset6.parameter([2, 6, 3]),
                                                      opset6.parameter([2], np.int32))
    assert default_blank.get_input_size() == 2
    classes, lengths = evaluate_in_model(default_blank, data, np.array([6, 6], np.int32))
    np.testing.assert_array_equal(lengths, [3, 2])
    with pytest.raises(RuntimeError, match=r"must be in \[0, 6\]"):
        evaluate_in_model(default_blank, data, np.array([7, 1], np.int32))


def _brute_force_loss(logits, target, blank, merge):
    """-log of the summed probability of every path that decodes to ``target``."""
    import itertools

    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        if merge:
            decoded = [c for k, c in enumerate(path) if c != blank and
                       (k == 0 or c != path[k - 1])]
        else:  # repeats are not merged: every non-blank step is a label
            decoded = [c for c in path if c != blank]
        if decoded == target:
            total += np.prod([p[t, c] for t, c in enumerate(path)])
    return -np.log(total)


@pytest.mark.parametrize("merge", [True, False])
@pytest.mark.parametrize("target", [[0, 1], [1, 1], [0]])
def test_ctc_loss_against_every_alignment(merge, target):
    logits = np.random.default_rng(len(target)).normal(size=(1, 5, 3)).astype(np.float32)
    labels = np.zeros((1, 5), np.int32)
    labels[0, :len(target)] = target
    ps = [opset4.parameter([1, 5, 3]), opset4.parameter([1], np.int32),
          opset4.parameter([1, 5], np.int32), opset4.parameter([1], np.int32)]
    loss = opset4.ctc_loss(*ps, ctc_merge_repeated=merge)
    got = evaluate_in_model(loss, logits, np.array([5], np.int32), labels,
                            np.array([len(target)], np.int32))[0]
    np.testing.assert_allclose(got[0], _brute_force_loss(logits[0].astype(np.float64), target,
                                                         2, merge), rtol=1e-5)
