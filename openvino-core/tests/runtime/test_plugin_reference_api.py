"""The SDK's public per-op reference API (openvino.plugin.reference), its element-value
conversions (openvino.plugin.encoding) and window geometry (openvino.plugin.windows)."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
from openvino import opset14 as ops
from openvino.helpers import pack_data
from openvino.plugin import encoding, reference, windows
from openvino.plugin.runtime_model import ExecutionNode


def _softmax(shape=(2, 3)):
    return ops.softmax(ops.parameter(list(shape), np.float32), 1)


# --- reference -----------------------------------------------------------------------------

def test_evaluate_one_node_on_tensors():
    node = _softmax()
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], np.float32)
    out = reference.evaluate(node, [ov.Tensor(x)])
    assert len(out) == 1 and isinstance(out[0], ov.Tensor)
    assert out[0].get_element_type() == ov.Type.f32
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(out[0].data, e / e.sum(axis=1, keepdims=True), rtol=1e-6)


def test_evaluate_values_casts_to_the_output_type():
    conv = ops.convert(ops.parameter([4], np.float32), "bf16")
    (out,) = reference.evaluate_values(conv, [np.array([1.0, 1.00390625, 3.3, -2.0],
                                                       np.float32)])
    assert out.dtype == np.float32  # bf16's evaluation form
    np.testing.assert_array_equal(out, [1.0, 1.0, 3.296875, -2.0])


def test_evaluate_packed_output_is_packed():
    conv = ops.convert(ops.parameter([3], np.int32), "u4")
    (t,) = reference.evaluate(conv, [ov.Tensor(np.array([1, 2, 15], np.int32))])
    assert t.get_element_type() == ov.Type.u4 and list(t.shape) == [3]
    np.testing.assert_array_equal(t.data, pack_data(np.array([1, 2, 15]), ov.Type.u4))
    np.testing.assert_array_equal(encoding.tensor_values(t), [1, 2, 15])


def test_evaluate_multi_output_node():
    x = ops.parameter([5], np.float32)
    topk = ops.topk(x, ops.constant(np.int64(2)), 0, "max", "value")
    values, indices = reference.evaluate(topk, [ov.Tensor(np.array([3, 1, 4, 1, 5],
                                                                    np.float32)),
                                                ov.Tensor(np.array(2, np.int64))])
    np.testing.assert_array_equal(values.data, [5, 4])
    np.testing.assert_array_equal(indices.data, [4, 2])


def test_has_reference_and_needs_state():
    assert reference.has_reference(_softmax())
    assert not reference.needs_state(_softmax())
    info = ov.op.util.VariableInfo()
    info.variable_id, info.data_shape, info.data_type = "v", ov.PartialShape([2]), ov.Type.f32
    var = ov.op.util.Variable(info)
    init = ops.parameter([2], np.float32)
    read = ops.read_value(init, var)
    assert reference.has_reference(read) and reference.needs_state(read)
    # an output stands for its node
    assert reference.needs_state(read.output(0))


def test_stateful_node_reads_and_writes_the_given_state():
    info = ov.op.util.VariableInfo()
    info.variable_id, info.data_shape, info.data_type = "v", ov.PartialShape([2]), ov.Type.f32
    var = ov.op.util.Variable(info)
    read = ops.read_value(ops.parameter([2], np.float32), var)
    assign = ops.assign(read, var)
    state: dict[str, np.ndarray] = {}
    init = ov.Tensor(np.array([1.0, 2.0], np.float32))
    (first,) = reference.evaluate(read, [init], state=state)
    np.testing.assert_array_equal(first.data, [1, 2])  # no value yet: the initializer
    reference.evaluate(assign, [ov.Tensor(np.array([7.0, 8.0], np.float32))], state=state)
    np.testing.assert_array_equal(state["v"], [7, 8])
    (second,) = reference.evaluate(read, [init], state=state)
    np.testing.assert_array_equal(second.data, [7, 8])
    with pytest.raises(ValueError, match="state="):
        reference.evaluate(read, [init])


def test_bad_arguments_are_named():
    node = _softmax()
    with pytest.raises(ValueError, match="Softmax .* has 1 inputs, got 2 values"):
        reference.evaluate_values(node, [np.zeros((2, 3), np.float32)] * 2)
    with pytest.raises(TypeError, match="input 0 is ndarray"):
        reference.evaluate(node, [np.zeros((2, 3), np.float32)])
    with pytest.raises(TypeError, match="openvino.Node"):
        reference.has_reference("Softmax")


def test_op_without_reference_raises_not_implemented():
    class NoRef(ov.Op):
        def __init__(self, inputs=None):
            super().__init__(self, inputs)

        def validate_and_infer_types(self):
            self.set_output_type(0, self.get_input_element_type(0),
                                 self.get_input_partial_shape(0))

    node = NoRef([ops.parameter([2], np.float32)])
    assert not reference.has_reference(node)
    with pytest.raises(NotImplementedError, match="no reference"):
        reference.evaluate(node, [ov.Tensor(np.zeros(2, np.float32))])


def test_op_types_lists_every_opset_op_once():
    types = reference.op_types()
    assert types == sorted(set(types))
    assert ("Softmax", "opset8") in types and ("Gather", "opset8") in types
    assert all(isinstance(n, str) and isinstance(v, str) for n, v in types)


def test_reference_plan_runs_a_model():
    x = ops.parameter([2, 3], np.float32, name="x")
    model = ov.Model([ops.relu(ops.add(x, ops.constant(np.float32(-1))))], [x])
    plan = reference.ReferencePlan(model)
    (out,) = plan.run([np.array([[0, 1, 2], [3, 4, 5]], np.float32)])
    np.testing.assert_array_equal(out, [[0, 0, 1], [2, 3, 4]])


# --- encoding ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, values", [
    ("u1", [0, 1, 1, 0, 1, 0, 0, 0, 1]),
    ("u4", [0, 15, 7, 3, 9]),
    ("i4", [-8, 7, -1, 0, 3]),
    ("bf16", [1.0, -2.5, 3.140625, 0.0]),
    ("f8e4m3", [0.5, -448.0, 1.125, 0.0]),
    ("f8e5m2", [0.5, -57344.0, 1.25, np.inf]),
    ("nf4", [-1.0, 0.0, 1.0, 0.07958029955625534]),
    ("f32", [1.5, -2.25]),
    ("i64", [1, -2, 3]),
    ("boolean", [True, False]),
])
def test_encode_decode_round_trip(name, values):
    et = ov.Type(name)
    vals = np.array(values).astype(encoding.evaluation_dtype(et))
    storage = encoding.encode(vals, et)
    assert storage.dtype == et.to_dtype()
    back = encoding.decode(storage, et, vals.shape)
    assert back.dtype == encoding.evaluation_dtype(et)
    np.testing.assert_array_equal(back, vals)
    # a Tensor built from storage shows the same values
    t = encoding.storage_tensor(storage, et, vals.shape)
    assert t.get_element_type() == et and list(t.shape) == list(vals.shape)
    np.testing.assert_array_equal(encoding.tensor_values(t), vals)
    np.testing.assert_array_equal(encoding.tensor_values(encoding.values_tensor(vals, et)),
                                  vals)


def test_packed_layouts_match_openvino():
    # u4: element 0 in the low nibble; u1: element 0 in the most significant bit
    np.testing.assert_array_equal(encoding.encode([1, 2, 3], "u4"), [0x21, 0x03])
    np.testing.assert_array_equal(encoding.encode([1, 0, 0, 0, 0, 0, 0, 1, 1], "u1"),
                                  [0x81, 0x80])
    # bf16 storage: the upper half of the f32 bits, shown as float16 as Tensor.data does
    bits = encoding.encode(np.array([1.0], np.float32), "bf16").view(np.uint16)
    assert bits[0] == 0x3F80
    t = ov.Tensor(ov.Type.bf16, [1])
    t.data[:] = encoding.encode([1.0], "bf16")
    np.testing.assert_array_equal(encoding.tensor_values(t), [1.0])


def test_cast_values_rounds_and_wraps_like_the_runtime():
    np.testing.assert_array_equal(encoding.cast_values([17, -1], "u4"), [1, 15])
    np.testing.assert_array_equal(encoding.cast_values([9, -9], "i4"), [-7, 7])
    np.testing.assert_array_equal(encoding.cast_values([0, 2, -3], "u1"), [0, 1, 1])
    np.testing.assert_array_equal(encoding.cast_values([1e6, 464.0], "f8e4m3"), [np.nan, 448.0])
    assert encoding.cast_values([1.00390625], "bf16")[0] == 1.0


def test_is_plain():
    assert encoding.is_plain(ov.Type.f32) and encoding.is_plain(ov.Type.i8)
    for name in ("u1", "u4", "i4", "nf4", "bf16", "f8e4m3", "f8e5m2", "string", "dynamic"):
        assert not encoding.is_plain(ov.Type(name)), name


def test_tensor_values_of_a_plain_tensor_is_its_memory():
    t = ov.Tensor(np.zeros(3, np.float32))
    encoding.tensor_values(t)[1] = 5
    assert t.data[1] == 5


def test_storage_tensor_shares_memory_and_checks_its_input():
    buf = np.zeros((2, 2), np.float32)
    t = encoding.storage_tensor(buf, ov.Type.f32)
    buf[0, 0] = 3
    assert t.data[0, 0] == 3
    assert list(encoding.storage_tensor(np.zeros(4, np.float32), "f32", [2, 2]).shape) == [2, 2]
    with pytest.raises(TypeError, match="f32 storage is float32, got float64"):
        encoding.storage_tensor(np.zeros(2), ov.Type.f32)
    with pytest.raises(ValueError, match="does not hold shape"):
        encoding.storage_tensor(np.zeros(3, np.float32), ov.Type.f32, [2, 2])
    with pytest.raises(ValueError, match="u4 storage for shape \\[5\\] is 3 bytes"):
        encoding.storage_tensor(np.zeros(2, np.uint8), ov.Type.u4, [5])
    with pytest.raises(TypeError, match="numpy array"):
        encoding.storage_tensor([1.0], ov.Type.f32)
    with pytest.raises(ValueError, match="dynamic"):
        encoding.storage_tensor(np.zeros(2, np.float32), ov.Type.dynamic)


def test_decode_checks_its_input():
    with pytest.raises(ValueError, match="too small"):
        encoding.decode(np.zeros(1, np.uint8), "u4", [5])
    with pytest.raises(TypeError, match="i32 storage is int32, got float32"):
        encoding.decode(np.zeros(2, np.float32), "i32", [2])
    with pytest.raises(TypeError, match="openvino.Type"):
        encoding.decode(np.zeros(2, np.float32), 3, [2])


def test_values_tensor_of_a_dynamic_type_keeps_the_values_type():
    t = encoding.values_tensor(np.array([1, 2], np.int16), ov.Type.dynamic)
    assert t.get_element_type() == ov.Type.i16


def test_strings():
    t = encoding.values_tensor(["a", "bc"], ov.Type.string)
    assert list(t.str_data) == ["a", "bc"]
    assert list(encoding.encode(["x"], "string")) == [b"x"]


# --- windows -------------------------------------------------------------------------------

def test_window_of_same_upper_pool_and_explicit_conv():
    x = ops.parameter([1, 2, 7, 7], np.float32)
    pool = ops.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [3, 3], auto_pad="same_upper")
    assert windows.window(pool, [1, 2, 7, 7]) == windows.Window(
        [3, 3], [2, 2], [1, 1], [1, 1], [1, 1])
    pool = ops.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2], auto_pad="same_lower")
    w = windows.window(pool, [1, 2, 8, 8])
    assert (w.pads_begin, w.pads_end) == ([0, 0], [0, 0])
    w = windows.window(pool, [1, 2, 7, 7])
    assert (w.pads_begin, w.pads_end) == ([1, 1], [0, 0])
    conv = ops.convolution(x, ops.constant(np.ones((4, 2, 3, 5), np.float32)), [1, 2],
                           [1, 0], [2, 0], [2, 1])
    assert windows.window(conv, [1, 2, 7, 7]) == windows.Window(
        [3, 5], [1, 2], [2, 1], [1, 0], [2, 0])


def test_window_refuses_other_ops():
    with pytest.raises(ValueError, match="got Softmax"):
        windows.window(_softmax(), [1, 2, 3])
    x = ops.parameter([1, 2, 7, 7], np.float32)
    pool = ops.avg_pool(x, [1, 1], [0, 0], [0, 0], [2, 2], True)
    with pytest.raises(ValueError, match="no spatial axes"):
        windows.window(pool, [1, 2])


# --- runtime model -------------------------------------------------------------------------

def test_execution_node_describes_a_plan_step():
    x = ops.parameter([1, 4], np.float32, name="x")
    node = ExecutionNode([x.output(0)], [(ov.Type.f32, (1, 4)), (ov.Type.i64, [2])], "step")
    node.get_rt_info()["layerType"] = "Relu"
    assert node.get_type_name() == "ExecutionNode"
    assert node.get_type_info().version_id == "extension"  # as OpenVINO's runtime models
    assert node.get_friendly_name() == "step"
    assert node.get_output_element_type(1) == ov.Type.i64
    model = ov.Model([ops.result(node.output(0))], [x], "rt")
    (clone,) = [op for op in model.clone().get_ordered_ops()
                if op.get_type_name() == "ExecutionNode"]
    assert clone.get_declared_outputs() == [(ov.Type.f32, (1, 4)), (ov.Type.i64, (2,))]
    assert clone.get_rt_info()["layerType"] == "Relu"
    assert not reference.has_reference(node)
    with pytest.raises(TypeError, match="output 0 must be \\(element type, shape\\)"):
        ExecutionNode([], [ov.Type.f32], "bad")
    with pytest.raises(TypeError, match="must be an openvino.Type"):
        ExecutionNode([], [("f32", (1,))], "bad")
