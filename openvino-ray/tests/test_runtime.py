"""The RAY device on a real two-node cluster: discovery, properties, actors spread over the
nodes, results equal to CPU (the corpus included), async queues, stateful requests,
profiling, export/import and the errors of a bad setup."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import accumulator, add_model
from openvino_ray import cluster as ray_cluster

import openvino as ov

CORPUS = Path(os.environ.get("OV_CORPUS_DIR",
                             Path(__file__).resolve().parents[2].parent / "shared" / "corpus"))


def test_device_is_listed_without_starting_ray():
    """Listing devices and query_model never start Ray (a process that compiles on CPU
    must not pay for it)."""
    code = textwrap.dedent("""
        import sys, openvino as ov
        core = ov.Core()
        assert "RAY" in core.available_devices, core.available_devices
        a = ov.opset13.parameter([2], "f32")
        m = ov.Model([ov.opset13.relu(a)], [a])
        assert core.query_model(m, "RAY")
        assert core.get_property("RAY", "RAY_TARGET_DEVICE") == "AUTO"
        # plain AUTO leaves RAY out: it never starts a cluster by itself
        assert "RAY" not in core.query_model(m, "AUTO").values()
        assert "RAY" not in core.query_model(m, "AUTO:-CPU").values()
        assert core.compile_model(m, "AUTO").get_property("EXECUTION_DEVICES") != ["RAY"]
        assert "ray" not in sys.modules, "ray was imported"
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_properties(core):
    supported = core.get_property("RAY", "SUPPORTED_PROPERTIES")
    for key in ("RAY_ADDRESS", "RAY_TARGET_DEVICE", "RAY_ACTOR_OPTIONS", "NUM_STREAMS",
                "RAY_TIMEOUT"):
        assert supported[key] == "RW"
    assert core.get_property("RAY", "NUM_STREAMS") == -1
    with pytest.raises(RuntimeError, match="NUM_STREAMS"):
        core.set_property("RAY", {"NUM_STREAMS": 0})
    with pytest.raises(RuntimeError, match="RAY_ACTOR_OPTIONS"):
        core.set_property("RAY", {"RAY_ACTOR_OPTIONS": {"num_cpu": 1}})
    with pytest.raises(RuntimeError, match="cannot be RAY"):
        core.set_property("RAY", {"RAY_TARGET_DEVICE": "RAY"})


def test_reports_how_the_workers_compute(core):
    """The workers' DYNAMIC_QUANTIZATION_GROUP_SIZE is the compiled model's (what tells a
    caller that matmuls with compressed weights quantise their inputs)."""
    on_cpu = core.compile_model(add_model(), "CPU")
    try:
        expected = int(on_cpu.get_property("DYNAMIC_QUANTIZATION_GROUP_SIZE"))
    except RuntimeError:
        pytest.skip("this CPU device has no DYNAMIC_QUANTIZATION_GROUP_SIZE")
    compiled = core.compile_model(add_model(), "RAY", {"RAY_TARGET_DEVICE": "CPU"})
    assert compiled.get_property("DYNAMIC_QUANTIZATION_GROUP_SIZE") == expected
    assert "DYNAMIC_QUANTIZATION_GROUP_SIZE" in compiled.get_property("SUPPORTED_PROPERTIES")


def test_results_equal_cpu(core):
    model = add_model()
    rng = np.random.default_rng(0)
    a, b = rng.random((2, 3), np.float32), rng.random((2, 3), np.float32)
    on_ray = core.compile_model(model, "RAY")
    on_cpu = core.compile_model(model, "CPU")
    np.testing.assert_array_equal(on_ray([a, b])["sum"], on_cpu([a, b])["sum"])
    assert on_ray.get_property("EXECUTION_DEVICES") == ["RAY", "CPU"]
    assert on_ray.get_property("NUM_STREAMS") == 1
    assert on_ray.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 1


