"""Python custom operations: ``openvino.Op`` subclasses, ``OpExtension`` and
``DiscreteTypeInfo``, written as users of the real OpenVINO write them.

The behaviours, messages and reprs checked here are the real OpenVINO 2026.4's (this file
passes on it but for the tests marked "beyond OpenVINO": what it does not do, such as a
default clone that keeps an op's attributes, or a TEMPLATE device in its wheel).
"""

from __future__ import annotations

import numpy as np
import pytest

import openvino as ov
import openvino.opset14 as ops
from openvino import Core, DiscreteTypeInfo, Model, Op, OpExtension, Tensor


class Identity(Op):
    """Copies its input; its type name comes from ``get_type_info``."""

    class_type_info = DiscreteTypeInfo("IdentityOp", "extension")

    def __init__(self, inputs):
        super().__init__(self)
        self.set_arguments(inputs)
        self.constructor_validate_and_infer_types()

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    def clone_with_new_inputs(self, new_inputs):
        return Identity(new_inputs)

    def get_type_info(self):
        return Identity.class_type_info

    def evaluate(self, outputs, inputs):
        inputs[0].copy_to(outputs[0])
        return True

    def has_evaluate(self):
        return True


class Scale(Op):
    """``x * factor`` with attributes; buildable with no arguments (as the IR reader
    builds it), the attribute defaults set in ``__init__``."""

    class_type_info = DiscreteTypeInfo("Scale", "my_ops")

    def __init__(self, inputs=None, attrs=None):
        super().__init__(self)
        self._attrs = {"factor": 1.0, "tag": "none"} if attrs is None else dict(attrs)
        if inputs is not None:
            self.set_arguments(inputs)
            self.constructor_validate_and_infer_types()

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    def clone_with_new_inputs(self, new_inputs):
        return Scale(new_inputs, self._attrs)

    @staticmethod
    def get_type_info():
        return Scale.class_type_info

    def visit_attributes(self, visitor):
        visitor.on_attributes(self._attrs)
        return True

    def evaluate(self, outputs, inputs):
        outputs[0].data[:] = inputs[0].data * self._attrs["factor"]
        return True


class Pair(Op):
    """Two outputs (sum and difference); no type info of its own: type "Pair",
    version "extension"."""

    def __init__(self, *inputs):
        super().__init__(self, inputs)

    def validate_and_infer_types(self):
        et, ps = self.get_input_element_type(0), self.get_input_partial_shape(0)
        self.set_output_type(0, et, ps)
        self.set_output_type(1, et, ps)

    def evaluate(self, outputs, inputs):
        a, b = inputs[0].data, inputs[1].data
        outputs[0].data[:] = a + b
        outputs[1].data[:] = a - b
        return True


class NoEvaluate(Op):
    def __init__(self, *inputs):
        super().__init__(self, inputs)

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))


def _param(shape, name="data"):
    return ops.parameter(shape, np.float32, name=name)


def _scale_model(factor=2.0, tag="x"):
    p = _param([2, 3])
    node = Scale([p], {"factor": factor, "tag": tag})
    node.set_friendly_name("scale")
    return Model(ops.result(node), [p], "ScaleModel")


# --- DiscreteTypeInfo ------------------------------------------------------------------------
def test_discrete_type_info_fields_repr_and_order():
    info = DiscreteTypeInfo("Custom", "extension")
    assert (info.name, info.version_id, info.parent) == ("Custom", "extension", None)
    assert repr(info) == "<DiscreteTypeInfo: Custom extension>"
    assert info == DiscreteTypeInfo("Custom", "extension")
    assert info != DiscreteTypeInfo("Custom", "opset1")
    assert (info == "Custom") is False
    # ordered by name, then version
    assert DiscreteTypeInfo("a", "b") < DiscreteTypeInfo("b", "a")
    assert not DiscreteTypeInfo("b", "a") < DiscreteTypeInfo("a", "b")
    assert DiscreteTypeInfo("a", "a") <= DiscreteTypeInfo("a", "a") >= DiscreteTypeInfo("a", "a")
    assert info.hash() == DiscreteTypeInfo("Custom", "extension").hash()
    with pytest.raises(TypeError, match="unhashable"):
        hash(info)
    with pytest.raises(TypeError):
        info < 5  # noqa: B015
    with pytest.raises(TypeError):
        DiscreteTypeInfo("Custom")
    with pytest.raises(AttributeError):
        info.name = "Other"


