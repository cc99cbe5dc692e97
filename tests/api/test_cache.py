"""The response cache (api/cache.py): hits while the graph is unchanged, never stale after a write,
whoever made the write (this app, or another store object on the same data: another worker or `kg`)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.cache import VersionGate
from graph.memory import MemoryStore
from graph.settings import Settings
from graph.store import GraphStore, StoreError
from ingest.loader import ingest_path

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
TU = "thanh-uy-thanh-pho-ho-chi-minh"
PLAN = "11-KH/QU"


def other_writer(store: GraphStore) -> GraphStore:
    """A second store object on the same data, as another process would open it."""
    if isinstance(store, MemoryStore):
        return MemoryStore(store.path)
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore(store._uri, driver=store.driver)  # type: ignore[attr-defined]


def add_plan(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "binh-thanh.csv"
    path.write_text(f"code,issuer,issued_on,implements\n{PLAN},quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n",
                    encoding="utf-8")
    ingest_path(store, path)


def test_cache_hits_and_invalidation(demo_store: GraphStore, tmp_path: Path) -> None:
    app = create_app(store=demo_store, settings=Settings(kg_api_key=None))
    lineage_url = f"/documents/{NQ52}/lineage?direction=down&depth=5"
    coverage = {"document": NQ52, "scope": TU, "as_of": "2020-12-31"}
    with TestClient(app) as client:
        cache = app.state.cache
        # Neo4j: the version is read on the event loop (async driver); memory: in a worker thread
        assert (cache.gate._aread is not None) == (demo_store.kind == "neo4j")
        first = client.get(lineage_url)
        assert first.status_code == 200 and first.headers["content-type"] == "application/json"
        again = client.get(lineage_url)
        assert again.content == first.content
        assert (cache.hits, cache.misses) == (1, 1)
        before = client.get("/coverage", params=coverage).json()
        assert {u["institution"]["uid"]: u["status"] for u in before["units"]}["quan-uy-binh-thanh"] == "expected"

        add_plan(other_writer(demo_store), tmp_path)  # written behind the app's back

        after = client.get(lineage_url).json()
        assert any(n["code"] == PLAN for n in after["nodes"]), "a cached lineage outlived a write"
        assert len(after["nodes"]) == len(first.json()["nodes"]) + 1
        now = client.get("/coverage", params=coverage).json()
        assert {u["institution"]["uid"]: u["status"] for u in now["units"]}["quan-uy-binh-thanh"] == "covered"
        assert now["summary"]["covered"] == before["summary"]["covered"] + 1
        assert cache.hits == 1  # both answers after the write were computed afresh


def test_cache_serves_what_the_uncached_app_serves(demo_store: GraphStore) -> None:
    urls = [f"/documents/{NQ52}/lineage?direction=both&depth=3", f"/documents/{NQ52}/lineage",
            f"/coverage?document={NQ52}&scope={TU}&as_of=2020-12-31"]
    cached = create_app(store=demo_store, settings=Settings(kg_api_key=None))
    plain = create_app(store=demo_store, settings=Settings(kg_api_key=None, kg_api_cache=False))
    with TestClient(cached) as a, TestClient(plain) as b:
        for url in urls:
            for _ in range(2):  # a miss, then a hit
                assert a.get(url).json() == b.get(url).json(), url
        assert plain.state.cache.hits == 0 and cached.state.cache.hits == len(urls)
        # errors are not cached: still a problem the second time
        for _ in range(2):
            missing = a.get("/documents/no-such-doc/lineage")
            assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_repeat_urls_are_answered_before_the_routing(demo_store: GraphStore, tmp_path: Path) -> None:
    """CachedRoutes: a URL a cached route answered is answered again from the cache, byte for byte
    and header for header, never after a write; other spellings and other URLs go through the app."""
    app = create_app(store=demo_store, settings=Settings(kg_api_key=None))
    url = f"/documents/{NQ52}/lineage?direction=down&depth=5"
    with TestClient(app) as client:
        cache = app.state.cache
        first = client.get(url)
        again = client.get(url)
        assert cache.front_hits == 1 and (cache.hits, cache.misses) == (1, 1)
        assert (again.status_code, again.content) == (200, first.content)
        assert {k: again.headers[k] for k in ("content-type", "content-length")} == \
            {k: first.headers[k] for k in ("content-type", "content-length")}
        respelled = client.get(f"/documents/{NQ52}/lineage?depth=5&direction=down")  # the route's hit
        assert respelled.content == first.content and (cache.front_hits, cache.hits) == (1, 2)
        today = client.get("/coverage", params={"document": NQ52, "scope": TU})  # as_of: today
        assert client.get("/coverage", params={"document": NQ52, "scope": TU}).content == today.content
        assert cache.front_hits == 2
        csv = {"document": NQ52, "scope": TU, "format": "csv"}
        assert client.get("/coverage", params=csv).text == client.get("/coverage", params=csv).text
        assert cache.front_hits == 2  # CSV is not cached
        for _ in range(2):  # errors are neither cached nor known
            assert client.get("/documents/no-such-doc/lineage").status_code == 404
        assert cache.front_hits == 2

        add_plan(other_writer(demo_store), tmp_path)
        after = client.get(url)
        assert any(n["code"] == PLAN for n in after.json()["nodes"]), "a front hit outlived a write"
        assert cache.front_hits == 2
        assert client.get(url).content == after.content and cache.front_hits == 3


def test_front_leaves_a_failing_version_read_to_the_route(tmp_path: Path) -> None:
    from tests.conftest import load_demo

    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    app = create_app(store=store, settings=Settings(kg_api_key=None))
    url = f"/documents/{NQ52}/lineage"
    with TestClient(app) as client:
        assert client.get(url).status_code == 200

        def down() -> str | None:
            raise StoreError("the store is down")

        app.state.cache.gate._read = down
        failed = client.get(url)
        assert failed.status_code == 503 and failed.headers["content-type"] == "application/problem+json"
        assert "down" in failed.json()["detail"]


def test_cache_is_bounded(demo_store: GraphStore) -> None:
    app = create_app(store=demo_store, settings=Settings(kg_api_key=None, kg_api_cache_size=2))
    with TestClient(app) as client:
        for depth in (1, 2, 3, 1):
            assert client.get(f"/documents/{NQ52}/lineage", params={"depth": depth}).status_code == 200
        assert len(app.state.cache._entries) == 2
        assert app.state.cache.hits == 0  # depth 1 was evicted by depth 3


def test_bounded_staleness_opt_in(demo_store: GraphStore, tmp_path: Path) -> None:
    """KG_API_CACHE_STALENESS_MS: another process's write shows within the bound, this worker's own
    POST /ingest at once."""
    app = create_app(store=demo_store, settings=Settings(kg_api_key="k", kg_api_cache_staleness_ms=3000))
    url = f"/documents/{NQ52}/lineage?direction=down&depth=5"
    with TestClient(app) as client:
        gate = app.state.cache.gate
        nodes = len(client.get(url).json()["nodes"])
        reads = gate.reads
        add_plan(other_writer(demo_store), tmp_path)  # another process
        assert len(client.get(url).json()["nodes"]) == nodes  # within the bound: the last read serves
        assert gate.reads == reads
        time.sleep(3.1)
        assert len(client.get(url).json()["nodes"]) == nodes + 1  # past the bound: read again
        assert gate.reads == reads + 1
        upload = "code,issuer,issued_on,implements\n12-KH/QU,quan-uy-binh-thanh,2020-09-01,52-NQ/TW\n"
        posted = client.post("/ingest", params={"format": "csv", "name": "own"}, content=upload.encode(),
                             headers={"X-API-Key": "k"})
        assert posted.status_code == 201, posted.text
        assert len(client.get(url).json()["nodes"]) == nodes + 2  # its own write: at once


def test_async_version_reader(demo_store: GraphStore, tmp_path: Path) -> None:
    """The event-loop read returns what version() returns, after a write too, on any loop."""
    reader = demo_store.async_version_reader()
    if demo_store.kind == "memory":
        assert reader is None  # its version is a file stat: read in a worker thread
        return
    assert reader is not None

    async def read_twice() -> tuple[str | None, str | None]:
        try:
            return await reader.read(), await reader.read()
        finally:
            await reader.aclose()  # as the app's lifespan does on its loop

    first = asyncio.run(read_twice())
    assert first == (demo_store.version(),) * 2 and first[0] is not None
    add_plan(other_writer(demo_store), tmp_path)
    second = asyncio.run(read_twice())  # a new event loop: the reader opens a driver for it
    assert second == (demo_store.version(),) * 2 and second[0] != first[0]


def test_version_changes_on_every_write(demo_store: GraphStore, tmp_path: Path) -> None:
    store = demo_store
    first = store.version()
    assert first is not None  # a loaded store has a version
    add_plan(store, tmp_path)
    second = store.version()
    assert second not in (None, first)
    assert store.version() == second  # reads do not change it
    assert "KgMeta" not in store.stats().nodes  # the bookkeeping node stays out of the graph's answers
    assert all("KgMeta" not in n["labels"] for n in store.dump()[0])
    store.clear()
    assert store.version() not in (None, first, second)


def test_gate_shares_reads_started_after_arrival() -> None:
    """Concurrent callers share reads, yet the read each caller gets began after it called."""
    version = [0]
    starts: list[float] = []  # read i began at starts[i] and returns "i:<version>"

    def read() -> str:
        starts.append(time.perf_counter())
        n = len(starts) - 1
        time.sleep(0.01)
        return f"{n}:{version[0]}"

    gate = VersionGate(read)

    async def call() -> tuple[float, str | None]:
        arrived = time.perf_counter()
        return arrived, await gate.current()

    async def main() -> list[tuple[float, str | None]]:
        calls = []
        for _ in range(20):  # arrivals spread over several reads
            calls.append(asyncio.ensure_future(call()))
            await asyncio.sleep(0.002)
        return list(await asyncio.gather(*calls))

    results = asyncio.run(main())
    assert len(results) == 20 and 1 < gate.reads < 20 and gate.reads == len(starts)
    for arrived, value in results:
        assert value is not None
        assert starts[int(value.split(":")[0])] >= arrived  # the read it got began after it arrived
    version[0] = 1
    assert asyncio.run(gate.current()).endswith(":1")  # a write before the call is always seen (new loop too)


def test_gate_hands_errors_to_waiters() -> None:
    calls = [0]

    def read() -> str:
        calls[0] += 1
        time.sleep(0.01)
        raise RuntimeError("store down")

    gate = VersionGate(read)

    async def main() -> list[BaseException | str | None]:
        return list(await asyncio.gather(*(gate.current() for _ in range(5)), return_exceptions=True))

    errors = asyncio.run(main())
    # five errors from at most two reads (the first caller starts one, the others join the next)
    assert len(errors) == 5 and all(isinstance(e, RuntimeError) for e in errors) and calls[0] <= 2


def test_gate_survives_a_cancelled_caller() -> None:
    """A request cancelled (client gone) while waiting leaves the shared read to the others."""
    gate = VersionGate(lambda: time.sleep(0.02) or "v")

    async def main() -> str | None:
        first = asyncio.ensure_future(gate.current())
        await asyncio.sleep(0.005)  # the first read is running: the next two share the second
        second, third = asyncio.ensure_future(gate.current()), asyncio.ensure_future(gate.current())
        await asyncio.sleep(0.005)
        second.cancel()
        assert await first == "v"
        return await third

    assert asyncio.run(main()) == "v" and gate.reads == 2


def test_gate_staleness_and_invalidate() -> None:
    count = [0]

    def read() -> str:
        count[0] += 1
        n = count[0]
        time.sleep(0.01)
        return str(n)

    gate = VersionGate(read, max_staleness=60)

    async def main() -> None:
        assert await gate.current() == "1"
        assert await gate.current() == "1"  # within the bound: no new read
        gate.invalidate()
        assert await gate.current() == "2"
        gate.invalidate()
        in_flight = asyncio.ensure_future(gate.current())
        await asyncio.sleep(0.003)
        gate.invalidate()  # a write lands while read 3 runs: read 3 may predate it
        assert await in_flight == "3"
        assert await gate.current() == "4"  # so it was not kept as fresh

    asyncio.run(main())
