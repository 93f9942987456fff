"""Mappings of the ``ai.onnx.ml`` domain ops that are plain tensor arithmetic: Binarizer and
ArrayFeatureExtractor."""

from __future__ import annotations

from typing import Any

import numpy as np

from .context import NodeContext
from .registry import onnx_op

ML = "ai.onnx.ml"


@onnx_op("Binarizer", domain=ML)
def binarizer(ctx: NodeContext) -> Any:
    """1 where ``X > threshold``, else 0, in X's type."""
    x = ctx.input(0)
    above = ctx.make("Greater", x, ctx.const_like(ctx.attr("threshold", 0.0), x))
    return ctx.make("Select", above, ctx.const_like(1, x), ctx.const_like(0, x))


@onnx_op("ArrayFeatureExtractor", domain=ML)
def array_feature_extractor(ctx: NodeContext) -> Any:
    """The elements at ``Y`` (all its indices, flattened) along X's last axis; a 1-D X gives
    one row (``[1, len(Y)]``), as onnxruntime and the ONNX reference do."""
    x = ctx.input(0)
    r = ctx.need_rank(x)
    index = ctx.make("Reshape", ctx.input(1), ctx.const(np.array([-1], np.int64)),
                     special_zero=False).output(0)
    out = ctx.make("Gather", x, index, ctx.const(np.int64(r - 1)), batch_dims=0).output(0)
    if r == 1:
        out = ctx.make("Unsqueeze", out, ctx.const(np.array([0], np.int64))).output(0)
    return out
