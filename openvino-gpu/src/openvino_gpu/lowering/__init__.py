"""Lowering: one operation of the compiled graph -> the OpenCL kernel launches that compute it.

This package is the contract between the GPU runtime (``compiled_model``/``infer_request``,
which plan memory and enqueue launches) and the per-op lowerings (one module per op family in
this package, each registering its functions here; the OpenCL C sources they build live in
``openvino_gpu/kernels/*.cl``).

Registering
-----------
``@register("Add", "Subtract", ..., supports=predicate)`` on ``def lower(op: OpContext) ->
list[Launch]``. ``supports(node) -> bool`` (optional, called by ``query_model`` on the
user's ``openvino`` node, whose shapes may still be dynamic) says whether this lowering
handles the node's attributes and element types (nodes with an input or output type
outside ``STORABLE_TYPES`` are never supported); ``query_model`` reports a node as ``GPU``
only when a registered lowering supports it (ops that fold to constants at compile time
excepted), and ``compile_model`` refuses a model with a node none supports. A module of
this package is imported by ``load_lowerings()`` (every module of the package, once).

What a lowering receives: ``OpContext``
---------------------------------------
* ``op.type``: the op's type name (``"Add"``, ``"MatMul"``...), ``op.name`` its friendly
  name, ``op.node`` the ``openvino`` node (``op.attr(key, default)`` reads an attribute of
  the node as ``node.get_attributes()`` gives it).
* ``op.inputs`` / ``op.outputs``: one ``TensorSpec`` per port, with a static ``shape``
  (tuple of ints), the model's ``element_type`` (``openvino.Type``), the ``dtype`` the value
  has in device memory (numpy dtype) and, for an input that is a constant, ``const`` (the
  numpy array in evaluation form; ``None`` otherwise).
* Storage dtype: in ``f16`` precision every floating-point value (f32, f16, bf16) is held
  as 16-bit IEEE half (``dtype == float16``); in ``f32`` precision as float
  (``dtype == float32``). Other types keep their evaluation dtype (i8, u8, i32, i64,
  boolean as one byte...). The runtime converts model inputs and outputs at the boundary.
  Half values are read/written with ``vload_half``/``vstore_half`` (core OpenCL, no
  ``cl_khr_fp16`` needed) and computed in float unless ``op.device.fp16`` says the device
  has ``cl_khr_fp16``. ``kernels/common.h`` has ``LOAD(p, i)``, ``STORE(v, p, i)`` and
  ``FTYPE`` for this (build with ``op.float_options()``).
* ``op.precision``: ``"f32"`` or ``"f16"`` (the compiled model's inference precision).
* ``op.device``: ``DeviceInfo`` (``name``, ``fp16``, ``max_work_group_size``,
  ``local_mem_size``, ``compute_units``, ``is_cpu``).
* ``op.program(filename, options=())``: the built ``pyopencl.Program`` of
  ``kernels/<filename>`` with build options (``-D`` defines...; ``-I`` the kernels folder
  is added). Built once per OpenCL context and options, through pyopencl's on-disk binary
  cache; a build failure raises ``RuntimeError`` naming the device, the file and the build
  log.
* ``op.constant(array) -> Const``: a read-only device buffer holding ``array`` (weights
  repacked or converted for a kernel). Uploaded once per compiled model and shared by its
  requests.
* ``op.scratch(nbytes) -> Scratch``: device memory for this op's launches only (taken from
  the request's arena; its contents are undefined at the first launch).
* ``op.post_ops``: elementwise ops the runtime fused into this one (empty unless the
  registration says ``post_ops=True``; see ``PostOp``); post op ``k``'s operand is
  ``In(len(op.inputs) + k)``.
* ``op.compressed_weights``: for a MatMul whose constant weights are a decompression
  pattern (u8/i8/u4/i4 codes with scale and zero point, or f16), the SDK's
  ``openvino.plugin.passes.CompressedWeights`` (the op's inputs are then only the data);
  ``None`` otherwise.

What a lowering returns: ``list[Launch]``
-----------------------------------------
``Launch(program, kernel, global_size, local_size, args)``, run in list order on the
request's in-order queue: ``program`` from ``op.program``, ``kernel`` the kernel's name,
``global_size``/``local_size`` tuples of ints (``local_size`` may be ``None``; each global
size is a multiple of its local size), ``args`` in the kernel's parameter order:

* ``In(i)`` / ``Out(j)``: the buffer of input ``i`` / output ``j`` (a ``__global`` pointer
  to its first element; the runtime binds an arena sub-buffer, an input/output buffer or a
  constant buffer);
* ``Const`` / ``Scratch`` from ``op.constant`` / ``op.scratch``;
* ``Local(nbytes)``: a ``__local`` buffer;
* numpy scalars (``np.int32(n)``, ``np.float32(x)``, ``np.int64(n)``...): by value, with
  exactly the kernel parameter's type.

A lowering that cannot handle what it is given raises ``Unsupported(reason)``; the runtime
turns it into a ``RuntimeError`` naming the node. An empty list means no work (an output
the runtime aliases to its input: ``op.alias(j, i)`` makes output ``j`` share input ``i``'s
memory, for Reshape/Squeeze and the like; the byte sizes must match).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "register", "lowering_for", "supports", "load_lowerings", "Lowering",
    "OpContext", "TensorSpec", "DeviceInfo", "PostOp",
    "Launch", "In", "Out", "Const", "Scratch", "Local", "Unsupported",
]


class Unsupported(Exception):
    """The lowering cannot handle this op (attributes, element types or shapes)."""


@dataclass(frozen=True)
class TensorSpec:
    """One input or output of an op: static shape, model element type, device dtype,
    and the constant's array for a constant input."""

    shape: tuple[int, ...]
    element_type: Any
    dtype: np.dtype
    const: np.ndarray | None = None

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= int(d)
        return n

    @property
    def nbytes(self) -> int:
        return self.size * np.dtype(self.dtype).itemsize


