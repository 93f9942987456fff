"""Shape ops: Reshape, Squeeze (v0, v15), Unsqueeze, ShapeOf (v0, v3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from node_eval import evaluate_in_model as run

import openvino.opset1 as ops1
import openvino.opset3 as ops3
import openvino.opset15 as ops
from openvino import Dimension, PartialShape, Type
from openvino._ops.shape import shape_value
from openvino._reference_executor import ReferencePlan

CORPUS = Path("/work/shared/corpus")



def param(shape, dtype=np.float32):
    return ops.parameter(shape, dtype)


# --- Reshape ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int8, np.int64, np.uint8, bool])
def test_reshape_static_matches_numpy(dtype):
    x = (np.arange(24) % 3).astype(dtype).reshape(2, 3, 4)
    node = ops.reshape(param([2, 3, 4], dtype), [4, -1], False)
    assert node.get_output_partial_shape(0) == PartialShape([4, 6])
    assert node.get_output_element_type(0) == Type(dtype)
    (got,) = run(node, x)
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, x.reshape(4, 6))


def test_reshape_special_zero_copies_input_dims():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    node = ops.reshape(param([2, 3, 4]), [0, 0, 2, 2], True)
    assert node.get_output_partial_shape(0) == PartialShape([2, 3, 2, 2])
    np.testing.assert_array_equal(run(node, x)[0], x.reshape(2, 3, 2, 2))
    # without special_zero a 0 is a real zero: incompatible element count
    with pytest.raises(RuntimeError, match="incompatible"):
        ops.reshape(param([2, 3, 4]), [0, 24], False)


def test_reshape_dynamic_special_zero_cancels_copied_dimension():
    node = ops.reshape(param([-1, 6]), [0, -1, 2], True)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(), 3, 2])
    x = np.arange(30, dtype=np.float32).reshape(5, 6)
    np.testing.assert_array_equal(run(node, x)[0], x.reshape(5, 3, 2))


def test_reshape_interval_dimensions():
    node = ops.reshape(param([Dimension(1, 8), 2, 3]), [-1, 6], False)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 8), 6])
    node = ops.reshape(param([Dimension(2, 4), 6]), [-1, 4], False)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(3, 6), 4])


def test_reshape_dynamic_rank_and_unknown_pattern():
    node = ops.reshape(param(PartialShape.dynamic()), [2, -1], False)
    assert node.get_output_partial_shape(0) == PartialShape([2, Dimension()])
    pattern = ops.parameter([3], np.int64)
    node = ops.reshape(param([2, 3, 4]), pattern, False)
    assert node.get_output_partial_shape(0) == PartialShape.dynamic(3)
    x = np.arange(24, dtype=np.float32)
    np.testing.assert_array_equal(run(node, x.reshape(2, 3, 4), np.array([4, 3, 2]))[0],
                                  x.reshape(4, 3, 2))


def test_reshape_by_shape_of_keeps_dynamic_dimensions():
    p = param([Dimension(1, 8), 2, 3])
    node = ops.reshape(p, ops.shape_of(p), False)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 8), 2, 3])
    batch = ops.gather(ops.shape_of(p), np.array([0], np.int64), np.int64(0))
    target = ops.concat([batch, np.array([-1], np.int64)], 0)
    node = ops.reshape(p, target, False)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(1, 8), 6])


def test_reshape_empty_tensor():
    node = ops.reshape(param([0, 4]), [-1, 2], False)
    assert node.get_output_partial_shape(0) == PartialShape([0, 2])
    (got,) = run(node, np.zeros((0, 4), np.float32))
    assert got.shape == (0, 2)


def test_reshape_scalar_and_to_scalar():
    node = ops.reshape(param([1, 1]), np.array([], np.int64), False)
    assert node.get_output_partial_shape(0) == PartialShape([])
    assert run(node, np.array([[5.0]], np.float32))[0].shape == ()


@pytest.mark.parametrize("pattern, special_zero, match", [
    ([5, -1], False, "evenly divide"),
    ([4, 5], False, "incompatible"),
    ([-1, -1], False, "More than one"),
    ([-2, 12], False, "less than -1"),
    ([0, 0, 0, 0], True, "out of range"),
])
def test_reshape_invalid_patterns_raise(pattern, special_zero, match):
    with pytest.raises(RuntimeError, match=match):
        ops.reshape(param([2, 3, 4]), pattern, special_zero)


def test_reshape_runtime_incompatible_count_raises():
    node = ops.reshape(param([-1]), ops.parameter([2], np.int64), False)
    with pytest.raises(RuntimeError, match="incompatible"):
        run(node, np.zeros(7, np.float32), np.array([2, 3]))


def test_reshape_rejects_float_pattern():
    with pytest.raises(RuntimeError, match="integral"):
        ops.reshape(param([4]), np.array([2.0, 2.0], np.float32), False)


# --- Squeeze ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mod", [ops1, ops])
def test_squeeze_axes_and_negative_axes(mod):
    x = np.arange(6, dtype=np.int32).reshape(1, 2, 1, 3)
    node = mod.squeeze(param([1, 2, 1, 3], np.int32), [0, -2])
    assert node.get_output_partial_shape(0) == PartialShape([2, 3])
    np.testing.assert_array_equal(run(node, x)[0], x.reshape(2, 3))


def test_squeeze_without_axes_removes_all_ones():
    x = np.array([[[b"a"], [b"bc"]]], dtype=object)
    node = ops.squeeze(ops.parameter([1, 2, 1], Type.string))
    assert node.get_output_partial_shape(0) == PartialShape([2])
    assert run(node, x)[0].tolist() == [b"a", b"bc"]


def test_squeeze_dynamic():
    assert ops.squeeze(param([Dimension(), 1, 3]), [1]).get_output_partial_shape(0) == \
        PartialShape([Dimension(), 3])
    # a dynamic dimension that may be 1, no axes: the rank is unknown
    assert ops.squeeze(param([Dimension(), 3])).get_output_partial_shape(0) == \
        PartialShape.dynamic()
    # an interval that excludes 1 stays
    assert ops.squeeze(param([Dimension(2, 5), 1])).get_output_partial_shape(0) == \
        PartialShape([Dimension(2, 5)])
    assert ops.squeeze(param(PartialShape.dynamic()), [0]).get_output_partial_shape(0) == \
        PartialShape.dynamic()


def test_squeeze_non_one_axis_raises_unless_skip_allowed():
    with pytest.raises(RuntimeError, match="only axes of size 1"):
        ops1.squeeze(param([2, 1]), [0])
    with pytest.raises(RuntimeError, match="only axes of size 1"):
        ops.squeeze(param([2, 1]), [0])
    node = ops.squeeze(param([2, 1]), [0, 1], allow_axis_skip=True)
    assert node.get_output_partial_shape(0) == PartialShape([2])
    x = np.arange(2, dtype=np.float32).reshape(2, 1)
    np.testing.assert_array_equal(run(node, x)[0], [0, 1])
    # skipping allowed on a dynamic axis: the output rank depends on the value
    node = ops.squeeze(param([Dimension(), 3]), [0], allow_axis_skip=True)
    assert node.get_output_partial_shape(0) == PartialShape.dynamic()
    assert node.get_attributes() == {"allow_axis_skip": True}


def test_squeeze_axis_out_of_range_raises():
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops.squeeze(param([1, 2]), [2])


# --- Unsqueeze -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.int64, bool])
def test_unsqueeze_matches_numpy(dtype):
    x = np.ones((2, 3), dtype)
    node = ops.unsqueeze(param([2, 3], dtype), [0, -1])
    assert node.get_output_partial_shape(0) == PartialShape([1, 2, 3, 1])
    np.testing.assert_array_equal(run(node, x)[0], x.reshape(1, 2, 3, 1))


def test_unsqueeze_dynamic_and_scalar():
    node = ops.unsqueeze(param([Dimension(2, 4)]), 1)
    assert node.get_output_partial_shape(0) == PartialShape([Dimension(2, 4), 1])
    node = ops.unsqueeze(param([]), [0])
    assert node.get_output_partial_shape(0) == PartialShape([1])
    assert ops.unsqueeze(param(PartialShape.dynamic()), [0]).get_output_partial_shape(0) == \
        PartialShape.dynamic()


def test_unsqueeze_invalid_axes_raise():
    with pytest.raises(RuntimeError, match="out of the tensor rank"):
        ops.unsqueeze(param([2]), [3])
    with pytest.raises(RuntimeError, match="same output dimension"):
        ops.unsqueeze(param([2]), [-1, 2])


# --- ShapeOf ---------------------------------------------------------------------------------

def test_shape_of_versions_and_types():
    p = param([2, Dimension(1, 5), 4])
    v0 = ops1.shape_of(p)
    assert v0.get_type_info().version_id == "opset1"
    assert v0.get_output_element_type(0) == Type.i64
    v3 = ops3.shape_of(p, "i32")
    assert v3.get_type_info().version_id == "opset3"
    assert v3.get_output_element_type(0) == Type.i32
    assert v3.get_output_partial_shape(0) == PartialShape([3])
    x = np.zeros((2, 3, 4), np.float32)
    got = run(v3, x)[0]
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, [2, 3, 4])
    assert run(v0, x)[0].dtype == np.int64
    assert ops.shape_of(param(PartialShape.dynamic())).get_output_partial_shape(0) == \
        PartialShape([Dimension()])


def test_shape_of_string_and_empty_inputs():
    node = ops.shape_of(ops.parameter([2, 0], Type.string))
    np.testing.assert_array_equal(run(node, np.empty((2, 0), dtype="S1"))[0], [2, 0])


def test_shape_of_rejects_bad_output_type():
    with pytest.raises(RuntimeError, match="i32 or i64"):
        ops.shape_of(param([2]), "f32")


def test_shape_value_follows_shape_of_concat_gather():
    p = param([Dimension(), 3])
    sv = shape_value(ops.shape_of(p).output(0))
    assert sv[1] == 3 and isinstance(sv[0], Dimension) and sv[0].is_dynamic
    cat = ops.concat([ops.shape_of(p), np.array([-1], np.int64)], 0)
    assert shape_value(cat.output(0))[1:] == [3, -1]
    assert shape_value(param([3]).output(0)) is None


@pytest.mark.parametrize("name, since, version_of_latest", [
    ("reshape", 1, "opset1"), ("squeeze", 1, "opset15"), ("unsqueeze", 1, "opset1"),
    ("shape_of", 1, "opset3"),
])
def test_factories_in_every_opset(name, since, version_of_latest):
    import importlib

    for n in range(1, 17):
        mod = importlib.import_module(f"openvino.opset{n}")
        assert hasattr(mod, name) == (n >= since), (name, n)
    squeeze1 = ops1.squeeze(param([1, 2]), [0])
    assert squeeze1.get_type_info().version_id == "opset1"
    assert ops.squeeze(param([1, 2]), [0]).get_type_info().version_id == "opset15"
    node = {"reshape": lambda: ops.reshape(param([2]), [2], False),
            "squeeze": lambda: ops.squeeze(param([1])),
            "unsqueeze": lambda: ops.unsqueeze(param([1]), 0),
            "shape_of": lambda: ops.shape_of(param([1]))}[name]()
    assert node.get_type_info().version_id == version_of_latest


@pytest.mark.skipif(not (CORPUS / "int_shape_pipeline").is_dir(), reason="no corpus")
def test_corpus_int_shape_pipeline():
    from openvino._ir.reader import read_ir

    case = CORPUS / "int_shape_pipeline"
    model = read_ir(str(case / "model.xml"))
    inputs, expected = np.load(case / "inputs.npz"), np.load(case / "expected.npz")
    arrays = [inputs[f"#{i}"] for i in range(len(model.inputs))]
    outs = ReferencePlan(model).run(arrays)
    for i, out in enumerate(outs):
        want = expected[f"#{i}"]
        assert out.shape == want.shape
        np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
