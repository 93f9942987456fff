"""Per-layer micro-benchmark of the CPU device's 1x1 ("pointwise") convolutions next to the
real OpenVINO.

Every distinct 1x1 convolution of the onnx package's light ResNet-50, Inception-v1 and
DenseNet-121 and of the corpus' squeezenet and shufflenet (input channels C, output
channels M, H x W, stride, groups; batch 1) becomes a one-layer model (Conv with bias,
then Relu: the epilogue the models fuse) written as ONNX. Each runtime runs it in its own
process (this script in ``--worker`` mode under our interpreter and under
``OV_REAL_PYTHON``, LATENCY hint, ``INFERENCE_PRECISION_HINT`` f32 for the real one,
``INFERENCE_NUM_THREADS`` 1 and 2), in alternating blocks so that load from elsewhere
falls on both alike. ``--base PYTHONPATH`` adds a third process: ours from other sources
(e.g. the main checkout's, for an A/B of a kernel change in the same run). The time of a
layer is the best of the rounds' medians of the convolution node's profiling time (ours:
``get_profiling_info``, the real runtime: ``PERF_COUNT``), so the per-inference call
overhead is left out. GFLOP/s and % of the FMA peak (``openvino_cpu.peak``, per thread
count) follow, and per model the sum of its pointwise layers' times (each shape times its
count).

    OV_REAL_PYTHON=/work/realov/bin/python python bench/bench_pointwise.py \
        [--models resnet50,densenet121] [--threads 1,2] [--runs 20] [--rounds 3]
        [--base /work/main/openvino-core/src:/work/main/openvino-cpu/src] [--cpu]
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
MODELS = ["resnet50", "inception_v1", "densenet121", "squeezenet", "shufflenet"]


def _arg(name: str, default: str) -> str:
    for i, a in enumerate(sys.argv):
        if a == name and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


# --- worker: one runtime, models loaded and timed on command --------------------------------

def worker() -> int:
    """Reads commands from stdin: ``load PATH THREADS REAL`` compiles a model, ``run N``
    runs it N times and answers the median convolution time and wall time (ms)."""
    import openvino as ov

    core = ov.Core()
    req = feed = None
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "load":
            path, threads, real = cmd[1], int(cmd[2]), cmd[3] == "1"
            config: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY", "PERF_COUNT": True,
                                      "INFERENCE_NUM_THREADS": threads}
            if real:
                config["INFERENCE_PRECISION_HINT"] = "f32"
            compiled = core.compile_model(core.read_model(path), "CPU", config)
            req = compiled.create_infer_request()
            shape = tuple(compiled.inputs[0].get_shape())
            feed = {0: np.random.default_rng(0).standard_normal(shape).astype(np.float32)}
            for _ in range(3):
                req.infer(feed)
            print("ok", flush=True)
        elif cmd[0] == "run":
            conv, wall, cpu = [], [], []
            for _ in range(int(cmd[1])):
                t, c = time.perf_counter(), time.thread_time()
                req.infer(feed)
                wall.append((time.perf_counter() - t) * 1e3)
                cpu.append((time.thread_time() - c) * 1e3)
                conv.append(sum(i.real_time.total_seconds() * 1e3
                                for i in req.get_profiling_info()
                                if i.node_type in ("Convolution", "GroupConvolution")))
            print(json.dumps([statistics.median(conv), statistics.median(wall),
                              statistics.median(cpu)]), flush=True)
        else:
            break
    return 0


class Worker:
    def __init__(self, python: str, real: bool, pythonpath: str | None = None) -> None:
        env = dict(os.environ)
        if real:
            env.pop("PYTHONPATH", None)
        if pythonpath is not None:
            env["PYTHONPATH"] = pythonpath
        self.real = real
        self.name = "real" if real else "base" if pythonpath is not None else "ours"
        self.proc = subprocess.Popen([python, __file__, "--worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        out = self.proc.stdout.readline()
        if not out:
            raise RuntimeError(f"worker ({self.name}) died on {line!r}")
        return out.strip()

    def load(self, path: Path, threads: int) -> None:
        if self.ask(f"load {path} {threads} {int(self.real)}") != "ok":
            raise RuntimeError(f"could not load {path}")

    def run(self, n: int) -> tuple[float, float, float]:
        conv, wall, cpu = json.loads(self.ask(f"run {n}"))
        return conv, wall, cpu

    def close(self) -> None:
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


# --- shapes -------------------------------------------------------------------------------------

def model_paths(names: list[str], tmp: Path) -> dict[str, Path]:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_cpu

    out = {}
    for n in names:
        if n in ("squeezenet", "shufflenet"):
            out[n] = CORPUS / f"onnx_{n}_rw" / "model.xml"
        else:
            out[n] = bench_cpu.light_onnx(n, tmp / f"{n}.onnx")
    return out


def pointwise_shapes(paths: dict[str, Path]) -> dict[tuple[int, ...], dict[str, int]]:
    """(C, M, H, W, stride, groups) -> {model: count} of every 1x1 convolution."""
    import openvino as ov

    core = ov.Core()
    shapes: dict[tuple[int, ...], dict[str, int]] = {}
    for name, path in paths.items():
        for op in core.read_model(str(path)).get_ordered_ops():
            t = op.get_type_name()
            if t not in ("Convolution", "GroupConvolution"):
                continue
            w = list(op.input(1).get_shape())
            x = list(op.input(0).get_partial_shape().to_shape())
            groups = 1
            if t == "GroupConvolution":
                groups, w = w[0], [w[0] * w[1], w[2]] + w[3:]
                if w[1] == 1 and w[0] == groups:
                    continue  # depthwise
            if len(x) != 4 or w[2:] != [1, 1]:
                continue
            attrs = op.get_attributes()
            if any(attrs["pads_begin"]) or any(attrs["pads_end"]):
                continue
            stride = attrs["strides"]
            if stride[0] != stride[1]:
                continue
            key = (x[1], w[0], x[2], x[3], stride[0], groups)
            shapes.setdefault(key, {})
            shapes[key][name] = shapes[key].get(name, 0) + 1
    return shapes


def layer_onnx(key: tuple[int, ...], path: Path) -> Path:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    C, M, H, W, s, g = key
    rng = np.random.default_rng(7)
    w = (rng.standard_normal((M, C // g, 1, 1)) * math.sqrt(2.0 / (C // g))).astype(np.float32)
    b = rng.uniform(-0.1, 0.1, M).astype(np.float32)
    OH, OW = (H - 1) // s + 1, (W - 1) // s + 1
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[1, 1],
                              strides=[s, s], group=g),
             helper.make_node("Relu", ["c"], ["y"])]
    graph = helper.make_graph(
        nodes, "pointwise", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                           [1, C, H, W])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, M, OH, OW])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


# --- report -------------------------------------------------------------------------------------

def main() -> int:
    if "--worker" in sys.argv:
        return worker()
    names = [n for n in _arg("--models", ",".join(MODELS)).split(",") if n]
    threads = [int(t) for t in _arg("--threads", "1,2").split(",")]
    runs = int(_arg("--runs", "15"))
    # --cpu: ours (and base) timed by the calling thread's CPU time of a whole inference
    # (one thread only: the plan runs on that thread), which time taken by other processes
    # on a busy machine does not inflate; for A/B runs of a kernel change
    metric = 2 if "--cpu" in sys.argv else 0
    if metric and threads != [1]:
        raise SystemExit("--cpu measures one thread: use --threads 1")
    rounds = int(_arg("--rounds", "3"))
    real_py = os.environ.get("OV_REAL_PYTHON")
    from openvino_cpu.peak import fma_peak

    peaks = {t: fma_peak(threads=t, seconds=0.1).gflops for t in threads}
    print("FMA peak: " + ", ".join(f"{t} thread(s) {p:.1f} GFLOP/s" for t, p in peaks.items()))
    tmp = Path(tempfile.mkdtemp(prefix="bench_pw_"))
    shapes = pointwise_shapes(model_paths(names, tmp))
    ours = Worker(sys.executable, False)
    real = Worker(real_py, True) if real_py and Path(real_py).exists() else None
    base_path = _arg("--base", "")
    base = Worker(sys.executable, False, base_path) if base_path else None
    sums: dict[tuple[str, int], list[float]] = {}
    try:
        for t in threads:
            print(f"\n{t} thread(s), LATENCY; ms = median convolution node time; "
                  f"% of the {t}-thread FMA peak ({peaks[t]:.1f})")
            print(f"  {'C':>5s} {'M':>5s} {'HxW':>7s} {'s':>1s} {'g':>2s} {'MFLOP':>7s} "
                  f"{'ours ms':>8s} {'GF/s':>6s} {'%pk':>4s} {'real ms':>8s} {'GF/s':>6s} "
                  f"{'%pk':>4s} {'ratio':>6s}" + (f" {'base ms':>8s}" if base else "") +
                  "  used by")
            for key in sorted(shapes, key=lambda k: (k[2] * k[3], k[0], k[1])):
                C, M, H, W, s, g = key
                OH, OW = (H - 1) // s + 1, (W - 1) // s + 1
                flop = 2.0 * M * (C // g) * OH * OW
                path = tmp / ("pw_" + "_".join(map(str, key)) + ".onnx")
                if not path.exists():
                    layer_onnx(key, path)
                peers = [p for p in (ours, real, base) if p]
                for p in peers:
                    p.load(path, t)
                times: dict[str, list[float]] = {p.name: [] for p in peers}
                for _ in range(rounds):
                    for p in peers:
                        time.sleep(0.05)
                        times[p.name].append(p.run(runs)[metric if p.name != "real" else 0])
                o = min(times["ours"])
                r = min(times["real"]) if real else float("nan")
                b = f" {min(times['base']):8.3f}" if base else ""
                used = ",".join(f"{m}x{c}" for m, c in shapes[key].items())
                for m, c in shapes[key].items():
                    acc = sums.setdefault((m, t), [0.0, 0.0, 0.0])
                    acc[0] += c * o
                    acc[1] += c * r
                    acc[2] += c * min(times["base"]) if base else 0.0
                og = flop / o / 1e6
                rg = flop / r / 1e6
                print(f"  {C:5d} {M:5d} {f'{H}x{W}':>7s} {s:1d} {g:2d} {flop / 1e6:7.1f} "
                      f"{o:8.3f} {og:6.1f} {100 * og / peaks[t]:3.0f}% {r:8.3f} {rg:6.1f} "
                      f"{100 * rg / peaks[t]:3.0f}% {o / r:6.2f}{b}  {used}", flush=True)
        print("\nper model: sum of its pointwise layers (ms, each shape times its count)")
        print(f"  {'model':14s} {'threads':>7s} {'ours':>8s} {'real':>8s} {'ratio':>6s}" +
              (f" {'base':>8s}" if base else ""))
        for (m, t), (o, r, bs) in sorted(sums.items()):
            print(f"  {m:14s} {t:7d} {o:8.2f} {r:8.2f} {o / r:6.2f}" +
                  (f" {bs:8.2f}" if base else ""))
    finally:
        for p in (ours, real, base):
            if p:
                p.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
