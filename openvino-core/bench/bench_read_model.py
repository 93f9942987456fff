"""Time ``Core().read_model`` of the corpus model ``onnx_shufflenet_rw/model.xml`` (381
layers, 9.9 MB of weights): ours, and the real OpenVINO's in the same run when a Python with
it is given (``--real-python PATH`` or ``$OV_REAL_PYTHON``). Prints the medians and
ours/real.

    python bench_read_model.py [--corpus DIR] [--repeat N] [--real-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(os.environ.get("OV_CORPUS_DIR", REPO.parent / "shared" / "corpus"))
CASE = "onnx_shufflenet_rw"

SNIPPET = r"""
import json, statistics, sys, time
import openvino as ov

path, repeat = sys.argv[1], int(sys.argv[2])
core = ov.Core()
model = core.read_model(path)            # warm-up: imports, op registry, file cache
layers = len(model.get_ordered_ops())
times = []
for _ in range(repeat):
    start = time.perf_counter()
    core.read_model(path)
    times.append((time.perf_counter() - start) * 1e3)
print(json.dumps({"median_ms": statistics.median(times), "min_ms": min(times),
                  "ops": layers, "openvino": ov.__file__}))
"""


def measure(python: str, xml: Path, repeat: int, real: bool = False) -> dict:
    """Median/min milliseconds of ``read_model`` in a fresh interpreter."""
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
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--real-python", default=os.environ.get("OV_REAL_PYTHON"))
    args, _ = parser.parse_known_args(argv)
    xml = args.corpus / CASE / "model.xml"
    if not xml.is_file():
        print(f"bench_read_model: {xml} not found (set OV_CORPUS_DIR or pass --corpus); skipped")
        return 0
    ours = measure(sys.executable, xml, args.repeat)
    real = measure(args.real_python, xml, args.repeat, real=True) if args.real_python else None
    print(f"\n== read_model {CASE} ({ours['ops']} ops), median of {args.repeat} ==")
    print(f"{'':10s} {'median ms':>10s} {'min ms':>10s}")
    print(f"{'ours':10s} {ours['median_ms']:10.2f} {ours['min_ms']:10.2f}")
    if real:
        print(f"{'real OV':10s} {real['median_ms']:10.2f} {real['min_ms']:10.2f}")
        print(f"ours/real: {ours['median_ms'] / real['median_ms']:.2f}x")
    else:
        print("real OV: n/a (pass --real-python or set OV_REAL_PYTHON)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
