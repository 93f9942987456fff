"""``PlanTemplate``: one plan of a dynamic model for every size of its dynamic dimensions.

The plan the compiler builds for one set of input shapes is a list of ``ov_step`` records
whose integers (sizes, strides, byte offsets) are, for the ops the template accepts,
polynomials in the dynamic dimensions (``batch * seq * 384 * 4``, ``seq * seq`` ...), and
whose structure (kinds, buffers, float parameters, post ops, constant arrays) does not
depend on them. A template is fitted from plans compiled at a grid of sizes (degree 1, else 2,
in each dimension, exact integer coefficients) and checked on more sizes; a new size then
costs evaluating the polynomials and laying out the arena again (the layout of the SDK's
``MemoryPlan``, from each storage's size and lifetime), instead of reshaping, preparing and
lowering the graph.

Sizes are grouped in *regimes* (``DynamicDims.regime``): which dynamic dimensions are 1
(broadcasting changes the plan's structure there) and which are equal to each other (the
model may tie them, as batch and sequence of ``input_ids`` and ``attention_mask``); every
regime has its own template, fitted only from sizes of that regime. Anything the fit cannot
explain exactly (a structure that changes, a number that is not such a polynomial, a kernel
whose lowering picks its algorithm by size: convolutions, pooling, Python steps) leaves the
model on the full compile, and every instance is checked as ``Plan.build`` checks a plan
(each operand inside its value and each value inside its buffer) before it runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from openvino.plugin.passes import MemoryPlan, Storage

from .._native import ffi, lib
from .plan import OutputSource, Plan

__all__ = ["DynamicDims", "PlanTemplate", "describe", "TemplateMismatch", "NotPolynomial",
           "DEGREES"]

#: Kernels whose lowering has no size threshold (the step's algorithm, and so the plan's
#: structure, does not depend on the sizes beyond their being 1 or equal).
_KINDS = frozenset(int(getattr(lib, name)) for name in (
    "OV_K_COPY", "OV_K_BINARY", "OV_K_UNARY", "OV_K_GEMM", "OV_K_SOFTMAX", "OV_K_MVN",
    "OV_K_REDUCE", "OV_K_GATHER", "OV_K_CONVERT", "OV_K_CONCAT", "OV_K_SELECT",
    "OV_K_SDPA", "OV_K_FILL", "OV_K_IBINARY"))
#: Constant arrays up to this size are compared by value (the per-plan dummy operands),
#: larger ones must be the same objects (weights from the compiled model's cache).
_SMALL = 64
#: Values the grid of each dynamic dimension takes (per dimension a pool of its own, so
#: that no sample ties two dimensions the regime keeps apart).
_POOLS = ((2, 3, 5, 7), (11, 13, 17, 19), (23, 29, 31, 37), (41, 43, 47, 53))
#: Degrees tried, in order (in each variable: ``batch * seq`` is degree 1, ``seq * seq``
#: degree 2).
DEGREES = (1, 2)
_MAX_VARS = 3
_LIMIT = float(1 << 62)

_STEP = ffi.sizeof("ov_step")
_POST = ffi.sizeof("ov_postop")


def _numeric_slots() -> np.ndarray:
    """int64 indices, within one ``ov_step``, of the numbers a template fits: operand
    offsets, integer parameters, post-op strides."""
    out = [ffi.offsetof("ov_step", "off") + 8 * j for j in range(lib.OV_MAX_BUFS)]
    out += [ffi.offsetof("ov_step", "p") + 8 * k for k in range(lib.OV_MAX_PARAMS)]
    post = ffi.offsetof("ov_step", "post")
    for i in range(lib.OV_MAX_POST):
        out += [post + i * _POST + ffi.offsetof("ov_postop", f)
                for f in ("ld_m", "ld_n", "bstride")]
    if _STEP % 8 or any(o % 8 for o in out):
        raise RuntimeError("ov_step's 64-bit fields are not 8-byte aligned")
    return np.array([o // 8 for o in out], dtype=np.intp)


_SLOTS = _numeric_slots()
_NSLOTS = len(_SLOTS)


class TemplateMismatch(Exception):
    """A plan that no template can describe, or one that differs from the others."""


class NotPolynomial(TemplateMismatch):
    """Numbers of the plans that no polynomial of the degree tried explains."""


@dataclass
class Description:
    """A plan reduced to its structure (equal for every size of a regime) and its numbers
    (one int64 vector, in the order ``PlanTemplate`` splits it)."""

    structure: tuple
    records: np.ndarray          # the records' bytes with the numbers zeroed
    numbers: np.ndarray
    plan: Plan


def describe(plan: Plan) -> Description:
    """The structure and numbers of ``plan``; ``TemplateMismatch`` when it has a step no
    template may carry."""
    lay = plan.layout
    if lay is None or plan.callbacks or plan.graph is None:
        raise TemplateMismatch("the plan runs Python steps or has no layout")
    n = plan.nsteps
    raw = np.frombuffer(ffi.buffer(plan.records, n * _STEP), dtype=np.uint8).copy()
    raw = raw.reshape(n, _STEP)
    kinds = raw[:, :4].copy().view(np.int32).reshape(-1)
    bad = sorted({int(k) for k in kinds} - _KINDS)
    if bad:
        raise TemplateMismatch(f"the plan has steps of kinds {bad}")
    i64 = raw.view(np.int64)
    rec = i64[:, _SLOTS].copy()
    i64[:, _SLOTS] = 0
    op_struct = []
    op_nums = []
    for i, ops in enumerate(lay.operands):
        for j, (where, index, base, off, lo, hi, limit) in enumerate(ops):
            op_struct.append((i, j, where, index))
            op_nums.extend((base, lo, hi, limit))
            rec[i, j] = base + off  # an arena operand: from its storage's start
    top_struct = tuple((first, last, pinned) for _, first, last, pinned in lay.tops)
    top_nums = [size for size, _, _, _ in lay.tops]
    out_struct = []
    out_nums = []
    for (where, index, offset), src in zip(lay.outputs, plan.outputs):
        out_struct.append((where, index, src.slot, src.type.get_type_name(), src.dtype.str,
                           len(src.shape)))
        out_nums.extend((offset, *src.shape))
    consts = tuple(("v", a.dtype.str, a.shape, a.tobytes()) if a.nbytes <= _SMALL
                   else ("id", id(a)) for a in plan.const_arrays)
    structure = (n, lay.align, plan.n_inputs, tuple(op_struct), top_struct,
                 tuple(out_struct), consts,
                 tuple((s.name, s.type, s.exec_type) for s in plan.info),
                 tuple(t.get_type_name() for t in plan.input_types))
    numbers = np.concatenate([rec.reshape(-1), np.array(op_nums, dtype=np.int64),
                              np.array(top_nums, dtype=np.int64),
                              np.array(out_nums, dtype=np.int64)])
    return Description(structure, raw, numbers, plan)


class DynamicDims:
    """The dynamic dimensions of a model's inputs, and the regime of a set of shapes."""

    def __init__(self, partial_shapes: list[Any]) -> None:
        self.ok = all(ps.rank.is_static for ps in partial_shapes)
        self.ranks: list[int] = []
        self.static: list[tuple[int, int, int]] = []      # (input, axis, length)
        self.positions: list[tuple[int, int, int, int]] = []  # (input, axis, lo, hi)
        if not self.ok:
            return
        for i, ps in enumerate(partial_shapes):
            self.ranks.append(len(ps))
            for a, d in enumerate(ps):
                if d.is_static:
                    self.static.append((i, a, d.get_length()))
                else:
                    self.positions.append((i, a, d.get_min_length(), d.get_max_length()))

    def regime(self, shapes: tuple[tuple[int, ...], ...]
               ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """``(key, values)``: per dynamic dimension the index of its variable, or -1 where
        it is 1; and the value of each variable. None for shapes a template does not
        serve (another rank, a static dimension changed, a dimension 0 or out of bounds)."""
        if not self.ok or not self.positions or len(shapes) != len(self.ranks):
            return None
        if any(len(s) != r for s, r in zip(shapes, self.ranks)):
            return None
        if any(shapes[i][a] != n for i, a, n in self.static):
            return None
        key = []
        values: list[int] = []
        for i, a, lo, hi in self.positions:
            d = shapes[i][a]
            if d < 1 or d < lo or (hi >= 0 and d > hi):
                return None
            if d == 1:
                key.append(-1)
                continue
            if d not in values:
                values.append(d)
            key.append(values.index(d))
        if not values or len(values) > _MAX_VARS:
            return None
        return tuple(key), tuple(values)

    def shapes(self, key: tuple[int, ...], values: tuple[int, ...]
               ) -> tuple[tuple[int, ...], ...]:
        out = [[0] * r for r in self.ranks]
        for i, a, n in self.static:
            out[i][a] = n
        for (i, a, _, _), k in zip(self.positions, key):
            out[i][a] = 1 if k < 0 else values[k]
        return tuple(tuple(s) for s in out)

    def guess(self) -> list[tuple[int, ...]]:
        """Regimes to build templates for before any size is known: the dimensions of
        one axis tied across inputs (batch and sequence of ``input_ids`` and
        ``attention_mask``), then every dimension free; none of them 1."""
        out = []
        by_axis: dict[int, int] = {}
        tied = tuple(by_axis.setdefault(a, len(by_axis)) for _, a, _, _ in self.positions)
        free = tuple(range(len(self.positions)))
        for key in (tied, free):
            if self.positions and max(key) < _MAX_VARS and key not in out:
                out.append(key)
        return out

    def samples(self, key: tuple[int, ...], degree: int) -> list[tuple[int, ...]] | None:
        """The sizes to compile for ``key``'s template of ``degree``: the grid
        (``degree + 1`` values per variable, in ``PlanTemplate``'s order), then a check
        with every variable at one more value (a term of a higher degree in any of them
        shows there). None when the bounds leave too few values."""
        nvars = max(key) + 1
        picks = []
        for k in range(nvars):
            lo, hi = 2, None
            for (_, _, plo, phi), kk in zip(self.positions, key):
                if kk == k:
                    lo = max(lo, plo)
                    hi = phi if hi is None or (0 <= phi < hi) else hi
            pool = [v for v in _POOLS[k] if v >= lo and (hi is None or hi < 0 or v <= hi)]
            if len(pool) < degree + 2:
                return None
            picks.append(pool[:degree + 2])
        grid = list(itertools.product(*(p[:degree + 1] for p in picks)))
        return grid + [tuple(p[degree + 1] for p in picks)]


def _exponents(nvars: int, degree: int) -> list[tuple[int, ...]]:
    return list(itertools.product(range(degree + 1), repeat=nvars))


def _monomials(values: tuple[int, ...], exps: list[tuple[int, ...]]) -> np.ndarray | None:
    """The monomials of ``values`` (int64); None when one is beyond 62 bits."""
    out = []
    for e in exps:
        t = 1
        for v, k in zip(values, e):
            t *= int(v) ** k
        if abs(t) >= 1 << 62:
            return None
        out.append(t)
    return np.array(out, dtype=np.int64)


def _exact_inverse(rows: list[list[int]]) -> tuple[np.ndarray, int]:
    """``(inv * d, d)`` with integer entries: the exact inverse of a square integer
    matrix."""
    n = len(rows)
    a = [[Fraction(x) for x in r] + [Fraction(int(i == j)) for j in range(n)]
         for i, r in enumerate(rows)]
    for c in range(n):
        piv = next(r for r in range(c, n) if a[r][c] != 0)
        a[c], a[piv] = a[piv], a[c]
        pv = a[c][c]
        a[c] = [x / pv for x in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [x - f * y for x, y in zip(a[r], a[c])]
    inv = [row[n:] for row in a]
    d = 1
    for row in inv:
        for x in row:
            d = d * x.denominator // np.gcd(d, x.denominator)
    return np.array([[int(x * d) for x in row] for row in inv], dtype=np.int64), d


class PlanTemplate:
    """Fitted from descriptions of plans of one regime (``fit``); ``instantiate`` makes the
    plan for other values of the regime's variables."""

    def __init__(self, exemplar: Description, coeffs: np.ndarray, nvars: int,
                 dims: DynamicDims, key: tuple[int, ...], degree: int) -> None:
        plan = exemplar.plan
        lay = plan.layout
        self.dims, self.key, self.nvars, self.degree = dims, key, nvars, degree
        self.exps = _exponents(nvars, degree)
        self.coeffs = coeffs
        self.bound = np.abs(coeffs).max(axis=1).astype(np.float64)
        self.records = exemplar.records
        self.nsteps = plan.nsteps
        self.align = lay.align
        self.const_arrays = plan.const_arrays
        self.n_inputs = plan.n_inputs
        self.input_types = plan.input_types
        self.info = plan.info
        self.tops = lay.tops
        # where the vector of numbers splits (see ``describe``)
        self.n_rec = plan.nsteps * _NSLOTS
        ops = [(i, j, w, x) for i, o in enumerate(lay.operands)
               for j, (w, x, *_rest) in enumerate(o)]
        self.n_ops = len(ops)
        arr = np.array(ops, dtype=np.int64).reshape(-1, 4)
        self.op_flat = arr[:, 0] * _NSLOTS + arr[:, 1]
        self.op_where, self.op_index = arr[:, 2], arr[:, 3]
        nconst = [a.nbytes for a in plan.const_arrays]
        self.const_bytes = np.array([0] * (1 + plan.n_inputs) + nconst, dtype=np.int64)
        self.outputs = [(w, x, src) for (w, x, _), src in zip(lay.outputs, plan.outputs)]

    # --- fitting -------------------------------------------------------------------------
    @staticmethod
    def same_structure(a: Description, b: Description) -> None:
        """``TemplateMismatch`` unless ``a`` and ``b`` differ in their numbers only."""
        if a.structure != b.structure or a.numbers.shape != b.numbers.shape:
            raise TemplateMismatch("the plan's structure changes with the sizes")
        if not np.array_equal(a.records, b.records):
            raise TemplateMismatch("the plan's records change with the sizes")

    @classmethod
    def fit(cls, dims: DynamicDims, key: tuple[int, ...],
            samples: list[tuple[tuple[int, ...], Description]], degree: int,
            exemplar: Description | None = None) -> PlanTemplate:
        """The template of ``key`` from ``samples`` (values, description): the first
        ``(degree + 1) ** nvars`` are ``DynamicDims.samples``' grid, the rest checks.
        ``TemplateMismatch`` when they do not agree on a structure and exact polynomials
        of ``degree`` in each variable. ``exemplar`` (default: the last sample) lends its
        records, constants and step descriptions to every instance."""
        nvars = max(key) + 1
        exps = _exponents(nvars, degree)
        ngrid = len(exps)
        if len(samples) <= ngrid:
            raise TemplateMismatch("too few samples")
        first = samples[0][1]
        for _, d in samples[1:]:
            cls.same_structure(first, d)
        vinv, den = _exact_inverse([[int(x) for x in _monomials(v, exps)]  # type: ignore
                                    for v, _ in samples[:ngrid]])
        y = np.stack([d.numbers for _, d in samples[:ngrid]])
        peak = float(np.abs(vinv).sum(axis=1).max()) * float(np.abs(y).max(initial=0))
        if peak >= _LIMIT:
            raise TemplateMismatch("numbers too large to fit exactly")
        scaled = vinv @ y
        if np.any(scaled % den):
            raise NotPolynomial("a number is no polynomial with integer coefficients")
        coeffs = scaled // den
        for v, d in samples:
            got = _monomials(v, exps) @ coeffs
            if not np.array_equal(got, d.numbers):
                raise NotPolynomial(f"a number is no polynomial of degree {degree} "
                                    f"(sizes {v})")
        return cls(exemplar or samples[-1][1], coeffs, nvars, dims, key, degree)

    # --- instances -----------------------------------------------------------------------
    def instantiate(self, shapes: tuple[tuple[int, ...], ...],
                    values: tuple[int, ...]) -> Plan | None:
        """The plan for ``shapes`` (of this template's regime, variables ``values``); None
        when the numbers would not fit in 64 bits or a check fails (the caller compiles
        the plan in full)."""
        mono = _monomials(values, self.exps)
        if mono is None or float(np.abs(mono).astype(np.float64) @ self.bound) >= _LIMIT:
            return None
        nums = mono @ self.coeffs
        rec = nums[:self.n_rec].reshape(self.nsteps, _NSLOTS)
        at = self.n_rec
        opn = nums[at:at + 4 * self.n_ops].reshape(-1, 4)
        at += 4 * self.n_ops
        sizes = nums[at:at + len(self.tops)]
        at += len(self.tops)
        outn = nums[at:]
        if np.any(sizes < 0):
            return None
        mem = MemoryPlan(self.align)
        for size, (_, first, last, pinned) in zip(sizes.tolist(), self.tops):
            s = Storage("arena", size)
            s.first, s.last, s.pinned = first, last, pinned
            mem.storages.append(s)
        arena_size = mem.layout(self.nsteps)
        top_off = np.array([s.arena_offset for s in mem.storages] or [0], dtype=np.int64)
        # every operand inside its value, every value inside its buffer
        base, lo, hi, limit = opn.T
        where, index = self.op_where, self.op_index
        buf = np.empty(self.n_ops, dtype=np.int64)
        arena = where == 0
        buf[arena] = sizes[index[arena]]
        param = where == 1
        psize = np.array([int(np.prod(s, dtype=np.int64)) * t.evaluation_dtype.itemsize
                          for s, t in zip(shapes, self.input_types)], dtype=np.int64)
        buf[param] = psize[index[param]]
        const = where == 2
        buf[const] = self.const_bytes[index[const]]
        if np.any((base < 0) | (limit < 0) | (base + limit > buf)):
            return None
        ranged = hi > lo
        if np.any(ranged & ((lo < 0) | (hi > limit))):
            return None
        flat = rec.reshape(-1)
        flat[self.op_flat[arena]] += top_off[index[arena]]
        raw = self.records.copy()
        raw.view(np.int64)[:, _SLOTS] = rec
        records = ffi.new("ov_step[]", max(self.nsteps, 1))
        ffi.memmove(records, raw, raw.nbytes)
        plan = Plan()
        plan.records = records
        plan.nsteps = self.nsteps
        plan.arena_size = arena_size
        plan.const_arrays = self.const_arrays
        plan.n_inputs = self.n_inputs
        plan.input_shapes = [tuple(s) for s in shapes]
        plan.input_types = self.input_types
        plan.info = self.info
        plan.from_template = True
        at = 0
        for w, x, src in self.outputs:
            offset = int(outn[at])
            shape = tuple(int(d) for d in outn[at + 1:at + 1 + len(src.shape)])
            at += 1 + len(src.shape)
            nbytes = int(np.prod(shape, dtype=np.int64)) * src.dtype.itemsize
            room = (int(sizes[x]) if w == 0 else int(psize[x]) if w == 1
                    else int(self.const_bytes[x]))
            if offset < 0 or min(shape, default=0) < 0 or offset + nbytes > room:
                return None
            if w == 0:
                offset += int(top_off[x])
            plan.outputs.append(OutputSource(src.slot, offset, src.type, shape, src.dtype))
        return plan