@dataclass(frozen=True)
class DeviceInfo:
    """What a lowering may need to know about the OpenCL device."""

    name: str
    fp16: bool
    max_work_group_size: int
    local_mem_size: int
    compute_units: int
    is_cpu: bool


@dataclass(frozen=True)
class PostOp:
    """An elementwise op fused after the main op: ``type`` (``"Relu"``, ``"Add"``...),
    its other operand (``TensorSpec``, for binary ops) and the node's attributes."""

    type: str
    operand: TensorSpec | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class In:
    """Argument: the buffer of the op's input ``index``."""

    index: int


@dataclass(frozen=True)
class Out:
    """Argument: the buffer of the op's output ``index``."""

    index: int


@dataclass(frozen=True, eq=False)
class Const:
    """Argument: a read-only device buffer made by ``OpContext.constant``."""

    array: np.ndarray


@dataclass(frozen=True, eq=False)
class Scratch:
    """Argument: request memory of ``nbytes`` made by ``OpContext.scratch``."""

    nbytes: int


@dataclass(frozen=True)
class Local:
    """Argument: ``__local`` memory of ``nbytes``."""

    nbytes: int


@dataclass(frozen=True)
class Launch:
    """One ``clEnqueueNDRangeKernel``."""

    program: Any
    kernel: str
    global_size: tuple[int, ...]
    local_size: tuple[int, ...] | None
    args: tuple[Any, ...]


