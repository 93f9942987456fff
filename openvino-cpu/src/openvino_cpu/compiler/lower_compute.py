"""Lowering of the compute-heavy ops: convolutions (implicit GEMM or depthwise), MatMul
(dense, pre-packed or compressed weights), pooling and scaled dot-product attention.

Constant operands are packed here, once, in the panel layouts of ``kernels/gemm.c``.
"""

from __future__ import annotations

import os

import numpy as np

from openvino import Type
from openvino.plugin.passes import CompressedWeights, Op, Value, operand_layout

from .._native import lib
from .attention import AttentionChain, StridedView
from .lowering import Lowering, handler
from .packing import pack_panels, winograd_filters
from .panels import panel_bytes
from .steps import aligned, as_f32_array, contiguous_strides, strided_range
from .support import (
    conv_supported,
    conv_window,
    is_f32,
    matmul_supported,
    pool_supported,
    pool_window,
)

__all__ = ["pack_a", "pack_b", "pack_quant", "pack_dq", "dq_group"]

_SRC_DENSE, _SRC_PACKED, _SRC_QUANT = 0, 1, 3

#: compressed weight element type -> kernel code (OV_Q_* in kernels/ov_internal.h)
QTYPE_CODES = {"u8": 1, "i8": 2, "u4": 3, "i4": 4, "f16": 5}


