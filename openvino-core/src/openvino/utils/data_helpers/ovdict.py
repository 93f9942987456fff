"""``OVDict``: inference results, looked up by output port, index or tensor name."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from openvino._node import ConstOutput, Node

__all__ = ["OVDict", "OutputTable"]


class OutputTable:
    """What every result of one compiled model shares, built once: the ports in order,
    their index by port and by tensor name, and the name sets ``OVDict.names()`` gives
    (an unnamed output gets ``{"<producer>:<port>"}``).

    ``original_results`` are the Results of the model the user compiled, in order: their
    ports (``model.output(i)``, ``model.outputs[i]``) name the compiled outputs too, as the
    compiled model's own ports do."""

    __slots__ = ("ports", "index", "by_name", "name_sets", "by_node")

    def __init__(self, ports: Sequence[ConstOutput],
                 original_results: Sequence[Node] = ()) -> None:
        self.ports = tuple(ports)
        self.index = {port: i for i, port in enumerate(self.ports)}
        self.by_node: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        for i, node in enumerate(original_results):
            self.by_node[node] = i
        self.by_name: dict[str, int] = {}
        name_sets = []
        for i, port in enumerate(self.ports):
            names = port.get_names()
            if not names:
                node = port.get_node()
                if node.get_type_name() == "Result" and node._inputs:
                    src = node._inputs[0]
                    names = {f"{src._node.get_friendly_name()}:{src._index}"}
                else:
                    names = {f"{node.get_friendly_name()}:{port.get_index()}"}
            name_sets.append(frozenset(names))
            for name in names:
                self.by_name.setdefault(name, i)
        self.name_sets = tuple(name_sets)

    def find_port(self, key: ConstOutput, by_names: bool = True) -> int | None:
        """The output a port names: a compiled output port, the port of a Result of the
        original model, or (``by_names``) a port sharing a tensor name with one output;
        else ``None``."""
        idx = self.index.get(key)
        if idx is not None:
            return idx
        idx = self.by_node.get(key.get_node())
        if idx is not None and key.get_index() == 0:
            return idx
        names = key.get_names() if by_names else None
        if names:
            for i, port in enumerate(self.ports):
                if names & port.get_names():
                    return i
        return None

    def lookup(self, key: Any) -> int:
        """The output index ``key`` names; ``KeyError``/``TypeError`` as ``OVDict`` raises."""
        if isinstance(key, ConstOutput):
            idx = self.find_port(key)
            if idx is None:
                raise KeyError(key)
            return idx
        if isinstance(key, str):
            try:
                return self.by_name[key]
            except KeyError:
                raise KeyError(key) from None
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            if not 0 <= key < len(self.ports):
                raise KeyError(key)
            return int(key)
        raise TypeError(f"Unknown key type: {type(key)}")


class OVDict(Mapping):
    """An immutable mapping from output ports (``ConstOutput``) to numpy arrays, in output
    order. ``ovdict[i]``, ``ovdict["name"]`` and ``ovdict[port]`` all work; unknown names
    or indices raise ``KeyError``, other key types ``TypeError``.

    ``OVDict(mapping)`` builds one from a ``{ConstOutput: array}`` dict.
    """

    __slots__ = ("_table", "_values", "_dict")

    def __init__(self, mapping: Mapping[ConstOutput, Any]) -> None:
        self._table = OutputTable(list(mapping.keys()))
        self._values = list(mapping.values())
        self._dict: dict[ConstOutput, Any] | None = None

    @classmethod
    def _make(cls, table: OutputTable, values: list[Any]) -> OVDict:
        """Internal: results of one inference over a shared ``OutputTable``."""
        d = cls.__new__(cls)
        d._table = table
        d._values = values
        d._dict = None
        return d

    def __getitem__(self, key: Any) -> Any:
        if type(key) is int and 0 <= key < len(self._values):
            return self._values[key]
        return self._values[self._table.lookup(key)]

    def __iter__(self) -> Iterator[ConstOutput]:
        return iter(self._table.ports)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        try:
            self._table.lookup(key)
        except (KeyError, TypeError):
            return False
        return True

    def __setitem__(self, key: Any, value: Any) -> None:
        raise TypeError("'OVDict' object does not support item assignment")

    def __delitem__(self, key: Any) -> None:
        raise TypeError("'OVDict' object does not support item deletion")

    def _as_dict(self) -> dict[ConstOutput, Any]:
        if self._dict is None:
            self._dict = dict(zip(self._table.ports, self._values))
        return self._dict

    def keys(self):  # type: ignore[override]
        """The output ports, in order."""
        return self._as_dict().keys()

    def values(self):  # type: ignore[override]
        """The arrays, in output order."""
        return self._as_dict().values()

    def items(self):  # type: ignore[override]
        return self._as_dict().items()

    def names(self) -> tuple[frozenset[str], ...]:
        """The tensor names of each output, in order (never empty)."""
        return self._table.name_sets

    def to_dict(self) -> dict[ConstOutput, Any]:
        """A plain ``dict`` keyed by ``ConstOutput`` only."""
        return dict(self._as_dict())

    def to_tuple(self) -> tuple[Any, ...]:
        """The arrays, in output order."""
        return tuple(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OVDict):
            other = other._as_dict()
        if not isinstance(other, Mapping):
            return NotImplemented
        mine = self._as_dict()
        if mine.keys() != other.keys():
            return False
        return all(np.array_equal(v, other[k]) for k, v in mine.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._as_dict())
