"""Finding devices: the process-wide pluggy plugin manager, entry points, and what failed.

Distributions register through entry points in the group ``openvino.plugins``; each entry
point names a module (or object) with hook implementations. They are loaded once per
process, each on its own so one broken distribution cannot hide the others; an
``openvino_*`` function of the module that no hook specification names (a misspelled hook)
or that lacks ``@hookimpl`` is reported the same way (a ``RuntimeWarning`` and an entry in
:func:`discovery_failures`), since it would never be called. Every new
``Core`` then asks the hook ``openvino_device_plugins`` for fresh device objects, again
calling each implementation on its own.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import threading
import warnings
from typing import Any

import pluggy

__all__ = ["ENTRY_POINT_GROUP", "DiscoveryFailure", "discover_devices", "discovery_failures",
           "plugin_manager", "devices_of_named_plugin"]

#: The entry point group device distributions register in.
ENTRY_POINT_GROUP = "openvino.plugins"
#: What hook names start with; other callables of that name in a plugin module are reported.
HOOK_PREFIX = "openvino_"

_lock = threading.Lock()
_manager: pluggy.PluginManager | None = None
_load_failures: list[DiscoveryFailure] = []


class DiscoveryFailure:
    """A distribution or hook implementation that could not give its devices.

    ``source`` names it (entry point ``dist:name``, or the hook implementation's plugin
    name), ``error`` is the exception it raised."""

    __slots__ = ("source", "error")

    def __init__(self, source: str, error: BaseException) -> None:
        self.source = source
        self.error = error

    def __str__(self) -> str:
        return f"{self.source}: {type(self.error).__name__}: {self.error}"

    __repr__ = __str__


def plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager of project ``openvino``.

    Created on first use: the hook specification is added, every entry point of
    ``openvino.plugins`` is loaded and registered, and core's default AUTO policy is
    registered as the last resort. Register extra hook implementations (a device for a
    test, an AUTO policy) with ``plugin_manager().register(obj)``; cores created after that
    see them.
    """
    global _manager
    if _manager is not None:
        return _manager
    with _lock:
        if _manager is None:
            from openvino import _auto

            # the module, not the ``hookspec`` marker ``openvino.plugin`` re-exports
            hookspec = importlib.import_module("openvino.plugin.hookspec")
            pm = pluggy.PluginManager(hookspec.PROJECT_NAME)
            pm.add_hookspecs(hookspec)
            _load_entry_points(pm)
            pm.register(_auto.DefaultAutoPolicy(), name="openvino.auto.default")
            _manager = pm
    return _manager


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    seen: set[str] = set()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        source = f"{dist.name if dist is not None else '?'}:{ep.name}"
        if ep.value in seen:  # one distribution installed twice (e.g. editable + path)
            continue
        seen.add(ep.value)
        try:
            target = ep.load()
            if not pm.is_registered(target):
                pm.register(target, name=source)
        except Exception as exc:  # any failure of a third-party import is reported
            failure = DiscoveryFailure(source, exc)
            _load_failures.append(failure)
            warnings.warn(f"OpenVINO device plugin failed to load: {failure}", RuntimeWarning,
                          stacklevel=4)
            continue
        for problem in hook_name_problems(pm, target):
            failure = DiscoveryFailure(source, pluggy.PluginValidationError(target, problem))
            _load_failures.append(failure)
            warnings.warn(f"OpenVINO device plugin has a hook that is never called: {failure}",
                          RuntimeWarning, stacklevel=4)


def hook_name_problems(pm: pluggy.PluginManager, target: Any) -> list[str]:
    """What is wrong with the hook-like names (``openvino_*`` callables) of ``target``, an
    object an entry point named: a name that matches no hook specification (a misspelling,
    what pluggy's ``check_pending`` finds for marked functions) or a hook function not
    marked with ``@hookimpl`` (pluggy ignores it). Each would never be called."""
    known = sorted(name for name, caller in vars(pm.hook).items()
                   if not name.startswith("_") and caller.has_spec())
    problems = []
    for name in sorted(dir(target)):
        if not name.startswith(HOOK_PREFIX):
            continue
        value = getattr(target, name, None)
        if not callable(value) or isinstance(value, type):
            continue
        caller = getattr(pm.hook, name, None)
        if caller is None or not caller.has_spec():
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"'{name}' matches no OpenVINO hook{hint}; hooks: "
                            f"{', '.join(known)}")
        elif not any(impl.plugin is target for impl in caller.get_hookimpls()):
            problems.append(f"'{name}' is not marked with @openvino.plugin.hookimpl, so it "
                            f"is never called")
    return problems


def discovery_failures() -> list[DiscoveryFailure]:
    """Entry points that could not be loaded, and hook-like functions of theirs that would
    never be called (``pluggy.PluginValidationError``: a name no hook specification has, or
    a hook function without ``@hookimpl``); failures of ``openvino_device_plugins``
    implementations are reported per ``Core``: see ``Core._discovery_failures``."""
    plugin_manager()
    return list(_load_failures)


