"""Neo4j store: official driver, batched UNWIND writes, named read queries.

Labels and relationship types in query text come only from the schema enums;
every value travels as a ``$parameter``. A batch is written in one managed write
transaction (so an ingest is all-or-nothing) as ``UNWIND $rows`` statements of
at most ``batch_size`` rows each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Query,
    Record,
)
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship

from graph import queries
from graph.codes import DocType
from graph.model import Batch, Props
from graph.schema import (
    EDGES,
    EDGES_EXTRA,
    META_ID,
    META_LABEL,
    SEARCH_ANALYZER,
    SEARCH_INDEX,
    Label,
    Rel,
    neo4j_schema_statements,
)
from graph.store import (
    AsyncVersionReader,
    EdgeId,
    GraphStore,
    Neighbour,
    Stats,
    StoreConflict,
    StoreError,
    StoreTimeout,
)

log = logging.getLogger("policy-kg")
READ_ATTEMPTS = 3
# The graph's version token (graph/schema.py META_LABEL): replaced by every write, in its transaction.
# $version: the one a batch chose (Batch.version), else null for a fresh one. A checked write
# (Batch.based_on) first takes the meta node's write lock, then reads the version (LOCK_VERSION):
# a concurrent checked write waits there until this one commits, and then sees its version. The
# lock's property is removed again when the version is replaced, in the same transaction.
BUMP_VERSION = (f"MERGE (m:{META_LABEL} {{id: $id}}) "
                "SET m.version = coalesce($version, randomUUID()) REMOVE m.writing")
LOCK_VERSION = f"MERGE (m:{META_LABEL} {{id: $id}}) SET m.writing = true RETURN m.version AS version"
READ_VERSION = f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.version AS version"
_ALLOWED_LABELS = {label.value for label in Label} | {t.label for t in DocType}
_SEARCH_ANALYZER = ("SHOW FULLTEXT INDEXES YIELD name, options WHERE name = $name "
                    "RETURN options.indexConfig['fulltext.analyzer'] AS analyzer")
REFOLD_PAGE = 5000
# Migrations done on this graph, by name, kept on the meta node (so a start-up checks one property).
_MIGRATED = f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN $name IN coalesce(m.migrations, []) AS done"
_MARK_MIGRATED = (f"MERGE (m:{META_LABEL} {{id: $id}}) "
                  "SET m.migrations = [x IN coalesce(m.migrations, []) WHERE x <> $name] + $name")
# Documents written before shown_issuer (graph.schema) get it from their ISSUED_BY edges, as ingest.writer
# keeps it: the least issuer uid.
_NEEDS_SHOWN_ISSUER = ("MATCH (d:Document) WHERE d.shown_issuer IS NULL "
                       "AND EXISTS { (d)-[:ISSUED_BY]->(:Institution) } RETURN d.uid LIMIT 1")
_DERIVE_SHOWN_ISSUER = (
    "MATCH (d:Document) WHERE d.shown_issuer IS NULL "
    "CALL (d) { MATCH (d)-[:ISSUED_BY]->(i:Institution) WITH min(i.uid) AS shown WHERE shown IS NOT NULL "
    "SET d.shown_issuer = shown } IN TRANSACTIONS OF 10000 ROWS")


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _label(name: str) -> str:
    if name not in _ALLOWED_LABELS:
        raise ValueError(f"label {name!r} is not in the schema")
    return name


def _remove_stale_labels(primary: str, labels: tuple[str, ...]) -> str:
    """The REMOVE clause for a known node's write: a document ingested again with another type keeps
    only its new type label, as in the memory store, which replaces a node's labels. Every other
    document type label of the schema is removed (a no-op for those the node does not have); the
    labels come from graph.codes.DocType, never from values. Nodes of other kinds have no type labels."""
    if primary != Label.DOCUMENT:
        return ""
    stale = [t.label for t in DocType if t.label not in labels]
    return f" REMOVE n:{':'.join(stale)}" if stale else ""


def _label_pairs(rel: Rel) -> list[tuple[Label, Label]]:
    pairs: list[tuple[Label, Label]] = []
    for spec in (EDGES[rel], *EDGES_EXTRA):
        if spec.rel != rel:
            continue
        ends = spec.end if isinstance(spec.end, tuple) else (spec.end,)
        pairs.extend((spec.start, end) for end in ends)
    return pairs


# One row per label holding a list: streaming thousands of small records costs several times the
# index seeks (measured: ~250 vs ~900 ms for 6k references in one prefetch). Each item is
# [labels, properties] or, with $fields (a lean read), [labels, uid, value of each field].
_ITEM = ("CASE WHEN $fields IS NULL THEN [labels(n), properties(n)] "
         "ELSE [labels(n), n.uid] + [f IN $fields | n[f]] END")
_GET_NODES = " UNION ALL ".join(
    f"MATCH (n:{label}) WHERE n.uid IN $uids RETURN collect({_ITEM}) AS items" for label in Label
)


def _row(record: Record) -> dict[str, Any]:
    """A record as a dict. ``Record.data()`` walks every nested value to convert graph objects (3.4 of
    7.5 ms for a lineage view of 170 documents); the named queries return plain values, so only a
    top-level node, relationship or path (a Browser ``path`` column) goes through it."""
    row = dict(record.items())
    for key, value in row.items():
        if isinstance(value, Node | Relationship | Path):
            row[key] = record.data(key)[key]
    return row


def _items(rows: list[dict[str, Any]], fields: list[str] | None) -> Iterator[Props]:
    for row in rows:
        for item in row["items"]:
            yield _node(item[1] if fields is None else _lean(item[1], fields, item[2:]), item[0])


def _lean(uid: str, fields: Sequence[str], values: Sequence[Any]) -> Props:
    """A lean read's props: the uid and the asked fields that the node has (Cypher gives null for the rest)."""
    return {"uid": uid, **{f: v for f, v in zip(fields, values, strict=True) if v is not None}}


