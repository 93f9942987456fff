"""``openvino.package_utils``: helpers about the installed package. ``get_cmake_path``
finds the CMake config of a C++ OpenVINO shipped inside the package (this pure-Python
runtime ships none, so it returns ``""``); the deprecation helpers are re-exported from
``openvino._deprecation``, where the real package also exposes them."""

from __future__ import annotations

import os
from pathlib import Path

from openvino._deprecation import classproperty, deprecated, deprecatedclassproperty

__all__ = ["classproperty", "deprecated", "deprecatedclassproperty", "get_cmake_path"]

_CMAKE_CONFIG = "OpenVINOConfig.cmake"


def get_cmake_path() -> str:
    """The directory under the package holding ``OpenVINOConfig.cmake``, or ``""``."""
    for dirpath, _, filenames in os.walk(Path(__file__).parent):
        if _CMAKE_CONFIG in filenames:
            return dirpath
    return ""