def test_builtin_nodes_give_discrete_type_info():
    relu = ops.relu(_param([2]))
    assert relu.get_type_info() == DiscreteTypeInfo("Relu", "opset1")
    assert isinstance(relu.get_type_info(), DiscreteTypeInfo)


def test_names_are_exported_as_in_the_real_package():
    """The names are the same objects in openvino._pyopenvino (there the binding's
    Op is the base class of openvino.Op)."""
    assert ov._pyopenvino.Op is Op and ov._pyopenvino.OpExtension is OpExtension
    assert ov._pyopenvino.DiscreteTypeInfo is DiscreteTypeInfo
    assert {"Op", "OpExtension", "DiscreteTypeInfo"} <= set(ov.__all__)
    assert issubclass(Op, ov.Node) and issubclass(OpExtension, ov.Extension)
    with pytest.raises(TypeError, match="No constructor defined"):
        ov._pyopenvino.AttributeVisitor()


# --- building ------------------------------------------------------------------------------
def test_op_type_info_names_and_ports():
    p = _param([2, 3])
    node = Identity([p])
    assert node.get_type_name() == "IdentityOp"
    assert node.get_type_info() == DiscreteTypeInfo("IdentityOp", "extension")
    assert node.get_friendly_name() == node.get_name()
    assert node.get_name().startswith("IdentityOp_")
    assert repr(node) == f"<IdentityOp: '{node.get_friendly_name()}' ([2,3])>"
    assert node.get_input_size() == 1 and node.get_output_size() == 1
    assert list(node.get_output_shape(0)) == [2, 3]
    assert node.get_output_element_type(0) == ov.Type.f32
    assert isinstance(node, ov.Node)


def test_op_without_type_info_is_named_after_its_class():
    a, b = _param([2], "a"), _param([2], "b")
    pair = Pair(a, b)
    assert pair.get_type_name() == "Pair"
    assert pair.get_type_info() == DiscreteTypeInfo("Pair", "extension")
    assert pair.get_output_size() == 2
    # *inputs holding one list is that list
    assert Pair([a, b]).get_input_size() == 2
    empty = Pair()
    assert empty.get_input_size() == 0 and empty.outputs() == []


def test_static_get_type_info():
    node = Scale([_param([2])])
    assert node.get_type_name() == "Scale"
    assert node.get_type_info().version_id == "my_ops"


def test_bad_type_info_raises_on_construction():
    class BadInfo(Op):
        def __init__(self):
            super().__init__(self)

        def get_type_info(self):
            return "BadInfo"

    with pytest.raises(RuntimeError, match="operation type_info must be an instance of "
                                           "DiscreteTypeInfo, but <class 'str'> is passed."):
        BadInfo()


def test_set_arguments_replaces_the_inputs():
    a, b = _param([2], "a"), _param([2], "b")
    pair = Pair(a, b)
    pair.set_arguments([b, a])
    assert [x.get_node() for x in pair.input_values()] == [b, a]
    pair.set_arguments([a])
    assert pair.get_input_size() == 1
    assert not any(t.get_node() is pair for t in b.output(0).get_target_inputs())


def test_model_with_custom_ops_orders_and_clones():
    a, b = _param([2, 1], "a"), _param([2, 1], "b")
    pair = Pair(a, b)
    pair.set_friendly_name("pair")
    pair.output(0).get_tensor().set_names({"sum"})
    scaled = Scale([pair.output(1)], {"factor": 3.0, "tag": "t"})
    model = Model([ops.result(pair.output(0)), ops.result(scaled)], [a, b], "M")
    assert sorted(n.get_type_name() for n in model.get_ordered_ops()) == [
        "Pair", "Parameter", "Parameter", "Result", "Result", "Scale"]
    clone = model.clone()
    cloned = {n.get_type_name(): n for n in clone.get_ordered_ops()}
    assert type(cloned["Pair"]) is Pair and cloned["Pair"] is not pair
    assert cloned["Pair"].get_friendly_name() == "pair"
    assert cloned["Pair"].output(0).get_names() == {"sum"}
    assert cloned["Scale"].get_attributes() == {"factor": 3.0, "tag": "t"}


