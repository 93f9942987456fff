"""The GPU compiler: a model and one static shape per input -> ``KernelPlan``, the kernel
launches of every op with each buffer argument resolved to an arena range, a shared
constant buffer, ``__local`` memory or a scalar.

Device-independent steps come from the plugin SDK (``openvino.plugin.passes``): the graph
with static shapes, compressed MatMul weights, constant folding, elementwise fusion and the
lifetime-based arena layout. What is the GPU's
own: the storage dtype of each value (``storage_dtype``), one ``OpContext`` per op handed to
its registered lowering (``lowering``), and the constant buffers uploaded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openvino.plugin.passes import (
    FusionRules,
    Graph,
    MemoryPlan,
    NotStatic,
    Value,
    claim_compressed_weights,
    fold_constants,
    fuse_post_ops,
)

from .lowering import (
    Const,
    In,
    Launch,
    Local,
    OpContext,
    Out,
    PostOp,
    Scratch,
    TensorSpec,
    Unsupported,
    lowering_for,
)
from .memory import allocate

__all__ = ["KernelPlan", "Step", "compile_kernel_plan", "storage_dtype", "NotStatic"]


def storage_dtype(element_type: Any, precision: str) -> np.dtype:
    """The dtype of a value of ``element_type`` in device memory: floating-point values in
    the inference precision, other values in their evaluation dtype."""
    if element_type.is_real():
        return np.dtype(np.float16 if precision == "f16" else np.float32)
    return np.dtype(element_type.evaluation_dtype)


@dataclass
class Step:
    """The launches of one op: ``args`` of each launch are ``("arena", offset, nbytes,
    storage)``, ``("const", buffer)``, ``("local", nbytes)`` or ``("scalar", value)``;
    ``storage`` names the value (with its views) that owns the range in this plan, so a
    request can bind a model input's or output's arguments to other memory (zero-copy
    host buffers)."""

    name: str
    type: str
    launches: list[tuple[Any, str, tuple[int, ...], tuple[int, ...] | None, list[tuple]]]


@dataclass
class Output:
    """Where a model output is after a run: an arena range, a host constant, or (in a
    model without operations) the model input ``param`` passed through."""

    shape: tuple[int, ...]
    element_type: Any
    dtype: np.dtype
    offset: int = -1
    const: np.ndarray | None = None
    param: int | None = None
    storage: int | None = None  # as the ``storage`` of ``Step`` arena arguments


@dataclass
class KernelPlan:
    """Everything one set of input shapes needs: steps, arena size, where inputs go and
    outputs come from, and the constant buffers (owned by the plan)."""

    input_shapes: tuple[tuple[int, ...], ...]
    precision: str
    steps: list[Step]
    arena_size: int
    inputs: list[tuple[int, int, np.dtype]]          # (offset, nbytes, storage dtype)
    outputs: list[Output]
    constants: list[Any] = field(default_factory=list)
    input_storages: list[int] = field(default_factory=list)  # as ``Step``'s ``storage``


class _Slot:
    """What ``MemoryPlan`` needs of a value: an id and its size in device memory."""

    __slots__ = ("id", "nbytes")

    def __init__(self, vid: int, nbytes: int) -> None:
        self.id = vid
        self.nbytes = nbytes


def compile_kernel_plan(model: Any, shapes: Sequence[Sequence[int]], device: Any,
                        precision: str) -> KernelPlan:
    """Lower ``model`` specialised to ``shapes`` for ``device`` (``devices.OpenCLDevice``).
    ``NotStatic`` when a value's shape is only known at run time; ``RuntimeError`` naming
    the node when an op has no kernel or its lowering refuses it."""
    shapes = tuple(tuple(int(d) for d in s) for s in shapes)
    if all(n.get_type_name() in _STRUCTURAL for n in model.get_ordered_ops()):
        return _pass_through(model, shapes, precision)
    graph = Graph.from_model(model, shapes)
    claim_compressed_weights(graph)  # MatMul weights stay compressed on the device
    graph.remove_dead()
    fold_constants(graph)
    graph.remove_dead()
    rules = GPUFusionRules().remember(graph)
    fuse_post_ops(graph, rules)
    return _Lowerer(graph, device, precision, rules.nodes).run(shapes)


_STRUCTURAL = frozenset({"Parameter", "Result", "Constant"})


class GPUFusionRules(FusionRules):
    """Elementwise tails fuse into ops whose lowering takes post ops (registered with
    ``post_ops=True``), when the tail's own op type also lowers as a post op and its
    lowering supports the node; no weight scaling (batch norms stay ops)."""

    def output_groups(self, op: Any) -> tuple[int, int] | None:
        entry = lowering_for(op.type)
        if entry is None or not entry.post_ops or op.node is None:
            return None
        return super().output_groups(op)

    def accepts(self, op: Any, step: Any) -> bool:
        source = getattr(self, "nodes", {}).get(step.source)
        entry = lowering_for(step.source_type)
        if source is None or entry is None or not entry.post_ops:
            return False
        if source.get_input_size() != (1 if step.operand is None else 2):
            return False
        return entry.supports is None or bool(entry.supports(source))

    def scales_weights(self, op: Any) -> bool:
        return False

    def remember(self, graph: Graph) -> GPUFusionRules:
        """Note the nodes of ``graph``'s ops by name (the steps name their source op)."""
        self.nodes = {op.name: op.node for op in graph.ops if op.node is not None}
        return self


