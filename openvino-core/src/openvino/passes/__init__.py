"""``openvino.passes``: graph transformations over an ``openvino.Model``.

A ``Manager`` runs registered passes in order. A pass is a ``ModelPass`` (Python
subclasses override ``run_on_model``), a ``MatcherPass`` (a ``Matcher`` pattern built of
ops and the pattern nodes ``WrapType``/``AnyInput``/``Or``/``Optional``, with a callback
that rewrites each match) or a ``GraphRewrite`` running several matcher passes in one
walk. The built-in passes: ``ConstantFolding``, ``Serialize``, ``ConvertFP32ToFP16``,
``MakeStateful``, ``LowLatency2`` and ``VisualizeTree``.
"""

from openvino.passes.constant_folding import ConstantFolding
from openvino.passes.graph_rewrite import BackwardGraphRewrite, GraphRewrite
from openvino.passes.manager import Manager
from openvino.passes.matcher import Matcher, MatcherPass
from openvino.passes.pass_base import ModelPass, PassBase
from openvino.passes.pattern import AnyInput, Optional, Or, WrapType
from openvino.passes.predicate import (
    Predicate,
    attrs_match,
    consumers_count,
    has_static_dim,
    has_static_dims,
    has_static_rank,
    has_static_shape,
    rank_equals,
    shape_matches,
    type_matches,
    type_matches_any,
)
from openvino.passes.serialize import Serialize, Version

__all__ = [
    "AnyInput", "BackwardGraphRewrite", "ConstantFolding", "GraphRewrite", "Manager",
    "Matcher", "MatcherPass", "ModelPass", "Optional", "Or", "PassBase", "Predicate",
    "Serialize", "Version", "WrapType", "attrs_match", "consumers_count", "has_static_dim",
    "has_static_dims", "has_static_rank", "has_static_shape", "rank_equals",
    "shape_matches", "type_matches", "type_matches_any",
]
