"""``PassBase`` and ``ModelPass``: what every transformation is.

A pass has a name (``get_name``/``set_name``). A ``ModelPass`` works on a whole
``openvino.Model`` in place through ``run_on_model(model)``, which returns whether the
model changed; Python subclasses override it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PassBase", "ModelPass", "BuiltinModelPass"]


class PassBase:
    """openvino.passes.PassBase wraps ov::pass::PassBase"""

    #: the name a pass of this class has until ``set_name`` (OpenVINO's C++ class name for
    #: the built-in passes, ``PyModelPass``/``PyMatcherPass`` for Python subclasses)
    _default_name = "ov::pass::PassBase"

    def __init__(self) -> None:
        self._name: str | None = None

    def get_name(self) -> str:
        """Get transformation name."""
        name = getattr(self, "_name", None)
        return name if name is not None else self._default_name

    def set_name(self, name: str) -> None:
        """Set transformation name."""
        if not isinstance(name, str):
            raise TypeError(f"set_name(): the name must be a str, got {type(name).__name__}")
        self._name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class ModelPass(PassBase):
    """openvino.passes.ModelPass wraps ov::pass::ModelPass"""

    _default_name = "PyModelPass"

    def run_on_model(self, model: Any) -> Any:
        """Transform ``model`` in place; must be defined in an inherited class.

        :return: True in case if Model was changed and False otherwise.
        """
        raise RuntimeError('Tried to call pure virtual function "ov::pass::ModelPass::'
                           'run_on_model"')


class BuiltinModelPass(ModelPass):
    """A transformation of this package: ``transform(model)`` does the work and says
    whether the model changed; ``run_on_model`` returns None, as the real bindings'
    built-in passes do."""

    def transform(self, model: Any) -> bool:
        raise NotImplementedError

    def run_on_model(self, model: Any) -> None:
        """Run the transformation on ``model`` (changed in place)."""
        check_model(model)
        self.transform(model)


def check_model(model: Any) -> None:
    """``TypeError`` unless ``model`` is an ``openvino.Model`` (as the passes' bindings)."""
    from .._model import Model

    if not isinstance(model, Model):
        raise TypeError("Incompatible `model` argument. Please provide a valid "
                        "openvino.Model instance.")
