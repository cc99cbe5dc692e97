"""`kg export --neo4j-import`: the demo graph through neo4j-admin bulk import into a real Neo4j.

The CSVs are imported with `neo4j-admin database import full` (the harness's jars,
NEO4J_HOME/NEO4J_CONF in tmp_path), a Neo4j server is started on the imported store, the
post-import statements are run, and its dump() must equal the memory store's.
"""

from __future__ import annotations

import csv
import os
import re
import threading
from pathlib import Path

import pytest

from graph.export import ARRAY_DELIMITER, Neo4jImport, read_post_import, run_post_import, write_neo4j_import
from graph.memory import MemoryStore
from graph.schema import MIGRATIONS
from graph.store import GraphStore
from tests.conftest import load_demo

TRICKY = 'a "quoted", value; with\ttab,\nnewline and \\ backslash'


@pytest.fixture
def demo_memory(tmp_path: Path) -> MemoryStore:
    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    return store


def add_tricky(store: GraphStore) -> None:
    """Values a naive CSV breaks on: quotes, commas, ';', TAB, newline, '' and ['']. No empty lists:
    neither store keeps them (ingest/writer.py _strip), and the export writes none."""
    from graph.model import Batch

    inst = {"uid": "tricky-unit", "name": TRICKY, "short_name": "", "aliases": [""], "kind": "x;y",
            "sources": ["src-primer"], "claims": [f"name\t{TRICKY}\tsrc-primer", "kind\tx;y\tsrc-primer"]}
    edge = {"key": "", "sources": ["src-primer"], "claims": ["a;b", "c\td", ""]}
    eid = ("PART_OF", "tricky-unit", "bo-chinh-tri", "")
    store.apply(Batch(nodes={"tricky-unit": inst}, labels={"tricky-unit": ("Institution",)},
                      edges={eid: edge}, edge_labels={eid: ("Institution", "Institution")}))


