"""Writes a small model corpus with the real OpenVINO (``pip install openvino``).

This file runs as a script under a Python whose ``openvino`` is the real runtime, never
under the package under test (``python -m openvino_testkit.corpus build DIR`` makes such a
Python in a venv of its own and runs this file with it)::

    /path/to/real/venv/bin/python corpus_generator.py DIR [--only NAME ...]

Each case is a folder in the corpus format (``case.json``, ``model.xml``/``model.bin``
written by ``openvino.save_model``, ``inputs.npz``, ``expected.npz`` from the real CPU
plugin with ``INFERENCE_PRECISION_HINT`` f32, outputs keyed by tensor name and ``#index``).
Every case also has a float64 numpy reference: a case whose CPU result is further from it
than its tolerance is not written (the generator fails), and the tolerance of each float
output is 8x the measured difference (at least 1e-6 of the largest value), rounded up to
1/2/5 * 10^k, with rtol 1e-4, as in the shared corpus. Seeds are fixed: the same
OpenVINO writes the same files.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

GENERATOR = "openvino_testkit/corpus_generator.py"
CONFIG = {"INFERENCE_PRECISION_HINT": "f32"}


class Built:
    """One case: the model, its runs' inputs (by input name) and a float64 reference."""

    def __init__(self, model: Any, runs: list[dict[str, np.ndarray]],
                 reference: Callable[..., list[np.ndarray]], description: str,
                 stateful: bool = False) -> None:
        self.model = model
        self.runs = runs
        self.reference = reference
        self.description = description
        self.stateful = stateful


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng(sum(map(ord, name)) * 7919)


def _param(ops: Any, shape: Any, dtype: Any, name: str) -> Any:
    p = ops.parameter(shape, dtype, name=name)
    p.output(0).set_names({name})
    return p


def _result(ops: Any, node: Any, name: str) -> Any:
    out = node.output(0) if hasattr(node, "output") else node
    out.set_names({name})
    return ops.result(out)


# --- the cases ----------------------------------------------------------------------------

def case_add_mul(ov: Any, ops: Any, name: str) -> Built:
    a, b, c = (_param(ops, [2, 3, 4], np.float32, n) for n in "abc")
    y = ops.multiply(ops.add(a, b), c)
    model = ov.Model([_result(ops, y, "y")], [a, b, c], name)
    rng = _rng(name)
    feed = {n: rng.standard_normal((2, 3, 4)).astype(np.float32) for n in "abc"}
    return Built(model, [feed], lambda a, b, c: [(a + b) * c],
                 "Elementwise: y = (a + b) * c, f32[2,3,4].")


def case_matmul_bias_relu(ov: Any, ops: Any, name: str) -> Built:
    rng = _rng(name)
    w = (rng.standard_normal((16, 8)) * 0.25).astype(np.float32)
    bias = (rng.standard_normal(8) * 0.1).astype(np.float32)
    x = _param(ops, [4, 16], np.float32, "x")
    y = ops.relu(ops.add(ops.matmul(x, ops.constant(w), False, False), ops.constant(bias)))
    model = ov.Model([_result(ops, y, "y")], [x], name)
    feed = {"x": rng.standard_normal((4, 16)).astype(np.float32)}
    return Built(model, [feed], lambda x: [np.maximum(x @ w + bias, 0)],
                 "A dense layer: y = Relu(x @ W + b), f32 weights.")


def _conv2d(x: np.ndarray, w: np.ndarray, pad: int) -> np.ndarray:
    n, c, h, width = x.shape
    o, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out_h, out_w = h + 2 * pad - kh + 1, width + 2 * pad - kw + 1
    out = np.zeros((n, o, out_h, out_w))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + out_h, j:j + out_w]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out


