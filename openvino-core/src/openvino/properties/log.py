"""``openvino.properties.log``: how much a device logs."""

from __future__ import annotations

from openvino.properties._enum import PropertyEnum
from openvino.properties._property import ReadWriteProperty
from openvino.properties._value_kinds import EnumKind

__all__ = ["Level", "level"]


class Level(PropertyEnum):
    """Log verbosity, from ``NO`` (nothing) to ``TRACE`` (everything)."""

    NO = -1
    ERR = 0
    WARNING = 1
    INFO = 2
    DEBUG = 3
    TRACE = 4

    @classmethod
    def _text_aliases(cls) -> dict[str, str]:
        # The spellings OpenVINO uses for log levels in config text.
        return {
            "LOG_NONE": "NO",
            "LOG_ERROR": "ERR",
            "LOG_WARNING": "WARNING",
            "LOG_INFO": "INFO",
            "LOG_DEBUG": "DEBUG",
            "LOG_TRACE": "TRACE",
            "NONE": "NO",
            "ERROR": "ERR",
        }


level = ReadWriteProperty(
    "LOG_LEVEL", EnumKind(Level, "log.Level"), name="level",
    doc="Log verbosity of a device (log.Level).",
)