def test_default_clone_keeps_the_ops_own_state():
    """Beyond OpenVINO: there an op without clone_with_new_inputs clones as
    ``type(op)(inputs)`` and loses its attributes."""
    class Tagged(Op):
        def __init__(self, inputs=None, tag="none"):
            super().__init__(self)
            self.tag = tag
            if inputs is not None:
                self.set_arguments(inputs)
                self.constructor_validate_and_infer_types()

        def validate_and_infer_types(self):
            self.set_output_type(0, ov.Type.f32, self.get_input_partial_shape(0))

    node = Tagged([_param([3])], tag="kept")
    copy = node.clone_with_new_inputs([_param([4])])
    assert type(copy) is Tagged and copy.tag == "kept"
    assert list(copy.get_output_shape(0)) == [4]


def test_reshape_reinfers_custom_ops():
    p = _param([1, 3])
    model = Model(Identity([p]), [p])
    model.reshape([4, 3])
    assert list(model.output(0).get_shape()) == [4, 3]


# --- attributes ----------------------------------------------------------------------------
class WithAttributes(Op):
    class_type_info = DiscreteTypeInfo("WithAttributes", "extension")

    def __init__(self, inputs=None, attrs=None):
        super().__init__(self)
        self._attrs = attrs
        if inputs is not None:
            self.set_arguments(inputs)
            self.constructor_validate_and_infer_types()

    def validate_and_infer_types(self):
        self.set_output_type(0, self.get_input_element_type(0), self.get_input_partial_shape(0))

    def get_type_info(self):
        return WithAttributes.class_type_info

    def visit_attributes(self, visitor):
        visitor.on_attributes(self._attrs)
        return True


def test_get_attributes_puts_lists_in_place_of_visited_arrays():
    attrs = {"scales": np.array([1.5, 2.5], np.float32), "axis": 1}
    node = WithAttributes([ops.parameter([1])], attrs)
    assert node.get_attributes() == {"scales": [1.5, 2.5], "axis": 1}
    assert attrs["scales"] == [1.5, 2.5]  # the binding writes the list back, so do we


@pytest.mark.parametrize(("attrs", "expected"), [
    ({"axis": 0}, {"axis": 0}),
    ({"value_str": "test_attribute"}, {"value_str": "test_attribute"}),
    ({"value_float": 0.25}, {"value_float": 0.25}),
    ({"value_bool": True}, {"value_bool": True}),
    ({"list_str": ["one", "two"]}, {"list_str": ["one", "two"]}),
    ({"list_int": [1, 2]}, {"list_int": [1, 2]}),
    ({"list_float": np.array([1.5, 2.5], dtype=np.float32)}, {"list_float": [1.5, 2.5]}),
    ({"scalar": np.float32(1.5)}, {"scalar": 1.5}),
    ({"shape": ov.PartialShape([1, -1])}, {"shape": [1, -1]}),
    ({"axis": 0, "list_int": [1, 2]}, {"axis": 0, "list_int": [1, 2]}),
])
def test_get_attributes(attrs, expected):
    node = WithAttributes([_param([2])], attrs)
    got = node.get_attributes()
    assert got == expected
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}


def test_dimension_and_body_attributes():
    """Beyond OpenVINO: its get_attributes leaves Dimension and Model values out."""
    body = Model(ops.constant([1]), [])
    got = WithAttributes([_param([2])], {"dim": ov.Dimension(2), "body": body}).get_attributes()
    assert got["dim"] == ov.Dimension(2)
    assert got["body"] is body


@pytest.mark.parametrize(("attrs", "error", "message"), [
    ({"wrong": {}}, TypeError, "Unsupported attribute type: <class 'dict'>"),
    ({"wrong": (1, 2)}, TypeError, "Unsupported attribute type: <class 'tuple'>"),
    ({"wrong": None}, TypeError, "Unsupported attribute type: <class 'NoneType'>"),
    ({"wrong_list": [{}]}, TypeError,
     "Unsupported attribute type in provided list: <class 'dict'>"),
    ({"wrong_np": np.array([1.5, 2.5], dtype="complex128")}, TypeError,
     "Unsupported NumPy array dtype: complex128"),
    ({"mixed": [1, 2.5]}, RuntimeError, "Mixed types in the container are not allowed"),
    ({"empty": []}, RuntimeError, "Attributes list is empty"),
])
def test_unsupported_attributes_raise_as_openvino(tmp_path, attrs, error, message):
    p = _param([2])
    node = WithAttributes([p], attrs)
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        node.get_attributes()
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        ov.serialize(Model(node, [p]), str(tmp_path / "m.xml"))