def discover_devices(pm: pluggy.PluginManager) -> tuple[dict[str, Any], list[DiscoveryFailure]]:
    """Call every ``openvino_device_plugins`` implementation on its own.

    Returns ``({family name: device plugin object}, failures)``, failures including the
    entry points that did not load. Each failure is also reported as a ``RuntimeWarning``.
    """
    devices: dict[str, Any] = {}
    failures = list(_load_failures)
    for impl in reversed(pm.hook.openvino_device_plugins.get_hookimpls()):
        source = impl.plugin_name
        try:
            contributed = impl.function()
            for plugin in contributed or ():
                name = getattr(plugin, "name", None)
                if not isinstance(name, str) or not name:
                    raise TypeError(f"device plugin object {plugin!r} has no name")
                if not callable(getattr(plugin, "compile_model", None)):
                    raise TypeError(f"device plugin {name} has no compile_model method")
                if name in devices:
                    raise RuntimeError(f"device {name} is already provided by another plugin")
                devices[name] = plugin
        except Exception as exc:
            failures.append(DiscoveryFailure(source, exc))
    for failure in failures[len(_load_failures):]:
        warnings.warn(f"OpenVINO device plugin failed to load: {failure}", RuntimeWarning,
                      stacklevel=3)
    return devices, failures


# --- plugins named by the user (Core.register_plugin) -----------------------------------------
_LIBRARY_SUFFIXES = (".so", ".dll", ".dylib")
HOOK_NAME = "openvino_device_plugins"


def devices_of_named_plugin(plugin_name: Any) -> list[Any]:
    """The device objects of the plugin ``Core.register_plugin`` names: a Python module that
    implements the ``openvino_device_plugins`` hook (or whose ``hooks`` submodule does), or
    an installed distribution without an entry point, whose top-level modules are searched
    for one. A shared-library path is refused with a message naming what to pass instead.
    Raises ``RuntimeError`` naming the plugin when nothing gives devices."""
    text = str(plugin_name)
    if (text.endswith(_LIBRARY_SUFFIXES) or ".so." in text or "/" in text or "\\" in text):
        raise RuntimeError(
            f"Cannot load library '{text}': this runtime loads devices from Python packages, "
            "not shared libraries; pass the device's Python module (e.g. 'openvino_mydev', "
            "whose 'hooks' submodule implements openvino_device_plugins) or the name of its "
            "installed distribution, or install the distribution with an 'openvino.plugins' "
            "entry point")
    tried: list[str] = []
    for module_name in _candidate_modules(text):
        hooks = _hook_module(module_name, tried)
        if hooks is not None:
            return list(getattr(hooks, HOOK_NAME)() or ())
    raise RuntimeError(f"Cannot load library '{text}': no Python module or distribution of that "
                       f"name implements {HOOK_NAME} ({'; '.join(tried)})")


def _candidate_modules(name: str) -> list[str]:
    """``name`` itself, then the top-level modules of a distribution called ``name``."""
    candidates = [name] if name.isidentifier() or all(
        part.isidentifier() for part in name.split(".")) else []
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return candidates
    # a distribution that does declare the entry point: the module it names comes first
    for ep in dist.entry_points:
        if ep.group == ENTRY_POINT_GROUP and ep.module not in candidates:
            candidates.insert(0, ep.module)
    top_level = (dist.read_text("top_level.txt") or "").split()
    if not top_level:  # wheels built without top_level.txt: packages named by their files
        for file in dist.files or ():
            parts = file.parts
            if len(parts) > 1 and parts[0].isidentifier() and parts[1] == "__init__.py":
                top_level.append(parts[0])
            elif len(parts) == 1 and file.suffix == ".py" and file.stem.isidentifier():
                top_level.append(file.stem)
    candidates += [m for m in dict.fromkeys(top_level) if m not in candidates]
    return candidates


def _hook_module(module_name: str, tried: list[str]) -> Any:
    """``module_name`` or its ``hooks`` (or ``plugin``) submodule when it implements the hook,
    else None (with what was wrong appended to ``tried``)."""
    for name in (module_name, f"{module_name}.hooks", f"{module_name}.plugin"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name or (exc.name and name.startswith(exc.name + ".")):
                tried.append(f"no module '{name}'")
                continue
            raise RuntimeError(f"Cannot load library '{module_name}': importing '{name}' "
                               f"failed: {exc}") from exc
        except Exception as exc:
            raise RuntimeError(f"Cannot load library '{module_name}': importing '{name}' "
                               f"failed: {type(exc).__name__}: {exc}") from exc
        if callable(getattr(module, HOOK_NAME, None)):
            return module
        tried.append(f"'{name}' has no {HOOK_NAME}")
    return None
