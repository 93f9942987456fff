"""How the RAY device's settings become worker actors and the workers' own config (no
cluster needed)."""

from __future__ import annotations

import pytest
from openvino_ray.config import Settings, actor_count, default_config, per_node, target_config

CLUSTER = {"CPU": 16.0, "GPU": 2.0}


def settings(**config):
    return Settings.from_config({**default_config(), **config})


@pytest.mark.parametrize("config, expected", [
    ({}, 1),
    ({"PERFORMANCE_HINT": "LATENCY"}, 1),
    ({"PERFORMANCE_HINT": "THROUGHPUT"}, 1),  # one node: one actor with all its CPUs
    ({"PERFORMANCE_HINT": "THROUGHPUT", "RAY_ACTOR_OPTIONS": {"num_cpus": 1}}, 16),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "RAY_ACTOR_OPTIONS": {"num_cpus": 4}}, 4),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "RAY_ACTOR_OPTIONS": '{"num_cpus": 3}'}, 5),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "RAY_ACTOR_OPTIONS": {"num_gpus": 1}}, 2),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "PERFORMANCE_HINT_NUM_REQUESTS": 3}, 3),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "NUM_STREAMS": 7}, 7),
    ({"NUM_STREAMS": 2}, 2),
    ({"PERFORMANCE_HINT": "THROUGHPUT", "RAY_ACTOR_OPTIONS": {"num_cpus": 32}}, 1),
])
def test_actor_count(config, expected):
    assert actor_count(settings(**config), CLUSTER) == expected


def test_throughput_without_actor_options_is_one_actor_per_node_with_cpus():
    assert actor_count(settings(PERFORMANCE_HINT="THROUGHPUT"), CLUSTER, [8, 8, 0.5, 0]) == 2
    assert actor_count(settings(PERFORMANCE_HINT="CUMULATIVE_THROUGHPUT"), CLUSTER,
                       [4, 2, 2]) == 3
    # any of NUM_STREAMS, RAY_ACTOR_OPTIONS, PERFORMANCE_HINT_NUM_REQUESTS: actors as given
    for given, count in (({"NUM_STREAMS": 3}, 3), ({"RAY_ACTOR_OPTIONS": {"num_cpus": 4}}, 4),
                         ({"PERFORMANCE_HINT_NUM_REQUESTS": 3}, 3)):
        one = settings(PERFORMANCE_HINT="THROUGHPUT", **given)
        assert not per_node(one)
        assert actor_count(one, CLUSTER, [8, 8]) == count
    assert per_node(settings(PERFORMANCE_HINT="THROUGHPUT"))
    assert not per_node(settings(PERFORMANCE_HINT="LATENCY"))


@pytest.mark.parametrize("config, match", [
    ({"NUM_STREAMS": 0}, "NUM_STREAMS"),
    ({"NUM_STREAMS": -2}, "NUM_STREAMS"),
    ({"RAY_TIMEOUT": 0}, "RAY_TIMEOUT"),
    ({"RAY_TIMEOUT": "soon"}, "RAY_TIMEOUT"),
    ({"RAY_ACTOR_OPTIONS": "{not json"}, "JSON"),
    ({"RAY_ACTOR_OPTIONS": [1]}, "dict"),
    ({"RAY_ACTOR_OPTIONS": {"num_cpu": 1}}, "num_cpu"),
    ({"RAY_TARGET_DEVICE": "RAY"}, "cannot be RAY"),
    ({"RAY_TARGET_DEVICE": "AUTO:RAY,CPU"}, "cannot be RAY"),
])
def test_bad_values_name_the_property(config, match):
    with pytest.raises(RuntimeError, match=match):
        settings(**config)


def test_target_config_keeps_only_the_workers_settings():
    config = {**default_config(), "PERF_COUNT": True, "RAY_ADDRESS": "h:1",
              "INFERENCE_NUM_THREADS": 0}
    assert target_config(config) == {"PERF_COUNT": True, "PERFORMANCE_HINT": "LATENCY"}
    assert target_config({**config, "INFERENCE_NUM_THREADS": 3})["INFERENCE_NUM_THREADS"] == 3
