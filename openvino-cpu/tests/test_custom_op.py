"""Python custom ops (``openvino.Op``) on the CPU device: they run their ``evaluate`` as a
step of the plan between kernels, whatever their type is called, as the real CPU plugin's
Reference node runs them."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset14 as ops
from openvino import DiscreteTypeInfo, Op


class Clip01(Op):
    class_type_info = DiscreteTypeInfo("Clip01", "extension")

    def __init__(self, inputs=None):
        super().__init__(self, inputs)

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    @staticmethod
    def get_type_info():
        return Clip01.class_type_info

    def evaluate(self, outputs, inputs):
        outputs[0].data[:] = np.clip(inputs[0].data, 0.0, 1.0)
        return True


class Relu(Op):
    """A custom op named like OpenVINO's Relu, doing something else."""

    def __init__(self, *inputs):
        super().__init__(self, inputs)

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    def evaluate(self, outputs, inputs):
        outputs[0].data[:] = inputs[0].data * 2
        return True


def _conv_model(shape):
    x = ops.parameter(shape, np.float32, name="x")
    w = ops.constant(np.linspace(-1, 1, 8 * 3 * 3 * 3, dtype=np.float32).reshape(8, 3, 3, 3))
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1])
    clipped = Clip01([conv])
    pooled = ops.reduce_mean(clipped, [2, 3], keep_dims=False)
    return ov.Model(pooled, [x])


def test_custom_op_between_kernels_matches_template(core):
    model = _conv_model([1, 3, 8, 8])
    data = np.random.default_rng(3).standard_normal((1, 3, 8, 8)).astype(np.float32)
    cpu = core.compile_model(model, "CPU")({"x": data})[0]
    ref = core.compile_model(model, "TEMPLATE")({"x": data})[0]
    np.testing.assert_allclose(cpu, ref, rtol=1e-5, atol=1e-6)
    assert 0.0 <= cpu.min() and cpu.max() <= 1.0


def test_custom_op_with_dynamic_batch(core):
    compiled = core.compile_model(_conv_model([-1, 3, 8, 8]), "CPU")
    rng = np.random.default_rng(4)
    for batch in (1, 3):
        data = rng.standard_normal((batch, 3, 8, 8)).astype(np.float32)
        assert compiled({"x": data})[0].shape == (batch, 8)


def test_custom_op_named_like_a_builtin_runs_its_own_evaluate(core):
    p = ops.parameter([3], np.float32)
    model = ov.Model(ops.relu(Relu(p)), [p])
    compiled = core.compile_model(model, "CPU", {"PERF_COUNT": True})
    request = compiled.create_infer_request()
    request.infer([np.array([-1, 0, 1], np.float32)])
    np.testing.assert_array_equal(request.get_output_tensor(0).data, [0, 0, 2])
    kinds = {info.node_type for info in request.profiling_info}
    assert {"Reference", "Relu"} <= kinds


def test_custom_op_over_constants_is_folded_through_evaluate(core):
    p = ops.parameter([2], np.float32)
    folded = Clip01([ops.constant(np.array([-3.0, 0.5], np.float32))])
    model = ov.Model(ops.add(p, folded), [p])
    compiled = core.compile_model(model, "CPU")
    np.testing.assert_allclose(compiled([np.ones(2, np.float32)])[0], [1.0, 1.5])
    kinds = [str(op.get_rt_info()["layerType"]) for op in
             compiled.get_runtime_model().get_ordered_ops()]
    assert "Reference" not in kinds and "Const" in kinds


def test_custom_op_without_evaluate_is_refused(core):
    class Opaque(Op):
        def __init__(self, *inputs):
            super().__init__(self, inputs)

        def validate_and_infer_types(self):
            self.set_output_type(0, ov.Type.f32, self.get_input_partial_shape(0))

    p = ops.parameter([2], np.float32)
    node = Opaque(p)
    with pytest.raises(RuntimeError, match=node.get_friendly_name()):
        core.compile_model(ov.Model(node, [p]), "CPU")
