"""``Manager``: runs registered passes over a model, in registration order."""

from __future__ import annotations

from typing import Any

from .pass_base import BuiltinModelPass, ModelPass, PassBase, check_model

__all__ = ["Manager"]


class Manager:
    """Manager that additionally holds transformations objects."""

    def __init__(self) -> None:
        self.passes_list: list[PassBase] = []
        self._per_pass_validation = True

    def register_pass(self, transformation: PassBase) -> PassBase:
        """Register pass instance for execution. Execution order matches the registration
        order; returns the pass."""
        if not isinstance(transformation, PassBase):
            what = (f"the class {transformation.__name__} (pass an instance: "
                    f"{transformation.__name__}())" if isinstance(transformation, type)
                    else repr(transformation))
            raise TypeError("register_pass(): incompatible function arguments: expected an "
                            f"openvino.passes.PassBase instance, got {what}")
        self.passes_list.append(transformation)
        return transformation

    def set_per_pass_validation(self, new_state: bool) -> None:
        """Enables or disables Model validation (type and shape inference of every node)
        after each pass that changed the model."""
        self._per_pass_validation = bool(new_state)

    def run_passes(self, model: Any) -> None:
        """Executes sequence of transformations on given Model."""
        check_model(model)
        for transformation in self.passes_list:
            changed = run_pass(transformation, model)
            if changed and self._per_pass_validation:
                model.validate_nodes_and_infer_types()

    def __repr__(self) -> str:
        return "<Manager>"


def run_pass(transformation: PassBase, model: Any) -> bool:
    """Run one pass on ``model``; whether it reports a change. A ``MatcherPass`` runs over
    every node of the model as a one-matcher ``GraphRewrite``."""
    from .graph_rewrite import GraphRewrite
    from .matcher import MatcherPass

    if isinstance(transformation, MatcherPass):
        return bool(GraphRewrite(transformation).transform(model))
    if isinstance(transformation, BuiltinModelPass):
        return bool(transformation.transform(model))
    if isinstance(transformation, ModelPass):
        return bool(transformation.run_on_model(model))
    raise TypeError(f"{transformation.get_name()} is neither a ModelPass nor a MatcherPass")
