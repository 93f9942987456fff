"""Numpy references for the pre-processing tests: image resizing (half-pixel coordinates,
as the resize step asks Interpolate for), YUV 4:2:0 to RGB, and small model builders."""

from __future__ import annotations

import numpy as np

import openvino as ov
import openvino.opset13 as ops


def _coords(n_in: int, n_out: int) -> np.ndarray:
    return (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5


def _linear(n_in: int, n_out: int) -> np.ndarray:
    x = np.clip(_coords(n_in, n_out), 0, n_in - 1)
    x0 = np.floor(x).astype(int)
    x1 = np.minimum(x0 + 1, n_in - 1)
    w = x - x0
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), x0), 1 - w)
    np.add.at(m, (np.arange(n_out), x1), w)
    return m


def _cubic(n_in: int, n_out: int, a: float = -0.75) -> np.ndarray:
    x = _coords(n_in, n_out)
    x0 = np.floor(x).astype(int)

    def kernel(d: float) -> float:
        d = abs(d)
        if d <= 1:
            return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1
        if d < 2:
            return a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a
        return 0.0

    m = np.zeros((n_out, n_in))
    for o in range(n_out):
        for j in range(-1, 3):
            m[o, min(max(x0[o] + j, 0), n_in - 1)] += kernel(x[o] - x0[o] - j)
    return m


def _nearest(n_in: int, n_out: int) -> np.ndarray:
    x = _coords(n_in, n_out)
    frac = x - np.floor(x)
    idx = np.where(frac == 0.5, np.floor(x), np.round(x)).astype(int)  # halves go down
    m = np.zeros((n_out, n_in))
    m[np.arange(n_out), np.clip(idx, 0, n_in - 1)] = 1
    return m


def resize(image: np.ndarray, h_axis: int, w_axis: int, size: tuple[int, int],
           mode: str) -> np.ndarray:
    """``image`` resized to ``size`` over its H and W axes, in float64."""
    make = {"linear": _linear, "cubic": _cubic, "nearest": _nearest}[mode]
    x = np.moveaxis(image.astype(np.float64), (h_axis, w_axis), (-2, -1))
    x = make(x.shape[-2], size[0]) @ x @ make(x.shape[-1], size[1]).T
    return np.moveaxis(x, (-2, -1), (h_axis, w_axis))


#: largest difference the resize methods may show against ``resize`` on 0..255 data
#: (the op computes its coordinates in float32)
RESIZE_ATOL = {"linear": 0.02, "cubic": 0.03, "nearest": 0.0}


def yuv_to_rgb(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Per-pixel loop: ``[N, H, W]`` Y and ``[N, H/2, W/2]`` U, V -> ``[N, H, W, 3]`` RGB,
    float64, clipped to [0, 255]."""
    n, h, w = y.shape
    out = np.zeros((n, h, w, 3))
    for b in range(n):
        for i in range(h):
            for j in range(w):
                yy = float(y[b, i, j]) - 16
                uu = float(u[b, i // 2, j // 2]) - 128
                vv = float(v[b, i // 2, j // 2]) - 128
                out[b, i, j] = (1.164 * yy + 1.596 * vv,
                                1.164 * yy - 0.813 * vv - 0.391 * uu,
                                1.164 * yy + 2.018 * uu)
    return np.clip(out, 0, 255)


def identity_model(shape: list, element_type=np.float32, name: str = "data") -> ov.Model:
    """``data * 1`` with tensor names ``data`` and ``out``: the output shows what the
    pre-processing produced."""
    p = ops.parameter(shape, element_type, name=name)
    p.output(0).set_names({name})
    out = ops.multiply(p, np.array(1, dtype=element_type))
    out.output(0).set_names({"out"})
    return ov.Model([out], [p], "identity")


def model_signature(model: ov.Model) -> list:
    """What a failed build must leave unchanged: every node's type, name, inputs, output
    types, shapes and names, and the parameter and result lists."""
    ops_ = model.get_ordered_ops()
    index = {id(n): i for i, n in enumerate(ops_)}
    sig = []
    for n in ops_:
        sig.append((n.get_type_name(), n.get_friendly_name(),
                    [(index.get(id(v.get_node())), v.get_index()) for v in n.input_values()],
                    [(str(o.get_element_type()), str(o.get_partial_shape()),
                      sorted(o.get_names()), str(o.get_rt_info().get("layout", "")))
                     for o in n.outputs()],
                    [(t.get_node().get_friendly_name(), t.get_index())
                     for o in n.outputs() for t in sorted(
                         o.get_target_inputs(),
                         key=lambda t: (t.get_node().get_friendly_name(), t.get_index()))]))
    sig.append([p.get_friendly_name() for p in model.get_parameters()])
    sig.append([r.get_friendly_name() for r in model.get_results()])
    sig.append([str(p.get_layout()) for p in model.get_parameters()])
    return sig
