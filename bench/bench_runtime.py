"""Python-side overheads of the runtime, next to the real OpenVINO in the same run.

* ``Tensor(array)`` copy of f32[8]                      (target <= 2 us)
* ``InferRequest.infer(dict)`` round trip, seed add model (target <= 20 us on TEMPLATE)
* ``AsyncInferQueue`` per job, seed add model            (target <= 40 us on TEMPLATE)

The real OpenVINO runs the same snippet in its own interpreter (``OV_REAL_PYTHON``, set
by ``nox -s bench``); it has no TEMPLATE device in its wheel, so it runs on its CPU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SNIPPET = r'''
import json, statistics, sys, time
import numpy as np
import openvino as ov

device = sys.argv[1]
def median_us(fn, n, repeat=7):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter() - t) / n * 1e6)
    return statistics.median(runs)

arr = np.ones(8, np.float32)
tensor_us = median_us(lambda: ov.Tensor(arr), 20000)

core = ov.Core()
a = ov.opset8.parameter([8], np.float32)
b = ov.opset8.parameter([8], np.float32)
model = ov.Model(ov.opset8.add(a, b), [a, b])
compiled = core.compile_model(model, device)
request = compiled.create_infer_request()
x = np.arange(8, dtype=np.float32)
inputs = {0: x, 1: x}
request.infer(inputs)
infer_us = median_us(lambda: request.infer(inputs), 2000)

jobs = 4
queue = ov.AsyncInferQueue(compiled, jobs)
def run_queue(n=2000):
    for i in range(n):
        queue.start_async(inputs, userdata=i)
    queue.wait_all()
run_queue(200)
t = time.perf_counter()
runs = []
for _ in range(5):
    t = time.perf_counter()
    run_queue(2000)
    runs.append((time.perf_counter() - t) / 2000 * 1e6)
queue_us = statistics.median(runs)
print(json.dumps({"tensor_us": tensor_us, "infer_us": infer_us, "queue_us": queue_us}))
'''


def _run(python: str, device: str) -> dict:
    out = subprocess.run([python, "-c", SNIPPET, device], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ours = _run(sys.executable, os.environ.get("OV_BENCH_DEVICE", "TEMPLATE"))
    real_python = os.environ.get("OV_REAL_PYTHON")
    real = _run(real_python, "CPU") if real_python else None
    targets = {"tensor_us": 2.0, "infer_us": 20.0, "queue_us": 40.0}
    labels = {"tensor_us": "Tensor(f32[8]) copy", "infer_us": "infer(dict), add f32[8]",
              "queue_us": "AsyncInferQueue per job"}
    print("\n== runtime overheads (us, median) ==")
    print(f"{'measure':30s} {'ours':>10s} {'target':>8s} {'real OV':>10s} {'ours/real':>10s}")
    for key, label in labels.items():
        r = f"{real[key]:10.2f}" if real else f"{'n/a':>10s}"
        ratio = f"{ours[key] / real[key]:10.2f}" if real else f"{'n/a':>10s}"
        mark = "ok" if ours[key] <= targets[key] else "MISSED"
        print(f"{label:30s} {ours[key]:10.2f} {targets[key]:8.1f} {r} {ratio}  {mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
