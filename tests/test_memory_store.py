"""Memory-store specifics: the JSON Lines file, sharing of repeated values, bad files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.model import Batch
from graph.store import StoreError
from ingest.loader import ingest_path
from tests.conftest import load_demo


def test_reload_gives_the_same_graph_and_shared_lists_stay_independent(tmp_path: Path) -> None:
    path = tmp_path / "kg.json"
    store = MemoryStore(path)
    load_demo(store)
    before = store.dump()
    reloaded = MemoryStore(path)
    assert reloaded.dump() == before
    a, b = "quan-uy-quan-1", "quan-uy-quan-3"
    assert reloaded.graph.nodes[a]["sources"] is reloaded.graph.nodes[b]["sources"]  # shared on load
    extra = tmp_path / "extra.yaml"
    extra.write_text("sources: [{id: other, title: Another source}]\n"
                     "institutions: [{id: quan-uy-quan-1, name: Quận ủy Quận 1, source: other}]\n", encoding="utf-8")
    ingest_path(reloaded, extra)
    assert reloaded.graph.nodes[a]["sources"] == ["src-illustrative-hcmc", "src-other"]
    assert reloaded.graph.nodes[b]["sources"] == ["src-illustrative-hcmc"]


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "kg.json"
    load_demo(MemoryStore(path))
    lines = path.read_bytes().splitlines()
    path.write_bytes(b"\n".join([*lines[:3], b"{not json", *lines[4:]]))
    with pytest.raises(StoreError, match=r"kg.json: line 4"):
        MemoryStore(path)
    path.write_bytes(b'{"version": 99}\n')
    with pytest.raises(StoreError, match="format"):
        MemoryStore(path)


def test_an_edge_to_a_node_the_file_does_not_hold_is_a_clear_error(tmp_path: Path) -> None:
    """A hand-edited file whose edge names no node: an error naming the line, not a bare node that
    has no labels (which the export and the queries cannot place)."""
    import orjson

    path = tmp_path / "kg.json"
    load_demo(MemoryStore(path))
    lines = path.read_bytes().splitlines()
    edge = next(number for number, line in enumerate(lines) if line.startswith(b'["e"'))
    item = orjson.loads(lines[edge])
    item[2] = "no-such-node"
    lines[edge] = orjson.dumps(item)
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(StoreError, match=rf"kg.json: line {edge + 1}: an edge .* 'no-such-node' names a node"):
        MemoryStore(path, snapshot=False)


def test_coverage_memo_is_dropped_when_the_graph_changes(tmp_path: Path) -> None:
    """Coverage keeps derived data per resolution and scope between calls (the implementation tree,
    the per-unit index, the PART_OF levels); a new plan in the tree (through this store, or by
    another process replacing the file) must show at once."""
    path = tmp_path / "kg.jsonl"
    store = MemoryStore(path)
    load_demo(store)
    params = {"document": "52-nq-tw.bo-chinh-tri.2019", "scope": "thanh-uy-thanh-pho-ho-chi-minh",
              "as_of": "2021-01-01"}

    def status(s: MemoryStore, unit: str) -> str:
        return next(r["status"] for r in s.run("coverage", params) if r["institution"] == unit)

    def plan(uid: str, issuer: str, implements: str) -> Path:
        file = tmp_path / f"{uid}.yaml"
        file.write_text(f"documents:\n  - {{id: {uid}, type: plan, title: Kế hoạch thực hiện Nghị quyết 52, "
                        f"issuer: {issuer}, issued_on: 2020-08-01, implements: {implements}}}\n", encoding="utf-8")
        return file

    assert status(store, "huyen-uy-cu-chi") == "overdue"
    assert status(store, "quan-uy-binh-thanh") == "expected"
    ingest_path(store, plan("cu-chi-plan-52", "huyen-uy-cu-chi", "hcmc-btv-letter-52-2020"))
    assert status(store, "huyen-uy-cu-chi") == "covered"

    other = MemoryStore(path)  # another process: writes the file; `store` must reload and recompute
    ingest_path(other, plan("binh-thanh-plan-52", "quan-uy-binh-thanh", "52-NQ/TW"))
    assert status(store, "quan-uy-binh-thanh") == "covered"


def test_a_large_graph_is_frozen_out_of_the_collector_and_a_replaced_one_freed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from graph import heap

    monkeypatch.setattr(heap, "FREEZE_MIN_NODES", 10)  # the demo graph counts as large here
    path = tmp_path / "kg.jsonl"
    load_demo(MemoryStore(path))
    try:
        gc.unfreeze()
        store = MemoryStore(path)
        assert gc.get_freeze_count() > store.graph.number_of_nodes()  # the graph's dicts, at least
        store.stats()  # walks graph.edges: networkx caches that view, which points back at the graph
        old = weakref.ref(store.graph)
        # another process replaces the file: the reader reloads it, and the old graph (a
        # reference cycle through networkx's cached views) must not stay frozen forever
        writer = MemoryStore(path)
        writer.clear()
        load_demo(writer)
        assert store.version() != "1"
        assert old() is None
        assert store.run("lineage_up", {"document": "quan-1-plan-52", "depth": 5})
    finally:
        gc.unfreeze()


def test_a_small_reload_gives_a_frozen_graph_back_to_the_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from graph import heap

    path = tmp_path / "kg.jsonl"
    load_demo(MemoryStore(path))
    try:
        gc.unfreeze()
        monkeypatch.setattr(heap, "FREEZE_MIN_NODES", 10)
        store = MemoryStore(path)  # "large": frozen
        store.stats()  # the graph is now a reference cycle through its cached edge view
        old = weakref.ref(store.graph)
        monkeypatch.setattr(heap, "FREEZE_MIN_NODES", 10**9)
        MemoryStore(path).clear()  # another process empties the file: the reload is small
        assert store.version() != "1"
        gc.collect()
        assert old() is None
    finally:
        gc.unfreeze()


def test_the_file_loader_builds_what_networkx_would(tmp_path: Path) -> None:
    import networkx as nx
    import orjson

    from graph.memory import _Compactor
    from graph.shared_graph import FROM_EDGES, stripped

    path = tmp_path / "kg.jsonl"
    load_demo(MemoryStore(path))
    loaded = MemoryStore(path).graph
    expected, compact = nx.MultiDiGraph(), _Compactor()
    for line in path.read_bytes().splitlines()[1:]:
        item = orjson.loads(line)
        if item[0] == "n":  # held without what is derived (graph.shared_graph)
            held = stripped(item[1], {k: v for k, v in item[2].items() if k not in FROM_EDGES})
            expected.add_node(item[1], **compact.attrs(held))
        else:
            expected.add_edges_from(((item[1], item[2], item[3], compact.attrs(item[4])),))
    assert list(loaded.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(loaded.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert all(loaded._succ[u][v] is loaded._pred[v][u] for u in loaded._succ for v in loaded._succ[u])


def test_derived_attributes_are_not_held_but_read_back(tmp_path: Path) -> None:
    """A document's uid, code parts and year are derived from its code and issue date, and its shown
    issuer from its edges: its dict holds ten entries (272 bytes, not 464), every read sees them all."""
    import orjson

    path = tmp_path / "kg.jsonl"
    store = MemoryStore(path)
    load_demo(store)
    uid = "52-nq-tw.bo-chinh-tri.2019"
    held = store.graph.nodes[uid]
    assert not {"uid", "code_key", "number", "issuer_code", "year", "shown_issuer"} & held.keys()
    plan = store.graph.nodes["15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"]  # no conflicts, no evidence
    assert len(plan) == 10 and sys.getsizeof(plan) <= sys.getsizeof(dict.fromkeys(range(10)))
    node = store.get_nodes([uid])[uid]
    assert (node["uid"], node["code_key"], node["number"], node["issuer_code"], node["year"],
            node["shown_issuer"]) == (uid, "52-nq-tw", "52", "TW", 2019, "bo-chinh-tri")
    assert store.get_nodes([uid], fields=("code_key", "year"))[uid] == \
        {"uid": uid, "labels": node["labels"], "code_key": "52-nq-tw", "year": 2019}
    assert [n["uid"] for n in store.documents_by_code_key(["52-nq-tw"])] == [uid]
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()[1:]]
    assert next(item[2] for item in lines if item[0] == "n" and item[1] == uid) == node  # the file has them all
    assert MemoryStore(path, snapshot=False).dump() == store.dump() == MemoryStore(path).dump()
    # a value that its derivation would not give back is held as it is
    store.apply(_batch(uid, {**node, "year": 1999}))
    assert store.graph.nodes[uid]["year"] == 1999 and store.get_nodes([uid])[uid]["year"] == 1999


def _batch(uid: str, node: dict[str, object]) -> Batch:
    batch = Batch()
    batch.nodes[uid] = {k: v for k, v in node.items() if k != "labels"}
    batch.labels[uid] = tuple(node["labels"])  # type: ignore[arg-type]
    return batch


def test_a_clear_that_cannot_write_the_file_keeps_the_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed clear (full disk, say) leaves the file as it was: the process must keep that graph, and
    its snapshot at close must be of that graph, not an empty one stamped with the unchanged file."""
    import os

    path = tmp_path / "kg.json"
    store = MemoryStore(path)
    load_demo(store)
    before = store.dump()

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", refuse)
        with pytest.raises(OSError, match="No space"):
            store.clear()
    assert store.dump() == before
    store.close()  # writes the snapshot of what this process holds
    assert MemoryStore(path).dump() == before


