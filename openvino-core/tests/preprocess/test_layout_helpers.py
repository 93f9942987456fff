"""openvino.layout_helpers: dimension indices, layouts of inputs and outputs, and how
layouts map onto shapes and onto each other."""

from __future__ import annotations

import numpy as np
import pytest
from references import identity_model

import openvino as ov
import openvino.opset13 as ops
from openvino import Layout, PartialShape
from openvino import layout_helpers as lh


@pytest.mark.parametrize("text, idx", [
    ("NCHW", {"N": 0, "C": 1, "H": 2, "W": 3}),
    ("NHWC", {"N": 0, "H": 1, "W": 2, "C": 3}),
    ("N...HWC", {"N": 0, "H": -3, "W": -2, "C": -1}),
    ("NCDHW", {"N": 0, "C": 1, "D": 2, "H": 3, "W": 4}),
    ("[batch,C,H,W]", {"N": 0, "C": 1, "H": 2, "W": 3}),  # "batch" is N, as in OpenVINO
    ("[B,C,H,W]", {"C": 1, "H": 2, "W": 3}),
])
def test_indices_and_has(text, idx):
    layout = Layout(text)
    getters = {"N": lh.batch_idx, "C": lh.channels_idx, "D": lh.depth_idx, "H": lh.height_idx,
               "W": lh.width_idx}
    tests = {"N": lh.has_batch, "C": lh.has_channels, "D": lh.has_depth, "H": lh.has_height,
             "W": lh.has_width}
    for name, getter in getters.items():
        assert tests[name](layout) is (name in idx)
        if name in idx:
            assert getter(layout) == idx[name]
        else:
            with pytest.raises(RuntimeError, match=f"{name} dimension index is not defined"):
                getter(layout)


def test_helpers_accept_layout_text():
    assert lh.channels_idx("NHWC") == 3
    with pytest.raises(TypeError, match="openvino.Layout"):
        lh.height_idx(3)


def test_get_and_set_layout_on_parameter_and_result():
    model = identity_model([1, 3, 4, 5])
    assert lh.get_layout(model.input()).empty
    lh.set_layout(model.input(), Layout("NCHW"))
    assert model.get_parameters()[0].get_layout() == Layout("NCHW")
    assert lh.get_layout(model.input()) == "NCHW"
    result = model.get_results()[0]
    lh.set_layout(result.output(0), "N?HW")
    assert lh.get_layout(model.output()) == Layout("N?HW")
    # the layout lives on the tensor the Result shows, so the producer's port reads it too
    assert lh.get_layout(result.input_value(0)) == Layout("N?HW")
    lh.set_layout(result.output(0), Layout())
    assert lh.get_layout(model.output()).empty


def test_layouts_survive_ir_round_trip(tmp_path):
    model = identity_model([1, 3, 4, 5])
    lh.set_layout(model.input(), "NCHW")
    lh.set_layout(model.get_results()[0].output(0), "NHWC")
    ov.save_model(model, tmp_path / "m.xml")
    back = ov.Core().read_model(tmp_path / "m.xml")
    assert lh.get_layout(back.input()) == Layout("NCHW")
    assert lh.get_layout(back.output()) == Layout("NHWC")


def test_set_layout_errors():
    model = identity_model([1, 3, 4, 5])
    with pytest.raises(RuntimeError, match="not compatible with shape"):
        lh.set_layout(model.input(), Layout("CHW"))
    with pytest.raises(RuntimeError, match="not compatible with shape"):
        lh.set_layout(model.input(), Layout("N...CHWD"))
    middle = model.get_results()[0].input_value(0)
    with pytest.raises(RuntimeError, match="only for Parameter and Result"):
        lh.set_layout(middle, Layout("NCHW"))
    with pytest.raises(TypeError):
        lh.get_layout(model.get_parameters()[0])


def test_set_batch_works_with_layouts_set_through_helpers():
    model = identity_model([2, 3, 4, 5])
    lh.set_layout(model.input(), "NCHW")
    assert ov.get_batch(model) == 2
    ov.set_batch(model, 7)
    assert model.input().get_partial_shape() == PartialShape([7, 3, 4, 5])


@pytest.mark.parametrize("layout, shape, ok", [
    ("NCHW", [1, 2, 3, 4], True),
    ("NCHW", [1, 2, 3], False),
    ("N...C", [1, 2], True),
    ("N...C", [1], False),
    ("N...C", [1, 2, 3, 4, 5], True),
    ("", [1], True),
    ("NCHW", PartialShape.dynamic(), True),
])
def test_is_compatible(layout, shape, ok):
    ps = shape if isinstance(shape, PartialShape) else PartialShape(shape)
    assert lh.is_compatible(Layout(layout), ps) is ok


@pytest.mark.parametrize("src, dst, rank, order", [
    ("NHWC", "NCHW", 4, [0, 3, 1, 2]),
    ("NCHW", "NHWC", 4, [0, 2, 3, 1]),
    ("N...C", "NC...", 5, [0, 4, 1, 2, 3]),
    ("N??C", "NC??", 4, [0, 3, 1, 2]),
    ("NCHW", "NCHW", 4, [0, 1, 2, 3]),
])
def test_find_permutation(src, dst, rank, order):
    assert lh.find_permutation(src, dst, rank) == order
    # applying it to data in the source layout gives the destination layout
    data = np.zeros(tuple(range(2, 2 + rank)))
    moved = np.transpose(data, order)
    names_src = lh.dimension_names(src, rank)
    names_dst = lh.dimension_names(dst, rank)
    for i, n in enumerate(names_dst):
        if n not in ("?", "..."):
            assert moved.shape[i] == data.shape[names_src.index(n)]


def test_find_permutation_mismatch():
    with pytest.raises(RuntimeError, match="'W' is not found in layout"):
        lh.find_permutation("NCDH", "NCHW", 4)
    with pytest.raises(RuntimeError, match="has 4 dimensions, the shape has 3"):
        lh.find_permutation("NCHW", "NHWC", 3)


def test_module_is_reachable_from_openvino_and_runtime():
    import openvino.runtime.layout_helpers as legacy

    assert ov.layout_helpers is lh
    assert legacy is lh
    assert sorted(lh.__all__) == sorted([
        "batch_idx", "channels_idx", "depth_idx", "get_layout", "has_batch", "has_channels",
        "has_depth", "has_height", "has_width", "height_idx", "set_layout", "width_idx"])


def test_get_layout_of_non_io_port_reads_rt_info():
    p = ops.parameter([1, 2], np.float32)
    r = ops.relu(p)
    assert lh.get_layout(r.output(0)).empty
    res = ov.Model([r], [p]).get_results()[0]
    lh.set_layout(res.output(0), "NC")
    assert lh.get_layout(r.output(0)) == Layout("NC")
