"""``openvino.exceptions``: the exception classes of the Python layer, as the real package
names them (``except openvino.exceptions.UserInputError``)."""

from __future__ import annotations

__all__ = ["OVError", "UserInputError", "OVTypeError"]


class OVError(Exception):
    """Base class of the errors the Python layer raises on its own."""


class UserInputError(OVError):
    """A value a user passed is not acceptable."""


class OVTypeError(OVError, TypeError):
    """A value a user passed has a type that is not acceptable."""
