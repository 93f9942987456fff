"""Time to the first result on the CPU device: ``read_model`` of an IR, ``compile_model``
and the first inference, ours next to the real OpenVINO (``OV_REAL_PYTHON``) in the same
run, every measurement in a fresh process (cold: nothing compiled or cached before; the
interpreter start and ``import openvino`` are not counted, for either runtime).

Models, saved as IR (``model.xml`` + ``model.bin``, f32 weights) in a temporary folder:

* ``resnet50_rw``: the onnx package's light ResNet-50 with seeded random weights (as in
  ``bench_cpu``), static shape 1 x 3 x 224 x 224;
* ``minilm_f32`` / ``minilm_int4``: the MiniLM-shaped encoder of core's interop tests
  (``compressed_models.encoder()``: hidden 384, 12 heads, FFN 1536, 6 layers, inputs of
  dynamic batch and sequence length) in f32 and with NNCF INT4_ASYM weights, built by the
  real runtime (without it, or without NNCF: the f32 one by ours, the INT4 one skipped),
  run at batch 4 x sequence 128, then at a second shape (2 x 96: a new shape of a dynamic
  model after the first).

The real runtime runs with ``INFERENCE_PRECISION_HINT=f32`` (ours computes in f32), both
with the LATENCY hint. Each process reports read / compile / first inference / a second
inference at the same shape / the first at a new shape / another at that shape, in wall
time and in the process's CPU time (all its threads: steadier than wall time on a loaded
machine); the table shows the medians over ``--rounds`` process pairs (ours and the real
one take turns, so that a change in the machine's load falls on both).

Bar (issue 14): read + compile + first inference <= the real runtime's on ResNet-50 and
MiniLM f32 / INT4.

    python bench/bench_first_result.py [--quick] [--rounds N] [--cases resnet50_rw,...]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
INTEROP = ROOT / "openvino-core" / "tests" / "interop"
QUICK = "--quick" in sys.argv
ENCODER_SHAPES = [(4, 128), (2, 96)]


def _bench_cpu() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_cpu", HERE / "bench_cpu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- models ------------------------------------------------------------------------------------

SAVE_IR_SNIPPET = r'''
import sys
import openvino as ov
src, dst = sys.argv[1:3]
ov.save_model(ov.Core().read_model(src), dst, compress_to_fp16=False)
print("ok")
'''


def real_env() -> dict[str, str]:
    """The environment of a real-runtime process: without our sources on ``PYTHONPATH``."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def real_python() -> str | None:
    python = os.environ.get("OV_REAL_PYTHON")
    return python if python and Path(python).exists() else None


def models(tmp: Path) -> list[dict[str, Any]]:
    """(name, IR path, list of input feeds by name) of every model."""
    bc = _bench_cpu()
    out = []
    onnx_path = bc.light_onnx("resnet50", tmp / "resnet50_rw.onnx")
    xml = tmp / "resnet50_rw.xml"
    python = real_python()
    saved = False
    if python:
        proc = subprocess.run([python, "-c", SAVE_IR_SNIPPET, str(onnx_path), str(xml)],
                              capture_output=True, text=True, timeout=600, env=real_env())
        saved = proc.returncode == 0
    if not saved:
        subprocess.run([sys.executable, "-c", SAVE_IR_SNIPPET, str(onnx_path), str(xml)],
                       check=True, capture_output=True, text=True, timeout=600)
    data = np.random.default_rng(7).standard_normal((1, 3, 224, 224)).astype(np.float32)
    out.append({"name": "resnet50_rw", "xml": str(xml), "feeds": [{"data": data}]})

    modes: list[str] = []
    if python:
        for want in (["f32", "int4"], ["f32"]):
            proc = subprocess.run([python, "-c", bc.ENCODER_SNIPPET, str(INTEROP), str(tmp),
                                   *want], capture_output=True, text=True, timeout=900,
                                  env=real_env())
            if proc.returncode == 0:
                modes = want
                break
    sys.path.insert(0, str(INTEROP))
    try:
        import compressed_models as cm
    finally:
        sys.path.remove(str(INTEROP))
    if not modes:
        import openvino as ov

        ov.save_model(cm.encoder(), str(tmp / "minilm_f32.xml"), compress_to_fp16=False)
        modes = ["f32"]
    feeds = []
    for batch, seq in ENCODER_SHAPES:
        ids, mask = cm.inputs_for(batch, seq, seed=11)
        feeds.append({"input_ids": ids, "attention_mask": mask})
    for mode in modes:
        out.append({"name": f"minilm_{mode}", "xml": str(tmp / f"minilm_{mode}.xml"),
                    "feeds": feeds})
    return out


# --- one cold run ------------------------------------------------------------------------------

