"""``openvino.properties.intel_auto``: settings of the AUTO device selector."""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import BoolKind, EnumKind

__all__ = [
    "SchedulePolicy",
    "device_bind_buffer",
    "enable_runtime_fallback",
    "enable_startup_fallback",
    "schedule_policy",
]


class SchedulePolicy(PropertyEnum):
    """How AUTO hands requests to devices under CUMULATIVE_THROUGHPUT; ``DEFAULT`` is
    ``DEVICE_PRIORITY``."""

    ROUND_ROBIN = 0
    DEVICE_PRIORITY = 1
    DEFAULT = 1


device_bind_buffer = ReadWriteProperty(
    "DEVICE_BIND_BUFFER", BoolKind(), name="device_bind_buffer",
    doc="Bind each infer request to one device's buffers.",
)
enable_startup_fallback = ReadWriteProperty(
    "ENABLE_STARTUP_FALLBACK", BoolKind(), name="enable_startup_fallback",
    doc="Run on a fast-starting device while the chosen one compiles.",
)
enable_runtime_fallback = ReadWriteProperty(
    "ENABLE_RUNTIME_FALLBACK", BoolKind(), name="enable_runtime_fallback",
    doc="Retry a failed request on the next device in priority order.",
)
schedule_policy = ReadWriteProperty(
    "SCHEDULE_POLICY", EnumKind(SchedulePolicy, "intel_auto.SchedulePolicy"),
    name="schedule_policy",
    doc="intel_auto.SchedulePolicy used by AUTO in CUMULATIVE_THROUGHPUT mode.",
)
