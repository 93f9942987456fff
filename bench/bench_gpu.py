"""The GPU device next to the CPU device, in the same run (informational: on PoCL the GPU
is an OpenCL CPU device; on a machine with a GPU driver it is the GPU).

* latency (median of interleaved runs, one request) of the corpus convnets
  (``small_convnet_fp32``, ``onnx_squeezenet_rw``, ``onnx_shufflenet_rw``) and the
  MiniLM-shaped encoder ``transformer_toy``, on CPU, on GPU in f32 and in f16; a model
  whose ops the GPU does not all run (``query_model``) is listed with what it lacks;
* a 512 x 512 x 512 f32 MatMul in GFLOP/s on both.

The GPU's device name and kind are printed first. ``OV_GPU_ALLOW_CPU_DEVICES=1`` lets an
OpenCL CPU device (PoCL) stand in for a GPU; ``--quick`` runs fewer iterations.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OV_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
CASES = ["small_convnet_fp32", "onnx_squeezenet_rw", "onnx_shufflenet_rw", "transformer_toy"]
QUICK = "--quick" in sys.argv


def median_ms(fns: dict[str, Callable[[], Any]], rounds: int, per_round: int
              ) -> dict[str, float]:
    """Median milliseconds of each function, measured in alternating blocks."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()
        fn()
    for _ in range(rounds):
        for key, fn in fns.items():
            for _ in range(per_round):
                t = time.perf_counter()
                fn()
                times[key].append((time.perf_counter() - t) * 1e3)
    return {k: statistics.median(v) for k, v in times.items()}


def feed(compiled: Any, inputs: dict[str, np.ndarray]) -> dict[int, np.ndarray]:
    out = {}
    for i, port in enumerate(compiled.inputs):
        match = [v for k, v in inputs.items() if k in port.get_names()]
        out[i] = match[0] if match else list(inputs.values())[i]
    return out


def missing_ops(core: Any, model: Any, device: str) -> list[str]:
    supported = core.query_model(model, device)
    return sorted({n.get_type_name() for n in model.get_ordered_ops()
                   if n.get_type_name() not in ("Parameter", "Result", "Constant")
                   and n.get_friendly_name() not in supported})


def targets(core: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    return {"CPU": ("CPU", {"PERFORMANCE_HINT": "LATENCY"}),
            "GPU f32": ("GPU", {"INFERENCE_PRECISION_HINT": "f32"}),
            "GPU f16": ("GPU", {"INFERENCE_PRECISION_HINT": "f16"})}


def latency_table(core: Any) -> None:
    rounds, per = (2, 3) if QUICK else (5, 10)
    names = list(targets(core))
    print("\nlatency (ms, median, one request)")
    print(f"  {'model':22s} " + " ".join(f"{n:>9s}" for n in names) + "  f32 max rel diff")
    for name in CASES:
        folder = CORPUS / name
        if not (folder / "model.xml").is_file():
            print(f"  {name:22s} not in the corpus at {CORPUS}")
            continue
        model = core.read_model(str(folder / "model.xml"))
        lacking = missing_ops(core, model, "GPU")
        if lacking:
            print(f"  {name:22s} GPU n/a: no kernel for {', '.join(lacking)}")
            continue
        inputs = {k: v for k, v in np.load(folder / "inputs.npz").items()
                  if not k.startswith("#") and ":" not in k}
        fns, outs = {}, {}
        for label, (device, config) in targets(core).items():
            compiled = core.compile_model(model, device, config)
            request = compiled.create_infer_request()
            data = feed(compiled, inputs)
            outs[label] = np.asarray(request.infer(data)[0], dtype=np.float64)
            fns[label] = (lambda r, d: lambda: r.infer(d))(request, data)
        ms = median_ms(fns, rounds, per)
        scale = float(np.abs(outs["CPU"]).max()) or 1.0
        diff = float(np.abs(outs["GPU f32"] - outs["CPU"]).max()) / scale
        print(f"  {name:22s} " + " ".join(f"{ms[n]:9.2f}" for n in names) + f"  {diff:.1e}")


def matmul_gflops(core: Any) -> None:
    import openvino as ov
    import openvino.opset13 as ops

    n = 512
    a = ops.parameter([n, n], np.float32)
    b = ops.parameter([n, n], np.float32)
    model = ov.Model([ops.matmul(a, b, False, False)], [a, b])
    rng = np.random.default_rng(0)
    x, y = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
    fns = {}
    for label, (device, config) in targets(core).items():
        request = core.compile_model(model, device, config).create_infer_request()
        fns[label] = (lambda r: lambda: r.infer([x, y]))(request)
    ms = median_ms(fns, 2 if QUICK else 3, 3)
    print(f"\n{n}x{n}x{n} f32 MatMul (GFLOP/s): " + ", ".join(
        f"{k} {2 * n ** 3 / (v * 1e-3) / 1e9:.1f}" for k, v in ms.items()))


def main() -> int:
    try:
        import openvino as ov
        from openvino_gpu.devices import discovery_failures, opencl_devices
    except ImportError:
        print("bench_gpu: the GPU device (openvino-gpu) is not installed in this environment; "
              "pip install './openvino-gpu[pocl]'")
        return 0
    devices = opencl_devices()
    if not devices:
        print("bench_gpu: no OpenCL device (" + "; ".join(discovery_failures()) + ")")
        return 0
    core = ov.Core()
    if "CPU" not in core.available_devices:
        print("bench_gpu: the CPU device (openvino-cpu) is not installed; nothing to compare")
        return 0
    dev = devices[0]
    kind = "OpenCL CPU device standing in for a GPU" if dev.info.is_cpu else "GPU"
    print(f"GPU device benchmark: GPU = {dev.name} ({dev.platform_name}, {kind}; "
          f"cl_khr_fp16: {'yes' if dev.info.fp16 else 'no'})")
    latency_table(core)
    matmul_gflops(core)
    return 0


if __name__ == "__main__":
    sys.exit(main())
