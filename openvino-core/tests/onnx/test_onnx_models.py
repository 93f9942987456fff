"""Real ONNX models read with ``read_onnx`` and run on the reference executor: the light
models shipped inside the onnx package, and the ``source.onnx`` files of the corpus
(expected outputs from the real OpenVINO reading the same ONNX file)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from openvino._onnx import read_onnx  # noqa: E402
from openvino._reference_executor import ReferencePlan  # noqa: E402

LIGHT_DIR = Path(os.path.dirname(onnx.__file__)) / "backend" / "test" / "data" / "light"
LIGHT_MODELS = sorted(LIGHT_DIR.glob("*.onnx"))


def _dummy_input(vi: onnx.ValueInfoProto) -> np.ndarray:
    """The input the onnx backend runner feeds light models (a ramp over [0, 1))."""
    dims = tuple(d.dim_value if d.HasField("dim_value") else 1
                 for d in vi.type.tensor_type.shape.dim)
    n = int(np.prod(dims))
    return (np.arange(n).reshape(dims) / n).astype(np.float32)


@pytest.mark.skipif(not LIGHT_MODELS, reason=f"no light models in {LIGHT_DIR}")
@pytest.mark.parametrize("path", LIGHT_MODELS, ids=lambda p: p.stem)
def test_light_model_matches_shipped_output(path: Path) -> None:
    proto = onnx.load(str(path))
    inits = {i.name for i in proto.graph.initializer}
    graph_inputs = [vi for vi in proto.graph.input if vi.name not in inits]
    model = read_onnx(path)
    assert [p.get_friendly_name() for p in model.get_parameters()] == \
        [vi.name for vi in graph_inputs]
    assert [o.get_any_name() for o in model.outputs] == [vi.name for vi in proto.graph.output]
    feeds = [_dummy_input(vi) for vi in graph_inputs]
    out = ReferencePlan(model).run(feeds)
    expected = onnx.numpy_helper.to_array(
        onnx.load_tensor(str(path.with_name(path.stem + "_output_0.pb"))))
    assert out[0].shape == expected.shape
    np.testing.assert_allclose(out[0], expected, rtol=1e-3, atol=1e-6)


def _onnx_cases(corpus: Path) -> list[Path]:
    return sorted(p.parent for p in corpus.glob("*/source.onnx")
                  if (p.parent / "expected_onnx_direct.npz").is_file())


def test_corpus_source_onnx_matches_openvino(corpus_dir: Path) -> None:
    cases = _onnx_cases(corpus_dir)
    if not cases:
        pytest.skip(f"no ONNX cases (source.onnx + expected_onnx_direct.npz) in {corpus_dir}")
    for case_dir in cases:
        meta = json.loads((case_dir / "case.json").read_text())
        model = read_onnx(case_dir / "source.onnx")
        wanted = [o["name"] for o in meta["outputs"]]
        have = {n for o in model.outputs for n in o.get_names()}
        # the corpus adds intermediate tensors (by their ONNX names) as extra outputs
        extra = [n for n in wanted if n not in have]
        if extra:
            model.add_outputs(extra)
        inputs = np.load(case_dir / "inputs.npz")
        expected = np.load(case_dir / "expected_onnx_direct.npz")
        feeds = []
        for param in model.get_parameters():
            name = param.get_friendly_name()
            assert name in inputs, f"{case_dir.name}: no input '{name}' in inputs.npz"
            feeds.append(inputs[name])
        outs = ReferencePlan(model).run(feeds)
        by_name = {n: out for out, o in zip(outs, model.outputs) for n in o.get_names()}
        for spec in meta["outputs"]:
            key = spec["name"]
            ref = expected[key]
            out = by_name[key]
            tol = spec.get("tolerance", meta.get("tolerance", {}))
            assert out.shape == ref.shape, f"{case_dir.name}: output {key} shape"
            np.testing.assert_allclose(out, ref, rtol=tol.get("rtol", 1e-4),
                                       atol=tol.get("atol", 1e-5),
                                       err_msg=f"{case_dir.name}: output {key}")
