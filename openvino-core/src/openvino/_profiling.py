"""``openvino.ProfilingInfo``: how long one node of a compiled model took in one inference."""

from __future__ import annotations

import datetime
import enum

__all__ = ["ProfilingInfo"]


class _Status(enum.IntEnum):
    """Whether a node ran: ``NOT_RUN``, ``OPTIMIZED_OUT`` or ``EXECUTED``."""

    NOT_RUN = 0
    OPTIMIZED_OUT = 1
    EXECUTED = 2

    def __str__(self) -> str:
        return f"Status.{self.name}"


# shown as OpenVINO shows it: <Status.EXECUTED: 2>
_Status.__name__ = "Status"
_Status.__qualname__ = "ProfilingInfo.Status"


class ProfilingInfo:
    """One record of ``InferRequest.get_profiling_info()``.

    ``node_name`` and ``node_type`` name the node of the runtime model, ``exec_type`` says
    which implementation ran it (for example ``"ref_f32"``), ``real_time`` and ``cpu_time``
    are ``datetime.timedelta`` values and ``status`` is a ``ProfilingInfo.Status``.
    """

    Status = _Status

    __slots__ = ("node_name", "node_type", "exec_type", "real_time", "cpu_time", "status")

    def __init__(self, node_name: str = "", node_type: str = "", exec_type: str = "",
                 real_time: datetime.timedelta | float = 0.0,
                 cpu_time: datetime.timedelta | float | None = None,
                 status: _Status = _Status.EXECUTED) -> None:
        self.node_name = node_name
        self.node_type = node_type
        self.exec_type = exec_type
        self.real_time = _as_timedelta(real_time)
        self.cpu_time = self.real_time if cpu_time is None else _as_timedelta(cpu_time)
        self.status = status

    def __repr__(self) -> str:
        us = self.real_time / datetime.timedelta(microseconds=1)
        return (f"<ProfilingInfo: {self.node_name} ({self.node_type}, {self.exec_type}) "
                f"{self.status.name} {us:.1f} us>")


def _as_timedelta(value: datetime.timedelta | float) -> datetime.timedelta:
    """Seconds (float) or a timedelta, as a timedelta."""
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(seconds=float(value))
