"""``AutoCandidate``: one device an ``AUTO`` policy may choose (see ``hookspec``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openvino._model import Model
    from openvino.plugin.plugin import DevicePlugin

__all__ = ["AutoCandidate", "IGNORED_IN_COVERAGE"]

#: Node types every device takes: a device need not list them in ``query_model``.
IGNORED_IN_COVERAGE = frozenset({"Parameter", "Result", "Constant"})


class AutoCandidate:
    """A device AUTO may compile on.

    ``name`` is the full device name (``"GPU.1"``), ``family`` the plugin name (``"GPU"``),
    ``device_id`` the part after the dot (``""`` when the family has one device),
    ``plugin`` the :class:`openvino.plugin.DevicePlugin` object and ``user_listed`` whether
    the user named this device in an explicit AUTO list.
    """

    __slots__ = ("name", "family", "device_id", "plugin", "user_listed", "_config")

    def __init__(self, name: str, family: str, device_id: str, plugin: DevicePlugin,
                 user_listed: bool = False, config: dict[str, Any] | None = None) -> None:
        self.name = name
        self.family = family
        self.device_id = device_id
        self.plugin = plugin
        self.user_listed = user_listed
        self._config = dict(config or {})

    @property
    def device_type(self) -> Any:
        """The device's ``DEVICE_TYPE`` (``device.Type.DISCRETE`` / ``INTEGRATED``), or
        ``None`` when the device does not report one."""
        try:
            supported = self.plugin.get_property("SUPPORTED_PROPERTIES", self.device_id)
            if "DEVICE_TYPE" not in supported:
                return None
            return self.plugin.get_property("DEVICE_TYPE", self.device_id)
        except Exception:  # a device that cannot answer has no type to rank by
            return None

    def query_model(self, model: Model) -> dict[str, str]:
        """The device's ``query_model``: ``{node friendly name: device}``."""
        config = dict(self._config)
        if self.device_id:
            config["DEVICE_ID"] = self.device_id
        return self.plugin.query_model(model, config)

    def covers(self, model: Model) -> bool:
        """Whether ``query_model`` lists every node of ``model`` (Parameters, Results and
        Constants excepted)."""
        try:
            supported = self.query_model(model)
        except Exception:
            return False
        return all(node.get_friendly_name() in supported
                   for node in model.get_ordered_ops()
                   if node.get_type_name() not in IGNORED_IN_COVERAGE)

    def __repr__(self) -> str:
        return f"<AutoCandidate {self.name}>"