def test_throughput_fills_the_cluster_spread_over_both_nodes(core, cluster):
    """THROUGHPUT without actor options: one actor per node holding its CPUs, computing with
    its node's own THROUGHPUT streams; with actor options, as many actors as fit."""
    _give_back_earlier_workers()
    compiled = core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT"})
    assert compiled.get_property("NUM_STREAMS") == 2  # 2 nodes, one actor each
    # each actor's CPU computes on as many threads as its node has CPUs (2)
    per_node = core.compile_model(add_model(), "CPU", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                       "INFERENCE_NUM_THREADS": 2})
    optimum = per_node.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    assert compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 2 * optimum
    members = compiled._device_model.group.workers
    assert len({w.node_id for w in members}) == 2, "not one worker on each node"
    assert all(w.per_node and w.cpus == 2 for w in members)
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(compiled([x, x])[0], 2 * x)
    # the single LATENCY actor shares a per-node worker instead of waiting for a CPU
    start = time.monotonic()
    latency = core.compile_model(add_model(), "RAY", {"RAY_TIMEOUT": 20})
    assert time.monotonic() - start < 15
    assert latency._device_model.group.workers[0] in members
    np.testing.assert_array_equal(latency([x, x])[0], 2 * x)
    del compiled, latency  # its actors hold every CPU of the cluster; idle, they make room
    gc.collect()
    ones = core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                   "RAY_ACTOR_OPTIONS": {"num_cpus": 1}})
    assert ones.get_property("NUM_STREAMS") == 4  # 2 nodes x 2 CPUs, 1 CPU per actor
    del ones
    gc.collect()
    two = core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                  "RAY_ACTOR_OPTIONS": {"num_cpus": 2}})
    assert two.get_property("NUM_STREAMS") == 2


def _give_back_earlier_workers(seconds: float = 20.0) -> None:
    """Compiled models of earlier tests give their workers back (a per-node worker gets
    only the CPUs of its node that our other live workers leave)."""
    gc.collect()
    pool = ray_cluster.pool(ray_cluster._ray())
    deadline = time.monotonic() + seconds
    while any(w.users for w in pool.workers) and time.monotonic() < deadline:
        time.sleep(0.1)


def test_actor_options_and_explicit_streams(core):
    compiled = core.compile_model(add_model(), "RAY", {"NUM_STREAMS": 2,
                                                       "RAY_ACTOR_OPTIONS": {"num_cpus": 2}})
    assert compiled.get_property("NUM_STREAMS") == 2
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(compiled([x, x])[0], 2 * x)


def test_async_queue_every_callback_once(core):
    compiled = core.compile_model(add_model(), "RAY", {"NUM_STREAMS": 2})
    queue = ov.AsyncInferQueue(compiled, 6)
    seen: dict[int, np.ndarray] = {}
    calls = []
    lock = threading.Lock()

    def done(request, job):
        with lock:
            calls.append(job)
            seen[job] = request.get_output_tensor(0).data.copy()

    queue.set_callback(done)
    x = np.ones((2, 3), np.float32)
    for job in range(300):
        queue.start_async([x, np.full((2, 3), job, np.float32)], job)
    queue.wait_all()
    assert sorted(calls) == list(range(300))
    for job, value in seen.items():
        np.testing.assert_array_equal(value, np.full((2, 3), job + 1, np.float32))


def test_start_async_returns_at_once_and_wait_releases_the_gil(core):
    compiled = core.compile_model(add_model((256, 1024)), "RAY")
    request = compiled.create_infer_request()
    x = np.ones((256, 1024), np.float32)
    request.infer([x, x])  # warm
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.0005)

    thread = threading.Thread(target=count)
    thread.start()
    start = time.perf_counter()
    request.start_async([x, x])
    returned = time.perf_counter() - start
    request.wait()
    stop.set()
    thread.join()
    assert returned < 0.05
    assert ticks, "another thread did not run while the request waited"
    np.testing.assert_array_equal(request.get_output_tensor(0).data, 2 * x)


def test_large_inputs_through_the_object_store(core):
    shape = (1, 3, 512, 512)  # 3 MiB per input: above Ray's inline limit
    compiled = core.compile_model(add_model(shape), "RAY")
    a = np.random.default_rng(1).random(shape, np.float32)
    np.testing.assert_array_equal(compiled([a, a])[0], a + a)


def _burst(queue, x, jobs=8):
    for job in range(jobs):
        queue.start_async([x, np.full((2, 3), job, np.float32)])
    queue.wait_all()


