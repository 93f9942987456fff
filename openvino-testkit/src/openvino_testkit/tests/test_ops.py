"""Op conformance: every op of core's registry, every element type it takes, on the device.

One check per (op, element type): all of its cases (shapes: scalars, empty tensors,
broadcasting, negative axes, odd and large sizes; the first case again with dynamic
dimensions) must match the reference within ``openvino_testkit.tolerances``. An op the
device does not take (``query_model`` leaves it out) is reported as unsupported.
"""

from __future__ import annotations

from typing import Any

import pytest

from openvino_testkit.op_check import OpTarget, op_targets, run_target

OV_CHECK_KIND = "op"
OV_THROUGH_AUTO = False

_TARGETS = op_targets()


@pytest.mark.parametrize("op_target", _TARGETS, ids=[str(t) for t in _TARGETS])
def test_op(ov_core: Any, ov_device: str, op_target: OpTarget, ov_unsupported: Any) -> None:
    if op_target.element_type is None:
        pytest.skip(f"no case of the suite applies to {op_target.info.key}")
    result = run_target(ov_core, ov_device, op_target)
    if not result.ran:
        ov_unsupported(f"{ov_device} does not support {op_target.check_name} "
                       f"(query_model left it out in: {', '.join(result.unsupported)})")
    if result.failures:
        lines = [f"{op_target.check_name} on {ov_device}: {len(result.failures)} of "
                 f"{len(result.ran)} cases fail"]
        lines += [f"  [{case}] {why}" for case, why in result.failures.items()]
        pytest.fail("\n".join(lines), pytrace=False)
