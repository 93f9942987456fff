"""An IR port's ``precision`` is a note, as in OpenVINO: a layer whose ports say FP32
while the operation produces i32 reads as i32 (an unknown precision name still fails)."""

import numpy as np
import pytest

import openvino as ov

_IR = b"""<net name="m" version="11"><layers>
<layer id="0" name="x" type="Parameter" version="opset1">
  <data element_type="i32" shape="2"/>
  <output><port id="0" precision="%s"><dim>2</dim></port></output></layer>
<layer id="1" name="relu" type="ReLU" version="opset1">
  <input><port id="0"><dim>2</dim></port></input>
  <output><port id="1" precision="FP16"><dim>2</dim></port></output></layer>
<layer id="2" name="out" type="Result" version="opset1">
  <input><port id="0"><dim>2</dim></port></input></layer>
</layers><edges>
<edge from-layer="0" from-port="0" to-layer="1" to-port="0"/>
<edge from-layer="1" from-port="1" to-layer="2" to-port="0"/>
</edges></net>"""


def test_port_precision_does_not_decide_the_type():
    model = ov.Core().read_model(_IR % b"FP32")
    assert model.input().get_element_type() == ov.Type.i32
    assert model.output().get_element_type() == ov.Type.i32
    out = ov.compile_model(model, "TEMPLATE")(np.array([-3, 4], np.int32))[0]
    assert out.dtype == np.int32 and out.tolist() == [0, 4]


def test_unknown_precision_name_still_fails():
    with pytest.raises(RuntimeError, match="FP99"):
        ov.Core().read_model(_IR % b"FP99")
