"""Weight-compressed transformers: our TEMPLATE and CPU against the real OpenVINO's CPU.

``python check_compressed.py export ROOT`` (in the REAL OpenVINO's venv, with ``nncf``)
builds the MiniLM-shaped encoder of ``compressed_models`` with the real opset API, saves it
f32, with f16 weights (``compress_to_fp16``) and compressed by ``nncf.compress_weights`` in
every other mode of ``compressed_models.MODES``
into ``ROOT/<mode>/`` (``model.xml``/``.bin`` + ``data.npz``/``meta.json`` as ``exchange``
writes them), with the real CPU plugin's outputs (f32 inference precision, no dynamic
quantization) for batch x sequence 4 x 128 and 1 x 16 on one compiled model (dynamic batch
and sequence).

``python check_compressed.py check ROOT`` (OUR ``openvino``, with ``openvino-cpu``) reads
each IR with our ``read_model``, runs it on TEMPLATE and CPU and compares with the real
outputs: the largest absolute difference per mode and device must stay within
``ATOL`` (1e-4). Both commands print a table, write ``ROOT/<command>_compressed.json`` and
exit 1 on a failure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Our own package also imports as ``openvino``: keep its source tree out of the way of
# the real one when this runs in the real runtime's venv.
if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "export":
    sys.path[:] = [p for p in sys.path if not (Path(p or ".") / "openvino" / "_ir").is_dir()]
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
from exchange import REAL_CPU_CONFIG, read_case, user_array, write_case  # noqa: E402

#: largest absolute difference allowed between ours and the real runtime, any mode
ATOL = 1e-4
DEVICES = ("TEMPLATE", "CPU")


def export(root: Path, modes: list[str]) -> dict:
    """Real side: every mode's model, inputs and real CPU outputs under ``root``."""
    from compressed_models import SHAPES_FULL, compressed, inputs_for, save_fp16

    import openvino as ov

    core = ov.Core()
    report: dict = {"exported": [], "failed": {}, "seconds": {}}
    runs = [inputs_for(b, s, seed=100 + k) for k, (b, s) in enumerate(SHAPES_FULL)]
    for mode in modes:
        start = time.perf_counter()
        try:
            folder = root / mode
            folder.mkdir(parents=True, exist_ok=True)
            ov.save_model(compressed(mode), str(folder / "model.xml"),
                          compress_to_fp16=save_fp16(mode))
            model = core.read_model(str(folder / "model.xml"))
            compiled = core.compile_model(model, "CPU", REAL_CPU_CONFIG)
            request = compiled.create_infer_request()
            outputs = [[user_array(request.infer(ins)[compiled.output(0)]).copy()]
                       for ins in runs]
            types = sorted({op.get_output_element_type(0).get_type_name()
                            for op in model.get_ops() if op.get_type_name() == "Constant"})
            write_case(folder, runs, outputs, {}, {
                "origin": f"MiniLM-shaped encoder, nncf.compress_weights {mode}, saved and "
                          f"run on CPU by OpenVINO {ov.get_version()}",
                "stateful": False, "constant_types": types,
                "tolerances": [{"atol": ATOL, "rtol": 0.0}]})
            report["exported"].append(mode)
        except Exception as e:  # noqa: BLE001 - report and go on with the next mode
            report["failed"][mode] = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=4)}"
        report["seconds"][mode] = round(time.perf_counter() - start, 2)
    return report


def check(root: Path) -> dict:
    """Our side: each exported model on TEMPLATE and CPU; the max error per mode/device."""
    import openvino as ov

    core = ov.Core()
    report: dict = {"max_abs_error": {}, "failed": {}, "atol": ATOL, "seconds": {}}
    folders = sorted(p for p in root.iterdir() if (p / "meta.json").is_file()) \
        if root.is_dir() else []
    if not folders:
        report["failed"]["export"] = f"no compressed models from the real OpenVINO in {root}"
    for folder in folders:
        mode = folder.name
        report["max_abs_error"][mode] = {}
        try:
            meta, runs, expected, _ = read_case(folder)
        except Exception as e:  # noqa: BLE001
            report["failed"][mode] = f"{type(e).__name__}: {e}"
            continue
        for device in DEVICES:
            start = time.perf_counter()
            try:
                # CPU in its exact f32 mode, as the real one exported (REAL_CPU_CONFIG)
                compiled = core.compile_model(core.read_model(folder / "model.xml"), device,
                                              REAL_CPU_CONFIG if device == "CPU" else {})
                request = compiled.create_infer_request()
                worst = 0.0
                for ins, (want,) in zip(runs, expected):
                    got = np.asarray(request.infer(ins)[compiled.output(0)])
                    if got.shape != want.shape:
                        raise AssertionError(f"shape {got.shape} != {want.shape}")
                    worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - want))))
                report["max_abs_error"][mode][device] = worst
                if not worst <= ATOL:
                    report["failed"][f"{mode}/{device}"] = \
                        f"max abs error {worst:.3g} > {ATOL:g}"
            except Exception as e:  # noqa: BLE001
                report["failed"][f"{mode}/{device}"] = f"{type(e).__name__}: {e}"
            report["seconds"][f"{mode}/{device}"] = round(time.perf_counter() - start, 2)
    return report


def _table(report: dict) -> list[str]:
    lines = [f"  {'mode':<22}" + "".join(f"{d:>12}" for d in DEVICES)]
    for mode, errors in report["max_abs_error"].items():
        cells = "".join(f"{errors[d]:>12.2e}" if d in errors else f"{'-':>12}"
                        for d in DEVICES)
        lines.append(f"  {mode:<22}{cells}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["export", "check"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--modes", default="",
                        help="comma-separated modes to export (default: all)")
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    if args.command == "export":
        from compressed_models import MODES

        modes = [m for m in args.modes.split(",") if m] or list(MODES)
        report = export(args.root, modes)
        print(f"[real export compressed] {len(report['exported'])} models exported, "
              f"{sum(report['seconds'].values()):.1f}s")
    else:
        report = check(args.root)
        print(f"[ours check compressed] max abs error vs the real CPU (atol {ATOL:g}):")
        print("\n".join(_table(report)))
    (args.root / f"{args.command}_compressed.json").write_text(json.dumps(report, indent=1))
    for name, why in report["failed"].items():
        print(f"  FAIL {name}: {why}")
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
