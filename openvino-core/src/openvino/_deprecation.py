"""Deprecation warnings in OpenVINO's wording: ``deprecation_warning`` (the binding's
``openvino._pyopenvino.util.deprecation_warning``), the ``deprecated`` decorator and the
class-level properties ``classproperty`` / ``deprecatedclassproperty``
(``openvino.utils`` / ``openvino.package_utils`` re-export them)."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["classproperty", "deprecated", "deprecatedclassproperty", "deprecation_warning"]


def deprecation_warning(function_name: str, version: str = "", message: str = "",
                        stacklevel: int = 2) -> None:
    """Warn ``"{function_name} is deprecated and will be removed in version {version}.
    {message}"`` (the version and message parts only when given). ``stacklevel`` counts
    from the caller of this function, as for the binding's native function."""
    text = f"{function_name} is deprecated"
    if version:
        text += f" and will be removed in version {version}"
    if message:
        text += f". {message}"
    warnings.warn(text, DeprecationWarning, stacklevel=int(stacklevel) + 1)


def deprecated(name: Any = None, version: str = "", message: str = "",
               stacklevel: int = 2) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator: each call of the wrapped function warns (see ``deprecation_warning``)
    under ``name`` (default: the function's own name), then runs it."""

    def decorator(wrapped: Callable[..., Any]) -> Callable[..., Any]:
        label = wrapped.__name__ if name is None else name

        @functools.wraps(wrapped)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            deprecation_warning(label, version, message, stacklevel)
            return wrapped(*args, **kwargs)

        return wrapper

    return decorator


class _ClassProperty:
    """A read-only property looked up on the class (and on its instances)."""

    def __init__(self, getter: classmethod | staticmethod) -> None:
        self._getter = getter

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        return self._getter.__get__(obj, type(obj) if cls is None else cls)()


def classproperty(func: Any) -> _ClassProperty:
    """``@classproperty``: a property of the class (the function gets the class)."""
    if not isinstance(func, (classmethod, staticmethod)):
        func = classmethod(func)
    return _ClassProperty(func)


class _DeprecatedClassProperty(_ClassProperty):
    def __init__(self, getter: classmethod | staticmethod, name: Any, version: str,
                 message: str, stacklevel: int) -> None:
        super().__init__(getter)
        self._warning = (name, version, message, stacklevel)

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        name, version, message, stacklevel = self._warning
        if name is None:
            name = self._getter.__func__.__name__
        deprecation_warning(name, version, message, stacklevel)
        return super().__get__(obj, cls)


def deprecatedclassproperty(name: Any = None, version: str = "", message: str = "",
                            stacklevel: int = 2) -> Callable[[Any], _ClassProperty]:
    """``@deprecatedclassproperty(...)``: a ``classproperty`` whose every read warns."""

    def decorator(wrapped: Any) -> _ClassProperty:
        getter = wrapped if isinstance(wrapped, (classmethod, staticmethod)) \
            else classmethod(wrapped)
        return _DeprecatedClassProperty(getter, name, version, message, stacklevel)

    return decorator
