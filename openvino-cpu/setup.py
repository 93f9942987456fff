"""Builds the C kernels with cffi (out-of-line API mode) at install time; everything else
is in pyproject.toml."""

from setuptools import setup

setup(cffi_modules=["src/openvino_cpu/_build.py:ffibuilder"])
