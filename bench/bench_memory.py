"""Memory of the CPU device next to the real OpenVINO (``OV_REAL_PYTHON``), in the same run.

Every figure comes from a fresh process (the same script for both runtimes, only the
``openvino`` they import differs), read from ``/proc/self/status`` (``VmRSS``, ``VmHWM``):

* peak: the peak RSS of a process that reads a model, compiles it with the THROUGHPUT
  hint and runs it 20 times through an ``AsyncInferQueue`` (the corpus' squeezenet,
  ResNet-50 from the onnx package's light model with random weights, and bench_cpu's
  MiniLM-shaped encoder at 4 x 128, f32 and, with NNCF beside the real runtime, INT4);
* retention: the RSS a process holds after 4 threads each compiled squeezenet 5 times,
  ran it and dropped the results, over the RSS it had after one warm-up compile (each
  reading after ``gc.collect()`` and 0.2 s: the CPU device hands memory back on a thread
  of its own a few milliseconds after a compiled model is freed); then 40 sequential
  compile / infer / delete cycles (RSS after 10, 20 and 40: a plateau is retention, a
  climb is a leak).

Bars (issue 14, item 8): peak RSS <= the real runtime's; the RSS held after the threads
dropped their compiled models <= the real runtime's; the cycles plateau (no climb over
16 MB from the first reading to the last). ``--quick`` runs fewer cycles. Needs ``OV_CORPUS_DIR``
(default ``../shared/corpus``) for squeezenet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
QUICK = "--quick" in sys.argv

PEAK_SNIPPET = r'''
import json, sys
import numpy as np
import openvino as ov

def status(key):
    with open("/proc/self/status") as f:
        return [int(l.split()[1]) / 1024 for l in f if l.startswith(key + ":")][0]

model, inputs_path = sys.argv[1:3]
inputs = dict(np.load(inputs_path))
base = status("VmRSS")
core = ov.Core()
compiled = core.compile_model(core.read_model(model), "CPU",
                              {"PERFORMANCE_HINT": "THROUGHPUT",
                               "INFERENCE_PRECISION_HINT": "f32"})
after_compile = status("VmRSS")
feed = {}
for i, port in enumerate(compiled.inputs):
    match = [v for k, v in inputs.items() if k in port.get_names()]
    feed[i] = match[0] if match else list(inputs.values())[i]
queue = ov.AsyncInferQueue(compiled)
for _ in range(20):
    queue.start_async(feed)
queue.wait_all()
print(json.dumps({"base": base, "compiled": after_compile, "rss": status("VmRSS"),
                  "peak": status("VmHWM")}))
'''

RETENTION_SNIPPET = r'''
import gc, json, sys, threading, time
import numpy as np
import openvino as ov

def rss():
    gc.collect()
    time.sleep(0.2)  # the CPU device trims the heaps on a thread of its own, just after
    with open("/proc/self/status") as f:
        return [int(l.split()[1]) / 1024 for l in f if l.startswith("VmRSS:")][0]

model, inputs_path, cycles = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = list(dict(np.load(inputs_path)).values())[0]
core = ov.Core()

def once():
    compiled = core.compile_model(core.read_model(model), "CPU")
    compiled.create_infer_request().infer([x])
    del compiled

once()
warm = rss()

def worker():
    for _ in range(5):
        once()

threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
threaded = rss()
seq = {}
for i in range(1, cycles + 1):
    once()
    if i in (10, 20, 40) or i == cycles:
        seq[i] = rss()
print(json.dumps({"warm": warm, "threads": threaded, "cycles": seq}))
'''


def _env(real: bool) -> dict[str, str]:
    env = dict(os.environ)
    if real:  # the real runtime's venv must not see our sources
        env.pop("PYTHONPATH", None)
    return env


def run_snippet(python: str, snippet: str, args: list[str], real: bool) -> dict[str, Any]:
    proc = subprocess.run([python, "-c", snippet, *args], capture_output=True, text=True,
                          timeout=900, env=_env(real))
    if proc.returncode != 0:
        raise RuntimeError(f"{'real' if real else 'ours'} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def models(tmp: Path) -> list[tuple[str, str, Path]]:
    """(name, model file, inputs .npz) of the peak-RSS models."""
    import numpy as np

    out = []
    squeeze = CORPUS / "onnx_squeezenet_rw"
    if (squeeze / "model.xml").is_file():
        inputs = {k: v for k, v in np.load(squeeze / "inputs.npz").items()
                  if not k.startswith("#") and ":" not in k}
        path = tmp / "squeezenet_inputs.npz"
        np.savez(path, **inputs)
        out.append(("squeezenet", str(squeeze / "model.xml"), path))
    else:
        print(f"  squeezenet: not in the corpus at {CORPUS}, skipped")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import onnx
        from bench_cpu import encoder_cases, light_onnx
    except ImportError:
        print("  resnet50: the onnx package is not installed, skipped")
        return out
    finally:
        sys.path.pop(0)
    onnx_path = light_onnx("resnet50", tmp / "resnet50_rw.onnx")
    data_in = onnx.load(str(onnx_path), load_external_data=False).graph.input[0]
    shape = [d.dim_value or 1 for d in data_in.type.tensor_type.shape.dim]
    data = np.random.default_rng(7).standard_normal(shape).astype(np.float32)
    path = tmp / "resnet50_inputs.npz"
    np.savez(path, **{data_in.name: data})
    out.append(("resnet50", str(onnx_path), path))
    for case in encoder_cases(tmp):  # the MiniLM-shaped encoder, 4 x 128
        path = tmp / f"{case['name']}_inputs.npz"
        np.savez(path, **case["inputs"])
        out.append((case["name"], case["ours"], path))
    return out


def main() -> int:
    try:
        import openvino_cpu  # noqa: F401
    except ImportError:
        print("bench_memory: the CPU device (openvino-cpu) is not installed; "
              "pip install ./openvino-cpu")
        return 0
    real_python = os.environ.get("OV_REAL_PYTHON")
    if real_python and not Path(real_python).exists():
        real_python = None
    runners = [("ours", sys.executable, False)]
    if real_python:
        runners.append(("real", real_python, True))
    else:
        print("OV_REAL_PYTHON is not set: only our own figures are shown")
    ok = True
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cases = models(tmp)
        print("peak RSS (MB; read, compile with the THROUGHPUT hint, 20 runs through "
              "AsyncInferQueue)")
        print(f"  {'model':12s} {'who':5s} {'start':>7s} {'compiled':>9s} {'after':>7s}"
              f" {'peak':>7s}")
        for name, model, inputs in cases:
            peaks = {}
            for who, python, real in runners:
                try:
                    r = run_snippet(python, PEAK_SNIPPET, [model, str(inputs)], real)
                except RuntimeError as exc:
                    print(f"  {name:12s} {who:5s} {str(exc).splitlines()[-1][:80]}")
                    continue
                peaks[who] = r["peak"]
                print(f"  {name:12s} {who:5s} {r['base']:7.1f} {r['compiled']:9.1f}"
                      f" {r['rss']:7.1f} {r['peak']:7.1f}")
            if "real" in peaks and "ours" in peaks:
                good = peaks["ours"] <= peaks["real"]
                ok &= good
                print(f"  {name:12s} peak ours / real {peaks['ours'] / peaks['real']:.2f}"
                      f" (bar <= 1.0) {'PASS' if good else 'MISS'}")
        squeeze = [c for c in cases if c[0] == "squeezenet"]
        if squeeze:
            _, model, inputs = squeeze[0]
            cycles = 20 if QUICK else 40
            print(f"\nretention (MB of RSS; squeezenet: 4 threads x 5 compile/infer/drop, "
                  f"then {cycles} sequential cycles)")
            held = {}
            for who, python, real in runners:
                try:
                    r = run_snippet(python, RETENTION_SNIPPET, [model, str(inputs),
                                                                str(cycles)], real)
                except RuntimeError as exc:
                    print(f"  {who:5s} {str(exc).splitlines()[-1][:80]}")
                    continue
                held[who] = r
                seq = "  ".join(f"after {k}: {v:6.1f}" for k, v in r["cycles"].items())
                print(f"  {who:5s} warm {r['warm']:6.1f}  after threads {r['threads']:6.1f} "
                      f"(+{r['threads'] - r['warm']:5.1f})  {seq}")
            if "ours" in held:
                r = held["ours"]
                good = True
                if "real" in held:
                    good = r["threads"] <= held["real"]["threads"]
                    print(f"  after the threads ours holds {r['threads']:.1f} MB, the real "
                          f"runtime {held['real']['threads']:.1f} (bar: ours <= real) "
                          f"{'PASS' if good else 'MISS'}")
                vals = list(r["cycles"].values())
                climb = vals[-1] - vals[0] if len(vals) > 1 else 0.0
                good &= climb <= 16
                print(f"  ours: the cycles climb {climb:+.1f} MB from the first reading to the "
                      f"last (bar <= 16: a plateau) {'PASS' if climb <= 16 else 'MISS'}")
                ok &= good
    print(f"\nmemory bars {'PASS' if ok else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
