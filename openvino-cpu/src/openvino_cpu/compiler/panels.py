"""Position panels: the layout that 1x1 convolutions hand each other inside a plan.

A 4-D f32 value ``[N, C, H, W]`` in position panels is stored as ``[N][P][C][NR]`` with
``NR = ov_gemm_nr()`` and ``P = ceil(H * W / NR)``: element ``(n, c, q)`` (``q = h * W +
w``) at ``((n * P + q // NR) * C + c) * NR + q % NR``; the last panel's columns past ``H *
W`` hold nothing. That is the layout the pointwise kernels (``kernels/conv_pointwise.c``)
copy their input into before the micro-kernels read it, and the one their 12 x NR output
tiles fill row after row, so a value that only 1x1 convolutions produce and read needs no
copy on either side: the reads of a tile are one contiguous run instead of one line from
each of K channel planes, the writes and the residual reads one run instead of a line in
each of 12 planes.

Only values whose producer and every reader are such kernels take the layout; everything
else, and every model input and output, stays in the plain layout. A value qualifies when:

* a 2-D ``Convolution`` with a 1x1 filter, no padding, produces it, with post ops that
  the register epilogue applies (per-channel add, one tensor add, then ReLU or a clamp:
  ``ov_make_ep``), since the generic post-op path walks the plain layout;
* every reader is such a convolution with stride 1 reading it as its data input, or such
  a convolution (any stride) adding it as the tensor of its epilogue (a residual).
"""

from __future__ import annotations

from openvino.plugin.passes import Graph, Op, Value

from .support import conv_supported, conv_window

__all__ = ["choose_panels", "panel_bytes"]


def panel_bytes(shape: tuple[int, ...], nr: int) -> int:
    """Bytes of an f32 ``[N, C, H, W]`` value stored in position panels of ``nr``."""
    n, c, h, w = (int(d) for d in shape)
    return n * -(-(h * w) // nr) * nr * c * 4


def _pointwise(op: Op) -> tuple[int, int] | None:
    """(stride h, stride w) of a 2-D 1x1 convolution without padding the kernels run, else
    None."""
    if op.type != "Convolution" or not conv_supported(op) or len(op.inputs[0].shape) != 4:
        return None
    x, w = op.inputs
    y = op.outputs[0]
    if tuple(w.shape[2:]) != (1, 1) or (w.shape[0] == 1 and w.shape[1] == 1):
        return None  # (one channel in and out runs as a depthwise convolution)
    win = conv_window(op)
    if any(win.pads_begin):
        return None
    sh, sw = win.strides
    H, W = x.shape[2:]
    if y.shape[2:] != ((H - 1) // sh + 1, (W - 1) // sw + 1):
        return None
    return sh, sw


def _epilogue(op: Op) -> tuple[bool, Value | None]:
    """(whether the register epilogue applies ``op``'s post ops, the tensor they add): a
    per-channel add, one tensor add, then ReLU or a clamp, in this order, each at most
    once."""
    stage = 0
    tensor = None
    out = op.outputs[0].shape
    for step in op.post_ops:
        if step.operand is None:
            if step.function not in ("relu", "clamp") or stage >= 3:
                return False, None
            stage = 3
            continue
        if step.function != "add":
            return False, None
        shape = tuple(step.operand.shape)
        if shape == tuple(out) and stage < 2:
            tensor, stage = step.operand, 2
        elif len(shape) <= 4 and stage < 1 and _per_channel(shape, out):
            stage = 1
        else:
            return False, None
    return True, tensor


def _per_channel(shape: tuple[int, ...], out: tuple[int, ...]) -> bool:
    """A bias of one value per output channel (the epilogue's row vector; a single value
    broadcast over every channel is not one)."""
    full = (1,) * (4 - len(shape)) + tuple(int(d) for d in shape)
    return full[0] == 1 and full[2] == 1 and full[3] == 1 and full[1] == out[1] > 1


def choose_panels(graph: Graph) -> set[int]:
    """Ids of the values the plan keeps in position panels."""
    producers: dict[int, Op] = {}
    uses: dict[int, list[tuple[Op, str]]] = {}
    for op in graph.ops:
        for i, v in enumerate(op.inputs):
            uses.setdefault(v.id, []).append((op, "data" if i == 0 else "other"))
        for step in op.post_ops:
            if step.operand is not None:
                uses.setdefault(step.operand.id, []).append((op, "post"))
        for v in op.outputs:
            producers[v.id] = op
    outputs = {v.id for v in graph.outputs}
    chosen = set()
    for vid, op in producers.items():
        if vid in outputs or vid not in uses or op.outputs[0].id != vid:
            continue
        if _pointwise(op) is None or not _epilogue(op)[0]:
            continue
        ok = True
        for user, how in uses[vid]:
            geometry = _pointwise(user)
            if how == "data":
                ok = geometry == (1, 1) and user.inputs[1].id != vid
            elif how == "post" and geometry is not None:
                fast, tensor = _epilogue(user)
                ok = fast and tensor is not None and tensor.id == vid
            else:
                ok = False
            if not ok:
                break
        if ok:
            chosen.add(vid)
    return chosen
