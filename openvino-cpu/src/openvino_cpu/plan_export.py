"""The CPU device's export (``export_model``, ``CACHE_DIR``): the compiled plan itself, so
that an import does not compile again.

Layout (little-endian; every section starts at a multiple of 64 bytes from the start)::

    MAGIC  u32 PLAN_FORMAT  u32 header size  header (JSON)  sections ...

The header names this build (:func:`build_id`: the package version, the plan format, the
bytes of the kernel library and of the compiler's sources), the kernel geometry the plan
was packed for (instruction set, GEMM panel sizes ``mr`` x ``nr``, scratch size, size of a
step record) and where each section is:

* ``model``: the runtime model and the exported config values
  (``openvino.plugin.model_blob``): the compiled model's ports, names and settings come
  from it, and it is compiled again when there is no plan;
* ``plan`` (absent for a model with dynamic shapes or with steps that run Python
  callbacks): the ``ov_step`` records as C lays them out (slots and offsets, no pointers),
  the arena size, every constant array (packed and reordered weights, folded constants)
  as raw bytes with its dtype and shape, where each output is found, and what profiling
  reports for each step.

Import checks all of it before use: a blob of another build or of another kernel
geometry (an AVX-512 plan on an AVX2 machine, ``OV_CPU_ISA``), or one whose structure is
damaged, raises ``RuntimeError`` (the model cache then compiles again and rewrites the
entry); it is never read as something else. The step records carry their own checksum and
every buffer they name is checked to exist, so that no damaged record reaches the kernels;
the bulk data (weights) is covered by the model cache's checksum of the whole entry, and,
as for every device's ``export_model`` blob, not checked again here. The constant arrays
are views of the blob's memory when it is 64-byte aligned (as the model cache provides
it), copies otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np

from openvino import Model, Type, __version__
from openvino.plugin.model_blob import blob_checksum, read_model_blob, write_model_blob

from ._native import ffi, isa, lib
from .compiler.plan import OutputSource, Plan, StepInfo

__all__ = ["MAGIC", "PLAN_FORMAT", "build_id", "geometry", "read_plan_export",
           "write_plan_export"]

MAGIC = b"OVCPUPLN"
#: Layout version of the export; part of :func:`build_id`.
PLAN_FORMAT = 1
_ALIGN = 64
_PREFIX = struct.Struct("<II")


@functools.cache
def build_id() -> str:
    """Digest of what decides how a plan is laid out and read: the package version, the
    plan format, the kernel library and the compiler's (and this module's) sources, the
    SDK passes (``openvino.plugin.passes``) included."""
    from openvino.plugin import passes

    from . import _kernels

    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"openvino {__version__} plan {PLAN_FORMAT}\0".encode())
    files = [Path(_kernels.__file__), Path(__file__).resolve(),
             *sorted((here / "compiler").glob("*.py")),
             *sorted(Path(passes.__file__).resolve().parent.glob("*.py"))]
    for f in files:
        h.update(f.name.encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def geometry() -> dict[str, Any]:
    """The kernel geometry plans are packed for in this process."""
    return {"isa": isa(), "mr": int(lib.ov_gemm_mr()), "nr": int(lib.ov_gemm_nr()),
            "scratch": int(lib.ov_scratch_bytes()), "step": int(ffi.sizeof("ov_step"))}


def exportable(plan: Any) -> bool:
    """Whether ``plan`` can be stored as data (a kernel plan without Python steps)."""
    return isinstance(plan, Plan) and not plan.callbacks and plan.records is not None


def write_plan_export(model: Model, config: dict[str, Any], plan: Plan | None,
                      shapes: tuple[tuple[int, ...], ...] | None) -> bytes:
    """The export of a compiled model: ``model`` and ``config`` (as ``model_blob``), and
    ``plan`` (for input ``shapes``) when it is given."""
    sections: list[Any] = []
    size = 0

    def add(data: Any) -> list[int]:
        nonlocal size
        pad = -size % _ALIGN
        if pad:
            sections.append(bytes(pad))
            size += pad
        view = memoryview(data).cast("B")
        sections.append(view)
        start = size
        size += view.nbytes
        return [start, view.nbytes]

    header: dict[str, Any] = {"build": build_id(), "geometry": geometry(),
                              "model": add(write_model_blob(model, config)), "plan": None}
    if plan is not None:
        records = ffi.buffer(plan.records, plan.nsteps * ffi.sizeof("ov_step"))
        arrays = []
        for arr in plan.const_arrays:
            flat = np.ascontiguousarray(arr)
            arrays.append([*add(flat.reshape(-1).view(np.uint8)), flat.dtype.str,
                           list(flat.shape)])
        header["plan"] = {
            "shapes": [list(s) for s in shapes or ()],
            "nsteps": plan.nsteps, "arena": plan.arena_size, "records": add(records),
            "inputs": [[list(s), t.get_type_name()]
                       for s, t in zip(plan.input_shapes, plan.input_types)],
            "arrays": arrays,
            "outputs": [[o.slot, o.offset, o.type.get_type_name(), list(o.shape),
                         o.dtype.str] for o in plan.outputs],
            "info": [[i.name, i.type, i.exec_type, list(i.fused),
                      {n: i.fused_type(n) for n in i.fused}] for i in plan.info],
        }
    body = bytearray(size)
    at = 0
    for part in sections:
        n = memoryview(part).nbytes
        body[at:at + n] = part
        at += n
    if plan is not None:
        header["plan"]["checksum"] = blob_checksum(ffi.buffer(plan.records,
                                                              header["plan"]["records"][1]))
    raw = json.dumps(header).encode()
    raw += b" " * (-(len(MAGIC) + _PREFIX.size + len(raw)) % _ALIGN)
    return b"".join([MAGIC, _PREFIX.pack(PLAN_FORMAT, len(raw)), raw, body])


class PlanExport:
    """A parsed export: the model, the exported config and the plan (or ``None``)."""

    def __init__(self, model: Model, config: dict[str, Any], plan: Plan | None,
                 shapes: tuple[tuple[int, ...], ...] | None) -> None:
        self.model = model
        self.config = config
        self.plan = plan
        self.shapes = shapes


def read_plan_export(blob: Any) -> PlanExport:
    """Inverse of :func:`write_plan_export`; ``RuntimeError`` for a blob of another build or
    kernel geometry, or a damaged one."""
    view = memoryview(blob).cast("B")
    start = len(MAGIC) + _PREFIX.size
    if view.nbytes < start or bytes(view[:len(MAGIC)]) != MAGIC:
        raise RuntimeError("CPU import_model: the blob is not a model exported by the CPU "
                           "device")
    fmt, hsize = _PREFIX.unpack_from(view, len(MAGIC))
    if fmt != PLAN_FORMAT:
        raise RuntimeError(f"CPU import_model: the blob has export format {fmt}; this CPU "
                           f"device reads format {PLAN_FORMAT}: export the model again")
    try:
        header = json.loads(bytes(view[start:start + hsize]).decode())
        build, exported_geometry = header["build"], header["geometry"]
        model_at, plan_info = header["model"], header["plan"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise RuntimeError("CPU import_model: the blob is damaged (its header does not "
                           "parse)") from None
    if build != build_id():
        raise RuntimeError(f"CPU import_model: the blob was exported by another build of the "
                           f"CPU device (openvino {__version__} here): export the model again")
    here = geometry()
    if exported_geometry != here:
        raise RuntimeError(f"CPU import_model: the blob's plan was packed for kernel geometry "
                           f"{exported_geometry}, this CPU runs {here}: export the model again "
                           "on this machine")
    body = view[start + hsize:]
    try:
        model_part = _section(body, model_at)
        model, config = read_model_blob(model_part, "CPU")
        if plan_info is None:
            return PlanExport(model, config, None, None)
        plan = _restore_plan(body, plan_info)
        shapes = tuple(tuple(int(d) for d in s) for s in plan_info["shapes"])
    except (KeyError, TypeError, ValueError, struct.error) as exc:
        raise RuntimeError(f"CPU import_model: the blob is damaged ({exc})") from None
    return PlanExport(model, config, plan, shapes)


def _section(body: memoryview, where: Any) -> memoryview:
    start, size = (int(v) for v in where)
    if start < 0 or size < 0 or start + size > body.nbytes:
        raise ValueError(f"section [{start}, {start + size}) outside {body.nbytes} bytes")
    return body[start:start + size]


def _type(name: str) -> Type:
    t = getattr(Type, str(name), None)
    if not isinstance(t, Type) or t.get_type_name() != name:
        raise ValueError(f"unknown element type {name!r}")
    return t


def _restore_plan(body: memoryview, info: dict[str, Any]) -> Plan:
    plan = Plan()
    plan.nsteps = int(info["nsteps"])
    plan.arena_size = int(info["arena"])
    records = _section(body, info["records"])
    if plan.nsteps < 0 or records.nbytes != plan.nsteps * ffi.sizeof("ov_step"):
        raise ValueError("the step records do not match the step count")
    if blob_checksum(records) != info["checksum"]:
        raise ValueError("the step records do not match their checksum")
    plan.records = ffi.new("ov_step[]", max(plan.nsteps, 1))
    ffi.memmove(plan.records, records, records.nbytes)
    plan.input_shapes = [tuple(int(d) for d in s) for s, _ in info["inputs"]]
    plan.input_types = [_type(t) for _, t in info["inputs"]]
    plan.n_inputs = len(plan.input_shapes)
    for start, size, dtype, shape in info["arrays"]:
        raw = _section(body, (start, size))
        arr = np.frombuffer(raw, np.uint8)
        if arr.ctypes.data % _ALIGN:
            arr = _aligned_copy(arr)
        plan.const_arrays.append(arr.view(np.dtype(dtype)).reshape(shape))
    nslots = 1 + plan.n_inputs + len(plan.const_arrays)
    for i in range(plan.nsteps):
        rec = plan.records[i]
        if rec.kind == lib.OV_K_PY or not 0 <= rec.nbuf <= lib.OV_MAX_BUFS:
            raise ValueError(f"step {i} is not a kernel step")
        if any(not 0 <= rec.buf[j] < nslots for j in range(rec.nbuf)):
            raise ValueError(f"step {i} names a buffer that is not in the plan")
    for slot, offset, type_name, shape, dtype in info["outputs"]:
        if not 0 <= int(slot) < nslots:
            raise ValueError(f"an output is in buffer {slot}, not in the plan")
        plan.outputs.append(OutputSource(int(slot), int(offset), _type(type_name),
                                         tuple(int(d) for d in shape), np.dtype(dtype)))
    plan.info = [StepInfo(str(name), str(typ), str(exec_type), [str(f) for f in fused],
                          fused_types=dict(types))
                 for name, typ, exec_type, fused, types in info["info"]]
    if len(plan.info) != plan.nsteps:
        raise ValueError("the step descriptions do not match the step count")
    return plan


def _aligned_copy(data: np.ndarray) -> np.ndarray:
    raw = np.empty(data.size + _ALIGN, np.uint8)
    start = -raw.ctypes.data % _ALIGN
    out = raw[start:start + data.size]
    out[...] = data
    return out
