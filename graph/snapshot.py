"""A binary snapshot beside the memory store's JSON Lines file, for fast loads of a large graph.

The JSON Lines file stays the store: readable, stable across Python versions, the one a user
copies. Loading it means parsing and rebuilding every dict in Python (1M documents: ~36 s). The
snapshot is the loaded graph's own dicts in CPython's ``marshal`` format, which restores them in C
(~6x faster) and keeps what the graph shares shared (one key dict for both ends of an edge, the
shared edge dicts of :mod:`graph.shared_graph`, interned strings).

It is a cache, never the truth: it records the stamp (size, mtime) of the JSON Lines file it was
taken from (mtime, size, inode), the Python and ``marshal`` versions and a CRC of its payload; a snapshot that does
not match all of them is ignored and the JSON Lines file is loaded instead. ``marshal`` executes
nothing when it loads (unlike pickle); the CRC keeps a damaged file from being decoded at all.
"""

from __future__ import annotations

import marshal
import mmap
import os
import struct
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

MAGIC = b"policy-kg memory snapshot\n"
LAYOUT = 6  # bump when the in-memory layout changes (what the dicts hold, see graph.shared_graph)
_LEN = struct.Struct("<Q")

Stamp = tuple[int, ...]  # the JSON Lines file's (mtime_ns, size, inode): graph.memory._file_stamp
Dicts = tuple[dict[str, Any], ...]  # e.g. the graph's _node, _succ, _pred


def sync_folder(path: Path) -> None:
    """fsync the folder holding ``path``, after a rename into it: the rename itself is durable only
    once the folder's entry is on disk (POSIX; where a folder cannot be opened, nothing to do)."""
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder: the rename is as durable as they allow
        pass
    finally:
        os.close(fd)


def path_for(store_file: Path) -> Path:
    return store_file.with_name(store_file.name + ".snapshot")


def _facts(stamp: Stamp) -> tuple[Any, ...]:
    return (LAYOUT, tuple(sys.version_info[:2]), marshal.version, tuple(stamp))


# The process's umask, read once at import (reading it means setting it, which other threads would see)
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def permissions_of(path: Path) -> int:
    """The mode a file written in place of ``path`` should have: the one it has (mkstemp makes 0600
    files, and a rename keeps that: a store another user could read locked them out after a write),
    else what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def write(path: Path, stamp: Stamp, dicts: Dicts, like: Path | None = None) -> None:
    """Write the snapshot atomically (temporary file in the same folder, fsync, rename), with the
    permissions of ``like`` (the store's file: the snapshot holds the same data)."""
    payload = marshal.dumps(dicts)
    head = marshal.dumps((*_facts(stamp), len(payload), zlib.crc32(payload)))
    fd, tmp = tempfile.mkstemp(prefix=".kg-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, permissions_of(like or path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + _LEN.pack(len(head)) + head)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        sync_folder(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path, stamp: Stamp, parts: int) -> Dicts | None:
    """The ``parts`` dicts of a snapshot taken from the file with ``stamp``, or None (no snapshot,
    another file's, another Python's, damaged). The file is mapped, not read: at 1M documents
    copying its 600 MB into a fresh buffer cost a second more than the page cache does."""
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped, \
                memoryview(mapped) as data:
            return _decode(data, stamp, parts)
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return None


def _decode(data: memoryview, stamp: Stamp, parts: int) -> Dicts | None:
    start = len(MAGIC) + _LEN.size
    if data[:len(MAGIC)] != MAGIC:
        return None
    (size,) = _LEN.unpack(data[len(MAGIC):start])
    with data[start:start + size] as head_bytes:
        head = marshal.loads(head_bytes)
    with data[start + size:] as payload:  # every view released before the mapping closes
        if not isinstance(head, tuple) or head[:4] != _facts(stamp) or \
                head[4:] != (len(payload), zlib.crc32(payload)):
            return None
        dicts = marshal.loads(payload)
    if not (isinstance(dicts, tuple) and len(dicts) == parts and all(type(d) is dict for d in dicts)):
        return None
    return dicts