def _fields(fields: Sequence[str] | None) -> list[str] | None:
    return None if fields is None else list(fields)


def _node(record_props: dict[str, Any], labels: list[str]) -> Props:
    return {"labels": sorted(labels, key=lambda x: (x not in Label.__members__.values(), x)),
            **record_props}


#: what NEO4J_URI may start with (the driver's own schemes; http:// is not one)
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class _AsyncVersion:
    """The version read on the event loop, through an async driver of its own (one connection in
    practice: the API's gate runs one read at a time). An async driver belongs to the loop it was
    opened on, so a reader used from another loop opens a new one."""

    def __init__(self, uri: str, auth: tuple[str, str] | None, database: str | None) -> None:
        self._uri, self._auth, self._database = uri, auth, database
        self._driver: AsyncDriver | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def read(self) -> str | None:
        loop = asyncio.get_running_loop()
        if self._driver is None or self._loop is not loop:
            self._driver = AsyncGraphDatabase.driver(self._uri, auth=self._auth, notifications_min_severity="OFF")
            self._loop = loop
        for attempt in range(READ_ATTEMPTS):
            try:
                async with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                    result = await session.run(READ_VERSION, id=META_ID)
                    record = await result.single()
                    return None if record is None else record["version"]
            except (ServiceUnavailable, SessionExpired, TransientError, OSError) as exc:
                if attempt + 1 == READ_ATTEMPTS:
                    raise StoreError(f"Neo4j unreachable: {exc}") from exc
                await asyncio.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None and self._loop is asyncio.get_running_loop():
            await driver.close()


_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut"  # ...ClientConfiguration: the timeout sent


