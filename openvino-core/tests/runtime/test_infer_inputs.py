"""Every input form ``InferRequest.infer`` accepts, sharing, and the errors of bad input."""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov

from .conftest import add_model

X = np.arange(8, dtype=np.float32)
Y = np.full(8, 10, np.float32)
EXPECTED = X + Y


@pytest.fixture
def request_(compiled_add):
    return compiled_add.create_infer_request()


class ArrayLike:
    def __init__(self, array):
        self.array = array

    def __array__(self, dtype=None, copy=None):
        return self.array if dtype is None else self.array.astype(dtype)


class OldArrayLike:
    def __init__(self, array):
        self.array = array

    def __array__(self):
        return self.array


@pytest.mark.parametrize("make", [
    lambda c: {0: X, 1: Y},
    lambda c: {"a": X, "b": Y},
    lambda c: {c.input(0): X, c.input(1): Y},
    lambda c: {c.inputs[0]: ov.Tensor(X), 1: Y},
    lambda c: {np.int64(0): X, "b": Y},
    lambda c: [X, Y],
    lambda c: (X, Y),
    lambda c: [ov.Tensor(X), Y],
    lambda c: [ArrayLike(X), OldArrayLike(Y)],
    lambda c: [X.tolist(), Y],
    lambda c: [X.astype(np.float64), Y.astype(np.int32)],
], ids=["int", "name", "port", "tensor-mixed", "np-int", "list", "tuple", "list-tensor",
        "array-like", "python-list", "converted-dtype"])
def test_input_forms(request_, compiled_add, make):
    inputs = make(compiled_add)
    result = request_.infer(inputs)
    np.testing.assert_array_equal(result[0], EXPECTED)


def test_model_output_keys_of_the_original_model(core):
    model = add_model()
    compiled = core.compile_model(model, "TEMPLATE")
    result = compiled({model.inputs[0]: X, model.input(1): Y})
    np.testing.assert_array_equal(result["y"], EXPECTED)


def test_callers_containers_are_not_modified(request_):
    inputs = {0: X, 1: Y}
    listed = [X, Y]
    request_.infer(inputs)
    request_.infer(listed)
    assert inputs == {0: X, 1: Y} and len(listed) == 2 and listed[0] is X


def test_single_value_forms(core):
    x = ov.opset8.parameter([], np.float32)
    compiled = core.compile_model(ov.Model(ov.opset8.absolute(x), [x]), "TEMPLATE")
    request = compiled.create_infer_request()
    for value in (-3, -3.0, np.float32(-3), np.array(-3, np.float32), ov.Tensor(np.array(-3.0,
                                                                                        np.float32))):
        assert request.infer(value)[0] == 3.0


def test_share_inputs_uses_the_callers_array(request_):
    a, b = X.copy(), Y.copy()
    request_.infer({0: a, 1: b}, share_inputs=True)
    assert np.shares_memory(request_.get_input_tensor(0).data, a)
    request_.infer({0: a, 1: b}, True)  # positional flag
    assert np.shares_memory(request_.get_input_tensor(0).data, a)
    request_.infer({0: a, 1: b})
    assert not np.shares_memory(request_.get_input_tensor(0).data, a)


def test_share_inputs_copies_what_cannot_be_shared(request_):
    readonly = X.copy()
    readonly.flags.writeable = False
    strided = np.arange(16, dtype=np.float32)[::2]
    other_dtype = X.astype(np.float64)
    request_.infer({0: readonly, 1: strided}, share_inputs=True)
    assert not np.shares_memory(request_.get_input_tensor(0).data, readonly)
    assert not np.shares_memory(request_.get_input_tensor(1).data, strided)
    request_.infer({0: other_dtype, 1: Y}, share_inputs=True)
    assert request_.get_input_tensor(0).data.dtype == np.float32


def test_share_outputs(request_):
    shared = request_.infer([X, Y], share_outputs=True)
    assert shared[0].flags["OWNDATA"] is False
    assert np.shares_memory(shared[0], request_.get_output_tensor().data)
    owned = request_.infer([X, Y])
    assert owned[0].flags["OWNDATA"] is True
    assert not np.shares_memory(owned[0], request_.get_output_tensor().data)


def test_legacy_shared_memory_keyword_warns(request_):
    with pytest.warns(FutureWarning):
        request_.infer([X, Y], shared_memory=True)


def test_unsupported_input_object(request_):
    with pytest.raises(TypeError, match="Incompatible inputs of type:"):
        request_.infer({0: object(), 1: Y})
    with pytest.raises(TypeError, match="Incompatible inputs of type:"):
        request_.infer({1, 2})


def test_bad_keys(request_):
    with pytest.raises(RuntimeError, match="Check"):
        request_.infer({"nope": X})
    with pytest.raises(TypeError, match="Incompatible key type for input: 0.0"):
        request_.infer({0.0: X})
    with pytest.raises(RuntimeError, match="no input 5"):
        request_.infer({5: X})


