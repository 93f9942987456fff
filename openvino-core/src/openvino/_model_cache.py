"""Model caching (``CACHE_DIR``): compiled models kept on disk between processes.

``Core.compile_model`` with ``CACHE_DIR`` set (core-wide or in the compile config) looks for
``<CACHE_DIR>/<key>.blob`` before compiling. The key hashes the model (for a ``Model``,
its graph as the IR writer sees it, every op's and port's rt_info and every Constant's
bytes: see :func:`model_digest`; for a model given by path, its files: see
``ModelSource``), the device name, the device's compile config (core-wide keys such as
``CACHE_DIR`` left out) and the version of this package. Only a device whose
``OPTIMIZATION_CAPABILITIES`` list ``EXPORT_IMPORT`` is cached: on a miss the freshly
compiled model's export is written, on a hit the device imports it and the compiled model
reports ``LOADED_FROM_CACHE``.

A cache file is ``MAGIC``, a length-prefixed JSON header (format, package version, device,
full key digest, payload size and checksum, padded so that the payload starts at a multiple
of 64 bytes) and the device's export. A file that fails any check (damaged, truncated,
written by another version or for another key) is ignored and rewritten. The checksum
(:func:`payload_checksum`) runs at memory speed, so that verifying a large blob costs
little next to compiling it. A hit hands the device its payload as a read-only
``memoryview`` of 64-byte aligned memory read straight from the file (no further copy), or
the memory of the same entry read earlier while a compiled model still uses it and the
file is unchanged.
Files are written to a temporary file in the cache folder and renamed over the final name,
so a reader sees either a whole file or none, and processes compiling the same model at
once each write a whole file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mmap
import os
import re
import struct
import tempfile
import time
import warnings
import weakref
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from ._model import Model
from ._ov_any import OVAny

__all__ = ["CACHE_FORMAT", "MAGIC", "SETTLED_NS", "ModelCache", "ModelSource",
           "compile_with_cache", "entry_head", "make_entry", "parse_entry", "payload_checksum",
           "supports_caching"]

#: First bytes of a cache file.
MAGIC = b"OVPYCACHE"
#: Layout version of the cache file; part of every key.
CACHE_FORMAT = 2
_HEAD = struct.Struct("<I")
#: The payload's offset in a cache file is a multiple of this.
PAYLOAD_ALIGN = 64
#: A model file whose contents changed less than this long ago (nanoseconds) is identified
#: by its bytes; an older one by its metadata (see ``ModelSource``).
SETTLED_NS = 2_000_000_000


class ModelSource:
    """What ``compile_model`` was given: a ``Model``, or a path read only when needed.

    A model file is identified without building the model, so a cache hit never reads it:

    * an IR (``.xml`` and its weights file, or the absence of one) whose files all last
      changed at least ``SETTLED_NS`` ago, by their metadata: resolved path, size,
      ``st_mtime_ns``, ``st_ctime_ns``, inode and device. Any change to a file (rewrite,
      rename over it, ``touch``, a copy that keeps the old mtime) sets its ctime to the
      time of the change, which the kernel never sets back, so a changed file never
      matches a recorded entry. Only files that have settled are keyed this way, so that
      two writes within one tick of a coarse file-system clock (the "racy" case) cannot
      look alike: a file still settling is keyed by its bytes;
    * otherwise (a fresh IR, an ONNX file without external data) by the bytes of its
      files;
    * otherwise (weights given as data, ONNX with external data) by the model read.

    The real runtime keys by path and re-hashes contents each time; here an unchanged,
    settled file is found by metadata alone, and a touched file is compiled again."""

    def __init__(self, model: Any, read: Callable[[], Model] | None = None,
                 weights: Any = None, by_content: bool = True) -> None:
        self._model = model if isinstance(model, Model) else None
        self._given = model
        self._read = read
        self._weights = weights
        self._by_content = by_content and self._model is None and isinstance(model, (str, Path))
        self._digest: str | None = None

    @property
    def loaded(self) -> Model | None:
        """The ``Model``, if it has been given or read."""
        return self._model

    def model(self) -> Model:
        """The ``Model`` (read from its file on first call)."""
        if self._model is None:
            assert self._read is not None
            self._model = self._read()
        return self._model

    def digest(self) -> str:
        """Hex digest identifying the model's contents."""
        if self._digest is None:
            settled = self._settled_digest(Path(self._given)) if self._by_content else None
            self._digest = settled or self.content_digest()
        return self._digest

    def content_digest(self) -> str:
        """Hex digest of the model's bytes (its files, or the model read)."""
        file_digest = self._file_digest() if self._by_content else None
        return file_digest or model_digest(self.model())

    def fallback_digest(self) -> str | None:
        """The content digest, when :meth:`digest` is the file metadata's: an entry written
        while the file was still settling is found by it."""
        settled = self.digest()
        content = self.content_digest()
        return content if content != settled else None

    def _file_digest(self) -> str | None:
        """Digest of the model's files, or ``None`` where they alone do not define it."""
        path = Path(self._given)
        try:
            data = path.read_bytes()
        except OSError:
            return None  # reading the model raises the error users expect
        h = hashlib.sha256(b"file\0")
        if path.suffix.lower() == ".onnx":
            if b"location" in data:  # may name external data files: hash the model instead
                return None
            h.update(b"onnx\0")
            h.update(data)
            return h.hexdigest()
        h.update(b"ir\0")
        h.update(struct.pack("<Q", len(data)))
        h.update(data)
        weights = self._weights
        if weights is None:
            weights = path.with_suffix(".bin")
            if not weights.is_file():
                return h.hexdigest()
        if not isinstance(weights, (str, Path)):
            return None
        try:
            h.update(b"weights\0")
            h.update(Path(weights).read_bytes())
        except OSError:
            return None
        return h.hexdigest()


    def _settled_digest(self, path: Path) -> str | None:
        """Digest of an IR's file metadata, or ``None`` unless every file has settled."""
        if path.suffix.lower() != ".xml":
            return None
        weights = self._weights
        if weights is None:
            weights = path.with_suffix(".bin")
        elif not isinstance(weights, (str, Path)):
            return None
        h = hashlib.sha256(b"settled ir\0")
        now = time.time_ns()
        for file, may_lack in ((path, False), (Path(weights), self._weights is None)):
            try:
                st = os.stat(file)
            except FileNotFoundError:
                if not may_lack:
                    return None  # reading the model raises the error users expect
                h.update(b"absent\0" + os.path.realpath(file).encode() + b"\0")
                continue
            except OSError:
                return None
            if now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
                return None
            h.update(os.path.realpath(file).encode() + b"\0")
            h.update(struct.pack("<QqqQQ", st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                 st.st_ino, st.st_dev))
        return h.hexdigest()


