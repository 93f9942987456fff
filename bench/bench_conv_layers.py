"""Per-layer micro-benchmark of the spatial convolutions (kernel larger than 1x1, and the
depthwise ones) of the convnet benchmark models, ours next to the real OpenVINO.

Every distinct spatial convolution shape of ResNet-50, Inception-v1, DenseNet-121 (the
onnx package's light models), SqueezeNet and ShuffleNet (the corpus) runs as a one-op
model (batch 1, random He-scaled filters) in two worker processes: ours (this interpreter)
and the real runtime (``OV_REAL_PYTHON``, default ``/work/realov/bin/python``), both with
``INFERENCE_PRECISION_HINT f32``, ``PERFORMANCE_HINT LATENCY`` and
``INFERENCE_NUM_THREADS`` 1 and 2, timed in alternating blocks (the medians of the
blocks' medians). Printed per layer: milliseconds, GFLOP/s and % of the FMA peak of that
many threads (``openvino_cpu.peak``), and the ratio ours / real; then the sum per model
(each layer counted as often as the model has it) and the max relative difference of our
result from the real runtime's.

    python bench/bench_conv_layers.py [--threads 1,2] [--models resnet50,...] [--filter 3x3]
        [--rounds 3] [--json out.json] [--pointwise]

``--pointwise`` adds the 1x1 convolutions.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
if not CORPUS.is_dir() and "OV_CORPUS_DIR" not in os.environ:  # a worktree beside the checkout
    CORPUS = ROOT.parents[1] / "shared" / "corpus"
REAL = os.environ.get("OV_REAL_PYTHON", "/work/realov/bin/python")


# --- the layers ---------------------------------------------------------------------------

def model_paths(tmp: Path, names: list[str]) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_cpu import light_onnx

    out = {}
    for name in names:
        if name in ("squeezenet", "shufflenet"):
            p = CORPUS / f"onnx_{name}_rw" / "model.xml"
            if p.is_file():
                out[name] = str(p)
        else:
            out[name] = str(light_onnx(name, tmp / f"{name}_rw.onnx"))
    return out


def spatial_layers(path: str, pointwise: bool = False) -> list[tuple]:
    """(C, M, H, W, KH, KW, S, PT, PL, PB, PR, groups) of each spatial convolution (and of
    each 1x1 one with ``pointwise``)."""
    import openvino as ov

    model = ov.Core().read_model(path)
    out = []
    for op in model.get_ordered_ops():
        kind = op.get_type_name()
        if kind not in ("Convolution", "GroupConvolution"):
            continue
        xs = list(op.input(0).get_partial_shape().to_shape())
        ws = list(op.input(1).get_partial_shape().to_shape())
        attrs = op.get_attributes()
        if kind == "Convolution":
            G, (M, Cg, KH, KW) = 1, ws
        else:
            G, Mg, Cg, KH, KW = ws
            M = G * Mg
        if (KH * KW == 1 and not pointwise) or len(xs) != 4:
            continue
        strides, dil = list(attrs["strides"]), list(attrs["dilations"])
        if strides[0] != strides[1] or dil != [1, 1]:
            continue
        pb, pe = list(attrs["pads_begin"]), list(attrs["pads_end"])
        if attrs.get("auto_pad", "explicit") not in ("explicit", "notset"):
            ys = list(op.output(0).get_partial_shape().to_shape())
            tot = [max((ys[2 + i] - 1) * strides[i] + (KH, KW)[i] - xs[2 + i], 0)
                   for i in range(2)]
            pb = [t // 2 for t in tot]
            pe = [t - t // 2 for t in tot]
        out.append((xs[1], M, xs[2], xs[3], KH, KW, strides[0], pb[0], pb[1], pe[0], pe[1], G))
    return out


def out_hw(layer: tuple) -> tuple[int, int]:
    C, M, H, W, KH, KW, S, PT, PL, PB, PR, G = layer
    return (H + PT + PB - KH) // S + 1, (W + PL + PR - KW) // S + 1


def gflop(layer: tuple) -> float:
    C, M, H, W, KH, KW, S, PT, PL, PB, PR, G = layer
    OH, OW = out_hw(layer)
    return 2.0 * M * (C // G) * KH * KW * OH * OW / 1e9


def label(layer: tuple) -> str:
    C, M, H, W, KH, KW, S, PT, PL, PB, PR, G = layer
    g = f" g{G}" if G > 1 else ""
    return f"{C:>4}->{M:<4} {H:>3}x{W:<3} {KH}x{KW} s{S} p{PT}{PL}{PB}{PR}{g}"


# --- the worker (run by ours and by the real runtime's interpreter) -------------------------

WORKER = r'''
import json, statistics, sys, time
import numpy as np
import openvino as ov
import openvino.opset13 as ops
core = ov.Core()
cache = {}
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["op"] == "quit":
        break
    key = json.dumps([cmd["layer"], cmd["threads"]])
    if key not in cache:
        C, M, H, W, KH, KW, S, PT, PL, PB, PR, G = cmd["layer"]
        rng = np.random.default_rng(11)
        x = ops.parameter([1, C, H, W], np.float32, name="x")
        w = (rng.standard_normal((M, C // G, KH, KW)) *
             np.sqrt(2.0 / (C // G * KH * KW))).astype(np.float32)
        if G == 1:
            y = ops.convolution(x, ops.constant(w), [S, S], [PT, PL], [PB, PR], [1, 1])
        else:
            y = ops.group_convolution(x, ops.constant(w.reshape(G, M // G, C // G, KH, KW)),
                                      [S, S], [PT, PL], [PB, PR], [1, 1])
        b = rng.uniform(-0.1, 0.1, (1, M, 1, 1)).astype(np.float32)
        y = ops.relu(ops.add(y, ops.constant(b)))
        model = ov.Model([y], [x], "conv")
        compiled = core.compile_model(model, "CPU", {
            "INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": cmd["threads"]})
        req = compiled.create_infer_request()
        data = np.random.default_rng(5).standard_normal((1, C, H, W)).astype(np.float32)
        req.infer({0: data})
        cache = {key: (req, data)}
    req, data = cache[key]
    if cmd["op"] == "result":
        out = req.infer({0: data})
        np.save(cmd["path"], np.asarray(list(out.values())[0]))
        print("ok", flush=True)
        continue
    times = []
    end = time.perf_counter() + cmd["seconds"]
    while len(times) < 3 or (time.perf_counter() < end and len(times) < 2000):
        t = time.perf_counter()
        req.infer({0: data})
        times.append((time.perf_counter() - t) * 1e3)
    print(statistics.median(times), flush=True)
'''


class Worker:
    def __init__(self, python: str) -> None:
        env = dict(os.environ)
        if python != sys.executable:  # the real runtime: none of our sources on its path
            env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen([python, "-c", WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, cmd: dict[str, Any]) -> str:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("benchmark worker died")
        return line.strip()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()


def main() -> int:
    import tempfile

    from openvino_cpu.peak import fma_peak

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_cpu import _arg  # the command-line reader of bench_cpu.py

    names = [n for n in _arg("--models", "resnet50,inception_v1,densenet121,squeezenet,"
                                          "shufflenet").split(",") if n]
    threads = [int(t) for t in _arg("--threads", "1,2").split(",")]
    rounds = int(_arg("--rounds", "3"))
    flt = _arg("--filter", "")
    seconds = float(_arg("--seconds", "0.05"))
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        counts: dict[tuple, dict[str, int]] = {}
        for name, path in model_paths(tmp, names).items():
            for layer in spatial_layers(path, pointwise="--pointwise" in sys.argv):
                counts.setdefault(layer, {}).setdefault(name, 0)
                counts[layer][name] += 1
        layers = [lay for lay in counts if flt in label(lay)]
        peaks = {t: fma_peak(threads=t, seconds=0.1).gflops for t in threads}
        print("FMA peak: " + ", ".join(f"{t} thread(s) {p:.1f} GFLOP/s"
                                       for t, p in peaks.items()))
        ours, real = Worker(sys.executable), Worker(REAL)
        results: dict[str, Any] = {}
        try:
            hdr = "  ".join(f"{'ours ms':>8} {'%pk':>4} {'real ms':>8} {'%pk':>4} {'o/r':>5}"
                            for _ in threads)
            print(f"\n{'layer':<34} {'models':<28} " + hdr)
            print(f"{'':<34} {'':<28} " + "  ".join(f"{'-- ' + str(t) + ' thread(s) ':-<33}"
                                                     for t in threads))
            for layer in layers:
                row = []
                res: dict[str, Any] = {"models": counts[layer], "gflop": gflop(layer)}
                for t in threads:
                    ts: dict[str, list[float]] = {"ours": [], "real": []}
                    for _ in range(rounds):
                        for key, w in (("ours", ours), ("real", real)):
                            time.sleep(0.05)
                            ts[key].append(float(w.ask({"op": "time", "layer": list(layer),
                                                        "threads": t,
                                                        "seconds": seconds})))
                    mo, mr = statistics.median(ts["ours"]), statistics.median(ts["real"])
                    po = 100 * gflop(layer) / (mo / 1e3) / peaks[t]
                    pr = 100 * gflop(layer) / (mr / 1e3) / peaks[t]
                    row.append(f"{mo:8.3f} {po:3.0f}% {mr:8.3f} {pr:3.0f}% {mo / mr:5.2f}")
                    res[str(t)] = {"ours": mo, "real": mr}
                # accuracy against the real runtime (both at the last thread count)
                po_, pr_ = tmp / "o.npy", tmp / "r.npy"
                ours.ask({"op": "result", "layer": list(layer), "threads": threads[-1],
                          "path": str(po_)})
                real.ask({"op": "result", "layer": list(layer), "threads": threads[-1],
                          "path": str(pr_)})
                a, b = np.load(po_), np.load(pr_)
                res["rel"] = float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))
                models = ",".join(f"{k[:6]}x{v}" for k, v in counts[layer].items())
                print(f"{label(layer):<34} {models:<28} " + "  ".join(row) +
                      f"  rel {res['rel']:.1e}", flush=True)
                results[label(layer)] = res
        finally:
            ours.close()
            real.close()
        print("\nper model, sum over its spatial layers (ms)")
        for name in names:
            for t in threads:
                so = sum(results[label(lay)][str(t)]["ours"] * counts[lay][name]
                         for lay in layers if name in counts[lay])
                sr = sum(results[label(lay)][str(t)]["real"] * counts[lay][name]
                         for lay in layers if name in counts[lay])
                if sr:
                    print(f"  {name:<14} {t} thread(s): ours {so:7.2f}  real {sr:7.2f}  "
                          f"ratio {so / sr:5.2f}")
        out = _arg("--json", "")
        if out:
            Path(out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(0 if math.isfinite(main()) else 1)