def test_workers_of_the_driver_node_answer_through_a_compiled_graph_channel(settled_core):
    """Under LATENCY, calls in quick succession to the worker on the driver's node build a
    compiled-graph channel (the other node's worker keeps actor calls); unused, it is torn
    down and built again by the next burst; a channel that closes falls back to actor
    calls on the same worker, with the same results."""
    from openvino_ray import channel as ray_channel

    compiled = settled_core.compile_model(add_model(), "RAY", {"NUM_STREAMS": 2})
    group = compiled._device_model.group
    workers = list(group.workers)
    local = next(w for w in workers if w.local)
    others = [w for w in workers if not w.local]  # usually one (SPREAD), may be none
    queue = ov.AsyncInferQueue(compiled, 4)
    x = np.ones((2, 3), np.float32)
    deadline = time.monotonic() + 30
    while local.channel is None and time.monotonic() < deadline:
        _burst(queue, x)
    assert local.channel is not None and all(w.channel is None for w in others)
    first = local.channel
    time.sleep(ray_channel.IDLE_SECONDS * 2)  # idle: torn down, the worker stops polling
    assert local.channel is None and first.retired and local.alive
    deadline = time.monotonic() + 30
    while local.channel is None and time.monotonic() < deadline:
        _burst(queue, x)
    assert local.channel is not None and local.channel is not first
    big = np.random.default_rng(2).random((2, 3), np.float32)
    call = (group.key, 0, [("f32", (2, 3)), ("f32", (2, 3))], x, big)
    for path in ("channel", "actor call"):
        if path == "actor call":
            local.drop_channel("test")
            assert local.channel is None
        kind, layout, blob = local.infer(group.ray, call)
        assert kind == "packed" and layout == [("f32", (2, 3))]
        np.testing.assert_array_equal(np.frombuffer(blob, np.float32).reshape(2, 3), x + big)
    # requests still run on both workers, the dropped channel not built again
    for _ in range(3):
        _burst(queue, x)
    assert local.channel is None and local.alive


def test_throughput_hint_keeps_actor_calls(settled_core):
    """Under THROUGHPUT the workers' own queues keep them busy: no channel (no polling)."""
    compiled = settled_core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT"})
    queue = ov.AsyncInferQueue(compiled, 8)
    x = np.ones((2, 3), np.float32)
    for _ in range(5):
        _burst(queue, x, 16)
    time.sleep(0.5)
    workers = compiled._device_model.group.workers
    assert any(w.local for w in workers)
    assert all(w.channel is None for w in workers)


def test_stateful_requests_keep_their_variables(core):
    compiled = core.compile_model(accumulator(), "RAY", {"NUM_STREAMS": 2})
    first, second = compiled.create_infer_request(), compiled.create_infer_request()
    one = np.ones(2, np.float32)
    for _ in range(3):
        first.infer([one])
    second.infer([one * 10])
    np.testing.assert_array_equal(first.get_output_tensor(0).data, [3, 3])
    states = first.query_state()
    assert [s.name for s in states] == ["acc"]
    np.testing.assert_array_equal(states[0].state.data, [3, 3])
    states[0].state = ov.Tensor(np.array([100, 200], np.float32))
    first.infer([one])
    np.testing.assert_array_equal(first.get_output_tensor(0).data, [101, 201])
    first.reset_state()
    first.infer([one])
    np.testing.assert_array_equal(first.get_output_tensor(0).data, [1, 1])
    np.testing.assert_array_equal(second.query_state()[0].state.data, [10, 10])


def test_profiling_is_the_workers(core):
    model = add_model()
    compiled = core.compile_model(model, "RAY", {"PERF_COUNT": True})
    assert compiled.get_property("EXECUTION_DEVICES") == ["RAY", "CPU"]
    request = compiled.create_infer_request()
    x = np.ones((2, 3), np.float32)
    request.infer([x, x])
    records = request.get_profiling_info()
    cpu = core.compile_model(model, "CPU", {"PERF_COUNT": True}).create_infer_request()
    cpu.infer([x, x])
    assert [(r.node_name, r.node_type, r.exec_type, r.status) for r in records] == [
        (r.node_name, r.node_type, r.exec_type, r.status) for r in cpu.get_profiling_info()]
    add = [r for r in records if r.node_type == "Add"][0]
    assert add.real_time.total_seconds() > 0


def test_export_import(core):
    compiled = core.compile_model(add_model(), "RAY", {"NUM_STREAMS": 2})
    blob = compiled.export_model()
    again = core.import_model(blob, "RAY")
    assert again.get_property("NUM_STREAMS") == 2
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(again([x, x])[0], 2 * x)