#: The ``name`` of every IR layer but a Parameter (op names, usually generated ones).
_OP_NAME = re.compile(r'(<layer id="\d+") name="[^"]*"(?= type="(?!Parameter"))')
#: A constant's bytes are hashed in pieces of this size (pieces hash in parallel threads);
#: part of the digest's definition, so that it does not depend on the number of threads.
HASH_PIECE = 1 << 22
#: Below this many bytes to hash, one thread does it all.
_PARALLEL_MIN = 1 << 23


def model_digest(model: Model) -> str:
    """Hex digest of a ``Model``: SHA-256 of its IR text (graph, attributes, element types,
    shapes, tensor names, rt_info, the model's and the Parameters' names; see
    ``_ir.writer.write_ir``) and of the digest of every Constant's bytes, in layer order.
    As in the real runtime, the friendly names of other ops are left out: building the
    same model twice (which generates new op names) finds the same entry.

    A Constant's bytes are hashed where they lie (no copy), as SHA-256 of each
    ``HASH_PIECE`` bytes (in parallel threads for large models), combined. The digest of
    a value that cannot change is remembered for the life of its array (see
    :class:`_ConstantDigests`)."""
    from ._ir.writer import write_ir

    constants = _ConstantDigests()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xml, _ = write_ir(model, constants=constants)
    h = hashlib.sha256(b"model 2\0")
    for part in (_OP_NAME.sub(r"\1", xml).encode(), _rt_info_text(model)):
        h.update(struct.pack("<Q", len(part)))
        h.update(part)
    for digest in constants.digests():
        h.update(digest)
    return h.hexdigest()


def _rt_info_text(model: Model) -> bytes:
    """Every op's and port's rt_info, also the plain values the IR does not store (as the
    real runtime adds every op's rt_info to its hash): a value is identified by its type and
    text, so one whose text differs between processes (an object's default ``repr``)
    makes a key that is found only in the process that wrote it."""
    entries = []
    for index, node in enumerate(model.get_ordered_ops()):
        state = node.__dict__
        maps = [("op", state.get("_rt_info"))]
        maps.extend((f"in{i}", rt) for i, rt in enumerate(state.get("_input_rt") or ()))
        maps.extend((f"out{i}", getattr(desc, "_rt_info", None))
                    for i, desc in enumerate(node._outputs))
        for where, rt in maps:
            if rt:
                entries.append([index, where, _plain(dict(dict.items(rt)))])
    return json.dumps(entries).encode()


