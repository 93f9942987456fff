"""Weight packing in C (``kernels/pack.c``): constant matrices into the panel layout of
the GEMM and convolution micro-kernels, in one pass over the weights (a per-row scale,
e.g. a folded BatchNorm's, applied on the way) on every core.

``pack_panels(src, mr)`` is what ``lower_compute.pack_a`` / ``pack_b`` compute with
numpy (they stay as the reference the tests compare with), for G matrices at once.
"""

from __future__ import annotations

import threading

import numpy as np

from .._native import Pool, ffi, lib
from ..config import cpu_count
from .steps import OWN_PAGES_BYTES, zeroed_buffer

__all__ = ["pack_panels", "aligned_empty", "winograd_filters"]

_lock = threading.Lock()
_pool: Pool | None = None


def aligned_empty(shape: tuple[int, ...], dtype: np.dtype = np.float32,
                  alignment: int = 64) -> np.ndarray:
    """An uninitialised C-order array whose data is aligned to ``alignment`` bytes (a large
    one in pages of its own, ``steps.zeroed_buffer``: packed weights never sit in the
    heap's free lists once their compiled model is gone)."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if nbytes >= OWN_PAGES_BYTES:
        return zeroed_buffer(nbytes, alignment).view(dtype).reshape(shape)
    raw = np.empty(max(nbytes, 1) + alignment, dtype=np.uint8)
    start = (-raw.ctypes.data) % alignment
    return raw[start:start + nbytes].view(dtype).reshape(shape)


def _packing_pool() -> Pool:
    """The threads packing runs on (one pool for every compile; callers hold ``_lock``)."""
    global _pool
    if _pool is None:
        _pool = Pool(cpu_count())
    return _pool


def pack_panels(src: np.ndarray, mr: int, scale: np.ndarray | None = None) -> np.ndarray:
    """``src`` [G, M, K] (any strides) -> [G, ceil(M / mr), K, mr] f32, 64-byte aligned:
    ``out[g, p, k, r] = src[g, p * mr + r, k] * scale[g, p * mr + r]`` (no scale: 1), rows
    past M zero."""
    src = np.asarray(src, dtype=np.float32)
    if src.ndim != 3:
        raise ValueError(f"pack_panels takes [G, M, K] matrices, got shape {src.shape}")
    G, M, K = (int(d) for d in src.shape)
    mr = int(mr)
    if not 1 <= mr <= 256:
        raise ValueError(f"cannot pack in panels of {mr} rows (1 to 256)")
    out = aligned_empty((G, -(-M // mr), K, mr))
    if out.size == 0:
        return out
    if any(s < 0 or s % 4 for s in src.strides) or src.ctypes.data % 4:
        # the C side walks non-negative float strides from an aligned start; a fresh copy
        # (not ascontiguousarray, which keeps a contiguous array at an odd address as it is)
        src = src.copy(order="C")
    ld_g, ld_m, ld_k = (s // 4 for s in src.strides)
    sc = ffi.NULL
    if scale is not None:
        scale = np.ascontiguousarray(np.broadcast_to(np.asarray(scale, np.float32), (G, M)))
        sc = ffi.cast("float *", scale.ctypes.data)
    with _lock:
        rc = lib.ov_pack_panels(ffi.cast("float *", src.ctypes.data), sc,
                                ffi.cast("float *", out.ctypes.data), G, M, K, ld_g, ld_m,
                                ld_k, mr, _packing_pool().handle)
    if rc != 0:
        raise ValueError(f"cannot pack a {src.shape} matrix in panels of {mr} rows")
    return out


def winograd_filters(w: np.ndarray, mr: int, scale: np.ndarray | None = None,
                     tile: int = 4) -> np.ndarray:
    """3x3 filters ``w`` [M, C, 3, 3] (times ``scale`` [M] per output channel) as the
    Winograd F(tile x tile, 3x3) operand of ``kernels/winograd.c`` (tile 4 or 2): U[xi] =
    (G g G^T)[xi] for the P = (tile + 2)^2 positions xi, each an M x C matrix packed in
    panels of ``mr`` rows: [P, ceil(M / mr), C, mr] f32 (computed in f64, in C on every
    core: ``ov_pack_winograd``)."""
    if tile not in (2, 4):
        raise ValueError(f"Winograd output tiles are 2 or 4 wide, not {tile}")
    w = np.asarray(w)
    if w.ndim != 4 or w.shape[2:] != (3, 3):
        raise ValueError(f"Winograd F(4x4, 3x3) takes [M, C, 3, 3] filters, got {w.shape}")
    M, C = (int(d) for d in w.shape[:2])
    mr = int(mr)
    if not 1 <= mr <= 256:
        raise ValueError(f"cannot pack in panels of {mr} rows (1 to 256)")
    out = aligned_empty(((tile + 2) ** 2, -(-M // mr), C, mr))
    if out.size == 0:
        return out
    # a fresh aligned copy unless already contiguous f32 at an aligned address
    src = np.asarray(w, np.float32)
    if not src.flags.c_contiguous or src.ctypes.data % 4:
        src = src.copy(order="C")
    sc = ffi.NULL
    if scale is not None:
        scale = np.ascontiguousarray(np.broadcast_to(np.asarray(scale, np.float32).reshape(-1),
                                                     (M,)))
        sc = ffi.cast("float *", scale.ctypes.data)
    with _lock:
        rc = lib.ov_pack_winograd(ffi.cast("float *", src.ctypes.data), sc,
                                  ffi.cast("float *", out.ctypes.data), M, C, tile, mr,
                                  _packing_pool().handle)
    if rc != 0:
        raise ValueError(f"cannot pack {w.shape} filters for Winograd F({tile}x{tile}, 3x3)")
    return out
