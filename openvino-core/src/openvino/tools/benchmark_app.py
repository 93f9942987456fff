"""``benchmark_app``: measure a model's latency and throughput on a device.

    benchmark_app                          # the bundled sample model on AUTO
    benchmark_app -m model.xml -d CPU -hint latency -niter 200
    benchmark_app -m model.onnx -d TEMPLATE -hint throughput -t 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["main"]


def _sample_model_path() -> Path:
    return Path(str(resources.files("openvino.tools") / "samples" / "sample_convnet.xml"))


def _parse_shape(text: str | None) -> dict[str, list[int]] | list[int] | None:
    """``-shape [1,3,224,224]`` or ``-shape input1[1,3],input2[2]``."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        return [int(v) for v in text.strip("[]").split(",") if v.strip()]
    out: dict[str, list[int]] = {}
    for part in text.split("],"):
        name, _, dims = part.partition("[")
        out[name.strip()] = [int(v) for v in dims.strip("]").split(",") if v.strip()]
    return out


def _make_input(port: Any, rng: np.random.Generator, batch: int) -> Any:
    import openvino as ov

    ps = port.get_partial_shape()
    dims = [d.get_length() if d.is_static else max(d.get_min_length(), batch if i == 0 else 1)
            for i, d in enumerate(ps)]
    et = port.get_element_type()
    if et == ov.Type.string:
        return np.array(["sample"] * int(np.prod(dims, dtype=np.int64))).reshape(dims)
    if et == ov.Type.boolean:
        return rng.integers(0, 2, size=dims).astype(bool)
    if et.is_integral():
        return rng.integers(0, 10, size=dims).astype(et.to_dtype())
    return rng.standard_normal(size=dims).astype(et.to_dtype())


