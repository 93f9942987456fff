"""Builds the C kernels with cffi (out-of-line API mode) at install time; everything else
is in pyproject.toml."""

import atexit
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor

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

    def build_extension(self, ext) -> None:
        """Compile the kernel sources one per core (they are independent files; setuptools
        alone compiles an extension's sources one after the other), then link as usual."""
        compiler = self.compiler
        serial = compiler.compile
        workers = min(len(ext.sources), len(os.sched_getaffinity(0))
                      if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)

        def compile_each(sources, *args, **kwargs):
            if workers <= 1 or len(sources) <= 1:
                return serial(sources, *args, **kwargs)
            with ThreadPoolExecutor(workers) as pool:
                parts = pool.map(lambda src: serial([src], *args, **kwargs), sources)
                return [obj for objs in parts for obj in objs]

        compiler.compile = compile_each
        try:
            super().build_extension(ext)
        finally:
            compiler.compile = serial


def _work_folders(name: str) -> dict:
    """setuptools' work folders (``build/``, ``*.egg-info``) in a temporary folder removed at
    exit, so ``pip install ./openvino-cpu`` leaves the source tree as it was."""
    work = tempfile.mkdtemp(prefix=f"{name}-build-")
    atexit.register(shutil.rmtree, work, True)
    return {"build": {"build_base": os.path.join(work, "build")}, "egg_info": {"egg_base": work}}


setup(cffi_modules=["src/openvino_cpu/_build.py:ffibuilder"],
      options=_work_folders("openvino-cpu"),
      cmdclass={"build_ext": BuildKernels})
