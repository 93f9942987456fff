"""Mappings of ONNX's Optional ops where the optional is a plain tensor or absent:
OptionalHasElement and OptionalGetElement.

OpenVINO has no optional type: a value either is a tensor output of the graph or is not
there at all. So ``OptionalHasElement`` is a constant (true for a given input, false for
an absent one) and ``OptionalGetElement`` of a tensor is that tensor. Optional or sequence
*typed* graph inputs are refused where the reader meets them."""

from __future__ import annotations

from typing import Any

import numpy as np

from .context import NodeContext
from .registry import onnx_op


@onnx_op("OptionalHasElement", since=15)
def optional_has_element(ctx: NodeContext) -> Any:
    return ctx.const(np.array(ctx.has_input(0)), "boolean")


@onnx_op("OptionalGetElement", since=15)
def optional_get_element(ctx: NodeContext) -> Any:
    if not ctx.has_input(0):
        ctx.fail("OptionalGetElement of an empty optional has no element")
    return ctx.input(0)
