"""Named queries: identical rows from both stores, right answers on the demo data,
and every .cypher file runs in Neo4j with the example parameters of its header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph import queries
from graph.queries import LINEAGE_NODE
from graph.store import GraphStore
from ingest.loader import ingest_path
from tests.conftest import fresh_plans, load_demo, make_store

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
KH15 = "15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"
HD116 = "116-hd-btgtw.ban-tuyen-giao-trung-uong.2020"
TU = "thanh-uy-thanh-pho-ho-chi-minh"
BCSD_UBND = "ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh"

CASES: list[tuple[str, dict[str, Any]]] = [
    ("lineage_up", {"document": KH15, "depth": 5}),
    ("lineage_up", {"document": "quan-1-plan-52", "depth": 1}),
    ("lineage_up", {"document": "quan-1-plan-52", "depth": 5}),
    ("lineage_down", {"document": NQ52, "depth": 5}),
    ("lineage_down", {"document": NQ52, "depth": 1}),
    ("lineage_down", {"document": "no-such-doc", "depth": 5}),
    ("lineage", {"document": KH15, "up": 5, "down": 5}),
    ("lineage", {"document": NQ52, "up": 0, "down": 1}),
    ("lineage", {"document": NQ52, "up": 20, "down": 20}),
    ("lineage", {"document": "quan-1-plan-52", "up": 1, "down": 0}),
    ("lineage", {"document": "hcmc-btv-letter-52-2020", "up": 5, "down": 5}),
    ("lineage", {"document": "no-such-doc", "up": 5, "down": 5}),
    ("document_edges", {"uid": NQ52}),
    ("document_edges", {"uid": KH15}),
    ("document_edges", {"uid": "no-such-doc"}),
    ("coverage", {"document": NQ52, "scope": TU, "as_of": "2020-12-31"}),
    ("coverage", {"document": NQ52, "scope": TU, "as_of": "2020-05-01"}),
    ("coverage", {"document": NQ52, "scope": TU, "as_of": "2019-01-01"}),
    ("coverage", {"document": NQ52, "scope": TU, "as_of": "2026-01-01"}),
    ("coverage", {"document": NQ52, "scope": "bo-cong-thuong", "as_of": "2021-01-01"}),
    ("coverage", {"document": NQ52, "scope": "quan-uy-quan-1", "as_of": "2020-12-31"}),
    ("coverage", {"document": "quan-1-plan-52", "scope": TU, "as_of": "2020-12-31"}),
    ("coverage", {"document": NQ52, "scope": "no-such-unit", "as_of": "2020-12-31"}),
    ("issued_by", {"institution": "ban-thuong-vu-thanh-uy-thanh-pho-ho-chi-minh"}),
    ("reports_to_chain", {"institution": "uy-ban-nhan-dan-quan-1"}),
    ("reports_to_chain", {"institution": BCSD_UBND}),
    ("obligations", {"institution": BCSD_UBND}),
    ("obligations", {"institution": "huyen-uy-can-gio"}),
    ("obligations", {"institution": "quan-uy-quan-3"}),
    ("conflicts", {}),
    ("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None, "uids": None,
                   "after": None, "limit": 50}),
    ("documents", {"words": None, "code_key": "52-nq-tw", "type": "resolution", "issuer": "bo-chinh-tri",
                   "status": "issued", "uids": None, "after": None, "limit": 5}),
    ("documents", {"words": ['nghi', 'quyet', '52'], "code_key": None, "type": None, "issuer": None, "status": None,
                   "uids": None, "after": "1", "limit": 3}),
    ("documents", {"words": ['ke', 'hoach'], "code_key": None, "type": "plan", "issuer": None, "status": None,
                   "uids": ["quan-1-plan-52", KH15, NQ52], "after": None, "limit": 10}),
    ("documents", {"words": ["khong", "co", "tu", "nay"], "code_key": None, "type": None, "issuer": None,
                   "status": None, "uids": None, "after": None, "limit": 10}),
    ("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                   "uids": ["quan-1-plan-52", KH15], "after": "a", "limit": 1}),
    ("institutions", {"words": None, "uids": None, "after": None, "limit": 100}),
    ("institutions", {"words": None, "uids": [TU, "bo-chinh-tri"], "after": "c", "limit": 10}),
    ("institutions", {"words": ['uy', 'ban'], "uids": None, "after": None, "limit": 4}),
    ("institutions", {"words": ['thanh', 'uy'], "uids": [TU, "bo-chinh-tri"], "after": None, "limit": 10}),
    ("search", {"words": ['nghi', 'quyet', '52'], "limit": 20}),
    ("search", {"words": ['thanh', 'uy'], "limit": 5}),
    ("search", {"words": ['the'], "limit": 20}),
    ("search", {"words": [], "limit": 20}),
    ("documents", {"words": [], "code_key": None, "type": None, "issuer": None, "status": None, "uids": None,
                   "after": None, "limit": 10}),
    ("institutions", {"words": ['an'], "uids": None, "after": None, "limit": 10}),
    ("institutions", {"words": None, "uids": [TU, TU, "no-such-unit"], "after": None, "limit": 10}),
    ("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                   "uids": [KH15, KH15, NQ52], "after": None, "limit": 10}),
]


@pytest.fixture(scope="module")
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[GraphStore, GraphStore]:
    tmp = tmp_path_factory.mktemp("both")
    memory = make_store("memory", request, tmp)
    neo = make_store("neo4j", request, tmp)
    load_demo(memory)
    load_demo(neo)
    return memory, neo


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_both_stores_answer_identically(both: tuple[GraphStore, GraphStore], name: str,
                                        params: dict[str, Any]) -> None:
    memory, neo = both
    assert memory.run(name, params) == neo.run(name, params)


def test_every_query_has_a_memory_twin_and_a_case() -> None:
    from graph.memory_queries import QUERIES

    assert set(queries.names()) == set(QUERIES)
    assert {name for name, _ in CASES} == set(queries.names())


@pytest.mark.parametrize("name", queries.names())
def test_cypher_file_runs_with_its_example_params(both: tuple[GraphStore, GraphStore],
                                                   neo4j_driver: Any, name: str) -> None:
    query = queries.load(name)
    assert query.description, f"{name}.cypher needs a header comment"
    params = {}
    for param, literal in query.examples.items():
        records, _, _ = neo4j_driver.execute_query(f"RETURN {literal} AS v")
        params[param] = records[0]["v"]
    text = Path(queries.QUERIES_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    used = {p for p in params if f"${p}" in text}
    assert used == set(params), f"{name}: example params {sorted(params)} vs used {sorted(used)}"
    records, _, _ = neo4j_driver.execute_query(text, params)
    assert records, f"{name} returns nothing for its documented example"


def test_demo_lineage(demo_store: GraphStore) -> None:
    down = demo_store.run("lineage_down", {"document": NQ52, "depth": 5})
    sources = {r["source"] for r in down}
    assert {KH15, HD116} <= sources
    up = demo_store.run("lineage_up", {"document": KH15, "depth": 5})
    assert up == [{"source": KH15, "target": NQ52, "type": "IMPLEMENTS", "depth": 1}]


def test_demo_lineage_view_in_one_row(demo_store: GraphStore) -> None:
    [short] = demo_store.run("lineage", {"document": "quan-1-plan-52", "up": 1, "down": 0})
    assert all(len(n) == len(LINEAGE_NODE) for n in short["nodes"])
    nodes = [dict(zip(LINEAGE_NODE, n, strict=True)) for n in short["nodes"]]
    assert [(n["uid"], n["depth"]) for n in nodes] == [("hcmc-btv-letter-52-2020", -1), ("quan-1-plan-52", 0)]
    assert short["edges"] == [["quan-1-plan-52", "hcmc-btv-letter-52-2020", "IMPLEMENTS"]]
    assert short["truncated"] is True  # the letter implements 52-NQ/TW, one hop further
    [full] = demo_store.run("lineage", {"document": "quan-1-plan-52", "up": 5, "down": 0})
    nodes = [dict(zip(LINEAGE_NODE, n, strict=True)) for n in full["nodes"]]
    # up through the City letter and the central guidance it follows to the resolution (domain.md §1)
    assert [(n["uid"], n["depth"]) for n in nodes] == [
        (HD116, -2), (NQ52, -2), ("hcmc-btv-letter-52-2020", -1), ("quan-1-plan-52", 0)]
    assert sorted(map(tuple, full["edges"])) == [
        (HD116, NQ52, "GUIDES"), ("hcmc-btv-letter-52-2020", HD116, "IMPLEMENTS"),
        ("hcmc-btv-letter-52-2020", NQ52, "IMPLEMENTS"), ("quan-1-plan-52", "hcmc-btv-letter-52-2020", "IMPLEMENTS")]
    assert full["truncated"] is False
    root = nodes[1]
    assert (root["code"], root["type"], root["issuer"], root["status"], root["issued_on"]) == (
        "52-NQ/TW", "resolution", "bo-chinh-tri", "issued", "2019-09-27")
    assert demo_store.run("lineage", {"document": "no-such-doc", "up": 5, "down": 5}) == []


@pytest.mark.parametrize("bound", [19, 20])
def test_lineage_is_truncated_at_every_bound_up_to_the_last(store: GraphStore, tmp_path: Path, bound: int) -> None:
    """A chain of 23 plans under a resolution: depth 20, the deepest one asks for, still says it was cut."""
    docs = ["documents:", "  - {id: r, code: 01-NQ/TW, issuer: bo, issued_on: 2020-01-01}"]
    docs += [f"  - {{id: p{i}, code: {i}-KH/BO, issuer: bo, issued_on: 2020-02-01, "
             f"implements: [{'r' if i == 1 else f'p{i - 1}'}]}}" for i in range(1, 24)]
    path = tmp_path / "chain.yaml"
    path.write_text("institutions:\n  - {id: bo, name: Bộ}\n" + "\n".join(docs) + "\n", encoding="utf-8")
    ingest_path(store, path)
    top, bottom = "1-nq-tw.bo.2020", "23-kh-bo.bo.2020"
    down = store.run("lineage", {"document": top, "up": 0, "down": bound})[0]
    assert down["truncated"] is True and max(n[-1] for n in down["nodes"]) == bound
    up = store.run("lineage", {"document": bottom, "up": bound, "down": 0})[0]
    assert up["truncated"] is True and min(n[-1] for n in up["nodes"]) == -bound
    whole = store.run("lineage", {"document": "3-kh-bo.bo.2020", "up": 20, "down": 20})[0]
    assert whole["truncated"] is False and len(whole["nodes"]) == 24


def test_demo_coverage_after_q2_2020(demo_store: GraphStore) -> None:
    rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": "2020-12-31"})
    status = {r["institution"]: r["status"] for r in rows}
    assert status == {
        TU: "overdue",  # the City programme it is to issue was due in Q2 2020
        BCSD_UBND: "overdue",  # it had to have the programme drafted by 30/6/2020
        "ban-thuong-vu-thanh-uy-thanh-pho-ho-chi-minh": "covered",  # its letter
        "ban-tuyen-giao-thanh-uy-thanh-pho-ho-chi-minh": "missing",
        "quan-uy-quan-1": "covered",
        "quan-uy-quan-3": "covered",
        "quan-uy-binh-thanh": "expected",
        "huyen-uy-cu-chi": "overdue",
        "huyen-uy-can-gio": "covered",
    }
    q1 = next(r for r in rows if r["institution"] == "quan-uy-quan-1")
    assert q1["documents"] == ["quan-1-plan-52"]
    assert q1["chain"] == ["quan-1-plan-52", "hcmc-btv-letter-52-2020", NQ52]
    bcsd = next(r for r in rows if r["institution"] == BCSD_UBND)
    assert bcsd["due"] == "2020-06-30"


def test_demo_coverage_marks_a_unit_covered_after_its_due_date_late(demo_store: GraphStore) -> None:
    """Cần Giờ was to plan by 30/9/2020 and issued its plan on 15/10/2020: covered, and late."""
    rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": "2020-12-31"})
    facts = {r["institution"]: (r["status"], r["due"], r["covered_on"], r["late"]) for r in rows}
    assert facts["huyen-uy-can-gio"] == ("covered", "2020-09-30", "2020-10-15", True)
    assert facts["quan-uy-quan-1"] == ("covered", None, "2020-05-20", False)  # nothing was due
    assert facts["huyen-uy-cu-chi"] == ("overdue", "2020-09-30", None, False)  # not covered: overdue, not late
    assert [u for u, f in facts.items() if f[3]] == ["huyen-uy-can-gio"]


def test_demo_coverage_before_the_resolution_owes_nothing(demo_store: GraphStore) -> None:
    """Before 52-NQ/TW was issued (2019-09-27) nothing under it is owed: the City programme it asks
    for is not yet expected of anyone."""
    for as_of in ("2019-01-01", "0001-01-01"):
        rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": as_of})
        assert {r["status"] for r in rows} == {"missing"} and all(r["due"] is None for r in rows)
    rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": "2019-10-01"})
    assert {r["institution"]: r["status"] for r in rows if r["status"] != "missing"} == {
        TU: "expected", BCSD_UBND: "expected"}


def test_demo_coverage_without_implementations_is_all_missing(demo_store: GraphStore) -> None:
    # a leaf plan: nothing implements it and it assigns nothing, yet every unit gets a row
    rows = demo_store.run("coverage", {"document": "quan-1-plan-52", "scope": TU, "as_of": "2020-12-31"})
    assert len(rows) == 9
    assert {r["status"] for r in rows} == {"missing"}
    assert rows[0] == {"institution": TU, "name": rows[0]["name"], "level": 0, "status": "missing",
                       "documents": [], "chain": [], "due": None, "covered_on": None, "late": False}


def test_demo_coverage_of_one_unit(demo_store: GraphStore) -> None:
    rows = demo_store.run("coverage", {"document": NQ52, "scope": "quan-uy-quan-1", "as_of": "2020-12-31"})
    assert [(r["institution"], r["level"], r["status"]) for r in rows] == [("quan-uy-quan-1", 0, "covered")]


def test_demo_coverage_districts_gone_after_2025(demo_store: GraphStore) -> None:
    rows = demo_store.run("coverage", {"document": NQ52, "scope": TU, "as_of": "2026-01-01"})
    assert not any(r["institution"].startswith(("quan-uy", "huyen-uy")) for r in rows)


def test_conflicts_show_both_dates(demo_store: GraphStore) -> None:
    rows = demo_store.run("conflicts", {})
    assert rows == [
        {"subject": NQ52, "kind": "Document", "field": "issued_on", "value": "2019-09-27",
         "sources": ["src-primer"]},
        {"subject": NQ52, "kind": "Document", "field": "issued_on", "value": "2014-09-27",
         "sources": ["src-press-2014"]},
    ]


def test_search_sees_a_write_at_once(demo_store: GraphStore, tmp_path: Path) -> None:
    """The memory store's word index is per graph version: a search after an ingest finds the new title."""
    assert demo_store.run("search", {"words": ['chuyen', 'doi', 'xanh'], "limit": 5}) == []
    path = tmp_path / "new.csv"
    path.write_text("code,issuer,issued_on,title\n77-KH/QU,quan-uy-quan-1,2021-01-01,Kế hoạch chuyển đổi xanh\n",
                    encoding="utf-8")
    ingest_path(demo_store, path)
    assert [r["uid"] for r in demo_store.run("search", {"words": ['chuyen', 'doi', 'xanh'], "limit": 5})] == [
        "77-kh-qu.quan-uy-quan-1.2021"]


