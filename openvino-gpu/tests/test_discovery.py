"""Which OpenCL devices the GPU family lists, and its properties."""

from __future__ import annotations

import re

import pytest

import openvino as ov
from openvino.properties import device
from openvino_gpu import devices as gpu_devices
from openvino_gpu.plugin import GPUPlugin


def test_gpu_listed(core):
    listed = [d for d in core.available_devices if d.split(".")[0] == "GPU"]
    n = len(gpu_devices.opencl_devices())
    assert listed == (["GPU"] if n == 1 else [f"GPU.{i}" for i in range(n)])


def test_cpu_devices_hidden_without_env(monkeypatch, gpu_available):
    monkeypatch.setenv(gpu_devices.ALLOW_CPU_ENV, "0")
    try:
        found = gpu_devices.opencl_devices()
        assert all(not d.info.is_cpu for d in found)
        if not found:
            assert "GPU" not in ov.Core().available_devices
            assert any("OV_GPU_ALLOW_CPU_DEVICES" in f or "no OpenCL" in f
                       for f in gpu_devices.discovery_failures())
    finally:
        monkeypatch.setenv(gpu_devices.ALLOW_CPU_ENV, "1")
        gpu_devices.opencl_devices()


def test_no_opencl_runtime_lists_nothing(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyopencl(name, *args, **kwargs):
        if name == "pyopencl" or name.startswith("pyopencl."):
            raise ImportError("libOpenCL.so.1: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyopencl)
    found, failures = gpu_devices._scan()
    assert found == []
    assert "pyopencl cannot be imported" in failures[0]
    assert GPUPlugin([]).available_devices() == []
    with pytest.raises(RuntimeError, match="no OpenCL device"):
        GPUPlugin([]).device("")


def test_device_that_cannot_build_is_not_listed(monkeypatch, gpu_available):
    """A device whose compiler rejects a trivial program (PoCL with an LLVM older than the
    host CPU) is left out, and discovery_failures() quotes the build log's error."""
    import pyopencl as cl

    def fails(self, *args, **kwargs):
        raise cl.RuntimeError("clBuildProgram failed: BUILD_PROGRAM_FAILURE\n\n"
                              "Build on <device>:\n\nerror: unknown target CPU 'generic'\n")

    monkeypatch.setattr(cl.Program, "build", fails)
    found, failures = gpu_devices._scan()
    assert found == []
    assert any("cannot build a kernel program" in f
               and f.endswith("error: unknown target CPU 'generic'") for f in failures)


def test_core_scans_opencl_only_when_gpu_is_used():
    """``Core()`` and compiling for another device load no OpenCL driver (PoCL and its
    LLVM cost tens of MB in every process); listing the devices does."""
    import subprocess
    import sys

    code = ("import sys, numpy as np, openvino as ov, openvino.opset13 as ops\n"
            "core = ov.Core()\n"
            "x = ops.parameter([2], np.float32)\n"
            "core.compile_model(ov.Model([ops.relu(x)], [x]), 'TEMPLATE')\n"
            "print('pyopencl' in sys.modules)\n"
            "core.available_devices\n"
            "print('pyopencl' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]


def test_read_only_properties(core):
    dev = gpu_devices.opencl_devices()[0]
    assert core.get_property("GPU", "FULL_DEVICE_NAME").startswith(dev.name)
    assert core.get_property("GPU", "DEVICE_TYPE") in (device.Type.INTEGRATED,
                                                       device.Type.DISCRETE)
    assert re.fullmatch(r"[0-9a-f]{32}", core.get_property("GPU", "DEVICE_UUID"))
    assert core.get_property("GPU", "GPU_DEVICE_TOTAL_MEM_SIZE") == dev.total_memory > 0
    caps = core.get_property("GPU", "OPTIMIZATION_CAPABILITIES")
    assert "FP32" in caps and "INT8" in caps and "EXPORT_IMPORT" in caps
    assert ("FP16" in caps) == dev.info.fp16
    lo, hi = core.get_property("GPU", "RANGE_FOR_STREAMS")
    assert 1 <= lo <= hi
    assert isinstance(core.get_property("GPU", "DEVICE_ARCHITECTURE"), str)
    supported = core.get_property("GPU", "SUPPORTED_PROPERTIES")
    for key in ("DEVICE_TYPE", "DEVICE_UUID", "GPU_DEVICE_TOTAL_MEM_SIZE",
                "INFERENCE_PRECISION_HINT", "PERFORMANCE_HINT", "NUM_STREAMS"):
        assert key in supported


def test_precision_default_follows_fp16(core):
    dev = gpu_devices.opencl_devices()[0]
    expected = ov.Type.f16 if dev.info.fp16 else ov.Type.f32
    assert core.get_property("GPU", "INFERENCE_PRECISION_HINT") == expected


def test_bad_precision_and_device_id(core):
    with pytest.raises(RuntimeError, match="INFERENCE_PRECISION_HINT"):
        core.set_property("GPU", {"INFERENCE_PRECISION_HINT": ov.Type.i8})
    with pytest.raises(RuntimeError, match="device id '7'"):
        core.set_property("GPU", {"DEVICE_ID": "7"})
    with pytest.raises(RuntimeError, match="read-only"):
        core.set_property("GPU", {"DEVICE_UUID": "x"})
