"""Control flow ops (If, Loop, TensorIterator) on a device: their bodies, and their
semantics with each body run by the device's own executor.

A body is an ``openvino.Model``; a device may compile it as it compiles any model and run
the op with :func:`run_control_flow`, giving one *runner* per body:
``runner(args, state) -> outputs``, where ``args`` are the body's Parameter values and the
outputs its Result values (evaluation-form arrays, see :mod:`openvino.plugin.encoding`),
and ``state`` the variables the body may read and write (``None`` for a body without
variables). A runner's outputs must stay valid after its next call (a Loop feeds them back).
Which branch runs, the iterations, slicing, back edges, concatenation and the loop
condition stay core's, so every device agrees on them. A runner of ``None`` runs that body
through the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["CONTROL_FLOW_TYPES", "BodyRunner", "is_control_flow", "bodies",
           "run_control_flow"]

#: the op types with bodies
CONTROL_FLOW_TYPES = frozenset({"If", "Loop", "TensorIterator"})

BodyRunner = Callable[[list[np.ndarray], "dict[str, np.ndarray] | None"], Sequence[np.ndarray]]


def is_control_flow(node: Any) -> bool:
    """Whether ``node`` is an op with bodies."""
    return node.get_type_name() in CONTROL_FLOW_TYPES and hasattr(node, "_bodies")


def bodies(node: Any) -> list[Any]:
    """The bodies of a control flow op, in its order (If: then, else)."""
    if not is_control_flow(node):
        raise TypeError(f"'{node.get_friendly_name()}' ({node.get_type_name()}) has no bodies")
    return [node.get_function(i) for i in range(len(node._bodies))]


def run_control_flow(node: Any, inputs: Sequence[np.ndarray],
                     runners: Sequence[BodyRunner | None],
                     state: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """The outputs of control flow op ``node`` on evaluation-form ``inputs``, its bodies run
    by ``runners`` (one per body). ``state``: the request's variables (read and updated in
    place) when the bodies hold any."""
    if len(runners) != len(node._bodies):
        raise ValueError(f"'{node.get_friendly_name()}' has {len(node._bodies)} bodies, got "
                         f"{len(runners)} runners")
    if node.needs_state:
        return node.reference(*inputs, state=state if state is not None else {},
                              body_runners=list(runners))
    return node.reference(*inputs, body_runners=list(runners))
