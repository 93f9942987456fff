"""Einsum (opset7): Einstein summation over one or more inputs of one numeric type.

The equation uses letters (``a-z``, ``A-Z``) as labels and ``...`` for broadcast batch
dimensions, e.g. ``"ab,bc->ac"``, ``"...ij,...jk->...ik"``, ``"ii->i"``. Without ``->`` the
output is the ellipsis (if any) followed by the labels that occur once, in alphabetical
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._attributes import Attr
from .._node import Node
from .._opsets import factory
from .._shape import Dimension, PartialShape
from .._type import Type
from ._infer import broadcast_shapes, merge_types
from .convolution import accumulation_dtype

__all__ = ["Einsum"]

ELLIPSIS = "..."


def _split_labels(node: Node, term: str) -> list[str]:
    """A subscript term as a list of labels, ``...`` being one label."""
    labels: list[str] = []
    i = 0
    while i < len(term):
        if term.startswith(ELLIPSIS, i):
            node.check(ELLIPSIS not in labels,
                       f"Einsum equation has more than one ellipsis in '{term}'")
            labels.append(ELLIPSIS)
            i += 3
            continue
        ch = term[i]
        node.check(ch.isascii() and ch.isalpha(),
                   f"Einsum equation has an invalid label '{ch}' in '{term}'")
        labels.append(ch)
        i += 1
    return labels


def parse_equation(node: Node, equation: str) -> tuple[list[list[str]], list[str]]:
    """(labels of each input, labels of the output) with the implicit output made
    explicit."""
    eq = "".join(equation.split())
    node.check(eq.count("->") <= 1, f"Einsum equation '{equation}' has more than one '->'")
    lhs, arrow, rhs = eq.partition("->")
    inputs = [_split_labels(node, t) for t in lhs.split(",")]
    if arrow:
        output = _split_labels(node, rhs)
        node.check(len(set(output)) == len(output),
                   f"Einsum output subscript '{rhs}' has a repeated label")
        seen = {lab for term in inputs for lab in term}
        for lab in output:
            node.check(lab in seen, f"Einsum output label '{lab}' does not occur in any input "
                                    f"of '{equation}'")
        if ELLIPSIS in seen:
            node.check(ELLIPSIS in output,
                       f"Einsum output subscript '{rhs}' must contain an ellipsis because an "
                       f"input does")
    else:
        counts: dict[str, int] = {}
        for term in inputs:
            for lab in term:
                counts[lab] = counts.get(lab, 0) + 1
        output = sorted(lab for lab, c in counts.items() if c == 1 and lab != ELLIPSIS)
        if ELLIPSIS in counts:
            output = [ELLIPSIS] + output
    return inputs, output


def _to_text(labels: Sequence[str]) -> str:
    return "".join(labels)


def einsum_shape(node: Node, inputs: list[list[str]], output: list[str],
                 shapes: Sequence[PartialShape]) -> PartialShape:
    """Output shape of an einsum over inputs of ``shapes``."""
    label_dims: dict[str, Dimension] = {}
    ellipsis = PartialShape([])
    ellipsis_known = True
    for term, ps in zip(inputs, shapes):
        if ps.rank.is_dynamic:
            if ELLIPSIS in term:
                ellipsis_known = False
            continue
        dims = list(ps)
        named = [lab for lab in term if lab != ELLIPSIS]
        if ELLIPSIS in term:
            node.check(len(dims) >= len(named),
                       f"Einsum input of shape {ps} has fewer dimensions than labels in "
                       f"'{_to_text(term)}'")
            pos = term.index(ELLIPSIS)
            n_ell = len(dims) - len(named)
            ell = PartialShape(dims[pos:pos + n_ell])
            ellipsis = broadcast_shapes(node, ellipsis, ell)
            dims = dims[:pos] + dims[pos + n_ell:]
        else:
            node.check(len(dims) == len(named),
                       f"Einsum input rank {len(dims)} does not match the subscript "
                       f"'{_to_text(term)}'")
        for lab, d in zip(named, dims):
            cur = label_dims.get(lab)
            if cur is None:
                label_dims[lab] = Dimension(d)
                continue
            merged = cur.merge(d)
            node.check(merged is not None,
                       f"Einsum label '{lab}' has incompatible dimensions {cur} and {d}")
            label_dims[lab] = merged
    out: list[Dimension] = []
    for lab in output:
        if lab == ELLIPSIS:
            if not ellipsis_known:
                return PartialShape.dynamic()
            out.extend(ellipsis)
        else:
            out.append(label_dims.get(lab, Dimension()))
    return PartialShape(out)


class Einsum(Node):
    """Einstein summation of the inputs by ``equation``."""

    type_name = "Einsum"
    version = "opset7"
    attributes = {"equation": Attr.str()}

    def validate_and_infer_types(self) -> None:
        self.check(len(self._inputs) >= 1, "Einsum takes at least one input")
        equation = self._attrs["equation"]
        inputs, output = parse_equation(self, equation)
        self.check(len(inputs) == len(self._inputs),
                   f"Einsum equation '{equation}' has {len(inputs)} input subscripts but "
                   f"{len(self._inputs)} inputs were given")
        et = merge_types(self, *(self.get_input_element_type(i)
                                 for i in range(len(self._inputs))))
        self.check(et.is_dynamic() or (et is not Type.boolean and et is not Type.string),
                   f"Einsum expects a numeric element type, got {et.get_type_name()}")
        shape = einsum_shape(self, inputs, output,
                             [self.get_input_partial_shape(i) for i in range(len(self._inputs))])
        self.set_output_type(0, et, shape)

    def reference(self, *operands: np.ndarray) -> np.ndarray:
        inputs, output = parse_equation(self, self._attrs["equation"])
        eq = ",".join(_to_text(t) for t in inputs) + "->" + _to_text(output)
        dtype = operands[0].dtype
        acc = accumulation_dtype(dtype)
        out = np.einsum(eq, *(o.astype(acc, copy=False) for o in operands), optimize=True)
        return np.asarray(out).astype(dtype, copy=False)


@factory("einsum", since=7)
def einsum(inputs: list[Any], equation: str, name: str | None = None) -> Einsum:
    """Einstein summation of ``inputs`` described by ``equation`` (``"ab,bc->ac"``)."""
    return Einsum(*inputs, equation=equation, name=name)