#: ``id(array) -> (weak reference to it, its layout, digest of its bytes, their number)``
#: for the arrays of Constant values that cannot change (see ``_immutable``).
_KNOWN: dict[int, tuple[Any, tuple, bytes, int]] = {}


def _immutable(array: np.ndarray) -> bool:
    """Whether no public API can change the bytes ``array`` views: it and every array it is
    a view of are read-only, and the memory belongs to a ``bytes`` object or to a read-only
    mapping of a weights file (as for an IR read from a file; ``save_model`` replaces such
    a file instead of rewriting it). numpy refuses to make such an array writable again;
    an array that owns its memory can be made writable by whoever holds it, and a view of a
    ``bytearray``, a writable mapping or a shared array sees others' writes."""
    base: Any = array
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return False
        base = base.base
    if isinstance(base, memoryview):
        return base.readonly and isinstance(base.obj, (bytes, mmap.mmap))
    return isinstance(base, bytes)


def _layout(array: np.ndarray) -> tuple:
    """What decides which bytes an array shows (shape, strides and dtype can be set in
    place)."""
    return (array.__array_interface__["data"][0], array.shape, array.strides, array.dtype.str)


def _forget(key: int, ref: Any) -> None:
    entry = _KNOWN.get(key)
    if entry is not None and entry[0] is ref:
        del _KNOWN[key]


def _sha256(data: Any) -> bytes:
    return hashlib.sha256(data).digest()


class _ConstantDigests:
    """Stands in for the IR writer's ``.bin`` (``write_ir(constants=...)``): numbers the
    Constants in layer order and keeps a view of each one's bytes (the writer's bytes,
    without copying them); :meth:`digests` hashes them."""

    def __init__(self) -> None:
        #: per constant: its digest when known, else its bytes as a flat ``uint8`` array
        self._values: list[Any] = []
        #: per constant whose digest is to be remembered: ``(index, array, layout)``
        self._remember: list[tuple[int, np.ndarray, tuple]] = []

    def add_constant(self, tensor: Any) -> tuple[int, int]:
        from ._ir.constant_data import constant_bytes
        from ._type import Type

        index = len(self._values)
        et = tensor.get_element_type()
        data = tensor._data
        if et is Type.string or not isinstance(data, np.ndarray) or data.dtype.hasobject:
            raw = np.frombuffer(constant_bytes(tensor), np.uint8)
            self._values.append(raw)
            return index, raw.size
        immutable = _immutable(data)
        if immutable:
            entry = _KNOWN.get(id(data))
            if entry is not None and entry[0]() is data and entry[1] == _layout(data):
                self._values.append(entry[2])
                return index, entry[3]
        # the writer's bytes (``constant_bytes``), viewed in place where they are contiguous
        flat = np.ascontiguousarray(data, dtype=np.bool_ if et is Type.boolean else None)
        raw = flat.reshape(-1).view(np.uint8)
        self._values.append(raw)
        if immutable:
            self._remember.append((index, data, _layout(data)))
        return index, raw.size

    def data(self) -> bytes:
        return b""

    def digests(self) -> list[bytes]:
        """The digest of every constant's bytes, in the order they were added."""
        pieces: list[tuple[int, Any]] = []
        total = 0
        for index, value in enumerate(self._values):
            if isinstance(value, np.ndarray):
                total += value.size
                pieces.extend((index, value[i:i + HASH_PIECE])
                              for i in range(0, max(value.size, 1), HASH_PIECE))
        workers = min(_cpus(), 8, len(pieces))
        if total >= _PARALLEL_MIN and workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(workers, thread_name_prefix="openvino-hash") as pool:
                hashed = list(pool.map(_sha256, (piece for _, piece in pieces)))
        else:
            hashed = [_sha256(piece) for _, piece in pieces]
        out = list(self._values)
        parts: dict[int, list[bytes]] = {}
        for (index, _), digest in zip(pieces, hashed):
            parts.setdefault(index, []).append(digest)
        for index, found in parts.items():
            out[index] = found[0] if len(found) == 1 else _sha256(b"".join(found))
        for index, array, layout in self._remember:
            ref = weakref.ref(array, functools.partial(_forget, id(array)))
            _KNOWN[id(array)] = (ref, layout, out[index], self._values[index].size)
        return out


