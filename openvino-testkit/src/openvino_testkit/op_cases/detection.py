"""Detection post-processing: DetectionOutput, Proposal, GenerateProposals, the NMS family
(NonMaxSuppression in every version, MatrixNms, MulticlassNms, NMSRotated), ROI top-k,
deformable PS-ROI pooling, CTC decoders and CTCLoss. Boxes are well-formed and scores
distinct, so the selected set is defined."""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov

from ._case import FLOAT_TYPES, Case, OpInfo, T, const, op_cases, param

_BOXES = np.array([[[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, -0.1, 1.0, 0.9],
                    [0.0, 10.0, 1.0, 11.0], [0.0, 10.1, 1.0, 11.1], [0.0, 100.0, 1.0, 101.0]]])
_SCORES = np.array([[[0.9, 0.75, 0.6, 0.95, 0.5, 0.3], [0.2, 0.85, 0.41, 0.1, 0.66, 0.37]]])


@op_cases("NonMaxSuppression", types=(T.f32, T.f16))
def _nms(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    v = info.number
    ins = [param([1, 6, 4], value=_BOXES), param([1, 2, 6], value=_SCORES),
           const(np.int64(3), T.i64), const(np.float32(0.5), T.f32),
           const(np.float32(0.2), T.f32)]

    def nms(encoding: str = "corner", descending: bool = True, sigma: bool = False) -> Any:
        if v < 3:
            return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, encoding,
                                                                 descending)
        if v < 5:
            return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, encoding,
                                                                 descending, "i32")
        if sigma:
            return lambda b, s, m, i, t, g: ops.non_max_suppression(b, s, m, i, t, g, encoding,
                                                                    descending, "i32")
        return lambda b, s, m, i, t: ops.non_max_suppression(b, s, m, i, t, None, encoding,
                                                             descending, "i64")

    cases = [Case("corner", ins, nms(), dynamic=False),
             Case("center_unsorted", ins, nms("center", False), dynamic=False)]
    if v >= 5:
        cases.append(Case("soft_nms", ins + [const(np.float32(0.5), T.f32)],
                          nms(sigma=True), dynamic=False))
    return cases


