"""What an op case is: the inputs of a single-op model and how the op is built on them.

A family module declares, for op type names, a *builder*: a function of the op being
tested (``OpInfo``: its type, version and the ``openvino.opsetN`` module of that version)
and an element type, returning the ``Case`` list for that type (empty when the op has no
meaning for it). Each ``Case`` lists its inputs (``In``: a Parameter fed with random
values, or a Constant) and a ``build`` function that calls the opset factory on the input
nodes and returns the op (a node, one of its outputs, or a list of outputs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

import openvino as ov

__all__ = ["In", "Case", "Built", "OpInfo", "Builder", "op_cases", "BUILDERS", "STANDARD_TYPES",
           "FLOAT_TYPES", "INT_TYPES", "ALL_TYPES", "T", "const", "param", "weights"]

T = ov.Type

#: The element types every op is tried with (an op takes those its type inference accepts).
STANDARD_TYPES: tuple[ov.Type, ...] = (
    T.f32, T.f16, T.bf16, T.f64, T.i8, T.i16, T.i32, T.i64, T.u8, T.u16, T.u32, T.u64,
    T.boolean,
)
FLOAT_TYPES: tuple[ov.Type, ...] = (T.f32, T.f16, T.bf16, T.f64)
INT_TYPES: tuple[ov.Type, ...] = (T.i8, T.i16, T.i32, T.i64, T.u8, T.u16, T.u32, T.u64)
#: Also the low-precision and string types, for ops that move data of any type.
ALL_TYPES: tuple[ov.Type, ...] = STANDARD_TYPES + (
    T.u1, T.u4, T.i4, T.nf4, T.f8e4m3, T.f8e5m2, T.string)


@dataclass
class In:
    """One input of a case.

    ``shape`` is the shape of the fed data. ``element_type`` defaults to the case's type.
    Values are random in ``[low, high]`` unless ``value`` is given. ``const=True`` makes
    it a Constant (axes, target shapes, ...); ``dynamic=False`` keeps a Parameter's shape
    static in the dynamic variant of the case.
    """

    shape: Sequence[int] = ()
    element_type: ov.Type | None = None
    low: float = -3.0
    high: float = 3.0
    value: Any = None
    const: bool = False
    dynamic: bool = True

    def __post_init__(self) -> None:
        if self.value is not None:
            self.shape = tuple(np.shape(self.value))
        self.shape = tuple(int(d) for d in self.shape)


def const(value: Any, element_type: ov.Type | None = None) -> In:
    """A Constant input holding ``value`` (of ``element_type``, default: the case's)."""
    return In(value=np.asarray(value), element_type=element_type, const=True)


def param(shape: Sequence[int], element_type: ov.Type | None = None, low: float = -3.0,
          high: float = 3.0, value: Any = None, dynamic: bool = True) -> In:
    """A Parameter input."""
    return In(shape, element_type, low, high,
              None if value is None else np.asarray(value), False, dynamic)


def weights(shape: Sequence[int], element_type: ov.Type | None = None, low: float = -1.0,
            high: float = 1.0) -> In:
    """A Constant input of random values (weights, filters, scales)."""
    return In(shape, element_type, low, high, None, True)


@dataclass
class Case:
    """A single-op model: ``build(*input_nodes)`` returns the op (or its outputs).

    ``dynamic``: also run the case with every Parameter's dimensions dynamic (the first
    case of each op and element type gets that variant unless it says ``False``).
    ``tolerance_op``: the tolerance table row to use when it is not the op's own type name.
    """

    name: str
    inputs: list[In]
    build: Callable[..., Any]
    dynamic: bool | None = None
    tolerance_op: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Built:
    """What a ``build`` returns when the model needs more than the op's outputs: the
    ``outputs`` to make Results of, the ``sinks`` (Assign nodes) and the op ``node``."""

    outputs: list[Any]
    sinks: list[Any]
    node: Any


@dataclass(frozen=True)
class OpInfo:
    """The op under test: ``type_name``, ``version`` (``"opset8"``), ``number`` (8) and
    ``opset`` (the ``openvino.opsetN`` module of that version)."""

    type_name: str
    version: str

    @property
    def number(self) -> int:
        return int(self.version[len("opset"):])

    @property
    def opset(self) -> ModuleType:
        return importlib.import_module(f"openvino.opset{self.number}")

    @property
    def key(self) -> str:
        return f"{self.type_name}-{self.version}"


Builder = Callable[[OpInfo, ov.Type], Iterable[Case]]

#: type name -> (builder, element types to try)
BUILDERS: dict[str, tuple[Builder, tuple[ov.Type, ...]]] = {}


def op_cases(*type_names: str, types: Sequence[ov.Type] = STANDARD_TYPES
             ) -> Callable[[Builder], Builder]:
    """Register ``builder`` as the case source of ``type_names``, tried with ``types``."""

    def register(builder: Builder) -> Builder:
        for name in type_names:
            if name in BUILDERS:
                raise RuntimeError(f"two case builders for op type {name}")
            BUILDERS[name] = (builder, tuple(types))
        return builder

    return register
