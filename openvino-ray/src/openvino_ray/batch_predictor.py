"""``BatchPredictor``: a model over the batches of a ``ray.data.Dataset``.

::

    ds = ray.data.from_numpy(images)          # or read_parquet(...), from_pandas(...)
    out = ds.map_batches(BatchPredictor,
                         fn_constructor_kwargs={"model": "model.xml", "device": "CPU"},
                         concurrency=4, batch_size=32)

Ray Data starts ``concurrency`` actors; each builds one ``BatchPredictor`` (the model
compiled once on its node's ``device``) and calls it on batches: a dict of numpy arrays
(``batch_format="numpy"``, Ray's default) or a ``pandas.DataFrame``. The model's inputs
are taken from the columns of the same names (``"data"`` for a single-input model given a
batch with a single column such as Ray's ``"data"``); each output comes back as a column
named after its tensor name, next to the batch's columns (``keep_columns=False``: only
the outputs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["BatchPredictor"]


class BatchPredictor:
    """A callable class for ``Dataset.map_batches``: compiles ``model`` (a path, or an
    ``openvino.Model``) on ``device`` once, then infers whole batches."""

    def __init__(self, model: Any, device: str = "CPU", config: dict[str, Any] | None = None,
                 input_columns: dict[str, str] | None = None, keep_columns: bool = True
                 ) -> None:
        import openvino as ov

        if str(device).split(":")[0].split(".")[0] == "RAY":
            raise ValueError("BatchPredictor already runs on Ray's workers: give the device "
                             "each of them computes on (CPU, GPU, AUTO)")
        self.core = ov.Core()
        source = self.core.read_model(model) if isinstance(model, str | bytes) or hasattr(
            model, "__fspath__") else model
        self.compiled = self.core.compile_model(source, device, config or {})
        self.request = self.compiled.create_infer_request()
        self.inputs = [port.get_any_name() for port in self.compiled.inputs]
        self.outputs = [port.get_any_name() for port in self.compiled.outputs]
        self.input_columns = dict(input_columns or {})
        self.keep_columns = keep_columns

    def _column(self, batch: Any, name: str, columns: list[str]) -> np.ndarray:
        column = self.input_columns.get(name, name)
        if column not in columns:
            if len(self.inputs) == 1 and len(columns) == 1:
                column = columns[0]
            else:
                raise KeyError(f"BatchPredictor: the batch has no column '{column}' for the "
                               f"model input '{name}' (columns: {columns}); map inputs to "
                               f"columns with input_columns={{input: column}}")
        values = batch[column]
        if hasattr(values, "to_numpy"):  # a pandas column of arrays or of numbers
            values = values.to_numpy()
            if values.dtype == object:
                values = np.stack(list(values))
        return np.asarray(values)

    def __call__(self, batch: Any) -> Any:
        is_frame = hasattr(batch, "columns") and hasattr(batch, "iloc")
        columns = list(batch.columns) if is_frame else list(batch.keys())
        feed = {name: self._column(batch, name, columns) for name in self.inputs}
        result = self.request.infer(feed)
        outputs = {name: np.asarray(result[i]) for i, name in enumerate(self.outputs)}
        if is_frame:
            import pandas as pd

            frame = batch.copy() if self.keep_columns else pd.DataFrame(index=batch.index)
            for name, values in outputs.items():
                frame[name] = list(values) if values.ndim > 1 else values
            return frame
        out = dict(batch) if self.keep_columns else {}
        out.update(outputs)
        return out
