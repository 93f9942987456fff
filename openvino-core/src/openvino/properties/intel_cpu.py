"""``openvino.properties.intel_cpu``: settings specific to the CPU device."""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import BoolKind, EnumKind, FloatKind

__all__ = ["TbbPartitioner", "denormals_optimization", "sparse_weights_decompression_rate",
           "tbb_partitioner"]


class TbbPartitioner(PropertyEnum):
    """How the threading runtime splits a parallel loop among threads."""

    STATIC = 1
    AUTO = 2


denormals_optimization = ReadWriteProperty(
    "CPU_DENORMALS_OPTIMIZATION", BoolKind(), name="denormals_optimization",
    doc="Flush denormal floats to zero for speed.",
)
sparse_weights_decompression_rate = ReadWriteProperty(
    "CPU_SPARSE_WEIGHTS_DECOMPRESSION_RATE", FloatKind(), name="sparse_weights_decompression_rate",
    doc="Sparsity (0..1) above which weights are stored compressed; kept as float32.",
)
tbb_partitioner = ReadWriteProperty(
    "TBB_PARTITIONER", EnumKind(TbbPartitioner, "intel_cpu.TbbPartitioner"),
    name="tbb_partitioner",
    doc="Partitioner of the threading runtime's parallel loops.",
)
