"""``openvino.properties.intel_gpu.hint``: GPU queue and host-task hints.

``ThrottleLevel`` is :class:`openvino.properties.hint.Priority` under another name, so its
members print as ``Priority.LOW`` and so on.
"""

from __future__ import annotations

from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import INT64, EnumKind, IntKind
from openvino.properties.hint import Priority

__all__ = [
    "ThrottleLevel",
    "available_device_mem",
    "host_task_priority",
    "queue_priority",
    "queue_throttle",
]

ThrottleLevel = Priority

queue_throttle = ReadWriteProperty(
    "GPU_QUEUE_THROTTLE", EnumKind(Priority, "intel_gpu.hint.ThrottleLevel"),
    name="queue_throttle",
    doc="Throttle level of the GPU command queue (trades speed for power).",
)
queue_priority = ReadWriteProperty(
    "GPU_QUEUE_PRIORITY", EnumKind(Priority, "hint.Priority"), name="queue_priority",
    doc="Priority of the GPU command queue.",
)
host_task_priority = ReadWriteProperty(
    "GPU_HOST_TASK_PRIORITY", EnumKind(Priority, "hint.Priority"), name="host_task_priority",
    doc="Priority of the host threads that drive the GPU.",
)
available_device_mem = ReadWriteProperty(
    "AVAILABLE_DEVICE_MEM_SIZE", IntKind(INT64, "int64"), name="available_device_mem",
    doc="Bytes of device memory the GPU plugin may use.",
)
