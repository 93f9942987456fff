"""Run the ONNX backend node tests through ``read_onnx`` and our executor.

The ``onnx`` package generates the cases in-process
(``onnx.backend.test.case.node.collect_testcases``). Cases with plain tensor inputs and
outputs that are not training ops are run; each output is compared as the onnx backend test
runner compares it (same shape and dtype, then ``assert_allclose`` with the case's
rtol/atol). Prints passed/failed per op, the total, and the reason of every failure.

    python tests/onnx/run_backend_suite.py [-k SUBSTRING] [--device reference|TEMPLATE]
                                           [--min-pass N] [--quiet]
"""

from __future__ import annotations

import argparse
import collections
import signal
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

TRAINING_DOMAIN = "ai.onnx.preview.training"


def _is_plain(model: Any) -> bool:
    g = model.graph
    return all(v.type.HasField("tensor_type") for v in list(g.input) + list(g.output))


def _is_training(model: Any) -> bool:
    return any(n.domain == TRAINING_DOMAIN for n in model.graph.node)


def collect_cases(substring: str | None = None) -> list[Any]:
    """The node test cases with plain tensor inputs/outputs, training ops left out."""
    from onnx.backend.test.case.node import collect_testcases

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = collect_testcases()
    out = [c for c in cases if _is_plain(c.model) and not _is_training(c.model)]
    if substring:
        out = [c for c in out if substring in c.name]
    return out


def case_op(case: Any) -> str:
    """The op a case tests: the node type named in the case name (else the last node's)."""
    nodes = case.model.graph.node
    key = case.name.replace("_", "").lower()
    best = ""
    for n in nodes:
        t = n.op_type.lower()
        if t in key and len(t) > len(best):
            best = n.op_type
    return best or (nodes[-1].op_type if len(nodes) else "?")


def _as_array(value: Any) -> np.ndarray:
    """A case's input or expected value as numpy (some cases give ``TensorProto``s, which the
    onnx runner reads back from .pb files)."""
    if hasattr(value, "SerializeToString") and hasattr(value, "data_type"):
        from onnx import numpy_helper

        return numpy_helper.to_array(value)
    return np.asarray(value)