def test_search_ignores_diacritics(demo_store: GraphStore) -> None:
    """Search text and the user's words are folded the same way (graph.text.words)."""
    from graph.text import words

    folded = demo_store.run("search", {"words": words("nghi quyet 52"), "limit": 50})
    accented = demo_store.run("search", {"words": words("NGHỊ QUYẾT 52"), "limit": 50})
    assert folded == accented
    assert NQ52 in {r["uid"] for r in folded}


def test_a_later_source_does_not_overwrite_who_owes_an_expected_document(demo_store: GraphStore,
                                                                          tmp_path: Path) -> None:
    """Owner, deadline and due were plain properties: a second account replaced them with no conflict."""
    uid = "hcmc-programme-52"
    path = tmp_path / "e2.yaml"
    path.write_text("source: e2\nsources: [{id: e2, title: second account}]\ndocuments:\n"
                    f"  - {{id: {uid}, type: programme, status: expected, issuer: thanh-uy-thanh-pho-ho-chi-minh,\n"
                    "     owner: ban-tuyen-giao-thanh-uy-thanh-pho-ho-chi-minh, deadline: trong quý III năm 2020,\n"
                    "     implements: [52-NQ/TW]}\n", encoding="utf-8")
    ingest_path(demo_store, path)
    node = demo_store.get_nodes([uid])[uid]
    assert (node["owner"], node["deadline"], node["due"]) == (BCSD_UBND, "trong quý II năm 2020", "2020-06-30")
    assert node["conflicts"] == ["deadline", "due", "owner"]
    assert {r["subject"] for r in demo_store.run("conflicts", {})} >= {uid}