def _cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _plain(value: Any) -> Any:
    """A config or rt_info value as JSON-able data that identifies it (arrays and tensors
    by their type, shape and the digest of their bytes)."""
    from ._tensor import Tensor

    if isinstance(value, OVAny):
        return _plain(value.value)
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"set": sorted(json.dumps(_plain(v), sort_keys=True) for v in value)}
    if isinstance(value, dict):
        return {(k if isinstance(k, str) else repr(k)): _plain(v)
                for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))}
    if isinstance(value, Tensor):
        return {"Tensor": value.get_element_type().get_type_name(),
                "value": _plain(value._data)}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return {"ndarray": list(value.shape), "items": _plain(value.reshape(-1).tolist())}
        data = np.ascontiguousarray(value).reshape(-1).view(np.uint8)
        return {"ndarray": value.dtype.str, "shape": list(value.shape),
                "sha256": hashlib.sha256(data).hexdigest()}
    return f"{type(value).__module__}.{type(value).__qualname__}:{value}"


def compute_key(digest: str, device: str, config: dict[str, Any]) -> str:
    """Full hex key of a model digest compiled for ``device`` with ``config``."""
    from . import __version__

    payload = json.dumps({"format": CACHE_FORMAT, "openvino": __version__, "model": digest,
                          "device": device, "config": _plain(config)}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class ModelCache:
    """The cache files in one folder."""

    def __init__(self, directory: Any) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        """``<dir>/<key as a decimal 64-bit number>.blob`` (the real runtime's naming)."""
        return self.directory / f"{int(key[:16], 16)}.blob"

    def load(self, key: str, device: str) -> memoryview | None:
        """The device payload stored for ``key``, or ``None`` when there is no whole,
        matching file: a read-only view of 64-byte aligned memory the payload was read
        into (no copy).

        While the memory of a payload this process read is still in use (a compiled
        model imported from it views it) and its file is the one it was read from
        (:func:`_file_identity` unchanged), that memory is handed out again instead of
        reading the file: it holds the bytes checked for the same key."""
        path = self.path(key)
        recent = _LOADED.get((str(path), key, device))
        if recent is not None:
            payload = recent[1]()
            try:
                same = payload is not None and _file_identity(os.stat(path)) == recent[0]
            except OSError:
                same = False
            if same:
                return memoryview(payload)
        try:
            with open(path, "rb") as f:
                head = f.read(len(MAGIC) + _HEAD.size)
                if len(head) < len(MAGIC) + _HEAD.size or not head.startswith(MAGIC):
                    return None
                (size,) = _HEAD.unpack_from(head, len(MAGIC))
                header = _header(f.read(size), key, device)
                stat = os.fstat(f.fileno())
                if header is None or stat.st_size - f.tell() != header["size"]:
                    return None
                payload = _aligned_bytes(header["size"])
                if f.readinto(payload) != header["size"] or f.read(1):
                    return None
        except (OSError, MemoryError, OverflowError, ValueError):
            return None
        if header.get("checksum") != payload_checksum(payload):
            return None
        payload.setflags(write=False)
        entry = (str(path), key, device)
        _LOADED[entry] = (_file_identity(stat),
                          weakref.ref(payload, functools.partial(_forget_loaded, entry)))
        return memoryview(payload)

    def store(self, key: str, device: str, payload: bytes) -> None:
        """Write the entry for ``key`` atomically (temporary file, then rename)."""
        head = entry_head(key, device, payload)
        final = self.path(key)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{final.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(head)
                f.write(payload)
            os.chmod(tmp, 0o644)
            os.replace(tmp, final)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


#: ``(file, key, device) -> (file identity, weak reference to the payload)`` of the cache
#: files this process read (see ``ModelCache.load``).
_LOADED: dict[tuple[str, str, str], tuple[tuple, Any]] = {}


def _file_identity(stat: os.stat_result) -> tuple:
    """What changes whenever a file is replaced or written: inode, device, size, mtime and
    ctime."""
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _forget_loaded(entry: tuple[str, str, str], ref: Any) -> None:
    found = _LOADED.get(entry)
    if found is not None and found[1] is ref:
        del _LOADED[entry]


def entry_head(key: str, device: str, payload: Any) -> bytes:
    """The bytes of a cache file before ``payload``: magic and header (padded with spaces
    so that the payload starts at a multiple of ``PAYLOAD_ALIGN``)."""
    from . import __version__

    header = json.dumps({"format": CACHE_FORMAT, "openvino": __version__, "device": device,
                         "key": key, "size": memoryview(payload).nbytes,
                         "checksum": payload_checksum(payload)}).encode()
    start = len(MAGIC) + _HEAD.size
    header += b" " * (-(start + len(header)) % PAYLOAD_ALIGN)
    return MAGIC + _HEAD.pack(len(header)) + header


def make_entry(key: str, device: str, payload: bytes) -> bytes:
    """A cache file's bytes."""
    return entry_head(key, device, payload) + payload


def parse_entry(data: bytes, key: str, device: str) -> bytes | None:
    """The payload of a cache file's bytes, or ``None`` when any check fails."""
    start = len(MAGIC) + _HEAD.size
    if not data.startswith(MAGIC) or len(data) < start:
        return None
    (size,) = _HEAD.unpack_from(data, len(MAGIC))
    header = _header(data[start:start + size], key, device)
    payload = data[start + size:]
    if (header is None or header["size"] != len(payload)
            or header.get("checksum") != payload_checksum(payload)):
        return None
    return payload


def _header(raw: bytes, key: str, device: str) -> dict[str, Any] | None:
    """The header in ``raw`` when it is one for ``key`` on ``device`` written by this
    version, with a payload size."""
    from . import __version__

    try:
        header = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(header, dict):
        return None
    size = header.get("size")
    if (header.get("format") != CACHE_FORMAT or header.get("openvino") != __version__
            or header.get("device") != device or header.get("key") != key
            or type(size) is not int or size < 0):
        return None
    return header


def payload_checksum(payload: Any) -> str:
    """The checksum a cache file keeps of its payload
    (``openvino.plugin.model_blob.blob_checksum``)."""
    from .plugin.model_blob import blob_checksum

    return blob_checksum(payload)


def _aligned_bytes(size: int) -> np.ndarray:
    """A writable ``uint8`` array of ``size`` bytes starting at a 64-byte boundary."""
    raw = np.empty(size + PAYLOAD_ALIGN, np.uint8)
    start = -raw.ctypes.data % PAYLOAD_ALIGN
    return raw[start:start + size]


def supports_caching(plugin: Any, device_id: str) -> bool:
    """Whether the device lists ``EXPORT_IMPORT`` in its ``OPTIMIZATION_CAPABILITIES``."""
    try:
        return "EXPORT_IMPORT" in plugin.get_property("OPTIMIZATION_CAPABILITIES", device_id)
    except Exception:  # a device that cannot say is not cached
        return False


def import_config(plugin: Any, config: dict[str, Any]) -> dict[str, Any]:
    """The part of ``config`` a device's ``import_model`` needs: what differs from the
    device's own settings, and the device id."""
    own = getattr(plugin, "config", {})
    missing = object()
    return {k: v for k, v in config.items()
            if k == "DEVICE_ID" or own.get(k, missing) != v}


def compile_with_cache(cache_dir: Any, plugin: Any, device_id: str, source: ModelSource,
                       config: dict[str, Any]) -> tuple[Any, bool]:
    """``(device compiled model, loaded from cache)`` for ``source`` on ``plugin``.

    Devices without ``EXPORT_IMPORT`` compile as if there were no cache."""
    if not supports_caching(plugin, device_id):
        return plugin.compile_model(source.model(), config), False
    cache = ModelCache(cache_dir)
    key = compute_key(source.digest(), plugin.name, config)
    imported = _import_entry(cache, key, plugin, config)
    if imported is None:
        # a settled model file: its entry may be one written while it was still settling
        fallback = source.fallback_digest()
        if fallback is not None:
            older = compute_key(fallback, plugin.name, config)
            imported = _import_entry(cache, older, plugin, config, rekey=key)
    if imported is not None:
        return imported, True
    device_model = plugin.compile_model(source.model(), config)
    try:
        cache.store(key, plugin.name, device_model.export())
    except OSError as exc:
        warnings.warn(f"Model cache: cannot write {cache.path(key)}: {exc}", RuntimeWarning,
                      stacklevel=3)
    return device_model, False


def _import_entry(cache: ModelCache, key: str, plugin: Any, config: dict[str, Any],
                  rekey: str | None = None) -> Any:
    """The device model imported from the entry for ``key``, or ``None`` (no usable entry).
    ``rekey``: also store the entry under that key."""
    payload = cache.load(key, plugin.name)
    if payload is None:
        return None
    try:
        imported = plugin.import_model(payload, import_config(plugin, config))
    except Exception:  # a blob the device rejects is recompiled, rewritten
        return None
    if rekey is not None:
        try:
            cache.store(rekey, plugin.name, payload)
        except OSError:
            pass  # found by its older key next time
    return imported
