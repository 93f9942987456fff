"""Regenerate the sample model bundled with benchmark_app (seeded, reproducible):

    python scripts/make_sample_model.py src/openvino/tools/samples/sample_convnet.xml
"""

import sys

import numpy as np

import openvino as ov

ops = ov.opset13


def build() -> ov.Model:
    rng = np.random.default_rng(2026)
    image = ops.parameter([1, 3, 32, 32], np.float32, name="image")
    image.output(0).set_names({"image"})
    x = image
    for cin, cout in ((3, 8), (8, 16)):
        w = (rng.standard_normal((cout, cin, 3, 3)) / np.sqrt(cin * 9)).astype(np.float32)
        b = (0.1 * rng.standard_normal((1, cout, 1, 1))).astype(np.float32)
        x = ops.convolution(x, ops.constant(w), [1, 1], [1, 1], [1, 1], [1, 1])
        x = ops.relu(ops.add(x, ops.constant(b)))
        x = ops.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2]).output(0)
    x = ops.reduce_mean(x, ops.constant(np.array([2, 3], np.int64)), keep_dims=False)
    w = (rng.standard_normal((16, 10)) / 4).astype(np.float32)
    logits = ops.add(ops.matmul(x, ops.constant(w), False, False),
                     ops.constant(np.zeros(10, np.float32)))
    logits.output(0).set_names({"logits"})
    probs = ops.softmax(logits, -1)
    probs.output(0).set_names({"probs"})
    return ov.Model([logits, probs], [image], "sample_convnet")


if __name__ == "__main__":
    ov.save_model(build(), sys.argv[1])