def test_a_task_with_a_deliverable_is_done_only_when_the_deliverable_is(demo_store: GraphStore,
                                                                       tmp_path: Path) -> None:
    """Any plan of the delegation implementing 52-NQ/TW marked its programme task fulfilled, while the
    same answer's expected row said the programme was not."""
    path = tmp_path / "ob.yaml"
    path.write_text("documents:\n  - {code: 99-KH/BCSĐ, issuer: " + BCSD_UBND + ", issued_on: 2020-05-01, "
                    "implements: [52-NQ/TW]}\n", encoding="utf-8")
    ingest_path(demo_store, path)
    rows = demo_store.run("obligations", {"institution": BCSD_UBND})
    task = [r for r in rows if r["kind"] == "task" and r["counterpart"] == "hcmc-programme-52"]
    expected = [r for r in rows if r["kind"] == "expected" and r["document"] == "hcmc-programme-52"]
    assert [r["fulfilled"] for r in task] == [r["fulfilled"] for r in expected] == [False]


TWO_TASKS = ("source: {source}\nsources: [{{id: {source}, title: {source}}}]\n"
             "institutions:\n  - {{id: bo, name: Bộ}}\n  - {{id: so, name: Sở}}\n"
             "documents:\n  - id: kh\n    code: 01-KH/BO\n    issuer: bo\n    issued_on: 2020-01-01\n"
             "    assigns:\n      - {{to: so, task: Tuyên truyền, deadline: {deadline}}}\n"
             "      - {{to: so, task: Báo cáo sơ kết, deadline: {deadline}}}\n")