def test_worker_compile_error_is_the_workers_message(core):
    with pytest.raises(RuntimeError, match=r"could not compile the model on NOSUCH: .*NOSUCH"):
        core.compile_model(add_model(), "RAY", {"RAY_TARGET_DEVICE": "NOSUCH"})


def test_missing_resources_fail_after_the_timeout(core):
    start = time.monotonic()
    with pytest.raises(RuntimeError, match=r"no resources for 1 worker actor\(s\) with "
                                           r"\{'num_cpus': 64\} after 2 s"):
        core.compile_model(add_model(), "RAY", {"RAY_ACTOR_OPTIONS": {"num_cpus": 64},
                                                "RAY_TIMEOUT": 2})
    assert time.monotonic() - start < 30


def test_another_address_than_the_connected_cluster_is_refused(core):
    with pytest.raises(RuntimeError, match="not RAY_ADDRESS '10.255.255.1:6379'"):
        core.compile_model(add_model(), "RAY", {"RAY_ADDRESS": "10.255.255.1:6379"})


def test_unreachable_address_fails_in_time_naming_it():
    code = textwrap.dedent("""
        import time, openvino as ov
        a = ov.opset13.parameter([2], "f32")
        m = ov.Model([ov.opset13.relu(a)], [a])
        start = time.monotonic()
        try:
            ov.Core().compile_model(m, "RAY", {"RAY_ADDRESS": "127.0.0.1:9", "RAY_TIMEOUT": 3})
        except RuntimeError as e:
            print("ERROR", time.monotonic() - start, e)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120).stdout
    assert "ERROR" in out and "RAY_ADDRESS '127.0.0.1:9'" in out, out
    assert float(out.split()[1]) < 10


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*") if p.is_dir())
                         if CORPUS.is_dir() else ["none"])
def test_corpus_equals_cpu(core, name):
    corpus_mod = pytest.importorskip("openvino_testkit.corpus")
    cases = [c for c in corpus_mod.discover(CORPUS) if c.path.name == name and c.source == "ir"]
    if not cases:
        pytest.skip(f"no IR case {name} in {CORPUS}")
    case = cases[0]
    problems = corpus_mod.run_case(core, "RAY", case)
    assert not problems, "\n".join(problems)
    if case.meta.get("stateful") or int(case.meta.get("runs", 1)) > 1:
        return  # several runs on one request: the runner's comparison above
    model = case.read(core)
    inputs = np.load(case.path / "inputs.npz")
    feed = {i["name"]: inputs[i["name"]] for i in case.meta["inputs"]}
    on_ray = core.compile_model(model, "RAY")(feed)
    on_cpu = core.compile_model(model, "CPU")(feed)
    for index in range(len(on_cpu)):
        np.testing.assert_array_equal(on_ray[index], on_cpu[index])


def test_inference_num_threads_reaches_the_workers_cpu(core):
    hint = {"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": 1, "RAY_TARGET_DEVICE": "CPU"}
    own = core.compile_model(add_model(), "RAY", hint)
    given = core.compile_model(add_model(), "RAY", {**hint, "INFERENCE_NUM_THREADS": 2})
    cpu = core.compile_model(add_model(), "CPU", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                  "INFERENCE_NUM_THREADS": 2})
    assert own.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == 1  # one CPU per actor
    assert given.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS") == cpu.get_property(
        "OPTIMAL_NUMBER_OF_INFER_REQUESTS")
    assert given.get_property("INFERENCE_NUM_THREADS") == 2


def test_a_compiled_model_collected_inside_the_pool_does_not_deadlock(core):
    """The garbage collector may finalize a compiled model (its workers given back to the
    pool) while this thread is inside the pool's lock, starting workers for another."""
    compiled = core.compile_model(add_model(), "RAY")
    pool = ray_cluster.pool(ray_cluster._ray())
    finished = threading.Event()

    def collect_inside():
        nonlocal compiled
        with pool.lock:
            del compiled
            gc.collect()
        finished.set()

    thread = threading.Thread(target=collect_inside, daemon=True)
    thread.start()
    assert finished.wait(30), "deadlock: the finalizer waited for the pool's lock"
    # the workers are given back soon after (by the janitor thread, not the collector)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(w.users for w in pool.workers):
        time.sleep(0.1)
    assert not any(w.users for w in pool.workers), "the workers were not given back"