def _pass_through(model: Any, shapes: tuple[tuple[int, ...], ...], precision: str
                  ) -> KernelPlan:
    """The plan of a model without operations (outputs are its inputs or constants, of
    any element type, strings included): nothing runs on the device."""
    params = model.get_parameters()
    outputs = []
    for r in model.get_results():
        src = r.input_value(0).get_node()
        while src.get_type_name() == "Result":  # a Result feeding a Result passes through
            src = src.input_value(0).get_node()
        et = r.get_output_element_type(0)
        if src.get_type_name() == "Parameter":
            index = next(i for i, p in enumerate(params) if p is src)
            outputs.append(Output(shapes[index], et, np.dtype(object), param=index))
        else:
            value = np.asarray(src.get_evaluation_data())
            outputs.append(Output(value.shape, et, value.dtype, const=value))
    return KernelPlan(shapes, precision, [], 0, [], outputs)


def _reads(op: Any) -> list[Value]:
    """The op's inputs, then the operands of its post ops (``In(len(inputs) + k)`` is post
    op ``k``'s operand)."""
    if not op.post_ops:
        return op.inputs
    return list(op.inputs) + [step.operand for step in op.post_ops]


class _Lowerer:
    def __init__(self, graph: Graph, device: Any, precision: str,
                 nodes: dict[str, Any]) -> None:
        self.graph = graph
        self.device = device
        self.precision = precision
        self.mem = MemoryPlan(device.base_align)
        self.nodes = dict(nodes)
        self.slots: dict[int, _Slot] = {}
        self.const_buffers: dict[int, Any] = {}
        self.constants: list[Any] = []
        self._next_scratch = -1

    def spec(self, v: Value) -> TensorSpec:
        return TensorSpec(v.shape, v.type, storage_dtype(v.type, self.precision), v.const)

    def slot(self, v: Value) -> _Slot:
        s = self.slots.get(v.id)
        if s is None:
            nbytes = v.size * storage_dtype(v.type, self.precision).itemsize
            s = self.slots[v.id] = _Slot(v.id, nbytes)
        return s

    def upload(self, array: np.ndarray) -> Any:
        buf = allocate(self.device, array.nbytes, hostbuf=array, read_only=True)
        self.constants.append(buf)
        return buf

    def const_buffer(self, v: Value) -> Any:
        buf = self.const_buffers.get(v.id)
        if buf is None:
            data = np.ascontiguousarray(np.asarray(v.const).astype(
                storage_dtype(v.type, self.precision), copy=False))
            buf = self.const_buffers[v.id] = self.upload(data)
        return buf

    def run(self, shapes: tuple[tuple[int, ...], ...]) -> KernelPlan:
        g, mem = self.graph, self.mem
        for v in g.inputs:
            mem.place(self.slot(v))
            mem.use(self.slot(v), 0)
        pending: list[tuple[Any, list, Any, OpContext, list[Launch]]] = []
        for index, op in enumerate(g.ops):
            ctx, launches = self.lower(op)
            for o, i in ctx.aliases.items():
                src = op.inputs[i]
                if src.is_const:  # a constant's bytes stay in its buffer: copy instead
                    raise Unsupported("aliasing a constant")
                mem.view(self.slot(op.outputs[o]), self.slot(src), 0)
            for v in _reads(op):
                if v is not None and not v.is_const:
                    mem.use(self.slot(v), index)
            for j, v in enumerate(op.outputs):
                if j not in ctx.aliases:
                    mem.place(self.slot(v))
                mem.use(self.slot(v), index)
            scratch_slots = []
            for s in ctx.scratches:
                slot = _Slot(self._next_scratch, s.nbytes)
                self._next_scratch -= 1
                mem.place(slot)
                mem.use(slot, index)
                scratch_slots.append((s, slot))
            pending.append((op, scratch_slots, None, ctx, launches))
        outputs_const = {}
        for v in g.outputs:
            if v.is_const:
                outputs_const[v.id] = v
                continue
            if not mem.has(self.slot(v)):
                mem.place(self.slot(v))
            mem.pin(self.slot(v))
        mem.layout(len(g.ops))
        steps = [self.resolve(op, scratch_slots, ctx, launches)
                 for op, scratch_slots, _, ctx, launches in pending]
        inputs = []
        input_storages = []
        for v in g.inputs:
            storage, off = mem.resolve(self.slot(v))
            inputs.append((off, self.slot(v).nbytes, storage_dtype(v.type, self.precision)))
            input_storages.append(id(storage))
        outputs = []
        for v in g.outputs:
            dt = storage_dtype(v.type, self.precision)
            if v.is_const:
                outputs.append(Output(v.shape, v.type, dt, const=np.asarray(v.const)))
            else:
                storage, off = mem.resolve(self.slot(v))
                outputs.append(Output(v.shape, v.type, dt, offset=off, storage=id(storage)))
        return KernelPlan(shapes, self.precision, steps, mem.arena_size, inputs, outputs,
                          self.constants, input_storages)

    def lower(self, op: Any) -> tuple[OpContext, list[Launch]]:
        def fail(reason: str) -> RuntimeError:
            return RuntimeError(f"GPU cannot run node '{op.name}' ({op.type}): {reason}")

        if op.type == "Reference":
            raise fail("a Python custom op has no GPU kernel")
        entry = lowering_for(op.type)
        if entry is None:
            raise fail("no GPU kernel for this operation")
        if entry.supports is not None and op.node is not None and not entry.supports(op.node):
            raise fail("the GPU kernel does not support its attributes or element types")
        posts = [PostOp(step.source_type,
                        None if step.operand is None else self.spec(step.operand),
                        {**self.nodes[step.source].get_attributes(), "swap": step.swap})
                 for step in op.post_ops]
        ctx = OpContext(op.type, op.name, op.node, [self.spec(v) for v in op.inputs],
                        [self.spec(v) for v in op.outputs], self.precision, self.device.info,
                        self.device.programs, posts, op.compressed_weights)
        try:
            launches = entry.function(ctx)
        except Unsupported as exc:
            raise fail(str(exc)) from None
        return ctx, list(launches)

    def arena_arg(self, slot: _Slot) -> tuple:
        storage, off = self.mem.resolve(slot)
        return ("arena", off, slot.nbytes, id(storage))

    def resolve(self, op: Any, scratch_slots: list, ctx: OpContext,
                launches: list[Launch]) -> Step:
        scratch = {id(s): slot for s, slot in scratch_slots}
        const_bufs: dict[int, Any] = {}
        out = []
        for launch in launches:
            args: list[tuple] = []
            for a in launch.args:
                if isinstance(a, In):
                    v = _reads(op)[a.index]
                    if v.is_const:
                        args.append(("const", self.const_buffer(v)))
                    else:
                        args.append(self.arena_arg(self.slot(v)))
                elif isinstance(a, Out):
                    args.append(self.arena_arg(self.slot(op.outputs[a.index])))
                elif isinstance(a, Const):
                    buf = const_bufs.get(id(a))
                    if buf is None:
                        buf = const_bufs[id(a)] = self.upload(a.array)
                    args.append(("const", buf))
                elif isinstance(a, Scratch):
                    slot = scratch[id(a)]
                    args.append(self.arena_arg(slot))
                elif isinstance(a, Local):
                    args.append(("local", int(a.nbytes)))
                elif isinstance(a, np.generic):
                    args.append(("scalar", a))
                else:
                    raise RuntimeError(f"GPU lowering of '{op.name}' ({op.type}) gave kernel "
                                       f"'{launch.kernel}' an argument of type "
                                       f"{type(a).__name__}")
            out.append((launch.program, launch.kernel, tuple(int(x) for x in launch.global_size),
                        None if launch.local_size is None
                        else tuple(int(x) for x in launch.local_size), args))
        return Step(op.name, op.type, out)
