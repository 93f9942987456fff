"""Models built with the opset API for the interop check. The same code runs under our
``openvino`` and under the real one (each side imports whichever ``openvino`` its venv
has), so it also checks that the graph-building API matches.

Each recipe returns ``(model, runs, stateful)``: ``runs`` is a list of input lists, one
per inference; a stateful model keeps its variables across them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import openvino as ov
import openvino.opset15 as ops

Recipe = Callable[[], tuple[ov.Model, list[list[np.ndarray]], bool]]


def _rand(*shape: int, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    return (np.random.RandomState(seed).randn(*shape) * scale).astype(np.float32)


def seed_add() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    a = ops.parameter([8], np.float32, name="a")
    b = ops.parameter([8], np.float32, name="b")
    return ov.Model([ops.add(a, b)], [a, b], "seed_add"), [[_rand(8, seed=1), _rand(8, seed=2)]], \
        False


def small_convnet() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([1, 3, 16, 16], np.float32, name="image")
    conv = ops.convolution(x, ops.constant(_rand(8, 3, 3, 3, seed=3, scale=0.3)), [1, 1],
                           [1, 1], [1, 1], [1, 1])
    act = ops.relu(ops.add(conv, ops.constant(_rand(1, 8, 1, 1, seed=4, scale=0.1))))
    pool = ops.max_pool(act, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2])
    flat = ops.reshape(pool.output(0), ops.constant(np.array([1, -1], np.int64)), False)
    logits = ops.add(ops.matmul(flat, ops.constant(_rand(512, 10, seed=5, scale=0.05)),
                                False, False), ops.constant(_rand(10, seed=6, scale=0.1)))
    logits.output(0).set_names({"logits"})
    probs = ops.softmax(logits, 1)
    probs.output(0).set_names({"probs"})
    model = ov.Model([logits, probs], [x], "opset_convnet")
    return model, [[_rand(1, 3, 16, 16, seed=7)]], False


def int_and_bool() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([2, 5], np.float32, name="x")
    x.set_layout(ov.Layout("NC"))
    idx = ops.parameter([3], np.int64, name="idx")
    picked = ops.gather(x, idx, ops.constant(np.array(1, np.int64)))
    mask = ops.greater(picked, ops.constant(np.array(0.0, np.float32)))
    mask.output(0).set_names({"mask,positive"})
    chosen = ops.select(mask, picked, ops.negative(picked))
    shape = ops.concat([ops.shape_of(chosen), ops.constant(np.array([7], np.int64))], 0)
    model = ov.Model([mask, chosen, shape], [x, idx], "int_and_bool")
    model.set_rt_info("0.5", ["interop", "threshold"])
    model.set_rt_info(True, ["interop", "enabled"])
    return model, [[_rand(2, 5, seed=8), np.array([4, 0, -2], np.int64)]], False


def strings() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    text = ops.parameter([4], ov.Type.string, name="text")
    parts = ops.string_tensor_unpack(text)
    lengths = ops.subtract(parts.output(1), parts.output(0))
    packed = ops.string_tensor_pack(parts.output(0), parts.output(1), parts.output(2))
    suffix = ops.constant(ov.Tensor(np.array(["é,", "", "tail"])))
    joined = ops.concat([packed, suffix], 0)
    model = ov.Model([joined, lengths], [text], "strings")
    return model, [[np.array(["", "abc", "héllo", "x,y"])]], False


def stateful() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([1, 4], np.float32, name="x")
    init = ops.constant(np.zeros((1, 4), np.float32))
    read = ops.read_value(init, "acc", np.float32, [1, 4])
    total = ops.add(read, x)
    total.output(0).set_names({"total"})
    write = ops.assign(total, "acc")
    model = ov.Model(results=[ops.result(total)], sinks=[write], parameters=[x],
                     name="stateful")
    runs = [[_rand(1, 4, seed=s)] for s in (10, 11, 12)]
    return model, runs, True


def low_bit_weights() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([3, 16], np.float32, name="x")
    codes = np.random.RandomState(13).randint(0, 16, (8, 16))
    w = ops.convert(ops.constant(codes.astype(np.float32), dtype=ov.Type.u4), np.float32)
    zero = ops.convert(ops.constant(np.full((8, 1), 8.0, np.float32), dtype=ov.Type.u4),
                       np.float32)
    scale = ops.constant(np.full((8, 1), 0.125, np.float32))
    weights = ops.multiply(ops.subtract(w, zero), scale)
    signed = ops.convert(ops.constant(np.random.RandomState(14).randint(-8, 8, (8,))
                                      .astype(np.float32), dtype=ov.Type.i4), np.float32)
    y = ops.add(ops.matmul(x, weights, False, True), signed)
    return ov.Model([y], [x], "low_bit"), [[_rand(3, 16, seed=15)]], False


def dynamic_batch() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([-1, 6], np.float32, name="x")
    h = ops.tanh(ops.matmul(x, ops.constant(_rand(6, 4, seed=16)), False, False))
    model = ov.Model([h, ops.shape_of(h)], [x], "dynamic_batch")
    return model, [[_rand(2, 6, seed=17)], [_rand(5, 6, seed=18)]], False


def if_branches() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    cond = ops.parameter([], np.bool_, name="cond")
    x = ops.parameter([2, 3], np.float32, name="x")
    xt = ops.parameter([2, 3], np.float32, name="x_then")
    then_a = ops.multiply(ops.relu(xt), ops.constant(np.float32(2.0)))
    then_b = ops.reduce_sum(xt, ops.constant(np.array([1], np.int64)), True)
    then_body = ov.Model([ops.result(then_a), ops.result(then_b)], [xt], "then")
    xe = ops.parameter([2, 3], np.float32, name="x_else")
    else_a = ops.subtract(xe, ops.constant(_rand(2, 3, seed=20)))
    else_body = ov.Model([ops.result(else_a), ops.result(ops.exp(xe))], [xe], "else")
    node = ops.if_op(cond)
    node.set_then_body(then_body)
    node.set_else_body(else_body)
    node.set_input(x.output(0), xt, xe)
    a = node.set_output(then_body.get_results()[0], else_body.get_results()[0])
    b = node.set_output(then_body.get_results()[1], else_body.get_results()[1])
    model = ov.Model([a, b], [cond, x], "if_branches")
    runs = [[np.array(flag), _rand(2, 3, seed=21)] for flag in (True, False)]
    return model, runs, False


def loop_dynamic_trip() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """A Loop whose trip count is a model input and whose body may stop it earlier."""
    x = ops.parameter([2, 3], np.float32, name="x")
    trips = ops.parameter([], np.int64, name="trips")
    it = ops.parameter([], np.int64, name="it")
    xb = ops.parameter([2, 3], np.float32, name="xb")
    acc = ops.parameter([2, 3], np.float32, name="acc")
    total = ops.add(ops.multiply(acc, ops.constant(np.float32(0.5))),
                    ops.multiply(xb, ops.convert(it, np.float32)))
    go_on = ops.less(it, ops.constant(np.int64(3)))
    body = ov.Model([ops.result(total), ops.result(go_on), ops.result(ops.unsqueeze(total, [0]))],
                    [it, xb, acc], "body")
    loop = ops.loop(trips, ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([0, 1])
    loop.set_invariant_input(xb, x.output(0))
    loop.set_merged_input(acc, ops.constant(np.ones((2, 3), np.float32)).output(0),
                          body.get_results()[0].output(0))
    last = loop.get_iter_value(body.get_results()[0].output(0), -1)
    history = loop.get_concatenated_slices(body.get_results()[2].output(0), 0, 1, 1, -1, 0)
    model = ov.Model([last, history], [x, trips], "loop_dynamic_trip")
    runs = [[_rand(2, 3, seed=22), np.array(n, np.int64)] for n in (2, 7)]
    return model, runs, False


def tensor_iterator_cell() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """A recurrent cell over a sequence read backwards (stride -1)."""
    seq = ops.parameter([5, 1, 4], np.float32, name="seq")
    h0 = ops.parameter([1, 3], np.float32, name="h0")
    xt = ops.parameter([1, 1, 4], np.float32, name="xt")
    h = ops.parameter([1, 3], np.float32, name="h")
    pre = ops.add(ops.matmul(ops.squeeze(xt, ops.constant(np.array([0], np.int64))),
                             ops.constant(_rand(4, 3, seed=23)), False, False),
                  ops.matmul(h, ops.constant(_rand(3, 3, seed=24, scale=0.5)), False, False))
    h_new = ops.tanh(pre)
    body = ov.Model([ops.result(h_new), ops.result(ops.unsqueeze(h_new, [0]))], [xt, h], "cell")
    ti = ops.tensor_iterator()
    ti.set_body(body)
    ti.set_sliced_input(xt, seq.output(0), -1, -1, 1, 0, 0)
    ti.set_merged_input(h, h0.output(0), body.get_results()[0].output(0))
    last = ti.get_iter_value(body.get_results()[0].output(0), -1)
    states = ti.get_concatenated_slices(body.get_results()[1].output(0), -1, -1, 1, 0, 0)
    model = ov.Model([last, states], [seq, h0], "tensor_iterator_cell")
    return model, [[_rand(5, 1, 4, seed=25), _rand(1, 3, seed=26)]], False


def loop_body_state() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """A Loop whose body reads and writes a variable: each iteration sees the last one's
    value, and the value stays for the next inference."""
    x = ops.parameter([1, 4], np.float32, name="x")
    xb = ops.parameter([1, 4], np.float32, name="xb")
    read = ops.read_value(ops.constant(np.zeros((1, 4), np.float32)), "body_acc", np.float32,
                          [1, 4])
    total = ops.add(read, xb)
    write = ops.assign(total, "body_acc")
    body = ov.Model(results=[ops.result(total), ops.result(ops.constant(np.array(True)))],
                    sinks=[write], parameters=[xb], name="body")
    loop = ops.loop(ops.constant(np.int64(3)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([-1, 1])
    loop.set_invariant_input(xb, x.output(0))
    out = loop.get_iter_value(body.get_results()[0].output(0), -1)
    model = ov.Model([out], [x], "loop_body_state")
    return model, [[_rand(1, 4, seed=s)] for s in (27, 28)], True


def ssd_detection() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """An SSD head as OpenVINO's ``hello_reshape_ssd`` sample runs it: PriorBox over the
    feature maps' and image's ShapeOf, softmax scores and DetectionOutput (the scores are an
    output too: without it the real CPU plugin computes them in a way that reorders
    near-equal detections)."""
    image = ops.parameter([1, 3, 64, 64], np.float32, name="image")

    def conv(x: ov.Output, cin: int, cout: int, stride: int, seed: int) -> ov.Node:
        c = ops.convolution(x, ops.constant(_rand(cout, cin, 3, 3, seed=seed, scale=0.2)),
                            [stride, stride], [1, 1], [1, 1], [1, 1])
        return ops.relu(ops.add(c, ops.constant(_rand(1, cout, 1, 1, seed=seed + 1,
                                                      scale=0.05))))

    def hw(x: ov.Node) -> ov.Node:
        return ops.strided_slice(ops.shape_of(x), np.array([2], np.int64),
                                 np.array([4], np.int64), np.array([1], np.int64), [0], [0])

    f1 = conv(conv(image, 3, 8, 2, 31), 8, 16, 2, 33)
    f2 = conv(f1, 16, 16, 2, 35)
    heads = [(f1, 4, {"min_size": [8.0], "max_size": [16.0], "aspect_ratio": [2.0],
                      "flip": True, "offset": 0.5, "variance": [0.1, 0.1, 0.2, 0.2],
                      "step": 4.0}),
             (f2, 6, {"min_size": [20.0], "max_size": [40.0], "aspect_ratio": [2.0, 3.0],
                      "flip": True, "clip": True, "offset": 0.5,
                      "variance": [0.1, 0.1, 0.2, 0.2]})]
    perm = ops.constant(np.array([0, 2, 3, 1], np.int64))
    flat = ops.constant(np.array([0, -1], np.int64))
    locs, confs, priors = [], [], []
    for k, (f, n, attrs) in enumerate(heads):
        for out, per, scale in ((locs, 4, 0.1), (confs, 4, 0.15)):
            c = ops.convolution(f, ops.constant(_rand(n * per, 16, 3, 3, seed=40 + k * 2 + per,
                                                      scale=scale)), [1, 1], [1, 1], [1, 1],
                                [1, 1])
            out.append(ops.reshape(ops.transpose(c, perm), flat, True))
        priors.append(ops.prior_box(hw(f), hw(image), attrs))
    scores = ops.reshape(ops.concat(confs, 1), ops.constant(np.array([0, -1, 4], np.int64)),
                         True)
    conf = ops.reshape(ops.softmax(scores, 2), flat, True)
    prior = ops.unsqueeze(ops.concat(priors, 1), ops.constant(np.array([0], np.int64)))
    det = ops.detection_output(ops.concat(locs, 1), conf, prior, {
        "keep_top_k": [50], "nms_threshold": 0.45, "background_label_id": 0, "top_k": 100,
        "code_type": "caffe.PriorBoxParameter.CENTER_SIZE", "share_location": True,
        "confidence_threshold": 0.2, "normalized": True})
    det.output(0).set_names({"detection_out"})
    model = ov.Model([det, conf], [image], "ssd_detection")
    return model, [[np.random.RandomState(37).rand(1, 3, 64, 64).astype(np.float32)]], False


def detection_heads() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """NonMaxSuppression-9, Proposal-4, ROIPooling, RegionYolo and ReorgYolo side by side."""
    rng = np.random.RandomState(51)
    xy = rng.rand(2, 12, 2)
    boxes = np.concatenate([xy, xy + 0.2 + rng.rand(2, 12, 2) * 0.4], -1).astype(np.float32)
    b = ops.parameter([2, 12, 4], np.float32, name="boxes")
    s = ops.parameter([2, 3, 12], np.float32, name="scores")
    nms = ops.non_max_suppression(b, s, np.int64(4), np.float32(0.4), np.float32(0.1))
    probs = ops.parameter([1, 6, 4, 5], np.float32, name="class_probs")
    deltas = ops.parameter([1, 12, 4, 5], np.float32, name="bbox_deltas")
    info = ops.constant(np.array([40.0, 48.0, 1.0], np.float32))
    prop = ops.proposal(probs, deltas, info, {
        "base_size": np.uint32(8), "pre_nms_topn": np.uint32(30),
        "post_nms_topn": np.uint32(8), "nms_thresh": 0.6, "feat_stride": np.uint32(8),
        "min_size": np.uint32(2), "ratio": [0.5, 1.0, 2.0], "scale": [2.0]})
    fmap = ops.parameter([1, 8, 6, 6], np.float32, name="feature_map")
    pooled = ops.roi_pooling(fmap, ops.multiply(prop.output(0), ops.constant(np.float32(1))),
                             [2, 2], 0.125, "max")
    yolo = ops.region_yolo(ops.reorg_yolo(fmap, [2]), 4, 3, 4, True, [0], 1, 3)
    model = ov.Model([nms.output(0), nms.output(1), nms.output(2), prop.output(0),
                      prop.output(1), pooled.output(0), yolo.output(0)],
                     [b, s, probs, deltas, fmap],
                     "detection_heads")
    n = 4 * 5 * 6
    runs = [[boxes, rng.rand(2, 3, 12).astype(np.float32),
             (rng.permutation(n).reshape(1, 6, 4, 5) / n).astype(np.float32),
             (rng.rand(1, 12, 4, 5) * 0.6 - 0.3).astype(np.float32),
             rng.randn(1, 8, 6, 6).astype(np.float32)]]
    return model, runs, False


def if_inside_loop() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """A Loop whose body holds an If on the iteration number (nested bodies)."""
    x = ops.parameter([2, 3], np.float32, name="x")
    it = ops.parameter([], np.int64, name="it")
    acc = ops.parameter([2, 3], np.float32, name="acc")
    xb = ops.parameter([2, 3], np.float32, name="xb")
    xt = ops.parameter([2, 3], np.float32, name="xt")
    xe = ops.parameter([2, 3], np.float32, name="xe")
    # an Output: the real if_op(Node) makes an If without its condition input
    branch = ops.if_op(ops.less(it, ops.constant(np.int64(2))).output(0))
    then_body = ov.Model([ops.result(ops.multiply(xt, ops.constant(np.float32(2.0))))], [xt],
                         "then")
    else_body = ov.Model([ops.result(ops.sqrt(ops.abs(xe)))], [xe], "else")
    branch.set_then_body(then_body)
    branch.set_else_body(else_body)
    branch.set_input(acc.output(0), xt, xe)
    picked = branch.set_output(then_body.get_results()[0], else_body.get_results()[0])
    body = ov.Model([ops.result(ops.add(picked, xb)), ops.result(ops.constant(np.array(True)))],
                    [it, acc, xb], "body")
    loop = ops.loop(ops.constant(np.int64(5)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([0, 1])
    loop.set_merged_input(acc, x.output(0), body.get_results()[0].output(0))
    loop.set_invariant_input(xb, x.output(0))
    out = loop.get_iter_value(body.get_results()[0].output(0))
    return ov.Model([out], [x], "if_inside_loop"), [[_rand(2, 3, seed=29)]], False


def signal_and_sequence_ops() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    """DFT/RDFT/STFT, an LSTM sequence and a GRU cell, ReverseSequence, ROIAlign and a
    deformable convolution in one model."""
    rng = np.random.RandomState(61)
    sig = ops.parameter([2, 16], np.float32, name="signal")
    cplx = ops.parameter([4, 6, 2], np.float32, name="complex")
    seq = ops.parameter([2, 5, 3], np.float32, name="sequence")
    lens = ops.parameter([2], np.int32, name="lengths")
    fmap = ops.parameter([1, 4, 8, 8], np.float32, name="feature_map")
    i64 = np.int64
    outs = [ops.dft(cplx, np.array([0, 1], i64)), ops.rdft(sig, np.array([1], i64)),
            ops.stft(sig, ops.constant(np.hanning(8).astype(np.float32)), i64(8), i64(4), True)]
    hidden = 4
    lstm = ops.lstm_sequence(
        seq, ops.constant(np.zeros((2, 2, hidden), np.float32)),
        ops.constant(np.zeros((2, 2, hidden), np.float32)), lens,
        ops.constant(_rand(2, 4 * hidden, 3, seed=62, scale=0.5)),
        ops.constant(_rand(2, 4 * hidden, hidden, seed=63, scale=0.5)),
        ops.constant(_rand(2, 4 * hidden, seed=64, scale=0.1)), hidden, "bidirectional")
    outs += [lstm.output(0), lstm.output(1)]
    step = ops.gather(seq, ops.constant(np.int64(0)), ops.constant(np.int64(1)))
    outs.append(ops.gru_cell(step, ops.constant(np.zeros((2, hidden), np.float32)),
                             _rand(3 * hidden, 3, seed=65, scale=0.5),
                             _rand(3 * hidden, hidden, seed=66, scale=0.5),
                             _rand(3 * hidden, seed=67, scale=0.1), hidden).output(0))
    outs.append(ops.reverse_sequence(seq, lens, 0, 1).output(0))
    rois = ops.constant(np.array([[1, 1, 6, 5], [0.5, 2, 7.5, 7]], np.float32))
    outs.append(ops.roi_align(fmap, rois, ops.constant(np.array([0, 0], np.int32)), 2, 3, 2,
                              1.0, "avg", "half_pixel").output(0))
    offsets = ops.constant(_rand(1, 18, 8, 8, seed=68, scale=0.7))
    outs.append(ops.deformable_convolution(fmap, offsets, _rand(3, 4, 3, 3, seed=69), [1, 1],
                                           [1, 1], [1, 1], [1, 1]).output(0))
    model = ov.Model([o if isinstance(o, ov.Output) else o.output(0) for o in outs],
                     [sig, cplx, seq, lens, fmap], "signal_and_sequence_ops")
    runs = [[rng.randn(2, 16).astype(np.float32), rng.randn(4, 6, 2).astype(np.float32),
             rng.randn(2, 5, 3).astype(np.float32), np.array([5, 3], np.int32),
             rng.randn(1, 4, 8, 8).astype(np.float32)]]
    return model, runs, False


RECIPES: dict[str, Recipe] = {
    "seed_add": seed_add, "opset_convnet": small_convnet, "int_and_bool": int_and_bool,
    "strings": strings, "stateful": stateful, "low_bit": low_bit_weights,
    "dynamic_batch": dynamic_batch, "if_branches": if_branches,
    "loop_dynamic_trip": loop_dynamic_trip, "tensor_iterator_cell": tensor_iterator_cell,
    "loop_body_state": loop_body_state, "if_inside_loop": if_inside_loop,
    "ssd_detection": ssd_detection,
    "detection_heads": detection_heads, "signal_and_sequence_ops": signal_and_sequence_ops,
}

RT_INFO_CHECKS = {"int_and_bool": [(["interop", "threshold"], "0.5"),
                                   (["interop", "enabled"], "YES")]}
