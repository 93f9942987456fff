"""Every op of core's registry has op conformance cases, and they fit the op."""

from __future__ import annotations

import pytest

from openvino_testkit.op_cases import registry_ops
from openvino_testkit.op_check import probe

_OPS = registry_ops()


@pytest.mark.parametrize("info", _OPS, ids=[i.key for i in _OPS])
def test_op_has_cases(info) -> None:  # noqa: ANN001
    why_not = probe(info)
    assert why_not, f"{info.key}: the suite has no cases for this op"
    accepted = [t for t, why in why_not.items() if why is None]
    assert accepted, f"{info.key}: no element type builds: {why_not}"
