"""Discrete Fourier transforms: DFT and IDFT (v7), RDFT and IRDFT (v9), STFT (v15), ISTFT
(v16).

Complex tensors are real tensors with a trailing dimension of 2 (real, imaginary).
``axes`` name the transformed axes (for DFT, IDFT and IRDFT negative axes count from the
last axis before the complex one). ``signal_size`` (optional, one per axis, -1 keeps the
size) crops or zero-pads each axis at its end before the transform. IDFT and IRDFT divide
by the number of points. RDFT keeps the ``n // 2 + 1`` non-redundant points of the last
axis in ``axes``; IRDFT reads those and returns ``signal_size`` (default ``2 * (n - 1)``)
real points. STFT slides a ``frame_size`` window (``window`` zero-padded to it, centred)
over the last axis of a 1-D or 2-D signal by ``frame_step`` and returns the RDFT of each
frame: ``[batch, frames, frame_size // 2 + 1, 2]``, or ``[batch, bins, frames, 2]`` with
``transpose_frames``. ISTFT inverts a transposed STFT (``[batch, bins, frames, 2]``): the
real inverse of each frame, windowed, is overlap-added and divided by the overlap-added
squared window (as the runtime's CPU plugin does), times ``sqrt(frame_size)`` when
``normalized``; ``center`` drops ``frame_size // 2`` samples at
the start; ``signal_length`` cuts or zero-pads the result. Computed in double precision,
stored in the input's type.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from ._infer import constant_value

__all__ = ["DFT", "IDFT", "RDFT", "IRDFT", "STFT", "ISTFT"]


def _ints(value: Any) -> list[int]:
    return [int(v) for v in np.asarray(value).reshape(-1)]


class _FourierBase(Node):
    """Inputs (data, axes, optional signal_size) and shape inference of the four DFTs."""

    #: the data carries a trailing complex dimension
    complex_input = True
    #: the result carries a trailing complex dimension
    complex_output = True

    def _axes_rank(self, rank: int) -> int:
        """The rank axes are counted in (the complex dimension excluded)."""
        return rank - 1 if self.complex_input else rank

    def _normalized_axes(self, axes: list[int], rank: int) -> list[int]:
        r = self._axes_rank(rank)
        out = []
        for a in axes:
            self.check(-r <= a < r, f"Axis value: {a}, must be in range ({-r - 1}, {r}).")
            out.append(a + r if a < 0 else a)
        self.check(len(set(out)) == len(out), f"Each axis must be unique, got {axes}")
        return out

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in in (2, 3), f"{self.type_name} takes data, axes and optionally "
                                   f"signal_size")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"{self.type_name} op input element type must be floating point, got "
                   f"{et.get_type_name()}")
        for i in range(1, n_in):
            t = self.get_input_element_type(i)
            name = "axes" if i == 1 else "signal_size"
            self.check(t.is_dynamic() or t.is_integral_number(),
                       f"{self.type_name} op {name} element type must be i32 or i64, got "
                       f"{t.get_type_name()}")
        data = self.get_input_partial_shape(0)
        axes_ps = self.get_input_partial_shape(1)
        self.check(axes_ps.rank.is_dynamic or len(axes_ps) == 1,
                   f"{self.type_name} op axes input must be 1D tensor. Got axes input rank: "
                   f"{axes_ps.rank}")
        if n_in == 3:
            sps = self.get_input_partial_shape(2)
            self.check(sps.rank.is_dynamic or len(sps) == 1,
                       f"{self.type_name} op signal size input must be 1D tensor. Got signal "
                       f"size input rank: {sps.rank}")
            if sps.rank.is_static and axes_ps.rank.is_static:
                self.check(sps[0]._compatible(axes_ps[0]),
                           f"Sizes of inputs 'axes' and 'signal_size' must be equal. Got axes "
                           f"shape: {axes_ps}, signal_size shape: {sps}")
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        rank = len(data)
        if self.complex_input:
            self.check(rank >= 2, f"The input rank must be greater or equal to 2. Got input "
                                  f"rank: {rank}")
            self.check(data[rank - 1]._compatible(2),
                       f"The last dimension of input data must be 2. Got: {data[rank - 1]}")
        axes_v = constant_value(self._inputs[1])
        dims = list(data)
        if axes_v is None:
            out = [Dimension() for _ in self._out_rank_dims(dims)]
            self.set_output_type(0, et, PartialShape(out))
            return
        axes = self._normalized_axes(_ints(axes_v), rank)
        self.check(len(axes) <= self._axes_rank(rank),
                   f"{self.type_name} op: the number of axes must not exceed the input rank")
        sizes = None
        if n_in == 3:
            sv = constant_value(self._inputs[2])
            sizes = None if sv is None else _ints(sv)
            if sizes is not None:
                self.check(len(sizes) == len(axes),
                           f"Sizes of inputs 'axes' and 'signal_size' must be equal. Got "
                           f"{len(axes)} axes and {len(sizes)} sizes")
        elif len(self._inputs) == 3:
            sizes = None
        self.set_output_type(0, et, PartialShape(self._out_dims(dims, axes, sizes,
                                                                n_in == 3)))

    def _out_rank_dims(self, dims: list[Dimension]) -> list[Dimension]:
        rank = len(dims) + (1 if self.complex_output else 0) - (1 if self.complex_input else 0)
        return [Dimension()] * rank

    def _out_dims(self, dims: list[Dimension], axes: list[int], sizes: list[int] | None,
                  has_sizes: bool) -> list[Dimension]:
        out = list(dims)
        for i, a in enumerate(axes):
            if has_sizes and sizes is None:
                out[a] = Dimension()
            elif sizes is not None and sizes[i] != -1:
                out[a] = Dimension(sizes[i])
        return out

    def _transform(self, data: np.ndarray, axes: list[int], sizes: list[int] | None
                   ) -> np.ndarray:
        raise NotImplementedError

    def reference(self, data: np.ndarray, axes: np.ndarray, *signal: np.ndarray) -> np.ndarray:
        ax = self._normalized_axes(_ints(axes), data.ndim)
        sizes = _ints(signal[0]) if signal else None
        if sizes is not None and len(sizes) != len(ax):
            raise RuntimeError(f"{self.type_name} '{self.get_friendly_name()}': {len(ax)} axes "
                               f"and {len(sizes)} signal sizes")
        out = self._transform(data.astype(np.float64), ax, sizes)
        return np.ascontiguousarray(out).astype(data.dtype)


def _resize(x: np.ndarray, axis: int, n: int) -> np.ndarray:
    """``x`` cropped or zero-padded at the end of ``axis`` to ``n`` points."""
    have = x.shape[axis]
    if n == have:
        return x
    if n < have:
        return np.take(x, np.arange(n), axis=axis)
    pad = [(0, 0)] * x.ndim
    pad[axis] = (0, n - have)
    return np.pad(x, pad)


def _to_complex(x: np.ndarray) -> np.ndarray:
    return x[..., 0] + 1j * x[..., 1]


def _from_complex(z: np.ndarray) -> np.ndarray:
    return np.stack([z.real, z.imag], axis=-1)


class DFT(_FourierBase):
    """DFT (v7): the forward transform of complex data over ``axes``."""

    type_name = "DFT"
    version = "opset7"
    attributes: dict[str, Attr] = {}
    inverse = False

    def _transform(self, data: np.ndarray, axes: list[int], sizes: list[int] | None
                   ) -> np.ndarray:
        z = _to_complex(data)
        for i, a in enumerate(axes):
            if sizes is not None and sizes[i] != -1:
                z = _resize(z, a, sizes[i])
        if not axes:
            return _from_complex(z)
        z = np.fft.ifftn(z, axes=axes) if self.inverse else np.fft.fftn(z, axes=axes)
        return _from_complex(z)


class IDFT(DFT):
    """IDFT (v7): the inverse transform (divided by the number of points)."""

    type_name = "IDFT"
    version = "opset7"
    inverse = True


class RDFT(_FourierBase):
    """RDFT (v9): the forward transform of real data; the last axis keeps n // 2 + 1 points."""

    type_name = "RDFT"
    version = "opset9"
    attributes: dict[str, Attr] = {}
    complex_input = False

    def _out_dims(self, dims: list[Dimension], axes: list[int], sizes: list[int] | None,
                  has_sizes: bool) -> list[Dimension]:
        out = super()._out_dims(dims, axes, sizes, has_sizes)
        if axes:
            last = out[axes[-1]]
            out[axes[-1]] = Dimension(last.get_length() // 2 + 1) if last.is_static \
                else Dimension()
        return out + [Dimension(2)]

    def _transform(self, data: np.ndarray, axes: list[int], sizes: list[int] | None
                   ) -> np.ndarray:
        x = data
        for i, a in enumerate(axes):
            if sizes is not None and sizes[i] != -1:
                x = _resize(x, a, sizes[i])
        if not axes:
            return _from_complex(x.astype(np.complex128))
        return _from_complex(np.fft.rfftn(x, axes=axes))


class IRDFT(_FourierBase):
    """IRDFT (v9): the inverse of RDFT: real output of ``signal_size`` (default
    ``2 * (n - 1)``) points along the last axis."""

    type_name = "IRDFT"
    version = "opset9"
    attributes: dict[str, Attr] = {}
    complex_output = False

    def _out_dims(self, dims: list[Dimension], axes: list[int], sizes: list[int] | None,
                  has_sizes: bool) -> list[Dimension]:
        out = list(dims[:-1])
        for i, a in enumerate(axes):
            last = i == len(axes) - 1
            size = None if sizes is None else sizes[i]
            if has_sizes and sizes is None:
                out[a] = Dimension()
            elif size is not None and size != -1:
                out[a] = Dimension(size)
            elif last:
                out[a] = Dimension(2 * (out[a].get_length() - 1)) if out[a].is_static \
                    else Dimension()
        return out

    def _transform(self, data: np.ndarray, axes: list[int], sizes: list[int] | None
                   ) -> np.ndarray:
        z = _to_complex(data)
        if not axes:
            return z.real
        last = axes[-1]
        n_last = 2 * (z.shape[last] - 1)
        if sizes is not None and sizes[-1] != -1:
            n_last = sizes[-1]
        for i, a in enumerate(axes[:-1]):
            if sizes is not None and sizes[i] != -1:
                z = _resize(z, a, sizes[i])
        if len(axes) > 1:
            z = np.fft.ifftn(z, axes=axes[:-1])
        # the last axis: the first n_last // 2 + 1 points (padded with zeros) are used
        z = _resize(z, last, n_last // 2 + 1)
        return np.fft.irfft(z, n=n_last, axis=last)


class STFT(Node):
    """STFT (v15): the short-time Fourier transform of each row of ``signal``."""

    type_name = "STFT"
    version = "opset15"
    attributes = {"transpose_frames": Attr.bool()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) == 4,
                   "STFT takes signal, window, frame_size and frame_step")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"Expected floating point type of the 'signal' input, got "
                   f"{et.get_type_name()}")
        for i, name in ((2, "frame_size"), (3, "frame_step")):
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_integral_number(),
                       f"Expected i32 or i64 type of the '{name}' input, got "
                       f"{t.get_type_name()}")
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or len(ps) == 0,
                       f"The shape of {name} must be a scalar, got {ps}")
        sig, win = self.get_input_partial_shape(0), self.get_input_partial_shape(1)
        self.check(sig.rank.is_dynamic or len(sig) in (1, 2),
                   f"The shape of signal must be 1D [signal_size] or 2D [batch, signal_size], "
                   f"got {sig}")
        self.check(win.rank.is_dynamic or len(win) == 1,
                   f"The shape of window must be 1D [window_size], got {win}")
        fs, st = constant_value(self._inputs[2]), constant_value(self._inputs[3])
        frame = int(np.asarray(fs).reshape(-1)[0]) if fs is not None else None
        step = int(np.asarray(st).reshape(-1)[0]) if st is not None else None
        if frame is not None:
            self.check(frame > 0, f"Provided frame size is {frame} but must be greater than 0.")
        if step is not None:
            self.check(step > 0, f"Provided frame step is {step} but must be greater than 0.")
        if frame is not None and win.rank.is_static and win[0].is_static:
            self.check(win[0].get_length() <= frame,
                       f"Window input dimension must be in range [1, {frame}], got "
                       f"{win[0].get_length()}")
        if sig.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        length = sig[len(sig) - 1]
        frames, bins = Dimension(), Dimension()
        if frame is not None:
            bins = Dimension(frame // 2 + 1)
            if step is not None and length.is_static:
                self.check(frame <= length.get_length(),
                           f"Provided frame size: {frame} must be less or equal to signal "
                           f"length: {length.get_length()}")
                frames = Dimension((length.get_length() - frame) // step + 1)
        pair = [bins, frames] if self._attrs["transpose_frames"] else [frames, bins]
        batch = [sig[0]] if len(sig) == 2 else []
        self.set_output_type(0, et, PartialShape(batch + pair + [2]))

    def reference(self, signal: np.ndarray, window: np.ndarray, frame_size: np.ndarray,
                  frame_step: np.ndarray) -> np.ndarray:
        frame = int(np.asarray(frame_size).reshape(-1)[0])
        step = int(np.asarray(frame_step).reshape(-1)[0])
        length = signal.shape[-1]
        if frame <= 0 or step <= 0 or frame > length or window.shape[0] > frame:
            raise RuntimeError(f"STFT '{self.get_friendly_name()}': frame_size {frame} and "
                               f"frame_step {step} must be positive, the frame no longer than "
                               f"the signal ({length}) and the window ({window.shape[0]}) no "
                               f"longer than the frame")
        pad = (frame - window.shape[0]) // 2
        w = np.zeros(frame)
        w[pad:pad + window.shape[0]] = window.astype(np.float64)
        rows = signal.reshape(-1, length).astype(np.float64)
        count = (length - frame) // step + 1
        starts = np.arange(count) * step
        frames = rows[:, starts[:, None] + np.arange(frame)[None, :]] * w  # [B, F, frame]
        spec = _from_complex(np.fft.rfft(frames, axis=-1))  # [B, F, bins, 2]
        if self._attrs["transpose_frames"]:
            spec = spec.transpose(0, 2, 1, 3)
        if signal.ndim == 1:
            spec = spec[0]
        return np.ascontiguousarray(spec).astype(signal.dtype)


class ISTFT(Node):
    """ISTFT (v16): the inverse short-time Fourier transform."""

    type_name = "ISTFT"
    version = "opset16"
    attributes = {"center": Attr.bool(), "normalized": Attr.bool()}

    def validate_and_infer_types(self) -> None:
        n_in = len(self._inputs)
        self.check(n_in in (4, 5), "ISTFT takes data, window, frame_size, frame_step and "
                                   "optionally signal_length")
        et = self.get_input_element_type(0)
        self.check(et.is_dynamic() or et.is_real(),
                   f"Expected floating point type of the 'data' input, got {et.get_type_name()}")
        for i, name in ((2, "frame_size"), (3, "frame_step"), (4, "signal_length")):
            if i >= n_in:
                continue
            t = self.get_input_element_type(i)
            self.check(t.is_dynamic() or t.is_integral_number(),
                       f"Expected i32 or i64 type of the '{name}' input, got "
                       f"{t.get_type_name()}")
            ps = self.get_input_partial_shape(i)
            self.check(ps.rank.is_dynamic or len(ps) == 0 or (len(ps) == 1 and
                                                               ps[0]._compatible(1)),
                       f"The shape of {name} must be a scalar, got {ps}")
        data = self.get_input_partial_shape(0)
        self.check(data.rank.is_dynamic or len(data) in (3, 4),
                   f"The shape of data must be 3D [signal_size] or 4D [batch, signal_size], "
                   f"got {data}")
        if data.rank.is_dynamic:
            self.set_output_type(0, et, PartialShape.dynamic())
            return
        self.check(data[len(data) - 1]._compatible(2),
                   f"The last dimension of data must be 2, got {data}")
        batch = [data[0]] if len(data) == 4 else []
        length = Dimension()
        values = [constant_value(self._inputs[i]) for i in range(2, n_in)]
        ints = [None if v is None else int(np.asarray(v).reshape(-1)[0]) for v in values]
        frame, step = ints[0], ints[1]
        if frame is not None:
            self.check(frame > 0, f"Provided frame size is {frame} but must be greater than 0.")
        if step is not None:
            self.check(step > 0, f"Provided frame step is {step} but must be greater than 0.")
        if n_in == 5:
            if ints[2] is not None:
                length = Dimension(ints[2])
        else:
            frames = data[len(data) - 2]
            if frame is not None and step is not None and frames.is_static:
                full = (frames.get_length() - 1) * step + frame
                length = Dimension(full - frame if self._attrs["center"] else full)
        self.set_output_type(0, et, PartialShape(batch + [length]))

    def reference(self, data: np.ndarray, window: np.ndarray, frame_size: np.ndarray,
                  frame_step: np.ndarray, *length: np.ndarray) -> np.ndarray:
        frame = int(np.asarray(frame_size).reshape(-1)[0])
        step = int(np.asarray(frame_step).reshape(-1)[0])
        if frame <= 0 or step <= 0 or window.shape[0] > frame:
            raise RuntimeError(f"ISTFT '{self.get_friendly_name()}': frame_size {frame} and "
                               f"frame_step {step} must be positive and the window "
                               f"({window.shape[0]}) no longer than the frame")
        spec = data.astype(np.float64).reshape((-1,) + data.shape[-3:])  # [B, bins, F, 2]
        frames = spec.shape[2]
        full = (frames - 1) * step + frame
        want = int(np.asarray(length[0]).reshape(-1)[0]) if length else \
            (full - frame if self._attrs["center"] else full)
        pad = (frame - window.shape[0]) // 2
        w = np.zeros(frame)
        w[pad:pad + window.shape[0]] = window.astype(np.float64)
        signals = np.fft.irfft(_to_complex(spec).transpose(0, 2, 1), n=frame, axis=-1)
        acc = np.zeros((spec.shape[0], full))
        wsum = np.zeros(full)
        for f in range(frames):
            acc[:, f * step:f * step + frame] += signals[:, f] * w
            wsum[f * step:f * step + frame] += w * w
        scale = np.sqrt(frame) if self._attrs["normalized"] else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            acc = np.where(wsum != 0, acc * scale / wsum, 0.0)
        margin = frame // 2 if self._attrs["center"] else 0
        out = np.zeros((spec.shape[0], want))
        take = max(min(want, full - margin), 0)
        out[:, :take] = acc[:, margin:margin + take]
        if data.ndim == 3:
            out = out[0]
        return out.astype(data.dtype)


def _args(data: Any, axes: Any, signal_size: Any) -> list[Any]:
    return [data, axes] if signal_size is None else [data, axes, signal_size]


@factory("dft", since=7)
def dft(data: Any, axes: Any, signal_size: Any = None, name: str | None = None) -> DFT:
    """The discrete Fourier transform of complex ``data`` over ``axes``."""
    return DFT(*_args(data, axes, signal_size), name=name)


@factory("idft", since=7)
def idft(data: Any, axes: Any, signal_size: Any = None, name: str | None = None) -> IDFT:
    """The inverse discrete Fourier transform of complex ``data`` over ``axes``."""
    return IDFT(*_args(data, axes, signal_size), name=name)


@factory("rdft", since=9)
def rdft(data: Any, axes: Any, signal_size: Any = None, name: str | None = None) -> RDFT:
    """The discrete Fourier transform of real ``data`` over ``axes``."""
    return RDFT(*_args(data, axes, signal_size), name=name)


@factory("irdft", since=9)
def irdft(data: Any, axes: Any, signal_size: Any = None, name: str | None = None) -> IRDFT:
    """The inverse of RDFT: real data from its non-redundant spectrum."""
    return IRDFT(*_args(data, axes, signal_size), name=name)


@factory("stft", since=15)
def stft(data: Any, window: Any, frame_size: Any, frame_step: Any, transpose_frames: bool,
         name: str | None = None) -> STFT:
    """The short-time Fourier transform of ``data`` (1-D or ``[batch, length]``)."""
    return STFT(data, window, frame_size, frame_step, transpose_frames=transpose_frames,
                name=name)


@factory("istft", since=16)
def istft(data: Any, window: Any, frame_size: Any, frame_step: Any, center: bool,
          normalized: bool, signal_length: Any = None, name: str | None = None) -> ISTFT:
    """The inverse short-time Fourier transform of ``data``."""
    inputs = [data, window, frame_size, frame_step] + ([] if signal_length is None
                                                       else [signal_length])
    return ISTFT(*inputs, center=center, normalized=normalized, name=name)
