"""Builds the C kernels with cffi (out-of-line API mode) at install time; everything else
is in pyproject.toml."""

import atexit
import os
import shutil
import tempfile

from setuptools import setup
from setuptools.command.build_ext import build_ext


class BuildKernels(build_ext):
    """Object files of each build flavour (release, sanitized, extra flags) in a folder of
    their own, and always rebuilt: setuptools would otherwise link objects compiled with
    other flags that it finds up to date in build/."""

    def finalize_options(self) -> None:
        super().finalize_options()
        flavour = "sanitize" if os.environ.get("OV_CPU_SANITIZE") == "1" else "release"
        if os.environ.get("OV_CPU_CFLAGS", "").strip():
            flavour += "-custom"
        self.build_temp = os.path.join(self.build_temp, flavour)
        self.force = True


def _work_folders(name: str) -> dict:
    """setuptools' work folders (``build/``, ``*.egg-info``) in a temporary folder removed at
    exit, so ``pip install ./openvino-cpu`` leaves the source tree as it was."""
    work = tempfile.mkdtemp(prefix=f"{name}-build-")
    atexit.register(shutil.rmtree, work, True)
    return {"build": {"build_base": os.path.join(work, "build")}, "egg_info": {"egg_base": work}}


setup(cffi_modules=["src/openvino_cpu/_build.py:ffibuilder"],
      options=_work_folders("openvino-cpu"),
      cmdclass={"build_ext": BuildKernels})
