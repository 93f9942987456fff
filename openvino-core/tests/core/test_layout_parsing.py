"""Layout text as OpenVINO parses it: one-character names may be digits, bracketed names
take letters, digits and '_', the long names batch/channels/height/width/depth are
N/C/H/W/D, and bad text gets OpenVINO's messages."""

import re

import pytest

import openvino as ov


@pytest.mark.parametrize(("text", "printed"), [
    ("nc1", "[N,C,1]"),
    ("??", "[?,?]"),
    ("N...C", "[N,...,C]"),
    ("  NC", "[N,C]"),
    ("[N, C_1]", "[N,C_1]"),
    ("[batch,channels,height,width,depth]", "[N,C,H,W,D]"),
    ("[Batch,x9]", "[N,X9]"),
])
def test_valid_layouts(text, printed):
    assert ov.Layout(text).to_string() == printed


@pytest.mark.parametrize(("text", "message"), [
    ("1-2-3D", "Layout name is invalid (-). Only english letters, digits and _ is allowed"),
    ("[N,-C]", "Layout name is invalid (-C). Only english letters, digits and _ is allowed"),
    ("[N,C", "Layout name is invalid ([)."),
    ("N_C", "Layout name is invalid (_). Name shall have alphanumeric characters"),
    ("N.C", "Undefined number of dimensions shall have ..."),
    ("...C...", "Multiple ... are not allowed"),
    ("[N,,C]", "Layout dimension name can't be empty"),
    ("[]", "Cannot parse ov::Layout from an empty string"),
    ("NCHWN", "Dimension (N) is defined multiple times in layout"),
    ("[batch,N]", "Dimension (N) is defined multiple times in layout"),
])
def test_invalid_layouts(text, message):
    with pytest.raises(RuntimeError, match=re.escape(message)):
        ov.Layout(text)


def test_long_names_find_dimensions():
    layout = ov.Layout("NCHW")
    assert layout.has_name("batch") and layout.has_name("n")
    assert layout.get_index_by_name("width") == 3
    assert ov.Layout("[batch,C]").get_index_by_name("N") == 0
