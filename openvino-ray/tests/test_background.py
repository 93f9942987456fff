"""The plugin's own threads never connect Ray again after the user's ``ray.shutdown()``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# A driver of its own (a subprocess): shutting Ray down here would end the session's
# connection. It connects to the test cluster, starts an actor, shuts Ray down, and then
# queues on the plugin's janitor thread what a finalizer's tidy-up does once its
# ray.is_initialized() check has passed: a Ray call (here ray.kill), as when the user's
# shutdown lands between the check and the call.
DRIVER = textwrap.dedent("""
    import sys, time
    import ray
    from openvino_ray import cluster

    ray.init(address=sys.argv[1], log_to_driver=False)

    @ray.remote(num_cpus=0)
    class Probe:
        def ping(self):
            return 1

    probe = Probe.remote()
    assert ray.get(probe.ping.remote()) == 1
    ray.shutdown()
    seen = []

    def tidy():
        try:
            ray.kill(probe, no_restart=True)
        finally:
            seen.append(ray.is_initialized())

    cluster.later(tidy)
    deadline = time.monotonic() + 120
    while not seen and time.monotonic() < deadline:
        time.sleep(0.05)
    print("connected after the chore:", seen)
""")


def test_janitor_call_after_shutdown_does_not_connect_again(cluster):
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    proc = subprocess.run([sys.executable, "-c", DRIVER, cluster.address],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "connected after the chore: [False]" in proc.stdout, (proc.stdout, proc.stderr[-3000:])
