"""The CPU export holds the compiled plan (``openvino_cpu.plan_export``): an import runs
the same plan without compiling, gives bit-identical results, and rejects blobs of another
build, kernel geometry or with damaged records (the model cache then compiles again)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import corpus_folder
from helpers import plan_of

import openvino as ov
import openvino.opset13 as ops
import openvino.properties as props
from openvino_cpu import compiled_model as cpu_compiled_model
from openvino_cpu import plan_export
from openvino_cpu.plugin import CPUPlugin

BENCH = Path(__file__).resolve().parents[2] / "bench"


def conv_model() -> ov.Model:
    """Conv (+ fused BatchNorm-like multiply and ReLU), pooling, a packed MatMul, Softmax."""
    rng = np.random.default_rng(21)
    x = ops.parameter([1, 3, 16, 16], np.float32, name="x")
    x.output(0).set_names({"x"})
    w = ops.constant(rng.standard_normal((8, 3, 3, 3)).astype(np.float32))
    conv = ops.convolution(x, w, [1, 1], [1, 1], [1, 1], [1, 1])
    scaled = ops.multiply(conv, ops.constant(rng.uniform(0.5, 1.5, (1, 8, 1, 1))
                                             .astype(np.float32)))
    act = ops.relu(ops.add(scaled, ops.constant(rng.standard_normal((1, 8, 1, 1))
                                                .astype(np.float32))))
    pool = ops.max_pool(act, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2]).output(0)
    flat = ops.reshape(pool, ops.constant(np.array([1, -1], np.int64)), False)
    fc = ops.matmul(flat, ops.constant(rng.standard_normal((512, 10)).astype(np.float32)),
                    False, False)
    out = ops.softmax(fc, 1)
    out.output(0).set_names({"probs"})
    return ov.Model([out], [x], "conv_export")


DATA = np.random.default_rng(4).standard_normal((1, 3, 16, 16)).astype(np.float32)


def split(blob: bytes) -> tuple[dict, bytes]:
    """(header, body) of a CPU export (device payload, without the core's wrapper)."""
    start = len(plan_export.MAGIC) + 8
    _, size = struct.unpack_from("<II", blob, len(plan_export.MAGIC))
    return json.loads(blob[start:start + size]), blob[start + size:]


def join(header: dict, body: bytes) -> bytes:
    raw = json.dumps(header).encode()
    raw += b" " * (-(len(plan_export.MAGIC) + 8 + len(raw)) % 64)
    return (plan_export.MAGIC + struct.pack("<II", plan_export.PLAN_FORMAT, len(raw)) + raw
            + body)


def device_export(model: ov.Model, config: dict | None = None) -> bytes:
    return ov.Core().compile_model(model, "CPU", config or {})._device_model.export()


# --- the plan travels --------------------------------------------------------------------------

def test_import_runs_the_stored_plan(monkeypatch) -> None:
    core = ov.Core()
    fresh = core.compile_model(conv_model(), "CPU")
    blob = fresh.export_model()
    header, _ = split(fresh._device_model.export())
    assert header["plan"] is not None and header["geometry"] == plan_export.geometry()

    def fail(*args, **kwargs):
        raise AssertionError("compile_plan ran during an import of a plan export")

    monkeypatch.setattr(cpu_compiled_model, "compile_plan", fail)
    imported = core.import_model(blob, "CPU")
    plan = plan_of(imported)
    assert plan.graph is None  # restored, not compiled
    assert plan.kernel_counts() == plan_of(fresh).kernel_counts()
    np.testing.assert_array_equal(imported({"x": DATA})["probs"], fresh({"x": DATA})["probs"])
    assert imported.input("x").get_names() == {"x"}
    assert imported.output(0).get_names() == {"probs"}
    # the restored plan's constant arrays are aligned for the kernels
    assert all(a.ctypes.data % 64 == 0 for a in plan.const_arrays)


def test_imported_model_reports_what_the_compiled_one_does() -> None:
    core = ov.Core()
    fresh = core.compile_model(conv_model(), "CPU", {"PERF_COUNT": True})
    imported = core.import_model(fresh.export_model(), "CPU")
    assert imported.get_property("PERF_COUNT") == fresh.get_property("PERF_COUNT")
    fresh_req, imported_req = fresh.create_infer_request(), imported.create_infer_request()
    fresh_req.infer({"x": DATA})
    imported_req.infer({"x": DATA})

    def summary(req):
        return [(p.node_name, p.node_type, p.exec_type, str(p.status))
                for p in req.get_profiling_info()]

    assert summary(imported_req) == summary(fresh_req)

    def layers(model):
        return [(op.get_friendly_name(), dict(op.get_rt_info()).get("layerType"),
                 str(dict(op.get_rt_info()).get("primitiveType")))
                for op in model.get_ordered_ops()]

    assert layers(imported.get_runtime_model()) == layers(fresh.get_runtime_model())
    # an imported model exports again, and that export imports
    again = core.import_model(imported.export_model(), "CPU")
    np.testing.assert_array_equal(again({"x": DATA})["probs"], fresh({"x": DATA})["probs"])


def test_models_without_a_static_kernel_plan_export_the_model() -> None:
    x = ops.parameter([-1, 4], np.float32, name="x")
    dyn = ov.Model([ops.relu(x)], [x], "dynamic")
    header, _ = split(device_export(dyn))
    assert header["plan"] is None
    core = ov.Core()
    imported = core.import_model(core.compile_model(dyn, "CPU").export_model(), "CPU")
    data = np.array([[-1, 2, -3, 4], [5, -6, 7, -8]], np.float32)
    np.testing.assert_array_equal(imported(data)[0], np.maximum(data, 0))


@pytest.mark.parametrize("case", sorted(p.name for p in corpus_folder().iterdir()
                                        if (p / "case.json").is_file())
                         if corpus_folder().is_dir() else [])
def test_corpus_model_imported_gives_identical_results(case) -> None:
    folder = corpus_folder() / case
    core = ov.Core()
    fresh = core.compile_model(str(folder / "model.xml"), "CPU")
    inputs = np.load(folder / "inputs.npz")
    feed = {i: inputs[f"#{i}"] for i in range(len(fresh.inputs))}
    imported = core.import_model(fresh.export_model(), "CPU")
    fresh_out = fresh.create_infer_request().infer(feed)
    imported_out = imported.create_infer_request().infer(feed)
    for i in range(len(fresh.outputs)):
        np.testing.assert_array_equal(np.asarray(imported_out[i]), np.asarray(fresh_out[i]))


def _bench_models(tmp: Path) -> dict[str, Path]:
    sys.path.insert(0, str(BENCH))
    try:
        import bench_model_cache
    finally:
        sys.path.remove(str(BENCH))
    return bench_model_cache.make_models(tmp)


@pytest.mark.skipif(not (BENCH / "bench_model_cache.py").is_file(), reason="no bench folder")
def test_bench_models_imported_give_identical_results(tmp_path) -> None:
    core = ov.Core()
    rng = np.random.default_rng(8)
    for name, xml in _bench_models(tmp_path).items():
        fresh = core.compile_model(str(xml), "CPU")
        assert plan_export.exportable(plan_of(fresh)), name
        imported = core.import_model(fresh.export_model(), "CPU")
        assert plan_of(imported).graph is None, name
        port = fresh.input(0)
        shape = tuple(port.get_shape())
        if port.get_element_type() == ov.Type.i64:
            data = rng.integers(0, 30522, shape).astype(np.int64)
        else:
            data = rng.standard_normal(shape).astype(np.float32)
        np.testing.assert_array_equal(imported(data)[0], fresh(data)[0], err_msg=name)


# --- rejected blobs ----------------------------------------------------------------------------

def _rejected(blob: bytes, match: str) -> None:
    with pytest.raises(RuntimeError, match=match):
        CPUPlugin().import_model(blob, {})


@pytest.mark.parametrize("geometry", [{"isa": "avx2", "nr": 16}, {"isa": "avx512", "nr": 32},
                                      {"mr": 4}, {"step": 1}, {"scratch": 1}])
def test_blob_of_another_kernel_geometry_is_rejected(geometry) -> None:
    header, body = split(device_export(conv_model()))
    changed = {**header["geometry"], **geometry}
    if changed == plan_export.geometry():
        pytest.skip("this machine has that geometry")
    header["geometry"] = changed
    _rejected(join(header, body), "kernel geometry")


def test_blob_of_another_build_or_format_is_rejected() -> None:
    blob = device_export(conv_model())
    header, body = split(blob)
    header["build"] = "0" * 64
    _rejected(join(header, body), "another build")
    other_format = (plan_export.MAGIC + struct.pack("<I", plan_export.PLAN_FORMAT + 1)
                    + blob[len(plan_export.MAGIC) + 4:])
    _rejected(other_format, "export format")
    _rejected(b"not a cpu blob at all", "not a model exported by the CPU device")
    _rejected(blob[:40], "damaged|not a model")


def test_damaged_step_records_are_rejected() -> None:
    blob = device_export(conv_model())
    header, body = split(blob)
    start, size = header["plan"]["records"]
    damaged = bytearray(body)
    damaged[start + size // 2] ^= 0x10
    _rejected(join(header, bytes(damaged)), "damaged")
    # a record naming a buffer that is not in the plan, with a matching checksum
    from openvino_cpu._native import ffi

    recs = ffi.from_buffer("ov_step[]", damaged, require_writable=True)
    recs[0].buf[0] = 10_000
    header["plan"]["checksum"] = plan_export.blob_checksum(
        bytes(damaged[start:start + size]))
    _rejected(join(header, bytes(damaged)), "damaged")


def test_geometry_change_in_the_cache_recompiles_and_rewrites(tmp_path) -> None:
    """A cache entry packed for another kernel geometry (as ``OV_CPU_ISA`` or another
    machine gives) is compiled again and rewritten, never run."""
    code = textwrap.dedent("""
        import json, sys
        import numpy as np
        import openvino as ov
        core = ov.Core()
        model = core.read_model(sys.argv[1])  # keyed by contents, however old the file is
        compiled = core.compile_model(model, "CPU", {"CACHE_DIR": sys.argv[2]})
        from openvino_cpu.plan_export import geometry
        out = compiled(np.load(sys.argv[3]))[0]
        print(json.dumps({"loaded": compiled.get_property("LOADED_FROM_CACHE"),
                          "geometry": geometry(), "out": np.asarray(out).tolist()}))
    """)
    xml = tmp_path / "model.xml"
    ov.save_model(conv_model(), xml, compress_to_fp16=False)
    np.save(tmp_path / "x.npy", DATA)
    runs = []
    for isa in ("", "1", "1", ""):
        env = {**os.environ, "OV_CPU_ISA": isa}
        proc = subprocess.run([sys.executable, "-c", code, str(xml), str(tmp_path / "cache"),
                               str(tmp_path / "x.npy")], capture_output=True, text=True,
                              timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert len(list((tmp_path / "cache").glob("*.blob"))) == 1
    expected = ov.Core().compile_model(conv_model(), "CPU")(DATA)[0]
    for run in runs:
        np.testing.assert_allclose(run["out"], expected, rtol=1e-5, atol=1e-6)
    if runs[0]["geometry"] == runs[1]["geometry"]:
        pytest.skip("OV_CPU_ISA=1 gives this machine's own geometry")
    assert [r["loaded"] for r in runs] == [False, False, True, False]


def test_cache_hit_on_cpu_imports_the_plan(tmp_path, monkeypatch) -> None:
    cfg = {"CACHE_DIR": str(tmp_path)}
    fresh = ov.Core().compile_model(conv_model(), "CPU", cfg)
    assert fresh.get_property(props.loaded_from_cache) is False

    def fail(*args, **kwargs):
        raise AssertionError("compile_plan ran on a cache hit")

    monkeypatch.setattr(cpu_compiled_model, "compile_plan", fail)
    hit = ov.Core().compile_model(conv_model(), "CPU", cfg)
    assert hit.get_property(props.loaded_from_cache) is True
    np.testing.assert_array_equal(hit({"x": DATA})["probs"], fresh({"x": DATA})["probs"])
