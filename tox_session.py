"""Run one session of ``noxfile.py`` inside the current environment: what every ``tox``
environment of ``tox.ini`` calls, so tox and nox share one definition of each session::

    python tox_session.py SESSION [ARGS...]      # ARGS: the session's posargs
    python tox_session.py --list                 # the session names of noxfile.py

tox has already made and activated the virtual environment (with ``nox`` installed: the
noxfile imports it); the session body then runs with a stand-in for ``nox.Session`` whose
``install`` is ``pip install`` into this environment and whose ``run`` is a subprocess
that raises on failure, as nox's does. ``tox -e conformance -- --device CPU`` is therefore
``nox -s conformance -- --device CPU``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent


class CommandFailed(Exception):
    """A command of the session exited with an error (nox's ``CommandFailed``)."""


class SessionError(Exception):
    """The session called ``error`` (nox's ``_SessionQuit``)."""


class _Virtualenv:
    def __init__(self, location: str) -> None:
        self.location = location


class ToxSession:
    """The part of ``nox.Session`` the sessions of this repository use."""

    def __init__(self, name: str, posargs: list[str]) -> None:
        self.name = name
        self.posargs = posargs
        self.virtualenv = _Virtualenv(sys.prefix)
        self.bin = str(Path(sys.executable).parent)
        self.python = f"{sys.version_info.major}.{sys.version_info.minor}"
        self.env: dict[str, str] = {}

    def log(self, *args: Any) -> None:
        print(f"tox_session {self.name}:", *args, flush=True)

    def warn(self, *args: Any) -> None:
        self.log("warning:", *args)

    def error(self, *args: Any) -> None:
        raise SessionError(" ".join(str(a) for a in args))

    def create_tmp(self) -> str:
        tmp = Path(sys.prefix) / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return str(tmp)

    def install(self, *args: str, env: dict[str, str] | None = None, **_: Any) -> None:
        self.run(sys.executable, "-m", "pip", "install", "--quiet", *args, env=env)

    def run(self, *args: str, env: dict[str, str] | None = None, silent: bool = False,
            external: bool = False, success_codes: Any = None, **_: Any) -> str | bool:
        del external  # tox allows every command of an environment's commands list
        cmd = [str(a) for a in args]
        if cmd and cmd[0] == "python":
            cmd[0] = sys.executable
        full_env = dict(os.environ, **self.env, **(env or {}))
        self.log(" ".join(cmd))
        proc = subprocess.run(cmd, env=full_env, text=True,
                              capture_output=silent, check=False)
        codes = success_codes or [0]
        if proc.returncode not in codes:
            if silent:
                sys.stderr.write(proc.stdout or "")
                sys.stderr.write(proc.stderr or "")
            raise CommandFailed(f"{cmd[0]} exited {proc.returncode}")
        return proc.stdout if silent else True


def _noxfile_sessions() -> dict[str, Any]:
    """The sessions ``noxfile.py`` registers, by name (the functions nox would call)."""
    import importlib.util

    from nox import registry

    spec = importlib.util.spec_from_file_location("noxfile", ROOT / "noxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(registry.get())


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    sessions = _noxfile_sessions()
    if argv[0] == "--list":
        print("\n".join(sessions))
        return 0
    name, posargs = argv[0], argv[1:]
    func = sessions.get(name)
    if func is None:
        print(f"tox_session: noxfile.py has no session {name!r} (it has: "
              f"{', '.join(sessions)})", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    try:
        func(ToxSession(name, posargs))
    except (CommandFailed, SessionError) as exc:
        print(f"tox_session {name}: failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
