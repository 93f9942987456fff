"""Shared fixtures of the GPU device tests. They run on whatever OpenCL device the GPU
family lists; ``OV_GPU_ALLOW_CPU_DEVICES=1`` is set here so an OpenCL CPU device (PoCL from
the ``[pocl]`` extra) counts, and every test skips, saying why, when there is none."""

from __future__ import annotations

import os

os.environ.setdefault("OV_GPU_ALLOW_CPU_DEVICES", "1")

import pytest  # noqa: E402

import openvino as ov  # noqa: E402


@pytest.fixture(scope="session")
def gpu_available() -> bool:
    from openvino_gpu.devices import discovery_failures, opencl_devices

    if not opencl_devices():
        pytest.skip("no OpenCL device: " + "; ".join(discovery_failures()))
    return True


@pytest.fixture
def core(gpu_available: bool) -> ov.Core:
    return ov.Core()
