"""The RAY device next to direct CPU, in the same run, on a one-node Ray cluster of this
machine's cores (``ray.cluster_utils.Cluster``, dashboard off, shut down at the end).

* overhead of the Ray hop per request on loopback: median latency of one synchronous
  request of the add model ([1, 8] f32) on ``RAY`` (one actor, ``LATENCY`` hint: the
  compiled-graph channel) minus on ``CPU`` (bar: <= 1 ms);
* ResNet-50-shaped throughput (the onnx package's ``light_resnet50.onnx`` with seeded
  random weights, batch 1 x 3 x 224 x 224): ``AsyncInferQueue`` under the ``THROUGHPUT``
  hint on ``CPU`` and on ``RAY`` with the same cores (the device's default layout: one
  actor holding the node's cores, computing with the node's own ``THROUGHPUT`` streams,
  reached through local links), two jobs per ``OPTIMAL_NUMBER_OF_INFER_REQUESTS`` on both
  (bar: ``RAY`` >= 0.9x ``CPU``).

Both measure ``CPU`` and ``RAY`` in alternating rounds in the same process, so that the
load of a shared machine falls on both alike. The throughput part also prints the load
average and, per round and in total, inferences per CPU second (``RAY``: every process of
the cluster counted), which a loaded machine's share of cores does not decide.

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
#: CPU and RAY measured in turn this many times each (machine load falls on both alike)
ROUNDS = 3 if QUICK else 5


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _load() -> str:
    """The machine's load averages (1, 5, 15 min): a loaded machine's fps say little."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def add_model():
    import openvino as ov
    import openvino.opset13 as ops

    a = ops.parameter([1, 8], np.float32, name="a")
    b = ops.parameter([1, 8], np.float32, name="b")
    return ov.Model([ops.add(a, b)], [a, b], "add")


def latencies(compiled, inputs, runs: int, warm_seconds: float = 1.0) -> list[float]:
    """Seconds per synchronous request, after ``warm_seconds`` of warm-up (RAY builds its
    channel to the worker in the background then: a few seconds on a loaded machine)."""
    request = compiled.create_infer_request()
    start = time.perf_counter()
    warm = 0
    while warm < 20 or time.perf_counter() - start < warm_seconds:
        request.infer(inputs)
        warm += 1
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request.infer(inputs)
        times.append(time.perf_counter() - start)
    return times


def tree_cpu_seconds() -> float:
    """CPU seconds used so far by this process and every process below it (the Ray
    cluster this bench started: GCS, raylet, workers), from ``/proc``; this process's
    own where ``/proc`` is missing."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    if not times:
        return time.process_time()
    tree = {os.getpid()}
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(pid, 0.0) for pid in tree)


def throughput(compiled, inputs, seconds: float,
               cpu_clock=time.process_time) -> tuple[int, float, float]:
    """(requests done, seconds taken, CPU seconds used by ``cpu_clock``'s processes) of
    an ``AsyncInferQueue`` kept full."""
    import openvino as ov

    # two jobs per request the device runs at once: the next input is on its way while
    # one computes (what a Ray hop needs to keep an actor busy; CPU gets the same)
    jobs = 2 * compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    queue = ov.AsyncInferQueue(compiled, jobs)
    for _ in range(len(queue)):  # warm every request
        queue.start_async(inputs)
    queue.wait_all()
    done = 0
    cpu = cpu_clock()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(len(queue)):
            queue.start_async(inputs)
            done += 1
    queue.wait_all()
    return done, time.perf_counter() - start, cpu_clock() - cpu


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
        runs = 100 if QUICK else 500
        on_cpu = core.compile_model(add_model(), "CPU")
        on_ray_model = core.compile_model(add_model(), "RAY", {"RAY_TARGET_DEVICE": "CPU"})
        cpu_times: list[float] = []
        ray_times: list[float] = []
        for i in range(ROUNDS):  # alternated: the machine's load falls on both alike
            cpu_times += latencies(on_cpu, x, runs)
            ray_times += latencies(on_ray_model, x, runs, 5.0 if i == 0 else 1.0)
        cpu, on_ray = statistics.median(cpu_times), statistics.median(ray_times)
        del on_ray_model  # its workers leave the cores to the throughput runs
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
        on_cpu = core.compile_model(model, "CPU", hint)
        compiled = core.compile_model(model, "RAY", {**hint, "RAY_TARGET_DEVICE": "CPU"})
        totals = {"CPU": [0, 0.0, 0.0], "RAY": [0, 0.0, 0.0]}
        rounds = []
        per_cpu_second = []
        print(f"load average before the ResNet-50 rounds: {_load()}")
        for _ in range(ROUNDS):  # alternated, as above
            efficiency = {}
            for name, target, clock in (("CPU", on_cpu, time.process_time),
                                        ("RAY", compiled, tree_cpu_seconds)):
                done, took, used = throughput(target, image, seconds / ROUNDS, clock)
                for i, value in enumerate((done, took, used)):
                    totals[name][i] += value
                rounds.append(f"{name} {done / took:.1f}")
                efficiency[name] = done / max(used, 1e-9)
            per_cpu_second.append(f"{efficiency['RAY'] / efficiency['CPU']:.2f}x")
        cpu_fps = totals["CPU"][0] / totals["CPU"][1]
        ray_fps = totals["RAY"][0] / totals["RAY"][1]
        print(f"load average after: {_load()}")
        print(f"ResNet-50 rounds (fps): {', '.join(rounds)}")
        print(f"ResNet-50 rounds, RAY / CPU inferences per CPU second: "
              f"{', '.join(per_cpu_second)}")
        # inferences per CPU second (RAY: driver, GCS, raylet and workers together): what
        # the Ray hop costs, whatever share of a loaded machine each run got
        cpu_eff = totals["CPU"][0] / max(totals["CPU"][2], 1e-9)
        ray_eff = totals["RAY"][0] / max(totals["RAY"][2], 1e-9)
        print(f"ResNet-50 inferences per CPU second: CPU {cpu_eff:.2f} (using "
              f"{totals['CPU'][2] / totals['CPU'][1]:.2f} cores), RAY {ray_eff:.2f} (using "
              f"{totals['RAY'][2] / totals['RAY'][1]:.2f} cores, every Ray process): "
              f"{ray_eff / cpu_eff:.2f}x")
        ratio = ray_fps / cpu_fps
        ok = ratio >= 0.9
        failed += [] if ok else ["throughput"]
        print(f"ResNet-50 1x3x224x224 THROUGHPUT: CPU {cpu_fps:.2f} fps, RAY "
              f"{ray_fps:.2f} fps (actors: {compiled.get_property('NUM_STREAMS')}): "
              f"{ratio:.2f}x (bar >= 0.9x: {'ok' if ok else 'MISSED'})")
    finally:
        ray.shutdown()
        cluster.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
