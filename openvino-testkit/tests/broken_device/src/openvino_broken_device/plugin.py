"""``BrokenPlugin``: the TEMPLATE device with ten defects, each a few lines of behaviour.

1. ``Minimum`` on i32 computes ``min(a, b) + 1`` (``_miscompute_minimum_i32``);
2. ``RANGE_FOR_STREAMS`` is reported as a string (``device_properties``);
3. the ``DROPPED_JOB``-th inference of a compiled model never finishes, so its async
   callback is never called (``infer_request.py``);
4. ``set_property`` accepts ``MODEL_PRIORITY`` and keeps the old value (``set_property``);
5. a compiled model reports the device's ``INFERENCE_NUM_THREADS``, not the value it was
   compiled with (``compiled_model.py``);
6. ``Softmax`` (opset8) on f32 is ``exp(x) / sum(exp(x))`` without subtracting the maximum
   first, so large logits overflow (``_naive_softmax_f32``);
7. outputs a Parameter feeds straight are returned after the computed ones, not in the
   model's order (``infer_request.py``);
8. only the first ``OUTPUT_SLOTS`` outputs are returned (``infer_request.py``);
9. a boolean output after the first that a Parameter feeds straight comes back as a u8
   tensor (``infer_request.py``);
10. ``Add`` on i64 is computed in double precision (``_add_i64_through_f64``): exact up to
    2**53 only, and without wrap-around on overflow.

7 to 9 reach the core, which refuses 8 and 9 with a ``RuntimeError`` naming the output
(``openvino.plugin.OutputCheck``); 7 keeps counts, types and shapes right, only values
tell.

It also does not support ``Tan`` (``supports_op``): that is not a defect, and the suite
must count it as unsupported rather than failed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import openvino as ov
import openvino.opset13 as ops
from openvino.template_plugin import TemplatePlugin

from .compiled_model import BrokenCompiledModel

__all__ = ["BrokenPlugin"]


def _move_names(old: ov.Output, new: ov.Output) -> None:
    """Give ``new`` the tensor names of the output it replaces (a Result it now feeds keeps
    its output's name), so each defect changes numbers only."""
    names = old.get_names()
    if names:
        old.get_tensor().set_names(set())
        new.get_tensor().set_names(names)


def _miscompute_minimum_i32(model: ov.Model) -> None:
    """Route every consumer of an i32 Minimum through ``+ 1``."""
    for node in model.get_ordered_ops():
        if node.get_type_name() != "Minimum" or node.get_output_element_type(0) != ov.Type.i32:
            continue
        out = node.output(0)
        targets = list(out.get_target_inputs())
        wrong = ops.add(out, ops.constant(np.int32(1)))
        for target in targets:
            target.replace_source_output(wrong.output(0))
        _move_names(out, wrong.output(0))


def _naive_softmax_f32(model: ov.Model) -> None:
    """Replace every f32 opset8 Softmax by ``exp(x) / reduce_sum(exp(x), axis)``."""
    for node in model.get_ordered_ops():
        if (node.get_type_name() != "Softmax" or node.get_type_info().version_id != "opset8"
                or node.get_output_element_type(0) != ov.Type.f32):
            continue
        axis = int(node.get_attributes()["axis"])
        exp = ops.exp(node.input_value(0))
        naive = ops.divide(exp, ops.reduce_sum(exp, ops.constant(np.int64(axis)), True))
        for target in list(node.output(0).get_target_inputs()):
            target.replace_source_output(naive.output(0))
        _move_names(node.output(0), naive.output(0))


def _add_i64_through_f64(model: ov.Model) -> None:
    """Replace every i64 Add by ``convert(convert(a, f64) + convert(b, f64), i64)``."""
    for node in model.get_ordered_ops():
        if node.get_type_name() != "Add" or node.get_output_element_type(0) != ov.Type.i64:
            continue
        a, b = (ops.convert(node.input_value(i), ov.Type.f64) for i in range(2))
        wide = ops.convert(ops.add(a, b), ov.Type.i64)
        for target in list(node.output(0).get_target_inputs()):
            target.replace_source_output(wide.output(0))
        _move_names(node.output(0), wide.output(0))


def _fed_by_parameters(model: ov.Model) -> list[bool]:
    """For each output of ``model``: whether a Parameter feeds its Result straight."""
    return [result.input_value(0).get_node().get_type_name() == "Parameter"
            for result in model.get_results()]


class BrokenPlugin(TemplatePlugin):
    """TEMPLATE, renamed BROKEN, with the defects above."""

    name = "BROKEN"
    description = "Broken device (openvino-testkit self-test)"

    def supports_op(self, node: Any) -> bool:
        return node.get_type_name() != "Tan" and super().supports_op(node)

    def device_properties(self, device_id: str = "") -> dict[str, Any]:
        props = super().device_properties(device_id)
        props["FULL_DEVICE_NAME"] = self.description
        props["RANGE_FOR_STREAMS"] = "1..4"  # defect 2: must be a tuple of two ints
        return props

    def set_property(self, properties: dict[str, Any]) -> None:
        for key in properties:
            self.check_settable(key)
        # defect 4: MODEL_PRIORITY is accepted and forgotten
        super().set_property({k: v for k, v in properties.items() if k != "MODEL_PRIORITY"})

    def compile_model(self, model: ov.Model, config: dict[str, Any]) -> BrokenCompiledModel:
        runtime = super().compile_model(model, config).model  # checked and cloned
        _miscompute_minimum_i32(runtime)  # defect 1
        _naive_softmax_f32(runtime)  # defect 6
        _add_i64_through_f64(runtime)  # defect 10
        return BrokenCompiledModel(self, runtime, config, _fed_by_parameters(model))

    def import_model(self, blob: bytes, config: dict[str, Any]) -> BrokenCompiledModel:
        imported = super().import_model(blob, config)
        return BrokenCompiledModel(self, imported.model, imported.config,
                                   _fed_by_parameters(imported.model))
