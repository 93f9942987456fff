"""Fixtures of the kernel tests: the OpenCL device (PoCL in CI) and the precision."""

import sys
from pathlib import Path

import pytest

# test modules are imported with --import-mode=importlib: make kernel_harness importable
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from kernel_harness import make_gpu  # noqa: E402


@pytest.fixture(scope="session")
def gpu():
    return make_gpu()


@pytest.fixture(params=["f32", "f16"])
def precision(request):
    return request.param