class OpContext:
    """Everything a lowering function receives (see the package docstring). Built by the
    runtime's compiler for each op."""

    def __init__(self, op_type: str, name: str, node: Any, inputs: list[TensorSpec],
                 outputs: list[TensorSpec], precision: str, device: DeviceInfo,
                 programs: Any, post_ops: list[PostOp] | None = None,
                 compressed_weights: Any = None) -> None:
        self.type = op_type
        self.name = name
        self.node = node
        self.inputs = inputs
        self.outputs = outputs
        self.precision = precision
        self.device = device
        self.post_ops = post_ops or []
        self.compressed_weights = compressed_weights
        self._programs = programs
        self.constants: list[Const] = []
        self.scratches: list[Scratch] = []
        self.aliases: dict[int, int] = {}

    def attr(self, key: str, default: Any = None) -> Any:
        if self.node is None:
            return default
        return self.node.get_attributes().get(key, default)

    def program(self, filename: str, options: tuple[str, ...] | list[str] = ()) -> Any:
        return self._programs.get(filename, tuple(options))

    def float_options(self) -> tuple[str, ...]:
        """Build options selecting the float storage of ``kernels/common.h``."""
        half = self.precision == "f16"
        return (f"-DFP16_STORAGE={int(half)}", f"-DFP16_COMPUTE={int(half and self.device.fp16)}")

    def constant(self, array: np.ndarray) -> Const:
        c = Const(np.ascontiguousarray(array))
        self.constants.append(c)
        return c

    def scratch(self, nbytes: int) -> Scratch:
        s = Scratch(max(int(nbytes), 1))
        self.scratches.append(s)
        return s

    def alias(self, output: int, input_: int) -> None:
        if self.outputs[output].nbytes != self.inputs[input_].nbytes:
            raise Unsupported(f"output {output} cannot alias input {input_}: "
                              f"{self.outputs[output].nbytes} vs "
                              f"{self.inputs[input_].nbytes} bytes")
        self.aliases[output] = input_


@dataclass(frozen=True)
class Lowering:
    """A registered lowering: the function, its ``supports`` predicate and whether it
    takes fused post ops."""

    function: Callable[[OpContext], list[Launch]]
    supports: Callable[[Any], bool] | None
    post_ops: bool


_REGISTRY: dict[str, Lowering] = {}
_loaded = False


def register(*op_types: str, supports: Callable[[Any], bool] | None = None,
             post_ops: bool = False) -> Callable:
    """Decorator: ``fn`` lowers ops of ``op_types`` (see the package docstring)."""

    def deco(fn: Callable[[OpContext], list[Launch]]) -> Callable[[OpContext], list[Launch]]:
        for t in op_types:
            if t in _REGISTRY:
                raise RuntimeError(f"GPU lowering for {t} registered twice")
            _REGISTRY[t] = Lowering(fn, supports, post_ops)
        return fn

    return deco


def load_lowerings() -> None:
    """Import every lowering module of this package (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def lowering_for(op_type: str) -> Lowering | None:
    load_lowerings()
    return _REGISTRY.get(op_type)


#: Element types device memory holds: floats (in the inference precision) and the integer
#: and boolean types OpenCL C has. f64 would lose its precision in f32/f16; strings,
#: packed (u1/u4/i4/nf4) and f8 types have no OpenCL C element type.
STORABLE_TYPES = frozenset({"f32", "f16", "bf16", "i8", "i16", "i32", "i64", "u8", "u16",
                            "u32", "u64", "boolean"})


def _storable(element_type: Any) -> bool:
    return not element_type.is_dynamic() and element_type.get_type_name() in STORABLE_TYPES


def supports(node: Any) -> bool:
    """Whether a registered lowering handles ``node`` (``query_model``)."""
    from openvino import Op as CustomOp

    if isinstance(node, CustomOp):  # a user's Python op: its type name is not OpenVINO's
        return False
    types = [node.get_input_element_type(i) for i in range(node.get_input_size())]
    types += [node.get_output_element_type(i) for i in range(node.get_output_size())]
    if not all(_storable(t) for t in types):
        return False
    entry = lowering_for(node.get_type_name())
    if entry is None:
        return False
    if entry.supports is None:
        return True
    try:
        return bool(entry.supports(node))
    except Exception:
        return False
