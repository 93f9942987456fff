"""``deprecation_warning`` / ``deprecated`` / ``deprecatedclassproperty`` word their
DeprecationWarning as OpenVINO does and point it at the caller; ``get_cmake_path`` finds
``OpenVINOConfig.cmake`` under the package or gives ``""``."""

import os
import warnings

import pytest

import openvino.package_utils as package_utils
from openvino._pyopenvino.util import deprecation_warning
from openvino.utils import classproperty, deprecated, deprecatedclassproperty, get_cmake_path


@pytest.mark.parametrize(("args", "text"), [
    (("f",), "f is deprecated"),
    (("f", "2030.1"), "f is deprecated and will be removed in version 2030.1"),
    (("f", "", "Use g"), "f is deprecated. Use g"),
    (("f", "2030.1", "Use g"), "f is deprecated and will be removed in version 2030.1. Use g"),
])
def test_deprecation_warning_text(args, text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        deprecation_warning(*args)
    assert [str(w.message) for w in caught] == [text]
    assert caught[0].category is DeprecationWarning


def test_deprecated_decorator_warns_at_the_call_site():
    @deprecated(version="2030.1", message="Use new_api")
    def old_api(x, y=1):
        return x + y

    @deprecated(name="legacy.call")
    def other():
        return None

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert old_api(2, y=3) == 5
        line = caught[-1].lineno if caught else None
        other()
    assert old_api.__name__ == "old_api"
    assert str(caught[0].message) == ("old_api is deprecated and will be removed in version "
                                      "2030.1. Use new_api")
    assert caught[0].filename == __file__
    assert line is not None and line == caught[0].lineno
    assert str(caught[1].message) == "legacy.call is deprecated"


def test_classproperties():
    class Config:
        _value = 7

        @classproperty
        def value(cls):
            return cls._value

        @deprecatedclassproperty(name="Config.old_value", version="2030.1", message="Use value")
        def old_value(cls):
            return cls._value * 2

    assert Config.value == 7
    assert Config().value == 7
    with pytest.warns(DeprecationWarning,
                      match="Config.old_value is deprecated and will be removed in version 2030.1. "
                            "Use value"):
        assert Config.old_value == 14


def test_get_cmake_path(monkeypatch, tmp_path):
    assert get_cmake_path() == ""  # no C++ package is shipped here
    (tmp_path / "lib" / "cmake").mkdir(parents=True)
    (tmp_path / "lib" / "cmake" / "OpenVINOConfig.cmake").write_text("")
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda _path: real_walk(tmp_path))
    assert package_utils.get_cmake_path() == str(tmp_path / "lib" / "cmake")
