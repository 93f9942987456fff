"""openvino-testkit: the conformance suite every OpenVINO device must pass.

Run it against a device with ``pytest --pyargs openvino_testkit --ov-device NAME``; the
README is the plugin author's guide. Modules: ``plugin`` (the pytest plugin), ``devices``
(which devices a run tests), ``values`` (element values through the public Tensor API),
``tolerances`` (the per-op, per-type tolerance table), ``compare``, ``op_cases`` (the
single-op models of op conformance), ``corpus`` (model cases), ``report`` and
``known_failures``.
"""

__version__ = "2026.4.1"

__all__ = ["__version__"]
