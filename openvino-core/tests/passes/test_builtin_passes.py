"""The built-in passes: Serialize writes IR that reads back equal (weights as they are),
ConstantFolding turns constant subgraphs into Constants that keep names and values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import openvino as ov
from openvino import opset13 as ops
from openvino.passes import ConstantFolding, Manager, Serialize, Version


def weighted_model() -> ov.Model:
    param = ops.parameter([1, 3], np.float32, name="x")
    param.output(0).set_names({"x"})
    weights = ops.constant(np.array([[0.1], [0.2], [0.3]], np.float32), name="w")
    out = ops.relu(ops.matmul(param, weights, False, False))
    out.output(0).set_names({"y"})
    return ov.Model([ops.result(out)], [param], "weighted")


@pytest.mark.parametrize("as_path", [True, False])
def test_serialize_writes_ir_that_reads_back_equal(tmp_path: Path, as_path: bool):
    xml, bin_ = tmp_path / "m.xml", tmp_path / "m.bin"
    model = weighted_model()
    manager = Manager()
    manager.register_pass(Serialize(xml if as_path else str(xml),
                                    bin_ if as_path else str(bin_)))
    manager.run_passes(model)
    assert xml.is_file() and bin_.is_file()
    read = ov.Core().read_model(xml, bin_)
    assert [op.get_type_name() for op in read.get_ordered_ops()] == \
        [op.get_type_name() for op in model.get_ordered_ops()]
    assert read.input(0).get_names() == {"x"} and read.output(0).get_names() == {"y"}
    # the weights are stored as f32, not compressed to f16
    consts = [op for op in read.get_ordered_ops() if op.get_type_name() == "Constant"]
    assert [c.get_element_type() for c in consts] == [ov.Type.f32]
    np.testing.assert_array_equal(consts[0].get_data(),
                                  np.array([[0.1], [0.2], [0.3]], np.float32))
    assert bin_.stat().st_size == 12
    x = np.array([[1.0, -2.0, 3.0]], np.float32)
    got = ov.Core().compile_model(read, "TEMPLATE")({"x": x})["y"]
    np.testing.assert_allclose(got, np.maximum(x @ [[0.1], [0.2], [0.3]], 0), rtol=1e-6)


def test_serialize_versions(tmp_path: Path):
    Serialize(tmp_path / "a.xml", tmp_path / "a.bin", "IR_V11").run_on_model(weighted_model())
    assert 'version="11"' in (tmp_path / "a.xml").read_text()
    Serialize(tmp_path / "b.xml", tmp_path / "b.bin", Version.UNSPECIFIED).run_on_model(
        weighted_model())
    assert (tmp_path / "b.xml").is_file()
    assert Serialize(tmp_path / "c.xml", tmp_path / "c.bin").run_on_model(
        weighted_model()) is None
    with pytest.raises(RuntimeError, match="supported versions are"):
        Serialize("a.xml", "a.bin", "IR_V12")
    with pytest.raises(TypeError, match="openvino.Model"):
        Serialize(tmp_path / "d.xml", tmp_path / "d.bin").run_on_model("model")


def folding_model():
    c1 = ops.constant(np.array([1, 2], np.float32), name="c1")
    c2 = ops.constant(np.array([3, 4], np.float32), name="c2")
    added = ops.add(c1, c2)
    added.set_friendly_name("sum")
    added.output(0).set_names({"sum_out"})
    scaled = ops.multiply(added, ops.constant(np.float32(2), name="two"))
    scaled.set_friendly_name("scaled")
    scaled.output(0).set_names({"scaled_out"})
    param = ops.parameter([2], np.float32, name="x")
    param.output(0).set_names({"x"})
    total = ops.add(param, scaled)
    total.output(0).set_names({"total"})
    model = ov.Model([ops.result(total), ops.result(scaled)], [param], "fold")
    return model, total


def test_constant_folding_folds_a_constant_chain_and_keeps_names():
    model, total = folding_model()
    manager = Manager()
    manager.register_pass(ConstantFolding())
    manager.run_passes(model)

    types = [op.get_type_name() for op in model.get_ordered_ops()]
    assert "Multiply" not in types and types.count("Add") == 1
    folded = total.input_value(1).get_node()
    assert folded.get_type_name() == "Constant"
    assert folded.get_friendly_name() == "scaled"
    assert folded.output(0).get_names() == {"scaled_out"}
    np.testing.assert_array_equal(folded.get_data(), [8.0, 12.0])
    assert model.output(1).get_names() == {"scaled_out"}

    x = np.array([1.0, -1.0], np.float32)
    result = ov.Core().compile_model(model, "TEMPLATE")({"x": x})
    np.testing.assert_array_equal(result["total"], [9.0, 11.0])
    np.testing.assert_array_equal(result["scaled_out"], [8.0, 12.0])


def test_constant_folding_of_multi_output_ops_and_shape_of():
    data = ops.constant(np.arange(4, dtype=np.float32), name="data")
    split = ops.split(data, 0, 2)
    split.set_friendly_name("halves")
    split.output(1).set_names({"second"})
    param = ops.parameter([2], np.float32, name="x")
    first, second = ops.add(param, split.output(0)), ops.add(param, split.output(1))
    shape = ops.shape_of(param)
    shape.set_friendly_name("shape")
    reshaped = ops.reshape(second, shape, False)
    model = ov.Model([first, reshaped], [param])
    ConstantFolding().run_on_model(model)

    folded = {op.get_friendly_name(): op for op in model.get_ordered_ops()
              if op.get_type_name() == "Constant"}
    assert set(folded) >= {"halves.0", "halves.1", "shape"}
    np.testing.assert_array_equal(folded["halves.0"].get_data(), [0.0, 1.0])
    np.testing.assert_array_equal(folded["halves.1"].get_data(), [2.0, 3.0])
    assert folded["halves.1"].output(0).get_names() == {"second"}
    np.testing.assert_array_equal(folded["shape"].get_data(), [2])
    assert folded["shape"].get_element_type() == ov.Type.i64
    assert first.input_value(1).get_node() is folded["halves.0"]


def test_constant_folding_leaves_parameters_and_variable_subgraphs():
    param = ops.parameter([2], np.float32, name="x")
    relu = ops.relu(param)
    model = ov.Model([relu], [param])
    ConstantFolding().run_on_model(model)
    assert [op.get_type_name() for op in model.get_ordered_ops()] == \
        ["Parameter", "Relu", "Result"]


def test_constant_folding_leaves_state_reads():
    init = ops.constant(np.zeros((2,), np.float32))
    read = ops.read_value(init, "v", ov.Type.f32, [2])
    bump = ops.add(read, ops.constant(np.ones((2,), np.float32)))
    assign = ops.assign(bump, "v")
    model = ov.Model(results=[ops.result(bump)], sinks=[assign], parameters=[])
    ConstantFolding().run_on_model(model)
    types = [op.get_type_name() for op in model.get_ordered_ops()]
    assert "ReadValue" in types and "Add" in types
