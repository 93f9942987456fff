"""Variables: ReadValue (initial value from an input, and without one) and Assign, each in
the smallest model that holds them (a ReadValue, an Assign sink, a Result). One inference
per case: the state across inferences is the API checks' business (``test_api_state``)."""

from __future__ import annotations

from typing import Any

import openvino as ov

from ._case import ALL_TYPES, Built, Case, OpInfo, T, op_cases, param, weights

_TYPES = tuple(t for t in ALL_TYPES if t not in (T.string, T.u1, T.nf4))


def _read_then_assign(info: OpInfo, et: ov.Type, shape: list[int], subject: str) -> Any:
    ops = info.opset
    var = f"var_{info.key}_{et.get_type_name()}"

    def make(init: Any, new: Any) -> Built:
        if info.number < 6:  # v3 finds its variable upstream: assign what was read
            read = ops.read_value(init, var)
            assign = ops.assign(read, var)
        else:
            read = ops.read_value(init, var, et, shape)
            assign = ops.assign(new, var)
        node = read if subject == "ReadValue" else assign
        return Built([read.output(0)], [assign], node)

    return make


@op_cases("ReadValue", "Assign", types=_TYPES)
def _state(info: OpInfo, et: ov.Type) -> list[Case]:
    cases = []
    for name, shape in (("2d", [2, 3]), ("scalar", []), ("odd", [7])):
        cases.append(Case(f"init_from_input_{name}", [param(shape), param(shape)],
                          _read_then_assign(info, et, shape, info.type_name), dynamic=False))
        cases.append(Case(f"init_from_constant_{name}", [weights(shape, low=-4, high=4),
                                                         param(shape)],
                          _read_then_assign(info, et, shape, info.type_name), dynamic=False))
    return cases
