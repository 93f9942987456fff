"""``openvino.runtime``: the legacy spelling of ``openvino``.

Every name is the same object as in ``openvino``, and every submodule
(``openvino.runtime.opset8``, ``.properties``, ``.op``, ``.utils`` ...) is the same module
object as ``openvino.<name>``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

import openvino as _ov
from openvino import *  # noqa: F403
from openvino import __all__ as _ov_all

__all__ = list(_ov_all)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self._target = target

    def create_module(self, spec):
        return importlib.import_module(self._target)

    def exec_module(self, module) -> None:
        return None


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Resolves ``openvino.runtime.X`` to the module ``openvino.X``."""

    prefix = __name__ + "."

    def find_spec(self, fullname, path, target=None):
        if not fullname.startswith(self.prefix):
            return None
        target_name = "openvino." + fullname[len(self.prefix):]
        if target_name not in sys.modules and importlib.util.find_spec(target_name) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(target_name))


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())


def __getattr__(name: str):
    try:
        value = getattr(_ov, name)
    except AttributeError:
        raise AttributeError(f"module 'openvino.runtime' has no attribute '{name}'") from None
    if isinstance(value, type(sys)):
        sys.modules.setdefault(f"{__name__}.{name}", value)
    return value