def test_on_attributes_takes_a_dict():
    node = WithAttributes([_param([2])], None)
    with pytest.raises(TypeError, match="on_attributes"):
        node.get_attributes()


# --- IR ------------------------------------------------------------------------------------
def test_serialize_writes_type_version_and_attributes(tmp_path):
    """Beyond OpenVINO: its writer leaves a Python op's <data> empty."""
    xml = tmp_path / "m.xml"
    ov.save_model(_scale_model(2.5, "hello"), xml)
    text = xml.read_text()
    assert 'name="scale" type="Scale" version="my_ops"' in text
    assert '<data factor="2.5" tag="hello" />' in text


@pytest.mark.parametrize("device", ["CPU", "TEMPLATE"])
@pytest.mark.parametrize("register", [lambda core: core.add_extension(Scale),
                                      lambda core: core.add_extension(OpExtension(Scale)),
                                      lambda core: core.add_extension([OpExtension(Scale)])])
def test_read_model_with_extension(tmp_path, register, device):
    xml = tmp_path / "m.xml"
    ov.save_model(_scale_model(2.5, "hello"), xml)
    core = Core()
    register(core)
    model = core.read_model(xml)
    node = next(n for n in model.get_ordered_ops() if n.get_type_name() == "Scale")
    assert type(node) is Scale
    assert node.get_friendly_name() == "scale"
    assert node.get_attributes() == {"factor": 2.5, "tag": "hello"}
    assert list(node.get_output_shape(0)) == [2, 3]
    assert model.input(0).get_names() == {"data"}
    out = core.compile_model(model, device)(np.ones((2, 3), np.float32))[0]
    np.testing.assert_allclose(out, np.full((2, 3), 2.5, np.float32))


def test_reader_builds_the_op_as_openvino_does(tmp_path):
    calls = []

    class Recorded(Scale):
        class_type_info = DiscreteTypeInfo("Recorded", "extension")

        def __init__(self, inputs=None, attrs=None):
            calls.append(("init", inputs))
            super().__init__(inputs, attrs)

        def set_arguments(self, sources):
            calls.append(("set_arguments", len(sources)))
            super().set_arguments(sources)

        def constructor_validate_and_infer_types(self):
            calls.append(("infer", dict(self._attrs)))
            super().constructor_validate_and_infer_types()

        @staticmethod
        def get_type_info():
            return Recorded.class_type_info

        def clone_with_new_inputs(self, new_inputs):
            return Recorded(new_inputs, self._attrs)

    p = _param([2])
    model = Model(Recorded([p], {"factor": 4.0, "tag": "r"}), [p])
    xml = tmp_path / "m.xml"
    ov.serialize(model, xml)
    core = Core()
    core.add_extension(Recorded)
    calls.clear()
    core.read_model(xml)
    assert calls == [("init", None), ("set_arguments", 1),
                     ("infer", {"factor": 4.0, "tag": "r"})]


def test_extensions_belong_to_one_core(tmp_path):
    xml = tmp_path / "m.xml"
    ov.save_model(_scale_model(), xml)
    core = Core()
    core.add_extension(Scale)
    core.read_model(xml)
    with pytest.raises(RuntimeError, match=r"Scale.*my_ops"):
        Core().read_model(xml)


def test_read_model_without_extension_names_the_layer(tmp_path):
    p = _param([2])
    xml = tmp_path / "m.xml"
    ov.save_model(Model(Pair(p, p), [p]), xml)
    with pytest.raises(RuntimeError, match=r"Pair_\d+") as e:
        Core().read_model(xml)
    assert "extension" in str(e.value)


# --- compile and infer -----------------------------------------------------------------------
@pytest.mark.parametrize("device", ["CPU", "TEMPLATE", "AUTO"])
def test_infer_runs_evaluate(device):
    p = _param([1, 3, 4, 4])
    node = Identity([p])
    for _ in range(5):
        node = Identity([node])
    model = Model(ops.relu(Scale([node], {"factor": -2.0, "tag": ""})), [p])
    data = np.linspace(-1, 1, 48, dtype=np.float32).reshape(1, 3, 4, 4)
    out = Core().compile_model(model, device)({"data": Tensor(data)})[0]
    np.testing.assert_allclose(out, np.maximum(data * -2.0, 0), rtol=1e-6)