def add_two_typed(store: GraphStore) -> None:
    """An Institution whose ``level`` is a number where the others' is text: its label set needs a
    second file (a column has one type), whose node ids fall between those of the first file."""
    from graph.model import Batch

    units = [n for n in store.dump_nodes() if "Institution" in n["labels"]]
    assert all(type(n["level"]) is str for n in units if "level" in n)  # text everywhere else
    middle = sorted(n["uid"] for n in units)[len(units) // 2]  # neither first nor last in uid order
    unit = {"uid": f"{middle}-two-typed", "name": "Two typed", "level": 3, "sources": ["src-primer"]}
    store.apply(Batch(nodes={unit["uid"]: unit}, labels={unit["uid"]: ("Institution",)}, edges={}, edge_labels={}))


def _ids(result: Neo4jImport) -> tuple[list[int], dict[int, str]]:
    """The node ids of the node files in command-line order, and the uid of each."""
    order: list[int] = []
    uid_of: dict[int, str] = {}
    for path in result.node_files:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            assert next(reader)[:2] == [":ID(Node)", "uid:string"]
            for row in reader:
                order.append(int(row[0]))
                uid_of[int(row[0])] = row[1]
    return order, uid_of


def _ends(result: Neo4jImport, uid_of: dict[int, str]) -> list[tuple[str, str, str, str]]:
    """(type, start uid, end uid, key) of every relationship row, through the node ids."""
    out = []
    for path in result.relationship_files:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for row in reader:
                fields = dict(zip(header, row, strict=True))
                out.append((fields[":TYPE"], uid_of[int(row[0])], uid_of[int(row[1])], fields.get("key:string", "")))
    return sorted(out)


def test_export_files(demo_memory: MemoryStore, tmp_path: Path) -> None:
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    nodes, edges = demo_memory.dump()
    assert (result.nodes, result.relationships) == (len(nodes), len(edges))
    rows = 0
    headers: set[str] = set()
    for path in result.node_files:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            headers.update(header)
            assert header[:3] == [":ID(Node)", "uid:string", ":LABEL"]
            assert all(":" in h for h in header)
            for row in reader:
                rows += 1
                assert row[2].split(ARRAY_DELIMITER)[0] in ("Document", "Institution", "Source")
    assert rows == len(nodes)
    assert {"year:long", "claims:string[]", "illustrative:boolean", "aliases:string[]"} <= headers
    rel_rows = 0
    for path in result.relationship_files:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            assert next(reader)[:3] == [":START_ID(Node)", ":END_ID(Node)", ":TYPE"]
            rel_rows += sum(1 for _ in reader)
    assert rel_rows == len(edges)
    assert any("\t" in value for path in result.node_files for value in path.read_text("utf-8").split(","))
    assert (tmp_path / "csv" / "import.sh").read_text().count("--nodes=") == len(result.node_files)
    post = read_post_import(tmp_path / "csv")
    assert post[0].startswith("CREATE CONSTRAINT")
    # the stores keep no empty lists, so post-import is the schema only (no pass over the data)
    assert post == result.post_import and post[-2] == "CALL db.awaitIndexes(300);"
    assert post[-1].startswith("MERGE (m:KgMeta")  # the version the API cache checks
    assert not any("MATCH" in stmt or "UNWIND" in stmt for stmt in post)


@pytest.mark.parametrize("how", ["whole", "split", "forked"])
def test_node_ids_ascend_through_the_files_and_the_relationships_name_them(
        demo_memory: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """--id-type=actual: the ids are 0..N-1 ascending through the node files in command-line order
    (what neo4j-admin asks of actual ids), and each relationship's two numbers are its ends."""
    import graph.export as export

    add_tricky(demo_memory)
    if how != "whole":
        monkeypatch.setattr(export, "SPLIT_MIN_NODES", 1)
    if how == "forked":
        monkeypatch.setattr(export, "_parallel", lambda store, nodes: True)
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    assert result.processes == (2 if how == "forked" else 1)
    assert "--id-type=actual" in result.admin_args()
    order, uid_of = _ids(result)
    assert order == list(range(len(demo_memory.node_ids())))
    assert sorted(uid_of.values()) == sorted(demo_memory.node_ids())
    edges = sorted((rel, start, end, props.get("key", "")) for rel, start, end, props in demo_memory.dump_edges())
    assert _ends(result, uid_of) == edges


def test_a_label_set_in_two_files_keeps_each_node_id_once(demo_memory: MemoryStore, tmp_path: Path) -> None:
    """A property with two types splits a label set's rows over two files: their ids interleave
    (imported by test_admin_import_round_trip) but stay unique, and each file's ascend."""
    add_two_typed(demo_memory)
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    names = [p.name for p in result.node_files]
    assert "nodes-institution.csv" in names and "nodes-institution-2.csv" in names
    order, _ = _ids(result)
    assert sorted(order) == list(range(len(demo_memory.node_ids())))
    assert order != sorted(order)  # the second file's id lies within the first's
    for path in result.node_files:
        ids = [int(line.split(",", 1)[0]) for line in path.read_text("utf-8").splitlines()[1:]]
        assert ids == sorted(ids)


def test_export_drops_empty_lists(demo_memory: MemoryStore, tmp_path: Path) -> None:
    """A store file written before empty lists were dropped still exports: [] is "no property"."""
    from graph.model import Batch

    inst = {"uid": "old-unit", "name": "Old", "sources": ["src-primer"], "conflicts": [], "evidence": []}
    demo_memory.apply(Batch(nodes={"old-unit": inst}, labels={"old-unit": ("Institution",)}, edges={},
                            edge_labels={}))
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    assert not any("MATCH" in stmt or "UNWIND" in stmt for stmt in result.post_import)
    for path in result.node_files:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            for row in reader:
                if row[1] == "old-unit":
                    fields = dict(zip(header, row, strict=True))
                    assert fields.get("conflicts:string[]", "") == fields.get("evidence:string[]", "") == ""
                    assert fields["name:string"] == "Old"


@pytest.mark.skipif(os.environ.get("KG_SKIP_NEO4J") == "1", reason="KG_SKIP_NEO4J=1")
def test_admin_import_round_trip(demo_memory: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Split as a national graph's export is (SPLIT_MIN_NODES): the node files of both parts load."""
    from neo4j import GraphDatabase

    import graph.export as export
    from graph.neo4j_store import Neo4jStore
    from tests.neo4j_harness.admin import ImportedNeo4j, admin_import

    add_tricky(demo_memory)
    add_two_typed(demo_memory)  # node ids that do not ascend through the files: imported all the same
    nodes, _ = demo_memory.dump()
    monkeypatch.setattr(export, "SPLIT_MIN_NODES", 1)
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    assert result.multiline
    part2 = [p for p in result.node_files if p.name.startswith("nodes-part2-")]
    assert part2 and len(part2) < len(result.node_files)
    assert any('"tricky-unit"' in p.read_text("utf-8") for p in part2)  # its [""] is set by post-import
    assert any("SET n.aliases" in s for s in result.post_import)
    order, _ = _ids(result)
    assert order != sorted(order)
    home = tmp_path / "neo4j"
    report = admin_import(result, home)
    assert (report.nodes, report.relationships) == (result.nodes, result.relationships) == (
        len(nodes), len(demo_memory.dump()[1]))

    with ImportedNeo4j(home) as server:
        driver = GraphDatabase.driver(server.bolt_uri)
        try:
            run_post_import(driver, read_post_import(tmp_path / "csv"))
            store = Neo4jStore(server.bolt_uri, driver=driver)
            assert store.dump() == demo_memory.dump()
            assert store.version() is not None  # set by post-import: the API cache works on it
            # it needs none of the migrations of older graphs: start-ups skip them (graph.schema)
            marked = driver.execute_query("MATCH (m:KgMeta) RETURN m.migrations AS done").records
            assert [r["done"] for r in marked] == [list(MIGRATIONS)]
            version = store.version()
            store.ensure_schema()
            assert store.version() == version and store.dump() == demo_memory.dump()
            # the named queries answer as on the memory store
            params = {"document": "52-nq-tw.bo-chinh-tri.2019", "depth": 5}
            assert store.run("lineage_down", params) == demo_memory.run("lineage_down", params)
            constraints = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
            assert "document_uid" in constraints
        finally:
            driver.close()


@pytest.mark.parametrize(("caller", "vm_args"), [
    ({}, ["-Dfile.encoding=UTF-8", "-XX:+UseParallelGC"]),
    ({"HEAP_SIZE": "300m"}, ["-Dfile.encoding=UTF-8", "-XX:+UseParallelGC", "-Xms300m", "-Xmx300m"]),
    ({"JAVA_OPTS": "-Xmx400m", "HEAP_SIZE": "300m"}, ["-Xmx400m"]),  # the caller's, as neo4j-admin does
])
def test_import_script_runs_under_the_neo4j_admin_launcher(demo_memory: MemoryStore, tmp_path: Path,
                                                           caller: dict[str, str], vm_args: list[str]) -> None:
    """import.sh as users run it: through neo4j-admin's own launcher, which starts the import's JVM
    with JAVA_OPTS (or HEAP_SIZE): the parallel collector unless the caller chose otherwise."""
    import re
    import subprocess

    from tests.neo4j_harness.admin import _env, launcher, write_conf

    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    home = tmp_path / "home"
    write_conf(home)
    env = {k: v for k, v in _env(home).items() if k not in ("JAVA_OPTS", "HEAP_SIZE")}
    env.update(caller, NEO4J_ADMIN=str(launcher(home)), NEO4J_IMPORT_REPORT=str(tmp_path / "import.report"))
    proc = subprocess.run(["sh", str(tmp_path / "csv" / "import.sh"), "--verbose"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, errors="replace", timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "IMPORT DONE" in output, output[-3000:]
    shown = re.search(r"^VM Arguments: \[(.*)\]$", output, re.M)
    assert shown is not None, output[-3000:]
    assert shown.group(1).split(", ") == vm_args
    imported = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", output)
    assert imported is not None and (int(imported.group(1)), int(imported.group(2))) == (
        result.nodes, result.relationships)
    assert (home / "data" / "databases" / "neo4j").is_dir()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_forked_export_writes_the_same_files(demo_memory: MemoryStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """From PARALLEL_MIN_NODES nodes on, a child process writes the relationship files: byte for
    byte what one process writes, the tricky values and the post-import fixups ([""]) included."""
    import graph.export as export
    from graph.model import Batch

    add_tricky(demo_memory)
    eid = ("REPORTS_TO", "tricky-unit", "bo-chinh-tri", "")
    demo_memory.apply(Batch(edges={eid: {"key": "", "sources": ["src-primer"], "evidence": [""]}},
                            edge_labels={eid: ("Institution", "Institution")}))
    monkeypatch.setattr(export, "SPLIT_MIN_NODES", 1)  # the child writes the second part's nodes too
    alone = write_neo4j_import(demo_memory, tmp_path / "alone")
    assert any(p.name.startswith("nodes-part2-") for p in alone.node_files)
    monkeypatch.setattr(export, "_parallel", lambda store, nodes: True)
    parent = os.getpid()
    forked = write_neo4j_import(demo_memory, tmp_path / "forked")
    assert os.getpid() == parent
    assert _files(tmp_path / "forked") == _files(tmp_path / "alone")
    assert [p.name for p in forked.node_files + forked.relationship_files] == \
        [p.name for p in alone.node_files + alone.relationship_files]
    assert (forked.nodes, forked.relationships, forked.multiline, forked.post_import) == \
        (alone.nodes, alone.relationships, alone.multiline, alone.post_import)
    assert (alone.processes, forked.processes) == (1, 2)
    assert any("SET r.evidence" in s for s in forked.post_import)  # an edge's [""]: from the child
    assert any("SET n.aliases" in s for s in forked.post_import)  # a second-part node's [""]: from the child


@pytest.mark.skipif(os.environ.get("KG_SKIP_NEO4J") == "1", reason="KG_SKIP_NEO4J=1")
def test_an_export_from_neo4j_writes_the_memory_stores_files(
        demo_memory: MemoryStore, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The Neo4j store exports in one process, from its own reads (edges not shared): the same node
    ids, rows and fix-ups as the memory store's export of the same graph, split in two parts."""
    import graph.export as export
    from tests.conftest import make_store

    add_tricky(demo_memory)
    add_two_typed(demo_memory)
    neo4j = make_store("neo4j", request, tmp_path)
    load_demo(neo4j)
    add_tricky(neo4j)
    add_two_typed(neo4j)
    assert neo4j.dump() == demo_memory.dump()
    monkeypatch.setattr(export, "SPLIT_MIN_NODES", 1)
    from_memory = write_neo4j_import(demo_memory, tmp_path / "memory")
    from_neo4j = write_neo4j_import(neo4j, tmp_path / "neo4j")
    assert from_neo4j.processes == 1
    assert _files(tmp_path / "neo4j") == _files(tmp_path / "memory")
    assert from_neo4j.post_import == from_memory.post_import


def test_a_split_export_holds_every_node_once(demo_memory: MemoryStore, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The second part is the last nodes in uid order: together the parts hold each node's row once,
    as the unsplit files do, with the same columns for the rows of a label set."""
    import graph.export as export

    add_tricky(demo_memory)
    whole = write_neo4j_import(demo_memory, tmp_path / "whole")
    monkeypatch.setattr(export, "SPLIT_MIN_NODES", 1)
    split = write_neo4j_import(demo_memory, tmp_path / "split")

    def rows(paths: list[Path]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for path in paths:
            with path.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                for row in reader:
                    assert row[1] not in out
                    out[row[1]] = {h: v for h, v in zip(header, row, strict=True) if v and h != ":ID(Node)"}
        return out

    assert rows(split.node_files) == rows(whole.node_files)
    first = [p for p in split.node_files if not p.name.startswith("nodes-part2-")]
    second = [p for p in split.node_files if p.name.startswith("nodes-part2-")]
    uids = sorted(rows(split.node_files))
    cut = export._split(len(uids))
    assert cut < len(uids) and sorted(rows(first)) == uids[:cut] and sorted(rows(second)) == uids[cut:]
    assert split.post_import == whole.post_import


def test_a_forked_export_reports_what_failed_in_its_child(demo_memory: MemoryStore, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.export as export

    monkeypatch.setattr(export, "_parallel", lambda store, nodes: True)

    def broken(*args: object) -> None:
        raise ValueError("IMPLEMENTS edge a -> b: unknown node")

    monkeypatch.setattr(export, "_edge_files", broken)
    with pytest.raises(ValueError, match="unknown node"):
        write_neo4j_import(demo_memory, tmp_path / "csv")

    def dies(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(export, "_edge_files", dies)
    with pytest.raises(RuntimeError, match="ended without a result"):
        write_neo4j_import(demo_memory, tmp_path / "csv")


def test_only_a_large_memory_graph_in_a_single_thread_forks(demo_memory: MemoryStore) -> None:
    import graph.export as export

    assert not export._parallel(demo_memory, export.PARALLEL_MIN_NODES - 1)
    assert export._parallel(demo_memory, export.PARALLEL_MIN_NODES) == (threading.active_count() == 1)


@pytest.mark.parametrize("forked", [False, True])
def test_an_export_of_a_graph_that_changes_meanwhile_fails_and_leaves_no_csv(
        demo_memory: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool) -> None:
    """The node and relationship files are read apart: when another process rewrote the graph in
    between (its version moved), the export says so and removes what it wrote."""
    import itertools

    import graph.export as export

    monkeypatch.setattr(export, "_parallel", lambda store, nodes: forked)
    versions = itertools.count()
    monkeypatch.setattr(demo_memory, "version", lambda: str(next(versions)))
    with pytest.raises(ValueError, match="changed while it was exported"):
        write_neo4j_import(demo_memory, tmp_path / "csv")
    assert not list((tmp_path / "csv").glob("*.csv"))


@pytest.mark.parametrize("where", ["none", "node", "edge"])
def test_a_line_break_in_any_field_turns_multiline_fields_on(demo_memory: MemoryStore, tmp_path: Path,
                                                             where: str) -> None:
    """Node rows are checked one by one, relationship rows a chunk at a time: both find a line break."""
    from graph.model import Batch

    text = "two\nlines" if where != "none" else "one line"
    eid = ("PART_OF", "lined-unit", "bo-chinh-tri", "")
    demo_memory.apply(Batch(
        nodes={"lined-unit": {"uid": "lined-unit", "name": text if where == "node" else "Lined",
                              "sources": ["src-primer"]}},
        labels={"lined-unit": ("Institution",)},
        edges={eid: {"key": "", "sources": ["src-primer"], "claims": [f"note\t{text}\tsrc-primer"]}
               if where == "edge" else {"key": "", "sources": ["src-primer"]}},
        edge_labels={eid: ("Institution", "Institution")}))
    result = write_neo4j_import(demo_memory, tmp_path / "csv")
    assert result.multiline == (where != "none")
    assert ("--multiline-fields=true" in (tmp_path / "csv" / "import.sh").read_text()) == (where != "none")


def _institutions(tmp_path: Path, props: dict[str, object] | None = None) -> MemoryStore:
    """Two institutions a -> b (PART_OF, REPORTS_TO), ``props`` on a."""
    from graph.model import Batch

    store = MemoryStore(tmp_path / "kg.json")
    batch = Batch()
    for uid in ("a", "b"):
        batch.nodes[uid] = {"uid": uid, "name": uid.upper(), **(props if uid == "a" and props else {})}
        batch.labels[uid] = ("Institution",)
    for rel in ("PART_OF", "REPORTS_TO"):
        eid = (rel, "a", "b", "")
        batch.edges[eid] = {"key": "", "sources": ["s"]}
        batch.edge_labels[eid] = ("Institution", "Institution")
    store.apply(batch)
    return store


@pytest.mark.parametrize("forked", [False, True])
def test_a_failed_export_leaves_the_folders_earlier_export_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool) -> None:
    """A value that cannot be exported, found in the last relationship file: the folder keeps the
    complete earlier export (its import.sh names only files that are whole), and no staging folder."""
    import graph.export as export
    from graph.model import Batch

    monkeypatch.setattr(export, "_parallel", lambda store, nodes: forked)
    store = _institutions(tmp_path)
    folder = tmp_path / "csv"
    write_neo4j_import(store, folder)
    before = _files(folder)
    eid = ("REPORTS_TO", "b", "a", "")
    store.apply(Batch(edges={eid: {"key": "", "claims": ["x\x1fy"]}},
                      edge_labels={eid: ("Institution", "Institution")}))
    with pytest.raises(ValueError, match="array delimiter"):
        write_neo4j_import(store, folder)
    assert _files(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)  # no .kg-export-* left


def test_a_new_export_replaces_the_files_of_the_earlier_one(tmp_path: Path) -> None:
    from graph.model import Batch

    store = _institutions(tmp_path)
    folder = tmp_path / "csv"
    write_neo4j_import(store, folder)
    # the user's own files, some named as an export's are: only what the earlier export wrote goes
    mine = {"notes.txt", "nodes-my-survey.csv", "relationships-notes.csv"}
    for name in mine:
        (folder / name).write_text("mine", encoding="utf-8")
    store.apply(Batch(nodes={"d": {"uid": "d", "code": "1-KH/X", "title": "T"}}, labels={"d": ("Document", "Plan")}))
    result = write_neo4j_import(store, folder)
    assert result.directory == folder and all(p.parent == folder and p.exists() for p in result.node_files)
    names = {p.name for p in folder.iterdir()}
    assert names == {p.name for p in result.node_files + result.relationship_files} | {
        "import.sh", "post-import.cypher"} | mine
    assert "--nodes=nodes-document-plan.csv" in (folder / "import.sh").read_text(encoding="utf-8")
    fewer = write_neo4j_import(_institutions(tmp_path / "again"), folder)  # no document: its file goes
    names = {p.name for p in folder.iterdir()}
    assert "nodes-document-plan.csv" not in names and names == {
        p.name for p in fewer.node_files + fewer.relationship_files} | {"import.sh", "post-import.cypher"} | mine
    assert all((folder / name).read_text(encoding="utf-8") == "mine" for name in mine)


@pytest.mark.parametrize(("props", "message"), [
    ({"note, extra": "x"}, "'note, extra': not a name a CSV header can carry"),
    ({"a:b": "x"}, "'a:b': not a name"),
    ({"score": float("nan")}, "'score': nan cannot be imported"),
    ({"score": float("-inf")}, "'score': -inf cannot be imported"),
    ({"big": 2**63}, "'big': 9223372036854775808 does not fit a 64-bit integer"),
    ({"big": [1, 2**64 - 1]}, "does not fit a 64-bit integer"),
])
def test_values_neo4j_admin_cannot_read_are_refused(tmp_path: Path, props: dict[str, object], message: str) -> None:
    """Header names are unquoted name:type pairs; Java reads a long and a finite double only."""
    store = _institutions(tmp_path, props)
    with pytest.raises(ValueError, match=re.escape(message)):
        write_neo4j_import(store, tmp_path / "csv")
    assert not (tmp_path / "csv" / "import.sh").exists()
    assert write_neo4j_import(_institutions(tmp_path / "ok"), tmp_path / "ok-csv").nodes == 2  # the rest is fine


def test_a_line_separator_in_a_value_keeps_post_import_one_statement_per_line(tmp_path: Path) -> None:
    """U+2028, U+2029 and U+0085 are line breaks to str.splitlines (and to some editors): the
    statements escape them, and read_post_import splits at newlines only."""
    from graph.model import Batch

    store = MemoryStore(tmp_path / "kg.json")
    uid = "a\u2028b\u2029c\x85d"
    store.apply(Batch(nodes={uid: {"uid": uid, "name": "A", "aliases": [""]}}, labels={uid: ("Institution",)}))
    result = write_neo4j_import(store, tmp_path / "csv")
    fixups = [s for s in result.post_import if s.startswith("UNWIND")]
    assert len(fixups) == 1 and "\\u2028" in fixups[0] and "\u2028" not in fixups[0]
    assert read_post_import(tmp_path / "csv") == result.post_import
