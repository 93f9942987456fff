"""``openvino.properties.intel_cpu``: settings specific to the CPU device."""

from __future__ import annotations

from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import BoolKind, FloatKind

__all__ = ["denormals_optimization", "sparse_weights_decompression_rate"]

denormals_optimization = ReadWriteProperty(
    "CPU_DENORMALS_OPTIMIZATION", BoolKind(), name="denormals_optimization",
    doc="Flush denormal floats to zero for speed.",
)
sparse_weights_decompression_rate = ReadWriteProperty(
    "CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE", FloatKind(), name="sparse_weights_decompression_rate",
    doc="Sparsity (0..1) above which weights are stored compressed; kept as float32.",
)
