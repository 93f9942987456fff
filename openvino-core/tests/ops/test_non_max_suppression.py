"""NonMaxSuppression v1/v3/v4/v5/v9: selection, soft suppression, ordering, shapes and
errors. Expected selections and scores were read from the real OpenVINO's CPU plugin on the
same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset3, opset4, opset5, opset9

from .node_eval import evaluate_in_model

OPSETS = {1: opset1, 3: opset3, 4: opset4, 5: opset5, 9: opset9}

# IoU(box0, box1) = 0.5, IoU(box0, box2) = 0.25, IoU(box1, box2) = 0.5
STRIPS = np.array([[[0, 0, 1, 1], [0, 0, 1, 0.5], [0, 0, 1, 0.25]]], np.float32)
STRIP_SCORES = np.array([[[0.9, 0.8, 0.7]]], np.float32)


def _nms(version, boxes, scores, *args, **kwargs):
    ops = OPSETS[version]
    b = ops.parameter(list(boxes.shape), ov.Type.f32)
    s = ops.parameter(list(scores.shape), ov.Type.f32)
    node = ops.non_max_suppression(b, s, *args, **kwargs)
    return node, evaluate_in_model(node, boxes, scores)


@pytest.mark.parametrize("version", [1, 3, 4, 5, 9])
def test_iou_equal_to_threshold_suppresses(version):
    _, out = _nms(version, STRIPS, STRIP_SCORES, np.int64(5), np.float32(0.5))
    np.testing.assert_array_equal(out[0], [[0, 0, 0], [0, 0, 2]])


@pytest.mark.parametrize("version", [5, 9])
def test_soft_nms_decays_scores_whatever_the_iou_threshold(version):
    for iou in (0.5, 0.3):
        _, out = _nms(version, STRIPS, STRIP_SCORES, np.int64(5), np.float32(iou),
                      np.float32(0.0), np.float32(0.5))
        np.testing.assert_array_equal(out[0], [[0, 0, 0], [0, 0, 2], [0, 0, 1]])
        np.testing.assert_allclose(out[1][:, 2], [0.9, 0.6575891, 0.4852245], rtol=1e-6)
        assert out[2].tolist() == [3]


def _random(batches, classes, boxes, seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1, (batches, boxes, 2))
    wh = rng.uniform(0.2, 0.6, (batches, boxes, 2))
    return (np.concatenate([xy, xy + wh], -1).astype(np.float32),
            rng.uniform(0, 1, (batches, classes, boxes)).astype(np.float32))


def test_sorted_across_batches_and_classes_or_grouped():
    boxes, scores = _random(2, 3, 7, 0)
    _, out = _nms(9, boxes, scores, np.int64(3), np.float32(0.3), np.float32(0.2))
    sel, sc = out[0], out[1]
    assert (np.diff(sc[:, 2]) <= 0).all()
    assert {tuple(r) for r in sel[:, :2]} == {(b, c) for b in range(2) for c in range(3)}
    _, grouped = _nms(9, boxes, scores, np.int64(3), np.float32(0.3), np.float32(0.2),
                      sort_result_descending=False)
    assert sorted(map(tuple, grouped[0])) == sorted(map(tuple, sel))
    keys = [tuple(r[:2]) for r in grouped[0]]
    assert keys == sorted(keys)
    # the selection of the first batch and class, read from the real runtime
    assert [r[2] for r in grouped[0] if r[0] == 0 and r[1] == 0] == [1, 0, 4]


def test_score_threshold_is_exclusive_and_max_boxes_caps_each_class():
    boxes = np.array([[[0, 0, 1, 1], [0, 2, 1, 3], [0, 4, 1, 5]]], np.float32)
    scores = np.array([[[0.5, 0.2, 0.7], [0.1, 0.2, 0.3]]], np.float32)
    _, out = _nms(9, boxes, scores, np.int64(1), np.float32(0.5), np.float32(0.2))
    np.testing.assert_array_equal(out[0], [[0, 0, 2], [0, 1, 2]])
    _, out = _nms(9, boxes, scores, np.int64(0), np.float32(0.5), np.float32(0.0))
    assert out[0].shape == (0, 3) and out[2].tolist() == [0]


def test_center_encoding_and_flipped_corners_select_the_same():
    boxes, scores = _random(1, 2, 9, 3)
    y1, x1, y2, x2 = np.moveaxis(boxes, -1, 0)
    center = np.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], -1)
    flipped = boxes[..., [2, 3, 0, 1]]
    args = (np.int64(4), np.float32(0.4), np.float32(0.0))
    _, want = _nms(5, boxes, scores, *args)
    _, got = _nms(5, center.astype(np.float32), scores, *args, box_encoding="center")
    _, got2 = _nms(5, flipped, scores, *args)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got2[0], want[0])


@pytest.mark.parametrize("version,outputs", [(1, 1), (3, 1), (4, 1), (5, 3), (9, 3)])
def test_output_types_and_bounded_shapes(version, outputs):
    ops = OPSETS[version]
    node = ops.non_max_suppression(ops.parameter([2, 7, 4]), ops.parameter([2, 3, 7]),
                                   np.int64(3))
    assert len(node.outputs()) == outputs
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 18), 3])
    assert node.get_output_element_type(0) == ov.Type.i64
    if outputs == 3:
        assert node.get_output_element_type(1) == ov.Type.f32
        assert node.get_output_partial_shape(2) == ov.PartialShape([1])
    if version >= 3:
        node = ops.non_max_suppression(ops.parameter([2, 7, 4]), ops.parameter([2, 3, 7]),
                                       np.int64(3), output_type="i32")
        assert node.get_output_element_type(0) == ov.Type.i32
    dyn = ops.non_max_suppression(ops.parameter([-1, 7, 4]), ops.parameter([-1, 3, 7]))
    assert dyn.get_output_partial_shape(0) == ov.PartialShape([-1, 3])


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_huge_max_output_boxes_allocates_by_the_candidates(device):
    boxes, scores = _random(1, 2, 50, 4)
    node, out = _nms(9, boxes, scores, np.int64(2**62), np.float32(0.5), np.float32(0.0))
    assert node.get_output_partial_shape(0) == ov.PartialShape([ov.Dimension(0, 100), 3])
    assert 0 < out[0].shape[0] <= 100
    compiled = ov.Core().compile_model(ov.Model(node.outputs(), [
        n.input_value(i).get_node() for n in [node] for i in range(2)]), device)
    res = compiled([boxes, scores])
    np.testing.assert_array_equal(res[0], out[0])


def test_many_boxes_run_in_reasonable_time():
    boxes, scores = _random(1, 1, 5000, 5)
    _, out = _nms(9, boxes, scores, np.int64(5000), np.float32(0.7), np.float32(0.0))
    sel = out[0][:, 2]
    assert len(set(sel.tolist())) == len(sel)


@pytest.mark.parametrize("boxes,scores,kwargs,message", [
    ([6, 4], [1, 2, 6], {}, "Expected a 3D tensor for the 'boxes' input"),
    ([1, 6, 4], [2, 6], {}, "Expected a 3D tensor for the 'scores' input"),
    ([1, 6, 3], [1, 2, 6], {}, "The last dimension of the 'boxes' input must be equal to 4"),
    ([1, 6, 4], [2, 2, 6], {}, "The first dimension of both 'boxes' and 'scores' must match"),
    ([1, 6, 4], [1, 2, 5], {}, "'boxes' and 'scores' input shapes must match"),
    ([1, 6, 4], [1, 2, 6], {"box_encoding": "foo"}, '"foo" is not a member of enum'),
    ([1, 6, 4], [1, 2, 6], {"output_type": "f32"}, "Output type must be i32 or i64"),
])
def test_bad_input_errors(boxes, scores, kwargs, message):
    with pytest.raises(RuntimeError, match=message.replace("(", r"\(")):
        opset9.non_max_suppression(opset9.parameter(boxes), opset9.parameter(scores), **kwargs)


def test_non_float_boxes_rejected():
    with pytest.raises(RuntimeError, match="Expected bf16, fp16 or fp32 as element type for "
                                           "the 'boxes' input"):
        opset9.non_max_suppression(opset9.parameter([1, 6, 4], np.int32),
                                   opset9.parameter([1, 2, 6]))
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor for the "
                                           "'max_output_boxes_per_class' input"):
        opset9.non_max_suppression(opset9.parameter([1, 6, 4]), opset9.parameter([1, 2, 6]),
                                   np.array([1, 2]))


@pytest.mark.parametrize("version", [1, 3, 4, 5, 9])
def test_ir_round_trip(tmp_path, version):
    boxes, scores = _random(2, 2, 6, 6)
    node, want = _nms(version, boxes, scores, np.int64(2), np.float32(0.4), np.float32(0.1))
    params = [node.input_value(i).get_node() for i in range(2)]
    ov.save_model(ov.Model(node.outputs(), params), tmp_path / "nms.xml")
    model = ov.Core().read_model(tmp_path / "nms.xml")
    op = [n for n in model.get_ordered_ops() if n.get_type_name() == "NonMaxSuppression"][0]
    assert op.get_type_info().version_id == f"opset{version}"
    got = ov.Core().compile_model(model, "TEMPLATE")([boxes, scores])
    for i in range(len(want)):
        np.testing.assert_array_equal(got[i], want[i])
