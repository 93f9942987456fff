"""The enumerations of ``openvino.preprocess``: ``ColorFormat``, ``ResizeAlgorithm`` and
``PaddingMode``, with the member names and values of the real API (``str`` gives
``"ColorFormat.BGR"``, ``repr`` gives ``"<ColorFormat.BGR: 6>"``, ``int`` the value)."""

from __future__ import annotations

import enum

__all__ = ["ColorFormat", "PaddingMode", "ResizeAlgorithm"]


class _Enum(enum.IntEnum):
    """An ``IntEnum`` that prints as ``Class.MEMBER`` in ``str`` and format strings."""

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {int(self)}>"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class ColorFormat(_Enum):
    """Color format of an image input."""

    UNDEFINED = 0
    NV12_SINGLE_PLANE = 1
    NV12_TWO_PLANES = 2
    I420_SINGLE_PLANE = 3
    I420_THREE_PLANES = 4
    RGB = 5
    BGR = 6
    GRAY = 7
    RGBX = 8
    BGRX = 9


class ResizeAlgorithm(_Enum):
    """Interpolation used by ``PreProcessSteps.resize``."""

    RESIZE_LINEAR = 0
    RESIZE_CUBIC = 1
    RESIZE_NEAREST = 2
    RESIZE_BILINEAR_PILLOW = 3
    RESIZE_BICUBIC_PILLOW = 4


class PaddingMode(_Enum):
    """How ``PreProcessSteps.pad`` fills the new elements."""

    CONSTANT = 0
    REFLECT = 2
    SYMMETRIC = 3
