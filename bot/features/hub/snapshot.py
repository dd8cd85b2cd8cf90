"""The hub index's persisted form: pickled in slices, read back slice by slice.

At 100k resources the pickle is about 150 MB. Read whole, it sat in memory next to the index
it becomes (the restart's peak, issue 17); now it is written as rows of :data:`PART_SIZE`
bytes and the unpickler reads through :class:`PartsReader`, which holds one slice at a time.

The unpickler is restricted (:class:`SnapshotUnpickler`): a snapshot row is database content,
and plain ``pickle.loads`` would run whatever callable a doctored row names.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any

PART_SIZE = 8 * 1024 * 1024
"""Bytes per snapshot row: small next to the index, few rows (about 20 at 100k)."""

_SNAPSHOT_CLASSES = {
    ("bot.features.hub.index", "SearchIndex"),
    ("bot.features.hub.docs", "Doc"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("collections", "defaultdict"),
    ("collections", "Counter"),
}
_NUMPY_NAMES = {"dtype", "ndarray", "_frombuffer", "_reconstruct", "scalar"}


class SnapshotUnpickler(pickle.Unpickler):
    """Reads a saved index and nothing else: only the index's own classes, a few containers
    and numpy's array pieces may be named."""

    def find_class(self, module: str, name: str) -> Any:
        numpy_part = module.split(".")[0] == "numpy" and name in _NUMPY_NAMES
        if (module, name) in _SNAPSHOT_CLASSES or numpy_part:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a hub index snapshot may not name {module}.{name}")


class PartsReader(io.RawIOBase):
    """A read-only file over slices fetched on demand: ``fetch(n)`` returns slice ``n`` or
    None after the last. Only the current slice (and what a read asks for) is held."""

    def __init__(self, fetch: Callable[[int], bytes | None]) -> None:
        super().__init__()
        self._fetch = fetch
        self._next = 0
        self._part = memoryview(b"")
        self._at = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        """Make sure unread bytes are at hand; False at the end."""
        while self._at >= len(self._part):
            if self._done:
                return False
            found = self._fetch(self._next)
            if found is None:
                self._done = True
                self._part, self._at = memoryview(b""), 0
                return False
            self._next += 1
            self._part, self._at = memoryview(found), 0
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(target) and self._fill():
            size = min(len(target) - filled, len(self._part) - self._at)
            target[filled : filled + size] = self._part[self._at : self._at + size]
            self._at += size
            filled += size
        return filled

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while self._fill():
                chunks.append(bytes(self._part[self._at :]))
                self._at = len(self._part)
            return b"".join(chunks)
        if self._fill() and self._at + size <= len(self._part):  # the usual case: one slice
            found = bytes(self._part[self._at : self._at + size])
            self._at += size
            return found
        buffer = bytearray(size)
        return bytes(buffer[: self.readinto(buffer)])

    def readline(self, size: int | None = -1) -> bytes:
        line = bytearray()
        while (size is None or size < 0 or len(line) < size) and self._fill():
            byte = self._part[self._at]
            self._at += 1
            line.append(byte)
            if byte == 0x0A:
                break
        return bytes(line)


class _PartsWriter:
    """A write-only file that cuts what it is given into :data:`PART_SIZE` slices."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self._current = bytearray()

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        written = len(view)
        while len(view):
            room = PART_SIZE - len(self._current)
            self._current += view[:room]
            view = view[room:]
            if len(self._current) >= PART_SIZE:
                self.parts.append(bytes(self._current))
                self._current = bytearray()
        return written

    def close(self) -> list[bytes]:
        if self._current or not self.parts:
            self.parts.append(bytes(self._current))
        return self.parts


def dump_parts(index: Any) -> list[bytes]:
    """``index`` pickled, as slices of at most :data:`PART_SIZE` bytes."""
    writer = _PartsWriter()
    pickle.Pickler(writer, pickle.HIGHEST_PROTOCOL).dump(index)
    return writer.close()


def load_parts(fetch: Callable[[int], bytes | None]) -> Any:
    """The object pickled in the slices ``fetch`` returns, read one slice at a time."""
    return SnapshotUnpickler(PartsReader(fetch)).load()


def load_bytes(data: bytes) -> Any:
    """A whole snapshot held in memory (tests, tools)."""
    return load_parts(lambda number: data if number == 0 else None)
