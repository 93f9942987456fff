"""The OpenVINO IR frontend: ``read_ir`` (IR v10/v11 -> ``Model``), ``serialize`` and
``save_model`` (``Model`` -> IR v11), ``tensor_from_file``."""

from .reader import read_ir
from .sources import tensor_from_file
from .writer import save_model, serialize

__all__ = ["read_ir", "serialize", "save_model", "tensor_from_file"]