def pack_a(w: np.ndarray, mr: int) -> np.ndarray:
    """[M, K] -> panels [ceil(M/mr)][K][mr] (rows past M zero)."""
    M, K = w.shape
    mpad = (M + mr - 1) // mr * mr
    buf = np.zeros((mpad, K), np.float32)
    buf[:M] = w
    return np.ascontiguousarray(buf.reshape(mpad // mr, mr, K).transpose(0, 2, 1))


def pack_b(w: np.ndarray, nr: int) -> np.ndarray:
    """[K, N] -> panels [ceil(N/nr)][K][nr] (columns past N zero)."""
    K, N = w.shape
    npad = (N + nr - 1) // nr * nr
    buf = np.zeros((K, npad), np.float32)
    buf[:, :N] = w
    return np.ascontiguousarray(buf.reshape(K, npad // nr, nr).transpose(1, 0, 2))


def pack_quant(qw: CompressedWeights, nr: int
               ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Codes in panel order (see ``kernels/gemm.c``), and scale / zero*scale [G][Npad]."""
    N, K = qw.N, qw.K
    npad = (N + nr - 1) // nr * nr
    if qw.element_type == "f16":
        codes = np.zeros((npad, K), np.float16)
        codes[:N] = qw.codes
        panels = codes.reshape(npad // nr, nr, K).transpose(0, 2, 1)
        return aligned(np.ascontiguousarray(panels).view(np.uint8)), None, None
    dt = np.int8 if qw.element_type in ("i8", "i4") else np.uint8
    codes = np.zeros((npad, K), np.int16)
    codes[:N] = qw.codes.astype(np.int16)
    panels = codes.reshape(npad // nr, nr, K).transpose(0, 2, 1)  # [P][K][nr]
    if qw.element_type in ("u4", "i4"):
        nib = (panels.astype(np.int16) & 0xF).astype(np.uint8)
        packed = nib[..., 0::2] | (nib[..., 1::2] << 4)
        data = aligned(np.ascontiguousarray(packed))
    else:
        data = aligned(np.ascontiguousarray(panels.astype(dt)).view(np.uint8))
    scale = zs = None
    if qw.scale is not None:
        G = qw.scale.shape[0]
        scale = np.zeros((G, npad), np.float32)
        scale[:, :N] = qw.scale
        scale = aligned(scale)
        if qw.zero_point is not None:
            zs = np.zeros((G, npad), np.float32)
            zs[:, :N] = qw.zero_point * qw.scale
            zs = aligned(zs)
    return data, scale, zs


#: largest activation group (the i32 sums of a group of u8 x s8 products stay exact)
_DQ_MAX_GROUP = 65536


def dq_group(qw: CompressedWeights, requested: int) -> int:
    """The activation group size along K for dynamic quantisation of this matmul's input,
    or 0 when it runs the exact f32 path. As OpenVINO's CPU plugin: integer codes only (not
    f16), the group a multiple of 16 and at most K, and with grouped weights a divisor of
    their group size (so a group never straddles two weight scales)."""
    g = int(requested)
    if g <= 0 or qw.element_type == "f16" or qw.K == 0 or qw.N == 0:
        return 0
    if g % 16 or g > qw.K or g > _DQ_MAX_GROUP:
        return 0
    if qw.scale is not None and qw.scale.shape[0] > 1 and qw.group_size % g:
        return 0
    return g


def pack_dq(qw: CompressedWeights, nr: int, g: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int]:
    """Codes for ``kernels/gemm_int8.c``: unsigned (i8 / i4 shifted by 128 / 8), K padded to
    Kp (a multiple of ``g``) with zeros, per panel of ``nr`` columns [Kp/4][nr][4] bytes
    (8-bit) or [Kp/8][nr][4] with k+4..k+7 in the high nibbles (4-bit); scale [G][Npad]
    (ones without one) and zero point times scale with the shift folded in (None when
    both are zero); and Kp."""
    N, K = qw.N, qw.K
    npad = (N + nr - 1) // nr * nr
    kp = (K + g - 1) // g * g
    off = {"u8": 0, "i8": 128, "u4": 0, "i4": 8}[qw.element_type]
    u = np.zeros((npad, kp), np.uint8)
    u[:N, :K] = (qw.codes.astype(np.int16) + off).astype(np.uint8)
    P = npad // nr
    if qw.element_type in ("u4", "i4"):
        t = u.reshape(P, nr, kp // 8, 2, 4)
        packed = t[:, :, :, 0, :] | (t[:, :, :, 1, :] << 4)
        data = packed.transpose(0, 2, 1, 3)
    else:
        data = u.reshape(P, nr, kp // 4, 4).transpose(0, 2, 1, 3)
    data = aligned(np.ascontiguousarray(data).reshape(-1))
    G = qw.scale.shape[0] if qw.scale is not None else 1
    s = qw.scale if qw.scale is not None else np.ones((1, N), np.float32)
    scale = np.zeros((G, npad), np.float32)
    scale[:, :N] = s
    zs = None
    if qw.zero_point is not None or off:
        z = (qw.zero_point if qw.zero_point is not None else 0.0) + off
        zs = np.zeros((G, npad), np.float32)
        zs[:, :N] = z * s
        zs = aligned(zs)
    return data, aligned(scale), zs, kp


# --- convolution ----------------------------------------------------------------------------

class _Filters:
    """A convolution's filters as [G, Mg, Cg, kh, kw] f32 (a 1-D one's with kh = 1), times
    ``weight_scale`` per output channel: computed only when a plan packs them anew."""

    def __init__(self, const: np.ndarray, shape: tuple[int, ...], scale: np.ndarray | None,
                 one_d: bool) -> None:
        self.const, self.shape, self.scale, self.one_d = const, shape, scale, one_d

    def array(self) -> np.ndarray:
        w = np.asarray(self.const, np.float32).reshape(self.shape)
        G, Mg = self.shape[:2]
        if self.scale is not None:
            w = w * np.asarray(self.scale, np.float32).reshape((G, Mg) + (1,) * (w.ndim - 2))
        if self.one_d:
            w = w[:, :, :, np.newaxis, :]
        return w


#: pointwise convolutions with at most this many output positions (and a packed input of at
#: most _PWT_MAX_BYTES) run with vectors along output channels (kernels/conv_pointwise.c)
#: when enough output channels share the input's packing (96), or the positions are so few
#: (<= 64) that tiles of 32 positions would leave many lanes idle
_PWT_MAX_POSITIONS = 200
_PWT_MAX_BYTES = 1 << 20


@handler("Convolution", "GroupConvolution")
def lower_conv(lw: Lowering, op: Op) -> bool:
    if not conv_supported(op):
        return False
    x, wv = op.inputs
    y = op.outputs[0]
    win = conv_window(op)
    wshape = ((1,) if op.type == "Convolution" else ()) + tuple(wv.shape)
    G, Mg, Cg = wshape[:3]
    wscale = op.weight_scale
    scale_key = None if wscale is None else np.asarray(wscale, np.float32).tobytes()
    w = _Filters(wv.const, wshape, wscale, len(x.shape) == 3)
    if len(x.shape) == 3:  # 1-D: a 2-D convolution of height 1
        xs = (x.shape[0], x.shape[1], 1, x.shape[2])
        ys = (y.shape[0], y.shape[1], 1, y.shape[2])
        kh, kw = 1, win.kernel[0]
        sh, sw, dh, dw = 1, win.strides[0], 1, win.dilations[0]
        ph, pw = 0, win.pads_begin[0]
    else:
        xs, ys = x.shape, y.shape
        kh, kw = win.kernel
        sh, sw = win.strides
        dh, dw = win.dilations
        ph, pw = win.pads_begin
    N, C, H, W = xs
    _, M, OH, OW = ys
    posts = list(op.post_ops)
    if Cg == 1 and Mg == 1 and G == C:
        s = lw.step(lib.OV_K_DWCONV, op, "jit_dw_conv_f32")
        lw.operand(s, x)
        filters = lw.derived("dwconv_filters", (wv.const,), (wshape, scale_key),
                             lambda: as_f32_array(w.array().reshape(C, kh, kw)))
        s.add(filters, 0, 0, C * kh * kw * 4)
        lw.operand(s, y, write=True)
        s.p = [N, C, H, W, OH, OW, kh, kw, sh, sw, dh, dw, ph, pw]
        s.bind_posts(posts, y.shape, (1, 1))
        return True
    K = Cg * kh * kw
    # pointwise: 1x1 filters, no padding, any stride (kernels/conv_pointwise.c gathers a
    # strided convolution's positions while it packs)
    pointwise = kh == 1 and kw == 1 and ph == 0 and pw == 0 \
        and OH == (H - 1) // sh + 1 and OW == (W - 1) // sw + 1
    # direct: rows of B read in place from a flattened padded copy of each image (see
    # kernels/conv.c); else implicit im2col packing (stride 2: from even / odd column
    # planes of a copy of the image)
    if sw == 1:
        rows_per_plane, row_len = OH + (kh - 1) * dh, OW + (kw - 1) * dw
        slack = (kw - 1) * dw + lw.nr
    else:
        rows_per_plane, row_len = OH + ((kh - 1) * dh >> 1), OW + ((kw - 1) * dw >> 1)
        slack = ((kw - 1) * dw >> 1) + lw.nr
    flat = OH * row_len
    npad = -(-flat // lw.nr) * lw.nr
    plane = rows_per_plane * row_len + slack
    direct = (not pointwise and sh == sw and sw in (1, 2)
              and (flat - OH * OW) * 3 <= OH * OW)
    split = not pointwise and sw == 2 and not direct
    wino = _winograd(G, C, M, OH, OW, kh, kw, sh, sw, dh, dw)
    if wino:
        return _lower_winograd(lw, op, w, wv, wshape, scale_key, posts,
                               (N, C, H, W, M, OH, OW, ph, pw), wino)
    # (the kernel keeps a table of the K taps' offsets in its scratch)
    cv_mr = 0 if pointwise or (K + 16) * 4 + 8192 > int(lib.ov_scratch_bytes()) \
        else _direct_cv(Mg, kh, kw, sh, sw, Cg)
    if cv_mr:
        return _lower_direct_cv(lw, op, wv, wshape, wscale, scale_key, posts,
                                (N, C, H, W, M, OH, OW, kh, kw, sh, sw, dh, dw, ph, pw, G),
                                cv_mr)
    kind = "jit_direct_conv_f32" if direct else (
        "jit_1x1_conv_f32" if pointwise else "jit_gemm_conv_f32")
    # direct and pointwise convolutions run the convolution micro-kernels (panels of
    # ov_conv_mr() output channels, kernels/conv_ukr.c); the rest the GEMM's
    mr = int(lib.ov_conv_mr()) if direct or pointwise else lw.mr
    # pointwise over few positions: vectors along output channels (mode 4, panels of
    # ov_conv_pwt_mr() channels) where the instruction set runs it, its packed input fits
    pwt_mr = int(lib.ov_conv_pwt_mr())
    pointwise_t = (pointwise and pwt_mr > 0 and OH * OW <= _PWT_MAX_POSITIONS
                   and (Mg >= 96 or OH * OW <= 64)
                   and Cg * -(-(OH * OW) // 8) * 8 * 4 <= _PWT_MAX_BYTES)
    if pointwise_t:
        mr = pwt_mr
    arr = lw.derived("conv_filters", (wv.const,), (wshape, scale_key, mr),
                     lambda: pack_panels(np.asarray(wv.const).reshape(G, Mg, K), mr,
                                         None if wscale is None else
                                         np.asarray(wscale, np.float32).reshape(G, Mg)))
    if pointwise:
        npad = -(-(OH * OW) // lw.nr) * lw.nr
    s = lw.step(lib.OV_K_CONV, op, kind)
    lw.operand(s, x)
    s.add(arr, 0, 0, arr.nbytes)
    lw.operand(s, y, write=True)
    dummy = np.zeros(1, np.float32)
    if direct:
        planes = C * plane * (1 if sw == 1 else 4)
        lw.operand(s, lw.graph.new_value(Type.f32, (planes,)), write=True)
        lw.operand(s, lw.graph.new_value(Type.f32, (M * npad,)), write=True)
    elif split:
        lw.operand(s, lw.graph.new_value(Type.f32, (C * H * W,)), write=True)
        s.add(dummy, 0, 0, 0)
    else:
        s.add(dummy, 0, 0, 0)
        s.add(dummy, 0, 0, 0)
    # position panels (compiler/panels.py): p[24] bit 1 the input, 2 the output, 4 the
    # residual; p[25] the panel width they were laid out with
    panels = 0
    if pointwise:
        panels = (1 if x.id in lw.panels else 0) | (2 if y.id in lw.panels else 0)
    s.p = [N, C, H, W, M, OH, OW, kh, kw, sh, sw, dh, dw, ph, pw, G, mr,
           1 if pointwise else 0, 1 if split else 0,
           4 if pointwise_t else 2 if pointwise else 1 if direct else 0,
           rows_per_plane, row_len, npad, plane, panels, lw.nr]
    s.bind_posts(posts, y.shape, (1, 1))
    if pointwise:
        for post in s.posts:
            res = s.operands[post.buf].ref if post.buf >= 0 else None
            if isinstance(res, Value) and res.id in lw.panels:
                # the residual in panels: the kernel finds a tile's rows itself
                s.p[24] |= 4
                post.ld_m, post.ld_n = lw.nr, 1
                post.bstride = panel_bytes(y.shape, lw.nr) // (4 * N)
                s.operands[post.buf].hi = panel_bytes(y.shape, lw.nr)
    return True


# mode 8's runs: the transformed input of one run within about half of a core's L2, and
# no longer than this many columns (each run re-reads the transformed filters once)
_WINO_RUN_BYTES = 1 << 20
_WINO_RUN_MAX = 256


def _winograd(G: int, C: int, M: int, OH: int, OW: int, kh: int, kw: int, sh: int, sw: int,
              dh: int, dw: int) -> int:
    """The output tile size (4 or 2) when a convolution runs as Winograd F(4x4, 3x3) or
    F(2x2, 3x3) (``kernels/winograd.c``), else 0: 3x3, stride 1, no dilation, one group, and
    (measured with bench/bench_conv_layers.py) enough tiles to fill the micro-kernel's 32
    columns and enough channels for the products to outweigh the transforms.
    ``OV_CPU_WINOGRAD``: 0 never, 4 (or 1) / 2 that tile size wherever the geometry allows
    (tests), unset: that rule."""
    if (G, kh, kw, sh, sw, dh, dw) != (1, 3, 3, 1, 1, 1, 1):
        return 0

    def fits(r: int) -> bool:
        th, tw = -(-OH // r), -(-OW // r)
        n = th * (tw + 1)  # tiles and one column per tile row (see kernels/winograd.c)
        scratch = max(r * (tw + 1) + 16 + r * r * ((th + 1) * (tw + 1) + 16) +
                      (r + 2) ** 2 * n + 16, (r * (r + 2) + r * r) * n + 32) + 64
        return scratch * 4 <= int(lib.ov_scratch_bytes())

    mode = os.environ.get("OV_CPU_WINOGRAD", "")
    if mode in ("0", "1", "2", "4"):
        r = {"0": 0, "1": 4, "2": 2, "4": 4}[mode]
        return r if r and fits(r) else 0
    th, tw = -(-OH // 4), -(-OW // 4)
    # F(4x4): 7 x 7 tiles (27 x 27, 28 x 28 outputs) and up won 0.5 - 0.8x of the direct
    # kernel's time, unless 16 input channels or fewer. Smaller planes have too few 4x4
    # tiles (and 36 transformed filters: 4x the direct kernel's weight traffic); F(2x2) won
    # 0.5 - 0.8x on the 13 x 13 and 14 x 14 layers of 64+ input and output channels (one
    # thread; two: 0.8 - 0.9x, 1.1x at 96 -> 208) and lost on 7 x 7 and 6 x 6 ones
    # With the stages fused per run of tiles (mode 8; single-layer, 2 threads, against the
    # direct kernel): F(4x4) also won 16 -> 64 at 55 x 55 (0.75x), F(2x2) 48 -> 192 at
    # 13 x 13 (0.75x) and 128 -> 32 at 14 x 14 (0.7x); 7 x 7 planes stay direct (2x and more
    # slower as Winograd: the transformed filters outweigh the few tiles). Against the
    # channel-vector direct mode 5, F(2x2) lost 5 - 15% on squeezenet's 13 x 13 layers
    # (48 -> 192, 64 -> 256), where cropped tiles and the column per tile row that is no
    # tile make 1.33x the outputs, and won 10 - 30% on 14 x 14 (1.14x): at most 1.2x
    if th * tw >= 40:
        return 4 if C >= 16 and M >= 16 and fits(4) else 0
    th2, tw2 = -(-OH // 2), -(-OW // 2)
    if OH >= 12 and OW >= 12 and C >= 48 and M >= 32 \
            and 4 * th2 * (tw2 + 1) <= 1.2 * OH * OW:
        return 2 if fits(2) else 0
    return 0


def _winograd_run(C: int, th: int, tw: int, r: int) -> int:
    """The longest run of tile columns (``kernels/winograd.c``, mode 8) whose transformed
    input (P x C x run floats) stays within ``_WINO_RUN_BYTES`` of L2 and, with the products'
    and transforms' rows, within a thread's scratch (``wino8_geometry`` there); 0 when not
    even one micro-kernel tile's worth fits (then the plane-wide mode 3).
    ``OV_CPU_WINOGRAD_FUSED=0`` keeps mode 3 everywhere; ``OV_CPU_WINOGRAD_RUN=n`` caps the
    runs at n columns (tests: runs that start and end inside tile rows)."""
    if os.environ.get("OV_CPU_WINOGRAD_FUSED", "") == "0":
        return 0
    cap = int(os.environ.get("OV_CPU_WINOGRAD_RUN", "0") or 0)
    wq, npos, nr = tw + 1, (r + 2) ** 2, int(lib.ov_gemm_nr())
    limit = int(lib.ov_scratch_bytes())

    def floats(nb: int) -> tuple[int, int]:
        ldb = -(-nb // 16) * 16
        nty = (nb + wq - 2) // wq + 1
        qs = (nty + 1) * wq + 16
        work = max(-(-(r * wq + 16) // 16) * 16 + -(-(r * r * qs) // 16) * 16 + npos * ldb,
                   (r * (r + 2) + r * r) * ldb + 16)
        vb = npos * C * ldb
        return vb, vb + npos * int(lib.ov_conv_mr()) * ldb + work + 64

    best = 0
    for nb in range(nr, min(th * wq, _WINO_RUN_MAX) + nr, nr):
        vb, total = floats(nb)
        if total * 4 > limit or (vb * 4 > _WINO_RUN_BYTES and best):
            break
        best = nb
    return min(best, cap) if cap > 0 and best else best


#: columns per tile of the channel-vector direct mode for panels of 16, 32, 48, 64 channels
#: (kernels/conv_direct_cv.c: at most 28 accumulators)
_CV_NP = {16: 14, 32: 14, 48: 9, 64: 7}


def _direct_cv(Mg: int, kh: int, kw: int, sh: int, sw: int, Cg: int) -> int:
    """The panel height (16, 32, 48 or 64 output channels) when a spatial convolution runs
    in the channel-vector direct mode (OV_K_CONV mode 5, ``kernels/conv_direct_cv.c``),
    else 0. ``OV_CPU_DIRECT_CV``: 0 never, 1 wherever the geometry allows (tests), unset:
    strides 1 and 2 with 16 output channels a group or more (measured with single layers
    against mode 1 and the implicit GEMM, one thread: 5 - 45% faster on every plane size,
    7 x 7 to 112 x 112). ``OV_CPU_DIRECT_CV_MR`` forces the panel height (16, 32, 48,
    64; benchmarks). Panels of 32 channels (two vectors x 14 columns, or x 2 rows of 7)
    measured as fast as or faster than 64 (4 x 7 leaves no register for the broadcast).
    With few taps (``Cg * kh * kw <= 32``: an RGB stem's 3 x 3) a tile's epilogue (the
    transpose into channel rows and their stores) costs about as much as its taps, and
    panels of 16 channels measured faster: squeezenet's stem -7% as one layer, -22% inside
    the model with THROUGHPUT (AMD EPYC Zen 4, one thread); a 7 x 7 stem (147 taps) gains
    nothing from them."""
    mode = os.environ.get("OV_CPU_DIRECT_CV", "")
    if mode == "0" or kh * kw == 1:
        return 0
    if mode != "1" and (sw > 2 or sh > 2 or Mg < 16):
        return 0
    forced = os.environ.get("OV_CPU_DIRECT_CV_MR", "")
    if forced in ("16", "32", "48", "64"):
        return int(forced)
    if Mg <= 16 or Cg * kh * kw <= 32:
        return 16
    return 48 if 32 < Mg <= 48 else 32


def _lower_direct_cv(lw: Lowering, op: Op, wv: Value, wshape: tuple[int, ...],
                     wscale: np.ndarray | None, scale_key: bytes | None, posts: list,
                     dims: tuple[int, ...], mr: int) -> bool:
    N, C, H, W, M, OH, OW, kh, kw, sh, sw, dh, dw, ph, pw, G = dims
    Mg, K = M // G, (C // G) * kh * kw
    hp, wp = (OH - 1) * sh + (kh - 1) * dh + 1, (OW - 1) * sw + (kw - 1) * dw + 1
    npmax = _CV_NP[mr]
    np_ = -(-OW // -(-OW // npmax))
    arr = lw.derived("conv_filters", (wv.const,), (wshape, scale_key, mr),
                     lambda: pack_panels(np.asarray(wv.const).reshape(G, Mg, K), mr,
                                         None if wscale is None else
                                         np.asarray(wscale, np.float32).reshape(G, Mg)))
    s = lw.step(lib.OV_K_CONV, op, "jit_direct_conv_f32")
    lw.operand(s, op.inputs[0])
    s.add(arr, 0, 0, arr.nbytes)
    lw.operand(s, op.outputs[0], write=True)
    lw.operand(s, lw.graph.new_value(Type.f32, (max(C * hp * wp, 1),)), write=True)
    s.add(np.zeros(1, np.float32), 0, 0, 0)
    s.p = [N, C, H, W, M, OH, OW, kh, kw, sh, sw, dh, dw, ph, pw, G, mr, 0, 0, 5,
           hp, wp, np_, hp * wp]
    s.bind_posts(posts, op.outputs[0].shape, (1, 1))
    return True


def _lower_winograd(lw: Lowering, op: Op, w: _Filters, wv: Value, wshape: tuple[int, ...],
                    scale_key: bytes | None, posts: list, dims: tuple[int, ...],
                    r: int) -> bool:
    N, C, H, W, M, OH, OW, ph, pw = dims
    mr = int(lib.ov_conv_mr())
    th, tw = -(-OH // r), -(-OW // r)
    ldt = -(-(th * (tw + 1)) // 16) * 16
    npos = (r + 2) ** 2
    run = _winograd_run(C, th, tw, r)
    arr = lw.derived("winograd_filters", (wv.const,), (wshape, scale_key, mr, r),
                     lambda: winograd_filters(w.array().reshape(M, C, 3, 3), mr, tile=r))
    s = lw.step(lib.OV_K_CONV, op, "jit_winograd_conv_f32")
    lw.operand(s, op.inputs[0])
    s.add(arr, 0, 0, arr.nbytes)
    lw.operand(s, op.outputs[0], write=True)
    if run:  # mode 8: the stages fused per run of tiles in each thread's scratch
        dummy = np.zeros(1, np.float32)
        s.add(dummy, 0, 0, 0)
        s.add(dummy, 0, 0, 0)
    else:
        lw.operand(s, lw.graph.new_value(Type.f32, (max(npos * C * ldt, 1),)), write=True)
        lw.operand(s, lw.graph.new_value(Type.f32, (max(npos * M * ldt, 1),)), write=True)
    s.p = [N, C, H, W, M, OH, OW, 3, 3, 1, 1, 1, 1, ph, pw, 1, mr, 0, 0, 8 if run else 3,
           th, tw, run or ldt, r]
    s.bind_posts(posts, op.outputs[0].shape, (1, 1))
    return True


# --- matmul ------------------------------------------------------------------------------------

def _view_batch_strides(shape: tuple[int, ...], strides: tuple[int, ...],
                        batch: tuple[int, ...]) -> list[int]:
    """Strides (elements) of the batch dims of a [*b, r, c] operand with the given strides
    of every dim, read into ``batch`` (a dim of 1 broadcasts: stride 0)."""
    pad = len(batch) - (len(shape) - 2)
    b = (1,) * pad + tuple(shape[:-2])
    st = (0,) * pad + tuple(strides[:-2])
    return [0 if n == 1 else int(x) for n, x in zip(b, st)]


def _batch_strides(shape: tuple[int, ...], batch: tuple[int, ...], per: int) -> list[int]:
    """Strides (elements) of the batch dims of a [*b, r, c] operand read into ``batch``."""
    b = tuple(shape)
    b = (1,) * (len(batch) - len(b)) + b
    out = []
    acc = per
    strides = [0] * len(b)
    for d in range(len(b) - 1, -1, -1):
        strides[d] = acc
        acc *= b[d]
    for d in range(len(batch)):
        out.append(0 if b[d] == 1 and batch[d] != 1 else strides[d])
    return out


@handler("MatMul")
def lower_matmul(lw: Lowering, op: Op) -> bool:
    chain = lw.attention.get(id(op))
    if chain is not None:
        return lower_attention_chain(lw, op, chain)
    if not matmul_supported(op):
        return False
    qw: CompressedWeights | None = op.compressed_weights
    a = op.inputs[0]
    bv = None if qw is not None else op.inputs[1]
    y = op.outputs[0]
    ta, tb = bool(op.attr("transpose_a")), bool(op.attr("transpose_b"))
    ashape = a.shape
    if len(ashape) == 1:
        ashape, ta = (1, ashape[0]), False
    if qw is not None:
        bshape, tb = (qw.K, qw.N), False
    else:
        bshape = bv.shape
        if len(bshape) == 1:
            bshape, tb = (bshape[0], 1), False
    M = ashape[-1] if ta else ashape[-2]
    K = ashape[-2] if ta else ashape[-1]
    N = bshape[-2] if tb else bshape[-1]
    if (bshape[-1] if tb else bshape[-2]) != K:
        return False
    abatch, bbatch = ashape[:-2], bshape[:-2]
    rank_b = max(len(abatch), len(bbatch))
    abatch = (1,) * (rank_b - len(abatch)) + tuple(abatch)
    bbatch = (1,) * (rank_b - len(bbatch)) + tuple(bbatch)
    batch = tuple(max(p, q) for p, q in zip(abatch, bbatch))
    if int(np.prod(batch, dtype=np.int64)) * M * N != y.size:
        return False
    posts = list(op.post_ops)
    out_rank = len(y.shape)
    groups = (out_rank - 2, 1) if out_rank >= 2 else (0, 0)
    # a 2-D weight shared by all batches: fold A's batch into M (one bigger GEMM)
    b_shared = all(d == 1 for d in bbatch)
    fold = b_shared and not ta and len(batch) > 0 and out_rank >= 2
    if fold:
        flat_groups = (0, out_rank - 1)
        if any(p.operand is not None and operand_layout(p.operand.shape, y.shape, flat_groups)
               is None for p in posts):
            fold = False
    if fold:
        M = M * int(np.prod(batch, dtype=np.int64))
        batch, abatch, bbatch = (), (), ()
        groups = (0, out_rank - 1)
    if len(batch) > 4:
        return False
    s = lw.step(lib.OV_K_GEMM, op, "jit_gemm_f32")
    # A
    a_rs, a_cs = (1, ashape[-1]) if ta else (ashape[-1], 1)
    lw.need(a)
    a_bs = _batch_strides(abatch, batch, ashape[-2] * ashape[-1]) if batch else []
    a_last = (M - 1) * a_rs + (K - 1) * a_cs + 1 + sum((bd - 1) * st for bd, st in
                                                       zip(batch, a_bs))
    s.add(a, 0, 0, a_last * 4)
    # B
    qtype = group = npad = has_s = has_z = 0
    nb = int(np.prod(bbatch, dtype=np.int64)) if bbatch else 1
    dq = kp = 0
    if qw is not None:
        dq = dq_group(qw, lw.dq_group) if lw.dq_isa else 0
        if dq:
            data, scale, zs, kp = lw.derived(
                "pack_dq", (qw.codes, qw.scale, qw.zero_point),
                (qw.element_type, qw.group_size, lw.nr, dq), lambda: pack_dq(qw, lw.nr, dq))
        else:
            data, scale, zs = lw.derived(
                "pack_quant", (qw.codes, qw.scale, qw.zero_point),
                (qw.element_type, qw.group_size, lw.nr), lambda: pack_quant(qw, lw.nr))
        s.add(data, 0, 0, data.nbytes)
        b_src, b_rs, b_cs = _SRC_QUANT, 0, 0
        b_bs = [0] * len(batch)
        qtype, group = QTYPE_CODES[qw.element_type], qw.group_size
        npad = (N + lw.nr - 1) // lw.nr * lw.nr
        has_s, has_z = int(scale is not None), int(zs is not None)
    elif bv.is_const and is_f32(bv):
        def packed_b() -> np.ndarray:
            mats = np.asarray(bv.const).reshape((nb,) + tuple(bshape[-2:]))
            # panels of nr output columns: the [N, K] rows of each matrix
            return pack_panels(mats if tb else mats.transpose(0, 2, 1), lw.nr)

        arr = lw.derived("pack_b", (bv.const,), (nb, tuple(bshape[-2:]), tb, lw.nr),
                         packed_b)
        s.add(arr, 0, 0, arr.nbytes)
        per = arr[0].size
        b_bs = _batch_strides(bbatch, batch, per) if batch else []
        b_src, b_rs, b_cs = _SRC_PACKED, 0, 0
    else:
        lw.need(bv)
        b_rs, b_cs = (1, bshape[-1]) if tb else (bshape[-1], 1)
        b_bs = _batch_strides(bbatch, batch, bshape[-2] * bshape[-1]) if batch else []
        b_last = (K - 1) * b_rs + (N - 1) * b_cs + 1 + sum((bd - 1) * st for bd, st in
                                                           zip(batch, b_bs))
        s.add(bv, 0, 0, b_last * 4)
        b_src = _SRC_DENSE
    # C
    c_bs = _batch_strides(batch, batch, M * N) if batch else []
    lw.operand(s, y, write=True)
    if qw is not None:
        s.add(scale if scale is not None else np.zeros(1, np.float32), 0, 0,
              scale.nbytes if scale is not None else 0)
        s.add(zs if zs is not None else np.zeros(1, np.float32), 0, 0,
              zs.nbytes if zs is not None else 0)
    else:
        dummy = np.zeros(1, np.float32)
        s.add(dummy, 0, 0, 0)
        s.add(dummy, 0, 0, 0)
    rank = len(batch)
    pad = [0] * (4 - rank)
    s.p = ([M, N, K, _SRC_DENSE, a_rs, a_cs, b_src, b_rs, b_cs, N, rank]
           + list(batch) + [1] * (4 - rank) + a_bs + pad + b_bs + pad + c_bs + pad
           + [qtype, group, npad, lw.nr, lw.mr, has_s, has_z, dq, kp, lw.dq_isa if dq else 0])
    if qw is not None:
        s.exec_type = (f"jit_gemm_{qw.element_type}_dynamic_quant_i8" if dq
                       else f"jit_gemm_{qw.element_type}_decompress_f32")
    s.bind_posts(posts, y.shape, groups)
    return True


# --- pooling -----------------------------------------------------------------------------------

@handler("MaxPool", "AvgPool")
def lower_pool(lw: Lowering, op: Op) -> bool:
    if not pool_supported(op):
        return False
    x, y = op.inputs[0], op.outputs[0]
    win = pool_window(op)
    nsp = len(x.shape) - 2
    fill = 3 - nsp

    def pad3(vals: list[int], default: int) -> list[int]:
        return [default] * fill + list(vals)

    ins = pad3(list(x.shape[2:]), 1)
    outs = pad3(list(y.shape[2:]), 1)
    k = pad3(win.kernel, 1)
    st = pad3(win.strides, 1)
    dl = pad3(win.dilations, 1)
    pb = pad3(win.pads_begin, 0)
    pe = pad3(win.pads_end, 0)
    N, C = x.shape[:2]
    s = lw.step(lib.OV_K_POOL, op, "jit_pool_f32")
    lw.operand(s, x)
    lw.operand(s, y, write=True)
    avg = op.type == "AvgPool"
    # the divisor: the taps inside the input (exclude_pad, or no padding at all), else the
    # whole window, as OpenVINO's reference divides
    inside_only = avg and (bool(op.attr("exclude_pad")) or not any(win.pads_begin + win.pads_end))
    s.p = ([1 if avg else 0, 1 if inside_only else 0, N * C]
           + ins + outs + k + st + dl + pb + pe + [C])
    s.bind_posts(list(op.post_ops), y.shape, (1, 1))
    if len(op.outputs) > 1:
        lw.need(op.outputs[1])
    return True


# --- attention ---------------------------------------------------------------------------------

@handler("ScaledDotProductAttention")
def lower_sdpa(lw: Lowering, op: Op) -> bool:
    q, k, v = op.inputs[:3]
    y = op.outputs[0]
    if not is_f32(q, k, v, y) or min(len(q.shape), len(k.shape), len(v.shape)) < 3:
        return False
    causal = bool(op.attr("causal"))
    mask: Value | None = op.inputs[3] if len(op.inputs) > 3 else None
    scale: Value | None = op.inputs[4] if len(op.inputs) > 4 else None
    L = q.shape[-2]
    batch = tuple(y.shape[:-2])
    if len(batch) > 4 or not batch or y.shape[-2] != L:
        return False
    if mask is not None and not causal and mask.type not in (Type.f32, Type.boolean):
        return False
    if scale is not None and not scale.is_const and scale.type != Type.f32:
        return False
    return _emit_attention(lw, op, q, k, v, y, None if causal else mask, causal, scale, None)


def lower_attention_chain(lw: Lowering, op: Op, chain: AttentionChain) -> bool:
    """``chain`` (MatMul, scale, mask, Softmax, MatMul, see ``attention``) as one fused
    attention step at its second MatMul ``op``."""
    for other in chain.absorbed:
        op.absorb(other.name, other.type)
        for name in other.fused:
            op.absorb(name, other.fused_types.get(name, ""))
    return _emit_attention(lw, op, chain.q, chain.k, chain.v, op.outputs[0], chain.mask,
                           False, None, chain.scale, chain.views)


def _emit_attention(lw: Lowering, op: Op, q: Value, k: Value, v: Value, y: Value,
                    mask: Value | None, causal: bool, scale: Value | None,
                    fixed_scale: float | None, views: dict[int, StridedView] | None = None
                    ) -> bool:
    """The OV_K_SDPA step: softmax(q k^T * scale + mask) v (``kernels/attention.c``).
    ``views``: by ``id()`` of q, k, v or y, the buffer read (written) in its place and the
    strides of each of its dims there (a head split / merge Transpose folded away)."""
    L, E = q.shape[-2:]
    S, Ev = v.shape[-2], v.shape[-1]
    batch = tuple(y.shape[:-2])
    nbatch = int(np.prod(batch, dtype=np.int64))
    views = views or {}
    places = []
    for val in (q, k, v, y):
        buf, strides = views.get(id(val), (val, tuple(contiguous_strides(val.shape))))
        places.append((buf, strides, _view_batch_strides(val.shape, strides, batch)))
    if nbatch == 0 or L == 0:
        lw.need(places[3][0])
        return True
    s = lw.step(lib.OV_K_SDPA, op, "jit_sdpa_f32")
    for (buf, strides, _), val in zip(places, (q, k, v, y)):
        lw.need(buf)
        lo, hi = strided_range(val.shape, [st * 4 for st in strides], 4)
        s.add(buf, 0, lo, hi, write=val is y)
    qs, ks, vs, ys = (bs for _, _, bs in places)
    rows = [st[-2] for _, st, _ in places]
    mkind, ms, mrow, mcol = 0, [0] * len(batch), 0, 0
    if mask is not None:
        mshape = tuple(mask.shape)
        if len(mshape) < 2:
            mshape = (1,) * (2 - len(mshape)) + mshape
        mrows, mcols = mshape[-2:]
        mrow = mcols if mrows != 1 else 0
        mcol = 1 if mcols != 1 else 0
        ms = _batch_strides(mshape[:-2], batch, mrows * mcols)
        mkind = 2 if mask.type == Type.boolean else 1
        lw.need(mask)
        esz = 1 if mkind == 2 else 4
        last = (L - 1) * mrow + (S - 1) * mcol + 1 + sum((bd - 1) * sd for bd, sd in
                                                         zip(batch, ms))
        s.add(mask, 0, 0, last * esz)
    else:
        s.add(np.zeros(1, np.float32), 0, 0, 0)
    scale_from_buf = 0
    fscale = 1.0 / float(np.sqrt(E)) if E else 1.0
    if fixed_scale is not None:
        fscale = fixed_scale
        s.add(np.zeros(1, np.float32), 0, 0, 0)
    elif scale is not None:
        if scale.is_const:
            fscale = float(np.asarray(scale.const).reshape(-1)[0])
            s.add(np.zeros(1, np.float32), 0, 0, 0)
        else:
            lw.need(scale)
            s.add(scale, 0, 0, 4)
            scale_from_buf = 1
    else:
        s.add(np.zeros(1, np.float32), 0, 0, 0)
    rank = len(batch)
    pad = [0] * (4 - rank)
    s.p = ([nbatch, L, S, E, Ev, mkind, 1 if causal else 0, rank] + list(batch)
           + [1] * (4 - rank) + qs + pad + ks + pad + vs + pad + ms + pad
           + [mrow, mcol, scale_from_buf] + rows + ys + pad)
    s.f = [fscale]
    return True
