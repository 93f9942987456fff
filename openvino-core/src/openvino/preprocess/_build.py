"""Turning the declarations of one input or output into ops, and into the report
``str(ppp)`` prints.

An input is built from new Parameters (one per image plane, of the user's tensor type,
shape and layout) through the recorded steps and then the implicit ones (to the model's
element type, then to the model's layout); the result must fit the model's input, whose
consumers are then re-pointed to it. An output is built from a stand-in Parameter shaped
like the model's output through the recorded steps and the implicit ones (to the user's
element type, then layout); the Result is then re-pointed to the last op and the stand-in's
consumers to the model's value. Every change to the model goes through a ``Transaction``.

When the user does not give the input tensor's shape, it is derived from the model's: the
model shape is taken back through the implicit layout conversion and the steps that move
dimensions, then the spatial size (``set_spatial_*_shape``) and the color format's planes
are applied.
"""

from __future__ import annotations

import time

from .._ir.runtime_attribute import RuntimeAttribute
from .._layout import Layout
from .._model import Model
from .._node import ConstOutput
from .._ops.parameter import Parameter
from .._shape import Dimension, PartialShape
from ..layout_helpers import find_permutation, get_layout, is_compatible
from ._context import Context, Target, axis_of, describe_tensor
from ._enums import ColorFormat
from ._formats import YUV_FORMATS, format_label, plane_shapes, planes_count
from ._info import InputInfo, OutputInfo
from ._steps import ConvertElementType, ConvertLayout, Step
from ._transaction import Transaction

__all__ = ["BuildError", "Report", "build_input", "build_output", "port_name", "yield_gil"]


def yield_gil() -> None:
    """Let other Python threads have the interpreter now (``sleep(0)`` releases the GIL).
    Called between inputs and outputs only: with a busy thread waiting, every yield costs
    up to a switch interval, and the interpreter switches threads on its own anyway."""
    time.sleep(0)


class Report:
    """The lines of ``str(ppp)``."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def text(self, error: str | None = None) -> str:
        lines = list(self.lines)
        if error is not None:
            lines.append(f"Error occurred: {error}")
        return "".join(line + "\n" for line in lines)


def port_name(port: ConstOutput) -> str:
    """How the report names an input or output: a tensor name, else the node's name."""
    names = port.get_names()
    return sorted(names)[0] if names else port.get_node().get_friendly_name()


class BuildError(RuntimeError):
    """A declaration that cannot be built, with the input or output (and step) named."""


def _fail(where: str, message: str) -> BuildError:
    return BuildError(f"PrePostProcessor: {where}: {message}")


def _run_steps(steps: list[Step], ctx: Context, target: Target, where: str, kind: str,
               report: Report) -> Context:
    for number, step in enumerate(steps, 1):
        head = f"      {step.describe()}: {ctx.describe()}"
        try:
            after = step.apply(ctx, target)
        except Exception as e:
            report.add(head)
            note = f'PrePostProcessor: {where}: {kind} step {number} "{step.describe()}" failed'
            if step.is_custom:
                if hasattr(e, "add_note"):
                    e.add_note(note)
                raise
            raise _fail(where, f'{kind} step {number} "{step.describe()}": {e}') from e
        report.add(f"{head} -> {after.describe()}")
        ctx = after
    return ctx


def _check_layout(layout: Layout, shape: PartialShape, where: str, what: str) -> None:
    if not is_compatible(layout, shape):
        raise _fail(where, f"{what} {layout.to_string()} is not compatible with shape {shape}")


