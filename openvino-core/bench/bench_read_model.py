"""Time ``Core().read_model`` of the corpus model ``onnx_shufflenet_rw/model.xml`` (381
layers, 2.8 MB of weights): ours, and the real OpenVINO's in the same run when a Python with
it is given (``--real-python PATH`` or ``$OV_REAL_PYTHON``). The two take turns, in
``--rounds`` fresh interpreters each, so that a change in the machine's load falls on both;
each read is timed with the freeing of the model it replaces, as a user's loop would see
it. Prints the medians and minimums over all reads and ours/real.

    python bench_read_model.py [--corpus DIR] [--rounds R] [--repeat N] [--real-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(os.environ.get("OV_CORPUS_DIR", REPO.parent / "shared" / "corpus"))
CASE = "onnx_shufflenet_rw"

SNIPPET = r"""
import json, sys, time
import openvino as ov

path, repeat = sys.argv[1], int(sys.argv[2])
core = ov.Core()
model = core.read_model(path)            # warm-up: imports, op registry, file cache
layers = len(model.get_ordered_ops())
times = []
for _ in range(repeat):
    start = time.perf_counter()
    model = core.read_model(path)        # the previous model is freed here
    times.append((time.perf_counter() - start) * 1e3)
print(json.dumps({"times_ms": times, "ops": layers, "openvino": ov.__file__}))
"""


def measure(python: str, xml: Path, repeat: int, real: bool = False) -> dict:
    """Milliseconds of ``repeat`` reads (``times_ms``) in a fresh interpreter."""
    env = dict(os.environ)
    if real:  # the real package must not see our source tree
        env.pop("PYTHONPATH", None)
    out = subprocess.run([python, "-c", SNIPPET, str(xml), str(repeat)], capture_output=True,
                         text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{python} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--real-python", default=os.environ.get("OV_REAL_PYTHON"))
    args, _ = parser.parse_known_args(argv)
    xml = args.corpus / CASE / "model.xml"
    if not xml.is_file():
        print(f"bench_read_model: {xml} not found (set OV_CORPUS_DIR or pass --corpus); skipped")
        return 0
    ours: list[float] = []
    real: list[float] = []
    ops = 0
    for _ in range(args.rounds):
        result = measure(sys.executable, xml, args.repeat)
        ours += result["times_ms"]
        ops = result["ops"]
        if args.real_python:
            real += measure(args.real_python, xml, args.repeat, real=True)["times_ms"]
    print(f"\n== read_model {CASE} ({ops} ops), {args.rounds} rounds of {args.repeat} reads ==")
    print(f"{'':10s} {'median ms':>10s} {'min ms':>10s}")
    print(f"{'ours':10s} {statistics.median(ours):10.2f} {min(ours):10.2f}")
    if real:
        print(f"{'real OV':10s} {statistics.median(real):10.2f} {min(real):10.2f}")
        print(f"ours/real: {statistics.median(ours) / statistics.median(real):.2f}x (medians), "
              f"{min(ours) / min(real):.2f}x (minimums)")
    else:
        print("real OV: n/a (pass --real-python or set OV_REAL_PYTHON)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