def test_a_file_replaced_within_one_mtime_tick_is_still_reloaded(tmp_path: Path) -> None:
    """Another process's write can keep the size and, on a coarse clock, the mtime: every write renames
    a new file (a new inode) into place, and that is seen."""
    import os

    path = tmp_path / "kg.json"
    writer = MemoryStore(path)
    load_demo(writer)
    reader = MemoryStore(path)
    assert reader.get_nodes(["quan-uy-quan-1"])["quan-uy-quan-1"]["name"] == "Quận ủy Quận 1"
    seen = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count("Quận ủy Quận 1\"") >= 1
    other = tmp_path / "other.tmp"
    other.write_text(text.replace("Quận ủy Quận 1\"", "Quận ủy Quận 7\""), encoding="utf-8")
    os.replace(other, path)
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert path.stat().st_size == seen.st_size and path.stat().st_mtime_ns == seen.st_mtime_ns
    assert reader.get_nodes(["quan-uy-quan-1"])["quan-uy-quan-1"]["name"] == "Quận ủy Quận 7"


def test_reads_in_one_thread_while_another_writes_see_whole_graphs(tmp_path: Path) -> None:
    """An API worker answers in a thread pool while a POST /ingest writes: the writes change the graph's
    dicts in place, so an unguarded read iterating them raised "dictionary changed size during iteration"."""
    import threading

    store = MemoryStore(None)
    load_demo(store)
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for n in range(40):
                path = tmp_path / f"w{n}.yaml"
                path.write_text("institutions:\n" + "".join(f"  - {{id: u{n}-{i}, name: Đơn vị {n} {i}}}\n"
                                                            for i in range(300)), encoding="utf-8")
                ingest_path(store, path)
        finally:
            done.set()

    def read() -> None:
        while not done.is_set():
            try:
                store.stats()
                store.run("institutions", {"words": None, "uids": None, "after": None, "limit": 20_000})
            except BaseException as exc:  # any failure is the finding
                errors.append(exc)
                return

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.stats().nodes["Institution"] >= 40 * 300


