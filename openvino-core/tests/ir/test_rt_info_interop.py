"""Model rt_info through save_model/read_model as OpenVINO 2026.4.1 writes and reads it:
the same text for the same values, and values read back as OVAny (sections as dicts)
that convert to the Python types they were saved from."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import openvino as ov

ops = ov.opset13

# The <rt_info> OpenVINO 2026.4.1's save_model wrote for the values set in _model() below
# (its version entry left out).
RUNTIME_RT_INFO = """
    <b value="YES" />
    <bools value="1 0" />
    <dict>
        <k1 value="v1" />
        <k2 value="3" />
        <k3>
            <z value="1" />
        </k3>
    </dict>
    <empty value="" />
    <emptylist value="" />
    <f value="1.5" />
    <floats value="1.5 2.5" />
    <i value="7" />
    <ints value="1 2 3" />
    <neg value="-3" />
    <nested>
        <deeper>
            <x value="0.25" />
        </deeper>
        <flag value="NO" />
    </nested>
    <s value="str_value" />
    <strnum value="1.0" />
    <strs value="a b" />
"""

IR_TEMPLATE = """<?xml version="1.0"?>
<net name="m" version="11">
  <layers>
    <layer id="0" name="a" type="Parameter" version="opset1">
      <data shape="2" element_type="f32" />
      <output><port id="0" precision="FP32" names="a"><dim>2</dim></port></output>
    </layer>
    <layer id="1" name="relu" type="ReLU" version="opset1">
      <input><port id="0" precision="FP32"><dim>2</dim></port></input>
      <output><port id="1" precision="FP32" names="y"><dim>2</dim></port></output>
    </layer>
    <layer id="2" name="out" type="Result" version="opset1">
      <input><port id="0" precision="FP32"><dim>2</dim></port></input>
    </layer>
  </layers>
  <edges>
    <edge from-layer="0" from-port="0" to-layer="1" to-port="0" />
    <edge from-layer="1" from-port="1" to-layer="2" to-port="0" />
  </edges>
  <rt_info>
    <info name="OpenVINO Runtime" value="2026.4.1" />
    {rt_info}
  </rt_info>
</net>
"""


def _model() -> ov.Model:
    a = ops.parameter([2], np.float32, name="a")
    model = ov.Model(ops.relu(a), [a], "m")
    for value, path in [
        ("str_value", "s"), (1.5, "f"), (7, "i"), (True, "b"), (False, ["nested", "flag"]),
        (0.25, ["nested", "deeper", "x"]), ([1, 2, 3], "ints"), ([1.5, 2.5], "floats"),
        (["a", "b"], "strs"), ({"k1": "v1", "k2": 3, "k3": {"z": 1.0}}, "dict"),
        ([True, False], "bools"), ("", "empty"), ([], "emptylist"), (-3, "neg"),
        ("1.0", "strnum"),
    ]:
        model.set_rt_info(value, path)
    return model


def _tree(element: ET.Element) -> object:
    """An rt_info element as nested {tag: value or subtree}."""
    return {child.get("name", child.tag): child.get("value") if "value" in child.attrib
            else _tree(child) for child in element}


def test_saved_rt_info_has_the_runtimes_text(tmp_path: Path) -> None:
    ov.save_model(_model(), tmp_path / "m.xml")
    ours = _tree(ET.parse(tmp_path / "m.xml").getroot().find("rt_info"))
    ours.pop("OpenVINO Runtime")
    theirs = _tree(ET.fromstring(f"<rt_info>{RUNTIME_RT_INFO}</rt_info>"))
    assert ours == theirs


def _check_read_back(model: ov.Model) -> None:
    assert model.get_rt_info("version").value == 11  # the IR version, as OpenVINO records it
    info = model.get_rt_info()
    assert isinstance(info["s"], ov.OVAny) and info["s"] == "str_value"
    assert isinstance(info["nested"], dict) and isinstance(info["nested"]["deeper"], dict)
    assert isinstance(info["nested"]["flag"], ov.OVAny)
    assert model.get_rt_info("s").astype(str) == "str_value"
    assert model.get_rt_info("f").astype(float) == 1.5
    assert model.get_rt_info("i").astype(int) == 7
    assert model.get_rt_info("neg").astype(int) == -3
    assert model.get_rt_info("b").astype(bool) is True
    assert model.get_rt_info(["nested", "flag"]).astype(bool) is False
    assert model.get_rt_info(["nested", "deeper", "x"]).astype(float) == 0.25
    assert model.get_rt_info("ints").aslist(int) == [1, 2, 3]
    assert model.get_rt_info("floats").aslist(float) == [1.5, 2.5]
    assert model.get_rt_info("strs").aslist(str) == ["a", "b"]
    assert model.get_rt_info("bools").aslist(bool) == [True, False]
    assert model.get_rt_info("emptylist").aslist(int) == []
    assert model.get_rt_info("empty") == ""
    assert model.get_rt_info("strnum") == "1.0"
    section = model.get_rt_info("dict")
    assert section.value == {"k1": "v1", "k2": "3", "k3": {"z": "1"}}
    as_dict = section.astype(dict)
    assert as_dict["k2"].astype(int) == 3 and as_dict["k3"]["z"].astype(float) == 1.0
    assert model.has_rt_info(["dict", "k3", "z"]) and not model.has_rt_info(["dict", "zz"])


def test_rt_info_written_by_the_runtime_reads_back(tmp_path: Path) -> None:
    (tmp_path / "m.xml").write_text(IR_TEMPLATE.format(rt_info=RUNTIME_RT_INFO))
    _check_read_back(ov.Core().read_model(tmp_path / "m.xml"))


def test_rt_info_round_trips_through_save_model(tmp_path: Path) -> None:
    ov.save_model(_model(), tmp_path / "m.xml")
    again = ov.Core().read_model(tmp_path / "m.xml")
    _check_read_back(again)
    # saved again: the same file contents, without the read IR version as an entry
    ov.save_model(again, tmp_path / "m2.xml")
    root = ET.parse(tmp_path / "m2.xml").getroot()
    assert root.get("version") == "11"
    assert "version" not in _tree(root.find("rt_info"))
    assert _tree(root.find("rt_info")) == _tree(
        ET.parse(tmp_path / "m.xml").getroot().find("rt_info"))


@pytest.mark.parametrize(("value", "text"), [
    (1.0, "1"), (0.25, "0.25"), (1e-07, "1e-07"), (-2.5, "-2.5"), (1e20, "1e+20"),
    (123456789.125, "123456789.125"),  # exact: more digits than the runtime's six
    (0.1234567, "0.1234567"),
])
def test_float_text(tmp_path: Path, value: float, text: str) -> None:
    model = _model()
    model.set_rt_info(value, "value")
    ov.save_model(model, tmp_path / "m.xml")
    assert _tree(ET.parse(tmp_path / "m.xml").getroot().find("rt_info"))["value"] == text
    again = ov.Core().read_model(tmp_path / "m.xml")
    assert again.get_rt_info("value").astype(float) == value
