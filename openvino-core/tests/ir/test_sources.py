"""read_ir takes the model and weights in every form users pass them."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

import openvino as ov
import openvino.opset13 as ops
from openvino._ir import read_ir


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, np.ndarray]:
    x = ops.parameter([2, 3], np.float32, name="x")
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    model = ov.Model([ops.add(x, ops.constant(w))], [x], "src")
    ov.serialize(model, tmp_path / "m.xml")
    return tmp_path / "m.xml", w


def _check(model: ov.Model, w: np.ndarray) -> None:
    x = np.ones((2, 3), np.float32)
    out: list = []
    model.evaluate(out, [ov.Tensor(x)])
    assert np.array_equal(out[0].data, x + w)


def test_path_forms_find_the_bin(saved: tuple[Path, np.ndarray]) -> None:
    path, w = saved
    _check(read_ir(path), w)
    _check(read_ir(str(path)), w)


@pytest.mark.parametrize("form", ["str", "bytes", "bytesio", "file"])
@pytest.mark.parametrize("weights_form", ["path", "str", "bytes", "bytesio", "tensor", "file"])
def test_model_and_weights_forms(saved: tuple[Path, np.ndarray], form: str,
                                 weights_form: str) -> None:
    path, w = saved
    xml_bytes = path.read_bytes()
    bin_path = path.with_suffix(".bin")
    model_arg = {"str": xml_bytes.decode(), "bytes": xml_bytes,
                 "bytesio": io.BytesIO(xml_bytes), "file": None}[form]
    weights_arg = {"path": bin_path, "str": str(bin_path), "bytes": bin_path.read_bytes(),
                   "bytesio": io.BytesIO(bin_path.read_bytes()),
                   "tensor": ov.tensor_from_file(bin_path), "file": None}[weights_form]
    with open(path, "rb") as mf, open(bin_path, "rb") as wf:
        if model_arg is None:
            model_arg = mf
        if weights_arg is None:
            weights_arg = wf
        _check(read_ir(model_arg, weights_arg), w)


def test_tensor_from_file(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    t = ov.tensor_from_file(path.with_suffix(".bin"))
    assert t.get_element_type() == ov.Type.u8
    assert list(t.get_shape()) == [path.with_suffix(".bin").stat().st_size]
    assert t.data.tobytes() == path.with_suffix(".bin").read_bytes()


def test_bytes_without_weights_when_no_constants(tmp_path: Path) -> None:
    a = ops.parameter([4], np.float32, name="a")
    ov.serialize(ov.Model([ops.relu(a)], [a], "noconst"), tmp_path / "m.xml")
    (tmp_path / "m.bin").unlink()
    assert read_ir(tmp_path / "m.xml").get_friendly_name() == "noconst"
    assert read_ir((tmp_path / "m.xml").read_bytes()).get_friendly_name() == "noconst"


def test_bytes_without_weights_when_constants_needed(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    with pytest.raises(RuntimeError, match="no weights"):
        read_ir(path.read_bytes())


def test_unsupported_weights_type(saved: tuple[Path, np.ndarray]) -> None:
    path, _ = saved
    with pytest.raises(TypeError, match="'weights' argument"):
        read_ir(path, 3.5)


def test_ir_v10() -> None:
    xml = """<?xml version="1.0"?>
<net name="legacy" version="10">
  <layers>
    <layer id="0" name="data" type="Parameter" version="opset1">
      <data shape="1,4" element_type="f32"/>
      <output><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></output>
    </layer>
    <layer id="1" name="k" type="Const" version="opset1">
      <data element_type="f32" shape="1,4" offset="0" size="16"/>
      <output><port id="1" precision="FP32"><dim>1</dim><dim>4</dim></port></output>
    </layer>
    <layer id="2" name="mul" type="Multiply" version="opset1">
      <data auto_broadcast="numpy"/>
      <input><port id="0"><dim>1</dim><dim>4</dim></port>
             <port id="1"><dim>1</dim><dim>4</dim></port></input>
      <output><port id="2" precision="FP32"><dim>1</dim><dim>4</dim></port></output>
    </layer>
    <layer id="3" name="mul/sink_port_0" type="Result" version="opset1">
      <input><port id="0"><dim>1</dim><dim>4</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
    <edge from-layer="1" from-port="1" to-layer="2" to-port="1"/>
    <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  </edges>
</net>"""
    k = np.array([[1, 2, 3, 4]], np.float32)
    model = read_ir(xml, k.tobytes())
    out: list = []
    model.evaluate(out, [ov.Tensor(np.full((1, 4), 2, np.float32))])
    assert np.array_equal(out[0].data, 2 * k)
    assert [n.get_friendly_name() for n in model.get_ordered_ops()] == [
        "data", "k", "mul", "mul/sink_port_0"]
    # v10 names inputs and outputs after their layers, as the real reader does
    assert model.inputs[0].get_names() == {"data"}
    assert model.outputs[0].get_names() == {"mul"}


def test_ir_v10_legacy_names_for_multi_output_producers() -> None:
    xml = """<?xml version="1.0"?>
