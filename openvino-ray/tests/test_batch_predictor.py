"""``BatchPredictor`` over ``ray.data`` on the two-node cluster: numpy and pandas batches,
results equal to running the model directly on CPU."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import add_model
from openvino_ray import BatchPredictor

import openvino as ov
import openvino.opset13 as ops

data = pytest.importorskip("ray.data")


def scale_model() -> ov.Model:
    x = ops.parameter([-1, 4], np.float32, name="features")
    y = ops.multiply(x, ops.constant(np.float32(3)))
    y.output(0).get_tensor().set_names({"scaled"})
    return ov.Model([y], [x], "scale")


@pytest.fixture()
def model_path(tmp_path):
    path = tmp_path / "scale.xml"
    ov.save_model(scale_model(), str(path))
    return str(path)


def test_numpy_batches(cluster, model_path):
    features = np.random.default_rng(0).random((64, 4), np.float32)
    ds = data.from_items([{"features": row} for row in features])
    out = ds.map_batches(BatchPredictor, fn_constructor_kwargs={"model": model_path,
                                                                "device": "CPU"},
                         concurrency=2, batch_size=16, num_cpus=1)
    rows = out.take_all()
    got = np.stack([r["scaled"] for r in rows])
    order = np.argsort(np.stack([r["features"] for r in rows])[:, 0])
    want = ov.Core().compile_model(scale_model(), "CPU")(features)[0]
    np.testing.assert_array_equal(got[order], want[np.argsort(features[:, 0])])


def test_pandas_batches_and_a_single_unnamed_column(cluster, model_path):
    import pandas as pd

    features = np.arange(32, dtype=np.float32).reshape(8, 4)
    ds = data.from_pandas(pd.DataFrame({"x": list(features)}))
    out = ds.map_batches(BatchPredictor, fn_constructor_kwargs={"model": model_path},
                         batch_format="pandas", concurrency=1, batch_size=4, num_cpus=1)
    frame = out.to_pandas()
    got = np.stack(frame.sort_values("scaled", key=lambda c: [v[0] for v in c])["scaled"])
    np.testing.assert_array_equal(got, features * 3)


def test_missing_column_names_the_input():
    predictor = BatchPredictor(add_model(), "CPU")
    with pytest.raises(KeyError, match="no column 'b'"):
        predictor({"a": np.ones((2, 3), np.float32), "c": np.ones((2, 3), np.float32)})
    with pytest.raises(ValueError, match="already runs on Ray"):
        BatchPredictor(add_model(), "RAY")