@op_cases("CTCGreedyDecoder", types=FLOAT_TYPES)
def _ctc_greedy(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    mask = np.array([[1, 1], [1, 1], [1, 0], [1, 0], [0, 0]], dtype=np.float64)
    return [Case(f"merge{int(m)}", [param([5, 2, 4]), param([5, 2], value=mask)],
                 lambda x, s, m=m: ops.ctc_greedy_decoder(x, s, m), dynamic=False)
            for m in (True, False)]


@op_cases("CTCGreedyDecoderSeqLen", types=FLOAT_TYPES)
def _ctc_greedy_seq_len(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("default_blank", [param([2, 6, 4]), param([2], T.i32, value=[6, 3])],
             lambda x, s: ops.ctc_greedy_decoder_seq_len(x, s)),
        Case("blank0_no_merge_i64", [param([2, 6, 4]), param([2], T.i64, value=[4, 6]),
                                     param([], T.i64, value=0)],
             lambda x, s, b: ops.ctc_greedy_decoder_seq_len(x, s, b, False, "i64", "i64")),
    ]


@op_cases("CTCLoss", types=FLOAT_TYPES)
def _ctc_loss(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    # labels are [batch, time] like the logits (OpenVINO checks the second dimensions match)
    labels = np.array([[1, 2, 2, 0, 0, 0], [3, 1, 0, 0, 0, 0]])
    return [
        Case("default", [param([2, 6, 5]), param([2], T.i32, value=[6, 5]),
                         param([2, 6], T.i32, value=labels), param([2], T.i32, value=[3, 2])],
             lambda x, xl, y, yl: ops.ctc_loss(x, xl, y, yl), dynamic=False),
        Case("blank0_unique", [param([2, 6, 5]), param([2], T.i64, value=[6, 6]),
                               param([2, 6], T.i64, value=labels + 1),
                               param([2], T.i64, value=[4, 2]), param([], T.i64, value=0)],
             lambda x, xl, y, yl, b: ops.ctc_loss(x, xl, y, yl, b, True, False, True),
             dynamic=False),
    ]


def _priors(count: int, seed: int) -> np.ndarray:
    """``count`` normalized corner boxes (x1 < x2, y1 < y2 inside [0, 1])."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.0, 0.6, (count, 2))
    wh = rng.uniform(0.1, 0.4, (count, 2))
    return np.concatenate([xy, xy + wh], axis=1)


@op_cases("DetectionOutput", types=(T.f32, T.f16))
def _detection_output(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    priors, classes = 6, 3
    boxes = _priors(priors, 1).reshape(1, 1, priors * 4)
    prior_input = np.concatenate([boxes, np.full_like(boxes, 0.1)], axis=1)
    rng = np.random.default_rng(2)
    scores = rng.permutation(priors * classes).reshape(1, priors * classes) / (priors * classes)
    attrs: dict[str, Any] = {"keep_top_k": [5], "nms_threshold": 0.5,
                             "background_label_id": 0, "top_k": 10,
                             "code_type": "caffe.PriorBoxParameter.CORNER",
                             "share_location": True, "confidence_threshold": 0.05,
                             "variance_encoded_in_target": False, "normalized": True}
    if info.number < 8:
        attrs["num_classes"] = classes
    return [Case("corner", [param([1, priors * 4], low=-0.2, high=0.2),
                            param([1, priors * classes], value=scores),
                            param([1, 2, priors * 4], value=prior_input)],
                 lambda b, c, p: ops.detection_output(b, c, p, attrs), dynamic=False)]


@op_cases("Proposal", types=(T.f32, T.f16))
def _proposal(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    anchors, height, width = 3, 4, 5
    rng = np.random.default_rng(3)
    probs = rng.permutation(2 * anchors * height * width).reshape(
        1, 2 * anchors, height, width) / (2 * anchors * height * width)
    u32 = np.uint32  # OpenVINO's factory wants unsigned integers here
    attrs = {"base_size": u32(8), "pre_nms_topn": u32(20), "post_nms_topn": u32(6),
             "nms_thresh": 0.6, "feat_stride": u32(8), "min_size": u32(2),
             "ratio": [0.5, 1.0, 2.0], "scale": [2.0],
             "clip_before_nms": True, "clip_after_nms": False, "normalize": False,
             "box_size_scale": 1.0, "box_coordinate_scale": 1.0, "framework": ""}
    return [Case("basic", [param([1, 2 * anchors, height, width], value=probs),
                           param([1, 4 * anchors, height, width], low=-0.3, high=0.3),
                           param([3], value=[32.0, 40.0, 1.0])],
                 lambda c, d, i: ops.proposal(c, d, i, attrs), dynamic=False)]


_NMS_BOXES = np.concatenate([_BOXES, _BOXES + [0.0, 0.5, 0.0, 0.5]], axis=0) / 101.0
_NMS_SCORES = np.concatenate([_SCORES, _SCORES[:, ::-1]], axis=0)


@op_cases("MatrixNms", types=(T.f32, T.f16))
def _matrix_nms(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    ins = [param([2, 6, 4], value=_NMS_BOXES), param([2, 2, 6], value=_NMS_SCORES)]
    return [
        Case("linear", ins, lambda b, s: ops.matrix_nms(b, s, "score", False, "i64", 0.1),
             dynamic=False),
        Case("gaussian_classid", ins, lambda b, s: ops.matrix_nms(
            b, s, "classid", True, "i32", 0.0, 4, 5, 0, "gaussian", 2.0, 0.05), dynamic=False),
    ]


@op_cases("MulticlassNms", types=(T.f32, T.f16))
def _multiclass_nms(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    ins = [param([2, 6, 4], value=_NMS_BOXES), param([2, 2, 6], value=_NMS_SCORES)]
    return [
        # keywords: v9 inserts roisnum after scores, v8 has no such argument
        Case("score_sorted", ins, lambda b, s: ops.multiclass_nms(
            b, s, sort_result_type="score", output_type="i64", iou_threshold=0.5,
            score_threshold=0.1), dynamic=False),
        Case("classid_across_batch", ins, lambda b, s: ops.multiclass_nms(
            b, s, sort_result_type="classid", sort_result_across_batch=True, output_type="i32",
            iou_threshold=0.3, score_threshold=0.0, nms_top_k=3, keep_top_k=4),
             dynamic=False),
    ]


@op_cases("NMSRotated", types=(T.f32, T.f16))
def _nms_rotated(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    boxes = np.array([[[5.0, 5.0, 4.0, 2.0, 0.0], [5.0, 5.2, 4.0, 2.0, 0.1],
                       [15.0, 5.0, 3.0, 3.0, 0.7], [15.0, 5.0, 3.0, 3.0, -0.7]]])
    scores = np.array([[[0.9, 0.8, 0.7, 0.6]]])
    return [Case(f"clockwise{int(cw)}",
                 [param([1, 4, 5], value=boxes), param([1, 1, 4], value=scores),
                  const(np.int64(4), T.i64), const(np.float32(0.3), T.f32),
                  const(np.float32(0.0), T.f32)],
                 lambda b, s, m, i, t, c=cw: ops.nms_rotated(b, s, m, i, t, True, "i64", c),
                 dynamic=False) for cw in (True, False)]


@op_cases("GenerateProposals", types=(T.f32, T.f16))
def _generate_proposals(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    height, width, anchors = 3, 4, 2
    grid = np.stack(np.meshgrid(np.arange(width) * 8.0, np.arange(height) * 8.0), axis=-1)
    base = np.concatenate([grid, grid + 6.0], axis=-1)[:, :, None, :]
    anchor_boxes = np.concatenate([base, base + [0.0, 0.0, 4.0, 2.0]], axis=2)
    rng = np.random.default_rng(4)
    scores = rng.permutation(anchors * height * width).reshape(1, anchors, height, width) / 24
    return [Case("basic", [param([1, 3], value=[[32.0, 40.0, 1.0]]),
                           param([height, width, anchors, 4], value=anchor_boxes),
                           param([1, anchors * 4, height, width], low=-0.2, high=0.2),
                           param([1, anchors, height, width], value=scores)],
                 lambda i, a, d, s: ops.generate_proposals(i, a, d, s, 1.0, 0.6, 12, 5),
                 dynamic=False)]


def _detectron(info: OpInfo, attrs: dict[str, Any]) -> Any:
    """The op built through ``NodeFactory`` (OpenVINO's opsets have no factory for the
    ExperimentalDetectron ops)."""
    from openvino.utils.node_factory import NodeFactory

    factory = NodeFactory(info.version)
    return lambda *xs: factory.create(info.type_name, [x.output(0) if hasattr(x, "output")
                                                       else x for x in xs], attrs)


@op_cases("ExperimentalDetectronTopKROIs", types=(T.f32, T.f16))
def _topk_rois(info: OpInfo, et: ov.Type) -> list[Case]:
    rois = _priors(8, 5) * 50
    probs = np.random.default_rng(6).permutation(8) / 8.0
    return [Case("top3", [param([8, 4], value=rois), param([8], value=probs)],
                 _detectron(info, {"max_rois": 3}), dynamic=False)]


@op_cases("ExperimentalDetectronPriorGridGenerator", types=(T.f32, T.f16))
def _prior_grid(info: OpInfo, et: ov.Type) -> list[Case]:
    priors = _priors(3, 7) * 16 - 8
    ins = [param([3, 4], value=priors), param([1, 8, 4, 5], low=0, high=0),
           param([1, 3, 64, 80], low=0, high=0)]
    return [Case("flatten", ins, _detectron(info, {"flatten": True, "h": 0, "w": 0,
                                                   "stride_x": 0.0, "stride_y": 0.0}),
                 dynamic=False),
            Case("strides", ins, _detectron(info, {"flatten": False, "h": 0, "w": 0,
                                                   "stride_x": 8.0, "stride_y": 12.0}),
                 dynamic=False)]


@op_cases("ExperimentalDetectronGenerateProposalsSingleImage", types=(T.f32, T.f16))
def _proposals_single_image(info: OpInfo, et: ov.Type) -> list[Case]:
    anchors, height, width = 3, 4, 5
    count = anchors * height * width
    scores = np.random.default_rng(8).permutation(count).reshape(anchors, height, width) / count
    return [Case("basic", [param([3], value=[40.0, 50.0, 1.0]),
                           param([count, 4], value=_priors(count, 9) * 50),
                           param([anchors * 4, height, width], low=-0.3, high=0.3),
                           param([anchors, height, width], value=scores)],
                 _detectron(info, {"min_size": 1.0, "nms_threshold": 0.7,
                                   "post_nms_count": 10, "pre_nms_count": 30}),
                 dynamic=False)]


@op_cases("ExperimentalDetectronROIFeatureExtractor", types=(T.f32, T.f16))
def _roi_feature_extractor(info: OpInfo, et: ov.Type) -> list[Case]:
    rois = np.concatenate([_priors(2, 10) * 60, _priors(2, 11) * 600])
    return [Case("two_levels", [param([4, 4], value=rois), param([1, 3, 16, 20]),
                                param([1, 3, 8, 10])],
                 _detectron(info, {"output_size": 2, "sampling_ratio": 2,
                                   "pyramid_scales": [4, 8], "aligned": False}),
                 dynamic=False)]


@op_cases("ExperimentalDetectronDetectionOutput", types=(T.f32, T.f16))
def _detectron_detection_output(info: OpInfo, et: ov.Type) -> list[Case]:
    rois, classes = 8, 3
    scores = np.random.default_rng(12).permutation(rois * classes).reshape(rois, classes) / 24
    return [Case("basic", [param([rois, 4], value=_priors(rois, 13) * 80),
                           param([rois, classes * 4], low=-0.5, high=0.5),
                           param([rois, classes], value=scores),
                           param([1, 3], value=[[100.0, 120.0, 1.0]])],
                 _detectron(info, {"score_threshold": 0.05, "nms_threshold": 0.5,
                                   "max_delta_log_wh": 4.135, "num_classes": classes,
                                   "post_nms_count": 4, "max_detections_per_image": 6,
                                   "class_agnostic_box_regression": False,
                                   "deltas_weights": [10.0, 10.0, 5.0, 5.0]}),
                 dynamic=False)]


@op_cases("DeformablePSROIPooling", types=(T.f32, T.f16))
def _deformable_psroi(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    rois = np.array([[0.0, 1.0, 1.0, 10.0, 12.0], [0.0, 3.0, 2.0, 14.0, 9.0]])
    return [
        Case("no_offsets", [param([1, 8, 6, 6]), param([2, 5], value=rois)],
             lambda x, r: ops.deformable_psroi_pooling(x, r, 2, 0.5, 2, "bilinear_deformable",
                                                       2, 2), dynamic=False),
        Case("offsets", [param([1, 8, 6, 6]), param([2, 5], value=rois),
                         param([2, 2, 2, 2], low=-0.5, high=0.5)],
             lambda x, r, o: ops.deformable_psroi_pooling(x, r, 2, 0.5, 2, "bilinear_deformable",
                                                          2, 2, 0.1, 2, o), dynamic=False),
    ]
