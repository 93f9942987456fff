"""Running single ops in tests: through ``Node.evaluate`` or through a ``Model`` built over
the Parameters the op depends on."""

from __future__ import annotations

from typing import Any

import numpy as np

from openvino import Model, Tensor


def evaluate_node(node: Any, *arrays: Any) -> np.ndarray:
    """``node.evaluate`` on ``arrays`` (one per input); the first output as numpy."""
    outs: list = []
    node.evaluate(outs, [Tensor(np.asarray(a)) for a in arrays])
    return outs[0].data


def evaluate_in_model(node: Any, *arrays: Any) -> list[np.ndarray]:
    """Evaluate ``node`` in a model over its Parameters (in input order, depth first), fed
    with ``arrays``; all outputs as numpy arrays."""
    params, seen, stack = [], set(), [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if n.get_type_name() == "Parameter":
            params.append(n)
        stack.extend(reversed([v.get_node() for v in n.input_values()]))
    outs: list = []
    Model(node.outputs(), params).evaluate(outs, [Tensor(np.asarray(a)) for a in arrays])
    return [o.data for o in outs]
