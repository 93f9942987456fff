"""Core's reference semantics, for devices: one op on tensors, or a whole model.

Every built-in op carries a numpy implementation of its specification, its *reference*.
A device uses it to run the ops it has no kernel for, to fold constants, and to check its
own kernels::

    from openvino.plugin.reference import evaluate, has_reference, needs_state

    if has_reference(node):
        outputs = evaluate(node, [ov.Tensor(a) for a in arrays])   # list of ov.Tensor

* :func:`has_reference` (``Node.has_evaluate()`` in OpenVINO's words) says whether the op
  has one; a custom op (``openvino.Op``) has one when it defines ``evaluate``.
* :func:`needs_state` says whether it reads or writes variables (``ReadValue``,
  ``Assign``): those take ``state``, a dict from variable id to the variable's value (a
  numpy array in evaluation form); ``Assign`` writes into it.
* :func:`evaluate` runs it on ``Tensor`` objects, :func:`evaluate_values` on numpy arrays
  in *evaluation form* (the numpy form the references compute with: see
  :mod:`openvino.plugin.encoding`), which skips the conversions on a device's hot path.
* :class:`ReferencePlan` runs a whole model through the references (the ``TEMPLATE``
  device is a ``ReferencePlan`` and the bookkeeping around it).
* :func:`fold_values` computes one op on constants as OpenVINO's constant folding does:
  f16 arithmetic in f32, rounded to f16 only where the value leaves the folded chain (a
  device folding a weight decompression chain gets the exact f32 weights, as OpenVINO's
  CPU plugin computes them).
* :func:`op_types` lists every op type core defines, as ``(type_name, version)``.

``Node.evaluate(output_tensors, input_tensors)`` and ``Node.has_evaluate()`` are the same
operations under OpenVINO's names (``evaluate`` fills a list of output tensors in place).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from openvino._reference_executor import ReferencePlan, fold_values
from openvino._tensor import Tensor
from openvino.plugin.encoding import cast_values, tensor_values, values_tensor

__all__ = ["ReferencePlan", "evaluate", "evaluate_values", "fold_values", "has_reference",
           "needs_state", "op_types"]


def _node(node: Any, what: str) -> Any:
    from openvino._node import Node, Output

    if isinstance(node, Output):
        node = node.get_node()
    if not isinstance(node, Node):
        raise TypeError(f"{what} takes an openvino.Node, got {type(node).__name__}")
    return node


def has_reference(node: Any) -> bool:
    """Whether ``node`` has a reference implementation that :func:`evaluate` can run."""
    return bool(_node(node, "has_reference").has_evaluate())


def needs_state(node: Any) -> bool:
    """Whether ``node``'s reference reads or writes variables (it then takes ``state``)."""
    return bool(getattr(_node(node, "needs_state"), "needs_state", False))


def _run(node: Any, values: list[np.ndarray], state: dict[str, np.ndarray] | None
         ) -> list[Any]:
    n_in = node.get_input_size()
    if len(values) != n_in:
        raise ValueError(f"{node.get_type_name()} '{node.get_friendly_name()}' has {n_in} "
                         f"inputs, got {len(values)} values")
    if not node.has_evaluate():
        raise NotImplementedError(f"{node.get_type_name()} '{node.get_friendly_name()}' has "
                                  f"no reference implementation")
    if getattr(node, "needs_state", False):
        if state is None:
            raise ValueError(f"{node.get_type_name()} '{node.get_friendly_name()}' reads or "
                             f"writes variables: pass state={{variable_id: array}}")
        out = node.reference(*values, state=state)
    else:
        out = node.reference(*values)
    out = list(out) if isinstance(out, (tuple, list)) else [out]
    n_out = node.get_output_size()
    if len(out) != n_out:
        raise RuntimeError(f"{node.get_type_name()} '{node.get_friendly_name()}' produced "
                           f"{len(out)} outputs, it has {n_out}")
    return out


def evaluate_values(node: Any, values: Sequence[np.ndarray],
                    state: dict[str, np.ndarray] | None = None) -> list[np.ndarray]:
    """Run ``node``'s reference on numpy arrays in evaluation form, one per input; return
    one array per output, in the evaluation form of the output's element type (values a
    narrow type cannot hold are rounded or wrapped as the runtime does)."""
    node = _node(node, "evaluate_values")
    out = _run(node, [np.asarray(v) if not isinstance(v, np.ndarray) else v for v in values],
               state)
    result = []
    for i, value in enumerate(out):
        et = node.get_output_element_type(i)
        value = np.asarray(value)
        if et.is_static() and value.dtype != et.evaluation_dtype:
            value = cast_values(value, et)
        result.append(value)
    return result


def evaluate(node: Any, inputs: Sequence[Tensor],
             state: dict[str, np.ndarray] | None = None) -> list[Tensor]:
    """Run ``node``'s reference on ``Tensor`` objects, one per input; return one new
    ``Tensor`` per output (of the output's element type; packed types packed).

    ``state`` (for ops where :func:`needs_state` is true): the variables, by id."""
    node = _node(node, "evaluate")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor):
            raise TypeError(f"evaluate takes openvino.Tensor inputs, input {i} is "
                            f"{type(t).__name__}")
    out = evaluate_values(node, [tensor_values(t) for t in inputs], state)
    tensors = []
    for i, value in enumerate(out):
        et = node.get_output_element_type(i)
        tensors.append(values_tensor(value, et) if et.is_static() else Tensor(value))
    return tensors


def op_types() -> list[tuple[str, str]]:
    """Every op type core defines, as ``(type_name, version)`` (``("Gather", "opset8")``),
    sorted; internal ops have versions that are not ``opsetN``."""
    from openvino import _ops  # noqa: F401  (importing the package registers every op)
    from openvino._op_registry import OP_CLASSES

    return sorted(OP_CLASSES)
