"""Everything is in pyproject.toml; this only keeps setuptools' work folders (``build/``,
``*.egg-info``) out of the source tree: ``pip install ./openvino-ray`` leaves it as it
was."""

import atexit
import os
import shutil
import tempfile

from setuptools import setup

_work = tempfile.mkdtemp(prefix="openvino-ray-build-")
atexit.register(shutil.rmtree, _work, True)
setup(options={"build": {"build_base": os.path.join(_work, "build")},
               "egg_info": {"egg_base": _work}})
