"""String tensor ops: StringTensorUnpack-15 and StringTensorPack-15."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import openvino.opset14 as ops14
import openvino.opset15 as ops
from openvino import Dimension, Model, PartialShape, Tensor, Type
from openvino._reference_executor import ReferencePlan

CORPUS = Path("/work/shared/corpus")


def strings(*items, shape=None):
    arr = np.array([s.encode("utf-8") if isinstance(s, str) else s for s in items],
                   dtype=object)
    return arr.reshape(shape) if shape is not None else arr


def run(node, *arrays):
    params = [v.get_node() for v in node.input_values()
              if v.get_node().get_type_name() == "Parameter"]
    outs = []
    Model(node.outputs(), params).evaluate(outs, [Tensor(a) for a in arrays])
    return [o.data for o in outs]


def test_unpack_splits_utf8_bytes():
    text = strings("Intel", "OpenVINO", "", "héllo")
    node = ops.string_tensor_unpack(ops.parameter([4], Type.string))
    assert [o.get_element_type() for o in node.outputs()] == [Type.i32, Type.i32, Type.u8]
    assert node.output(0).get_partial_shape() == PartialShape([4])
    assert node.output(2).get_partial_shape() == PartialShape([Dimension()])
    begins, ends, symbols = run(node, text)
    np.testing.assert_array_equal(begins, [0, 5, 13, 13])
    np.testing.assert_array_equal(ends, [5, 13, 13, 19])
    assert begins.dtype == np.int32 and symbols.dtype == np.uint8
    assert symbols.tobytes() == "IntelOpenVINOhéllo".encode()


def test_unpack_multi_dimensional_and_empty():
    node = ops.string_tensor_unpack(ops.parameter([2, Dimension()], Type.string))
    assert node.output(1).get_partial_shape() == PartialShape([2, Dimension()])
    b, e, s = run(node, strings("ab", "c", "", "def", shape=(2, 2)))
    np.testing.assert_array_equal(b, [[0, 2], [3, 3]])
    np.testing.assert_array_equal(e, [[2, 3], [3, 6]])
    assert s.tobytes() == b"abcdef"
    b, e, s = run(node, np.empty((2, 0), dtype=object))
    assert b.shape == (2, 0) and e.shape == (2, 0) and s.shape == (0,)


def test_unpack_of_constant_knows_symbol_count():
    node = ops.string_tensor_unpack(ops.constant(np.array(["ab", "cde"])))
    assert node.output(2).get_partial_shape() == PartialShape([5])


def test_pack_builds_strings():
    node = ops.string_tensor_pack(ops.parameter([2], np.int64), ops.parameter([2], np.int64),
                                  ops.parameter([Dimension()], np.uint8))
    assert node.get_output_element_type(0) == Type.string
    assert node.get_output_partial_shape(0) == PartialShape([2])
    symbols = np.frombuffer(b"IntelOpenVINO", np.uint8)
    (out,) = run(node, np.array([0, 5], np.int64), np.array([5, 13], np.int64), symbols)
    assert out.tolist() == [b"Intel", b"OpenVINO"]


def test_pack_overlapping_and_empty_ranges():
    node = ops.string_tensor_pack(ops.parameter([2, 2], np.int32),
                                  ops.parameter([2, 2], np.int32),
                                  ops.parameter([3], np.uint8))
    symbols = np.frombuffer(b"abc", np.uint8)
    (out,) = run(node, np.array([[0, 1], [2, 3]], np.int32), np.array([[3, 2], [2, 3]], np.int32),
                 symbols)
    assert out.tolist() == [[b"abc", b"b"], [b"", b""]]


def test_unpack_then_pack_round_trips_strings():
    p = ops.parameter([3], Type.string)
    unpack = ops.string_tensor_unpack(p)
    pack = ops.string_tensor_pack(unpack.output(0), unpack.output(1), unpack.output(2))
    model = Model([pack], [p])
    text = strings("мир", "", "x y")
    (out,) = ReferencePlan(model).run([text])
    assert out.tolist() == text.tolist()


def test_pack_invalid_arguments_raise():
    i32 = ops.parameter([2], np.int32)
    with pytest.raises(RuntimeError, match="i32 or i64"):
        ops.string_tensor_pack(ops.parameter([2], np.float32), i32,
                               ops.parameter([4], np.uint8))
    with pytest.raises(RuntimeError, match="must match"):
        ops.string_tensor_pack(ops.parameter([2], np.int64), i32, ops.parameter([4], np.uint8))
    with pytest.raises(RuntimeError, match="u8"):
        ops.string_tensor_pack(i32, i32, ops.parameter([4], np.int8))
    with pytest.raises(RuntimeError, match="must be equal"):
        ops.string_tensor_pack(i32, ops.parameter([3], np.int32), ops.parameter([4], np.uint8))
    with pytest.raises(RuntimeError, match="1D"):
        ops.string_tensor_pack(i32, i32, ops.parameter([2, 2], np.uint8))
    node = ops.string_tensor_pack(i32, ops.parameter([2], np.int32),
                                  ops.parameter([3], np.uint8))
    with pytest.raises(RuntimeError, match="outside"):
        run(node, np.array([0, 2], np.int32), np.array([2, 4], np.int32),
            np.zeros(3, np.uint8))


def test_unpack_rejects_non_string_input():
    with pytest.raises(RuntimeError, match="string tensor"):
        ops.string_tensor_unpack(ops.parameter([2], np.float32))


def test_only_in_opset15():
    assert not hasattr(ops14, "string_tensor_unpack")
    assert ops.string_tensor_unpack(ops.parameter([1], Type.string)).get_type_info() \
        .version_id == "opset15"


@pytest.mark.skipif(not (CORPUS / "string_unpack_pack").is_dir(), reason="no corpus")
def test_corpus_string_unpack_pack():
    from openvino._ir.reader import read_ir

    case = CORPUS / "string_unpack_pack"
    model = read_ir(str(case / "model.xml"))
    meta = json.loads((case / "case.json").read_text())
    inputs, expected = np.load(case / "inputs.npz"), np.load(case / "expected.npz")
    text = strings(*inputs["#0"].tolist())
    outs = ReferencePlan(model).run([text])
    for i, (out, spec) in enumerate(zip(outs, meta["outputs"])):
        want = expected[f"#{i}"]
        if spec["element_type"] == "string":
            assert out.tolist() == [s.encode() for s in want.tolist()]
        else:
            np.testing.assert_array_equal(out, want)
