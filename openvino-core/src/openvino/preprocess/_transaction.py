"""An undo log for the few changes ``build()`` makes to the user's model.

``build()`` creates every new op off to the side (new Parameters for the inputs, a
stand-in Parameter for each processed output), so the model itself changes only through
this log: inputs of existing nodes re-pointed, the parameter list replaced, tensor names,
friendly names and rt_info entries set. When any later step fails, ``rollback`` undoes
them in reverse order and re-infers the graph, leaving the model as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .._model import Model
from .._node import DescriptorTensor, Node, Output

__all__ = ["Transaction"]

_MISSING = object()


class Transaction:
    """Changes to one model, each with its undo."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._undo: list[Callable[[], None]] = []

    def rewire(self, node: Node, index: int, source: Output) -> None:
        """Make input ``index`` of ``node`` read ``source``."""
        old = node.input_value(index)
        node.set_argument(index, source)
        self._undo.append(lambda: node.set_argument(index, old))

    def replace_parameter(self, index: int, new: Iterable[Node]) -> None:
        """Put the Parameters ``new`` where the model's input ``index`` was."""
        before = list(self.model._parameters)
        self.model._parameters[index:index + 1] = list(new)
        self._undo.append(lambda: setattr(self.model, "_parameters", before))

    def set_names(self, tensor: DescriptorTensor, names: Iterable[str]) -> None:
        old = set(tensor.names)
        tensor.names = set(names)
        self._undo.append(lambda: setattr(tensor, "names", old))

    def set_friendly_name(self, node: Node, name: str) -> None:
        old = node._friendly_name
        node.set_friendly_name(name)
        self._undo.append(lambda: setattr(node, "_friendly_name", old))

    def set_entry(self, mapping: dict, key: str, value: Any) -> None:
        """``mapping[key] = value`` on an rt_info map (plain dict access)."""
        old = dict.get(mapping, key, _MISSING)
        dict.__setitem__(mapping, key, value)

        def undo() -> None:
            if old is _MISSING:
                dict.pop(mapping, key, None)
            else:
                dict.__setitem__(mapping, key, old)

        self._undo.append(undo)

    def rollback(self) -> None:
        """Undo every change, newest first, and re-infer the model's shapes."""
        while self._undo:
            self._undo.pop()()
        self.model.validate_nodes_and_infer_types()