def _feed(model: Any, arrays: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Inputs in evaluation form, typed as the model's graph inputs declare."""
    from openvino._onnx.types import evaluation_array, ov_type

    inits = {i.name for i in model.graph.initializer}
    inputs = [vi for vi in model.graph.input if vi.name not in inits]
    out = []
    for vi, arr in zip(inputs, arrays):
        et = ov_type(vi.type.tensor_type.elem_type)
        out.append(evaluation_array(_as_array(arr), et))
    return out


def _as_onnx_numpy(value: np.ndarray, element_type: Any) -> np.ndarray:
    """Our evaluation-form output as the numpy array an ONNX backend returns for it."""
    from onnx import helper

    from openvino._onnx.types import onnx_type

    code = onnx_type(element_type)
    if code == 0:
        raise AssertionError(f"output element type {element_type} has no ONNX equivalent")
    if code == 8:  # strings
        flat = [v.decode() if isinstance(v, bytes) else v for v in np.asarray(value).ravel()]
        arr = np.empty(len(flat), dtype=object)
        arr[:] = flat
        return arr.reshape(np.shape(value))
    return np.asarray(value).astype(helper.tensor_dtype_to_np_dtype(code))


def compare(outputs: Sequence[np.ndarray], expected: Sequence[np.ndarray], rtol: float,
            atol: float) -> None:
    """The onnx backend test runner's comparison (raises AssertionError)."""
    np.testing.assert_equal(len(outputs), len(expected))
    for i, (out, ref) in enumerate(zip(outputs, expected)):
        np.testing.assert_array_equal(out.shape, ref.shape,
                                      err_msg=f"Output {i} has incorrect shape")
        if ref.dtype == object:
            np.testing.assert_array_equal(out, ref)
            continue
        np.testing.assert_equal(out.dtype, ref.dtype)
        r = rtol
        if out.dtype.name == "bfloat16":
            r = max(rtol, 2 ** -6)
            out, ref = out.astype(np.float32), ref.astype(np.float32)
        np.testing.assert_allclose(out, ref, rtol=r, atol=atol)


class _Runner:
    def __init__(self, device: str) -> None:
        self.device = device
        self.core = None
        if device != "reference":
            import openvino as ov

            self.core = ov.Core()

    def run(self, model: Any, inputs: list[np.ndarray]) -> list[tuple[np.ndarray, Any]]:
        if self.core is None:
            from openvino._reference_executor import ReferencePlan

            outs = ReferencePlan(model).run(inputs)
            types = [o.get_element_type() for o in model.outputs]
            return list(zip(outs, types))
        from openvino._tensor import Tensor

        compiled = self.core.compile_model(model, self.device)
        request = compiled.create_infer_request()
        tensors = [Tensor._from_evaluation(x, p.get_element_type())
                   for x, p in zip(inputs, model.get_parameters())]
        request.infer(tensors)
        result = []
        for i, o in enumerate(compiled.outputs):
            t = request.get_output_tensor(i)
            result.append((t._to_evaluation(), o.get_element_type()))
        return result


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def run_case(case: Any, runner: _Runner, timeout: int = 120) -> tuple[str, str]:
    """``("pass", "")`` or ``(kind, reason)`` with kind one of unmapped/error/mismatch."""
    from openvino._onnx import read_onnx

    inputs, expected = case.data_sets[0]
    expected = [_as_array(e) for e in expected]
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                model = read_onnx(case.model.SerializeToString())
            except Exception as e:
                text = f"{type(e).__name__}: {e}"
                kind = "unmapped" if ("no mapping" in text or "is not available" in text
                                      or "not supported" in text) else "read-error"
                return kind, text
            try:
                outs = runner.run(model, _feed(case.model, inputs))
                converted = [_as_onnx_numpy(v, t) for v, t in outs]
            except Exception as e:
                return "run-error", f"{type(e).__name__}: {e}"
            try:
                compare(converted, expected, case.rtol, case.atol)
            except (AssertionError, ValueError, TypeError) as e:
                lines = [ln for ln in str(e).strip().splitlines() if ln.strip()]
                return "mismatch", " | ".join(lines[:4])
        return "pass", ""
    except _Timeout:
        return "timeout", f"took longer than {timeout} s"
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; returns 0, or 1 when fewer than ``--min-pass`` cases pass."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="substring", default=None,
                        help="run only cases whose name contains this")
    parser.add_argument("--device", default="reference",
                        help="'reference' (the reference executor) or a device name such as "
                             "TEMPLATE")
    parser.add_argument("--min-pass", type=int, default=0,
                        help="exit with status 1 when fewer cases pass")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per case")
    parser.add_argument("--quiet", action="store_true", help="leave out the failure list")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        cases = collect_cases(args.substring)
    except ImportError:
        print("the onnx package is not installed: pip install openvino-core[onnx]")
        return 1
    runner = _Runner(args.device)
    per_op: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    failures: list[tuple[str, str, str, str]] = []
    kinds: collections.Counter = collections.Counter()
    t0 = time.time()
    for case in cases:
        op = case_op(case)
        status, reason = run_case(case, runner, args.timeout)
        if status == "pass":
            per_op[op][0] += 1
        else:
            per_op[op][1] += 1
            failures.append((op, case.name, status, reason))
            kinds[status] += 1
    passed = sum(p for p, _ in per_op.values())
    failed = sum(f for _, f in per_op.values())
    width = max([len(op) for op in per_op] + [2])
    print(f"{'op':<{width}}  passed  failed")
    for op in sorted(per_op):
        p, f = per_op[op]
        print(f"{op:<{width}}  {p:6d}  {f:6d}")
    if not args.quiet and failures:
        print("\nfailures:")
        for op, name, status, reason in failures:
            print(f"  {name} [{op}] {status}: {reason[:300]}")
    print(f"\nfailure kinds: {dict(kinds)}")
    print(f"device: {args.device}; {len(cases)} cases in {time.time() - t0:.1f} s")
    print(f"total: {passed} of {passed + failed} cases passed ({failed} failed)")
    return 1 if passed < args.min_pass else 0


if __name__ == "__main__":
    sys.exit(main())
