"""``openvino.preprocess``: conversions built into a model around its inputs and outputs.

``PrePostProcessor(model)`` collects, per input, what the user's tensor looks like
(``input().tensor()``: element type, layout, shape, color format), what the model expects
(``input().model().set_layout``) and the steps between them (``input().preprocess()``:
convert type/layout/color, resize, mean, scale, reverse channels, pad, crop, custom); per
output, the same in reverse (``output().postprocess()``, ``output().tensor()``).
``build()`` turns it all into ordinary ops in the model; ``str(ppp)`` reports the pipeline.
"""

from ._enums import ColorFormat, PaddingMode, ResizeAlgorithm
from ._info import (
    InputInfo,
    InputModelInfo,
    InputTensorInfo,
    OutputInfo,
    OutputModelInfo,
    OutputTensorInfo,
)
from ._processor import PrePostProcessor
from ._steps import PostProcessSteps, PreProcessSteps

__all__ = ["ColorFormat", "InputInfo", "InputModelInfo", "InputTensorInfo", "OutputInfo",
           "OutputModelInfo", "OutputTensorInfo", "PaddingMode", "PostProcessSteps",
           "PrePostProcessor", "PreProcessSteps", "ResizeAlgorithm"]
