"""``get_runtime_model()``: the plan as an ``openvino.Model`` of ``ExecutionNode`` ops, one
per kernel step, with the rt_info keys OpenVINO's CPU plugin writes (``layerType``,
``primitiveType``, ``originalLayersNames``, ``outputPrecisions``, ``outputLayouts``,
``runtimePrecision``, ``execOrder``, ``execTimeMcs``)."""

from __future__ import annotations

from openvino import Model, Output
from openvino.op import Parameter
from openvino.opset1 import result as _result
from openvino.plugin.passes import Value
from openvino.plugin.runtime_model import ExecutionNode

from .compiler.plan import Plan

__all__ = ["ExecutionNode", "runtime_model"]

_LAYOUTS = {0: "a", 1: "a", 2: "ab", 3: "abc", 4: "abcd", 5: "abcde", 6: "abcdef"}


def runtime_model(plan: Plan, model: Model) -> Model:
    """The runtime model of ``plan`` (compiled from ``model``)."""
    graph = plan.graph
    producers: dict[int, Output] = {}
    params = []
    for v, p in zip(graph.inputs, model.get_parameters()):
        new = Parameter(v.type, list(v.shape))
        new.set_friendly_name(p.get_friendly_name())
        new.output(0).set_names(p.output(0).get_names())
        new.get_rt_info()["layerType"] = "Parameter"
        params.append(new)
        producers[v.id] = new.output(0)

    def source(v: Value) -> Output | None:
        out = producers.get(v.id)
        if out is None and v.is_const:
            node = ExecutionNode([], [(v.type, v.shape)], f"Constant_{v.id}")
            _rt(node, "Const", "unknown_" + v.type.get_type_name(), [], v, 0)
            out = node.output(0)
            producers[v.id] = out
        return out

    order = 0
    by_op: dict[int, ExecutionNode] = {}
    for info in plan.info:
        op = info.op
        if op is None or id(op) in by_op:
            continue
        ins = [s for s in (source(v) for v in op.inputs) if s is not None]
        outs = [(v.type, v.shape) for v in op.outputs]
        node = ExecutionNode(ins, outs, op.name)
        order += 1
        _rt(node, op.type, info.exec_type, [op.name] + list(op.fused), op.outputs[0]
            if op.outputs else None, order)
        by_op[id(op)] = node
        for i, v in enumerate(op.outputs):
            producers[v.id] = node.output(i)
            node.output(i).set_names(v.names)
    results = []
    for v, name in zip(graph.outputs, graph.output_names):
        src = source(v)
        if src is None:
            src = _view_source(v, producers)
        r = _result(src)
        r.set_friendly_name(name)
        r.get_rt_info()["layerType"] = "Output"
        results.append(r)
    rm = Model(results, params, model.get_friendly_name())
    return rm


def _view_source(v: Value, producers: dict[int, Output]) -> Output:
    """A value that is a view (Reshape ...) of another: show it as a Reshape node."""
    op = v.producer
    src = producers.get(op.inputs[0].id) if op is not None and op.inputs else None
    node = ExecutionNode([src] if src is not None else [], [(v.type, v.shape)],
                         op.name if op is not None else f"View_{v.id}")
    _rt(node, op.type if op is not None else "Reshape", "unknown", [node.get_friendly_name()],
        v, 0)
    producers[v.id] = node.output(0)
    return node.output(0)


def _rt(node: ExecutionNode, layer_type: str, exec_type: str, names: list[str],
        out: Value | None, order: int) -> None:
    rt = node.get_rt_info()
    rt["layerType"] = layer_type
    rt["primitiveType"] = exec_type
    rt["originalLayersNames"] = ",".join(names)
    precision = out.type.get_type_name() if out is not None else "undefined"
    rt["outputPrecisions"] = precision
    rt["runtimePrecision"] = precision
    rt["outputLayouts"] = _LAYOUTS.get(len(out.shape) if out is not None else 0, "a")
    rt["execOrder"] = str(order)
    rt["execTimeMcs"] = "not_executed"
