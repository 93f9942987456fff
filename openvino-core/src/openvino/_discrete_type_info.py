"""``openvino.DiscreteTypeInfo``: what identifies an operation type, its name and the
version (operation set) it belongs to, as the IR writes them (``type="Relu"``,
``version="opset1"``; ``version="extension"`` for a Python custom op by default)."""

from __future__ import annotations

import hashlib

__all__ = ["DiscreteTypeInfo"]


class DiscreteTypeInfo:
    """openvino.DiscreteTypeInfo wraps ov::DiscreteTypeInfo"""

    __slots__ = ("_name", "_version_id", "_parent")
    __hash__ = None  # type: ignore[assignment]  # as OpenVINO's: compare, do not hash

    def __init__(self, name: str, version_id: str) -> None:
        if not isinstance(name, str) or not isinstance(version_id, str):
            raise TypeError("__init__(): incompatible constructor arguments. The following "
                            "argument types are supported:\n    1. openvino.DiscreteTypeInfo("
                            "name: str, version_id: str)\n\nInvoked with: "
                            f"{name!r}, {version_id!r}")
        self._name = name
        self._version_id = version_id
        self._parent: DiscreteTypeInfo | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def version_id(self) -> str:
        return self._version_id

    @property
    def parent(self) -> DiscreteTypeInfo | None:
        """The type info of the base operation type (``None``: this implementation does not
        model operation base classes)."""
        return self._parent

    def hash(self) -> int:
        """A 64-bit hash of name and version, the same in every process."""
        digest = hashlib.blake2b(f"{self._name}\0{self._version_id}".encode(),
                                 digest_size=8).digest()
        return int.from_bytes(digest, "little")

    def _key(self) -> tuple[str, str]:
        return (self._name, self._version_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DiscreteTypeInfo):
            return False
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: DiscreteTypeInfo) -> bool:
        if not isinstance(other, DiscreteTypeInfo):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: DiscreteTypeInfo) -> bool:
        if not isinstance(other, DiscreteTypeInfo):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: DiscreteTypeInfo) -> bool:
        if not isinstance(other, DiscreteTypeInfo):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: DiscreteTypeInfo) -> bool:
        if not isinstance(other, DiscreteTypeInfo):
            return NotImplemented
        return self._key() >= other._key()

    def __repr__(self) -> str:
        return f"<DiscreteTypeInfo: {self._name} {self._version_id}>"
