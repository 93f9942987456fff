"""The SSD / Faster R-CNN / YOLO detection ops: PriorBox, PriorBoxClustered,
DetectionOutput, Proposal, RegionYolo, ReorgYolo and ROIPooling. Expected arrays of the
small cases were read from the real OpenVINO's CPU plugin."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset1, opset2, opset4, opset8
from openvino.exceptions import UserInputError

from .node_eval import evaluate_in_model


def _const_eval(node):
    return evaluate_in_model(node)[0]


def test_prior_box_v8_matches_the_runtime():
    node = opset8.prior_box(opset1.constant(np.array([1, 2], np.int64)),
                            opset1.constant(np.array([10, 20], np.int64)),
                            {"offset": 0.5, "min_size": [4.0], "max_size": [9.0],
                             "aspect_ratio": [2.0], "flip": True,
                             "variance": [0.1, 0.2, 0.3, 0.4]})
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 32])
    want = np.array([
        [0.15, 0.3, 0.35, 0.7, 0.1, 0.2, 0.4, 0.8, 0.10857864, 0.35857865, 0.39142138,
         0.6414214, 0.17928933, 0.21715729, 0.3207107, 0.78284276, 0.65000004, 0.3, 0.85, 0.7,
         0.6, 0.2, 0.90000004, 0.8, 0.6085786, 0.35857865, 0.8914213, 0.6414214, 0.67928934,
         0.21715729, 0.82071066, 0.78284276],
        [0.1, 0.2, 0.3, 0.4] * 8], np.float32)
    np.testing.assert_allclose(_const_eval(node), want, rtol=0, atol=1e-7)


def test_prior_box_order_and_counts():
    ls = opset1.constant(np.array([2, 3], np.int64))
    img = opset1.constant(np.array([30, 40], np.int64))
    attrs = {"offset": 0.5, "min_size": [4.0, 8.0], "max_size": [6.0, 12.0],
             "aspect_ratio": [2.0, 3.0], "flip": True}
    first = opset8.prior_box(ls, img, attrs)
    # 5 aspect ratios (1, 2, 1/2, 3, 1/3) per min size, plus one box per max size
    assert first.get_output_partial_shape(0) == ov.PartialShape([2, 4 * 6 * (5 * 2 + 2)])
    other = opset8.prior_box(ls, img, {**attrs, "min_max_aspect_ratios_order": False})
    a, b = _const_eval(first)[0].reshape(6, 12, 4), _const_eval(other)[0].reshape(6, 12, 4)
    np.testing.assert_array_equal(a[:, 0], b[:, 0])          # the min_size box first
    np.testing.assert_array_equal(a[:, 1], b[:, 5])          # max box after 4 ratio boxes
    np.testing.assert_array_equal(a[:, 2:6], b[:, 1:5])
    assert (_const_eval(first)[1] == np.float32(0.1)).all()  # default variance


def test_prior_box_clustered_matches_the_runtime():
    node = opset1.prior_box_clustered(opset1.constant(np.array([2, 1], np.int64)),
                                      opset1.constant(np.array([8, 8], np.int64)),
                                      {"offset": 0.5, "width": [2.0, 6.0],
                                       "height": [4.0, 3.0], "clip": True})
    want = np.array([[0.375, 0.0, 0.625, 0.5, 0.125, 0.0625, 0.875, 0.4375, 0.375, 0.5,
                      0.625, 1.0, 0.125, 0.5625, 0.875, 0.9375], [0.1] * 16], np.float32)
    np.testing.assert_array_equal(_const_eval(node), want)


def test_prior_box_factories_check_attributes_as_openvino():
    ls = opset1.constant(np.array([2, 3], np.int64))
    img = opset1.constant(np.array([30, 40], np.int64))
    with pytest.raises(UserInputError, match='missing PriorBox operator required attribute '
                                             '"offset"'):
        opset1.prior_box(ls, img, {"min_size": [2.0]})
    with pytest.raises(UserInputError, match='"min_size" value must by of type'):
        opset1.prior_box(ls, img, {"offset": 0.5, "min_size": [2]})
    # OpenVINO documents "widths"/"heights" but its op reads "width"/"height"
    node = opset1.prior_box_clustered(ls, img, {"offset": 0.5, "widths": [2.0],
                                                "heights": [3.0]})
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 0])


def _ssd_inputs(seed, priors=6, classes=3, images=1):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.0, 0.6, (priors, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(0.1, 0.4, (priors, 2))], 1).reshape(1, 1, -1)
    prior = np.concatenate([boxes, np.full_like(boxes, 0.1)], 1).astype(np.float32)
    loc = rng.uniform(-0.2, 0.2, (images, priors * 4)).astype(np.float32)
    conf = rng.uniform(0, 1, (images, priors * classes)).astype(np.float32)
    return loc, conf, prior


def _detection(version, attrs, loc, conf, prior):
    ops = {1: opset1, 8: opset8}[version]
    ps = [ops.parameter(list(x.shape), np.float32) for x in (loc, conf, prior)]
    node = ops.detection_output(*ps, attrs)
    return node, evaluate_in_model(node, loc, conf, prior)[0]


@pytest.mark.parametrize("version", [1, 8])
def test_detection_output_corner_decoding_and_layout(version):
    # one prior, offsets added to its corners (variance 0.1), one foreground class
    prior = np.array([[[0.1, 0.2, 0.5, 0.6], [0.1, 0.1, 0.1, 0.1]]], np.float32)
    loc = np.array([[1.0, -1.0, 2.0, 0.5]], np.float32)
    conf = np.array([[0.3, 0.7]], np.float32)
    attrs = {"keep_top_k": [3], "nms_threshold": 0.5, "code_type":
             "caffe.PriorBoxParameter.CORNER", "normalized": True}
    if version == 1:
        attrs["num_classes"] = 2
    node, out = _detection(version, attrs, loc, conf, prior)
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 3, 7])
    np.testing.assert_allclose(out[0, 0], [[0, 1, 0.7, 0.2, 0.1, 0.7, 0.65],
                                           [-1, 0, 0, 0, 0, 0, 0], [0] * 7], atol=1e-6)


def test_detection_output_keeps_top_k_by_score_per_label_order():
    loc, conf, prior = _ssd_inputs(3, priors=8, classes=3)
    attrs = {"keep_top_k": [4], "nms_threshold": 0.9, "confidence_threshold": 0.0,
             "normalized": True, "background_label_id": 0}
    _, out = _detection(8, attrs, loc, conf, prior)
    rows = out[0, 0]
    scores = conf.reshape(8, 3)[:, 1:].reshape(-1)
    labels = rows[:, 1]
    assert (np.diff(labels) >= 0).all() and set(labels.tolist()) <= {1.0, 2.0}
    for label in (1, 2):
        s = rows[labels == label, 2]
        assert (np.diff(s) <= 0).all()
    # the 4 kept are the 4 best-scored foreground detections (no suppression at 0.9)
    np.testing.assert_allclose(np.sort(rows[:, 2]), np.sort(np.sort(scores)[-4:]), rtol=1e-6)


def test_detection_output_shape_rules_and_errors():
    p = opset8.parameter
    node = opset8.detection_output(p([2, 24]), p([2, 18]), p([1, 2, 24]),
                                   {"keep_top_k": [-1], "top_k": 5, "nms_threshold": 0.5,
                                    "normalized": True})
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 2 * 5 * 3, 7])
    node = opset8.detection_output(p([2, 24]), p([2, 18]), p([1, 2, 24]),
                                   {"keep_top_k": [-1], "nms_threshold": 0.5,
                                    "normalized": True})
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 2 * 6 * 3, 7])
    with pytest.raises(RuntimeError, match=r"Proposals' third dimension must be equal to "
                                           r"num_prior_boxes \* prior_box_size \(30\)"):
        opset1.detection_output(p([1, 24]), p([1, 18]), p([1, 2, 24]),
                                {"num_classes": 3, "keep_top_k": [5], "nms_threshold": 0.5})
    with pytest.raises(UserInputError, match='missing DetectionOutput operator required '
                                             'attribute "nms_threshold"'):
        opset8.detection_output(p([1, 24]), p([1, 18]), p([1, 2, 24]), {"keep_top_k": [5]})


def _proposal(version, attrs, seed=0, anchors=3, h=4, w=5):
    ops = {1: opset1, 4: opset4}[version]
    rng = np.random.default_rng(seed)
    n = 2 * anchors * h * w
    probs = (rng.permutation(n).reshape(1, 2 * anchors, h, w) / n).astype(np.float32)
    deltas = rng.uniform(-0.3, 0.3, (1, 4 * anchors, h, w)).astype(np.float32)
    info = np.array([40.0, 48.0, 1.0], np.float32)
    ps = [ops.parameter(list(x.shape), np.float32) for x in (probs, deltas, info)]
    node = ops.proposal(*ps, attrs)
    return node, evaluate_in_model(node, probs, deltas, info)


_PROPOSAL = {"base_size": np.uint32(8), "pre_nms_topn": np.uint32(60),
             "post_nms_topn": np.uint32(70), "nms_thresh": 0.5, "feat_stride": np.uint32(8),
             "min_size": np.uint32(2), "ratio": [0.5, 1.0, 2.0], "scale": [2.0]}


def test_proposal_rows_scores_and_end_marker():
    node, (rois, scores) = _proposal(4, _PROPOSAL)
    assert node.get_output_partial_shape(0) == ov.PartialShape([70, 5])
    assert node.get_output_partial_shape(1) == ov.PartialShape([70])
    end = int(np.argmax(rois[:, 0] == -1))
    assert 0 < end < 60
    assert (rois[:end, 0] == 0).all() and (rois[end + 1:] == 0).all()
    assert (np.diff(scores[:end]) <= 0).all() and (scores[end:] == 0).all()
    # clipped to the image before NMS (+1 pixel convention)
    assert rois[:end, 1:].min() >= 0 and rois[:end, [1, 3]].max() <= 47
    _, (rois1,) = _proposal(1, _PROPOSAL)
    np.testing.assert_array_equal(rois1, rois)


def test_proposal_attribute_types_as_openvino():
    with pytest.raises(UserInputError, match='"base_size" value must by of type'):
        _proposal(4, {**_PROPOSAL, "base_size": 8})


def test_region_yolo_v2_and_v3():
    x = np.random.default_rng(0).normal(0, 2, (1, 2 * (4 + 3 + 1), 2, 3)).astype(np.float32)
    p = opset1.parameter(list(x.shape))
    v2 = opset1.region_yolo(p, 4, 3, 2, True, [0], 1, 3)
    assert v2.get_output_partial_shape(0) == ov.PartialShape([1, 2 * 8 * 6])
    out = evaluate_in_model(v2, x)[0].reshape(1, 2, 8, 2, 3)
    r = x.reshape(1, 2, 8, 2, 3)
    sig = 1 / (1 + np.exp(-r))
    np.testing.assert_allclose(out[:, :, :2], sig[:, :, :2], rtol=1e-6)
    np.testing.assert_array_equal(out[:, :, 2:4], r[:, :, 2:4])
    np.testing.assert_allclose(out[:, :, 4], sig[:, :, 4], rtol=1e-6)
    np.testing.assert_allclose(out[:, :, 5:].sum(axis=2), 1, rtol=1e-6)
    v3 = opset1.region_yolo(p, 4, 3, 6, False, [1], 1, 3)
    assert v3.get_output_partial_shape(0) == ov.PartialShape([1, 8, 2, 3])
    out = evaluate_in_model(v3, x)[0]
    np.testing.assert_allclose(out[0, 4:], sig[0, 0, 4:], rtol=1e-6)


def test_reorg_yolo_matches_the_runtime():
    x = np.arange(2 * 8 * 2 * 2, dtype=np.float32).reshape(2, 8, 2, 2)
    node = opset2.reorg_yolo(opset2.parameter([2, 8, 2, 2]), [2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([2, 32, 1, 1])
    out = evaluate_in_model(node, x)[0].reshape(2, 8, -1)[0]
    want = [[0, 2, 8, 10], [16, 18, 24, 26], [1, 3, 9, 11], [17, 19, 25, 27],
            [4, 6, 12, 14], [20, 22, 28, 30], [5, 7, 13, 15], [21, 23, 29, 31]]
    np.testing.assert_array_equal(out, want)
    with pytest.raises(RuntimeError, match="H should be divisible by stride"):
        opset2.reorg_yolo(opset2.parameter([1, 8, 3, 4]), [2])


def test_roi_pooling_max_and_bilinear():
    fm = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    rois = np.array([[0, 0, 0, 3, 3], [0, 1, 1, 2, 2], [0, 2.6, 0, 1, 3]], np.float32)
    node = opset2.roi_pooling(opset2.parameter([1, 1, 4, 4]), opset2.parameter([3, 5]),
                              [2, 2], 1.0, "max")
    out = evaluate_in_model(node, fm, rois)[0]
    np.testing.assert_array_equal(out[0, 0], [[5, 7], [13, 15]])
    np.testing.assert_array_equal(out[1, 0], [[5, 6], [9, 10]])
    np.testing.assert_array_equal(out[2, 0], [[7, 7], [15, 15]])  # malformed: 1 cell wide
    node = opset2.roi_pooling(opset2.parameter([1, 1, 4, 4]), opset2.parameter([1, 5]),
                              [2, 2], 1.0, "bilinear")
    out = evaluate_in_model(node, fm, np.array([[0, 0, 0, 1, 0.5]], np.float32))[0]
    np.testing.assert_allclose(out[0, 0], [[0, 3], [6, 9]])
    with pytest.raises(RuntimeError, match=r"ROI batch id must be in the range of \[0, N-1\]"):
        evaluate_in_model(node, fm, np.array([[1, 0, 0, 1, 1]], np.float32))


def test_roi_pooling_factory_arguments():
    with pytest.raises(AttributeError, match="`output_roi`, `output_size`"):
        opset2.roi_pooling(opset2.parameter([1, 1, 4, 4]), opset2.parameter([1, 5]),
                           spatial_scale=1.0)
    with pytest.warns(DeprecationWarning, match="`output_size` is deprecated"):
        node = opset2.roi_pooling(opset2.parameter([1, 1, 4, 4]), opset2.parameter([1, 5]),
                                  spatial_scale=1.0, output_size=[3, 2])
    assert node.get_output_partial_shape(0) == ov.PartialShape([1, 1, 3, 2])


def test_ir_round_trip_of_the_family(tmp_path):
    image = opset8.parameter([1, 3, 16, 16], np.float32, name="image")
    hw = opset8.strided_slice(opset8.shape_of(image), np.array([2], np.int64),
                              np.array([4], np.int64), np.array([1], np.int64), [0], [0])
    pb = opset8.prior_box(hw, hw, {"offset": 0.5, "min_size": [4.0], "aspect_ratio": [2.0],
                                   "flip": True, "min_max_aspect_ratios_order": False})
    pbc = opset1.prior_box_clustered(hw, hw, {"offset": 0.5, "width": [3.0],
                                              "height": [2.0]})
    ry = opset1.region_yolo(image, 0, 0, 3, True, [0], 1, 3, [1.0, 2.0])
    model = ov.Model([pb, pbc, ry], [image])
    ov.save_model(model, tmp_path / "m.xml")
    back = ov.Core().read_model(tmp_path / "m.xml")
    x = np.random.default_rng(1).normal(size=(1, 3, 16, 16)).astype(np.float32)
    want = ov.Core().compile_model(model, "TEMPLATE")(x)
    got = ov.Core().compile_model(back, "TEMPLATE")(x)
    for i in range(3):
        np.testing.assert_array_equal(got[i], want[i])
    ops = {n.get_type_name(): n for n in back.get_ordered_ops()}
    assert ops["PriorBox"].get_attributes()["min_max_aspect_ratios_order"] is False
    assert ops["RegionYolo"].get_attributes()["anchors"] == [1.0, 2.0]


def _ssd(size: int) -> ov.Model:
    """A small SSD: one conv feature map, PriorBox over ShapeOf, DetectionOutput."""
    rng = np.random.default_rng(4)
    image = opset8.parameter([1, 3, size, size], np.float32, name="image")
    feat = opset8.relu(opset8.convolution(image, rng.normal(0, 0.3, (8, 3, 3, 3)).astype(
        np.float32), [4, 4], [1, 1], [1, 1], [1, 1]))

    def hw(x):
        return opset8.strided_slice(opset8.shape_of(x), np.array([2], np.int64),
                                    np.array([4], np.int64), np.array([1], np.int64), [0], [0])

    perm, flat = np.array([0, 2, 3, 1], np.int64), np.array([0, -1], np.int64)
    heads = []
    for ch, scale in ((4 * 4, 0.1), (4 * 3, 0.3)):
        conv = opset8.convolution(feat, rng.normal(0, scale, (ch, 8, 3, 3)).astype(np.float32),
                                  [1, 1], [1, 1], [1, 1], [1, 1])
        heads.append(opset8.reshape(opset8.transpose(conv, perm), flat, True))
    conf = opset8.reshape(opset8.softmax(opset8.reshape(heads[1], np.array([0, -1, 3]), True),
                                         2), flat, True)
    prior = opset8.unsqueeze(opset8.prior_box(hw(feat), hw(image), {
        "offset": 0.5, "min_size": [6.0], "max_size": [12.0], "aspect_ratio": [2.0],
        "flip": True, "clip": True, "variance": [0.1, 0.1, 0.2, 0.2]}), np.array([0]))
    det = opset8.detection_output(heads[0], conf, prior, {
        "keep_top_k": [20], "nms_threshold": 0.45, "top_k": 50, "confidence_threshold": 0.3,
        "code_type": "caffe.PriorBoxParameter.CENTER_SIZE", "normalized": True})
    return ov.Model([det], [image], "ssd")


@pytest.mark.parametrize("device", ["TEMPLATE", "CPU"])
def test_hello_reshape_ssd_flow(device):
    """OpenVINO's hello_reshape_ssd: reshape the SSD to the image, u8 NHWC input through the
    preprocessor, detections as [image, label, score, box] rows ended by -1."""
    model = _ssd(32)
    image = (np.random.default_rng(5).random((1, 48, 64, 3)) * 255).astype(np.uint8)
    model.reshape({model.input().get_any_name(): ov.PartialShape([1, 3, 48, 64])})
    # the priors follow the new size: 12 x 16 cells, 4 boxes each
    prior_box = [n for n in model.get_ordered_ops() if n.get_type_name() == "PriorBox"][0]
    assert prior_box.get_output_partial_shape(0) == ov.PartialShape([2, 4 * 12 * 16 * 4])
    ppp = ov.preprocess.PrePostProcessor(model)
    ppp.input().tensor().set_element_type(ov.Type.u8).set_layout(ov.Layout("NHWC"))
    ppp.input().preprocess().convert_element_type(ov.Type.f32).scale(255.0)
    ppp.input().model().set_layout(ov.Layout("NCHW"))
    compiled = ov.Core().compile_model(ppp.build(), device)
    dets = next(iter(compiled.infer_new_request({0: image}).values())).reshape(-1, 7)
    assert dets.shape == (20, 7)
    found = dets[: int(np.argmax(dets[:, 0] < 0)) if (dets[:, 0] < 0).any() else 20]
    assert len(found) > 0 and (found[:, 1] >= 1).all() and (found[:, 2] > 0.3).all()
    assert (found[:, 3:] >= -1).all()
