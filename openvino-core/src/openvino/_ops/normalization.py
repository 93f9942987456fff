"""Normalizations: MVN (v0 in opset2, v6), NormalizeL2, BatchNormInference (v0, v5) and LRN.

All of them keep the input's shape and floating-point type. The references compute in at
least f32 (f16 inputs are widened, then rounded back).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import PartialShape
from .._type import Type
from ._infer import constant_value, merge_types, normalize_axes

__all__ = ["MVN1", "MVN", "NormalizeL2", "BatchNormInference1", "BatchNormInference", "LRN"]


def _real_type(node: Node, et: Type, what: str = "data") -> Type:
    node.check(et.is_dynamic() or et.is_real(),
               f"The {what} input of {node.type_name} must be of a floating-point type, "
               f"got {et.get_type_name()}")
    return et


def _compute_dtype(x: np.ndarray) -> np.dtype:
    return np.dtype(np.float64) if x.dtype == np.float64 else np.dtype(np.float32)


def _axes_input(node: Node, index: int, data: PartialShape) -> list[int] | None:
    """Checks an integer axes input (scalar or 1D); returns its normalized value when it is
    computable from constants and the data rank is known."""
    at = node.get_input_element_type(index)
    node.check(at.is_dynamic() or at.is_integral_number(),
               f"Axes input must be of an integer type, got {at.get_type_name()}")
    aps = node.get_input_partial_shape(index)
    node.check(aps.rank.is_dynamic or len(aps) <= 1, f"Axes input must be a scalar or 1D, "
                                                      f"got shape {aps}")
    value = constant_value(node._inputs[index])
    if value is None or data.rank.is_dynamic:
        return None
    axes = normalize_axes(node, value, len(data))
    node.check(len(set(axes)) == len(axes), f"Axes must be unique, got {axes}")
    return axes


def _mvn(x: np.ndarray, axes: tuple[int, ...], normalize_variance: bool, eps: float,
         inside_sqrt: bool) -> np.ndarray:
    y = x.astype(_compute_dtype(x))
    d = y - y.mean(axis=axes, keepdims=True)
    if normalize_variance:
        var = (d * d).mean(axis=axes, keepdims=True)
        d = d / (np.sqrt(var + eps) if inside_sqrt else np.sqrt(var) + eps)
    return d.astype(x.dtype)


class MVN1(Node):
    """Mean-variance normalization (v0, opset2): over ``reduction_axes``, or over the spatial
    axes (plus channels when ``across_channels``); eps is added inside the square root."""

    type_name = "MVN"
    version = "opset2"
    attributes = {
        "eps": Attr.float(1e-9),
        "across_channels": Attr.bool(False),
        "normalize_variance": Attr.bool(True),
        "reduction_axes": Attr.ints([]),
    }

    def _axes(self, rank: int) -> list[int]:
        given = self._attrs["reduction_axes"]
        if given:
            return normalize_axes(self, given, rank)
        start = 1 if self._attrs["across_channels"] else 2
        return list(range(start, rank))

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 1, "MVN takes one input")
        et = _real_type(self, self.get_input_element_type(0))
        data = self.get_input_partial_shape(0)
        if data.rank.is_static:
            axes = self._axes(len(data))
            self._attrs["reduction_axes"] = axes
            self._attrs["across_channels"] = 1 in axes
        self.set_output_type(0, et, data)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return _mvn(x, tuple(self._axes(x.ndim)), self._attrs["normalize_variance"],
                    self._attrs["eps"], True)


class MVN(Node):
    """Mean-variance normalization (v6) over the axes given by the second input."""

    type_name = "MVN"
    version = "opset6"
    attributes = {
        "eps": Attr.float(),
        "normalize_variance": Attr.bool(),
        "eps_mode": Attr.enum(),
    }

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "MVN-6 takes data and axes inputs")
        et = _real_type(self, self.get_input_element_type(0))
        mode = self._attrs["eps_mode"]
        self.check(mode in ("inside_sqrt", "outside_sqrt"),
                   f"Unsupported eps_mode '{mode}' (expected inside_sqrt or outside_sqrt)")
        data = self.get_input_partial_shape(0)
        _axes_input(self, 1, data)
        self.set_output_type(0, et, data)

    def reference(self, x: np.ndarray, axes: np.ndarray) -> np.ndarray:
        ax = tuple(normalize_axes(self, axes, x.ndim))
        return _mvn(x, ax, self._attrs["normalize_variance"], self._attrs["eps"],
                    self._attrs["eps_mode"] == "inside_sqrt")


class NormalizeL2(Node):
    """``x / sqrt(eps_mode(sum(x**2 over axes), eps))`` with eps_mode ``add`` or ``max``."""

    type_name = "NormalizeL2"
    version = "opset1"
    attributes = {"eps": Attr.float(), "eps_mode": Attr.enum()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 2, "NormalizeL2 takes data and axes inputs")
        et = _real_type(self, self.get_input_element_type(0))
        mode = self._attrs["eps_mode"]
        self.check(mode in ("add", "max"), f"Unsupported eps_mode '{mode}' (expected add or max)")
        data = self.get_input_partial_shape(0)
        _axes_input(self, 1, data)
        self.set_output_type(0, et, data)

    def reference(self, x: np.ndarray, axes: np.ndarray) -> np.ndarray:
        ax = tuple(normalize_axes(self, axes, x.ndim))
        y = x.astype(_compute_dtype(x))
        sq = np.sum(y * y, axis=ax, keepdims=True)
        eps = self._attrs["eps"]
        sq = sq + eps if self._attrs["eps_mode"] == "add" else np.maximum(sq, eps)
        return (y / np.sqrt(sq)).astype(x.dtype)


class _BatchNorm(Node):
    """Shared checks: data [N, C, ...] and four per-channel 1D inputs."""

    attributes = {"epsilon": Attr.float()}
    #: positions of (data, gamma, beta, mean, variance) among the inputs
    order: tuple[int, int, int, int, int] = (0, 1, 2, 3, 4)

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 5,
                   "BatchNormInference takes data, gamma, beta, mean and variance inputs")
        names = ("data", "gamma", "beta", "mean", "variance")
        et = merge_types(self, *(self.get_input_element_type(i) for i in self.order))
        _real_type(self, et, "data")
        self.check(self._attrs["epsilon"] >= 0,
                   f"Attribute 'epsilon' must be non-negative, got {self._attrs['epsilon']}")
        data = self.get_input_partial_shape(self.order[0])
        self.check(data.rank.is_dynamic or len(data) >= 2,
                   f"Input data rank must be at least 2, got {data}")
        channels = data[1] if data.rank.is_static else None
        for name, idx in zip(names[1:], self.order[1:]):
            ps = self.get_input_partial_shape(idx)
            self.check(ps.rank.is_dynamic or len(ps) == 1,
                       f"Shape of {name} must be 1D, got {ps}")
            if ps.rank.is_static and channels is not None:
                merged = channels.merge(ps[0])
                self.check(merged is not None,
                           f"Shape of {name} {ps} does not match the channel dimension "
                           f"{channels} of data {data}")
                channels = merged
        out = data
        if data.rank.is_static and channels is not None:
            out = PartialShape([data[0], channels] + list(data)[2:])
        self.set_output_type(0, et, out)

    def reference(self, *args: np.ndarray) -> np.ndarray:
        x, gamma, beta, mean, var = (args[i] for i in self.order)
        ct = _compute_dtype(x)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        g, b, m, v = (a.astype(ct).reshape(shape) for a in (gamma, beta, mean, var))
        y = (x.astype(ct) - m) / np.sqrt(v + self._attrs["epsilon"]) * g + b
        return y.astype(x.dtype)


class BatchNormInference1(_BatchNorm):
    """Batch normalization (v0): inputs gamma, beta, data, mean, variance."""

    type_name = "BatchNormInference"
    version = "opset1"
    order = (2, 0, 1, 3, 4)


class BatchNormInference(_BatchNorm):
    """Batch normalization (v5): inputs data, gamma, beta, mean, variance."""

    type_name = "BatchNormInference"
    version = "opset5"
    order = (0, 1, 2, 3, 4)


def _window_sum(y: np.ndarray, axis: int, half: int) -> np.ndarray:
    """Sum over [i - half, i + half] along ``axis`` (clipped to the tensor)."""
    n = y.shape[axis]
    if y.size == 0:
        return y
    cs = np.cumsum(y, axis=axis)
    cs = np.concatenate([np.zeros_like(np.take(cs, [0], axis=axis)), cs], axis=axis)
    i = np.arange(n)
    lo, hi = np.maximum(i - half, 0), np.minimum(i + half + 1, n)
    return np.take(cs, hi, axis=axis) - np.take(cs, lo, axis=axis)


class LRN(Node):
    """Local response normalization over a window of ``size`` along each of the axes."""

    type_name = "LRN"
    version = "opset1"
    attributes = {
        "alpha": Attr.float(),
        "beta": Attr.float(),
        "bias": Attr.float(),
        "size": Attr.int(),
    }

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) in (1, 2), "LRN takes data and axes inputs")
        et = _real_type(self, self.get_input_element_type(0))
        self.check(self._attrs["size"] > 0, f"Attribute 'size' must be positive, "
                                            f"got {self._attrs['size']}")
        data = self.get_input_partial_shape(0)
        if len(self._inputs) == 2:
            aps = self.get_input_partial_shape(1)
            self.check(aps.rank.is_dynamic or len(aps) == 1,
                       f"Input axes must be a 1D tensor, got {aps}")
            axes = _axes_input(self, 1, data)
            if axes is not None:
                self.check(len(axes) <= len(data),
                           f"Number of elements of axes must be <= input rank ({len(data)})")
        self.set_output_type(0, et, data)

    def reference(self, x: np.ndarray, axes: np.ndarray | None = None) -> np.ndarray:
        ax = [1] if axes is None else normalize_axes(self, axes, x.ndim)
        a = self._attrs
        y = x.astype(_compute_dtype(x))
        sq = y * y
        half = (a["size"] - 1) // 2
        for axis in sorted(set(ax)):
            sq = _window_sum(sq, axis, half)
        scale = a["alpha"] / float(a["size"]) ** len(ax)
        return (y / np.power(a["bias"] + scale * sq, a["beta"])).astype(x.dtype)


# --- factories ------------------------------------------------------------------------------
@factory("mvn", since=2)
def mvn1(data: Any, across_channels: bool = False, normalize_variance: bool = False,
         eps: float = 1e-9, name: str | None = None) -> MVN1:
    """Mean-variance normalization over the spatial axes (and channels if asked)."""
    return MVN1(data, across_channels=across_channels, normalize_variance=normalize_variance,
                eps=eps, name=name)


@factory("mvn", since=6)
def mvn(data: Any, axes: Any, normalize_variance: bool, eps: float, eps_mode: str,
        name: str | None = None) -> MVN:
    """Mean-variance normalization over ``axes``; ``eps_mode`` is inside_sqrt or
    outside_sqrt."""
    return MVN(data, axes, normalize_variance=normalize_variance, eps=eps, eps_mode=eps_mode,
               name=name)


@factory("normalize_l2", since=1)
def normalize_l2(data: Any, axes: Any, eps: float, eps_mode: str,
                 name: str | None = None) -> NormalizeL2:
    """L2 normalization along ``axes``; ``eps_mode`` is add or max."""
    return NormalizeL2(data, axes, eps=eps, eps_mode=eps_mode, name=name)


@factory("batch_norm_inference", since=1)
def batch_norm_inference1(data: Any, gamma: Any, beta: Any, mean: Any, variance: Any,
                          epsilon: float, name: str | None = None) -> BatchNormInference1:
    """Batch normalization with per-channel statistics (v0 input order in the graph)."""
    return BatchNormInference1(gamma, beta, data, mean, variance, epsilon=epsilon, name=name)


@factory("batch_norm_inference", since=5)
def batch_norm_inference(data: Any, gamma: Any, beta: Any, mean: Any, variance: Any,
                         epsilon: float, name: str | None = None) -> BatchNormInference:
    """Batch normalization with per-channel statistics."""
    return BatchNormInference(data, gamma, beta, mean, variance, epsilon=epsilon, name=name)


@factory("lrn", since=1)
def lrn(data: Any, axes: Any, alpha: float = 1, beta: float = 0.5, bias: float = 1,
        size: int = 5, name: str | None = None) -> LRN:
    """Local response normalization: ``x / (bias + alpha / size**len(axes) * sqsum)**beta``."""
    return LRN(data, axes, alpha=alpha, beta=beta, bias=bias, size=size, name=name)
