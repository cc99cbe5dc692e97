"""The store contract: the same assertions against memory and Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.codes import DocType
from graph.store import GraphStore, project
from ingest.files import IngestError
from ingest.loader import ingest_path
from tests.conftest import load_demo, make_store, refused

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
HD116 = "116-hd-btgtw.ban-tuyen-giao-trung-uong.2020"
KH15 = "15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"
PROGRAMME = "hcmc-programme-52"

DEMO_COUNTS = {
    "nodes": {"Document": 9, "Institution": 27, "Source": 4},
    "edges": {"ASSIGNS": 14, "GUIDES": 1, "IMPLEMENTS": 8, "ISSUED_BY": 9,
              "PART_OF": 24, "REPORTS_TO": 6, "SUPERSEDES": 1},
}


def _counts(store: GraphStore) -> dict[str, dict[str, int]]:
    stats = store.stats()
    return {"nodes": {k: v for k, v in stats.nodes.items()
                      if k in ("Document", "Institution", "Source")},
            "edges": stats.edges}


def test_demo_counts(demo_store: GraphStore) -> None:
    assert _counts(demo_store) == DEMO_COUNTS


def test_demo_chain_identity(demo_store: GraphStore) -> None:
    nodes = demo_store.get_nodes([NQ52, HD116, KH15])
    assert set(nodes) == {NQ52, HD116, KH15}
    nq = nodes[NQ52]
    assert nq["labels"] == ["Document", "Resolution"]
    assert (nq["code"], nq["issuer"], nq["issued_on"], nq["year"]) == \
        ("52-NQ/TW", "bo-chinh-tri", "2019-09-27", 2019)
    assert nodes[HD116]["issued_on"] == "2020-01-13"
    assert nodes[KH15]["issued_on"] == "2020-04-28"
    guides = demo_store.neighbours([HD116], "GUIDES", "out")
    assert [n.other for n in guides] == [NQ52]
    implements = {n.other for n in demo_store.neighbours([NQ52], "IMPLEMENTS", "in")}
    assert {KH15, "hcmc-btv-letter-52-2020", PROGRAMME} <= implements
    tasks = demo_store.neighbours([KH15], "ASSIGNS", "out")
    assert len(tasks) == 6


def test_get_edges_answers_exactly_the_ids_asked(demo_store: GraphStore) -> None:
    tasks = demo_store.neighbours([KH15], "ASSIGNS", "out")
    ids = [("ASSIGNS", KH15, t.other, t.edge.get("key", "")) for t in tasks]
    assert len(ids) > 1  # several edges from one start, each asked for
    missing = [("ASSIGNS", KH15, tasks[0].other, "no-such-key"),  # right pair, wrong key
               ("ASSIGNS", NQ52, tasks[0].other, ids[0][3]),  # another start
               ("IMPLEMENTS", KH15, HD116, "")]  # no such edge
    implements = ("IMPLEMENTS", KH15, NQ52, "")
    found = demo_store.get_edges([*ids, *missing, implements, ids[0]])  # a duplicate id too
    assert set(found) == {*ids, implements}
    for t in tasks:
        assert found[("ASSIGNS", KH15, t.other, t.edge.get("key", ""))] == t.edge
    assert demo_store.get_edges([]) == {}


def test_neighbours_lean_read_is_the_full_one_projected(demo_store: GraphStore) -> None:
    for uids, rel, direction in (([NQ52], "IMPLEMENTS", "in"), ([KH15], "ASSIGNS", "out"),
                                 (["thanh-uy-thanh-pho-ho-chi-minh"], "PART_OF", "in")):
        full = demo_store.neighbours(uids, rel, direction)
        lean = demo_store.neighbours(uids, rel, direction, fields=("status", "name", "due"))
        assert full, (rel, direction)
        assert [(n.uid, n.other, n.edge) for n in lean] == [(n.uid, n.other, n.edge) for n in full]
        assert [n.other_props for n in lean] == [project(n.other_props, ("status", "name", "due")) for n in full]


def test_label_sets_are_each_nodes_labels_in_the_order_asked(demo_store: GraphStore) -> None:
    uids = sorted(demo_store.node_ids(), reverse=True)
    assert demo_store.label_sets(uids) == [tuple(n["labels"]) for n in reversed(demo_store.dump_nodes())]
    resolution = ("Document", "Resolution")
    assert demo_store.label_sets([NQ52, "src-primer", NQ52]) == [resolution, ("Source",), resolution]
    assert demo_store.label_sets([]) == []


def test_conflicting_dates_are_kept_with_their_sources(demo_store: GraphStore) -> None:
    nq = demo_store.get_nodes([NQ52])[NQ52]
    assert nq["issued_on"] == "2019-09-27", "the wrong year must not be adopted"
    assert nq["conflicts"] == ["issued_on"]
    assert "issued_on\t2019-09-27\tsrc-primer" in nq["claims"]
    assert "issued_on\t2014-09-27\tsrc-press-2014" in nq["claims"]
    assert nq["sources"] == ["src-primer", "src-press-2014"]


def test_press_accounts_repeating_a_wrong_date_do_not_outvote_the_reference(
        demo_store: GraphStore, tmp_path: Path) -> None:
    """A second press account and a news text both give 2014: two sources and a text against the
    reference's one, and the reference's 2019 stands (SOURCE_STANDING), with every claim kept."""
    from ingest.text_loader import ingest_text

    press = tmp_path / "press-b.yaml"
    press.write_text("source: press-b\nsources: [{id: press-b, title: Another account, kind: press}]\n"
                     "documents:\n  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2014-09-27}\n",
                     encoding="utf-8")
    ingest_path(demo_store, press)
    ingest_text(demo_store, "Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2014 của Bộ Chính trị, Quận ủy "
                            "Quận 1 đã ban hành Kế hoạch số 30-KH/QU.", "news.txt")
    nq = demo_store.get_nodes([NQ52])[NQ52]
    assert nq["issued_on"] == "2019-09-27" and nq["conflicts"] == ["issued_on"]
    wrong = [c for c in nq["claims"] if c.startswith("issued_on\t2014-09-27\t")]
    assert len(wrong) == 3 and "issued_on\t2019-09-27\tsrc-primer" in nq["claims"]


def test_an_official_source_outranks_a_reference(store: GraphStore, tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("source: ref\nsources: [{id: ref, title: A reference, kind: reference}]\n"
                     "documents:\n  - {code: 7-NQ/TU, issuer: tu, issued_on: 2021-03-01}\n"
                     "institutions: [{id: tu, name: Tỉnh ủy}]\n", encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text("source: gazette\nsources: [{id: gazette, title: Công báo, kind: official}]\n"
                      "documents:\n  - {id: 7-nq-tu.tu.2021, code: 7-NQ/TU, issuer: tu, issued_on: 2021-03-02}\n",
                      encoding="utf-8")
    ingest_path(store, first)
    ingest_path(store, second)
    doc = store.get_nodes(["7-nq-tu.tu.2021"])["7-nq-tu.tu.2021"]
    assert doc["issued_on"] == "2021-03-02" and doc["conflicts"] == ["issued_on"]


def test_expected_document(demo_store: GraphStore) -> None:
    prog = demo_store.get_nodes([PROGRAMME])[PROGRAMME]
    assert prog["status"] == "expected"
    assert prog["owner"] == "ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh"
    assert (prog["due"], prog["deadline"]) == ("2020-06-30", "trong quý II năm 2020")


def test_ingest_is_idempotent(demo_store: GraphStore) -> None:
    before = demo_store.dump()
    load_demo(demo_store)
    assert demo_store.dump() == before


def test_broken_file_changes_nothing(demo_store: GraphStore, tmp_path: Path) -> None:
    before = demo_store.dump()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "institutions:\n"
        "  - id: quan-uy-quan-5\n"
        "    name: Quận ủy Quận 5\n"
        "documents:\n"
        "  - code: 07-KH/QU\n"
        "    issuer: quan-uy-quan-5\n"
        "    issued_on: 2020-05-01\n"
        "    implements: [52-NQ/TW]\n"
        "  - code: 08-KH/QU\n"
        "    issuer: quan-uy-quan-5\n"
        "    issued_on: 2020-13-45\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError) as err:
        ingest_path(demo_store, broken)
    assert "broken.yaml: line 9:" in str(err.value)
    assert "2020-13-45" in str(err.value)
    assert demo_store.dump() == before


@pytest.mark.parametrize(("text", "message"), [
    ("documents:\n  - uid: bo-chinh-tri\n    type: plan\n    title: X\n",
     "kind.yaml: line 2: uid 'bo-chinh-tri' is already an Institution in the graph: it cannot also be a Document"),
    ("institutions:\n  - id: 52-nq-tw.bo-chinh-tri.2019\n    name: X\n",
     "kind.yaml: line 2: uid '52-nq-tw.bo-chinh-tri.2019' is already a Document in the graph: it cannot also be "
     "an Institution"),
])
def test_a_uid_keeps_its_kind(demo_store: GraphStore, tmp_path: Path, text: str, message: str) -> None:
    """A record whose uid names a node of another kind is refused at its line; nothing is written."""
    assert message in refused(demo_store, tmp_path / "kind.yaml", text)


def test_a_uid_keeps_its_kind_within_a_file(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text("institutions:\n  - id: so-noi-vu\n    name: Sở Nội vụ\n"
                    "documents:\n  - uid: so-noi-vu\n    type: plan\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"both.yaml: line 5: uid 'so-noi-vu' is already an Institution at "
                                          r"line 2: it cannot also be a Document"):
        ingest_path(store, path)
    assert store.stats().total_nodes == 0


def test_numbers_in_text_fields_become_text(store: GraphStore, tmp_path: Path) -> None:
    """YAML types a bare 2020 as a number; in a text field it is the text, as a CSV cell would be."""
    path = tmp_path / "numbers.yaml"
    path.write_text("institutions:\n  - id: 1234\n    name: 1234\n    short_name: 5\n"
                    "documents:\n  - code: 99-NQ/TW\n    issuer: 1234\n    issued_on: 2020-01-01\n    title: 2020\n"
                    "    assigns:\n      - {to: 1234, task: 7, cadence: 5}\n", encoding="utf-8")
    ingest_path(store, path)
    inst = store.get_nodes(["1234"])["1234"]
    assert (inst["name"], inst["short_name"]) == ("1234", "5")
    doc = store.get_nodes(["99-nq-tw.1234.2020"])["99-nq-tw.1234.2020"]
    assert doc["title"] == "2020"
    [task] = [props for rel, _, _, props in store.dump()[1] if rel == "ASSIGNS"]
    assert (task["task"], task["cadence"]) == ("7", "5")


@pytest.mark.parametrize(("record", "message"), [
    ("institutions:\n  - id: a\n    name: [1, 2]\n", "line 2: 'name' must be text, not a list ([1, 2])"),
    ("institutions:\n  - id: a\n    name: A\n    kind: {x: 1}\n", "line 2: 'kind' must be text, not a mapping"),
    ("documents:\n  - code: 1-NQ/TW\n    title: yes\n", "line 2: 'title' must be text, not true/false (True)"),
    ("documents:\n  - code: 1-NQ/TW\n    assigns: [bo-chinh-tri]\n",
     "line 2: 'assigns[0]' must be a mapping, not str ('bo-chinh-tri')"),
    ("documents:\n  - code: 1-NQ/TW\n    implements: [[52-NQ/TW]]\n",
     "line 2: 'implements[0]' must be text, not a list"),
    ("sources:\n  - id: s\n    title: T\n    illustrative: [1]\n", "line 2: 'illustrative' must be true or false"),
])
def test_values_of_the_wrong_shape_are_refused(demo_store: GraphStore, tmp_path: Path, record: str,
                                               message: str) -> None:
    assert f"shape.yaml: {message}" in refused(demo_store, tmp_path / "shape.yaml", record)


def test_unknown_reference_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "refs.csv"
    path.write_text("code,issuer,issued_on,implements\n"
                    "01-KH/QU,quan-uy-khong-co,2020-01-01,\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"refs.csv: line 2: unknown institution"):
        ingest_path(store, path)
    assert store.stats().total_nodes == 0


def test_real_programme_fulfils_the_expected_one(demo_store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "programme.json"
    path.write_text(
        '{"documents": [{"code": "01-CTr/TU", "issuer": "thanh-uy-thanh-pho-ho-chi-minh",'
        ' "issued_on": "2020-07-10", "implements": ["52-NQ/TW"],'
        ' "title": "Chương trình hành động thực hiện Nghị quyết số 52-NQ/TW"}]}',
        encoding="utf-8",
    )
    ingest_path(demo_store, path)
    uid = "1-ctr-tu.thanh-uy-thanh-pho-ho-chi-minh.2020"
    assert demo_store.get_nodes([PROGRAMME])[PROGRAMME]["status"] == "fulfilled"
    fulfils = demo_store.neighbours([PROGRAMME], "FULFILS", "in")
    assert [n.other for n in fulfils] == [uid]
    assert demo_store.get_nodes([uid])[uid]["status"] == "issued"


def test_same_code_different_issuers_are_different_documents(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "institutions:\n"
        "  - name: Ban cán sự đảng Bộ Tài chính\n"
        "  - name: Ban cán sự đảng Bộ Y tế\n"
        "documents:\n"
        "  - {code: 15-KH/BCSĐ, issuer: Ban cán sự đảng Bộ Tài chính, issued_on: 2020-05-01}\n"
        "  - {code: 15 - KH/BCSĐ, issuer: Ban cán sự đảng Bộ Y tế, issued_on: 2020-06-01}\n",
        encoding="utf-8",
    )
    ingest_path(store, path)
    docs = store.documents_by_code_key(["15-kh-bcsd"])
    assert [d["uid"] for d in docs] == [
        "15-kh-bcsd.ban-can-su-dang-bo-tai-chinh.2020",
        "15-kh-bcsd.ban-can-su-dang-bo-y-te.2020",
    ]
    # identity resolution's read: only the asked issuer's documents of the code
    y_te = "ban-can-su-dang-bo-y-te"
    assert store.documents_by_code_issuer([("15-kh-bcsd", y_te)], fields=("code_key", "issuer", "year")) == [
        {"uid": "15-kh-bcsd.ban-can-su-dang-bo-y-te.2020", "labels": ["Document", "Plan"],
         "code_key": "15-kh-bcsd", "issuer": y_te, "year": 2020}]
    assert store.documents_by_code_issuer([("15-kh-bcsd", "bo-y-te"), ("16-kh-bcsd", y_te)]) == []
    assert store.documents_by_code_issuer([]) == []
    both = store.documents_by_code_issuer([("15-kh-bcsd", y_te), ("15-kh-bcsd", "ban-can-su-dang-bo-tai-chinh")])
    assert both == docs


def test_both_stores_hold_the_same_graph(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    memory = make_store("memory", request, tmp_path)
    neo = make_store("neo4j", request, tmp_path)
    load_demo(memory)
    load_demo(neo)
    assert memory.dump() == neo.dump()


def test_a_document_ingested_again_with_another_type_has_only_its_new_type_label(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The memory store replaced a re-typed document's labels while Neo4j only added the new one
    (Document:Plan:Programme), so labels and counts per label differed between the stores. A type no
    code fixes is a source's claim: the label follows the winning one (a source of higher standing
    re-types the document, a lower one is a conflict that leaves it as it is)."""
    memory = make_store("memory", request, tmp_path)
    neo = make_store("neo4j", request, tmp_path)
    uid = "ctr-so-noi-vu"
    for step, (doc_type, kind, winner) in enumerate((("plan", "press", "plan"), ("programme", "reference", "programme"),
                                                     ("plan", "press", "programme"),
                                                     ("official_letter", "official", "official_letter"))):
        path = tmp_path / f"{step}.yaml"
        path.write_text(f"source: s{step}\nsources: [{{id: s{step}, title: S, kind: {kind}}}]\n"
                        "institutions:\n  - {id: so-noi-vu, name: Sở Nội vụ}\ndocuments:\n"
                        f"  - {{id: {uid}, type: {doc_type}, issuer: so-noi-vu, title: Chương trình}}\n",
                        encoding="utf-8")
        for store in (memory, neo):
            ingest_path(store, path)
        label = DocType(winner).label
        doc_type = winner
        for store in (memory, neo):
            assert store.get_nodes([uid])[uid]["labels"] == ["Document", label], (store.kind, doc_type)
            assert store.label_sets([uid]) == [("Document", label)], (store.kind, doc_type)
            doc_labels = {k: v for k, v in store.stats().nodes.items() if k not in ("Institution", "Source")}
            assert doc_labels == {"Document": 1, label: 1}, (store.kind, doc_type)
        assert memory.stats() == neo.stats()
        assert memory.dump_nodes() == neo.dump_nodes()
