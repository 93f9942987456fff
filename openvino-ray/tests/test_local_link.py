"""THROUGHPUT requests of stateless models to a worker on the driver's node go through
Unix-socket links (:mod:`openvino_ray.local_link`), small inputs inside the message and
large ones in shared memory: results stay right, a link carries one request at a time
(no more links than requests in flight), a stateful model's requests never use links, and
a connection from a process other than the worker is refused."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from helpers import accumulator, add_model
from openvino_ray import local_link

import openvino as ov

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.skipif(not local_link.ENABLED, reason="no abstract Unix sockets")


def _run(compiled, inputs, jobs: int = 6) -> dict[int, np.ndarray]:
    queue = ov.AsyncInferQueue(compiled, jobs)
    results: dict[int, np.ndarray] = {}
    queue.set_callback(lambda request, job: results.__setitem__(
        job, request.get_output_tensor(0).data.copy()))
    for job, x in enumerate(inputs):
        queue.start_async([x, x], job)
    queue.wait_all()
    return results


@pytest.mark.parametrize("shape", [(2, 3), (1, 3, 224, 224)], ids=["small", "shared"])
def test_throughput_requests_to_the_driver_node_worker_go_through_links(settled_core, shape):
    compiled = settled_core.compile_model(
        add_model(shape), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": 2})
    workers = list(compiled._device_model.group.workers)
    local = [w for w in workers if w.local]
    assert local, "no worker on the driver's node"
    rng = np.random.default_rng(5)
    inputs = [rng.random(shape, np.float32) for _ in range(30)]
    for _ in range(2):  # the second round reuses the links
        results = _run(compiled, inputs)
        assert sorted(results) == list(range(len(inputs)))
        for job, x in enumerate(inputs):
            np.testing.assert_array_equal(results[job], x + x)
    for w in local:
        assert w._links is not None and not w._links.closed
        assert 1 <= w._links.count <= 6  # one per request in flight, reused
    assert all(w._links is None for w in workers if not w.local)


def test_latency_and_stateful_requests_use_no_link(core, monkeypatch):
    calls = []
    real = local_link.Link.call
    monkeypatch.setattr(local_link.Link, "call",
                        lambda self, *args: calls.append(args[0]) or real(self, *args))
    x = np.ones((2, 3), np.float32)
    latency = core.compile_model(add_model(), "RAY")
    request = latency.create_infer_request()
    for _ in range(3):
        np.testing.assert_array_equal(request.infer([x, x])[0], 2 * x)
    stateful = core.compile_model(accumulator(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                         "NUM_STREAMS": 1})
    request = stateful.create_infer_request()
    for step in range(1, 4):
        out = request.infer({"x": np.ones(2, np.float32)})[0]
        np.testing.assert_array_equal(out, np.full(2, step, np.float32))
    assert calls == []
    # the spy sees the calls of a stateless THROUGHPUT model on the driver's node
    local = core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                    "NUM_STREAMS": 1})
    if local._device_model.group.workers[0].local:
        np.testing.assert_array_equal(local([x, x])[0], 2 * x)
        assert calls == ["infer"]


def test_a_connection_from_another_process_is_refused(core, monkeypatch):
    """The link accepts only the worker's own process (``SO_PEERCRED``): with the worker's
    pid faked, the accepted connection is refused and requests go the normal way."""
    compiled = core.compile_model(add_model(), "RAY", {"PERFORMANCE_HINT": "THROUGHPUT",
                                                       "NUM_STREAMS": 1})
    worker = compiled._device_model.group.workers[0]
    links = local_link.LocalLinks(worker.actor, pid=1)  # not the worker's pid
    assert links.take(ray) is None
    assert links.closed
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(compiled([x, x])[0], 2 * x)


def test_messages_round_trip_and_a_closed_peer_raises_link_broken():
    a, b = socket.socketpair()
    try:
        value = ("infer", ("key", 3, [("f32", (2, 3))], np.arange(6, dtype=np.float32)))
        local_link.send(a, value)
        method, args = local_link.receive(b)
        assert method == "infer" and args[:2] == ("key", 3)
        np.testing.assert_array_equal(args[3], value[1][3])
        a.close()
        with pytest.raises(local_link.LinkBroken):
            local_link.receive(b)
    finally:
        a.close()
        b.close()
