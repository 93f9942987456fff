"""Lowering: every op of the (fused) graph becomes kernel steps, views, or a step that
runs its reference implementation in Python inside the plan.

Handlers live with their op families (``lower_compute``, ``lower_eltwise``,
``lower_movement``) and register themselves in ``HANDLERS``; a handler returns False when
it cannot run a particular instance, which then falls back to Python.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from openvino.plugin.encoding import cast_values
from openvino.plugin.passes import (
    ConstantCache,
    EltwiseStep,
    Graph,
    MemoryPlan,
    Op,
    Value,
    apply_steps,
)

from .._native import lib
from .attention import match_attention
from .panels import choose_panels, panel_bytes
from .steps import Step, aligned

__all__ = ["Lowering", "HANDLERS", "handler", "PyCall"]

HANDLERS: dict[str, Callable[[Lowering, Op], bool]] = {}


def handler(*types: str) -> Callable:
    """Register a lowering function for op types."""
    def deco(fn: Callable[[Lowering, Op], bool]) -> Callable[[Lowering, Op], bool]:
        for t in types:
            HANDLERS[t] = fn
        return fn
    return deco


class PyCall:
    """An op run by its reference implementation inside the plan (OV_K_PY): reads its
    inputs from the plan's buffers, writes its outputs back (fused post ops applied with
    numpy)."""

    def __init__(self, op: Op, n_in: int, posts: list[EltwiseStep],
                 operand_arrays: list[int]) -> None:
        self.node = op.node
        self.name = op.name
        self.type = op.type
        self.n_in = n_in
        self.posts = posts
        self.stateful = bool(getattr(op.node, "needs_state", False))
        self.operand_arrays = operand_arrays

    def __call__(self, arrays: list[np.ndarray], state: dict[str, np.ndarray]) -> None:
        ins, outs = arrays[:self.n_in], arrays[self.n_in:]
        with np.errstate(all="ignore"):
            if self.stateful:
                result = self.node.reference(*ins, state=state)
            else:
                result = self.node.reference(*ins)
        if not isinstance(result, (tuple, list)):
            result = (result,)
        if len(result) < len(outs):
            raise RuntimeError(f"Op '{self.name}' ({self.type}) produced {len(result)} outputs, "
                               f"expected {len(outs)}")
        for i, (dst, value) in enumerate(zip(outs, result)):
            value = np.asarray(value)
            et = self.node.get_output_element_type(i)
            if value.dtype != dst.dtype:
                value = cast_values(value, et)
            if value.shape != dst.shape:
                raise RuntimeError(f"Op '{self.name}' ({self.type}) produced output {i} of "
                                   f"shape {list(value.shape)}; the plan expects "
                                   f"{list(dst.shape)}")
            if i == 0 and self.posts:
                value = apply_posts(value.astype(np.float32), self.posts, arrays,
                                    self.operand_arrays)
            np.copyto(dst, value, casting="unsafe")


def apply_posts(y: np.ndarray, posts: list[EltwiseStep], arrays: list[np.ndarray],
                operand_index: list[int]) -> np.ndarray:
    """Post ops in numpy (for an op with fused tails that ended up in Python)."""
    return apply_steps(y, posts, [arrays[i] for i in operand_index])


class Lowering:
    """Builds the step list and the value placement for one graph."""

    def __init__(self, graph: Graph, cache: ConstantCache | None = None,
                 dq_group: int = 0) -> None:
        """``dq_group``: DYNAMIC_QUANTIZATION_GROUP_SIZE (0: compressed weights run the exact
        f32 path; also where the CPU has no VNNI integer dot products)."""
        self.graph = graph
        #: arrays derived from the model's constants, shared by every plan of one compiled
        #: model (see ``derived``)
        self.cache = cache if cache is not None else ConstantCache()
        self.steps: list[Step] = []
        self.mr = int(lib.ov_gemm_mr())
        self.nr = int(lib.ov_gemm_nr())
        #: ids of the values kept in position panels (``panels``); OV_CPU_PANELS=0: none
        self.panels = choose_panels(graph) if os.environ.get("OV_CPU_PANELS") != "0" \
            else set()
        self.mem = MemoryPlan(nbytes=self._value_bytes)
        self.dq_group = int(dq_group)
        self.dq_isa = int(lib.ov_gemm_dq_isa())
        #: attention chains by their last MatMul; their other ops produce no step
        self.attention = match_attention(graph)
        self.absorbed = {id(o) for c in self.attention.values() for o in c.absorbed}

    def run(self) -> None:
        for i, v in enumerate(self.graph.inputs):
            self.mem.place_param(v, i)
        for op in self.graph.ops:
            if id(op) in self.absorbed:
                continue
            fn = HANDLERS.get(op.type)
            done = False
            if fn is not None:
                done = fn(self, op)
            if not done:
                self.python_step(op)
        for v in self.graph.outputs:
            self.need(v)
        for st in self.steps:  # post-op operands are bound without the lowering's help
            for o in st.operands:
                if isinstance(o.ref, Value):
                    self.need(o.ref)

    # --- values --------------------------------------------------------------------------
    def need(self, v: Value) -> None:
        """Make sure ``v`` has a place (constants get theirs, others the arena)."""
        if self.mem.has(v):
            return
        if v.is_const:
            self.mem.place_const(v, self.derived(
                "aligned", (v.const,), (), lambda: aligned(np.ascontiguousarray(v.const))))
        else:
            self.mem.place(v)

    def derived(self, kind: str, sources: tuple, params: Hashable,
                make: Callable[[], Any]) -> Any:
        """``make()`` (an array made from the constant arrays ``sources``, e.g. packed
        weights), made once per compiled model: later plans of the same model get the same
        object (``ConstantCache``). The result is read-only for the plan."""
        return self.cache.get(kind, sources, params, make)

    def view(self, out: Value, base: Value, offset: int = 0) -> bool:
        """``out`` aliases ``base`` from byte ``offset`` (no step)."""
        if self.mem.has(out) or out.dtype != base.dtype:
            return False
        if offset < 0 or offset + out.nbytes > base.nbytes:
            return False
        self.need(base)
        self.mem.view(out, base, offset)
        return True

    def step(self, kind: int, op: Op, exec_type: str) -> Step:
        """A new step of ``op`` appended to the plan."""
        s = Step(kind, op, exec_type)
        self.steps.append(s)
        return s

    def operand(self, step: Step, v: Value, write: bool = False) -> int:
        self.need(v)
        return step.add(v, 0, 0, self.mem.size_of(v), write)

    def _value_bytes(self, v: Value) -> int:
        return panel_bytes(v.shape, self.nr) if v.id in self.panels else v.nbytes

    # --- fallback ----------------------------------------------------------------------------
    def python_step(self, op: Op) -> None:
        """Run ``op``'s reference in Python inside the plan."""
        if op.node is None:
            raise RuntimeError(f"internal op '{op.name}' ({op.type}) has no kernel")
        posts = list(op.post_ops)
        s = self.step(lib.OV_K_PY, op, "ref_python")
        for v in op.inputs:
            self.operand(s, v)
        for v in op.outputs:
            self.operand(s, v, write=True)
        extra = [self.operand(s, spec.operand) for spec in posts if spec.operand is not None]
        s.callback = PyCall(op, len(op.inputs), posts, extra)
