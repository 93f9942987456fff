"""The CPU device through the model cache (``CACHE_DIR``): its export is written on the
first compile and imported by later ones, in this process and in new ones, giving the same
results and the same execution settings as a fresh compile."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import corpus_folder

import openvino as ov
import openvino.opset13 as ops
import openvino.properties as props


def conv_model() -> ov.Model:
    rng = np.random.default_rng(11)
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    x.output(0).set_names({"x"})
    w = ops.constant(rng.standard_normal((4, 3, 3, 3)).astype(np.float32))
    conv = ops.relu(ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1]))
    flat = ops.reshape(conv, ops.constant(np.array([1, -1], np.int64)), False)
    fc = ops.matmul(flat, ops.constant(rng.standard_normal((256, 5)).astype(np.float32)),
                    False, False)
    fc.output(0).set_names({"logits"})
    return ov.Model([fc], [x], "conv")


DATA = np.random.default_rng(3).standard_normal((1, 3, 8, 8)).astype(np.float32)


@pytest.mark.parametrize("config", [{}, {"PERFORMANCE_HINT": "THROUGHPUT"},
                                    {"PERF_COUNT": True, "INFERENCE_NUM_THREADS": 1}],
                         ids=["default", "throughput", "perf_count"])
def test_cpu_round_trips_through_the_cache(tmp_path, config) -> None:
    core = ov.Core()
    assert "EXPORT_IMPORT" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    fresh = core.compile_model(conv_model(), "CPU", config)
    cached_cfg = {**config, "CACHE_DIR": str(tmp_path)}
    first = ov.Core().compile_model(conv_model(), "CPU", cached_cfg)
    assert first.get_property(props.loaded_from_cache) is False
    assert len(list(tmp_path.glob("*.blob"))) == 1
    hit = ov.Core().compile_model(conv_model(), "CPU", cached_cfg)
    assert hit.get_property(props.loaded_from_cache) is True
    np.testing.assert_array_equal(hit({"x": DATA})["logits"], fresh({"x": DATA})["logits"])
    for key in ("NUM_STREAMS", "INFERENCE_NUM_THREADS", "OPTIMAL_NUMBER_OF_INFER_REQUESTS",
                "PERF_COUNT", "PERFORMANCE_HINT"):
        assert hit.get_property(key) == fresh.get_property(key), key


CHILD = """
import json, sys
import numpy as np
import openvino as ov
folder, cache = sys.argv[1:3]
inputs = np.load(folder + "/inputs.npz")
core = ov.Core()
core.set_property({"CACHE_DIR": cache})
compiled = core.compile_model(folder + "/model.xml", "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
feed = {i: inputs["#%d" % i] for i in range(len(compiled.inputs))}
out = compiled(feed)
print(json.dumps({"loaded": compiled.get_property("LOADED_FROM_CACHE"),
                  "outputs": [np.asarray(out[i]).tolist() for i in range(len(compiled.outputs))]}))
"""


@pytest.mark.parametrize("case", ["small_convnet", "transformer_toy"])
def test_corpus_model_from_cache_in_a_new_process(tmp_path, case) -> None:
    folder = corpus_folder() / case
    if not (folder / "model.xml").is_file():
        pytest.skip(f"corpus case {case} not found under {corpus_folder()}")
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), str(folder),
                               str(tmp_path)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert [r["loaded"] for r in runs] == [False, True]
    case_info = json.loads((folder / "case.json").read_text())
    expected = np.load(folder / "expected.npz")
    tol = case_info.get("tolerance", {})
    for i, value in enumerate(runs[1]["outputs"]):
        np.testing.assert_array_equal(value, runs[0]["outputs"][i])
        np.testing.assert_allclose(np.asarray(value, np.float32), expected[f"#{i}"],
                                   rtol=tol.get("rtol", 1e-3), atol=tol.get("atol", 1e-4))
