"""Harness of the kernel tests: runs one op's lowering on an OpenCL device (PoCL in CI)
against OpenVINO's TEMPLATE reference: ``run_gpu(node, inputs, precision)`` lowers the node
through its registered lowering, builds the programs, binds the launch arguments and
returns the outputs.

This is the lowering contract of ``openvino_gpu.lowering`` exercised without the runtime:
inputs that are ``Constant`` nodes become constant buffers, the others are uploaded, and in
``f16`` precision floating-point values are stored as halves."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import numpy as np
import pytest

cl = pytest.importorskip("pyopencl")

import openvino as ov  # noqa: E402
from openvino_gpu.lowering import (  # noqa: E402
    Const,
    DeviceInfo,
    In,
    Local,
    OpContext,
    Out,
    Scratch,
    TensorSpec,
    lowering_for,
)
from openvino_gpu.programs import BUILD_OPTIONS_ENV  # noqa: E402

KERNELS = Path(__file__).resolve().parents[2] / "src" / "openvino_gpu" / "kernels"


def _device():
    try:
        platforms = cl.get_platforms()
    except cl.Error:
        return None
    for p in platforms:
        for d in p.get_devices():
            return d
    return None


class Programs:
    """Builds ``kernels/<file>`` once per options tuple (the runtime's cache does the same)."""

    def __init__(self, context):
        self.context = context
        self.cache = {}

    def get(self, filename, options=()):
        key = (filename, tuple(options))
        prog = self.cache.get(key)
        if prog is None:
            src = (KERNELS / filename).read_text()
            extra = shlex.split(os.environ.get(BUILD_OPTIONS_ENV, ""))  # -cl-opt-disable
            prog = cl.Program(self.context, src).build(
                options=[*options, *extra, f"-I{KERNELS}"])
            self.cache[key] = prog
        return prog


class Gpu:
    def __init__(self, device):
        self.device = device
        self.context = cl.Context([device])
        self.queue = cl.CommandQueue(self.context)
        self.programs = Programs(self.context)
        self.fp16 = "cl_khr_fp16" in device.extensions
        self.info = DeviceInfo(device.name, self.fp16, device.max_work_group_size,
                               device.local_mem_size, device.max_compute_units,
                               bool(device.type & cl.device_type.CPU))


def make_gpu():
    """The first OpenCL device, or a skip saying there is none."""
    d = _device()
    if d is None:
        pytest.skip("no OpenCL device (pip install pocl-binary-distribution)")
    return Gpu(d)


FLOATS = {"f32", "f16", "bf16", "f64"}


def storage_dtype(t: ov.Type, precision: str) -> np.dtype:
    name = t.get_type_name()
    if name in FLOATS:
        return np.dtype(np.float16 if precision == "f16" else np.float32)
    if name == "boolean":
        return np.dtype(np.uint8)
    return np.dtype(t.to_dtype())


def _spec(port, precision, const=None):
    shape = tuple(int(d) for d in port.get_shape())
    t = port.get_element_type()
    return TensorSpec(shape, t, storage_dtype(t, precision), const)


def op_context(gpu, node, precision="f32", post_ops=None):
    inputs = []
    for i in range(node.get_input_size()):
        src = node.input_value(i).get_node()
        const = None
        if src.get_type_name() == "Constant":
            const = np.asarray(src.get_data())
        inputs.append(_spec(node.input(i), precision, const))
    outputs = [_spec(node.output(j), precision) for j in range(node.get_output_size())]
    return OpContext(node.get_type_name(), node.get_friendly_name(), node, inputs, outputs,
                     precision, gpu.info, gpu.programs, post_ops)


def _buffer(gpu, array):
    mf = cl.mem_flags
    a = np.ascontiguousarray(array)
    if a.nbytes == 0:
        return cl.Buffer(gpu.context, mf.READ_WRITE, 1)
    return cl.Buffer(gpu.context, mf.READ_WRITE | mf.COPY_HOST_PTR, hostbuf=a)


def _host(spec, value):
    """The device form of an input value."""
    return np.asarray(value).astype(spec.dtype, copy=False).reshape(spec.shape)


def run_gpu(gpu, node, inputs, precision="f32", post_ops=None, context=None, post_inputs=()):
    """Outputs of ``node`` computed by its GPU lowering; ``inputs`` holds one array per
    distinct Parameter input, in order. ``context``: an ``OpContext`` prepared by the test
    (its inputs may be fewer than the node's: compressed weights). ``post_inputs``: the
    arrays of the binary post ops' operands; post op k binds ``In(len(inputs) + k)``."""
    ctx = context if context is not None else op_context(gpu, node, precision, post_ops)
    entry = lowering_for(node.get_type_name())
    assert entry is not None, f"no GPU lowering for {node.get_type_name()}"
    launches = entry.function(ctx)
    params = _parameters(node)
    assert len(params) == len(inputs), f"{len(params)} parameters, {len(inputs)} values"
    values = {id(p): v for p, v in zip(params, inputs)}
    in_bufs = []
    for i, spec in enumerate(ctx.inputs):
        src = node.input_value(i).get_node()
        arr = spec.const if spec.const is not None else values[id(src)]
        in_bufs.append(_buffer(gpu, _host(spec, arr)))
    values_iter = iter(post_inputs)
    for post in ctx.post_ops:  # post op k's operand is In(len(inputs) + k)
        arr = next(values_iter) if post.operand is not None else np.zeros(1, np.uint8)
        in_bufs.append(_buffer(gpu, arr if post.operand is None else _host(post.operand, arr)))
    out_bufs = [cl.Buffer(gpu.context, cl.mem_flags.READ_WRITE, max(s.nbytes, 1))
                for s in ctx.outputs]
    extra = {}
    for j, src in ctx.aliases.items():
        out_bufs[j] = in_bufs[src]

    def bind(a):
        if isinstance(a, In):
            return in_bufs[a.index]
        if isinstance(a, Out):
            return out_bufs[a.index]
        if isinstance(a, Const):
            if id(a) not in extra:
                extra[id(a)] = _buffer(gpu, a.array)
            return extra[id(a)]
        if isinstance(a, Scratch):
            if id(a) not in extra:
                # poison scratch memory: its contents are undefined at the first launch
                junk = np.full(a.nbytes, 0xCB, np.uint8)
                extra[id(a)] = _buffer(gpu, junk)
            return extra[id(a)]
        if isinstance(a, Local):
            return cl.LocalMemory(max(a.nbytes, 1))
        assert isinstance(a, np.generic), f"bad launch argument {a!r}"
        return a

    for launch in launches:
        local = launch.local_size or launch.global_size
        assert all(g % n == 0 for g, n in zip(launch.global_size, local)), launch
        if 0 in launch.global_size:
            continue
        kernel = cl.Kernel(launch.program, launch.kernel)
        kernel(gpu.queue, launch.global_size, launch.local_size,
               *[bind(a) for a in launch.args])
    results = []
    for spec, buf in zip(ctx.outputs, out_bufs):
        host = np.empty(spec.shape, spec.dtype)
        if host.nbytes:
            cl.enqueue_copy(gpu.queue, host, buf)
        results.append(host)
    gpu.queue.finish()
    return results


def _parameters(node):
    """The distinct Parameter inputs of ``node``, in input order."""
    params = []
    for i in range(node.get_input_size()):
        src = node.input_value(i).get_node()
        if src.get_type_name() == "Parameter" and all(src is not p for p in params):
            params.append(src)
    return params


def run_reference(node, inputs):
    """Outputs of ``node`` from OpenVINO's TEMPLATE reference device."""
    params = _parameters(node)
    model = ov.Model([node.output(j) for j in range(node.get_output_size())], params)
    compiled = ov.Core().compile_model(model, "TEMPLATE")
    res = compiled(list(inputs))
    return [np.asarray(res[compiled.output(j)]) for j in range(node.get_output_size())]


def check(gpu, node, inputs, precision="f32", rtol=None, atol=None):
    """Compare the GPU lowering with the reference (tolerances per precision)."""
    if precision == "f16":  # the reference sees the values the device holds
        inputs = [x.astype(np.float16).astype(x.dtype) if np.asarray(x).dtype.kind == "f"
                  else x for x in inputs]
    want = run_reference(node, inputs)
    got = run_gpu(gpu, node, inputs, precision)
    for j, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape, (j, g.shape, w.shape)
        if w.dtype.kind == "f":
            r = rtol if rtol is not None else (1e-4 if precision == "f32" else 1e-2)
            a = atol if atol is not None else (1e-5 if precision == "f32" else 1e-2)
            np.testing.assert_allclose(g.astype(np.float32), w.astype(np.float32),
                                       rtol=r, atol=a, err_msg=f"output {j}")
        else:
            np.testing.assert_array_equal(g.astype(w.dtype), w, err_msg=f"output {j}")
    return got

