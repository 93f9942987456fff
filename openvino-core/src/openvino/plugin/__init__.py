"""The plugin SDK: everything a device author touches.

A device is a distribution with an entry point in the group ``openvino.plugins`` naming a
module of hook implementations (see :mod:`openvino.plugin.hookspec`)::

    from openvino.plugin import (DeviceCompiledModel, DeviceInferRequest, DevicePlugin,
                                 hookimpl)

    class MyPlugin(DevicePlugin):            # the device family: name, properties, compile
        name = "MYDEV"
        def compile_model(self, model, config): return MyCompiledModel(self, model, config)

    class MyCompiledModel(DeviceCompiledModel):   # built once: the plan
        def create_sync_request(self): return MyRequest(self)

    class MyRequest(DeviceInferRequest):     # runs synchronously on given tensors
        def infer(self, inputs): ...

    @hookimpl
    def openvino_device_plugins():
        return [MyPlugin()]

The ``TEMPLATE`` device (``openvino.template_plugin``) is the complete worked example;
``docs/plugin-authors.md`` walks through it.

Names here:

* :data:`hookimpl` / :data:`hookspec`: pluggy markers of the project ``openvino``;
* :class:`DevicePlugin`, :class:`DeviceCompiledModel`, :class:`DeviceInferRequest`: the
  interfaces a device implements;
* :class:`VariableState` / :class:`DictVariableState`: variables of stateful models, and
  :func:`request_variables`, the variables a request holds (bodies' included);
* :class:`ProfilingInfo`: what ``get_profiling_info`` returns, and
  :func:`not_run_records` for the nodes that did not run (Parameters, Results);
* :class:`AutoCandidate`: what an ``openvino_auto_select`` policy chooses among;
* :class:`OutputCheck`: what the core accepts from ``DeviceInferRequest.infer`` (it checks
  every result with it; usable in a device's own tests);
* :func:`plugin_manager`, :func:`discovery_failures`, :data:`ENTRY_POINT_GROUP`.

Modules for what a device computes with:

* :mod:`openvino.plugin.reference`: core's reference semantics: ``evaluate`` one node on
  ``Tensor`` objects (``evaluate_values`` on numpy arrays), ``has_reference``,
  ``needs_state``, ``op_types``, and ``ReferencePlan`` for a whole model;
* :mod:`openvino.plugin.encoding`: element values between storage (``Tensor.data``:
  packed u1/u4/i4/nf4, bf16, f8, strings) and the numpy form ops compute with;
* :mod:`openvino.plugin.windows`: resolved window geometry (pads, strides, dilations) of
  convolutions and poolings;
* :mod:`openvino.plugin.interpolate`: the per-axis source indices and weights an
  Interpolate resamples with, resolved for a concrete input (core's reference uses them);
* :mod:`openvino.plugin.model_blob`: export/import of a model and its config;
* :mod:`openvino.plugin.control_flow`: If/Loop/TensorIterator with each body run by the
  device's own executor (bodies are Models a device compiles like any other).
* :mod:`openvino.plugin.passes`: shared compiler passes on a static-shape graph (constant
  folding, weight decompression patterns, fusion of elementwise tails and batch norms,
  lifetime-based arena planning) for a device that compiles to its own kernels.
* :mod:`openvino.plugin.runtime_model`: ``ExecutionNode``, a step of a device's plan as
  ``get_runtime_model()`` shows it.

A device imports only ``openvino``, ``openvino.plugin`` and the other public modules:
names starting with ``openvino._`` are core's own and change without notice (the
project's lint forbids them outside ``openvino-core``).
"""

from openvino._device_discovery import ENTRY_POINT_GROUP, discovery_failures, plugin_manager
from openvino._profiling import ProfilingInfo
from openvino.plugin.auto import AutoCandidate
from openvino.plugin.compiled_model import DeviceCompiledModel
from openvino.plugin.hookspec import PROJECT_NAME, hookimpl, hookspec
from openvino.plugin.infer_request import (
    DeviceInferRequest,
    DictVariableState,
    VariableState,
    request_variables,
)
from openvino.plugin.output_check import OutputCheck
from openvino.plugin.plugin import DevicePlugin
from openvino.plugin.profiling import not_run_records

__all__ = [
    "ENTRY_POINT_GROUP", "PROJECT_NAME", "AutoCandidate", "DeviceCompiledModel",
    "DeviceInferRequest", "DevicePlugin", "DictVariableState", "OutputCheck", "ProfilingInfo",
    "VariableState", "discovery_failures", "hookimpl", "hookspec", "not_run_records",
    "plugin_manager", "request_variables",
]
