"""Model caching: ``CACHE_DIR`` keeps compiled blobs between compiles and processes."""

from __future__ import annotations

import inspect
import json
import mmap
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import openvino as ov
import openvino.properties as props
from openvino import _model_cache

from .conftest import accumulator_model
from .fake_devices import DeviceSource, FakePlugin

X = np.linspace(-2.0, 2.0, 12, dtype=np.float32).reshape(1, 12)


def dense_model(scale: float = 1.0, rt: str | None = None) -> ov.Model:
    """``relu(x @ W + b)`` with named tensors and seeded weights (times ``scale``)."""
    rng = np.random.default_rng(5)
    x = ov.opset8.parameter([1, 12], np.float32, name="x")
    x.output(0).set_names({"x"})
    w = ov.opset8.constant((rng.standard_normal((12, 6)) * scale).astype(np.float32))
    b = ov.opset8.constant(rng.standard_normal((1, 6)).astype(np.float32))
    y = ov.opset8.relu(ov.opset8.add(ov.opset8.matmul(x, w, False, False), b))
    y.output(0).set_names({"y"})
    model = ov.Model([y], [x], "dense")
    if rt is not None:
        model.set_rt_info(rt, "tag")
    return model


def expected(scale: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(5)
    w = (rng.standard_normal((12, 6)) * scale).astype(np.float32)
    b = rng.standard_normal((1, 6)).astype(np.float32)
    return np.maximum(X @ w + b, 0)


def blobs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.blob"))


def run_py(code: str, *args: str, timeout: int = 300) -> dict:
    """Run ``code`` in a fresh interpreter; its last stdout line is JSON."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- within one process ------------------------------------------------------------------------

def test_core_wide_cache_dir_writes_then_loads(tmp_path):
    core = ov.Core()
    core.set_property({props.cache_dir: str(tmp_path / "cache")})
    first = core.compile_model(dense_model(), "TEMPLATE")
    assert first.get_property(props.loaded_from_cache) is False
    files = blobs(tmp_path / "cache")
    assert len(files) == 1 and re.fullmatch(r"\d+\.blob", files[0].name)
    second = core.compile_model(dense_model(), "TEMPLATE")
    assert second.get_property("LOADED_FROM_CACHE") is True
    np.testing.assert_allclose(second({"x": X})["y"], expected(), rtol=1e-6)
    np.testing.assert_array_equal(second({"x": X})["y"], first({"x": X})["y"])
    assert second.input("x").get_names() == {"x"}
    assert second.get_property("NETWORK_NAME") == "dense"
    assert blobs(tmp_path / "cache") == files
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_cache_dir_in_compile_config(tmp_path):
    cfg = {"CACHE_DIR": str(tmp_path)}
    assert not ov.Core().compile_model(dense_model(), "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)
    compiled = ov.Core().compile_model(dense_model(), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache)
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(), rtol=1e-6)


def test_without_cache_dir_nothing_is_loaded_or_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    compiled = ov.Core().compile_model(dense_model(), "TEMPLATE")
    assert compiled.get_property(props.loaded_from_cache) is False
    assert not list(tmp_path.iterdir())


def test_compile_from_path_loads_without_reading_the_model(tmp_path, monkeypatch):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    cfg = {"CACHE_DIR": str(tmp_path / "cache")}
    assert not ov.Core().compile_model(str(xml), "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)

    def no_read(*args, **kwargs):
        raise AssertionError("the model was read although the cache had it")

    core = ov.Core()
    monkeypatch.setattr(core, "read_model", no_read)
    compiled = core.compile_model(xml, "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache)
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(), rtol=1e-6)


def test_model_file_changed_on_disk_is_not_served_stale(tmp_path):
    xml = tmp_path / "model.xml"
    cfg = {"CACHE_DIR": str(tmp_path / "cache")}
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    ov.Core().compile_model(xml, "TEMPLATE", cfg)
    ov.save_model(dense_model(scale=3.0), xml, compress_to_fp16=False)
    compiled = ov.Core().compile_model(xml, "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(3.0), rtol=1e-6)
    assert len(blobs(tmp_path / "cache")) == 2


def test_missing_model_file_raises_as_without_cache(tmp_path):
    with pytest.raises(RuntimeError) as plain:
        ov.Core().compile_model(str(tmp_path / "nope.xml"), "TEMPLATE")
    with pytest.raises(RuntimeError) as cached:
        ov.Core().compile_model(str(tmp_path / "nope.xml"), "TEMPLATE",
                                {"CACHE_DIR": str(tmp_path / "c")})
    assert str(cached.value) == str(plain.value)


# --- keys --------------------------------------------------------------------------------------

def test_config_is_part_of_the_key(tmp_path):
    core = ov.Core()
    core.set_property({"CACHE_DIR": str(tmp_path)})
    core.compile_model(dense_model(), "TEMPLATE")
    profiled = core.compile_model(dense_model(), "TEMPLATE", {props.enable_profiling: True})
    assert profiled.get_property(props.loaded_from_cache) is False
    assert len(blobs(tmp_path)) == 2
    again = core.compile_model(dense_model(), "TEMPLATE", {props.enable_profiling: True})
    assert again.get_property(props.loaded_from_cache)
    assert again.get_property("PERF_COUNT") is True
    assert core.compile_model(dense_model(), "TEMPLATE").get_property("PERF_COUNT") is False


def test_device_setting_is_part_of_the_key(tmp_path):
    core = ov.Core()
    cfg = {"CACHE_DIR": str(tmp_path)}
    core.compile_model(dense_model(), "TEMPLATE", cfg)
    core.set_property("TEMPLATE", {props.hint.performance_mode: props.hint.PerformanceMode.
                                   THROUGHPUT})
    compiled = core.compile_model(dense_model(), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    assert compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 2
    again = core.compile_model(dense_model(), "TEMPLATE", cfg)
    assert again.get_property(props.loaded_from_cache)
    assert again.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 2



def test_default_result_names_are_part_of_the_key(tmp_path):
    # as the real runtime: a model built again gets new default Result names, so a new entry
    def unnamed():
        x = ov.opset8.parameter([1, 12], np.float32, name="x")
        return ov.Model(ov.opset8.relu(x), [x])

    cfg = {"CACHE_DIR": str(tmp_path)}
    first = ov.Core().compile_model(unnamed(), "TEMPLATE", cfg)
    second = ov.Core().compile_model(unnamed(), "TEMPLATE", cfg)
    assert not second.get_property(props.loaded_from_cache)
    assert first.outputs[0].get_names() != second.outputs[0].get_names()


@pytest.mark.parametrize("changed", [
    lambda: dense_model(scale=2.0),           # weights
    lambda: dense_model(rt="other"),          # rt_info
], ids=["weights", "rt_info"])
def test_model_is_part_of_the_key(tmp_path, changed):
    cfg = {"CACHE_DIR": str(tmp_path)}
    ov.Core().compile_model(dense_model(rt="base"), "TEMPLATE", cfg)
    other = changed()
    compiled = ov.Core().compile_model(other, "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    assert len(blobs(tmp_path)) == 2


def test_graph_change_is_part_of_the_key(tmp_path):
    cfg = {"CACHE_DIR": str(tmp_path)}
    model = dense_model()
    ov.Core().compile_model(model, "TEMPLATE", cfg)
    model.reshape({"x": [1, 12]})  # same shape: same model
    assert ov.Core().compile_model(model, "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)
    x = ov.opset8.parameter([1, 12], np.float32, name="x")
    x.output(0).set_names({"x"})
    y = ov.opset8.sigmoid(x)
    y.output(0).set_names({"y"})
    compiled = ov.Core().compile_model(ov.Model([y], [x], "dense"), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    np.testing.assert_allclose(compiled({"x": X})["y"], 1 / (1 + np.exp(-X)), rtol=1e-6)


def test_key_covers_device_version_and_config():
    base = _model_cache.compute_key("abc", "TEMPLATE", {"PERF_COUNT": False})
    assert base == _model_cache.compute_key("abc", "TEMPLATE", {"PERF_COUNT": False})
    assert base != _model_cache.compute_key("abd", "TEMPLATE", {"PERF_COUNT": False})
    assert base != _model_cache.compute_key("abc", "CPU", {"PERF_COUNT": False})
    assert base != _model_cache.compute_key("abc", "TEMPLATE", {"PERF_COUNT": True})
    hinted = {"PERFORMANCE_HINT": props.hint.PerformanceMode.LATENCY}
    assert (_model_cache.compute_key("abc", "TEMPLATE", hinted)
            != _model_cache.compute_key("abc", "TEMPLATE",
                                        {"PERFORMANCE_HINT": props.hint.PerformanceMode.
                                         THROUGHPUT}))


# --- damaged files ------------------------------------------------------------------------------

def _split(data: bytes) -> tuple[dict, bytes]:
    start = len(_model_cache.MAGIC) + 4
    size = int.from_bytes(data[len(_model_cache.MAGIC):start], "little")
    return json.loads(data[start:start + size]), data[start + size:]


def _rewrite_header(data: bytes, **changes) -> bytes:
    header, payload = _split(data)
    header.update(changes)
    raw = json.dumps(header).encode()
    return _model_cache.MAGIC + len(raw).to_bytes(4, "little") + raw + payload


DAMAGE = {
    "garbage": lambda d: b"garbage",
    "empty": lambda d: b"",
    "truncated": lambda d: d[: len(d) // 2],
    "truncated_header": lambda d: d[:20],
    "flipped_weight_byte": lambda d: d[:-10] + bytes([d[-10] ^ 0x40]) + d[-9:],
    "other_version": lambda d: _rewrite_header(d, openvino="2020.1.0"),
    "other_format": lambda d: _rewrite_header(d, format=99),
    "other_key": lambda d: _rewrite_header(d, key="0" * 64),
    "other_device": lambda d: _rewrite_header(d, device="CPU"),
    "header_not_json": lambda d: _model_cache.MAGIC + (3).to_bytes(4, "little") + b"{{{" + d,
    "payload_the_device_rejects": lambda d: _model_cache.make_entry(
        _split(d)[0]["key"], "TEMPLATE", b"not a template blob"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_cache_file_is_ignored_and_rewritten(tmp_path, damage):
    cfg = {"CACHE_DIR": str(tmp_path)}
    ov.Core().compile_model(dense_model(), "TEMPLATE", cfg)
    (path,) = blobs(tmp_path)
    good = path.read_bytes()
    path.write_bytes(DAMAGE[damage](good))
    compiled = ov.Core().compile_model(dense_model(), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(), rtol=1e-6)
    assert blobs(tmp_path) == [path]
    key = _split(good)[0]["key"]
    assert _model_cache.parse_entry(path.read_bytes(), key, "TEMPLATE") is not None
    assert ov.Core().compile_model(dense_model(), "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)


def test_parse_entry_rejects_every_prefix():
    entry = _model_cache.make_entry("k" * 64, "TEMPLATE", bytes(range(256)) * 4)
    assert bytes(_model_cache.parse_entry(entry, "k" * 64, "TEMPLATE")) == bytes(range(256)) * 4
    for cut in range(len(entry)):
        assert _model_cache.parse_entry(entry[:cut], "k" * 64, "TEMPLATE") is None


# --- devices ------------------------------------------------------------------------------------

def test_device_without_export_import_is_not_cached(tmp_path, register):
    source = register(DeviceSource(lambda: FakePlugin("FAKE")))
    core = ov.Core()
    assert "EXPORT_IMPORT" not in core.get_property("FAKE", "OPTIMIZATION_CAPABILITIES")
    cfg = {"CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        compiled = core.compile_model(dense_model(), "FAKE", cfg)
        assert compiled.get_property(props.loaded_from_cache) is False
        np.testing.assert_allclose(compiled({"x": X})["y"], expected(), rtol=1e-6)
    assert len(source.last["FAKE"].compiled_on) == 2
    assert not list(tmp_path.iterdir())


def test_auto_caches_through_the_device_it_chooses(tmp_path):
    cfg = {"CACHE_DIR": str(tmp_path)}
    first = ov.Core().compile_model(dense_model(), "AUTO", cfg)
    assert first.get_property(props.loaded_from_cache) is False
    assert len(blobs(tmp_path)) == 1
    second = ov.Core().compile_model(dense_model(), "AUTO", cfg)
    assert second.get_property(props.loaded_from_cache) is True
    assert second.get_property("EXECUTION_DEVICES") == ["TEMPLATE"]
    np.testing.assert_allclose(second({"x": X})["y"], expected(), rtol=1e-6)


def test_auto_with_device_without_export_import(tmp_path, register):
    register(DeviceSource(lambda: FakePlugin("FAKE")))
    compiled = ov.Core().compile_model(dense_model(), "AUTO:FAKE", {"CACHE_DIR": str(tmp_path)})
    assert compiled.get_property(props.loaded_from_cache) is False
    assert compiled.get_property("EXECUTION_DEVICES") == ["FAKE"]
    assert not list(tmp_path.iterdir())


def _named_accumulator() -> ov.Model:
    # the Model constructor names an unnamed Result after the Result node (Result_<n>),
    # and tensor names are part of the key, as in the real runtime: name it to hit
    model = accumulator_model()
    model.outputs[0].get_tensor().set_names({"acc"})
    return model


def test_stateful_model_through_the_cache(tmp_path):
    cfg = {"CACHE_DIR": str(tmp_path)}
    ov.Core().compile_model(_named_accumulator(), "TEMPLATE", cfg)
    compiled = ov.Core().compile_model(_named_accumulator(), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache)
    request = compiled.create_infer_request()
    request.infer([np.ones((1, 2), np.float32)])
    np.testing.assert_array_equal(request.infer([np.ones((1, 2), np.float32)])[0], [[2, 2]])
    assert request.query_state()[0].name == "acc"


# --- across processes ---------------------------------------------------------------------------

CHILD = """
import json, sys
import numpy as np
import openvino as ov
from openvino import properties as props
xml, cache, device = sys.argv[1:4]
core = ov.Core()
core.set_property({props.cache_dir: cache})
compiled = core.compile_model(xml, device)
x = np.linspace(-2.0, 2.0, 12, dtype=np.float32).reshape(1, 12)
print(json.dumps({"loaded": compiled.get_property(props.loaded_from_cache),
                  "y": compiled({"x": x})["y"].tolist()}))
"""


def test_new_process_loads_from_cache(tmp_path):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    cache = tmp_path / "cache"
    first = run_py(CHILD, str(xml), str(cache), "TEMPLATE")
    second = run_py(CHILD, str(xml), str(cache), "TEMPLATE")
    assert first["loaded"] is False and second["loaded"] is True
    np.testing.assert_array_equal(second["y"], first["y"])
    np.testing.assert_allclose(second["y"], expected(), rtol=1e-6)


BUILT_CHILD = """
import json, sys
import numpy as np
import openvino as ov
cache = sys.argv[1]
rng = np.random.default_rng(5)
x = ov.opset8.parameter([1, 12], np.float32, name="x")
w = ov.opset8.constant(rng.standard_normal((12, 6)).astype(np.float32), name="w")
y = ov.opset8.relu(ov.opset8.matmul(x, w, False, False), name="y")
compiled = ov.Core().compile_model(ov.Model([y], [x], "built"), "TEMPLATE",
                                   {"CACHE_DIR": cache})
data = np.ones((1, 12), np.float32)
print(json.dumps({"loaded": compiled.get_property("LOADED_FROM_CACHE"),
                  "y": compiled(data)[0].tolist()}))
"""


def test_new_process_loads_a_built_model_from_cache(tmp_path):
    first = run_py(BUILT_CHILD, str(tmp_path))
    second = run_py(BUILT_CHILD, str(tmp_path))
    assert (first["loaded"], second["loaded"]) == (False, True)
    assert second["y"] == first["y"]


def test_concurrent_processes_share_one_cache(tmp_path):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    cache = tmp_path / "cache"
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(xml),
                               str(cache), "TEMPLATE"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        assert "RuntimeWarning" not in err
        result = json.loads(out.strip().splitlines()[-1])
        np.testing.assert_allclose(result["y"], expected(), rtol=1e-6)
    assert len(blobs(cache)) == 1
    assert not [p for p in cache.iterdir() if p.suffix != ".blob"]
    assert run_py(CHILD, str(xml), str(cache), "TEMPLATE")["loaded"] is True


def test_cache_files_are_replaced_whole(tmp_path, monkeypatch):
    """A writer renames a finished temporary file over the entry: a reader that opens the
    entry while another process rewrites it reads the old file or the new one."""
    cfg = {"CACHE_DIR": str(tmp_path)}
    ov.Core().compile_model(dense_model(), "TEMPLATE", cfg)
    (path,) = blobs(tmp_path)
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((Path(src), Path(dst), Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    path.write_bytes(b"damaged")
    ov.Core().compile_model(dense_model(), "TEMPLATE", cfg)
    assert len(replaced) == 1
    src, dst, data = replaced[0]
    assert dst == path and src.parent == tmp_path and src.name.endswith(".tmp")
    assert data == path.read_bytes()


# --- keys of model files, checksum, payload memory ------------------------------------------

@pytest.fixture
def settled(monkeypatch):
    """Every model file looks settled (changed long enough ago to be keyed by metadata)."""
    real = _model_cache.time.time_ns
    monkeypatch.setattr(_model_cache.time, "time_ns",
                        lambda: real() + 10 * _model_cache.SETTLED_NS)


def test_settled_ir_is_keyed_without_reading_its_files(tmp_path, monkeypatch, settled):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    cfg = {"CACHE_DIR": str(tmp_path / "cache")}
    assert not ov.Core().compile_model(xml, "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)

    def no_read(self, *args, **kwargs):
        raise AssertionError(f"{self} was read although its metadata identifies it")

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", no_read)
        compiled = ov.Core().compile_model(str(xml), "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache)
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(), rtol=1e-6)


@pytest.mark.parametrize("change", ["weights_same_size", "xml", "touch", "replace_file",
                                    "weights_removed"])
def test_settled_ir_changed_in_any_way_is_compiled_again(tmp_path, settled, change):
    xml = tmp_path / "model.xml"
    cfg = {"CACHE_DIR": str(tmp_path / "cache")}
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    ov.Core().compile_model(xml, "TEMPLATE", cfg)
    scale = 1.0
    bin_path = xml.with_suffix(".bin")
    if change == "weights_same_size":
        scale = 3.0
        ov.save_model(dense_model(scale), tmp_path / "other.xml", compress_to_fp16=False)
        bin_path.write_bytes((tmp_path / "other.bin").read_bytes())
    elif change == "xml":
        xml.write_text(xml.read_text().replace('name="dense"', 'name="dense2"'))
    elif change == "touch":
        stat = xml.stat()
        os.utime(xml, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, new ctime
    elif change == "replace_file":
        scale = 2.0
        ov.save_model(dense_model(scale), tmp_path / "new.xml", compress_to_fp16=False)
        os.replace(tmp_path / "new.bin", bin_path)
    else:
        bin_path.unlink()
    if change == "weights_removed":
        with pytest.raises(Exception):  # noqa: B017 - the reader's own error, as uncached
            ov.Core().compile_model(xml, "TEMPLATE", cfg)
        return
    compiled = ov.Core().compile_model(xml, "TEMPLATE", cfg)
    assert compiled.get_property(props.loaded_from_cache) is False
    np.testing.assert_allclose(compiled({"x": X})["y"], expected(scale), rtol=1e-6)


def test_fresh_ir_is_keyed_by_its_bytes(tmp_path):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    source = _model_cache.ModelSource(str(xml), lambda: ov.Core().read_model(xml))
    assert source._settled_digest(xml) is None  # just written
    same = _model_cache.ModelSource(str(xml), lambda: ov.Core().read_model(xml))
    assert source.digest() == same.digest()


def test_checksum_sees_every_bit_and_moved_blocks():
    rng = np.random.default_rng(1)
    data = rng.integers(0, 256, 3 * 8 * 4096 + 13, dtype=np.uint8).tobytes()
    base = _model_cache.payload_checksum(data)
    assert base == _model_cache.payload_checksum(bytearray(data))
    for pos in list(range(0, len(data), 997)) + [len(data) - 1]:
        for bit in (0, 7):
            damaged = bytearray(data)
            damaged[pos] ^= 1 << bit
            assert _model_cache.payload_checksum(damaged) != base, (pos, bit)
    block = 8 * 4096
    swapped = data[block:2 * block] + data[:block] + data[2 * block:]
    assert _model_cache.payload_checksum(swapped) != base
    assert _model_cache.payload_checksum(bytes(len(data))) != base
    assert _model_cache.payload_checksum(b"") == _model_cache.payload_checksum(b"")


def test_hit_hands_the_device_aligned_read_only_memory(tmp_path):
    cache = _model_cache.ModelCache(tmp_path)
    payload = bytes(range(256)) * 41
    cache.store("a" * 64, "TEMPLATE", payload)
    raw = cache.path("a" * 64).read_bytes()
    assert raw.index(payload) % _model_cache.PAYLOAD_ALIGN == 0
    loaded = cache.load("a" * 64, "TEMPLATE")
    assert isinstance(loaded, memoryview) and loaded.readonly and bytes(loaded) == payload
    assert np.frombuffer(loaded, np.uint8).ctypes.data % 64 == 0
    cache.path("a" * 64).write_bytes(raw + b"x")  # longer than its header says
    assert cache.load("a" * 64, "TEMPLATE") is None


def test_entry_written_while_the_file_settled_is_found_and_rekeyed(tmp_path, monkeypatch):
    xml = tmp_path / "model.xml"
    ov.save_model(dense_model(), xml, compress_to_fp16=False)
    cfg = {"CACHE_DIR": str(tmp_path / "cache")}
    ov.Core().compile_model(xml, "TEMPLATE", cfg)  # a fresh file: keyed by its bytes
    assert len(blobs(tmp_path / "cache")) == 1
    real = _model_cache.time.time_ns
    monkeypatch.setattr(_model_cache.time, "time_ns",
                        lambda: real() + 10 * _model_cache.SETTLED_NS)
    compiled = ov.Core().compile_model(xml, "TEMPLATE", cfg)  # settled: found by the bytes
    assert compiled.get_property(props.loaded_from_cache)
    assert len(blobs(tmp_path / "cache")) == 2  # and stored under its metadata key

    def no_read(self, *args, **kwargs):
        raise AssertionError(f"{self} was read although its metadata identifies it")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    again = ov.Core().compile_model(xml, "TEMPLATE", cfg)
    assert again.get_property(props.loaded_from_cache)
    np.testing.assert_allclose(again({"x": X})["y"], expected(), rtol=1e-6)


# --- keys of Model objects ----------------------------------------------------------------------

digest = _model_cache.model_digest
BIG = 3 * _model_cache.HASH_PIECE // 4 + 5  # f32 elements: three pieces, the last one short


def big_model(values: np.ndarray | None = None, *, shared: bool = False, names=("x", "y"),
              transpose: bool = False, param_name: str = "x", op_name: str = "big") -> ov.Model:
    """``x + W`` with ``W`` of ``BIG`` f32 values (several hash pieces) and a small MatMul."""
    if values is None:
        values = big_values()
    x = ov.opset8.parameter([BIG], np.float32, name=param_name)
    x.output(0).set_names({names[0]})
    w = ov.op.Constant(values, shared_memory=shared)
    added = ov.opset8.add(x, w, name=op_name)
    m = ov.opset8.constant(np.arange(9, dtype=np.float32).reshape(3, 3))
    head = ov.opset8.reshape(ov.opset8.slice(added, [0], [6], [1]), [2, 3], False)
    y = ov.opset8.matmul(head, m, False, transpose)
    y.output(0).set_names({names[1]})
    return ov.Model([y], [x], "big")


def big_values() -> np.ndarray:
    return np.random.default_rng(9).standard_normal(BIG).astype(np.float32)


def test_digest_sees_every_constant_byte():
    base = digest(big_model())
    assert digest(big_model()) == base  # built again, new op names: same model
    for pos in (0, _model_cache.HASH_PIECE - 1, _model_cache.HASH_PIECE, 4 * BIG - 1):
        values = big_values()
        raw = values.view(np.uint8)
        raw[pos] ^= 1
        assert digest(big_model(values)) != base, pos
    small = big_model()  # a small constant
    m = ov.opset8.constant(np.arange(9, dtype=np.float32).reshape(3, 3) + 1)
    matmul = next(op for op in small.get_ops() if op.get_type_name() == "MatMul")
    matmul.input(1).replace_source_output(m.output(0))
    assert digest(small) != base


def test_digest_sees_attributes_names_types_shapes_and_rt_info():
    base = digest(big_model())
    assert digest(big_model(transpose=True)) != base  # an attribute
    assert digest(big_model(names=("x", "z"))) != base  # an output tensor name
    assert digest(big_model(names=("data", "y"))) != base  # an input tensor name
    assert digest(big_model(param_name="input")) != base  # a Parameter's name
    assert digest(big_model(op_name="other")) == base  # another op's name: as the runtime
    named = big_model()
    named.output(0).get_tensor().set_names({"y", "y_alias"})
    assert digest(named) != base
    tagged = big_model()
    tagged.get_parameters()[0].get_rt_info()["tag"] = "a"
    assert digest(tagged) != base
    tagged_model = big_model()
    tagged_model.set_rt_info("b", "tag")
    assert digest(tagged_model) != base
    tagged_port = big_model()
    tagged_port.get_parameters()[0].output(0).get_rt_info()["tag"] = "c"
    assert digest(tagged_port) != base
    # plain rt_info values the IR does not store: all of an array, not its printed form
    tables = set()
    for change in (0, 1):
        table = np.arange(5000)
        table[2500] += change
        tabled = big_model()
        tabled.get_parameters()[0].get_rt_info()["table"] = table
        tables.add(digest(tabled))
    assert len(tables) == 2 and base not in tables

    # the same bytes as another element type, or in another shape
    def typed(arr: np.ndarray, shape: list[int]) -> ov.Model:
        x = ov.opset8.parameter(shape, np.float32, name="x")
        c = ov.opset8.convert(ov.opset8.constant(arr), ov.Type.f32)
        return ov.Model([ov.opset8.add(x, c)], [x], "typed")

    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    seen = {digest(typed(data, [2, 3])), digest(typed(data.view(np.int32), [2, 3])),
            digest(typed(data.reshape(3, 2), [3, 2]))}
    assert len(seen) == 3


def test_digest_does_not_depend_on_threads(monkeypatch):
    model = big_model()
    assert model.get_ops()  # several pieces, above the size hashed in parallel
    assert 4 * BIG >= _model_cache._PARALLEL_MIN
    monkeypatch.setattr(_model_cache, "_cpus", lambda: 1)
    one = digest(model)
    monkeypatch.setattr(_model_cache, "_cpus", lambda: 4)
    assert digest(model) == one


DIGEST_CHILD = """
from __future__ import annotations
import json, sys
import numpy as np
import openvino as ov
from openvino import _model_cache
BIG = int(sys.argv[1])
{source}
print(json.dumps({{"digest": _model_cache.model_digest(big_model())}}))
"""


def test_digest_is_the_same_in_a_new_process():
    source = inspect.getsource(big_values) + "\n" + inspect.getsource(big_model)
    child = DIGEST_CHILD.format(source=source)
    assert run_py(child, str(BIG))["digest"] == digest(big_model())


def test_same_model_built_twice_is_a_hit(tmp_path):
    cfg = {"CACHE_DIR": str(tmp_path)}
    first = ov.Core().compile_model(big_model(), "TEMPLATE", cfg)
    second = ov.Core().compile_model(big_model(), "TEMPLATE", cfg)
    assert (first.get_property(props.loaded_from_cache),
            second.get_property(props.loaded_from_cache)) == (False, True)
    data = np.linspace(-1, 1, BIG, dtype=np.float32)
    np.testing.assert_array_equal(second(data)["y"], first(data)["y"])


def _first_big_constant(model: ov.Model):
    return next(op for op in model.get_ops()
                if op.get_type_name() == "Constant" and op.get_byte_size() > 1000)


@pytest.mark.parametrize("how", ["data", "get_data", "tensor_view", "shared_array",
                                 "shared_tensor"])
def test_constant_changed_through_a_writable_view_gets_a_new_key(tmp_path, how):
    values = big_values()
    if how == "shared_tensor":
        tensor = ov.Tensor(values.copy(), shared_memory=True)
        model = big_model()
        const = _first_big_constant(model)
        shared = ov.op.Constant(tensor, shared_memory=True)
        const.output(0).replace(shared.output(0))
    else:
        model = big_model(values, shared=how == "shared_array")
    cfg = {"CACHE_DIR": str(tmp_path)}
    data = np.zeros(BIG, np.float32)
    first = ov.Core().compile_model(model, "TEMPLATE", cfg)
    before = first(data)["y"].copy()
    const = _first_big_constant(model)
    if how == "data":
        const.data[0] += 10
    elif how == "get_data":
        const.get_data()[0] += 10
    elif how == "tensor_view":
        const.get_tensor_view().data[0] += 10
    elif how == "shared_array":
        values[0] += 10
    else:
        tensor.data[0] += 10
    assert const.get_vector()[0] == pytest.approx(big_values()[0] + 10)
    second = ov.Core().compile_model(model, "TEMPLATE", cfg)
    assert second.get_property(props.loaded_from_cache) is False
    after = second(data)["y"]
    assert not np.array_equal(after, before)
    # and compiling it a third time finds the new entry
    assert ov.Core().compile_model(model, "TEMPLATE", cfg).get_property(
        props.loaded_from_cache)


def _count_hashed(monkeypatch) -> list[int]:
    hashed: list[int] = []
    real = _model_cache._sha256

    def counting(data):
        hashed.append(memoryview(data).nbytes)
        return real(data)

    monkeypatch.setattr(_model_cache, "_sha256", counting)
    return hashed


def test_constants_of_a_read_ir_are_hashed_once_and_cannot_change(tmp_path, monkeypatch):
    xml = tmp_path / "model.xml"
    ov.save_model(big_model(), xml, compress_to_fp16=False)
    model = ov.Core().read_model(xml)
    fresh = digest(model)
    hashed = _count_hashed(monkeypatch)
    assert digest(model) == fresh
    assert sum(hashed) < 1000  # the big constant's digest was remembered
    const = _first_big_constant(model)
    for view in (const.data, const.get_data(), const.get_tensor_view().data):
        with pytest.raises(ValueError):
            view[0] = 1.0
        with pytest.raises(ValueError):
            view.setflags(write=True)
    base = const.get_tensor_view().data
    while isinstance(base, np.ndarray):
        with pytest.raises(ValueError):
            base.setflags(write=True)
        base = base.base
    # the file's bytes, read or mapped read-only (ENABLE_MMAP)
    assert isinstance(base, bytes) or isinstance(base.obj, mmap.mmap) and base.readonly
    # the remembered digest is the one computed from the bytes
    _model_cache._KNOWN.clear()
    assert digest(model) == fresh
    assert sum(hashed) > 4 * BIG
    # and a model read again (the same bytes, new arrays) has the same key
    assert digest(ov.Core().read_model(xml)) == fresh


def test_constants_viewing_mutable_weights_are_hashed_every_time(tmp_path, monkeypatch):
    xml = tmp_path / "model.xml"
    ov.save_model(big_model(), xml, compress_to_fp16=False)
    weights = bytearray(xml.with_suffix(".bin").read_bytes())
    model = ov.Core().read_model(xml.read_text(), weights)  # the constants view `weights`
    base = digest(model)
    hashed = _count_hashed(monkeypatch)
    const = _first_big_constant(model)
    start = const.get_tensor_view().data.ctypes.data - np.frombuffer(weights, np.uint8).ctypes.data
    assert 0 <= start < len(weights)
    weights[start] ^= 1
    assert digest(model) != base
    assert sum(hashed) > 4 * BIG
    weights[start] ^= 1
    assert digest(model) == base


def test_remembered_digest_follows_the_array_layout():
    # shape, strides and dtype of an array can be set in place: a remembered digest holds
    # only for the layout it was computed for
    raw = np.frombuffer(bytes(range(48)), np.uint8)
    array = raw.view(np.float32).reshape(3, 4)
    assert _model_cache._immutable(array)
    assert not _model_cache._immutable(np.zeros(3))
    assert not _model_cache._immutable(np.frombuffer(bytearray(8), np.uint8))
    frozen = np.zeros(3)
    frozen.setflags(write=False)
    assert not _model_cache._immutable(frozen)  # its owner can make it writable again
    layout = _model_cache._layout(array)
    array.shape = (4, 3)
    assert _model_cache._layout(array) != layout


def test_payload_in_use_is_handed_out_again_while_its_file_is_unchanged(tmp_path, monkeypatch):
    cache = _model_cache.ModelCache(tmp_path)
    payload = bytes(range(256)) * 41
    cache.store("b" * 64, "TEMPLATE", payload)
    first = cache.load("b" * 64, "TEMPLATE")
    reads: list[int] = []
    real = _model_cache._aligned_bytes
    monkeypatch.setattr(_model_cache, "_aligned_bytes", lambda n: reads.append(n) or real(n))
    again = cache.load("b" * 64, "TEMPLATE")  # `first` still views it: not read again
    assert reads == [] and again.readonly and bytes(again) == payload
    assert np.frombuffer(again, np.uint8).ctypes.data == np.frombuffer(first, np.uint8).ctypes.data
    assert cache.load("b" * 64, "CPU") is None  # another device's key: the file is checked
    # the file written again (same bytes, new identity), damaged, or replaced: read again
    path = cache.path("b" * 64)
    raw = path.read_bytes()

    def rewrite(data: bytes) -> None:  # a new mtime even within one tick of a coarse clock
        mtime = path.stat().st_mtime_ns
        path.write_bytes(data)
        os.utime(path, ns=(mtime + 10**9, mtime + 10**9))

    rewrite(raw)
    assert bytes(cache.load("b" * 64, "TEMPLATE")) == payload and len(reads) == 1
    damaged = bytearray(raw)
    damaged[-1] ^= 1
    rewrite(bytes(damaged))
    assert cache.load("b" * 64, "TEMPLATE") is None and len(reads) == 2
    cache.store("b" * 64, "TEMPLATE", payload)
    held = cache.load("b" * 64, "TEMPLATE")
    assert len(reads) == 3
    path.unlink()
    assert cache.load("b" * 64, "TEMPLATE") is None  # no file: no entry, memory or not
    del first, again, held
    cache.store("b" * 64, "TEMPLATE", payload)
    assert bytes(cache.load("b" * 64, "TEMPLATE")) == payload and len(reads) == 4
