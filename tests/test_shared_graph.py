"""The memory store's shared structures: equal edge dicts, key dicts and empty adjacencies are one
object, and every write copies what it changes, so a write to one node or edge never shows in
another that shared its structure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import networkx as nx
import orjson
import pytest

from graph import snapshot
from graph.memory import MemoryStore
from graph.model import Batch
from graph.shared_graph import GraphWriter, pack, restored, unpack, unpacked
from graph.store import StoreError
from ingest.loader import ingest_path
from tests.conftest import load_demo

SRC = ["src-a"]


def _graph() -> tuple[nx.MultiDiGraph, GraphWriter]:
    graph = nx.MultiDiGraph()
    writer = GraphWriter(graph)
    for uid in ("a", "b", "c", "d"):
        writer.put_node(uid, {"uid": uid, "labels": ["Document"]})
    writer.put_edge("a", "c", "IMPLEMENTS|", {"type": "IMPLEMENTS", "key": "", "sources": list(SRC)})
    writer.put_edge("b", "d", "IMPLEMENTS|", {"type": "IMPLEMENTS", "key": "", "sources": list(SRC)})
    return graph, writer


def test_equal_edges_share_their_dicts_and_a_write_to_one_leaves_the_other() -> None:
    graph, writer = _graph()
    assert graph._succ["a"]["c"] is graph._succ["b"]["d"]  # the key dict, and so the edge dict
    assert graph._succ["a"]["c"] is graph._pred["c"]["a"]
    writer.put_edge("a", "c", "IMPLEMENTS|", {"type": "IMPLEMENTS", "key": "", "sources": ["src-b"]},
                    replace=True)
    assert graph.edges["a", "c", "IMPLEMENTS|"]["sources"] == ["src-b"]
    assert graph.edges["b", "d", "IMPLEMENTS|"]["sources"] == SRC
    writer.put_edge("a", "c", "GUIDES|", {"type": "GUIDES", "key": ""})  # a second key on one pair
    writer.put_edge("b", "d", "IMPLEMENTS|", {"deadline": "2026-06-30"})  # merged, not replaced
    assert set(graph._succ["a"]["c"]) == {"IMPLEMENTS|", "GUIDES|"}
    assert set(graph._succ["b"]["d"]) == {"IMPLEMENTS|"}
    assert graph.edges["b", "d", "IMPLEMENTS|"] == {"type": "IMPLEMENTS", "key": "", "sources": SRC,
                                                     "deadline": "2026-06-30"}
    assert graph._succ["a"]["c"] is graph._pred["c"]["a"] and graph._succ["b"]["d"] is graph._pred["d"]["b"]


def test_empty_adjacencies_are_shared_until_an_edge_arrives_and_again_after_it_goes() -> None:
    graph, writer = _graph()
    assert graph._succ["c"] is graph._pred["a"] is graph._succ["d"]  # nothing out of c, d; nothing into a
    writer.put_edge("c", "d", "GUIDES|", {"type": "GUIDES", "key": ""})
    assert list(graph.successors("c")) == ["d"] and list(graph.successors("a")) == ["c"]
    assert graph._pred["a"] == {} and list(graph.predecessors("d")) == ["b", "c"]
    writer.drop_edge("c", "d", "GUIDES|")
    assert graph._succ["c"] is graph._pred["a"]
    writer.drop_node("c")
    assert "c" not in graph and graph._succ["a"] == {} and graph.number_of_edges() == 1
    assert sorted(graph.edges(keys=True)) == [("b", "d", "IMPLEMENTS|")]


def test_equal_content_of_other_types_is_not_shared() -> None:
    graph, writer = _graph()
    writer.put_edge("a", "d", "R|", {"flag": True})
    writer.put_edge("b", "c", "R|", {"flag": 1})
    assert graph.edges["a", "d", "R|"]["flag"] is True
    assert graph.edges["b", "c", "R|"]["flag"] == 1 and graph.edges["b", "c", "R|"]["flag"] is not True


def test_uids_are_the_node_keys_own_strings() -> None:
    graph, writer = _graph()
    name = "".join(["ke-hoach-", "01-kh-tu"])  # built at run time: not interned by the compiler
    writer.put_node(name, {"uid": "".join(["ke-hoach-", "01-kh-tu"])})
    writer.put_edge("".join(["ke-hoach-", "01-kh-tu"]), "a", "IMPLEMENTS|", {"type": "IMPLEMENTS"})
    key = next(k for k in graph._node if k == name)
    assert graph._node[name]["uid"] is key  # held: a dict of nothing else would look like a bare node's
    writer.put_node(name, {"uid": name, "labels": ["Source"]}, replace=True)
    assert "uid" not in graph._node[name] and restored(key, graph._node[name])["uid"] == name  # derived
    writer.put_node(name, {"uid": name, "labels": ["Source"], "year": 2020}, replace=True)  # no date: held
    assert graph._node[name]["uid"] is key and graph._node[name]["year"] == 2020
    assert next(iter(graph._pred["a"])) is key
    assert next(iter(graph._succ[name])) is next(k for k in graph._node if k == "a")


def test_claims_are_packed_in_memory_and_lists_everywhere_else(tmp_path: Path) -> None:
    long = ["title\t" + "Kế hoạch thực hiện Nghị quyết " * 4 + "\tsrc-a", "issued_on\t2026-01-02\tsrc-a"]
    attrs = {"title": "Kế hoạch thực hiện Nghị quyết " * 4, "issued_on": "2026-01-03"}
    assert unpack(pack(long, attrs), attrs) == long
    assert len(pack(long, attrs)) < 60  # the title claim refers to the title
    assert unpack(pack(long, {}), {}) == long
    assert pack(["a\x00b", "c" * 80], {}) == ["a\x00b", "c" * 80]  # holds the separator: left as a list
    path = tmp_path / "kg.jsonl"
    store = MemoryStore(path)
    load_demo(store)
    uid = "52-nq-tw.bo-chinh-tri.2019"
    claims = store.get_nodes([uid])[uid]["claims"]
    assert isinstance(claims, list) and claims
    assert isinstance(store.graph.nodes[uid]["claims"], bytes)  # held packed
    assert "claims" not in store.get_nodes([uid], fields=["title"])[uid]
    assert store.get_nodes([uid], fields=["claims"])[uid]["claims"] == claims
    line = next(orjson.loads(x) for x in path.read_bytes().splitlines()[1:] if orjson.loads(x)[1] == uid)
    assert line[2]["claims"] == claims  # the file keeps its format
    assert MemoryStore(path).dump() == store.dump()
    assert all(isinstance(n.get("claims", []), list) for n in store.dump()[0])


def test_equal_titles_are_one_object_and_a_search_text_is_held_as_shared_pieces(tmp_path: Path) -> None:
    title = "Kế hoạch thực hiện Chương trình hành động về phát triển kinh tế tư nhân"
    words = "ke hoach thuc hien chuong trinh hanh dong ve phat trien kinh te tu nhan"
    texts = {  # built at run time: equal strings, distinct objects
        "plan-0": " ".join(["ke hoach 4 kh ubnd", words, "ubnd xa o"]),  # the first with this title
        "plan-a": " ".join(["ke hoach 5 kh ubnd", words, "ubnd xa a"]),
        "plan-b": " ".join(["ke hoach 6 kh ubnd", words, "ubnd xa b"]),
        "plan-c": " ".join(["ke hoach", "7 kh ubnd khac", "ubnd xa c"]),  # without its title's words
    }
    path = tmp_path / "kg.jsonl"
    store = MemoryStore(path)
    batch = Batch()
    for uid, text in texts.items():
        batch.nodes[uid] = {"uid": uid, "title": "".join([title[:9], title[9:]]), "search_text": text}
        batch.labels[uid] = ("Document",)
    store.apply(batch)
    held = store.graph._node
    assert held["plan-a"]["title"] is held["plan-b"]["title"] is held["plan-c"]["title"]
    assert held["plan-a"]["search_text"] == ("ke hoach 5 kh ubnd", words, "ubnd xa a")
    assert held["plan-a"]["search_text"][1] is held["plan-b"]["search_text"][1]
    assert held["plan-c"]["search_text"] == texts["plan-c"]  # held as it is
    assert held["plan-0"]["search_text"] == texts["plan-0"]  # pieces of a title seen once would cost more
    for uid, text in texts.items():  # every reader sees the text
        assert store.get_nodes([uid])[uid]["search_text"] == text
        assert store.get_nodes([uid], fields=["search_text"])[uid]["search_text"] == text
    assert [n["search_text"] for n in store.dump()[0]] == list(texts.values())
    lines = [orjson.loads(x) for x in path.read_bytes().splitlines()[1:]]
    assert [line[2]["search_text"] for line in lines] == list(texts.values())  # the file keeps its format
    assert [r["uid"] for r in store.run("search", {"words": ["tu", "nhan", "ubnd"], "limit": 10})] == \
        ["plan-0", "plan-a", "plan-b"]
    assert [r["uid"] for r in store.run("search", {"words": ["xa", "c"], "limit": 10})] == ["plan-c"]
    store.close()  # the snapshot
    assert MemoryStore(path).dump() == MemoryStore(path, snapshot=False).dump() == store.dump()
    again = MemoryStore(path)
    assert again.graph._node["plan-b"]["search_text"] == held["plan-b"]["search_text"]


def test_a_failed_write_leaves_the_shared_structures_as_they_were(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "kg.jsonl")
    load_demo(store)
    before = store.dump()
    graph = store.graph
    shared = {id(graph._succ[u][v]) for u in graph._succ for v in graph._succ[u]}
    u, v = next((u, v) for u in graph._succ for v in graph._succ[u])
    rel, key = next(iter(graph._succ[u][v])).split("|")
    batch = Batch()
    batch.nodes["new-doc"] = {"uid": "new-doc", "title": "Kế hoạch mới"}
    batch.labels["new-doc"] = ("Document",)
    batch.edges[(rel, u, v, key)] = {"key": key, "sources": ["src-changed"]}
    batch.edges[("IMPLEMENTS", "new-doc", "no-such-node", "")] = {"key": ""}
    with pytest.raises(StoreError, match="unknown node"):
        store.apply(batch)
    assert store.dump() == before
    assert {id(graph._succ[a][b]) for a in graph._succ for b in graph._succ[a]} <= shared | {id(graph._succ[u][v])}


def _extra(tmp_path: Path) -> Path:
    extra = tmp_path / "extra.yaml"
    extra.write_text("documents:\n  - {id: cu-chi-plan-52, type: plan, title: Kế hoạch thực hiện Nghị quyết 52, "
                     "issuer: huyen-uy-cu-chi, issued_on: 2020-08-01, implements: hcmc-btv-letter-52-2020}\n"
                     "  - {code: 9-KH/HU, type: plan, title: Kế hoạch 9, issuer: huyen-uy-cu-chi, "
                     "issued_on: 2020-09-01, implements: 52-NQ/TW}\n",  # a reference by code: the code index
                     encoding="utf-8")
    return extra


def test_a_matching_snapshot_is_loaded_instead_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kg.jsonl"
    with MemoryStore(path) as store:
        load_demo(store)
    assert snapshot.path_for(path).exists()
    from_file = MemoryStore(path, snapshot=False)
    expected = from_file.dump()
    # garble the JSON Lines file, keeping its size and time: only the snapshot can give the graph back
    st = path.stat()
    path.write_bytes(b"x" * st.st_size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    loaded = MemoryStore(path)
    assert loaded.dump() == expected
    assert loaded.documents_by_code_key(["52-nq-tw"]) == from_file.documents_by_code_key(["52-nq-tw"])
    graph = loaded.graph
    assert all(graph._succ[u][v] is graph._pred[v][u] for u in graph._succ for v in graph._succ[u])
    with pytest.raises(StoreError, match="line 1"):
        MemoryStore(path, snapshot=False)


def test_writes_after_a_snapshot_load_match_writes_after_a_file_load(tmp_path: Path) -> None:
    """A snapshot restores the shared structures as shared (the empty adjacencies among them): a
    write must unshare them as it does after a file load."""
    path = tmp_path / "kg.jsonl"
    load_demo(MemoryStore(path))
    plain = tmp_path / "plain.jsonl"
    shutil.copy(path, plain)
    from_snapshot, from_file = MemoryStore(path), MemoryStore(plain, snapshot=False)
    empties = [u for u in from_snapshot.graph._pred if not from_snapshot.graph._pred[u]]
    assert len({id(from_snapshot.graph._pred[u]) for u in empties}) == 1  # one shared empty dict
    ingest_path(from_snapshot, _extra(tmp_path))
    ingest_path(from_file, _extra(tmp_path))
    assert from_snapshot.dump() == from_file.dump()
    assert all(not from_snapshot.graph._pred[u] for u in empties if u not in (
        "hcmc-btv-letter-52-2020", "52-nq-tw.bo-chinh-tri.2019"))
    assert "9-kh-hu.huyen-uy-cu-chi.2020" in from_snapshot.graph._pred["52-nq-tw.bo-chinh-tri.2019"]
    assert MemoryStore(path).dump() == from_file.dump() == MemoryStore(path, snapshot=False).dump()


@pytest.mark.parametrize("damage", ["stale", "layout", "bytes", "truncated"])
def test_a_snapshot_that_does_not_match_is_ignored(tmp_path: Path, damage: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kg.jsonl"
    with MemoryStore(path) as store:
        load_demo(store)
    snap = snapshot.path_for(path)
    if damage == "stale":  # another writer that keeps no snapshot replaced the file
        ingest_path(MemoryStore(path, snapshot=False), _extra(tmp_path))
    elif damage == "layout":  # written by code with another in-memory layout
        monkeypatch.setattr(snapshot, "LAYOUT", snapshot.LAYOUT + 1)
    elif damage == "bytes":
        data = bytearray(snap.read_bytes())
        data[-100] ^= 0xFF
        snap.write_bytes(bytes(data))
    else:
        snap.write_bytes(snap.read_bytes()[: snap.stat().st_size // 2])
    stamp = store._file_stamp() or (0, 0)
    assert snapshot.read(snap, stamp, parts=3) is None
    assert MemoryStore(path).dump() == MemoryStore(path, snapshot=False).dump()
    assert snapshot.read(snap, stamp, parts=3) is not None  # the load from the file wrote a good one


def test_a_snapshot_that_cannot_be_written_fails_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kg.jsonl"
    snapshot.path_for(path).mkdir(parents=True)  # a folder where the snapshot would go
    with MemoryStore(path) as store:
        load_demo(store)
    assert MemoryStore(path).dump() == store.dump()


def test_a_packed_claim_keeps_its_value_when_the_attribute_changes() -> None:
    """A claim of the attribute's own value is stored as a reference to it; a later write that
    changes the attribute must not change what the earlier claim said."""
    graph, writer = _graph()
    old, new = "Kế hoạch thực hiện Nghị quyết số 52-NQ/TW " * 2, "Chương trình hành động " * 3
    writer.put_node("doc-x", {"uid": "doc-x", "title": old, "claims": [f"title\t{old}\tsrc-a"]})
    assert b"\x01" in graph.nodes["doc-x"]["claims"]  # held as a reference
    writer.put_node("doc-x", {"title": new})  # merged into the node
    assert unpacked(graph.nodes["doc-x"])["claims"] == [f"title\t{old}\tsrc-a"]
    assert graph.nodes["doc-x"]["title"] == new
    writer.put_edge("a", "doc-x", "ASSIGNS|t", {"type": "ASSIGNS", "due": "2026-06-30",
                                                "claims": ["due\t2026-06-30\tsrc-a"]})
    writer.put_edge("b", "doc-x", "ASSIGNS|t", {"type": "ASSIGNS", "due": "2026-06-30",
                                                "claims": ["due\t2026-06-30\tsrc-a"]})
    assert graph.edges["a", "doc-x", "ASSIGNS|t"] is graph.edges["b", "doc-x", "ASSIGNS|t"]  # shared
    writer.put_edge("a", "doc-x", "ASSIGNS|t", {"due": "2026-09-30"})
    assert unpacked(graph.edges["a", "doc-x", "ASSIGNS|t"])["claims"] == ["due\t2026-06-30\tsrc-a"]
    assert unpacked(graph.edges["b", "doc-x", "ASSIGNS|t"]) == {
        "type": "ASSIGNS", "due": "2026-06-30", "claims": ["due\t2026-06-30\tsrc-a"]}


def test_the_snapshot_is_written_once_at_close_not_after_every_write(tmp_path: Path) -> None:
    path = tmp_path / "kg.jsonl"
    snap = snapshot.path_for(path)
    store = MemoryStore(path)
    load_demo(store)  # several files, a write each
    assert not snap.exists()
    store.close()
    stamp = store._file_stamp()
    assert stamp is not None and snapshot.read(snap, stamp, parts=3) is not None
    ingest_path(store, _extra(tmp_path))
    assert snapshot.read(snap, store._file_stamp() or (0, 0), parts=3) is None  # stale until the close
    store.close()
    assert MemoryStore(path).dump() == store.dump() == MemoryStore(path, snapshot=False).dump()
    assert snapshot.read(snap, store._file_stamp() or (0, 0), parts=3) is not None
    plain = MemoryStore(path, snapshot=False)  # without snapshots: none written at close either
    ingest_path(plain, _extra(tmp_path))
    plain.close()
    assert snapshot.read(snap, plain._file_stamp() or (0, 0), parts=3) is None


def test_a_dump_orders_edges_by_type_start_end_key_and_shares_equal_props() -> None:
    """The memory store's dump walks starts and ends in order instead of sorting: the order must
    still be (type, start, end, key) with several edges on one pair, and equal shared edge dicts
    give one props dict (what the export formats once)."""
    from graph.memory import _edges_of

    graph, writer = _graph()
    writer.put_edge("a", "c", "GUIDES|z", {"type": "GUIDES", "key": "z"})
    writer.put_edge("a", "c", "GUIDES|b", {"type": "GUIDES", "key": "b"})
    writer.put_edge("d", "a", "IMPLEMENTS|", {"type": "IMPLEMENTS", "key": "", "sources": list(SRC)})
    writer.put_edge("a", "b", "IMPLEMENTS|k", {"type": "IMPLEMENTS", "key": "k"})
    writer.put_edge("c", "a", "ASSIGNS|", {"type": "ASSIGNS", "key": "", "due": "2026-01-01"})
    edges = _edges_of(graph)
    expected = sorted(((d["type"], u, v, d.get("key", "")) for u, v, d in graph.edges(data=True)))
    assert [(rel, u, v, p.get("key", "")) for rel, u, v, p in edges] == expected
    by_pair = {(rel, u, v): props for rel, u, v, props in edges if props.get("key") == ""}
    assert by_pair["IMPLEMENTS", "a", "c"] is by_pair["IMPLEMENTS", "b", "d"] is by_pair["IMPLEMENTS", "d", "a"]
    assert by_pair["IMPLEMENTS", "a", "c"] == {"key": "", "sources": SRC}
    assert "type" not in by_pair["ASSIGNS", "c", "a"]
