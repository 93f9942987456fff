"""Every case of the corpus of real-OpenVINO IR models runs on CPU within its tolerance."""

from __future__ import annotations

import json

import numpy as np

import openvino as ov


def test_corpus_case(core: ov.Core, corpus_dir, corpus_case: str) -> None:
    folder = corpus_dir / corpus_case
    case = json.loads((folder / "case.json").read_text())
    model = core.read_model(str(folder / "model.xml"))
    # the settings the expected outputs were computed with (f32, no dynamic quantisation)
    config = case.get("expected_from", {}).get("config", {})
    req = core.compile_model(model, "CPU", config).create_infer_request()
    inputs = np.load(folder / "inputs.npz")
    expected = np.load(folder / "expected.npz")
    if case.get("stateful"):
        req.reset_state()
    for k in range(case.get("runs", 1)):
        prefix = "" if k == 0 else f"run{k}:"
        feed = {}
        for spec in case["inputs"]:
            value = inputs[prefix + spec["name"]]
            feed[spec["name"]] = value.astype(object) if value.dtype.kind == "U" else value
        outs = req.infer(feed)
        for spec in case["outputs"]:
            got = np.asarray(outs[spec["name"]])
            want = expected[prefix + spec["name"]]
            tol = spec["tolerance"]
            assert got.shape == want.shape, f"{spec['name']}: {got.shape} != {want.shape}"
            if spec.get("ill_conditioned"):
                assert np.isfinite(got).all()
                np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-4)
            elif tol.get("exact"):
                if want.dtype.kind == "U":
                    got = np.array([g.decode() if isinstance(g, bytes) else g
                                    for g in got.reshape(-1)]).reshape(want.shape)
                np.testing.assert_array_equal(got, want, err_msg=spec["name"])
            else:
                bad = np.abs(got - want) > tol["atol"] + tol["rtol"] * np.abs(want)
                assert not bad.any(), (f"{prefix}{spec['name']}: max error "
                                       f"{np.abs(got - want).max()} (tolerance {tol})")
    if case.get("stateful"):
        for key in expected.files:
            if key.startswith("state:"):
                states = {s.get_name(): s.state.data for s in req.query_state()}
                np.testing.assert_allclose(states[key[6:]], expected[key], rtol=1e-6)


def test_benchmark_nets_run_in_c(core: ov.Core, corpus_dir) -> None:
    """The nets the benchmarks time have a kernel for every op (nothing in Python)."""
    for name in ("onnx_squeezenet_rw", "onnx_shufflenet_rw", "transformer_toy",
                 "small_convnet", "matmul_u4_groupwise"):
        compiled = core.compile_model(core.read_model(str(corpus_dir / name / "model.xml")),
                                      "CPU")
        counts = compiled._device_model.latest_plan().kernel_counts()
        assert "ref_python" not in counts, f"{name}: {counts}"


def test_corpus_onnx_sources(core: ov.Core, corpus_dir, corpus_case: str) -> None:
    """Cases converted from ONNX: ``source.onnx`` through our ONNX reader on CPU matches
    the real OpenVINO's run of the same file (``expected_onnx_direct.npz``)."""
    folder = corpus_dir / corpus_case
    if not (folder / "source.onnx").is_file():
        return
    case = json.loads((folder / "case.json").read_text())
    compiled = core.compile_model(core.read_model(str(folder / "source.onnx")), "CPU")
    inputs = np.load(folder / "inputs.npz")
    expected = np.load(folder / "expected_onnx_direct.npz")
    outs = compiled({spec["name"]: inputs[spec["name"]] for spec in case["inputs"]})
    names = {n for port in compiled.outputs for n in port.get_names()}
    checked = 0
    for spec in case["outputs"]:
        if spec["name"] not in names or spec["name"] not in expected.files:
            continue  # an output the IR added (not in the ONNX file)
        got, want, tol = np.asarray(outs[spec["name"]]), expected[spec["name"]], spec["tolerance"]
        assert got.shape == want.shape
        if not spec.get("ill_conditioned"):
            bad = np.abs(got - want) > tol["atol"] + tol["rtol"] * np.abs(want)
            assert not bad.any(), f"{spec['name']}: max error {np.abs(got - want).max()}"
        checked += 1
    assert checked, "no output of the ONNX file was compared"
