"""Response cache for the heavy read endpoints (lineage, coverage), invalidated by the graph's version.

Correctness rule: a request is answered from the cache only if the entry was computed at the graph
version that a version read *started after the request arrived* returned. Every write through the
project (``GraphStore.apply``/``clear``, from the API, ``kg`` or another worker) replaces that version
in the same transaction, so a write committed before a request arrives is always seen by it.

Cost: one version read per request, shared. :class:`VersionGate` lets concurrent requests share one
read (single flight): a request that arrives while a read is in flight waits for the next one, which
starts after it arrived, so sharing never weakens the rule above. On Neo4j that turns a lineage
request into (at most) one tiny round trip; on the memory store the read is a ``stat`` of its file.

The cached endpoints are ``async``: a hit is answered on the event loop, with no hop through the
thread pool; a miss's computation runs in a worker thread. (One thread-pool hop per request cost
more than the whole cached answer.) The shared version read runs on the loop when the store offers
an async reader (Neo4j: ``GraphStore.async_version_reader``), else in a worker thread.

:class:`CachedRoutes`, an ASGI middleware, answers a repeat GET of a URL that a cached route has
answered (the route remembers the URL with its key) from the same entries, by the same rule, before
FastAPI's routing: that machinery cost more CPU than the rest of a hit.

Opt-in bounded staleness (``KG_API_CACHE_STALENESS_MS`` > 0): a request may also use a read that
began at most that long *before* it arrived, so concurrent and back-to-back requests skip the round
trip. Writes through this worker's ``POST /ingest`` invalidate at once; writes by another process
or worker are seen within the bound. Default 0: the strict rule above.

Writes that bypass the project (Cypher typed into Neo4j Browser) do not change the version: turn the
cache off (``KG_API_CACHE=false``) if analysts edit the graph by hand.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from datetime import date

from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

# A request's exact URL and the day (``/coverage`` without ``as_of`` audits today): the key under which
# CachedRoutes finds the answer a cached route gave to the same URL.
Url = tuple[str, bytes, str]


def request_url(scope: Scope) -> Url:
    return (scope["path"], scope["query_string"], date.today().isoformat())


class VersionGate:
    """Single-flight reads of the graph version for async callers (see the module docstring).

    A caller joins the *next* read: the one that starts when no read is running, which is at once
    if none is. The read is ``aread`` on the event loop when the store offers one (Neo4j: an async
    driver), else the blocking ``read`` in a worker thread. State is per event loop (a test client
    brings its own)."""

    def __init__(self, read: Callable[[], str | None], max_staleness: float = 0.0,
                 aread: Callable[[], Awaitable[str | None]] | None = None) -> None:
        self._read = read
        self._aread = aread
        self.max_staleness = max_staleness  # seconds; 0 = every caller waits for a read begun after it
        self._fresh: tuple[float, str | None] | None = None  # (loop time it began, value) of the last read
        self._epoch = 0  # bumped by invalidate(): a read begun before it is never kept as fresh
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running = False
        self._next: asyncio.Future[str | None] | None = None  # the read the next callers wait for
        self._tasks: set[asyncio.Task[None]] = set()
        self.reads = 0  # for tests and benches: how many reads reached the store

    async def current(self) -> str | None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._running, self._next, self._fresh = loop, False, None, None
        if self.max_staleness > 0 and self._fresh is not None and loop.time() - self._fresh[0] <= self.max_staleness:
            return self._fresh[1]
        if self._next is None:
            self._next = loop.create_future()
        waiter = self._next
        if not self._running:
            self._start(loop)
        return await asyncio.shield(waiter)  # a cancelled request leaves the shared read alone

    def invalidate(self) -> None:
        """Forget the last read (after a write by this process): the next caller waits for a new one."""
        self._fresh = None
        self._epoch += 1

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        waiter, self._next = self._next, None
        assert waiter is not None
        self._running = True
        self.reads += 1
        task = loop.create_task(self._run(waiter))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, waiter: asyncio.Future[str | None]) -> None:
        loop = asyncio.get_running_loop()
        began, epoch = loop.time(), self._epoch
        try:
            value = await (self._aread() if self._aread is not None else run_in_threadpool(self._read))
        except asyncio.CancelledError:
            waiter.cancel()
            raise
        except Exception as exc:  # handed to every waiter of this read
            waiter.set_exception(exc)
        else:
            waiter.set_result(value)
            if self._loop is loop and self._epoch == epoch:
                self._fresh = (began, value)
        finally:
            if self._loop is loop:  # else a caller on a newer loop has reset the state
                self._running = False
                if self._next is not None:
                    self._start(loop)


class ResponseCache:
    """A bounded LRU of JSON bodies, each stored with the graph version it was computed at."""

    def __init__(self, version: Callable[[], str | None], max_entries: int = 1024, enabled: bool = True,
                 max_staleness: float = 0.0, aversion: Callable[[], Awaitable[str | None]] | None = None) -> None:
        self.enabled = enabled and max_entries > 0
        self.max_entries = max_entries
        self.gate = VersionGate(version, max_staleness, aversion)
        self._entries: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()
        self._urls: OrderedDict[Url, Hashable] = OrderedDict()  # request URL -> key, for CachedRoutes
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.front_hits = 0  # the hits among them answered by CachedRoutes, before FastAPI's routing

    async def json(self, key: Hashable, compute: Callable[[], BaseModel | bytes], url: Url | None = None) -> Response:
        """The JSON response for ``key``: cached if computed at the current version, else ``compute()``d
        (in a worker thread: a response model, or its JSON already). ``url``, the request's
        (:func:`request_url`), is remembered as one that ``key`` answers, for :meth:`front`.

        Errors raised by ``compute`` (404, 422 problems) propagate and are never cached."""
        if not self.enabled:
            return _json(await run_in_threadpool(_body, compute))
        version = await self.gate.current()
        if version is not None:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] == version:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    self._remember(url, key)
                    return _json(entry[1])
        body = await run_in_threadpool(_body, compute)
        with self._lock:
            self.misses += 1
            if version is not None:
                # Computed at `version` or later: stored under `version`, it can only be served while the
                # version read still returns `version`, i.e. while nothing has been written since.
                self._entries[key] = (version, body)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._remember(url, key)
        return _json(body)

    async def front(self, url: Url) -> bytes | None:
        """The body a cached route gave for this exact URL, if it is still current by the same rule as
        :meth:`json` (the same gate); else None, and the request goes through the routing."""
        if not self.enabled:
            return None
        with self._lock:
            key = self._urls.get(url)
            if key is None or key not in self._entries:
                return None
        version = await self.gate.current()
        with self._lock:
            entry = self._entries.get(key)
            if version is None or entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            self.front_hits += 1
            return entry[1]

    def _remember(self, url: Url | None, key: Hashable) -> None:  # under the lock
        if url is None:
            return
        self._urls[url] = key
        self._urls.move_to_end(url)
        while len(self._urls) > 4 * self.max_entries:  # several spellings of a URL may share a key
            self._urls.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._urls.clear()


class CachedRoutes:
    """ASGI middleware: a GET of a URL that a cached route has answered is answered here from the
    response cache, when still current, without FastAPI's routing, dependencies and parameter
    validation (~0.2 ms of CPU, more than the rest of a cache hit). Only URLs that a route validated
    and answered with 200 are known here; anything else, or a failing version read (the route then
    reports it as a problem), goes through the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            cache: ResponseCache | None = getattr(scope["app"].state, "cache", None)
            body = None
            if cache is not None:
                try:
                    body = await cache.front(request_url(scope))
                except Exception:  # the route reads the version again and reports the error as a problem
                    body = None
            if body is not None:
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-length", str(len(body)).encode()),
                                        (b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _body(compute: Callable[[], BaseModel | bytes]) -> bytes:
    answer = compute()
    return answer if isinstance(answer, bytes) else answer.model_dump_json().encode()


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")
