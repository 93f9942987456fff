"""The opset6 ExperimentalDetectron ops, built through NodeFactory as with OpenVINO (no
opset factories): values of small cases, shapes and an IR round trip."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset6
from openvino.utils.node_factory import NodeFactory

from .node_eval import evaluate_in_model

F = NodeFactory("opset6")


def _make(name, shapes, attrs):
    params = [opset6.parameter(list(s)) for s in shapes]
    return F.create(name, [p.output(0) for p in params], attrs)


def test_no_opset_factories_as_in_openvino():
    assert not [n for n in dir(opset6) if n.startswith("experimental_detectron")]


def test_topk_rois_best_first_and_zero_rows():
    node = _make("ExperimentalDetectronTopKROIs", [(3, 4), (3,)], {"max_rois": 4})
    assert node.get_output_partial_shape(0) == ov.PartialShape([4, 4])
    rois = np.arange(12, dtype=np.float32).reshape(3, 4)
    out = evaluate_in_model(node, rois, np.array([0.2, 0.9, 0.5], np.float32))[0]
    np.testing.assert_array_equal(out, [rois[1], rois[2], rois[0], [0, 0, 0, 0]])


def test_prior_grid_generator_moves_priors_to_cell_centres():
    node = _make("ExperimentalDetectronPriorGridGenerator", [(1, 4), (1, 8, 2, 3), (1, 3, 20, 30)],
                 {"flatten": False, "h": 0, "w": 0, "stride_x": 0.0, "stride_y": 0.0})
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 3, 1, 4])
    prior = np.array([[-2, -1, 2, 1]], np.float32)
    out = evaluate_in_model(node, prior, np.zeros((1, 8, 2, 3), np.float32),
                            np.zeros((1, 3, 20, 30), np.float32))[0]
    np.testing.assert_allclose(out[1, 2, 0], [25 - 2, 15 - 1, 25 + 2, 15 + 1])


def test_roi_feature_extractor_picks_the_level_by_size():
    node = _make("ExperimentalDetectronROIFeatureExtractor",
                 [(2, 4), (1, 1, 8, 8), (1, 1, 8, 8)],
                 {"output_size": 1, "sampling_ratio": 1, "pyramid_scales": [4, 8],
                  "aligned": False})
    rois = np.array([[0, 0, 8, 8], [0, 0, 120, 120]], np.float32)  # levels 0 and 1
    level0 = np.full((1, 1, 8, 8), 1.0, np.float32)
    level1 = np.full((1, 1, 8, 8), 2.0, np.float32)
    feats, back = evaluate_in_model(node, rois, level0, level1)
    np.testing.assert_array_equal(feats.reshape(-1), [1.0, 2.0])
    np.testing.assert_array_equal(back, rois)


def test_generate_proposals_and_detection_output_shapes_and_order():
    node = _make("ExperimentalDetectronGenerateProposalsSingleImage",
                 [(3,), (2 * 2 * 2, 4), (2 * 4, 2, 2), (2, 2, 2)],
                 {"min_size": 0.0, "nms_threshold": 0.7, "post_nms_count": 5,
                  "pre_nms_count": 8})
    assert [o.get_partial_shape() for o in node.outputs()] == [ov.PartialShape([5, 4]),
                                                              ov.PartialShape([5])]
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 30, (8, 2))
    anchors = np.concatenate([xy, xy + 8], 1).astype(np.float32)
    scores = rng.permutation(8).reshape(2, 2, 2).astype(np.float32) / 8
    rois, sc = evaluate_in_model(node, np.array([40, 40, 1], np.float32), anchors,
                                 np.zeros((8, 2, 2), np.float32), scores)
    assert (np.diff(sc) <= 0).all() and sc[0] == np.float32(7 / 8)
    det = _make("ExperimentalDetectronDetectionOutput", [(4, 4), (4, 12), (4, 3), (1, 3)],
                {"score_threshold": 0.1, "nms_threshold": 0.5, "max_delta_log_wh": 4.0,
                 "num_classes": 3, "post_nms_count": 2, "max_detections_per_image": 3,
                 "class_agnostic_box_regression": False,
                 "deltas_weights": [1.0, 1.0, 1.0, 1.0]})
    assert det.get_output_element_type(1) == ov.Type.i32
    boxes = np.array([[0, 0, 9, 9], [20, 20, 29, 29], [0, 0, 9, 9], [40, 40, 49, 49]],
                     np.float32)
    cls_scores = np.array([[0, 0.9, 0.2], [0, 0.8, 0.7], [0, 0.95, 0.1], [0, 0.3, 0.6]],
                          np.float32)
    out_boxes, out_cls, out_sc = evaluate_in_model(
        det, boxes, np.zeros((4, 12), np.float32), cls_scores,
        np.array([[100, 100, 1]], np.float32))
    # class 1 keeps rois 2 and 1 (roi 0 duplicates roi 2), class 2 rois 1 and 3; the three
    # best of the four
    np.testing.assert_allclose(out_sc, [0.95, 0.8, 0.7], rtol=1e-6)
    np.testing.assert_array_equal(out_cls, [1, 1, 2])
    np.testing.assert_allclose(out_boxes[0], boxes[2])


def test_ir_round_trip(tmp_path):
    node = _make("ExperimentalDetectronTopKROIs", [(5, 4), (5,)], {"max_rois": 2})
    params = [node.input_value(i).get_node() for i in range(2)]
    ov.save_model(ov.Model(node.outputs(), params), tmp_path / "m.xml")
    back = ov.Core().read_model(tmp_path / "m.xml")
    op = [n for n in back.get_ordered_ops() if n.get_type_name().startswith("Experimental")][0]
    assert op.get_attributes() == {"max_rois": 2}
    assert op.get_type_info().version_id == "opset6"


def test_validation():
    with pytest.raises(RuntimeError, match="Number of rois and number of probabilities "
                                           "should be equal"):
        _make("ExperimentalDetectronTopKROIs", [(5, 4), (4,)], {"max_rois": 2})