def test_conflicts_of_two_tasks_between_the_same_pair_are_told_apart(request: pytest.FixtureRequest,
                                                                       tmp_path: Path) -> None:
    """Two ASSIGNS edges from one plan to one unit (two tasks), each with the same two deadlines from
    two sources: the memory store gave each row twice, identical, while the Cypher merged the two
    edges into one row with each source twice. An edge's subject names its key."""
    memory = make_store("memory", request, tmp_path)
    neo = make_store("neo4j", request, tmp_path)
    for source, deadline in (("a", "trong quý II năm 2020"), ("b", "trong quý III năm 2020")):
        path = tmp_path / f"{source}.yaml"
        path.write_text(TWO_TASKS.format(source=source, deadline=deadline), encoding="utf-8")
        for store in (memory, neo):
            ingest_path(store, path)
    plan = "1-kh-bo.bo.2020"
    keys = sorted(n.edge["key"] for n in memory.neighbours([plan], "ASSIGNS", "out"))
    assert len(keys) == 2 and all(keys)
    expected = []
    for key in keys:
        subject = f"{plan} -ASSIGNS[{key}]-> so"
        expected += [{"subject": subject, "kind": "ASSIGNS", "field": field, "value": value,
                      "sources": [f"src-{source}"]}
                     for field, values in (("deadline", ("trong quý II năm 2020", "trong quý III năm 2020")),
                                           ("due", ("2020-06-30", "2020-09-30")))
                     for value, source in zip(values, ("a", "b"), strict=True)]
    rows = memory.run("conflicts", {})
    assert neo.run("conflicts", {}) == rows
    assert rows == expected


