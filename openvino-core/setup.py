"""Builds the optional IR scanner (``openvino._ir.scanner``, C through cffi) at install
time; everything else is in pyproject.toml. Without a C compiler the build of that one
extension is skipped with a warning and the package installs all the same: the IR reader
then parses in Python."""

import atexit
import os
import shutil
import tempfile

from setuptools import setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """Installs without an extension that cannot be built. Object files of the release and
    the sanitized build (``OV_CORE_SANITIZE=1``) live apart and are always rebuilt, else
    setuptools would link objects compiled with the other flags."""

    def finalize_options(self) -> None:
        super().finalize_options()
        flavour = "sanitize" if os.environ.get("OV_CORE_SANITIZE") == "1" else "release"
        self.build_temp = os.path.join(self.build_temp, flavour)
        self.force = True

    def run(self) -> None:
        try:
            super().run()
        except Exception as e:  # noqa: BLE001 - no compiler at all (DistutilsPlatformError)
            self._skipped(e)

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as e:  # noqa: BLE001 - compile or link errors of any kind
            stale = self.get_ext_fullpath(ext.name)  # from an earlier build in build/
            if os.path.exists(stale):
                os.remove(stale)
            self._skipped(e)

    @staticmethod
    def _skipped(error: Exception) -> None:
        print(f"WARNING: the IR scanner was not built ({error}); openvino reads IR in Python, "
              "which is slower. Install a C compiler and reinstall to have it.")


def _work_folders(name: str) -> dict:
    """setuptools' work folders (``build/``, ``*.egg-info``) in a temporary folder removed at
    exit, so ``pip install ./openvino-core`` leaves the source tree as it was."""
    work = tempfile.mkdtemp(prefix=f"{name}-build-")
    atexit.register(shutil.rmtree, work, True)
    return {"build": {"build_base": os.path.join(work, "build")}, "egg_info": {"egg_base": work}}


setup(cffi_modules=["src/openvino/_ir/scanner/_build.py:ffibuilder"],
      options=_work_folders("openvino-core"),
      cmdclass={"build_ext": OptionalBuildExt})
