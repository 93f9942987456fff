"""A blob format for ``export_model`` / ``import_model`` that any device may use:
``<u32 config size><config json><u32 xml size><IR xml><IR bin>`` of a model plus the plain
config values worth keeping.

A device whose compiled form is rebuilt quickly from the model (as TEMPLATE is) exports
its runtime model this way and compiles it again on import; one that stores more (as CPU
stores its plan) can embed such a blob in its own format. :func:`blob_checksum` is the
checksum the model cache keeps for every entry, for devices that check their own blobs.
"""

from __future__ import annotations

import json
import struct
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from openvino._model import Model

__all__ = ["EXPORTED_KEYS", "blob_checksum", "write_model_blob", "read_model_blob"]

#: Config keys a blob keeps by default (plain values only).
EXPORTED_KEYS = ("PERF_COUNT", "INFERENCE_NUM_THREADS", "NUM_STREAMS")


def write_model_blob(model: Model, config: dict[str, Any],
                     keys: Iterable[str] = EXPORTED_KEYS) -> bytes:
    """The blob of ``model`` and the values of ``keys`` found in ``config``."""
    from openvino._ir.writer import write_ir

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xml, weights = write_ir(model)
    kept = {k: config[k] for k in keys if k in config}
    head = json.dumps(kept).encode()
    body = xml.encode()
    return struct.pack("<I", len(head)) + head + struct.pack("<I", len(body)) + body + weights


def read_model_blob(blob: bytes, device: str) -> tuple[Model, dict[str, Any]]:
    """Inverse of :func:`write_model_blob`: ``(model, config)``. A damaged or truncated
    blob raises ``RuntimeError`` naming ``device``."""
    from openvino._ir import read_ir

    view = memoryview(blob)
    try:
        (size,) = struct.unpack_from("<I", view, 0)
        config = json.loads(bytes(view[4:4 + size]).decode())
        (xml_size,) = struct.unpack_from("<I", view, 4 + size)
        start = 8 + size
        xml = bytes(view[start:start + xml_size])
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError):
        raise RuntimeError(f"{device} import_model: the blob is damaged") from None
    if len(xml) != xml_size or not isinstance(config, dict):
        raise RuntimeError(f"{device} import_model: the blob is truncated")
    # the weights stay a view of ``blob`` (a read-only buffer): no copy of the largest part
    return read_ir(xml, view[start + xml_size:]), config


_MASK64 = (1 << 64) - 1
#: Words (8 bytes) per block of the checksum's position sum.
_BLOCK = 4096


def blob_checksum(data: Any) -> str:
    """Checksum of bytes-like ``data`` computed at memory speed (about 16 GB/s; CRC-32
    runs at about 2): two Fletcher-style sums over its little-endian 64-bit words, modulo
    2**64, as 32 hex digits: the sum of all words, and the sum of the 32 KiB blocks' sums
    weighted by block position. Any change within one word (every single-bit flip) and
    moved blocks change it, zeroed or garbage ranges but with probability about 2**-64;
    check the size on its own. For damage, not for tampering."""
    raw = np.frombuffer(data, np.uint8)
    nwords = raw.size // 8
    words = raw[:nwords * 8].view("<u8")
    tail = int.from_bytes(raw[nwords * 8:].tobytes(), "little")
    nblocks = nwords // _BLOCK
    sums = words[:nblocks * _BLOCK].reshape(nblocks, _BLOCK).sum(axis=1, dtype=np.uint64)
    rest = int(words[nblocks * _BLOCK:].sum(dtype=np.uint64)) + tail
    total = int(sums.sum(dtype=np.uint64)) + rest
    weights = np.arange(1, nblocks + 1, dtype=np.uint64)
    position = int((sums * weights).sum(dtype=np.uint64)) + rest * (nblocks + 1)
    return f"{total & _MASK64:016x}{position & _MASK64:016x}"
