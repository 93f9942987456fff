"""Model caching (``CACHE_DIR``) on the CPU device: how long a second compile takes with
and without the cache, next to the real OpenVINO when ``OV_REAL_PYTHON`` names an
interpreter that has it.

Models, each saved as an IR (``model.xml`` + ``model.bin``) in a temporary folder:

* ``resnet50_rw``: the ResNet-50 of ``bench_cpu`` (``light_resnet50.onnx`` with seeded
  random weights, 25.5 M parameters), read through our ONNX reader and saved with f32
  weights;
* ``minilm_l6``: a MiniLM-L6-H384-shaped encoder built here (word and position embeddings
  30522 x 384 and 512 x 384, 6 pre-LN layers, 12 heads, FFN 1536, sequence 128, seeded
  random weights, saved with f16-compressed weights as ``save_model`` does by default).

Measured, each in a fresh process (the time of ``core.compile_model(path, "CPU")`` alone,
after ``import openvino`` and ``Core()``; median of several processes):

* ``no cache``: the compile without ``CACHE_DIR``;
* ``cache hit``: the compile with ``CACHE_DIR`` holding the entry an earlier process wrote
  (the child checks ``LOADED_FROM_CACHE``);
* ``cache miss``: the first compile with an empty ``CACHE_DIR`` (compile + export + write).

The model files are measured at rest (written more than 2 s before), the usual case: the
cache then identifies them by their metadata instead of reading them.

and for a ``Model`` object (``core.read_model(path)``, then ``core.compile_model(model,
"CPU")``), whose key hashes the model itself (graph and weights):

* ``object none`` / ``object hit``: the compile of the object in a new process, without the
  cache and with the entry an earlier process wrote for the object;
* ``in-proc none`` / ``in-proc hit``: the object compiled again in the same process
  (median of the repeats after the first compile, each after the previous compiled model
  was released), without and with the cache;
* ``live hit``: the same with the previous compiled model still alive, whose memory the
  cache hands out again instead of reading the file (``ModelCache.load``).

``--quick`` runs fewer processes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
QUICK = "--quick" in sys.argv

# --- models ------------------------------------------------------------------------------------


def minilm_model() -> Any:
    """A MiniLM-L6-H384-shaped encoder: ``input_ids`` i64[1,128] -> hidden f32[1,128,384]."""
    import openvino as ov
    import openvino.opset13 as ops

    vocab, positions, hidden, heads, ffn, layers, seq = 30522, 512, 384, 12, 1536, 6, 128
    head = hidden // heads
    rng = np.random.default_rng(2025)

    def weight(*shape: int, scale: float | None = None) -> Any:
        s = scale if scale is not None else 1.0 / np.sqrt(shape[0])
        return ops.constant((rng.standard_normal(shape) * s).astype(np.float32))

    def vector(n: int, value: float | None = None) -> Any:
        data = (np.full(n, value, np.float32) if value is not None
                else (rng.standard_normal(n) * 0.02).astype(np.float32))
        return ops.constant(data)

    def layer_norm(x: Any) -> Any:
        mvn = ops.mvn(x, ops.constant(np.array([-1], np.int64)), True, 1e-12, "inside_sqrt")
        return ops.add(ops.multiply(mvn, vector(hidden, 1.0)), vector(hidden))

    def dense(x: Any, n_in: int, n_out: int) -> Any:
        return ops.add(ops.matmul(x, weight(n_in, n_out), False, False), vector(n_out))

    def split_heads(x: Any) -> Any:
        shaped = ops.reshape(x, ops.constant(np.array([1, seq, heads, head], np.int64)), False)
        return ops.transpose(shaped, ops.constant(np.array([0, 2, 1, 3], np.int64)))

    ids = ops.parameter([1, seq], np.int64, name="input_ids")
    ids.output(0).set_names({"input_ids"})
    words = ops.gather(weight(vocab, hidden, scale=0.02), ids, ops.constant(np.int64(0)))
    pos = ops.constant((rng.standard_normal((1, seq, hidden)) * 0.02).astype(np.float32))
    del positions  # the position table is sliced to the sequence length at build time
    x = layer_norm(ops.add(words, pos))
    for _ in range(layers):
        q, k, v = (split_heads(dense(x, hidden, hidden)) for _ in range(3))
        scores = ops.multiply(ops.matmul(q, k, False, True),
                              ops.constant(np.float32(1.0 / np.sqrt(head))))
        context = ops.matmul(ops.softmax(scores, -1), v, False, False)
        merged = ops.reshape(ops.transpose(context, ops.constant(np.array([0, 2, 1, 3],
                                                                          np.int64))),
                             ops.constant(np.array([1, seq, hidden], np.int64)), False)
        x = layer_norm(ops.add(x, dense(merged, hidden, hidden)))
        inner = ops.gelu(dense(x, hidden, ffn), "erf")
        x = layer_norm(ops.add(x, dense(inner, ffn, hidden)))
    x.output(0).set_names({"last_hidden_state"})
    return ov.Model([x], [ids], "minilm_l6")


def make_models(tmp: Path) -> dict[str, Path]:
    """``{name: model.xml}`` of every benchmark model, written under ``tmp``."""
    import openvino as ov

    sys.path.insert(0, str(HERE))
    from bench_cpu import resnet50_onnx

    out = {}
    resnet = ov.Core().read_model(str(resnet50_onnx(tmp / "resnet50_rw.onnx")))
    out["resnet50_rw"] = tmp / "resnet50_rw" / "model.xml"
    ov.save_model(resnet, out["resnet50_rw"], compress_to_fp16=False)
    out["minilm_l6"] = tmp / "minilm_l6" / "model.xml"
    ov.save_model(minilm_model(), out["minilm_l6"])
    return out


# --- measurement -------------------------------------------------------------------------------

# one compile in a new process: of the file path, or (third argument "object") of the Model
# read from it
CHILD = r'''
import json, sys, time
import openvino as ov
path, cache, what = sys.argv[1:4]
core = ov.Core()
source = core.read_model(path) if what == "object" else path
config = {"CACHE_DIR": cache} if cache else {}
t = time.perf_counter()
compiled = core.compile_model(source, "CPU", config)
ms = (time.perf_counter() - t) * 1e3
loaded = compiled.get_property("LOADED_FROM_CACHE") if cache else False
print(json.dumps({"ms": ms, "loaded": bool(loaded)}))
'''

IN_PROCESS = r'''
import json, sys, time
import openvino as ov
path, cache = sys.argv[1:3]
core = ov.Core()
model = core.read_model(path)
config = {"CACHE_DIR": cache} if cache else {}
core.compile_model(model, "CPU", config)
keep = sys.argv[4] == "keep"
times, loaded = [], True
compiled = None
for _ in range(int(sys.argv[3])):
    if not keep:
        compiled = None  # released: nothing of the previous compile is in use
    t = time.perf_counter()
    compiled = core.compile_model(model, "CPU", config)
    times.append((time.perf_counter() - t) * 1e3)
    loaded = loaded and (compiled.get_property("LOADED_FROM_CACHE") if cache else False)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "loaded": bool(loaded)}))
'''


def child(python: str, code: str, *args: str) -> dict[str, Any]:
    proc = subprocess.run([python, "-c", code, *args], capture_output=True, text=True,
                          timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(python: str, xml: Path, tmp: Path, runs: int) -> dict[str, float]:
    """Median milliseconds of a compile in a new process: no cache, cache miss, cache hit
    (interleaved so that load from elsewhere falls on all alike), the same for a Model
    object (no cache, hit); and of a second in-process compile of a Model object without
    and with the cache."""
    cache = tmp / f"cache_{abs(hash((python, str(xml))))}"
    times: dict[str, list[float]] = {"none": [], "miss": [], "hit": [], "object_none": [],
                                     "object_hit": []}
    for _ in range(runs):
        times["none"].append(child(python, CHILD, str(xml), "", "path")["ms"])
        shutil.rmtree(cache, ignore_errors=True)
        miss = child(python, CHILD, str(xml), str(cache), "path")
        if miss["loaded"]:
            raise RuntimeError(f"{xml}: the first compile reported LOADED_FROM_CACHE")
        times["miss"].append(miss["ms"])
        hit = child(python, CHILD, str(xml), str(cache), "path")
        if not hit["loaded"]:
            raise RuntimeError(f"{xml}: the second compile did not load from the cache")
        times["hit"].append(hit["ms"])
        times["object_none"].append(child(python, CHILD, str(xml), "", "object")["ms"])
        # the entry of a Model object is keyed by the model, not by its file: write it
        shutil.rmtree(cache, ignore_errors=True)
        if child(python, CHILD, str(xml), str(cache), "object")["loaded"]:
            raise RuntimeError(f"{xml}: the first compile of the Model object reported "
                               "LOADED_FROM_CACHE")
        hit = child(python, CHILD, str(xml), str(cache), "object")
        if not hit["loaded"]:
            raise RuntimeError(f"{xml}: the Model object did not load from the cache")
        times["object_hit"].append(hit["ms"])
    out = {k: statistics.median(v) for k, v in times.items()}
    repeats = "3" if QUICK else "5"
    out["in_process_none"] = child(python, IN_PROCESS, str(xml), "", repeats, "release")["ms"]
    for mode, name in (("release", "in_process_hit"), ("keep", "in_process_hit_live")):
        shutil.rmtree(cache, ignore_errors=True)
        warm = child(python, IN_PROCESS, str(xml), str(cache), repeats, mode)
        if not warm["loaded"]:
            raise RuntimeError(f"{xml}: the in-process compile did not load from the cache")
        out[name] = warm["ms"]
    shutil.rmtree(cache, ignore_errors=True)
    return out


def main() -> int:
    try:
        import openvino_cpu  # noqa: F401
    except ImportError:
        print("bench_model_cache: the CPU device (openvino-cpu) is not installed in this "
              "environment; pip install ./openvino-cpu")
        return 0
    runs = 3 if QUICK else 5
    real = os.environ.get("OV_REAL_PYTHON")
    peers = [("ours", sys.executable)]
    if real and Path(real).exists():
        peers.append(("real OV", real))
    print("\n== model cache (CACHE_DIR), CPU: compile_model(path), compile_model(Model), ms "
          f"(median of {runs}) ==")
    print(f"  {'model':12s} {'runtime':8s} {'no cache':>9s} {'miss':>9s} {'hit':>9s}"
          f" {'hit/none':>9s} {'object none':>12s} {'object hit':>11s} {'hit/none':>9s}"
          f" {'in-proc none':>13s} {'in-proc hit':>12s} {'hit/none':>9s} {'live hit':>9s}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        models = make_models(tmp)
        # files written less than 2 s ago are keyed by their bytes, older ones by their
        # metadata (openvino/_model_cache.py): measure the usual case, a model file at rest
        time.sleep(2.5)
        for name, xml in models.items():
            for label, python in peers:
                r = measure(python, xml, tmp, runs)
                print(f"  {name:12s} {label:8s} {r['none']:9.1f} {r['miss']:9.1f} {r['hit']:9.1f}"
                      f" {r['hit'] / r['none']:9.2f} {r['object_none']:12.1f}"
                      f" {r['object_hit']:11.1f} {r['object_hit'] / r['object_none']:9.2f}"
                      f" {r['in_process_none']:13.1f}"
                      f" {r['in_process_hit']:12.1f}"
                      f" {r['in_process_hit'] / r['in_process_none']:9.2f}"
                      f" {r['in_process_hit_live']:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