@pytest.mark.parametrize("device", ["CPU", "TEMPLATE"])
def test_infer_multi_output_and_dynamic_shapes(device):
    a, b = _param([-1, 2], "a"), _param([-1, 2], "b")
    pair = Pair(a, b)
    model = Model(pair.outputs(), [a, b])
    compiled = Core().compile_model(model, device)
    for rows in (1, 3):
        x = np.arange(rows * 2, dtype=np.float32).reshape(rows, 2)
        y = np.full((rows, 2), 0.5, np.float32)
        res = compiled({"a": x, "b": y})
        np.testing.assert_allclose(res[0], x + y)
        np.testing.assert_allclose(res[1], x - y)


def test_model_evaluate_runs_evaluate():
    p = _param([3])
    model = Model(Scale([p], {"factor": 3.0, "tag": ""}), [p])
    out = [Tensor(np.zeros(3, np.float32))]
    assert model.evaluate(out, [Tensor(np.array([1, 2, 3], np.float32))])
    np.testing.assert_allclose(out[0].data, [3, 6, 9])


@pytest.mark.parametrize("device", ["CPU", "TEMPLATE"])
def test_evaluate_failures_name_the_op(device):
    class Fails(Pair):
        def evaluate(self, outputs, inputs):
            return False

    class Raises(Pair):
        def evaluate(self, outputs, inputs):
            raise ValueError("boom")

    for cls, message in ((Fails, "evaluation failed"), (Raises, "ValueError: boom")):
        p = _param([2])
        node = cls(p, p)
        compiled = Core().compile_model(Model(node.outputs(), [p]), device)
        with pytest.raises(RuntimeError, match=f"(?s){node.get_friendly_name()}.*{message}"):
            compiled(np.ones(2, np.float32))


@pytest.mark.parametrize("device", ["CPU", "TEMPLATE", "AUTO"])
def test_op_without_evaluate_cannot_compile(device):
    p = _param([2])
    node = NoEvaluate(p)
    with pytest.raises(RuntimeError, match=node.get_friendly_name()):
        Core().compile_model(Model(node, [p]), device)


def test_has_evaluate_follows_evaluate():
    """Beyond OpenVINO: there an op without evaluate has no has_evaluate, and evaluate
    returns True having computed nothing."""
    p = _param([2])
    assert Pair(p, p).has_evaluate() is True
    assert Identity([p]).has_evaluate() is True
    node = NoEvaluate(p)
    assert node.has_evaluate() is False
    assert node.evaluate([Tensor(np.zeros(2, np.float32))], [Tensor(np.ones(2, np.float32))]) \
        is False


# --- add_extension errors --------------------------------------------------------------------
def test_add_extension_errors_as_openvino():
    class BadClassTypeInfo(Op):
        class_type_info = "BadClassTypeInfo"

        def __init__(self, inputs=None):
            super().__init__(self)

        @staticmethod
        def get_type_info():
            return BadClassTypeInfo.class_type_info

    core = Core()
    with pytest.raises(RuntimeError,
                       match="__init__\\(\\) missing 1 required positional argument: 'inputs'"):
        core.add_extension(Identity)
    with pytest.raises(RuntimeError, match="Unsupported data type : '<class 'bool'>' is passed "
                                           "as an argument."):
        core.add_extension(OpExtension(bool))
    with pytest.raises(RuntimeError, match="Unsupported data type : '<class 'bool'>' is passed "
                                           "as an argument."):
        core.add_extension(bool)
    with pytest.raises(RuntimeError, match="operation type_info must be an instance of "
                                           "DiscreteTypeInfo, but <class 'str'> is passed."):
        core.add_extension(BadClassTypeInfo)
    with pytest.raises(TypeError, match="must be a class"):
        core.add_extension(5)
    assert repr(OpExtension(Scale)) == "<OpExtension>"


@pytest.mark.parametrize("device", ["CPU", "TEMPLATE"])
def test_import_model_builds_custom_ops_through_the_importing_core(device):
    blob = Core().compile_model(_scale_model(3.0), device).export_model()
    core = Core()
    core.add_extension(Scale)
    out = core.import_model(blob, device)(np.ones((2, 3), np.float32))[0]
    np.testing.assert_allclose(out, np.full((2, 3), 3.0, np.float32))
    with pytest.raises(RuntimeError, match="Scale"):
        Core().import_model(blob, device)