# --- inputs --------------------------------------------------------------------------------
def _derive_shape(info: InputInfo, target: Target, tensor_layout: Layout, where: str
                  ) -> PartialShape:
    """The user's image shape when ``set_shape`` was not given (see the module docstring)."""
    steps = info.preprocess()._steps
    layouts = [tensor_layout]
    for step in steps:
        layouts.append(step.layout_after(layouts[-1]))
    shape = PartialShape(target.shape)
    final = layouts[-1]
    if (not final.empty and not target.layout.empty and final != target.layout
            and shape.rank.is_static):
        try:
            order = find_permutation(final, target.layout, len(shape))
        except RuntimeError as e:
            raise _fail(where, f"cannot convert layout {final.to_string()} to the model's "
                        f"{target.layout.to_string()}: {e}") from e
        before = [Dimension()] * len(shape)
        for i, src in enumerate(order):
            before[src] = Dimension(shape[i])
        shape = PartialShape(before)
    for step, layout in reversed(list(zip(steps, layouts[:-1]))):
        shape = step.shape_before(shape, layout)
    spatial = info.tensor()._spatial
    if spatial is not None or info.tensor()._spatial_dynamic:
        what = "set_spatial_static_shape" if spatial else "set_spatial_dynamic_shape"
        try:
            h = axis_of(tensor_layout, "H", shape, what)
            w = axis_of(tensor_layout, "W", shape, what)
        except RuntimeError as e:
            raise _fail(where, str(e)) from e
        dims = list(shape)
        dims[h], dims[w] = (Dimension(spatial[0]), Dimension(spatial[1])) if spatial \
            else (Dimension(), Dimension())
        shape = PartialShape(dims)
    return shape


def _plane_names(param: Parameter, sub_names: tuple[str, ...], count: int
                 ) -> list[tuple[str | None, set[str]]]:
    """(friendly name, tensor names) of each new input Parameter."""
    friendly = param.get_friendly_name()
    names = param.output(0).get_names()
    if count == 1 and not sub_names:
        return [(friendly, set(names))]
    if not sub_names:
        return [(None, set()) for _ in range(count)]
    return [(f"{friendly}/{sub}", {f"{n}/{sub}" for n in names}) for sub in sub_names]


def build_input(model: Model, info: InputInfo, param: Parameter, name: str, report: Report,
                tx: Transaction) -> None:
    """Build the pre-processing of ``info`` for the model input ``param`` (called ``name``
    in the report and in errors)."""
    where = f'input "{name}"'
    tensor = info.tensor()
    color = tensor._color
    header = f'Input "{name}"'
    if color != ColorFormat.UNDEFINED:
        header += f" (color {format_label(color)})"
    if tensor._memory_type is not None:
        header += f" memory type={tensor._memory_type}"
    report.add(header + ":")

    model_layout = info.model()._layout or param.get_layout()
    what = "model layout"
    if model_layout.empty and tensor._layout is not None:
        # unknown model layout: the one the explicit tensor layout has after the steps
        model_layout = tensor._layout
        for step in info.preprocess()._steps:
            model_layout = step.layout_after(model_layout)
        what = "user's tensor layout (taken for the model's, which is not set)"
    target = Target(param.get_element_type(), PartialShape(param.get_partial_shape()),
                    model_layout)
    _check_layout(model_layout, target.shape, where, what)
    if tensor._layout is not None:
        tensor_layout = tensor._layout
    elif color != ColorFormat.UNDEFINED:
        tensor_layout = Layout("NHWC")
    else:
        tensor_layout = model_layout
    tensor_type = tensor._element_type or target.element_type
    count = planes_count(color)
    try:
        if tensor._shape is not None:
            shapes = [tensor._shape]
            if count > 1:
                shapes += plane_shapes(color, tensor._shape, tensor_layout)[1:]
        else:
            image = _derive_shape(info, target, tensor_layout, where)
            shapes = plane_shapes(color, image, tensor_layout)
    except BuildError:
        raise
    except RuntimeError as e:
        raise _fail(where, f"cannot derive the user's tensor shape: {e}") from e
    for shape in shapes:
        _check_layout(tensor_layout, shape, where, "user's tensor layout")

    params = []
    for shape, (friendly, names) in zip(shapes, _plane_names(param, tensor._sub_names, count)):
        p = Parameter(tensor_type, shape, name=friendly)
        p.output(0).set_names(names)
        if not tensor_layout.empty:
            p.set_layout(tensor_layout)
        if tensor._memory_type is not None:
            attribute = RuntimeAttribute("memory_type", "0", {"value": tensor._memory_type})
            dict.__setitem__(p.output(0).get_rt_info(), attribute.key, attribute)
        params.append(p)
    if count == 1:
        report.add(f"    User's input tensor: "
                   f"{describe_tensor(shapes[0], tensor_layout, tensor_type)}")
    else:
        report.add(f"    {count} user's tensors expected for each plane:")
        for i, p in enumerate(params):
            label = f"{port_name(p.output(0))} " if p.output(0).get_names() else ""
            report.add(f"       {i}: {label}"
                       f"{describe_tensor(p.get_partial_shape(), tensor_layout, tensor_type)}")
    report.add(f"    Model's expected tensor: "
               f"{describe_tensor(target.shape, target.layout, target.element_type)}")

    ctx = Context(tuple(p.output(0) for p in params), tensor_layout, color,
                  show_color=color != ColorFormat.UNDEFINED)
    steps = info.preprocess()._steps
    if steps:
        report.add(f"    Pre-processing steps ({len(steps)}):")
        ctx = _run_steps(steps, ctx, target, where, "pre-processing", report)
    if len(ctx.outputs) != 1 or ctx.color in YUV_FORMATS:
        raise _fail(where, f"the model needs RGB/BGR/GRAY data; add a 'convert_color' step to "
                    f"convert the current color format '{format_label(ctx.color)}'")
    implicit: list[Step] = []
    if ctx.element_type != target.element_type:
        implicit.append(ConvertElementType(target.element_type, post=False))
    if not ctx.layout.empty and not target.layout.empty and ctx.layout != target.layout:
        implicit.append(ConvertLayout(layout=target.layout))
    if implicit:
        report.add(f"    Implicit pre-processing steps ({len(implicit)}):")
        ctx = _run_steps(implicit, ctx, target, where, "implicit pre-processing", report)
    final = ctx.output
    if not final.get_partial_shape()._compatible(target.shape):
        raise _fail(where, f"Resulting shape '{final.get_partial_shape()}' after preprocessing "
                    f"is not aligned with original parameter's shape: {target.shape}, input "
                    f"parameter: {param.get_friendly_name()}")

    for node, index in list(param._outputs[0].consumers):
        tx.rewire(node, index, final)
    tx.replace_parameter(model.get_parameter_index(param), params)


