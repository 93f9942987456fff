"""``Predicate``: an extra check a pattern node makes on the graph value it is offered,
and the ready-made ones (``consumers_count``, ``has_static_shape``, ``type_matches``,
``shape_matches`` ...).

A predicate is called with the matched ``Output``; one made from a function of two
arguments is called with ``(symbols, output)``, where ``symbols`` is the matcher's map of
shape symbols (``shape_matches`` binds names in it; ``Matcher.get_symbols`` returns it).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any

from .._shape import Dimension
from .._type import Type

__all__ = ["Predicate", "as_predicate", "attrs_match", "consumers_count", "has_static_dim",
           "has_static_dims", "has_static_rank", "has_static_shape", "rank_equals",
           "shape_matches", "type_matches", "type_matches_any"]


class Predicate:
    """openvino.passes.Predicate wraps ov::pass::pattern::op::Predicate"""

    def __init__(self, predicate: Callable[..., bool] | None = None) -> None:
        if predicate is not None and not callable(predicate):
            raise TypeError("Predicate(): expected a function (Output -> bool), got "
                            f"{type(predicate).__name__}")
        self._fn = predicate
        self._with_symbols = predicate is not None and _positional_arity(predicate) == 2

    def __call__(self, symbols: dict[str, Any], output: Any) -> bool:
        if self._fn is None:
            return True
        if self._with_symbols:
            return bool(self._fn(symbols, output))
        return bool(self._fn(output))


def _positional_arity(fn: Callable[..., Any]) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(1 for p in params if p.default is p.empty
               and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def as_predicate(value: Any) -> Predicate:
    """A ``Predicate`` from a ``Predicate``, a function, or None (always true)."""
    if isinstance(value, Predicate):
        return value
    return Predicate(value)


def consumers_count(n: int) -> Predicate:
    """True for an output feeding exactly ``n`` inputs."""
    n = int(n)
    return Predicate(lambda out: len(out.get_target_inputs()) == n)


def has_static_dim(pos: int) -> Predicate:
    """True where the rank is static, above ``pos``, and dimension ``pos`` is static."""
    pos = int(pos)
    return Predicate(lambda out: _static_dims(out.get_partial_shape(), [pos]))


def has_static_dims(dims: Sequence[int]) -> Predicate:
    """True where every dimension listed in ``dims`` is static."""
    positions = [int(d) for d in dims]
    return Predicate(lambda out: _static_dims(out.get_partial_shape(), positions))


def _static_dims(shape: Any, positions: list[int]) -> bool:
    if shape.rank.is_dynamic:
        return False
    rank = shape.rank.get_length()
    return all(0 <= p < rank and shape[p].is_static for p in positions)


def has_static_shape() -> Predicate:
    """True for an output of static shape."""
    return Predicate(lambda out: out.get_partial_shape().is_static)


def has_static_rank() -> Predicate:
    """True for an output of static rank."""
    return Predicate(lambda out: out.get_partial_shape().rank.is_static)


def rank_equals(rank: Dimension | int) -> Predicate:
    """True for an output whose rank equals ``rank`` (a ``Dimension``)."""
    expected = rank if isinstance(rank, Dimension) else Dimension(int(rank))
    return Predicate(lambda out: out.get_partial_shape().rank == expected)


def type_matches(element_type: Type) -> Predicate:
    """True for an output of element type ``element_type``."""
    et = _as_type(element_type)
    return Predicate(lambda out: out.get_element_type() == et)


def type_matches_any(element_types: Sequence[Type]) -> Predicate:
    """True for an output whose element type is one of ``element_types``."""
    types = [_as_type(t) for t in element_types]
    return Predicate(lambda out: any(out.get_element_type() == t for t in types))


def _as_type(value: Any) -> Type:
    if isinstance(value, Type):
        return value
    raise TypeError(f"expected an openvino.Type, got {type(value).__name__}")


def attrs_match(attributes: dict[str, Any]) -> Predicate:
    """True for an output of a node whose attributes include every ``name: value`` given
    (values compared with their types: ``1`` does not match ``1.0`` or ``"1"``)."""
    if not isinstance(attributes, dict):
        raise TypeError("attrs_match(): expected a dict of attribute names and values, got "
                        f"{type(attributes).__name__}")
    wanted = dict(attributes)

    def check(out: Any) -> bool:
        have = out.get_node().get_attributes()
        for key, value in wanted.items():
            if key not in have or not _same_value(have[key], value):
                return False
        return True

    return Predicate(check)


def _same_value(have: Any, want: Any) -> bool:
    if isinstance(have, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(have) == len(want) and all(_same_value(a, b) for a, b in zip(have, want))
    kind = _kind(have)
    if kind != _kind(want):
        return False
    try:
        return bool(have == want)
    except (TypeError, ValueError):
        return False


def _kind(value: Any) -> str:
    from openvino._attribute_visitor import _scalar_kind

    return _scalar_kind(value) or type(value).__name__


# --- shape_matches -------------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def shape_matches(pattern: str) -> Predicate:
    """True for an output whose shape matches ``pattern``: ``"[N,C,?,W]"`` where a number
    is that static dimension, ``?`` any dimension, a name binds the dimension (its value,
    or its ``Symbol`` when dynamic) and must bind the same one wherever it appears, and one
    ``Name...`` (or ``...``) stands for any number of dimensions (bound as a list)."""
    items = _parse_shape_pattern(pattern)

    def check(symbols: dict[str, Any], out: Any) -> bool:
        shape = out.get_partial_shape()
        if shape.rank.is_dynamic:
            return False
        dims = [shape[i] for i in range(shape.rank.get_length())]
        bound = _match_dims(items, dims, dict(symbols))
        if bound is None:
            return False
        symbols.update(bound)
        return True

    return Predicate(check)


def _parse_shape_pattern(pattern: str) -> list[tuple[str, Any]]:
    text = str(pattern).strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise RuntimeError(f"shape_matches(): pattern '{pattern}' must be written as "
                           "[d0,d1,...]")
    body = text[1:-1].strip()
    items: list[tuple[str, Any]] = []
    if not body:
        return items
    variadic = 0
    for raw in body.split(","):
        item = raw.strip()
        if item == "?":
            items.append(("any", None))
        elif item.endswith("..."):
            name = item[:-3]
            if name and not _NAME.match(name):
                raise RuntimeError(f"shape_matches(): bad name '{name}' in '{pattern}'")
            variadic += 1
            items.append(("many", name or None))
        elif re.fullmatch(r"-?\d+", item):
            items.append(("value", int(item)))
        elif _NAME.match(item):
            items.append(("name", item))
        else:
            raise RuntimeError(f"shape_matches(): cannot read '{item}' in '{pattern}'")
    if variadic > 1:
        raise RuntimeError(f"shape_matches(): '{pattern}' has more than one '...' group")
    return items


def _dim_value(dim: Dimension) -> Any:
    if dim.is_static:
        return dim.get_length()
    return dim.get_symbol() if dim.has_symbol() else None


def _bind(bound: dict[str, Any], name: str, value: Any) -> bool:
    if value is None:
        return False
    if name in bound:
        return _same_bound(bound[name], value)
    bound[name] = value
    return True


def _same_bound(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(_same_bound(x, y) for x, y in zip(a, b)))
    if isinstance(a, int) != isinstance(b, int):
        return False
    return a == b


def _match_dims(items: list[tuple[str, Any]], dims: list[Dimension],
                bound: dict[str, Any]) -> dict[str, Any] | None:
    many = [i for i, (kind, _) in enumerate(items) if kind == "many"]
    if many:
        k = many[0]
        head, tail = items[:k], items[k + 1:]
        if len(dims) < len(head) + len(tail):
            return None
        middle = dims[len(head):len(dims) - len(tail)]
        pairs = list(zip(head, dims[:len(head)])) + list(zip(tail, dims[len(dims) - len(tail):]))
        name = items[k][1]
        if name is not None:
            values = [_dim_value(d) for d in middle]
            if any(v is None for v in values) or not _bind(bound, name, values):
                return None
    else:
        if len(items) != len(dims):
            return None
        pairs = list(zip(items, dims))
    for (kind, arg), dim in pairs:
        if kind == "any":
            continue
        if kind == "value":
            if not (dim.is_static and dim.get_length() == arg):
                return None
        elif not _bind(bound, arg, _dim_value(dim)):
            return None
    return bound
