"""The ``AUTO`` device: which real device a model compiles on.

``AUTO``, ``AUTO:GPU,CPU`` (only these, in this order), ``AUTO:-CPU`` (all but CPU) and
the ``MULTI_DEVICE_PRIORITIES`` property (``device.priorities``) give the candidates; the
hook ``openvino_auto_select`` orders them (first result wins). Core's own policy,
``DefaultAutoPolicy``, is registered last; it logs each device it skips, with why, to the
``openvino.auto`` logger (debug level). Compilation falls back to the next device when one
fails; the compiled model reports its choice in ``EXECUTION_DEVICES``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .plugin.auto import AutoCandidate
from .plugin.hookspec import hookimpl

if TYPE_CHECKING:
    from ._core import Core
    from ._model import Model

__all__ = ["AUTO", "AUTO_KEYS", "DefaultAutoPolicy", "auto_candidates", "default_auto_config",
           "is_auto", "no_device_error", "rank"]

#: Why AUTO skipped a device (debug level): ``logging.getLogger("openvino.auto")``.
logger = logging.getLogger("openvino.auto")

AUTO = "AUTO"

#: Properties AUTO itself reads; they are not passed to the chosen device.
AUTO_KEYS = frozenset({"MULTI_DEVICE_PRIORITIES", "ENABLE_STARTUP_FALLBACK",
                       "ENABLE_RUNTIME_FALLBACK", "SCHEDULE_POLICY", "DEVICE_BIND_BUFFER",
                       "LOG_LEVEL"})


def default_auto_config() -> dict[str, Any]:
    """AUTO's own read-write properties and their defaults."""
    from .properties import hint, log

    return {"MULTI_DEVICE_PRIORITIES": "", "PERFORMANCE_HINT": hint.PerformanceMode.LATENCY,
            "ENABLE_STARTUP_FALLBACK": True, "ENABLE_RUNTIME_FALLBACK": True,
            "LOG_LEVEL": log.Level.NO, "PERF_COUNT": False}


def is_auto(device_name: str) -> bool:
    return device_name == AUTO or device_name.startswith(AUTO + ":")


def rank(candidate: AutoCandidate) -> int:
    """Default priority class: discrete GPU 0, integrated GPU 1, others 2, CPU 3, a
    device computing on the host CPU in place of other hardware (an OpenCL CPU device
    listed as GPU) 4, TEMPLATE 5."""
    family = candidate.family
    if family not in ("CPU", "TEMPLATE") and candidate.runs_on_host_cpu:
        return 4
    if family == "GPU":
        device_type = candidate.device_type
        return 0 if device_type is not None and int(device_type) == 1 else 1
    if family == "CPU":
        return 3
    if family == "TEMPLATE":
        return 5
    return 2


class DefaultAutoPolicy:
    """Core's AUTO policy (registered with ``trylast``): the user's order when they gave a
    list, else by :func:`rank`; devices whose ``query_model`` misses a node are skipped."""

    @hookimpl(trylast=True)
    def openvino_auto_select(self, model: Model, candidates: list[AutoCandidate],
                             config: dict[str, Any]) -> list[str]:
        ordered = list(candidates)
        if not any(c.user_listed for c in ordered):
            ordered.sort(key=rank)
        chosen = []
        for candidate in ordered:
            reason = candidate.skip_reason(model)
            if reason is None:
                chosen.append(candidate.name)
            else:
                logger.debug("AUTO skips %s for model '%s': %s", candidate.name,
                             model.get_friendly_name(), reason)
        return chosen


_NOT_CHOSEN = "covers the model, but the AUTO policy did not choose it"


def no_device_error(device_name: str, model: Model,
                    candidates: list[AutoCandidate]) -> RuntimeError:
    """The error when the policy chose no device: each candidate with why it was skipped
    (its ``query_model`` exception or the first nodes it does not cover)."""
    reasons = []
    for candidate in candidates:
        reason = candidate.skip_reason(model) or _NOT_CHOSEN
        reasons.append(f"{candidate.name}: {reason}")
    names = ", ".join(c.name for c in candidates)
    return RuntimeError(f"{device_name}: none of {names} supports every operation of the "
                        f"model '{model.get_friendly_name()}' ({'; '.join(reasons)})")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _default_candidate(core: Core, name: str) -> bool:
    """``DevicePlugin.auto_default_candidate`` of device ``name`` (a device that cannot
    answer takes part)."""
    family, _, device_id = name.partition(".")
    check = getattr(core._plugins[family], "auto_default_candidate", None)
    try:
        return bool(check(device_id)) if callable(check) else True
    except Exception:
        return True


def auto_candidates(core: Core, device_name: str, config: dict[str, Any]) -> list[AutoCandidate]:
    """The devices AUTO may use for ``device_name`` and ``config``."""
    spec = device_name[len(AUTO) + 1:] if device_name.startswith(AUTO + ":") else ""
    entries = _split(spec) or _split(str(config.get("MULTI_DEVICE_PRIORITIES") or ""))
    excluded = {e[1:] for e in entries if e.startswith("-")}
    listed = [e for e in entries if not e.startswith("-")]
    available = core.get_available_devices()
    if listed:
        names = []
        for entry in listed:
            if entry in available:
                names.append(entry)
            else:
                names.extend(d for d in available if d.split(".")[0] == entry)
    else:  # plain AUTO: the devices that take part unless named
        names = [n for n in available if _default_candidate(core, n)]
    names = [n for n in names if n not in excluded and n.split(".")[0] not in excluded]
    out = []
    for name in dict.fromkeys(names):
        family, _, device_id = name.partition(".")
        plugin = core._plugins[family]
        device_config = {k: v for k, v in config.items() if k not in AUTO_KEYS}
        out.append(AutoCandidate(name, family, device_id, plugin, bool(listed), device_config))
    return out
