"""The hooks a distribution implements to plug into OpenVINO (pluggy project ``openvino``).

A distribution makes itself known with an entry point in the group ``openvino.plugins``
whose value names a module (or any object) holding hook implementations::

    [project.entry-points."openvino.plugins"]
    minimal = "openvino_minimal.hooks"

and in that module::

    from openvino.plugin import hookimpl

    @hookimpl
    def openvino_device_plugins():
        return [MinimalPlugin()]

Hooks are called rarely (once per ``Core`` for discovery, once per AUTO compilation for the
choice of device); inference itself is plain method calls on the objects they return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from openvino._model import Model
    from openvino.plugin.auto import AutoCandidate
    from openvino.plugin.plugin import DevicePlugin

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "openvino_auto_select",
           "openvino_device_plugins"]

#: The pluggy project name shared by the specification and every implementation.
PROJECT_NAME = "openvino"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def openvino_device_plugins() -> list[DevicePlugin]:
    """Contribute device families.

    Called once by every new ``Core``. Return a list of *new* objects implementing
    :class:`openvino.plugin.DevicePlugin` (one per device family, e.g. one ``GPU`` object that
    lists ``GPU.0`` and ``GPU.1``); each ``Core`` keeps its own objects, so properties set on
    one core do not leak into another. Return an empty list when the hardware is absent.

    An exception raised here does not stop discovery: the core reports it (a
    ``RuntimeWarning``, and in the message of an unknown-device error) and keeps every
    device the other implementations contributed.
    """


@hookspec(firstresult=True)
def openvino_auto_select(model: Model, candidates: list[AutoCandidate],
                         config: dict[str, Any]) -> list[str] | None:
    """Choose the devices ``AUTO`` tries, best first.

    Called by ``Core.compile_model`` for the ``AUTO`` device (also ``AUTO:GPU,CPU``,
    ``AUTO:-CPU`` and no device at all).

    :param model: the ``openvino.Model`` being compiled.
    :param candidates: the devices AUTO may use, as :class:`openvino.plugin.AutoCandidate`
        objects: every available device, or only those the user listed (in the user's order,
        with ``candidate.user_listed`` set) when the device string or
        ``device.priorities`` gives a list; devices excluded with ``-NAME`` are already gone.
    :param config: the properties passed to ``compile_model`` (plain string keys).
    :return: device names (``candidate.name``) in the order to try; the core compiles on the
        first and falls back to the next one when compilation raises. Return ``None`` to
        leave the decision to the next policy.

    This is a ``firstresult`` hook: the first implementation that returns something other
    than ``None`` decides. The core registers its default policy with ``trylast=True``: it
    orders discrete GPUs, integrated GPUs, other devices, ``CPU``, devices that compute on the
    host CPU in place of other hardware (``DevicePlugin.runs_on_host_cpu``) and ``TEMPLATE`` last
    (keeping the user's order when they gave a list), and drops devices whose
    ``query_model`` does not cover the model. Register a policy of your own (a module or
    object with an ``openvino_auto_select`` hook implementation) through the entry point
    group, or at run time with ``openvino.plugin.plugin_manager().register(policy)``.
    """
