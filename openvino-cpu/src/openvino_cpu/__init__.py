"""The ``CPU`` device of the Python OpenVINO runtime.

Installing this distribution registers the device through the ``openvino.plugins`` entry
point (``openvino_cpu.plugin``). Models compile to plans of C kernels (``kernels/``,
built by cffi at install time) that one C call runs with the GIL released; see
``openvino_cpu.compiler`` for the passes.
"""

from ._native import isa
from .plugin import CPUPlugin

__all__ = ["CPUPlugin", "isa"]
__version__ = "2026.4.1"
