"""Where the IR's XML and weight bytes come from: paths, XML text, bytes, file objects and
``Tensor``s (``tensor_from_file``)."""

from __future__ import annotations

import contextlib
import mmap
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["IRSource", "load_sources", "tensor_from_file"]


class IRSource:
    """The XML bytes of an IR, its weights as a flat ``uint8`` array (``None`` when there
    are none) and, when the model came from a file, that file's path."""

    __slots__ = ("xml", "weights", "path")

    def __init__(self, xml: bytes, weights: np.ndarray | None, path: Path | None) -> None:
        self.xml = xml
        self.weights = weights
        self.path = path


@contextlib.contextmanager
def _opening(path: Path, what: str) -> Iterator[None]:
    """OS errors of opening or reading the ``what`` file at ``path`` as the RuntimeError the
    real runtime raises, naming the file."""
    try:
        yield
    except FileNotFoundError:
        raise RuntimeError(f"Could not open the {what} file: '{path}' does not exist") from None
    except IsADirectoryError:
        raise RuntimeError(f"Could not open the {what} file: '{path}' is a directory") from None
    except OSError as e:
        raise RuntimeError(f"Could not open the {what} file '{path}': {e}") from None


def _read_file(path: Path, what: str) -> bytes:
    with _opening(path, what):
        return path.read_bytes()


#: Weight files smaller than this are read; larger ones are mapped (``mmap``).
MMAP_MIN_BYTES = 1 << 16


def _map_file(path: Path, what: str) -> np.ndarray:
    """The bytes of the file at ``path`` as a read-only ``uint8`` array: mapped into memory
    (no copy; pages are read when first touched) when the file is large, else read."""
    with _opening(path, what), open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < MMAP_MIN_BYTES:
            return np.frombuffer(f.read(), np.uint8)
        try:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that cannot map it
            return np.frombuffer(f.read(), np.uint8)
    return np.frombuffer(mapped, np.uint8)


def _looks_like_xml(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def _model_bytes(model: Any) -> tuple[bytes, Path | None]:
    if isinstance(model, os.PathLike):
        path = Path(model)
        return _read_file(path, "model"), path
    if isinstance(model, str):
        if _looks_like_xml(model):
            return model.encode("utf-8"), None
        path = Path(model)
        return _read_file(path, "model"), path
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model), None
    read = getattr(model, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            return data.encode("utf-8"), None
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data), None
        raise TypeError(f"Provided python object type {type(model)} isn't supported as "
                        "'model' argument: its read() returned neither bytes nor str.")
    raise TypeError(f"Provided python object type {type(model)} isn't supported as 'model' "
                    "argument.")


def _weights_array(weights: Any, mmap_files: bool = True) -> np.ndarray:
    from .._tensor import Tensor

    if isinstance(weights, Tensor):
        data = np.ascontiguousarray(weights.data)
        return data.reshape(-1).view(np.uint8)
    if isinstance(weights, np.ndarray):
        return np.ascontiguousarray(weights).reshape(-1).view(np.uint8)
    if isinstance(weights, os.PathLike) or isinstance(weights, str):
        return _file_array(Path(weights), mmap_files)
    if isinstance(weights, (bytes, bytearray, memoryview)):
        return np.frombuffer(weights, dtype=np.uint8)
    getbuffer = getattr(weights, "getbuffer", None)
    if callable(getbuffer):  # BytesIO: one copy, independent of later writes to the stream
        return np.frombuffer(bytes(getbuffer()), dtype=np.uint8)
    read = getattr(weights, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, (bytes, bytearray, memoryview)):
            return np.frombuffer(data, dtype=np.uint8)
    raise TypeError(f"Provided python object type {type(weights)} isn't supported as 'weights' "
                    "argument.")


def _file_array(path: Path, mmap_files: bool) -> np.ndarray:
    if mmap_files:
        return _map_file(path, "weights")
    return np.frombuffer(_read_file(path, "weights"), dtype=np.uint8)


def load_sources(model: Any, weights: Any = None, mmap_files: bool = True) -> IRSource:
    """Read the XML and the weights of an IR from whatever the caller passed.

    ``model``: a path (``str`` or ``Path``), XML text, XML ``bytes`` or a file object.
    ``weights``: a path, ``bytes``, a file object, a numpy array or a ``Tensor``; when it
    is ``None`` and ``model`` is a path, the ``.bin`` next to the ``.xml`` is used if it
    exists. A weights file is mapped into memory (``mmap_files``, the Core's
    ``ENABLE_MMAP``), not copied: the model's constants are views of the mapping, which
    lives as long as they do.
    """
    xml, path = _model_bytes(model)
    if weights is not None:
        return IRSource(xml, _weights_array(weights, mmap_files), path)
    if path is not None:
        bin_path = path.with_suffix(".bin")
        if bin_path.is_file():
            return IRSource(xml, _file_array(bin_path, mmap_files), path)
    return IRSource(xml, None, path)


def tensor_from_file(path: Any) -> Any:
    """A ``u8`` tensor holding the bytes of the file at ``path`` (for ``read_model``'s
    ``weights`` argument)."""
    from .._tensor import Tensor
    from .._type import Type

    file = Path(path)
    if not file.is_file():
        raise RuntimeError(f"Could not open the file: '{file}' does not exist")
    data = np.fromfile(file, dtype=np.uint8)
    return Tensor._wrap(data, Type.u8, data.shape)
