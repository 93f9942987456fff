"""``Serialize``: write the model as IR (``.xml`` + ``.bin``) when the pass runs, weights
as they are (no FP16 compression, unlike ``save_model``'s default)."""

from __future__ import annotations

import enum
import os
from typing import Any

from .pass_base import BuiltinModelPass

__all__ = ["Serialize", "Version"]


class Version(enum.IntEnum):
    """IR versions ``Serialize`` takes."""

    UNSPECIFIED = 0
    IR_V10 = 10
    IR_V11 = 11


def _version(value: Any) -> Version:
    if value is None:
        return Version.UNSPECIFIED
    if isinstance(value, Version):
        return value
    if isinstance(value, str) and value in Version.__members__:
        return Version[value]
    raise RuntimeError(f"Invoked with wrong version argument: '{value}'! The supported "
                       "versions are: 'UNSPECIFIED'(default), 'IR_V10', 'IR_V11'.")


def _path(value: Any, what: str) -> str:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise TypeError(f"Serialize(): {what} must be a str, bytes or pathlib.Path, got "
                    f"{type(value).__name__}")


class Serialize(BuiltinModelPass):
    """openvino.passes.Serialize transformation"""

    _default_name = "ov::pass::Serialize"

    def __init__(self, path_to_xml: Any, path_to_bin: Any, version: Any = None) -> None:
        super().__init__()
        self._xml = _path(path_to_xml, "path_to_xml")
        self._bin = _path(path_to_bin, "path_to_bin")
        self._version = _version(version)

    def transform(self, model: Any) -> bool:
        from .._ir.writer import serialize

        if self._version == Version.IR_V10:
            raise RuntimeError("Serialize: IR version 10 is not written by this runtime; "
                               "use Version.IR_V11 (or UNSPECIFIED)")
        serialize(model, self._xml, self._bin)
        return False
