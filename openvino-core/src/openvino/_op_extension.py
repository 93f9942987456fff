"""``openvino.OpExtension``: a Python custom op class (``openvino.Op`` subclass) as an
extension of a ``Core``, which then reads IR layers of that op's type and version.

``Core.add_extension(OpClass)`` and ``Core.add_extension(OpExtension(OpClass))`` are the
same. As in OpenVINO, making the extension makes one op of the class with no arguments
(``OpClass()``) to learn its type info, so a class the reader could not make fails here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._custom_op import Op
from ._discrete_type_info import DiscreteTypeInfo
from ._extension import Extension

__all__ = ["OpExtension", "as_extension", "op_classes", "op_classes_in_effect",
           "active_op_classes"]

# the op classes of the Core whose call is under way (see ``op_classes_in_effect``)
_ACTIVE: ContextVar[dict[tuple[str, str], type] | None] = ContextVar(
    "openvino_op_extensions", default=None)


class OpExtension(Extension):
    """openvino.OpExtension provides the base interface for OpenVINO extensions."""

    def __init__(self, op_class: Any) -> None:
        if not isinstance(op_class, type):
            raise TypeError("issubclass() arg 1 must be a class")
        if not issubclass(op_class, Op):
            raise RuntimeError(f"Unsupported data type : '{op_class}' is passed as an argument.")
        try:
            probe = op_class()
            info = probe.get_type_info()
        except Exception as e:  # noqa: BLE001 - the class's own code: say what it raised
            raise RuntimeError(f"Creation of OpExtension failed: {type(e).__name__}: {e}") \
                from e
        if not isinstance(info, DiscreteTypeInfo):
            raise RuntimeError("operation type_info must be an instance of DiscreteTypeInfo, "
                               f"but {type(info)} is passed.")
        self._op_class = op_class
        self._type_info = info

    @property
    def op_class(self) -> type:
        """The ``openvino.Op`` subclass this extension makes."""
        return self._op_class

    @property
    def type_info(self) -> DiscreteTypeInfo:
        """The type and version of the IR layers this extension reads."""
        return self._type_info

    def __repr__(self) -> str:
        return "<OpExtension>"


def as_extension(value: Any) -> Extension:
    """What ``Core.add_extension`` keeps for ``value``: an ``Extension`` as it is, an op
    class as its ``OpExtension`` (whose errors it raises for anything else)."""
    if isinstance(value, Extension):
        return value
    return OpExtension(value)


def op_classes(extensions: Iterable[Any]) -> dict[tuple[str, str], type]:
    """``(type name, version) -> op class`` of the ``OpExtension`` objects among
    ``extensions`` (a later one wins, as a later ``add_extension`` does)."""
    table: dict[tuple[str, str], type] = {}
    for ext in extensions:
        if isinstance(ext, OpExtension):
            info = ext.type_info
            table[(info.name, info.version_id)] = ext.op_class
    return table


@contextmanager
def op_classes_in_effect(extensions: Iterable[Any]) -> Iterator[None]:
    """Within the block, IR read without naming extensions (a device importing an exported
    model) builds custom ops through the op classes among ``extensions`` (a Core's)."""
    token = _ACTIVE.set(op_classes(extensions))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active_op_classes() -> dict[tuple[str, str], type]:
    """The op classes ``op_classes_in_effect`` set for the current call (none outside)."""
    return _ACTIVE.get() or {}