CHILD_SNIPPET = r'''
import json, sys, time
import numpy as np
import openvino as ov
xml, feeds_path, real = sys.argv[1], sys.argv[2], sys.argv[3] == "real"
data = dict(np.load(feeds_path))
feeds = []
for key, value in data.items():
    k, name = key.split(":", 1)
    k = int(k)
    while len(feeds) <= k:
        feeds.append({})
    feeds[k][name] = value
config = {"PERFORMANCE_HINT": "LATENCY"}
if real:
    config["INFERENCE_PRECISION_HINT"] = "f32"
marks = {}
last = [time.perf_counter(), time.process_time()]

def mark(name):
    now = [time.perf_counter(), time.process_time()]
    marks[name] = [(now[0] - last[0]) * 1e3, (now[1] - last[1]) * 1e3]
    last[:] = [time.perf_counter(), time.process_time()]

core = ov.Core()
last[:] = [time.perf_counter(), time.process_time()]
model = core.read_model(xml)
mark("read")
compiled = core.compile_model(model, "CPU", config)
mark("compile")
req = compiled.create_infer_request()

def feed(inputs):
    out = {}
    for i, port in enumerate(compiled.inputs):
        match = [v for k, v in inputs.items() if k in port.get_names()]
        out[i] = match[0] if match else list(inputs.values())[i]
    return out

first = feed(feeds[0])
req.infer(first)
mark("first")
result = np.array(req.get_output_tensor(0).data, copy=True)
last[:] = [time.perf_counter(), time.process_time()]
req.infer(first)
mark("second")
if len(feeds) > 1:
    nxt = feed(feeds[1])
    last[:] = [time.perf_counter(), time.process_time()]
    req.infer(nxt)
    mark("new_shape")
    req.infer(nxt)
    last[:] = [time.perf_counter(), time.process_time()]
    req.infer(nxt)
    mark("new_shape_again")
np.save(sys.argv[4], result)
print(json.dumps(marks))
'''


def cold_run(python: str, case: dict[str, Any], real: bool, tmp: Path) -> dict[str, float]:
    feeds_path = tmp / f"{case['name']}_feeds.npz"
    if not feeds_path.exists():
        np.savez(feeds_path, **{f"{k}:{name}": v for k, feed in enumerate(case["feeds"])
                                for name, v in feed.items()})
    result = tmp / f"{case['name']}_{'real' if real else 'ours'}_out.npy"
    proc = subprocess.run([python, "-c", CHILD_SNIPPET, case["xml"], str(feeds_path),
                           "real" if real else "ours", str(result)],
                          capture_output=True, text=True, timeout=900,
                          env=real_env() if real else None)
    if proc.returncode != 0:
        raise RuntimeError(f"{case['name']} ({'real' if real else 'ours'}) failed:\n"
                           f"{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


COLUMNS = ["read", "compile", "first", "total", "second", "new_shape", "new_shape_again"]


def main() -> int:
    try:
        import openvino_cpu  # noqa: F401
    except ImportError:
        print("bench_first_result: the CPU device (openvino-cpu) is not installed here")
        return 0
    _arg = _bench_cpu()._arg  # the command-line reader of bench_cpu.py
    rounds = int(_arg("--rounds", "3" if QUICK else "5"))
    only = [n for n in _arg("--cases", "").split(",") if n]
    python = real_python()
    print(f"time to the first result (ms, median of {rounds} fresh processes each; "
          f"read_model of the IR + compile_model + first inference)")
    if python is None:
        print("  (OV_REAL_PYTHON not set: only our own figures)")
    ok = True
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cases = [c for c in models(tmp) if not only or c["name"] in only]
        print(f"  {'model':14s} {'who':10s} " + " ".join(f"{c:>9s}" for c in COLUMNS))
        for case in cases:
            runs: dict[str, list[dict[str, list[float]]]] = {"ours": [], "real": []}
            for _ in range(rounds):
                runs["ours"].append(cold_run(sys.executable, case, False, tmp))
                if python:
                    runs["real"].append(cold_run(python, case, True, tmp))
            med: dict[str, dict[str, dict[str, float]]] = {}
            for who, rs in runs.items():
                if not rs:
                    continue
                for r in rs:
                    r["total"] = [r["read"][i] + r["compile"][i] + r["first"][i]
                                  for i in (0, 1)]
                med[who] = {kind: {c: statistics.median(r[c][i] for r in rs)
                                   for c in COLUMNS if c in rs[0]}
                            for i, kind in enumerate(("wall", "cpu"))}
            for kind in ("wall", "cpu"):
                for who in med:
                    cells = " ".join(f"{med[who][kind][c]:9.1f}" if c in med[who][kind]
                                     else f"{'-':>9s}" for c in COLUMNS)
                    print(f"  {case['name']:14s} {who + ' ' + kind:10s} {cells}")
                if "real" in med:
                    ratio = {c: med["ours"][kind][c] / med["real"][kind][c] for c in COLUMNS
                             if c in med["ours"][kind] and c in med["real"][kind]
                             and med["real"][kind][c] > 0}
                    print(f"  {case['name']:14s} {'ratio ' + kind:10s} " + " ".join(
                        f"{ratio[c]:9.2f}" if c in ratio else f"{'-':>9s}" for c in COLUMNS))
            if "real" in med:
                wall = med["ours"]["wall"]["total"] / med["real"]["wall"]["total"]
                cpu = med["ours"]["cpu"]["total"] / med["real"]["cpu"]["total"]
                ours_out = np.load(tmp / f"{case['name']}_ours_out.npy")
                real_out = np.load(tmp / f"{case['name']}_real_out.npy")
                scale = float(np.abs(real_out).max()) or 1.0
                diff = float(np.abs(ours_out.astype(np.float64) - real_out).max()) / scale
                passed = wall <= 1.0
                ok &= passed
                print(f"  {case['name']:14s} read+compile+first ours/real {wall:.2f} wall "
                      f"(bar <= 1.0) {'PASS' if passed else 'MISS'}, {cpu:.2f} in process CPU "
                      f"time; max rel diff of the first result {diff:.1e}")
    print(f"bars: {'all PASS' if ok else 'some MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
