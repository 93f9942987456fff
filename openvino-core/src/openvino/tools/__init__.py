"""Command-line tools installed with openvino-core (``benchmark_app``)."""
