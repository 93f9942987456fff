"""The RAY device of the Python OpenVINO runtime: one compiled model fanned out over the
worker actors of a Ray cluster, each compiling it on its own node's device.

Installed with ``pip install openvino-ray`` it registers the ``RAY`` device family (entry
point ``openvino.plugins``): ``core.compile_model(model, "RAY", {"RAY_ADDRESS": ...})``
and the same ``InferRequest`` / ``AsyncInferQueue`` code as on ``CPU``.
:class:`BatchPredictor` runs a model over ``ray.data`` batches.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BatchPredictor"]


def __getattr__(name: str) -> Any:
    if name == "BatchPredictor":  # lazily: importing the device must not import ray
        from .batch_predictor import BatchPredictor

        return BatchPredictor
    raise AttributeError(f"module 'openvino_ray' has no attribute '{name}'")
