"""``openvino.utils.node_factory``: build any op of an opset by its type name, with
attributes given as a dict (``NodeFactory("opset8").create("Add", [a, b], attrs)``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openvino import _ops  # noqa: F401  (registers every op class)
from openvino._attributes import REQUIRED, Attr
from openvino._node import Node, Output, as_output
from openvino._op_registry import IR_ALIASES, OP_CLASSES
from openvino._opsets import LATEST_OPSET
from openvino._shape import PartialShape
from openvino._type import Type
from openvino.exceptions import UserInputError

__all__ = ["NodeFactory"]


def _opset_number(version: str) -> int | None:
    digits = version.removeprefix("opset")
    return int(digits) if digits.isdigit() else None


_EMPTY = {"int": 0, "float": 0.0, "bool": False, "str": "", "enum": ""}


def _empty_value(spec: Attr) -> Any:
    """An attribute's value in an op made empty: its default, else its kind's zero."""
    if spec.default is not REQUIRED:
        return spec.default
    if spec.kind in _EMPTY:
        return _EMPTY[spec.kind]
    if spec.kind == "type":
        return Type.dynamic
    if spec.kind == "shape":
        return PartialShape.dynamic()
    return []


class NodeFactory:
    """Creates op nodes of one opset (``"opset1"`` .. the latest) by type name."""

    def __init__(self, opset_version: str = "opset13") -> None:
        number = _opset_number(str(opset_version))
        if number is None or not 1 <= number <= LATEST_OPSET:
            raise RuntimeError(f"Unsupported opset version requested: '{opset_version}' "
                               f"(opset1 .. opset{LATEST_OPSET})")
        self._opset = number
        self._extra: dict[str, Any] = {}

    def _op_class(self, type_name: str) -> Any:
        if type_name in self._extra:
            return self._extra[type_name]
        name = IR_ALIASES.get(type_name, type_name)
        best, best_version = None, 0
        for (n, version), cls in OP_CLASSES.items():
            number = _opset_number(version)
            if n == name and number is not None and best_version < number <= self._opset:
                best, best_version = cls, number
        return best

    def create(self, op_type_name: str, arguments: list[Node | Output] | None = None,
               attributes: dict[str, Any] | None = None) -> Node:
        """The op ``op_type_name`` of this factory's opset over ``arguments`` (a node
        stands for all its outputs), with ``attributes`` by their specification names.
        With neither, the op is made empty: give its inputs with ``set_arguments`` and
        attributes with ``set_attribute``, then ``constructor_validate_and_infer_types``.
        Attributes without arguments are a ``UserInputError``."""
        if arguments is None and attributes is not None:
            raise UserInputError(f'Error: cannot create "{op_type_name}" op without arguments.')
        cls = self._op_class(op_type_name)
        if cls is None:
            raise RuntimeError(f"Couldn't create operation: {op_type_name} (not in "
                               f"opset{self._opset})")
        if arguments is None:
            # an empty op: no inputs, attributes at their defaults (the zero value of their
            # kind where the op has none); give them with set_arguments / set_attribute,
            # then call constructor_validate_and_infer_types
            node = cls.__new__(cls)
            node._init_node(())
            node._attrs = {key: _empty_value(spec) for key, spec in cls.attributes.items()}
            return node
        return cls(*self._arguments_as_outputs(arguments), **dict(attributes or {}))

    @staticmethod
    def _arguments_as_outputs(arguments: Sequence[Node | Output]) -> list[Output]:
        """The outputs ``arguments`` stand for: an ``Output`` itself, a node all its
        outputs (in order)."""
        outputs: list[Output] = []
        for argument in arguments:
            if isinstance(argument, Output):
                outputs.append(argument)
            elif isinstance(argument, Node):
                outputs.extend(argument.outputs())
            else:
                outputs.append(as_output(argument))
        return outputs

    def add_extension(self, extension: Any) -> None:
        """Let ``create`` build the op classes of ``extension``: an op class (a ``Node``
        subclass such as a Python custom op), an object with its class as ``op_class``
        (an ``OpExtension``), or a list of those; other ``Extension`` objects add no ops.
        Shared-library extensions cannot be loaded."""
        from openvino._custom_op import Op
        from openvino._extension import Extension
        from openvino._op_extension import OpExtension

        for item in extension if isinstance(extension, (list, tuple)) else [extension]:
            if isinstance(item, (str, bytes)) or hasattr(item, "__fspath__"):
                raise RuntimeError(f"Cannot load library '{item}': this runtime takes Python op "
                                   "classes as extensions, not shared libraries")
            if isinstance(item, type) and issubclass(item, Op):
                item = OpExtension(item)
            if isinstance(item, OpExtension):
                self._extra[item.type_info.name] = item.op_class
            elif isinstance(item, type) and issubclass(item, Node):
                self._extra[item.type_name] = item
            elif isinstance(item, Extension):
                continue  # an extension without ops (conversions ...): nothing to create
            else:
                raise TypeError(f"NodeFactory.add_extension expects an op class or an "
                                f"OpExtension (or another openvino.Extension), got {item!r}")
