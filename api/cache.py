"""Response cache for the heavy read endpoints (lineage, coverage), invalidated by the graph's version.

Correctness rule: a request is answered from the cache only if the entry was computed at the graph
version that a version read *started after the request arrived* returned. Every write through the
project (``GraphStore.apply``/``clear``, from the API, ``kg`` or another worker) replaces that version
in the same transaction, so a write committed before a request arrives is always seen by it.

Cost: one version read per request, shared. :class:`VersionGate` lets concurrent requests share one
read (single flight): a request that arrives while a read is in flight waits for the next one, which
starts after it arrived, so sharing never weakens the rule above. On Neo4j that turns a lineage
request into (at most) one tiny round trip; on the memory store the read is a ``stat`` of its file.

Writes that bypass the project (Cypher typed into Neo4j Browser) do not change the version: turn the
cache off (``KG_API_CACHE=false``) if analysts edit the graph by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi.responses import Response
from pydantic import BaseModel


class VersionGate:
    """Single-flight reads of the graph version (see the module docstring)."""

    def __init__(self, read: Callable[[], str | None]) -> None:
        self._read = read
        self._cond = threading.Condition()
        self._started = 0  # reads begun
        self._finished = 0  # number of the last read that ended
        self._running = False
        self._value: str | None = None
        self._error: BaseException | None = None
        self.reads = 0  # for tests and benches: how many reads reached the store

    def current(self) -> str | None:
        with self._cond:
            need = self._started + 1  # the first read that begins after this call
            while self._finished < need and self._running:
                self._cond.wait()
            if self._finished >= need:
                if self._error is not None:
                    raise self._error
                return self._value
            self._running = True
            self._started += 1
            mine = self._started
            self.reads += 1
        value: str | None = None
        error: BaseException | None = None
        try:
            value = self._read()
        except BaseException as exc:  # handed to the waiters too, then raised here
            error = exc
        with self._cond:
            self._running = False
            self._finished = mine
            self._value, self._error = value, error
            self._cond.notify_all()
        if error is not None:
            raise error
        return value


class ResponseCache:
    """A bounded LRU of JSON bodies, each stored with the graph version it was computed at."""

    def __init__(self, version: Callable[[], str | None], max_entries: int = 1024, enabled: bool = True) -> None:
        self.enabled = enabled and max_entries > 0
        self.max_entries = max_entries
        self.gate = VersionGate(version)
        self._entries: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def json(self, key: Hashable, compute: Callable[[], BaseModel]) -> Response:
        """The JSON response for ``key``: cached if computed at the current version, else ``compute()``d.

        Errors raised by ``compute`` (404, 422 problems) propagate and are never cached."""
        if not self.enabled:
            return _json(compute().model_dump_json().encode())
        version = self.gate.current()
        if version is not None:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] == version:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return _json(entry[1])
        body = compute().model_dump_json().encode()
        with self._lock:
            self.misses += 1
            if version is not None:
                # Computed at `version` or later: stored under `version`, it can only be served while the
                # version read still returns `version`, i.e. while nothing has been written since.
                self._entries[key] = (version, body)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return _json(body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")