# --- outputs -------------------------------------------------------------------------------
def build_output(model: Model, info: OutputInfo, name: str, report: Report,
                 tx: Transaction) -> None:
    """Build the post-processing of output ``info._index`` into ``model`` (called ``name``
    in the report and in errors)."""
    result = model.get_results()[info._index]
    source = result.input_value(0)
    where = f'output "{name}"'
    report.add(f'Output "{name}":')
    model_layout = info.model()._layout or get_layout(result.output(0))
    _check_layout(model_layout, source.get_partial_shape(), where, "model layout")
    user = info.tensor()
    target = Target(source.get_element_type(), PartialShape(source.get_partial_shape()),
                    model_layout, user._element_type)
    stand_in = Parameter(target.element_type, target.shape)
    ctx = Context((stand_in.output(0),), model_layout)
    report.add(f"    Model's data tensor: "
               f"{describe_tensor(target.shape, model_layout, target.element_type)}")
    steps = info.postprocess()._steps
    if steps:
        report.add(f"    Post-processing steps ({len(steps)}):")
        ctx = _run_steps(steps, ctx, target, where, "post-processing", report)
    implicit: list[Step] = []
    if user._element_type is not None and user._element_type != ctx.element_type:
        implicit.append(ConvertElementType(user._element_type, post=True))
    if user._layout is not None and user._layout != ctx.layout:
        implicit.append(ConvertLayout(layout=user._layout))
    if implicit:
        report.add(f"    Post-processing implicit steps ({len(implicit)}):")
        ctx = _run_steps(implicit, ctx, target, where, "implicit post-processing", report)
    final = ctx.output
    report.add(f"    User's output tensor: "
               f"{describe_tensor(final.get_partial_shape(), ctx.layout, ctx.element_type)}")

    if info.model()._layout is not None:
        tx.set_entry(source.get_tensor().rt_info, "layout", model_layout)
    if final.get_node() is stand_in:
        final = source
    else:
        for node, index in list(stand_in._outputs[0].consumers):
            tx.rewire(node, index, source)
        tx.rewire(result, 0, final)
        tx.set_names(final.get_tensor(), source.get_names())
        tx.set_names(source.get_tensor(), ())
        src_node = source.get_node()
        tx.set_friendly_name(final.get_node(),
                             f"{src_node.get_friendly_name()}.{source.get_index()}")
    if not ctx.layout.empty:
        tx.set_entry(final.get_tensor().rt_info, "layout", ctx.layout)

