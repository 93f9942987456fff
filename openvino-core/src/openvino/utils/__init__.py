"""``openvino.utils``: helpers users import by path (``openvino.utils.types.get_dtype``,
``openvino.utils.data_helpers.OVDict``, ``openvino.utils.replace_node``,
``openvino.utils.node_factory.NodeFactory``, ``openvino.utils.decorators``,
``openvino.utils.deprecated``, ``openvino.utils.get_cmake_path``)."""

import importlib as _importlib

from openvino._node_replacement import replace_node, replace_output_update_name
from openvino.package_utils import (
    classproperty,
    deprecated,
    deprecatedclassproperty,
    get_cmake_path,
)
from openvino.utils import data_helpers, types

__all__ = ["broadcasting", "classproperty", "data_helpers", "decorators", "deprecated",
           "deprecatedclassproperty", "get_cmake_path", "input_validation", "node_factory",
           "reduction", "replace_node", "replace_output_update_name", "types"]

_SUBMODULES = {"broadcasting", "decorators", "input_validation", "node_factory", "reduction"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'openvino.utils' has no attribute '{name}'")