class Neo4jStore(GraphStore):
    kind = "neo4j"

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str | None = None, batch_size: int = 1000,
                 driver: Driver | None = None, query_timeout: float | None = 60.0) -> None:
        auth = (user, password) if user and password else None
        self._uri, self._auth = uri, auth  # an injected driver must have been opened on the same URI
        self._owns_driver = driver is None
        scheme = uri.split("://", 1)[0] if "://" in uri else ""
        if scheme not in URI_SCHEMES:
            raise StoreError(f"NEO4J_URI {uri!r}: use bolt://host:7687 or neo4j://host:7687 "
                             f"(schemes {', '.join(URI_SCHEMES)})")
        self.driver = driver or GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
        self.database = database or None
        self.batch_size = batch_size
        self.query_timeout = query_timeout  # seconds, for named queries; None: the server's own limit

    # -- helpers -------------------------------------------------------------
    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One read without a time limit: identity reads of an ingest, whole-graph reads (export, stats),
        whose time follows the data's size."""
        return self._read_rows(query, params, None)

    def _read_rows(self, query: str, params: dict[str, Any], timeout: float | None) -> list[dict[str, Any]]:
        """One read: an auto-commit query in a READ session (routed to a reader in a cluster).

        Cheaper than a managed transaction with bookmarks (one round trip instead of
        three, ~0.7 vs ~1.6 ms here); reads are idempotent, so transient failures are
        retried here instead. Trade-off on a cluster: a read right after an ingest may
        reach a follower that has not applied it yet (see docs/scaling.md). ``timeout``
        (seconds) is sent as the transaction's: the server stops the query past it.
        """
        statement = Query(query, timeout=timeout)  # type: ignore[arg-type]
        for attempt in range(READ_ATTEMPTS):
            try:
                with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                    return [_row(r) for r in session.run(statement, params)]
            except ClientError as exc:
                if exc.code and exc.code.startswith(_TIMED_OUT):  # not retried: it would run as long again
                    limit = ("the server's db.transaction.timeout" if timeout is None
                             else f"{timeout:g} s (NEO4J_QUERY_TIMEOUT)")
                    raise StoreTimeout(f"Neo4j stopped a query that ran longer than {limit}") from exc
                raise
            except (ServiceUnavailable, SessionExpired, TransientError) as exc:
                if attempt + 1 == READ_ATTEMPTS:
                    raise StoreError(f"Neo4j unreachable: {exc}") from exc
                time.sleep(0.1 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- contract ------------------------------------------------------------
    def ensure_schema(self) -> None:
        # one quick check first: execute_query retries an unreachable server for ~30 s before failing
        self.ping()
        try:
            self._migrate_search()
            for stmt in neo4j_schema_statements():
                self.driver.execute_query(stmt, database_=self.database)
            self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)
            # after the constraints: its marker MERGEs the meta node, which two starting processes
            # would otherwise both create on an empty database
            self._migrate_shown_issuer()
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreError(f"Neo4j unreachable: {exc}") from exc
        except Neo4jError as exc:  # e.g. no such database (NEO4J_DATABASE), or no right to create the schema
            raise StoreError(f"Neo4j refused the schema: {exc.message or exc}") from exc

    def _migrate_search(self) -> None:
        """A graph written before search text was folded has the full-text index with another analyzer
        ('standard-folding', whose English stop words are Vietnamese words once folded). Its search
        text is folded in pages, then the index is dropped (ensure_schema recreates it) and the version
        replaced, so no cached answer of the old index outlives it. Rerunning after a stop is safe."""
        def analyzer() -> str | None:
            found = self.driver.execute_query(_SEARCH_ANALYZER, name=SEARCH_INDEX, database_=self.database).records
            return found[0]["analyzer"] if found else SEARCH_ANALYZER

        if analyzer() == SEARCH_ANALYZER:
            return
        from graph.text import search_text

        log.warning("Neo4j: folding the search text for the search index %s (once; ~4 min per million "
                    "documents here)", SEARCH_ANALYZER)
        for label in (Label.DOCUMENT, Label.INSTITUTION):
            after, query = "", (f"MATCH (n:{label}) WHERE n.uid > $after RETURN n.uid AS uid, "
                                "n.search_text AS text ORDER BY n.uid LIMIT $limit")
            while page := self._read(query, after=after, limit=REFOLD_PAGE):
                rows = [{"uid": r["uid"], "text": folded} for r in page if isinstance(r["text"], str)
                        and (folded := search_text(r["text"])) != r["text"]]
                if rows:
                    self.driver.execute_query(f"UNWIND $rows AS row MATCH (n:{label} {{uid: row.uid}}) "
                                              "SET n.search_text = row.text", rows=rows, database_=self.database)
                after = page[-1]["uid"]
        if analyzer() != SEARCH_ANALYZER:  # another process (a second API worker) may have rebuilt it
            self.driver.execute_query(f"DROP INDEX {SEARCH_INDEX} IF EXISTS", database_=self.database)
        self.driver.execute_query(BUMP_VERSION, id=META_ID, version=None, database_=self.database)

    def _migrate_shown_issuer(self) -> None:
        """Derive ``shown_issuer`` once for a graph written before it existed (or bulk-imported without
        the marker): an auto-commit query in batches, then the version replaced (cached answers showed
        the issuer otherwise). Safe to rerun, and to run from two processes at once."""
        name = "shown_issuer"  # one of graph.schema.MIGRATIONS
        found = self.driver.execute_query(_MIGRATED, id=META_ID, name=name, database_=self.database).records
        if found and found[0]["done"]:
            return
        if self.driver.execute_query(_NEEDS_SHOWN_ISSUER, database_=self.database).records:
            log.warning("Neo4j: deriving the shown issuer of documents written before it existed (once; "
                        "~15 s per million documents here)")
            for attempt in range(READ_ATTEMPTS):  # two starting processes may deadlock on the same nodes
                try:
                    with self.driver.session(database=self.database) as session:
                        session.run(_DERIVE_SHOWN_ISSUER).consume()  # type: ignore[arg-type]
                    break
                except TransientError:  # committed batches stay; the rerun takes the rest
                    if attempt + 1 == READ_ATTEMPTS:
                        raise
                    time.sleep(0.2 * (attempt + 1))
            self.driver.execute_query(BUMP_VERSION, id=META_ID, version=None, database_=self.database)
        self.driver.execute_query(_MARK_MIGRATED, id=META_ID, name=name, database_=self.database)

    def ping(self) -> None:
        try:
            self.driver.verify_connectivity()
        except (ServiceUnavailable, Neo4jError, OSError, DriverError) as exc:
            raise StoreError(f"Neo4j unreachable at {self._uri}: {exc}") from exc

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def clear(self) -> None:
        with self.driver.session(database=self.database) as session:
            # the version goes first (no version: nothing is cached while the graph empties)
            session.run(f"MATCH (m:{META_LABEL}) DELETE m").consume()
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
            ).consume()
            session.run(BUMP_VERSION, id=META_ID, version=None).consume()

    def version(self) -> str | None:
        rows = self._read(READ_VERSION, id=META_ID)
        return rows[0]["version"] if rows else None

    def async_version_reader(self) -> AsyncVersionReader:
        return _AsyncVersion(self._uri, self._auth, self.database)

    def get_nodes(self, uids: Iterable[str], fields: Sequence[str] | None = None) -> dict[str, Props]:
        wanted = sorted(set(uids))
        if not wanted:
            return {}
        names = _fields(fields)
        rows = self._read(_GET_NODES, uids=wanted, fields=names)
        return {node["uid"]: node for node in _items(rows, names)}

    def documents_by_code_key(self, keys: Iterable[str], fields: Sequence[str] | None = None) -> list[Props]:
        names = _fields(fields)
        rows = self._read(f"MATCH (n:Document) WHERE n.code_key IN $keys WITH n ORDER BY n.uid "
                          f"RETURN collect({_ITEM}) AS items", keys=sorted(set(keys)), fields=names)
        return list(_items(rows, names))

    def documents_by_code_issuer(self, pairs: Iterable[tuple[str, str]],
                                 fields: Sequence[str] | None = None) -> list[Props]:
        wanted = [{"key": key, "issuer": issuer} for key, issuer in sorted(set(pairs))]
        if not wanted:
            return []
        names = _fields(fields)
        # a seek of the (code_key, issuer) index per pair (graph.schema.COMPOSITE_INDEXES)
        rows = self._read(f"UNWIND $pairs AS p MATCH (n:Document {{code_key: p.key, issuer: p.issuer}}) "
                          f"WITH n ORDER BY n.uid RETURN collect({_ITEM}) AS items", pairs=wanted, fields=names)
        return list(_items(rows, names))

    def get_edges(self, ids: Iterable[EdgeId]) -> dict[EdgeId, Props]:
        # Grouped by start node: each start's edges of the type are read once, and matched against the
        # (end, key) pairs asked for it. One MATCH per pair read every edge of its start per pair: a
        # plan assigning tasks to 100 units cost 100 x 100 edge reads instead of 100.
        by_rel: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for rel, start, end, key in set(ids):
            by_rel[rel][start].append(f"{end}|{key}")  # uids are URL-safe: no "|" in `end`
        out: dict[EdgeId, Props] = {}
        for rel_name, starts in by_rel.items():
            rel = Rel(rel_name)
            groups = [{"start": start, "wanted": wanted} for start, wanted in starts.items()]
            for start_label, end_label in _label_pairs(rel):
                query = (
                    f"UNWIND $groups AS g "
                    f"MATCH (a:{start_label} {{uid: g.start}})-[r:{rel}]->(b:{end_label}) "
                    "WITH g, r, b.uid AS end WHERE end + '|' + r.key IN g.wanted "
                    "RETURN g.start AS start, end, properties(r) AS props"
                )
                for r in self._read(query, groups=groups):
                    out[(rel.value, r["start"], r["end"], r["props"].get("key", ""))] = r["props"]
        return out

    def neighbours(self, uids: Iterable[str], rel: str, direction: str,
                   fields: Sequence[str] | None = None) -> list[Neighbour]:
        rel_t = Rel(rel)
        wanted = sorted(set(uids))
        names = _fields(fields)
        out: list[Neighbour] = []
        seen: set[tuple[str, str, str]] = set()
        for start_label, end_label in _label_pairs(rel_t):
            if direction == "out":
                query = (f"MATCH (n:{start_label})-[r:{rel_t}]->(m:{end_label}) "
                         "WHERE n.uid IN $uids ")
            else:
                query = (f"MATCH (n:{end_label})<-[r:{rel_t}]-(m:{start_label}) "
                         "WHERE n.uid IN $uids ")
            query += ("RETURN n.uid AS uid, m.uid AS other, properties(r) AS edge, "
                      "CASE WHEN $fields IS NULL THEN properties(m) ELSE [f IN $fields | m[f]] END AS props, "
                      "labels(m) AS labels ORDER BY uid, other")
            for r in self._read(query, uids=wanted, fields=names):
                ident = (r["uid"], r["other"], r["edge"].get("key", ""))
                if ident in seen:
                    continue
                seen.add(ident)
                props = r["props"] if names is None else _lean(r["other"], names, r["props"])
                out.append(Neighbour(r["uid"], r["other"], rel_t.value, r["edge"], _node(props, r["labels"])))
        return out

    def apply(self, batch: Batch) -> None:
        # Nodes and edges the store did not hold when the batch was built are CREATEd
        # (cheaper than MERGE: no lookup); the uid constraint still guards against a
        # concurrent writer. Known ones are MATCHed/MERGEd and their properties replaced.
        node_groups: dict[tuple[bool, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
        for uid, props in batch.nodes.items():
            labels = tuple(_label(name) for name in batch.labels[uid])
            node_groups[(uid in batch.new_nodes, labels)].append({"uid": uid, "props": props})
        edge_groups: dict[tuple[bool, str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for eid, props in batch.edges.items():
            rel, start, end, key = eid
            start_label, end_label = batch.edge_labels[eid]
            edge_groups[(eid in batch.new_edges, Rel(rel).value, _label(start_label), _label(end_label))].append(
                {"start": start, "end": end, "key": key, "props": props}
            )
        statements: list[tuple[str, list[dict[str, Any]]]] = []
        for (new, labels), rows in node_groups.items():
            primary, extra = labels[0], labels[1:]
            if new:
                query = f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row.props"
            else:
                set_labels = "".join(f", n:{name}" for name in extra)
                query = (f"UNWIND $rows AS row MERGE (n:{primary} {{uid: row.uid}}) SET n = row.props{set_labels}"
                         f"{_remove_stale_labels(primary, labels)}")
            statements.append((query, rows))
        for (new, rel, start_label, end_label), rows in edge_groups.items():
            write = f"CREATE (a)-[r:{rel}]->(b)" if new else f"MERGE (a)-[r:{rel} {{key: row.key}}]->(b)"
            query = (f"UNWIND $rows AS row MATCH (a:{start_label} {{uid: row.start}}) "
                     f"MATCH (b:{end_label} {{uid: row.end}}) {write} SET r = row.props")
            statements.append((query, rows))

        def work(tx: ManagedTransaction) -> None:
            if batch.based_on is not None:
                record = tx.run(LOCK_VERSION, id=META_ID).single()
                seen = (record["version"] if record is not None else None) or ""
                if seen != batch.based_on:  # raised out of the transaction: rolled back, not retried
                    raise StoreConflict("the graph was written by another writer while this batch was built")
            for query, rows in statements:
                for chunk in _chunks(rows, self.batch_size):
                    tx.run(query, rows=chunk).consume()
            tx.run(BUMP_VERSION, id=META_ID, version=batch.version).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreError(f"Neo4j unreachable: {exc}") from exc
        except Neo4jError as exc:  # rolled back: nothing of the batch is written
            raise StoreError(f"Neo4j refused the write: {exc.message or exc}") from exc

    def stats(self) -> Stats:
        nodes = self._read(
            f"MATCH (n) WHERE NOT n:{META_LABEL} UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
        )
        edges = self._read(
            "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
        )
        return Stats(nodes={r["label"]: r["n"] for r in nodes},
                     edges={r["type"]: r["n"] for r in edges})

    def dump(self) -> tuple[list[Props], list[tuple[str, str, str, Props]]]:
        return self.dump_nodes(), self.dump_edges()

    def dump_nodes(self) -> list[Props]:
        nodes = self._read(f"MATCH (n) WHERE NOT n:{META_LABEL} RETURN properties(n) AS props, labels(n) AS labels "
                           "ORDER BY n.uid")
        return [_node(r["props"], r["labels"]) for r in nodes]

    def dump_edges(self) -> list[tuple[str, str, str, Props]]:
        edges = self._read("MATCH (a)-[r]->(b) RETURN type(r) AS rel, a.uid AS start, "
                           "b.uid AS end, properties(r) AS props "
                           "ORDER BY rel, start, end, r.key")
        return [(r["rel"], r["start"], r["end"], r["props"]) for r in edges]

    def _plan(self, query: str, params: dict[str, Any]) -> str:
        """The plan the server holds for ``query`` (EXPLAIN reads the plan cache; nothing runs), one
        operator per line, for the log of a query that timed out."""
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                plan = session.run(Query("EXPLAIN " + query, timeout=10), params).consume().plan  # type: ignore[arg-type]
        except (DriverError, Neo4jError) as exc:
            return f"(no plan: {exc})"
        lines: list[str] = []

        def walk(op: dict[str, Any], indent: int) -> None:
            details = str(op.get("args", {}).get("Details", ""))
            lines.append(f"{'  ' * indent}{op.get('operatorType')} {details}".rstrip())
            for child in op.get("children", []):
                walk(child, indent + 1)

        if plan:
            walk(plan, 0)
        return "\n".join(lines)

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        # a named query is bounded by NEO4J_QUERY_TIMEOUT: an unlucky plan must not hold the server
        text = queries.load(name).text
        try:
            rows = self._read_rows(text, params, self.query_timeout)
        except StoreTimeout:
            log.warning("named query %s timed out (params %r); the plan it ran with:\n%s",
                        name, params, self._plan(text, params))
            raise
        # A `path` column is there for Neo4j Browser's graph view only.
        for row in rows:
            row.pop("path", None)
        return rows
