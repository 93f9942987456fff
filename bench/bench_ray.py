"""The RAY device next to direct CPU, in the same run, on a one-node Ray cluster of this
machine's cores (``ray.cluster_utils.Cluster``, dashboard off, shut down at the end).

* overhead of the Ray hop per request on loopback: median latency of one synchronous
  request of the add model ([1, 8] f32) on ``RAY`` (one actor) minus on ``CPU``
  (bar: <= 1 ms);
* ResNet-50-shaped throughput (the onnx package's ``light_resnet50.onnx`` with seeded
  random weights, batch 1 x 3 x 224 x 224): ``AsyncInferQueue`` under the ``THROUGHPUT``
  hint on ``CPU`` and on ``RAY`` with the same cores (one actor per core, each computing
  on one thread), two jobs per ``OPTIMAL_NUMBER_OF_INFER_REQUESTS`` on both
  (bar: ``RAY`` >= 0.9x ``CPU``).

``--quick`` runs fewer iterations.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
QUICK = "--quick" in sys.argv


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def add_model():
    import openvino as ov
    import openvino.opset13 as ops

    a = ops.parameter([1, 8], np.float32, name="a")
    b = ops.parameter([1, 8], np.float32, name="b")
    return ov.Model([ops.add(a, b)], [a, b], "add")


def latency(compiled, inputs, runs: int) -> float:
    request = compiled.create_infer_request()
    for _ in range(20):
        request.infer(inputs)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request.infer(inputs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(compiled, inputs, seconds: float) -> float:
    import openvino as ov

    # two jobs per request the device runs at once: the next input is on its way while
    # one computes (what a Ray hop needs to keep an actor busy; CPU gets the same)
    jobs = 2 * compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    queue = ov.AsyncInferQueue(compiled, jobs)
    for _ in range(len(queue)):  # warm every request
        queue.start_async(inputs)
    queue.wait_all()
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(len(queue)):
            queue.start_async(inputs)
            done += 1
    queue.wait_all()
    return done / (time.perf_counter() - start)


def main() -> int:
    import ray
    from ray.cluster_utils import Cluster

    import openvino as ov

    cores = _cores()
    cluster = Cluster(initialize_head=True, head_node_args={
        "num_cpus": cores, "include_dashboard": False,
        "object_store_memory": 200 * 1024 * 1024})
    ray.init(address=cluster.address, log_to_driver=False)
    failed = []
    try:
        core = ov.Core()
        print(f"RAY vs CPU on {cores} core(s), Ray {ray.__version__}, one-node cluster")
        x = [np.ones((1, 8), np.float32)] * 2
        runs = 300 if QUICK else 2000
        cpu = latency(core.compile_model(add_model(), "CPU"), x, runs)
        on_ray = latency(core.compile_model(add_model(), "RAY", {"RAY_TARGET_DEVICE": "CPU"}),
                         x, runs)
        overhead = (on_ray - cpu) * 1e3
        ok = overhead <= 1.0
        failed += [] if ok else ["overhead"]
        print(f"add [1,8] sync latency: CPU {cpu * 1e6:.0f} us, RAY {on_ray * 1e6:.0f} us: "
              f"Ray hop {overhead:.3f} ms per request (bar <= 1 ms: {'ok' if ok else 'MISSED'})")

        sys.path.insert(0, str(HERE))
        try:
            from bench_cpu import resnet50_onnx
        except Exception as exc:  # no onnx package: no ResNet-50
            print(f"ResNet-50 throughput: skipped ({type(exc).__name__}: {exc})")
            return 1 if failed else 0
        with tempfile.TemporaryDirectory() as tmp:
            model = core.read_model(str(resnet50_onnx(Path(tmp) / "resnet50.onnx")))
        image = {0: np.random.default_rng(0).random((1, 3, 224, 224), np.float32)}
        seconds = 5.0 if QUICK else 20.0
        hint = {"PERFORMANCE_HINT": "THROUGHPUT"}
        cpu_fps = throughput(core.compile_model(model, "CPU", hint), image, seconds)
        compiled = core.compile_model(model, "RAY", {**hint, "RAY_TARGET_DEVICE": "CPU"})
        ray_fps = throughput(compiled, image, seconds)
        ratio = ray_fps / cpu_fps
        ok = ratio >= 0.9
        failed += [] if ok else ["throughput"]
        print(f"ResNet-50 1x3x224x224 THROUGHPUT: CPU {cpu_fps:.2f} fps, RAY "
              f"{ray_fps:.2f} fps ({compiled.get_property('NUM_STREAMS')} actors): "
              f"{ratio:.2f}x (bar >= 0.9x: {'ok' if ok else 'MISSED'})")
    finally:
        ray.shutdown()
        cluster.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