def test_a_write_keeps_the_store_files_permissions(tmp_path: Path) -> None:
    """mkstemp makes 0600 files and the rename kept that: a store file made readable to others (for
    an API run as another user) was locked again by the next write, its snapshot too."""
    import stat

    from graph.snapshot import path_for

    path = tmp_path / "kg.json"
    store = MemoryStore(path)
    load_demo(store)
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o666 & ~_umask()  # a new file: what the umask gives, not 0600
    path.chmod(0o640)
    store.close()
    before = path.stat().st_ino
    again = MemoryStore(path)
    load_demo(again)  # writes the file, and its snapshot, anew
    again.close()
    assert path.stat().st_ino != before  # replaced, not rewritten in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert stat.S_IMODE(path_for(path).stat().st_mode) == 0o640


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_write_that_fails_names_the_store_file_and_leaves_it(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk said only "[Errno 28] No space left on device": no file named, neither the store's
    nor the one being ingested. The error now names the store's file; the file stays as it was."""
    import errno
    import os

    path = tmp_path / "kg.json"
    store = MemoryStore(path)
    load_demo(store)
    before = path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("graph.memory.os.fsync", full)  # the disk fills as the new file is flushed
    extra = tmp_path / "extra.yaml"
    extra.write_text("institutions:\n  - {id: so-moi, name: Sở Mới}\n", encoding="utf-8")
    with pytest.raises(OSError) as err:
        ingest_path(store, extra)
    assert err.value.filename == str(path) and err.value.errno == errno.ENOSPC
    assert "not written, the file is as it was (No space left on device)" in str(err.value)
    assert path.read_bytes() == before and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert store.get_nodes(["so-moi"]) == {}  # and the graph in memory is rolled back with it