DIAMOND = ("source: d\nsources: [{id: d, title: A diamond}]\n"
           "institutions:\n  - {id: tu, name: Tỉnh ủy}\n  - {id: so, name: Sở, part_of: tu}\n"
           "documents:\n"
           "  - {id: r, code: 1-NQ/TU, issuer: tu, issued_on: 2020-01-01}\n"
           "  - {id: a, code: 2-KH/TU, issuer: tu, issued_on: 2020-02-01, implements: [r]}\n"
           "  - {id: b, code: 3-KH/TU, issuer: tu, issued_on: 2020-02-01, implements: [r]}\n"
           "  - {id: p, code: 4-KH/SO, issuer: so, issued_on: 2020-03-01, implements: [b, a]}\n")


def test_a_coverage_chain_among_equally_short_ones_is_the_same_on_both_stores(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """A plan implementing two plans of one resolution has two shortest chains up to it: both stores
    give the one through the least uid at each step (Cypher's shortestPath picked either)."""
    path = tmp_path / "diamond.yaml"
    path.write_text(DIAMOND, encoding="utf-8")
    stores = [make_store("memory", request, tmp_path), make_store("neo4j", request, tmp_path)]
    rows = []
    for store in stores:
        ingest_path(store, path)
        rows.append(store.run("coverage", {"document": "1-nq-tu.tu.2020", "scope": "tu", "as_of": "2021-01-01"}))
    assert rows[0] == rows[1]
    chain = {r["institution"]: r["chain"] for r in rows[0]}
    assert chain["so"] == ["4-kh-so.so.2020", "2-kh-tu.tu.2020", "1-nq-tu.tu.2020"]


OWN_CYCLE = ("source: c\nsources: [{id: c, title: A cycle}]\n"
             "institutions:\n  - {id: u, name: Huyện ủy}\n  - {id: r, name: Tỉnh ủy}\n"
             "documents:\n"
             "  - {id: x, code: 1-KH/HU, issuer: u, issued_on: 2020-01-01}\n"
             "  - {id: z, code: 2-KH/TU, issuer: r, issued_on: 2020-01-02, implements: [x]}\n"
             "  - {id: a, code: 3-KH/TU, issuer: r, issued_on: 2020-01-03, implements: [x],\n"
             "     assigns: [{to: u, task: Xây dựng kế hoạch}]}\n"
             "relations:\n  - {type: IMPLEMENTS, from: x, to: z}\n")


def _on_both_stores(request: pytest.FixtureRequest, tmp_path: Path, text: str, query: str,
                    params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """``text`` ingested into a fresh store of each kind: the query's rows from each, which must agree."""
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    rows = []
    for kind in ("memory", "neo4j"):
        store = make_store(kind, request, tmp_path)
        ingest_path(store, path)
        fresh_plans(store)  # the ladders and cycles given here make a plan built on another graph explode
        rows.append(store.run(query, params))
    assert rows[0] == rows[1]
    return rows


def test_a_task_is_fulfilled_through_a_cycle_back_to_the_units_own_document_on_both_stores(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The unit's own document x is what the assigning plan implements, and x -> z -> x: Cypher's
    ``(x)-[:IMPLEMENTS*1..20]->(b)`` reaches x itself, and the memory store dropped it."""
    rows = _on_both_stores(request, tmp_path, OWN_CYCLE, "obligations", {"institution": "u"})
    assert [r["fulfilled"] for r in rows[0] if r["kind"] == "task"] == [True]


# Unconnected documents around a small adversarial shape: on eight documents each implementing the other
# seven, Neo4j's cost model rightly estimates the walk from the start as vast (seven links per document,
# up to 19 hops) and a scan of the few documents as cheap, and plans a join of every document with the
# start plus a trail match between each pair (VarLengthExpand(Into)): minutes here. Among as many
# documents as a real graph's links are few per document, and the walk from the start is planned.
FILLERS = [f"  - {{id: f{i}, type: plan, issuer: x, title: filler}}" for i in range(3000)]


def _ladder(levels: int) -> str:
    """Two plans per level, each implementing both of the level above: 2^k paths to level k."""
    lines = ["source: t", "sources: [{id: t, title: t}]", "institutions:", "  - {id: x, name: X}",
             "  - {id: y, name: Y}", "documents:", "  - {id: a0, type: resolution, issuer: y, title: root}",
             "  - {id: z, type: resolution, issuer: y, title: other, assigns: [{to: x, task: t}]}",
             "  - {id: w, type: resolution, issuer: y, title: reached, assigns: [{to: x, task: t}]}"]
    for i in range(1, levels + 1):
        ups = "a0" if i == 1 else f"a{i - 1}, b{i - 1}"
        lines += [f"  - {{id: {side}{i}, type: plan, issuer: x, title: p, implements: [{ups}]}}" for side in "ab"]
    lines.append(f"  - {{id: c, type: plan, issuer: x, title: c, implements: [a{levels}, w]}}")
    return "\n".join(lines + FILLERS) + "\n"


def test_lineage_and_obligations_in_diamonds_of_plans(store: GraphStore, tmp_path: Path) -> None:
    """Depths are shortest paths however many paths there are: Neo4j walks breadth-first instead of
    enumerating the 2^k paths (seconds at 18 levels); both stores give the same depths."""
    path = tmp_path / "ladder.yaml"
    path.write_text(_ladder(8), encoding="utf-8")
    ingest_path(store, path)
    fresh_plans(store)
    row = store.run("lineage", {"document": "a0", "up": 0, "down": 20})[0]
    depths = {n[0]: n[LINEAGE_NODE.index("depth")] for n in row["nodes"]}
    assert depths == {"a0": 0, **{f"{s}{i}": i for i in range(1, 9) for s in "ab"}, "c": 9}
    assert len(row["edges"]) == 2 + 4 * 7 + 1 and row["truncated"] is False
    cut = store.run("lineage", {"document": "c", "up": 3, "down": 0})[0]
    assert {n[0] for n in cut["nodes"]} == {"c", "w", "a8", "a7", "b7", "a6", "b6"} and cut["truncated"] is True
    down = store.run("lineage_down", {"document": "a0", "depth": 4})
    assert [r["depth"] for r in down] == [1, 1] + [2] * 4 + [3] * 4 + [4] * 4
    tasks = {r["document"]: r["fulfilled"] for r in store.run("obligations", {"institution": "x"})}
    assert tasks == {"z": False, "w": True}  # c implements w; nothing x issued reaches z


def _coverage_ladder(levels: int) -> str:
    """A province's plans in a ladder of ``levels`` (two per level, each implementing both above it),
    a department's plan at the bottom, and the department reached from the province through a ladder
    of PART_OF too: 2^levels equally short chains and 2^levels routes up to the scope."""
    lines = ["source: t", "sources: [{id: t, title: t}]", "institutions:", "  - {id: tu, name: Tỉnh ủy}"]
    for i in range(1, levels + 1):
        ups = "tu" if i == 1 else f"ua{i - 1}, ub{i - 1}"
        lines += [f"  - {{id: u{side}{i}, name: Ban {side}{i}, part_of: [{ups}]}}" for side in "ab"]
    lines += [f"  - {{id: so, name: Sở, part_of: [ua{levels}, ub{levels}]}}", "documents:",
              "  - {id: r, code: 1-NQ/TU, issuer: tu, issued_on: 2020-01-01}"]
    for i in range(1, levels + 1):
        ups = "r" if i == 1 else f"a{i - 1}, b{i - 1}"
        lines += [f"  - {{id: {side}{i}, type: plan, issuer: tu, issued_on: 2020-02-01, title: p, implements: [{ups}]}}"
                  for side in "ab"]
    lines.append(f"  - {{id: p, type: plan, issuer: so, issued_on: 2020-03-01, title: p,"
                 f" implements: [b{levels}, a{levels}]}}")
    return "\n".join(lines) + "\n"


def test_coverage_chains_and_levels_in_ladders_on_both_stores(request: pytest.FixtureRequest,
                                                              tmp_path: Path) -> None:
    """The chain is taken a step at a time and the level is one shortest path: listing all 2^18 equally
    short chains (``allShortestPaths``) or every PART_OF route took seconds to minutes here."""
    rows = _on_both_stores(request, tmp_path, _coverage_ladder(18), "coverage",
                           {"document": "1-nq-tu.tu.2020", "scope": "tu", "as_of": "2021-01-01"})[0]
    by_unit = {r["institution"]: r for r in rows}
    assert by_unit["so"]["level"] == 19 and by_unit["so"]["status"] == "covered"
    assert by_unit["so"]["chain"] == ["p", *(f"a{i}" for i in range(18, 0, -1)), "1-nq-tu.tu.2020"]
    assert by_unit["tu"]["chain"] == ["a1", "1-nq-tu.tu.2020"] and by_unit["ub7"]["level"] == 7
    assert [by_unit[u]["status"] for u in ("ua3", "ub3")] == ["missing", "missing"]


def test_lineage_queries_answer_on_dense_cycles(store: GraphStore, tmp_path: Path) -> None:
    """Eight documents each implementing every other: listing every IMPLEMENTS|GUIDES trail of up to 20
    hops (as lineage_up still did) never finished. Every other document is one hop away."""
    docs = [f"d{i}" for i in range(8)]
    lines = ["source: t", "sources: [{id: t, title: t}]", "institutions:", "  - {id: x, name: X}", "documents:"]
    lines += [f"  - {{id: {d}, type: plan, issuer: x, title: {d}, implements: [{', '.join(o for o in docs if o != d)}]"
              + (", guides: [d0]" if d == "d7" else "") + "}" for d in docs] + FILLERS
    path = tmp_path / "dense.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_path(store, path)
    fresh_plans(store)  # what is tested is the query's own plan on this graph, not one cached on another
    up = store.run("lineage_up", {"document": "d0", "depth": 20})
    assert [(r["source"], r["depth"]) for r in up if r["source"] == "d0"] == [("d0", 1)] * 7
    assert {r["depth"] for r in up} == {1, 2} and len(up) == 7 + 7 * 7 + 1  # d7's GUIDES to d0 at depth 2
    down = store.run("lineage_down", {"document": "d0", "depth": 2})
    assert len(down) == 8 + 7 * 7  # into d0: 7 IMPLEMENTS and d7's GUIDES; then 7 into each of d1..d7
    view = store.run("lineage", {"document": "d0", "up": 20, "down": 20})[0]
    assert sorted(n[0] for n in view["nodes"]) == docs and view["truncated"] is False


def test_document_edges_return_claims_as_text_on_both_stores(request: pytest.FixtureRequest,
                                                               tmp_path: Path) -> None:
    """The memory store returned an edge's claims in its packed form (b'due\\t\\x01\\tsrc-...')."""
    text = ("source: t\nsources: [{id: t, title: t}]\ninstitutions:\n  - {id: i0, name: Ủy ban A}\n"
            "documents:\n  - {id: d0, type: plan, issuer: i0,\n"
            "     assigns: [{to: i0, task: Báo cáo, due: 2020-01-01, cadence: yearly}]}\n")
    rows = _on_both_stores(request, tmp_path, text, "document_edges", {"uid": "d0"})
    task = next(r for r in rows[0] if r["type"] == "ASSIGNS")
    assert task["properties"]["claims"] == ["due\t2020-01-01\tsrc-t", "cadence\tyearly\tsrc-t"]
