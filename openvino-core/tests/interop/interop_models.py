"""Models built with the opset API for the interop check. The same code runs under our
``openvino`` and under the real one (each side imports whichever ``openvino`` its venv
has), so it also checks that the graph-building API matches.

Each recipe returns ``(model, runs, stateful)``: ``runs`` is a list of input lists, one
per inference; a stateful model keeps its variables across them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import openvino as ov
import openvino.opset15 as ops

Recipe = Callable[[], tuple[ov.Model, list[list[np.ndarray]], bool]]


def _rand(*shape: int, seed: int = 0, scale: float = 1.0) -> np.ndarray:
    return (np.random.RandomState(seed).randn(*shape) * scale).astype(np.float32)


def seed_add() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    a = ops.parameter([8], np.float32, name="a")
    b = ops.parameter([8], np.float32, name="b")
    return ov.Model([ops.add(a, b)], [a, b], "seed_add"), [[_rand(8, seed=1), _rand(8, seed=2)]], \
        False


def small_convnet() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([1, 3, 16, 16], np.float32, name="image")
    conv = ops.convolution(x, ops.constant(_rand(8, 3, 3, 3, seed=3, scale=0.3)), [1, 1],
                           [1, 1], [1, 1], [1, 1])
    act = ops.relu(ops.add(conv, ops.constant(_rand(1, 8, 1, 1, seed=4, scale=0.1))))
    pool = ops.max_pool(act, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2])
    flat = ops.reshape(pool.output(0), ops.constant(np.array([1, -1], np.int64)), False)
    logits = ops.add(ops.matmul(flat, ops.constant(_rand(512, 10, seed=5, scale=0.05)),
                                False, False), ops.constant(_rand(10, seed=6, scale=0.1)))
    logits.output(0).set_names({"logits"})
    probs = ops.softmax(logits, 1)
    probs.output(0).set_names({"probs"})
    model = ov.Model([logits, probs], [x], "opset_convnet")
    return model, [[_rand(1, 3, 16, 16, seed=7)]], False


def int_and_bool() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([2, 5], np.float32, name="x")
    x.set_layout(ov.Layout("NC"))
    idx = ops.parameter([3], np.int64, name="idx")
    picked = ops.gather(x, idx, ops.constant(np.array(1, np.int64)))
    mask = ops.greater(picked, ops.constant(np.array(0.0, np.float32)))
    mask.output(0).set_names({"mask,positive"})
    chosen = ops.select(mask, picked, ops.negative(picked))
    shape = ops.concat([ops.shape_of(chosen), ops.constant(np.array([7], np.int64))], 0)
    model = ov.Model([mask, chosen, shape], [x, idx], "int_and_bool")
    model.set_rt_info("0.5", ["interop", "threshold"])
    model.set_rt_info(True, ["interop", "enabled"])
    return model, [[_rand(2, 5, seed=8), np.array([4, 0, -2], np.int64)]], False


def strings() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    text = ops.parameter([4], ov.Type.string, name="text")
    parts = ops.string_tensor_unpack(text)
    lengths = ops.subtract(parts.output(1), parts.output(0))
    packed = ops.string_tensor_pack(parts.output(0), parts.output(1), parts.output(2))
    suffix = ops.constant(ov.Tensor(np.array(["é,", "", "tail"])))
    joined = ops.concat([packed, suffix], 0)
    model = ov.Model([joined, lengths], [text], "strings")
    return model, [[np.array(["", "abc", "héllo", "x,y"])]], False


def stateful() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([1, 4], np.float32, name="x")
    init = ops.constant(np.zeros((1, 4), np.float32))
    read = ops.read_value(init, "acc", np.float32, [1, 4])
    total = ops.add(read, x)
    total.output(0).set_names({"total"})
    write = ops.assign(total, "acc")
    model = ov.Model(results=[ops.result(total)], sinks=[write], parameters=[x],
                     name="stateful")
    runs = [[_rand(1, 4, seed=s)] for s in (10, 11, 12)]
    return model, runs, True


def low_bit_weights() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([3, 16], np.float32, name="x")
    codes = np.random.RandomState(13).randint(0, 16, (8, 16))
    w = ops.convert(ops.constant(codes.astype(np.float32), dtype=ov.Type.u4), np.float32)
    zero = ops.convert(ops.constant(np.full((8, 1), 8.0, np.float32), dtype=ov.Type.u4),
                       np.float32)
    scale = ops.constant(np.full((8, 1), 0.125, np.float32))
    weights = ops.multiply(ops.subtract(w, zero), scale)
    signed = ops.convert(ops.constant(np.random.RandomState(14).randint(-8, 8, (8,))
                                      .astype(np.float32), dtype=ov.Type.i4), np.float32)
    y = ops.add(ops.matmul(x, weights, False, True), signed)
    return ov.Model([y], [x], "low_bit"), [[_rand(3, 16, seed=15)]], False


def dynamic_batch() -> tuple[ov.Model, list[list[np.ndarray]], bool]:
    x = ops.parameter([-1, 6], np.float32, name="x")
    h = ops.tanh(ops.matmul(x, ops.constant(_rand(6, 4, seed=16)), False, False))
    model = ov.Model([h, ops.shape_of(h)], [x], "dynamic_batch")
    return model, [[_rand(2, 6, seed=17)], [_rand(5, 6, seed=18)]], False


RECIPES: dict[str, Recipe] = {
    "seed_add": seed_add, "opset_convnet": small_convnet, "int_and_bool": int_and_bool,
    "strings": strings, "stateful": stateful, "low_bit": low_bit_weights,
    "dynamic_batch": dynamic_batch,
}

RT_INFO_CHECKS = {"int_and_bool": [(["interop", "threshold"], "0.5"),
                                   (["interop", "enabled"], "YES")]}
