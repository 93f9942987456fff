"""The GPU device of the Python OpenVINO runtime: models compiled to OpenCL C kernels run
through pyopencl, with every intermediate value in device memory.

Installed with ``pip install openvino-gpu`` it registers the ``GPU`` device family
(entry point ``openvino.plugins``); ``OV_GPU_ALLOW_CPU_DEVICES=1`` also lists OpenCL CPU
devices (PoCL from ``pip install openvino-gpu[pocl]``) so the device runs anywhere.
"""

__version__ = "2026.4.1"

from .devices import discovery_failures  # noqa: E402

__all__ = ["discovery_failures", "__version__"]