class _Progress:
    """A one-line progress bar on stderr (only when it is a terminal or forced)."""

    def __init__(self, total_s: float | None, total_iter: int | None, enabled: bool) -> None:
        self.total_s, self.total_iter, self.enabled = total_s, total_iter, enabled
        self.start = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        if self.total_iter:
            frac = min(done / self.total_iter, 1.0)
        else:
            frac = min((now - self.start) / self.total_s, 1.0) if self.total_s else 1.0
        width = 40
        bar = "#" * int(frac * width) + "." * (width - int(frac * width))
        sys.stderr.write(f"\r[{bar}] {frac * 100:5.1f}% | {done} iterations")
        if final:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmark_app", description=__doc__.splitlines()[0])
    parser.add_argument("-m", dest="model", help="model file (.xml IR or .onnx); "
                        "default: the bundled sample model")
    parser.add_argument("-d", dest="device", default="AUTO", help="device (default AUTO)")
    parser.add_argument("-hint", dest="hint", default="latency",
                        choices=["latency", "throughput", "cumulative_throughput", "none"])
    parser.add_argument("-niter", type=int, default=None, help="number of iterations")
    parser.add_argument("-t", dest="time", type=float, default=None,
                        help="duration in seconds (default 5 when -niter is not given)")
    parser.add_argument("-nireq", type=int, default=None, help="number of infer requests")
    parser.add_argument("-api", choices=["sync", "async"], default=None)
    parser.add_argument("-shape", default=None, help="input shape(s) for dynamic models")
    parser.add_argument("-b", dest="batch", type=int, default=1, help="batch for dynamic dims")
    parser.add_argument("-progress", action="store_true", help="always show the progress bar")
    parser.add_argument("-pc", action="store_true", help="report per-node performance counters")
    args = parser.parse_args(argv)

    import openvino as ov
    import openvino.properties.hint as hints

    model_path = Path(args.model) if args.model else _sample_model_path()
    if not model_path.exists():
        print(f"[ ERROR ] model file not found: {model_path}", file=sys.stderr)
        return 1
    print(f"[Step 1/6] Reading model {model_path}")
    core = ov.Core()
    t0 = time.perf_counter()
    try:
        model = core.read_model(str(model_path))
    except (RuntimeError, TypeError, ImportError) as e:
        print(f"[ ERROR ] cannot read {model_path}: {e}", file=sys.stderr)
        return 1
    print(f"[ INFO ] Read model took {(time.perf_counter() - t0) * 1000:.2f} ms")
    shape = _parse_shape(args.shape)
    if shape is not None:
        model.reshape(shape)

    print(f"[Step 2/6] Compiling model for {args.device} (hint: {args.hint})")
    config: dict[Any, Any] = {}
    if args.hint != "none":
        config[hints.performance_mode] = getattr(hints.PerformanceMode, args.hint.upper())
    if args.pc:
        config["PERF_COUNT"] = True
    t0 = time.perf_counter()
    try:
        compiled = core.compile_model(model, args.device, config)
    except (RuntimeError, TypeError) as e:
        print(f"[ ERROR ] cannot compile for {args.device}: {e}", file=sys.stderr)
        return 1
    print(f"[ INFO ] Compile model took {(time.perf_counter() - t0) * 1000:.2f} ms")
    try:
        devices = compiled.get_property("EXECUTION_DEVICES")
        print(f"[ INFO ] Execution devices: {devices}")
    except (RuntimeError, KeyError, TypeError):
        pass

    api = args.api or ("sync" if args.hint == "latency" else "async")
    nireq = args.nireq or (1 if api == "sync" else int(
        compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
    rng = np.random.default_rng(0)
    inputs = {i: _make_input(port, rng, args.batch) for i, port in enumerate(compiled.inputs)}
    for port, data in zip(compiled.inputs, inputs.values()):
        names = ", ".join(sorted(port.get_names())) or "<unnamed>"
        print(f"[ INFO ] input {names}: {port.get_element_type().get_type_name()} "
              f"{list(np.shape(data))}")

    duration = args.time if args.time is not None else (None if args.niter else 5.0)
    niter = args.niter
    print(f"[Step 3/6] Measuring: {api} API, {nireq} request(s), "
          + (f"{niter} iterations" if niter else f"{duration} s"))
    progress = _Progress(duration, niter, args.progress or sys.stderr.isatty())
    latencies: list[float] = []

    # warm-up (not counted)
    compiled.create_infer_request().infer(inputs)

    start = time.perf_counter()
    if api == "sync":
        request = compiled.create_infer_request()
        done = 0
        while (niter is None or done < niter) and (
                duration is None or time.perf_counter() - start < duration):
            t = time.perf_counter()
            request.infer(inputs)
            latencies.append((time.perf_counter() - t) * 1000)
            done += 1
            progress.update(done)
    else:
        queue = ov.AsyncInferQueue(compiled, nireq)
        lock = threading.Lock()
        starts: dict[int, float] = {}

        def on_done(request: Any, userdata: int) -> None:
            with lock:
                latencies.append((time.perf_counter() - starts.pop(userdata)) * 1000)

        queue.set_callback(on_done)
        done = 0
        while (niter is None or done < niter) and (
                duration is None or time.perf_counter() - start < duration):
            starts[done] = time.perf_counter()
            queue.start_async(inputs, userdata=done)
            done += 1
            progress.update(done)
        queue.wait_all()
    total = time.perf_counter() - start
    progress.update(len(latencies), final=True)

    count = len(latencies)
    print("[Step 4/6] Results")
    print(f"[ INFO ] Count:        {count} iterations")
    print(f"[ INFO ] Duration:     {total * 1000:.2f} ms")
    print("[ INFO ] Latency:")
    print(f"[ INFO ]    Median:    {statistics.median(latencies):.3f} ms")
    print(f"[ INFO ]    Average:   {statistics.fmean(latencies):.3f} ms")
    print(f"[ INFO ]    Min:       {min(latencies):.3f} ms")
    print(f"[ INFO ]    Max:       {max(latencies):.3f} ms")
    for q in (90, 99):
        print(f"[ INFO ]    P{q}:       {_percentile(latencies, q):.3f} ms")
    print(f"[ INFO ] Throughput:   {count / total:.2f} FPS")
    if args.pc:
        req = compiled.create_infer_request()
        req.infer(inputs)
        print("[Step 5/6] Performance counters")
        for info in req.get_profiling_info():
            print(f"  {info.node_name:40s} {info.node_type:20s} {info.exec_type:16s} "
                  f"{info.real_time.total_seconds() * 1e6:10.1f} us")
    print("[Step 6/6] Done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