def case_conv_relu_pool(ov: Any, ops: Any, name: str) -> Built:
    rng = _rng(name)
    w = (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
    x = _param(ops, [1, 3, 8, 8], np.float32, "image")
    conv = ops.convolution(x, ops.constant(w), [1, 1], [1, 1], [1, 1], [1, 1])
    pool = ops.max_pool(ops.relu(conv), [2, 2], [1, 1], [0, 0], [0, 0], [2, 2])
    model = ov.Model([_result(ops, pool.output(0), "features")], [x], name)

    def reference(image: np.ndarray) -> list[np.ndarray]:
        r = np.maximum(_conv2d(image.astype(np.float64), w.astype(np.float64), 1), 0)
        n, c, h, width = r.shape
        return [r.reshape(n, c, h // 2, 2, width // 2, 2).max(axis=(3, 5))]

    feed = {"image": rng.standard_normal((1, 3, 8, 8)).astype(np.float32)}
    return Built(model, [feed], reference,
                 "Convolution 3x3 (pad 1) -> Relu -> MaxPool 2x2, f32[1,3,8,8].")


def case_softmax_large(ov: Any, ops: Any, name: str) -> Built:
    x = _param(ops, [3, 10], np.float32, "logits")
    model = ov.Model([_result(ops, ops.softmax(x, -1), "probs")], [x], name)
    rng = _rng(name)
    logits = rng.standard_normal((3, 10)).astype(np.float32)
    logits[1] *= 100.0   # large magnitudes: a softmax without the max subtraction overflows
    logits[2] += 80.0

    def reference(logits: np.ndarray) -> list[np.ndarray]:
        z = logits.astype(np.float64)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return [e / e.sum(axis=-1, keepdims=True)]

    return Built(model, [{"logits": logits}], reference,
                 "Softmax over the last axis, rows with logits up to +-250 and shifted by 80.")


def case_movement_i32(ov: Any, ops: Any, name: str) -> Built:
    a = _param(ops, [2, 3, 4], np.int32, "a")
    b = _param(ops, [2, 4, 3], np.int32, "b")
    ta = ops.transpose(a, ops.constant(np.array([0, 2, 1], np.int64)))
    cat = ops.concat([ta, b], 2)
    y = ops.reshape(cat, ops.constant(np.array([4, -1], np.int64)), False)
    model = ov.Model([_result(ops, y, "y")], [a, b], name)
    rng = _rng(name)
    feed = {"a": rng.integers(-100, 100, (2, 3, 4)).astype(np.int32),
            "b": rng.integers(-100, 100, (2, 4, 3)).astype(np.int32)}
    return Built(model, [feed],
                 lambda a, b: [np.concatenate([a.transpose(0, 2, 1), b], 2).reshape(4, -1)],
                 "Transpose, Concat and Reshape of i32 tensors (exact).")


def case_dynamic_batch(ov: Any, ops: Any, name: str) -> Built:
    x = _param(ops, [-1, 5], np.float32, "x")
    y = ops.reduce_sum(ops.sigmoid(x), ops.constant(np.array([1], np.int64)), False)
    model = ov.Model([_result(ops, y, "y")], [x], name)
    rng = _rng(name)
    runs = [{"x": rng.standard_normal((b, 5)).astype(np.float32)} for b in (1, 4, 2)]
    return Built(model, runs, lambda x: [(1 / (1 + np.exp(-x.astype(np.float64)))).sum(1)],
                 "Dynamic batch: y = ReduceSum(Sigmoid(x), axis 1), x f32[?,5], three runs "
                 "with batch 1, 4, 2.")


def case_stateful_accumulate(ov: Any, ops: Any, name: str) -> Built:
    from openvino.op.util import Variable, VariableInfo

    info = VariableInfo()
    info.variable_id = "acc"
    info.data_shape = ov.PartialShape([2, 3])
    info.data_type = ov.Type.f32
    variable = Variable(info)
    x = _param(ops, [2, 3], np.float32, "x")
    init = ops.constant(np.zeros((2, 3), np.float32))
    read = ops.read_value(init, variable)
    total = ops.add(read, x)
    assign = ops.assign(total, variable)
    model = ov.Model(results=[_result(ops, total, "total")], sinks=[assign], parameters=[x],
                     name=name)
    rng = _rng(name)
    runs = [{"x": rng.standard_normal((2, 3)).astype(np.float32)} for _ in range(3)]
    state = {"acc": np.zeros((2, 3))}

    def reference(x: np.ndarray) -> list[np.ndarray]:
        state["acc"] = state["acc"] + x
        return [state["acc"].copy()]

    return Built(model, runs, reference,
                 "Stateful: total = ReadValue(acc) + x; Assign(acc, total); three runs on one "
                 "request after reset_state.", stateful=True)


CASES: dict[str, Callable[[Any, Any, str], Built]] = {
    "tk_add_mul_f32": case_add_mul,
    "tk_matmul_bias_relu": case_matmul_bias_relu,
    "tk_conv_relu_pool": case_conv_relu_pool,
    "tk_softmax_large_logits": case_softmax_large,
    "tk_movement_i32": case_movement_i32,
    "tk_dynamic_batch": case_dynamic_batch,
    "tk_stateful_accumulate": case_stateful_accumulate,
}


# --- writing a case -----------------------------------------------------------------------

def _round_up(value: float) -> float:
    if value <= 0:
        return 0.0
    exp = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        bound = step * 10.0 ** exp
        if bound >= value * (1 - 1e-12):
            return float(f"{bound:.3g}")
    return float(f"{10.0 ** (exp + 1):.3g}")


def _port_info(port: Any, index: int, shapes: list[list[int]]) -> dict[str, Any]:
    et = port.get_element_type()
    return {"name": port.get_any_name(), "names": sorted(port.get_names()),
            "element_type": et.get_type_name(), "partial_shape": str(port.get_partial_shape()),
            "index": index, "shapes": shapes, "dtype": str(np.dtype(et.to_dtype()))}


def write_case(ov: Any, ops: Any, folder: Path, name: str) -> dict[str, Any]:
    built = CASES[name](ov, ops, name)
    folder.mkdir(parents=True, exist_ok=True)
    ov.save_model(built.model, folder / "model.xml", compress_to_fp16=False)
    core = ov.Core()
    model = core.read_model(folder / "model.xml")
    compiled = core.compile_model(model, "CPU", CONFIG)
    request = compiled.create_infer_request()
    if built.stateful:
        request.reset_state()
    inputs: dict[str, np.ndarray] = {}
    expected: dict[str, np.ndarray] = {}
    worst: dict[str, float] = {}
    in_names = [p.get_any_name() for p in model.inputs]
    out_names = [p.get_any_name() for p in model.outputs]
    for k, feed in enumerate(built.runs):
        prefix = "" if k == 0 else f"run{k}:"
        result = request.infer(feed)
        want = built.reference(*[feed[n] for n in in_names])
        for i, n in enumerate(in_names):
            inputs[f"{prefix}{n}"] = inputs[f"{prefix}#{i}"] = feed[n]
        for i, n in enumerate(out_names):
            got = np.asarray(result[compiled.outputs[i]])
            expected[f"{prefix}{n}"] = expected[f"{prefix}#{i}"] = got
            ref = np.asarray(want[i])
            if got.shape != ref.shape:
                raise RuntimeError(f"{name}: output {n} has shape {got.shape}, the numpy "
                                   f"reference {ref.shape}")
            diff = float(np.max(np.abs(got.astype(np.float64) - ref))) if got.size else 0.0
            worst[n] = max(worst.get(n, 0.0), diff)
    variables = []
    if built.stateful:
        for state in request.query_state():
            variables.append(state.name)
            expected[f"state:{state.name}"] = np.array(state.state.data)
    outputs = []
    for i, port in enumerate(model.outputs):
        n = port.get_any_name()
        info = _port_info(port, i, [list(expected[("" if k == 0 else f"run{k}:") + n].shape)
                                    for k in range(len(built.runs))])
        if port.get_element_type().is_real():
            largest = max(float(np.max(np.abs(expected[key]))) if expected[key].size else 0.0
                          for key in expected if key.split(":")[-1] == n)
            atol = _round_up(max(8 * worst[n], 1e-6 * largest, 1e-7))
            info["tolerance"] = {"atol": atol, "rtol": 1e-4}
            info["tolerance_low_precision"] = {"atol": _round_up(max(atol * 10, 1e-3 * largest)),
                                               "rtol": 2e-2}
            if worst[n] > atol:
                raise RuntimeError(f"{name}: output {n} is {worst[n]} from the reference")
        else:
            if worst[n] != 0:
                raise RuntimeError(f"{name}: exact output {n} differs from the reference")
            info["tolerance"] = {"exact": True}
        outputs.append(info)
    inputs_meta = [_port_info(p, i, [list(run[p.get_any_name()].shape) for run in built.runs])
                   for i, p in enumerate(model.inputs)]
    np.savez(folder / "inputs.npz", **inputs)
    np.savez(folder / "expected.npz", **expected)
    census: dict[str, int] = {}
    for op in model.get_ordered_ops():
        key = f"{op.get_type_info().version_id}::{op.get_type_name()}"
        census[key] = census.get(key, 0) + 1
    float_tols = [o["tolerance"] for o in outputs if "atol" in o["tolerance"]]
    meta = {
        "name": name, "set": "testkit", "description": built.description,
        "source": {"kind": "opset_api", "python_api": "openvino.opset13"},
        "openvino_version": ov.get_version(), "generator": GENERATOR,
        "compress_to_fp16": False, "model_name": built.model.get_friendly_name(),
        "inputs": inputs_meta, "outputs": outputs, "runs": len(built.runs),
        "stateful": built.stateful, "variables": variables, "op_types": census,
        "op_types_total": sum(census.values()),
        "expected_from": {"device": "CPU", "config": CONFIG,
                          "how": "core.read_model(model.xml) -> compile_model -> infer, one "
                                 "request, runs in order"},
        "tolerance": {"atol": max((t["atol"] for t in float_tols), default=0.0),
                      "rtol": 1e-4},
        "checks": {"reference": "numpy float64", "expected_vs_reference_max_abs": worst},
    }
    (folder / "case.json").write_text(json.dumps(meta, indent=1))
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder to write the cases into")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME",
                        help=f"cases to write (default: all of {', '.join(CASES)})")
    args = parser.parse_args(argv)
    import openvino as ov
    import openvino.opset13 as ops

    # the real wheel carries its C++ runtime in openvino/libs; a Python reimplementation
    # (the package under test) must not write the expected outputs
    if not (Path(ov.__file__).parent / "libs").is_dir() or \
            "CPU" not in ov.Core().available_devices:
        print(f"corpus_generator: the openvino of {sys.executable} ({ov.__file__}) is not the "
              f"real runtime with its CPU plugin", file=sys.stderr)
        return 2
    names = args.only or list(CASES)
    unknown = sorted(set(names) - set(CASES))
    if unknown:
        print(f"corpus_generator: unknown cases {unknown}; known: {', '.join(CASES)}",
              file=sys.stderr)
        return 2
    args.corpus.mkdir(parents=True, exist_ok=True)
    for name in names:
        write_case(ov, ops, args.corpus / name, name)
        print(f"wrote {args.corpus / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