<net name="legacy" version="10"><layers>
  <layer id="0" name="x" type="Parameter" version="opset1"><data shape="4" element_type="f32"/>
    <output><port id="0" precision="FP32" names="given"><dim>4</dim></port></output></layer>
  <layer id="1" name="axis" type="Const" version="opset1">
    <data element_type="i64" shape="" offset="0" size="8"/>
    <output><port id="0" precision="I64"/></output></layer>
  <layer id="2" name="split" type="Split" version="opset1"><data num_splits="2"/>
    <input><port id="0"><dim>4</dim></port><port id="1"/></input>
    <output><port id="2" precision="FP32"><dim>2</dim></port>
            <port id="3" precision="FP32" names="second"><dim>2</dim></port></output></layer>
  <layer id="3" name="r0" type="Result" version="opset1"><input><port id="0"><dim>2</dim></port>
    </input></layer>
  <layer id="4" name="r1" type="Result" version="opset1"><input><port id="0"><dim>2</dim></port>
    </input></layer>
</layers><edges>
  <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
  <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
  <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
  <edge from-layer="2" from-port="3" to-layer="4" to-port="0"/>
</edges></net>"""
    model = read_ir(xml, np.array([0], np.int64).tobytes())
    assert model.inputs[0].get_names() == {"x", "given"}
    assert [o.get_names() for o in model.outputs] == [{"split.0"}, {"split.1", "second"}]


def test_utf16_document(saved: tuple[Path, np.ndarray]) -> None:
    path, w = saved
    text = path.read_text(encoding="utf-8").replace('<?xml version="1.0"?>',
                                                    '<?xml version="1.0" encoding="UTF-16"?>')
    _check(read_ir(text.encode("utf-16"), path.with_suffix(".bin")), w)


# --- weights files are mapped, not copied (ENABLE_MMAP) ------------------------------------------

def _big_model(tmp_path: Path, value: float) -> tuple[Path, np.ndarray]:
    """A model whose .bin (256 KiB) is large enough to be mapped."""
    x = ops.parameter([256, 256], np.float32, name="x")
    w = np.full((256, 256), value, np.float32)
    ov.save_model(ov.Model([ops.add(x, ops.constant(w))], [x], "big"), tmp_path / "big.xml",
                  compress_to_fp16=False)
    return tmp_path / "big.xml", w


def _const_data(model: ov.Model) -> np.ndarray:
    node = next(n for n in model.get_ordered_ops() if n.get_type_name() == "Constant")
    return node.get_data()


def _maps_file(array: np.ndarray) -> bool:
    import mmap

    base = array
    while isinstance(base, np.ndarray):
        base = base.base
    if isinstance(base, memoryview):
        base = base.obj
    return isinstance(base, mmap.mmap)


def test_weights_file_is_mapped(tmp_path: Path) -> None:
    path, w = _big_model(tmp_path, 1.5)
    model = ov.Core().read_model(path)
    data = _const_data(model)
    assert _maps_file(data) and not data.flags.writeable
    np.testing.assert_array_equal(data, w)
    _check_big(model, w)


def test_enable_mmap_false_reads_the_file(tmp_path: Path) -> None:
    path, w = _big_model(tmp_path, 2.5)
    core = ov.Core()
    core.set_property({"ENABLE_MMAP": False})
    data = _const_data(core.read_model(path))
    assert not _maps_file(data)
    np.testing.assert_array_equal(data, w)


def test_small_weights_file_is_read(saved: tuple[Path, np.ndarray]) -> None:
    path, w = saved
    assert not _maps_file(_const_data(ov.Core().read_model(path)))


def test_saving_over_a_mapped_file_keeps_the_read_model_intact(tmp_path: Path) -> None:
    """The real runtime dies of SIGBUS here (the mapped file is truncated under it); ours
    writes the new .bin beside the old one and renames it over, so the model read before
    keeps its weights."""
    path, w = _big_model(tmp_path, 1.5)
    model = ov.Core().read_model(path)
    _, w2 = _big_model(tmp_path, 7.0)  # another model saved to the same files
    np.testing.assert_array_equal(_const_data(model), w)
    _check_big(model, w)
    np.testing.assert_array_equal(_const_data(ov.Core().read_model(path)), w2)
    ov.save_model(model, path, compress_to_fp16=False)  # the model onto its own file
    np.testing.assert_array_equal(_const_data(ov.Core().read_model(path)), w)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin", "big.xml"]


def _check_big(model: ov.Model, w: np.ndarray) -> None:
    x = np.ones((256, 256), np.float32)
    out: list = []
    model.evaluate(out, [ov.Tensor(x)])
    np.testing.assert_array_equal(out[0].data, x + w)
