"""``PrePostProcessor``: declares conversions around a model's inputs and outputs and
builds them into the model as ordinary ops."""

from __future__ import annotations

from typing import Any

from .._model import Model
from ._build import Report, build_input, build_output, port_name, yield_gil
from ._info import InputInfo, OutputInfo
from ._transaction import Transaction

__all__ = ["PrePostProcessor"]


class PrePostProcessor:
    """openvino.preprocess.PrePostProcessor wraps ov::preprocess::PrePostProcessor"""

    def __init__(self, model: Any) -> None:
        if not isinstance(model, Model):
            raise TypeError("Incompatible `model` argument. Please provide a valid "
                            "openvino.Model instance.")
        self._model = model
        self._inputs: dict[int, InputInfo] = {}
        self._outputs: dict[int, OutputInfo] = {}

    # --- selecting inputs and outputs ------------------------------------------------------
    def input(self, key: Any = None) -> InputInfo:  # noqa: A003
        """The input with this index or tensor name (no argument: the only input)."""
        index = _port_index(self._model.get_parameters(), key, "input", "inputs")
        return self._inputs.setdefault(index, InputInfo(index))

    def output(self, key: Any = None) -> OutputInfo:
        """The output with this index or tensor name (no argument: the only output)."""
        index = _port_index(self._model.get_results(), key, "output", "outputs")
        return self._outputs.setdefault(index, OutputInfo(index))

    # --- building --------------------------------------------------------------------------
    def _apply(self, model: Model, report: Report, tx: Transaction) -> None:
        """Build into ``model`` (the user's, or a copy for the report); the report names
        inputs and outputs as the user's model does."""
        inputs = [self._inputs[i] for i in sorted(self._inputs) if self._inputs[i]._configured()]
        # looked up first: a multi-plane input shifts the indices of the inputs after it
        params = model.get_parameters()
        for info in inputs:
            name = port_name(self._model.get_parameters()[info._index].output(0))
            build_input(model, info, params[info._index], name, report, tx)
            yield_gil()
        if inputs:
            try:
                model.validate_nodes_and_infer_types()
            except RuntimeError as e:
                raise RuntimeError(f"PrePostProcessor: the model does not accept the "
                                   f"pre-processed inputs: {e}") from e
        for index in sorted(self._outputs):
            info = self._outputs[index]
            if info._configured():
                name = port_name(self._model.get_results()[index].output(0))
                build_output(model, info, name, report, tx)
                yield_gil()
        model.validate_nodes_and_infer_types()

    def build(self) -> Model:
        """Build the declared conversions into the model and return it (the same object).

        Every new op is created off the model first; the model changes only at the end of
        each input or output, through an undo log. If anything fails (a step that does not
        fit, a shape the model cannot take, an exception from a custom function), the
        changes are undone and the model is left as it was; the exception names the input or
        output and the step.

        The GIL: the real ``build()`` releases it while it works. This one is pure Python
        made of small steps (no long call into C holds the GIL), so other threads keep
        running under the interpreter's normal switching (``sys.getswitchinterval()``); it
        takes no lock another thread could wait on (two builds of different models run side
        by side) and hands the interpreter over explicitly after each input and output
        (``time.sleep(0)``). Do not build two pre-processors over the same model at the same
        time.
        """
        tx = Transaction(self._model)
        try:
            self._apply(self._model, Report(), tx)
        except BaseException:
            tx.rollback()
            raise
        return self._model

    def __str__(self) -> str:
        """The declared pipeline as it builds: each input's user tensor, model tensor and
        steps with the shape, layout, type (and color) before and after each, then each
        output's. Building happens on a copy of the model; a failure ends the text with
        ``Error occurred: ...``."""
        model = self._model.clone()
        report = Report()
        try:
            self._apply(model, report, Transaction(model))
        except Exception as e:  # the report shows where it stopped and why
            return report.text(str(e))
        return report.text()

    def __repr__(self) -> str:
        return f"<PrePostProcessor: {self}>"


def _port_index(nodes: list, key: Any, kind: str, plural: str) -> int:
    """Index of the Parameter/Result in ``nodes`` that ``key`` (None, index or tensor name)
    selects, with the real PrePostProcessor's error texts."""
    if key is None:
        if len(nodes) != 1:
            raise RuntimeError(f"PrePostProcessor::{kind}() - Model must have exactly one "
                               f"{kind}, got {len(nodes)}")
        return 0
    if isinstance(key, str):
        for i, node in enumerate(nodes):
            if key in node.output(0).get_names():
                return i
        raise RuntimeError(f"Model doesn't have {kind} with name {key}")
    if isinstance(key, int) and not isinstance(key, bool):
        if not 0 <= key < len(nodes):
            raise RuntimeError(f"PrePostProcessor::{kind}(size_t) - Model doesn't have {kind} "
                               f"with index {key}. Total number of {plural} is {len(nodes)}")
        return key
    raise TypeError(f"{kind}(): expected an index or a tensor name, got {key!r}")