def test_wrong_count_shape_and_type(request_):
    with pytest.raises(RuntimeError, match="2 inputs, 3 values"):
        request_.infer([X, Y, X])
    with pytest.raises(RuntimeError, match=r"input 'a'.*shape \[9\]"):
        request_.infer({0: np.zeros(9, np.float32)})
    with pytest.raises(RuntimeError, match="cannot take a tensor of i32"):
        request_.infer({0: ov.Tensor(np.zeros(8, np.int32))})
    with pytest.raises(TypeError, match="Incompatible inputs of type"):
        request_.infer({0: np.array(["x"] * 8)})
    with pytest.raises(RuntimeError, match="exactly one input"):
        request_.infer(X)


def test_dynamic_input_takes_the_shape_of_the_data(core):
    x = ov.opset8.parameter([-1, 3], np.float32, name="x")
    compiled = core.compile_model(ov.Model(ov.opset8.relu(x), [x]), "TEMPLATE")
    request = compiled.create_infer_request()
    for batch in (1, 4, 2):
        data = np.full((batch, 3), -1.0, np.float32)
        out = request.infer([data])
        assert out[0].shape == (batch, 3)
        assert request.get_input_tensor().shape == ov.Shape([batch, 3])
    with pytest.raises(RuntimeError, match="shape"):
        request.infer([np.zeros((2, 4), np.float32)])


def test_dynamic_input_without_data_is_reported(core):
    x = ov.opset8.parameter([-1], np.float32, name="x")
    request = core.compile_model(ov.Model(ov.opset8.relu(x), [x]), "TEMPLATE") \
        .create_infer_request()
    with pytest.raises(RuntimeError, match="input 'x'.*no data"):
        request.infer()


def test_string_input_and_output(core):
    x = ov.opset15.parameter([2], ov.Type.string, name="s")
    compiled = core.compile_model(ov.Model(ov.opset15.result(x), [x]), "TEMPLATE")
    out = compiled([np.array(["ab", "ü"])])
    assert out[0].dtype.kind == "U" and list(out[0]) == ["ab", "ü"]
    raw = compiled([np.array([b"ab", "ü".encode()])], decode_strings=False)
    assert list(raw[0]) == [b"ab", "ü".encode()]


@pytest.mark.parametrize("call", ["infer", "start_async", "compiled", "queue"])
def test_legacy_shared_memory_warns_as_openvino_did(compiled_add, call):
    message = ("`shared_memory` is deprecated and will be removed in 2024.0. Value of "
               "`shared_memory` is going to override `share_inputs` value. Please use only "
               "`share_inputs` explicitly.")
    request = compiled_add.create_infer_request()
    with pytest.warns(FutureWarning) as caught:
        if call == "infer":
            out = request.infer([X, Y], shared_memory=True)[0]
        elif call == "start_async":
            request.start_async([X, Y], shared_memory=True)
            request.wait()
            out = request.get_output_tensor().data
        elif call == "compiled":
            out = compiled_add([X, Y], shared_memory=False)[0]
        else:
            queue = ov.AsyncInferQueue(compiled_add, 1)
            queue.start_async([X, Y], shared_memory=True)
            queue.wait_all()
            out = queue[0].get_output_tensor().data
    assert [str(w.message) for w in caught] == [message]
    np.testing.assert_array_equal(out, EXPECTED)


def test_tensor_shared_memory_does_not_warn(recwarn):
    ov.Tensor(X, shared_memory=True)
    assert not [w for w in recwarn if "shared_memory" in str(w.message)]


def test_results_of_one_request_feed_another(core):
    import openvino.opset13 as ops

    a = ops.parameter([2, 3], np.float32, name="a")
    first = core.compile_model(ov.Model([ops.relu(a, name="r")], [a]), "TEMPLATE")
    b = ops.parameter([2, 3], np.float32, name="b")
    second = core.compile_model(ov.Model([ops.negative(b, name="n")], [b]), "TEMPLATE")
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
    expected = -np.maximum(x, 0)
    r1, r2 = first.create_infer_request(), second.create_infer_request()
    r1.infer({0: x})
    # an OVDict keyed by the other model's ports binds by position, as OpenVINO does
    np.testing.assert_array_equal(r2.infer(r1.results)[0], expected)
    np.testing.assert_array_equal(r2.infer(r1.get_output_tensor())[0], expected)
    np.testing.assert_array_equal(r2.infer([r1.get_output_tensor()])[0], expected)
    np.testing.assert_array_equal(r2.infer(r1.infer({0: x}))[0], expected)
    np.testing.assert_array_equal(second(first(x))[0], expected)
    np.testing.assert_array_equal(second(first(x), share_inputs=True)[0], expected)


def test_ovdict_with_too_many_values_is_refused(core, compiled_add):
    x = ov.opset8.parameter([8], np.float32, name="x")
    one_input = core.compile_model(ov.Model(ov.opset8.relu(x), [x]), "TEMPLATE")
    two_outputs = core.compile_model(
        ov.Model([ov.opset8.relu(x), ov.opset8.negative(x)], [x]), "TEMPLATE")
    np.testing.assert_array_equal(one_input(compiled_add([X, Y]))[0], EXPECTED)
    with pytest.raises(RuntimeError, match="The model has 1 inputs, 2 values were given"):
        one_input(two_outputs([X]))
