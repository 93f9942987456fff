"""A real two-node Ray cluster for the RAY device's tests: Ray's own multi-node harness
(``ray.cluster_utils.Cluster``) on this machine, a head and one worker node with two
logical CPUs each, dashboards off, a small object store; shut down by the session (never
``ray stop``, which would end other Ray processes of the machine)."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import pytest

import openvino as ov

# test modules are imported with --import-mode=importlib: make helpers.py importable
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)

ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

NODE = {"num_cpus": 2, "object_store_memory": 200 * 1024 * 1024}


@pytest.fixture(scope="session")
def cluster():
    if ray.is_initialized():
        ray.shutdown()
    cluster = Cluster(initialize_head=True,
                      head_node_args={**NODE, "include_dashboard": False})
    cluster.add_node(**NODE)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    try:
        yield cluster
    finally:
        ray.shutdown()
        try:
            cluster.shutdown()
        except ValueError:
            # the driver was connected again after the shutdown above (Ray's auto-connect:
            # once seen from a late finalizer of a dropped model, which the plugin now
            # prevents, see openvino_ray/background.py); Ray has disconnected it while
            # refusing: the second try removes the nodes
            cluster.shutdown()


@pytest.fixture()
def core(cluster):
    return ov.Core()



@pytest.fixture()
def settled_core(cluster):
    """A Core once no worker of an earlier test holds a CPU: tests that need a worker on
    the driver's node (SPREAD puts one there only when that node has a CPU free) must not
    start while the per-node workers of an earlier model are still being ended."""
    from openvino_ray import cluster as ray_cluster

    gc.collect()  # earlier compiled models give their workers back
    workers = ray_cluster.pool(ray)
    with workers.lock:
        workers._end_idle()
    total = ray.cluster_resources().get("CPU", 0)
    deadline = time.monotonic() + 60
    while ray.available_resources().get("CPU", 0) < total:
        assert time.monotonic() < deadline, (
            f"cluster CPUs still held after 60 s: {ray.available_resources()}")
        time.sleep(0.1)
    return ov.Core()
