"""``AutoCandidate``: one device an ``AUTO`` policy may choose (see ``hookspec``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openvino._model import Model
    from openvino.plugin.plugin import DevicePlugin

__all__ = ["AutoCandidate", "IGNORED_IN_COVERAGE"]

#: Node types every device takes: a device need not list them in ``query_model``.
IGNORED_IN_COVERAGE = frozenset({"Parameter", "Result", "Constant"})
#: How many unsupported nodes a skip reason names.
_SHOWN = 3


class AutoCandidate:
    """A device AUTO may compile on.

    ``name`` is the full device name (``"GPU.1"``), ``family`` the plugin name (``"GPU"``),
    ``device_id`` the part after the dot (``""`` when the family has one device),
    ``plugin`` the :class:`openvino.plugin.DevicePlugin` object and ``user_listed`` whether
    the user named this device in an explicit AUTO list.
    """

    __slots__ = ("name", "family", "device_id", "plugin", "user_listed", "_config", "_verdict")

    def __init__(self, name: str, family: str, device_id: str, plugin: DevicePlugin,
                 user_listed: bool = False, config: dict[str, Any] | None = None) -> None:
        self.name = name
        self.family = family
        self.device_id = device_id
        self.plugin = plugin
        self.user_listed = user_listed
        self._config = dict(config or {})
        self._verdict: tuple[Model, str | None] | None = None  # (model, skip_reason)

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

    @property
    def runs_on_host_cpu(self) -> bool:
        """Whether the device computes on the host's CPU while standing for other hardware
        (``DevicePlugin.runs_on_host_cpu``); AUTO ranks it after ``CPU``."""
        check = getattr(self.plugin, "runs_on_host_cpu", None)
        try:
            return bool(check(self.device_id)) if callable(check) else False
        except Exception:  # a device that cannot answer is ranked by its family
            return False

    def query_model(self, model: Model) -> dict[str, str]:
        """The device's ``query_model``: ``{node friendly name: device}``."""
        config = dict(self._config)
        if self.device_id:
            config["DEVICE_ID"] = self.device_id
        return self.plugin.query_model(model, config)

    def covers(self, model: Model) -> bool:
        """Whether ``query_model`` lists every node of ``model`` (Parameters, Results and
        Constants excepted); ``False`` also when ``query_model`` raises (see
        :meth:`skip_reason` for why)."""
        return self.skip_reason(model) is None

    def skip_reason(self, model: Model) -> str | None:
        """Why this device cannot take ``model``: ``None`` when its ``query_model`` covers
        every node, else the exception ``query_model`` raised or the first nodes it left
        out (friendly names and types). Asked once per model: later calls (the core's error
        message after a policy) reuse the answer."""
        if self._verdict is not None and self._verdict[0] is model:
            return self._verdict[1]
        reason = self._find_skip_reason(model)
        self._verdict = (model, reason)
        return reason

    def _find_skip_reason(self, model: Model) -> str | None:
        try:
            supported = self.query_model(model)
        except Exception as exc:  # a device's bug or refusal: reported, never dropped
            return f"query_model raised {type(exc).__name__}: {exc}"
        if not isinstance(supported, dict):
            return f"query_model returned {type(supported).__name__}, not a dict"
        ops = [node for node in model.get_ordered_ops()
               if node.get_type_name() not in IGNORED_IN_COVERAGE]
        missing = [node for node in ops if node.get_friendly_name() not in supported]
        if not missing:
            return None
        shown = ", ".join(f"'{node.get_friendly_name()}' ({node.get_type_name()})"
                          for node in missing[:_SHOWN])
        more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        return (f"query_model does not cover {len(missing)} of {len(ops)} operations: "
                f"{shown}{more}")

    def __repr__(self) -> str:
        return f"<AutoCandidate {self.name}>"
