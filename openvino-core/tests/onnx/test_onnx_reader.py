"""``read_onnx``: sources (path, Path, bytes, file objects), external data, names and
dynamic dimensions, a few mappings checked against numpy, and bad input."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from openvino import Type  # noqa: E402
from openvino._onnx import read_onnx  # noqa: E402
from openvino._reference_executor import ReferencePlan  # noqa: E402

RNG = np.random.default_rng(7)


def _model(nodes, inputs, outputs, initializers=(), opset=18, functions=()) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                             functions=list(functions))


def _affine_model() -> onnx.ModelProto:
    """y = relu(x @ W + b) with x of shape [batch, 4] (batch symbolic)."""
    w = numpy_helper.from_array(RNG.standard_normal((4, 3)).astype(np.float32), "W")
    b = numpy_helper.from_array(RNG.standard_normal(3).astype(np.float32), "b")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["xw"], name="mm"),
             helper.make_node("Add", ["xw", "b"], ["pre"], name="add"),
             helper.make_node("Relu", ["pre"], ["y"], name="relu")]
    return _model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])],
                  [w, b])


def _expected_affine(proto: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    inits = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    return np.maximum(x @ inits["W"] + inits["b"], 0)


def _run(model, *arrays):
    return ReferencePlan(model).run(list(arrays))


# --- sources ---------------------------------------------------------------------------------
def test_reads_path_str_bytes_and_file_objects(tmp_path: Path) -> None:
    proto = _affine_model()
    path = tmp_path / "m.onnx"
    onnx.save(proto, str(path))
    x = RNG.standard_normal((2, 4)).astype(np.float32)
    want = _expected_affine(proto, x)
    with open(path, "rb") as f:
        from_file = read_onnx(f)
    sources = [path, str(path), path.read_bytes(), bytearray(path.read_bytes()),
               io.BytesIO(path.read_bytes())]
    for model in [read_onnx(s) for s in sources] + [from_file]:
        np.testing.assert_allclose(_run(model, x)[0], want, rtol=1e-5, atol=1e-6)


def test_names_and_dynamic_dimensions() -> None:
    model = read_onnx(_affine_model().SerializeToString())
    (param,) = model.get_parameters()
    assert param.get_friendly_name() == "x"
    assert model.inputs[0].get_names() == {"x"}
    assert model.outputs[0].get_names() == {"y"}
    ps = model.inputs[0].get_partial_shape()
    assert ps[0].is_dynamic and ps[1].get_length() == 4
    assert model.outputs[0].get_partial_shape()[1].get_length() == 3
    # intermediate ONNX tensor names stay on the outputs that carry them
    names = {n for op in model.get_ordered_ops() for o in op.outputs() for n in o.get_names()}
    assert {"W", "b", "xw", "pre"} <= names
    # initializers are Constants named after them
    consts = {op.get_friendly_name() for op in model.get_ordered_ops()
              if op.get_type_name() == "Constant"}
    assert {"W", "b"} <= consts
    # the batch really is dynamic: other batch sizes run
    x = RNG.standard_normal((5, 4)).astype(np.float32)
    assert _run(model, x)[0].shape == (5, 3)


def test_missing_shape_gives_dynamic_rank() -> None:
    proto = _model([helper.make_node("Abs", ["x"], ["y"])],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = read_onnx(proto.SerializeToString())
    assert model.inputs[0].get_partial_shape().rank.is_dynamic
    x = np.array([[-1.0, 2.0]], np.float32)
    np.testing.assert_array_equal(_run(model, x)[0], np.abs(x))


def test_external_data_next_to_model(tmp_path: Path) -> None:
    proto = _affine_model()
    x = RNG.standard_normal((3, 4)).astype(np.float32)
    want = _expected_affine(proto, x)
    onnx.save_model(proto, str(tmp_path / "m.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    assert (tmp_path / "weights.bin").is_file()
    model = read_onnx(tmp_path / "m.onnx")
    np.testing.assert_allclose(_run(model, x)[0], want, rtol=1e-5, atol=1e-6)


def test_missing_external_data_file_names_the_tensor(tmp_path: Path) -> None:
    onnx.save_model(_affine_model(), str(tmp_path / "m.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    (tmp_path / "weights.bin").unlink()
    with pytest.raises(RuntimeError, match=r"initializer 'W'.*weights\.bin"):
        read_onnx(tmp_path / "m.onnx")


def test_external_data_outside_model_folder_is_refused(tmp_path: Path) -> None:
    proto = _affine_model()
    tensor = proto.graph.initializer[0]
    onnx.external_data_helper.set_external_data(tensor, location="../escape.bin")
    tensor.data_location = TensorProto.EXTERNAL
    tensor.ClearField("raw_data")
    tensor.ClearField("float_data")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.onnx").write_bytes(proto.SerializeToString())
    (tmp_path / "escape.bin").write_bytes(b"\0" * 48)
    with pytest.raises(RuntimeError, match="outside"):
        read_onnx(tmp_path / "sub" / "m.onnx")


def test_short_external_data_file(tmp_path: Path) -> None:
    onnx.save_model(_affine_model(), str(tmp_path / "m.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    data = (tmp_path / "weights.bin").read_bytes()
    (tmp_path / "weights.bin").write_bytes(data[:10])
    with pytest.raises(RuntimeError, match="past the end"):
        read_onnx(tmp_path / "m.onnx")


# --- bad input -------------------------------------------------------------------------------
def test_missing_file() -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        read_onnx("/no/such/model.onnx")


def test_corrupt_bytes() -> None:
    with pytest.raises(RuntimeError, match="not a valid ONNX model"):
        read_onnx(b"\xff\xfe this is not a protobuf \x00\x01")
    with pytest.raises(RuntimeError, match="no graph"):
        read_onnx(b"")


def test_truncated_model_raises_runtime_error() -> None:
    data = _affine_model().SerializeToString()
    # every cut point: either a clean RuntimeError or (when the cut lands on a field
    # boundary that leaves a complete model) a model; never any other exception
    errors = 0
    for cut in range(1, len(data) - 1):
        try:
            read_onnx(data[:cut])
        except RuntimeError:
            errors += 1
    assert errors > len(data) // 2
    with pytest.raises(RuntimeError):
        read_onnx(data[: len(data) // 2])


def test_unknown_op_names_the_node() -> None:
    proto = _model([helper.make_node("Abs", ["x"], ["a"], name="first"),
                    helper.make_node("FrobnicateTensor", ["a"], ["y"], name="weird_node")],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    with pytest.raises(RuntimeError, match=r"ONNX node 'weird_node' \(FrobnicateTensor\): "
                                           r"no mapping"):
        read_onnx(proto.SerializeToString())


def test_unknown_input_names_the_node() -> None:
    proto = _model([helper.make_node("Add", ["x", "ghost"], ["y"], name="adder")],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    with pytest.raises(RuntimeError, match=r"'adder' \(Add\).*'ghost'"):
        read_onnx(proto.SerializeToString())


def test_invalid_node_arguments_name_the_node() -> None:
    proto = _model([helper.make_node("MatMul", ["x", "z"], ["y"], name="bad_mm")],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
                    helper.make_tensor_value_info("z", TensorProto.FLOAT, [4, 5])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    with pytest.raises(RuntimeError, match=r"ONNX node 'bad_mm' \(MatMul\)"):
        read_onnx(proto.SerializeToString())


def test_non_tensor_graph_input() -> None:
    seq = helper.make_tensor_sequence_value_info("s", TensorProto.FLOAT, None)
    proto = _model([helper.make_node("Identity", ["s"], ["y"])], [seq],
                   [helper.make_tensor_sequence_value_info("y", TensorProto.FLOAT, None)])
    with pytest.raises(RuntimeError, match="'s' is a sequence_type"):
        read_onnx(proto.SerializeToString())


def test_wrong_argument_type() -> None:
    with pytest.raises(TypeError):
        read_onnx(42)


def test_missing_onnx_package_explains_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"pip install openvino-core\[onnx\]"):
        read_onnx(b"")


# --- mappings ------------------------------------------------------------------------------------
def test_gemm_decomposition() -> None:
    a = RNG.standard_normal((3, 2)).astype(np.float32)
    b = RNG.standard_normal((4, 3)).astype(np.float32)
    c = RNG.standard_normal((1, 4)).astype(np.float32)
    proto = _model([helper.make_node("Gemm", ["a", "b", "c"], ["y"], transA=1, transB=1,
                                     alpha=0.5, beta=2.0)],
                   [helper.make_tensor_value_info(n, TensorProto.FLOAT, v.shape)
                    for n, v in (("a", a), ("b", b), ("c", c))],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])])
    y = _run(read_onnx(proto.SerializeToString()), a, b, c)[0]
    np.testing.assert_allclose(y, 0.5 * a.T @ b.T + 2.0 * c, rtol=1e-5, atol=1e-6)


def test_shape_constant_of_shape_and_cast() -> None:
    nodes = [helper.make_node("Shape", ["x"], ["s"]),
             helper.make_node("ConstantOfShape", ["s"], ["filled"],
                              value=numpy_helper.from_array(np.array([3], np.int32))),
             helper.make_node("Cast", ["filled"], ["y"], to=TensorProto.FLOAT),
             helper.make_node("Size", ["x"], ["n"])]
    proto = _model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["a", 2])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
                    helper.make_tensor_value_info("n", TensorProto.INT64, [])])
    model = read_onnx(proto.SerializeToString())
    assert model.outputs[0].get_element_type() == Type.f32
    assert model.outputs[1].get_element_type() == Type.i64
    y, n = _run(model, np.zeros((3, 2), np.float32))
    np.testing.assert_array_equal(y, np.full((3, 2), 3.0, np.float32))
    assert int(n) == 6


def test_clip_with_optional_inputs_and_opset_6_attributes() -> None:
    x = np.linspace(-3, 3, 13).astype(np.float32)
    hi = numpy_helper.from_array(np.array(1.5, np.float32), "hi")
    proto = _model([helper.make_node("Clip", ["x", "", "hi"], ["y"])],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [13])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [13])], [hi])
    np.testing.assert_array_equal(_run(read_onnx(proto.SerializeToString()), x)[0],
                                  np.minimum(x, 1.5))
    old = _model([helper.make_node("Clip", ["x"], ["y"], min=-1.0, max=2.0)],
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, [13])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, [13])], opset=6)
    np.testing.assert_array_equal(_run(read_onnx(old.SerializeToString()), x)[0],
                                  np.clip(x, -1, 2))


def test_layer_normalization_and_function_expansion() -> None:
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    scale = RNG.standard_normal(4).astype(np.float32)
    bias = RNG.standard_normal(4).astype(np.float32)
    nodes = [helper.make_node("LayerNormalization", ["x", "s", "b"], ["y", "mean"],
                              epsilon=1e-5)]
    proto = _model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, x.shape),
                    helper.make_tensor_value_info("mean", TensorProto.FLOAT, [2, 3, 1])],
                   [numpy_helper.from_array(scale, "s"), numpy_helper.from_array(bias, "b")])
    y, mean = _run(read_onnx(proto.SerializeToString()), x)
    mu = x.mean(-1, keepdims=True)
    want = (x - mu) / np.sqrt(x.var(-1, keepdims=True) + 1e-5) * scale + bias
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(mean, mu, rtol=1e-5, atol=1e-6)


def test_model_local_function_is_inlined() -> None:
    fn = helper.make_function(
        "custom", "Scale2", ["a"], ["b"],
        [helper.make_node("Constant", [], ["two"], value_float=2.0),
         helper.make_node("Mul", ["a", "two"], ["b"])],
        opset_imports=[helper.make_opsetid("", 18)])
    proto = _model([helper.make_node("Scale2", ["x"], ["y"], domain="custom")],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])],
                   functions=[fn])
    proto.opset_import.append(helper.make_opsetid("custom", 1))
    x = np.array([1.0, -2.0, 0.5], np.float32)
    model = read_onnx(proto.SerializeToString())
    np.testing.assert_array_equal(_run(model, x)[0], 2 * x)
    assert model.outputs[0].get_names() == {"y"}


def test_if_with_constant_condition_and_scan() -> None:
    then_g = helper.make_graph([helper.make_node("Neg", ["x"], ["t"])], "then", [],
                               [helper.make_tensor_value_info("t", TensorProto.FLOAT, [3])])
    else_g = helper.make_graph([helper.make_node("Abs", ["x"], ["e"])], "else", [],
                               [helper.make_tensor_value_info("e", TensorProto.FLOAT, [3])])
    cond = numpy_helper.from_array(np.array(False), "c")
    proto = _model([helper.make_node("If", ["c"], ["y"], then_branch=then_g,
                                     else_branch=else_g)],
                   [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])], [cond])
    x = np.array([1.0, -2.0, 3.0], np.float32)
    np.testing.assert_array_equal(_run(read_onnx(proto.SerializeToString()), x)[0], np.abs(x))
    # running sum over the rows of x
    body = helper.make_graph(
        [helper.make_node("Add", ["acc_in", "row"], ["acc_out"]),
         helper.make_node("Identity", ["acc_out"], ["scan_out"])], "body",
        [helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [2]),
         helper.make_tensor_value_info("row", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [2]),
         helper.make_tensor_value_info("scan_out", TensorProto.FLOAT, [2])])
    proto = _model([helper.make_node("Scan", ["init", "xs"], ["final", "partial"],
                                     num_scan_inputs=1, body=body)],
                   [helper.make_tensor_value_info("init", TensorProto.FLOAT, [2]),
                    helper.make_tensor_value_info("xs", TensorProto.FLOAT, [4, 2])],
                   [helper.make_tensor_value_info("final", TensorProto.FLOAT, [2]),
                    helper.make_tensor_value_info("partial", TensorProto.FLOAT, [4, 2])])
    xs = RNG.standard_normal((4, 2)).astype(np.float32)
    init = np.array([1.0, 2.0], np.float32)
    final, partial = _run(read_onnx(proto.SerializeToString()), init, xs)
    np.testing.assert_allclose(partial, init + np.cumsum(xs, axis=0), rtol=1e-5)
    np.testing.assert_allclose(final, partial[-1], rtol=1e-6)


def test_if_with_runtime_condition_becomes_an_if_op() -> None:
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["o"])], "b", [],
                          [helper.make_tensor_value_info("o", TensorProto.FLOAT, [3])])
    proto = _model([helper.make_node("If", ["c"], ["y"], then_branch=g, else_branch=g,
                                     name="branchy")],
                   [helper.make_tensor_value_info("c", TensorProto.BOOL, []),
                    helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
                   [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])])
    model = read_onnx(proto.SerializeToString())
    (node,) = [n for n in model.get_ordered_ops() if n.get_type_name() == "If"]
    assert node.get_friendly_name() == "branchy"
    x = np.array([1, 2, 3], np.float32)
    for flag in (True, False):
        (y,) = ReferencePlan(model).run([np.array(flag), x])
        np.testing.assert_array_equal(y, x)


def _suite():
    import importlib.util

    path = Path(__file__).with_name("run_backend_suite.py")
    spec = importlib.util.spec_from_file_location("run_backend_suite", path)
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)
    return suite


def test_backend_suite_runner_main(capsys: pytest.CaptureFixture[str]) -> None:
    suite = _suite()
    assert suite.main(["-k", "test_gemm_", "--min-pass", "5"]) == 0
    out = capsys.readouterr().out
    assert "Gemm" in out and "cases passed" in out
    assert suite.main(["-k", "test_gemm_", "--min-pass", "100000", "--quiet"]) == 1


# backend node cases of the mappings built from several ops (unrolled recurrences, Scan,
# decompositions): every case of each group must pass on the reference executor
@pytest.mark.parametrize("prefix", ["test_lstm", "test_gru", "test_simple_rnn", "test_rnn_seq",
                                    "test_scan9", "test_shrink", "test_gemm", "test_hardmax",
                                    "test_argmax", "test_tri", "test_eyelike",
                                    "test_layer_normalization", "test_dequantizelinear_axis",
                                    "test_qlinearmatmul_2D", "test_convtranspose_pad",
                                    "test_flatten", "test_onehot"])
def test_backend_cases_of_decomposed_ops(prefix: str) -> None:
    suite = _suite()
    cases = suite.collect_cases(prefix)
    assert cases, prefix
    runner = suite._Runner("reference")
    failures = [(c.name, suite.run_case(c, runner)) for c in cases]
    failures = [f for f in failures if f[1][0] != "pass"]
    assert not failures, failures
