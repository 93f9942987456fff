"""Model conformance: the cases of a model corpus and how one runs on a device.

``python -m openvino_testkit.corpus build DIR`` writes one with the real OpenVINO
(:mod:`openvino_testkit.corpus_build`).

A corpus is a folder of case folders, each with ``case.json`` (inputs, outputs with their
tolerances, runs, stateful), ``model.xml``/``model.bin``, ``inputs.npz`` and
``expected.npz`` (see the corpus README). Every case is a model source ``ir``; a case
with ``source.onnx`` and ``expected_onnx_direct.npz`` is also one of source ``onnx``
(read with ``read_model`` from the ONNX file itself). Another source plugs in by adding
its name to ``SOURCES`` and a branch to ``CorpusCase.read``.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import openvino as ov

from .compare import mismatch
from .tolerances import EXACT, Tolerance, dynamic_quantization, inference_precision

__all__ = ["CorpusCase", "SLICE", "SOURCES", "corpus_summary", "find_corpus", "discover",
           "run_case", "onnx_reader_missing"]

#: model sources: how a case's model is read, and which expected outputs go with it
SOURCES = {"ir": ("model.xml", "expected.npz"),
           "onnx": ("source.onnx", "expected_onnx_direct.npz")}


#: Small cases written by the real OpenVINO, shipped in the wheel: the corpus when no other
#: is found (see ``corpus_slice/README.md``).
SLICE = Path(__file__).resolve().parent / "corpus_slice"


def find_corpus(option: str | None, rootdir: Path | None = None) -> tuple[Path | None, list[Path]]:
    """The corpus folder (``option``, else ``$OV_CORPUS_DIR``, else ``../shared/corpus``
    from the working directory or ``rootdir``, else the shipped :data:`SLICE`) and every
    place looked at. A folder that was asked for (``option``, ``$OV_CORPUS_DIR``) and is
    missing gives ``None``: the run says so instead of using another corpus."""
    given = option or os.environ.get("OV_CORPUS_DIR")
    if given:
        candidates = [Path(given)]
    else:
        candidates = [Path.cwd().parent / "shared" / "corpus"]
        if rootdir is not None:
            candidates.append(Path(rootdir).parent / "shared" / "corpus")
    for c in candidates:
        if c.is_dir():
            return c.resolve(), candidates
    if not given and SLICE.is_dir():
        return SLICE, candidates
    return None, candidates


def corpus_summary(option: str | None, rootdir: Path | None = None) -> str:
    """One line for the end of a run: which corpus the model checks used, or that none
    was found and how to get one."""
    corpus, looked = find_corpus(option, rootdir)
    looked = list(dict.fromkeys(looked))
    build = "python -m openvino_testkit.corpus build DIR, then --ov-corpus=DIR"
    if corpus is None:
        where = ", ".join(str(p) for p in looked)
        return f"models: NO CORPUS, the model checks did not run (looked in: {where}); {build}"
    count = len(discover(corpus))
    if corpus == SLICE and not (option or os.environ.get("OV_CORPUS_DIR")):
        return (f"models: the testkit's shipped slice ({count} model checks per device) "
                f"since no corpus was found (looked in: {', '.join(str(p) for p in looked)}); "
                f"a corpus of your own: {build}")
    return f"models: corpus {corpus} ({count} model checks per device)"


@dataclass(frozen=True)
class CorpusCase:
    """One case folder read through one model source."""

    path: Path
    source: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def check_name(self) -> str:
        return f"{'corpus' if self.source == 'ir' else self.source}/{self.name}"

    def __str__(self) -> str:
        return self.check_name.replace("/", "-")

    @property
    def meta(self) -> dict[str, Any]:
        return json.loads((self.path / "case.json").read_text())

    def read(self, core: ov.Core) -> ov.Model:
        model_file, _ = SOURCES[self.source]
        return core.read_model(self.path / model_file)

    def expected(self) -> Any:
        return np.load(self.path / SOURCES[self.source][1])


def discover(corpus: Path) -> list[CorpusCase]:
    """Every case of ``corpus`` for every model source it has files for."""
    cases = []
    for folder in sorted(p for p in corpus.iterdir() if (p / "case.json").is_file()):
        for source, (model_file, expected_file) in SOURCES.items():
            if (folder / model_file).is_file() and (folder / expected_file).is_file():
                cases.append(CorpusCase(folder, source))
    return cases


def onnx_reader_missing() -> str | None:
    """Why ONNX files cannot be read here (``None`` when they can)."""
    if importlib.util.find_spec("onnx") is None:
        return "the onnx package is not installed"
    return None


def _tolerance(output: dict[str, Any], low_precision: bool) -> tuple[Tolerance, bool]:
    tol = output.get("tolerance_low_precision" if low_precision else "tolerance") or \
        output.get("tolerance", {})
    if tol.get("exact"):
        return EXACT, False
    return Tolerance(float(tol.get("atol", 0.0)), float(tol.get("rtol", 0.0))), \
        bool(tol.get("ill_conditioned"))


def _feed(meta_input: dict[str, Any], value: np.ndarray) -> Any:
    if meta_input["element_type"] == "string":
        return np.asarray(value, dtype=str)
    return value


def _as_text(values: np.ndarray) -> np.ndarray:
    """String tensor values as ``str`` (bytes are UTF-8)."""
    flat = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            for v in np.asarray(values, dtype=object).reshape(-1)]
    return np.array(flat, dtype=str).reshape(np.shape(values)) if flat else \
        np.zeros(np.shape(values), dtype=str)


def _check_ill_conditioned(name: str, got: np.ndarray, want: np.ndarray) -> str | None:
    got = np.asarray(got)
    if got.shape != want.shape:
        return f"output '{name}': shape {list(got.shape)}, expected {list(want.shape)}"
    if not np.all(np.isfinite(got)):
        return f"output '{name}': not finite"
    total = float(np.sum(got.astype(np.float64)))
    if abs(total - 1.0) > 1e-3:
        return f"output '{name}': probabilities sum to {total}, not 1"
    return None


def run_case(core: ov.Core, device: str, case: CorpusCase) -> list[str]:
    """Run every run of ``case`` on ``device`` (one request, in order; stateful cases after
    ``reset_state``); the problems found, empty when it conforms."""
    meta = case.meta
    model = case.read(core)
    compiled = core.compile_model(model, device)
    low_precision = inference_precision(compiled) is not None or \
        dynamic_quantization(compiled, meta.get("const_element_types"))
    request = compiled.create_infer_request()
    inputs, expected = np.load(case.path / "inputs.npz"), case.expected()
    if meta.get("stateful"):
        request.reset_state()
    problems = []
    port_names = [set(p.get_names()) for p in compiled.outputs]
    for k in range(int(meta.get("runs", 1))):
        prefix = "" if k == 0 else f"run{k}:"
        feed = {i["name"]: _feed(i, inputs[prefix + i["name"]]) for i in meta["inputs"]}
        result = request.infer(feed)
        for out in meta["outputs"]:
            name = out["name"]
            key = prefix + name
            if key not in expected.files:
                continue  # an output this source's model does not have
            if not any(name in names for names in port_names):
                if case.source != "ir":
                    continue  # added to the IR only (an extra output of the converted model)
                problems.append(f"run {k}: the compiled model has no output named '{name}'")
                continue
            got, want = np.asarray(result[name]), expected[key]
            tol, ill = _tolerance(out, low_precision)
            if ill:
                why = _check_ill_conditioned(name, got, want)
            elif want.dtype.kind in "USO":
                why = mismatch(_as_text(got), _as_text(want), EXACT)
            else:
                why = mismatch(got, want, tol)
            if why:
                problems.append(f"run {k}, output '{name}': {why}")
    for variable in meta.get("variables", []):
        key = f"state:{variable}"
        if key not in expected.files:
            continue
        states = {s.name: s for s in request.query_state()}
        if variable not in states:
            problems.append(f"query_state() has no variable '{variable}': {sorted(states)}")
            continue
        tol = Tolerance(**{k: v for k, v in meta["tolerance"].items() if k in ("atol", "rtol")})
        why = mismatch(np.asarray(states[variable].state.data), expected[key], tol)
        if why:
            problems.append(f"state '{variable}' after the last run: {why}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m openvino_testkit.corpus build DIR``: see :mod:`openvino_testkit.corpus_build`."""
    from .corpus_build import main as build_main

    return build_main(argv)


if __name__ == "__main__":
    import sys

    sys.exit(main())
