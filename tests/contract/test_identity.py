"""Document identity on both stores: (code, issuer, year), as the domain primer defines it."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from ingest.loader import ingest_path
from tests.conftest import refused

UNITS = """source: units
sources: [{id: units, title: units}]
institutions:
  - {id: bo-chinh-tri, name: Bộ Chính trị}
  - {id: bcsd-a, name: Ban cán sự đảng A}
  - {id: bcsd-b, name: Ban cán sự đảng B}
  - {id: ubnd-a, name: UBND A}
"""


NQ52 = "documents:\n  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2019-09-27}\n"


def _ingest(store: GraphStore, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    ingest_path(store, path)


def _docs(store: GraphStore) -> list[str]:
    rows = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                                   "uids": None, "after": None, "limit": 100})
    return [r["uid"] for r in rows]


def test_a_code_two_issuers_share_is_ambiguous_within_a_file(store: GraphStore, tmp_path: Path) -> None:
    """It resolved to the first of them when both were in the file, and was refused across files."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    error = refused(store, tmp_path / "amb.yaml", """documents:
  - {code: 15-KH/BCSĐ, issuer: bcsd-a, issued_on: 2020-01-10}
  - {code: 15-KH/BCSĐ, issuer: bcsd-b, issued_on: 2020-02-10}
  - {code: 3-KH/VU, issuer: ubnd-a, issued_on: 2020-03-01, implements: [15-KH/BCSĐ]}
""")
    assert "line 4: document '15-KH/BCSĐ' is ambiguous" in error
    _ingest(store, tmp_path / "a.yaml", "documents:\n  - {code: 15-KH/BCSĐ, issuer: bcsd-a, issued_on: 2020-01-10}\n")
    error = refused(store, tmp_path / "b.yaml", """documents:
  - {code: 15-KH/BCSĐ, issuer: bcsd-b, issued_on: 2020-02-10}
  - {code: 3-KH/VU, issuer: ubnd-a, issued_on: 2020-03-01, implements: [15-KH/BCSĐ]}
""")  # one in the file, one in the store
    assert "line 3: document '15-KH/BCSĐ' is ambiguous" in error


def test_state_numbers_restart_every_year(store: GraphStore, tmp_path: Path) -> None:
    _ingest(store, tmp_path / "units.yaml", UNITS)
    _ingest(store, tmp_path / "y1.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2020-01-10}\n")
    _ingest(store, tmp_path / "y2.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2021-02-01}\n")
    assert _docs(store) == ["15-kh-ubnd.ubnd-a.2020", "15-kh-ubnd.ubnd-a.2021"]
    # a Party code is numbered through a term: a second year is a source misdating the same document
    _ingest(store, tmp_path / "p1.yaml", NQ52)
    _ingest(store, tmp_path / "p2.yaml", "source: press\nsources: [{id: press, title: press}]\n"
            "documents:\n  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2014-09-27}\n")
    assert [u for u in _docs(store) if u.startswith("52")] == ["52-nq-tw.bo-chinh-tri.2019"]
    assert store.get_nodes(["52-nq-tw.bo-chinh-tri.2019"])["52-nq-tw.bo-chinh-tri.2019"]["conflicts"] == ["issued_on"]


def test_a_record_without_a_year_is_the_one_document_of_its_code_and_issuer(store: GraphStore,
                                                                          tmp_path: Path) -> None:
    """With the issuer's documents of two years stored, a yearless record made a third, '15-kh-ubnd.ubnd-a'
    (without an issuer the same record was refused as ambiguous)."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    _ingest(store, tmp_path / "y1.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2019-01-10}\n")
    _ingest(store, tmp_path / "once.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, title: Kế hoạch}\n")
    assert _docs(store) == ["15-kh-ubnd.ubnd-a.2019"]  # one of the code and issuer: it is that one
    _ingest(store, tmp_path / "y2.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2020-02-01}\n")
    expected = ("line 2: code '15/KH-UBND' of 'ubnd-a' without a year matches 2 documents "
                "(['15-kh-ubnd.ubnd-a.2019', '15-kh-ubnd.ubnd-a.2020']): give its 'issued_on'")
    for issuer in ("ubnd-a", "UBND A"):
        assert expected in refused(store, tmp_path / "which.yaml",
                                   f"documents:\n  - {{code: 15/KH-UBND, issuer: {issuer}, title: Kế hoạch}}\n")
    assert "line 2: code '15/KH-UBND' without an issuer matches 2 documents" in \
        refused(store, tmp_path / "which.yaml", "documents:\n  - {code: 15/KH-UBND, title: Kế hoạch}\n")
    assert _docs(store) == ["15-kh-ubnd.ubnd-a.2019", "15-kh-ubnd.ubnd-a.2020"]


def test_a_yearless_record_among_its_years_in_one_file_is_ambiguous(store: GraphStore, tmp_path: Path) -> None:
    _ingest(store, tmp_path / "units.yaml", UNITS)
    error = refused(store, tmp_path / "file.yaml", """documents:
  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2019-01-10}
  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2020-02-01}
  - {code: 15/KH-UBND, issuer: ubnd-a, title: Kế hoạch}
""")
    assert "file.yaml: line 4: code '15/KH-UBND' of 'ubnd-a' without a year matches 2 documents" in error


def test_a_record_without_an_issuer_is_the_one_document_of_its_code(store: GraphStore, tmp_path: Path) -> None:
    """It made a '.unknown-issuer.' twin, after which every reference by code was ambiguous."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    _ingest(store, tmp_path / "nq.yaml", NQ52)
    _ingest(store, tmp_path / "press.yaml", "source: press\nsources: [{id: press, title: press}]\n"
            "documents:\n  - {code: 52-NQ/TW, issued_on: 2014-09-27}\n")
    assert _docs(store) == ["52-nq-tw.bo-chinh-tri.2019"]
    assert store.get_nodes(["52-nq-tw.bo-chinh-tri.2019"])["52-nq-tw.bo-chinh-tri.2019"]["conflicts"] == ["issued_on"]
    _ingest(store, tmp_path / "plan.yaml", "documents:\n"
            "  - {code: 15-KH/BCSĐ, issuer: bcsd-a, issued_on: 2020-01-10, implements: [52-NQ/TW]}\n")
    assert "15-kh-bcsd.bcsd-a.2020" in _docs(store)
    _ingest(store, tmp_path / "b.yaml", "documents:\n  - {code: 15-KH/BCSĐ, issuer: bcsd-b, issued_on: 2020-02-10}\n")
    error = refused(store, tmp_path / "which.yaml", "documents:\n  - {code: 15-KH/BCSĐ, issued_on: 2020-03-01}\n")
    assert "line 2: code '15-KH/BCSĐ' without an issuer matches 2 documents" in error


def test_a_new_document_needs_an_issuer(store: GraphStore, tmp_path: Path) -> None:
    """A record without an issuer whose code the graph did not hold became '<code>.unknown-issuer.<year>',
    a document of nobody that no audit finds and that later made its code ambiguous."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    error = refused(store, tmp_path / "new.yaml", "documents:\n  - {code: 52-NQ/TW, issued_on: 2019-09-27}\n")
    assert "new.yaml: line 2: code '52-NQ/TW' without an issuer is not a known document: a new document needs " \
           "its 'issuer'" in error
    _ingest(store, tmp_path / "y1.yaml", "documents:\n  - {code: 15/KH-UBND, issuer: ubnd-a, issued_on: 2019-01-10}\n")
    error = refused(store, tmp_path / "y2.yaml", "documents:\n  - {code: 15/KH-UBND, issued_on: 2020-02-01}\n")
    assert "y2.yaml: line 2: code '15/KH-UBND' without an issuer, of 2020, is none of the code's documents " \
           "(['15-kh-ubnd.ubnd-a.2019']): a new document needs its 'issuer'" in error
    # an issuer the file names but nobody knows is that one problem, not also a missing issuer
    error = refused(store, tmp_path / "who.yaml", "documents:\n  - {code: 9-KH/QU, issuer: nobody}\n")
    assert error.endswith("who.yaml: line 2: unknown institution 'nobody': declare it under 'institutions'")
    # a mention may come before the record that declares the document, in the same file
    _ingest(store, tmp_path / "order.yaml", "documents:\n  - {code: 52-NQ/TW, issued_on: 2014-09-27}\n"
            "  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2019-09-27}\n")
    assert [u for u in _docs(store) if u.startswith("52")] == ["52-nq-tw.bo-chinh-tri.2019"]
    assert store.get_nodes(["52-nq-tw.bo-chinh-tri.2019"])["52-nq-tw.bo-chinh-tri.2019"]["conflicts"] == ["issued_on"]


FULFIL_BASE = UNITS + """documents:
  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2019-09-27}
"""
FULFIL_EXP = """documents:
  - {id: exp-a, type: programme, status: expected, issuer: bcsd-a, owner: bcsd-a, deadline: trong quý II năm 2020,
     implements: [52-NQ/TW]}
"""
FULFIL_REAL = """documents:
  - {code: 26-CTr/BCSĐ, issuer: bcsd-a, issued_on: 2020-05-01, implements: [52-NQ/TW]}
"""


def test_fulfilment_does_not_depend_on_ingest_order(store: GraphStore, tmp_path: Path) -> None:
    """An expectation ingested after its real document stayed expected (the audit said overdue)."""
    _ingest(store, tmp_path / "base.yaml", FULFIL_BASE)
    _ingest(store, tmp_path / "real.yaml", FULFIL_REAL)
    _ingest(store, tmp_path / "exp.yaml", FULFIL_EXP)
    assert store.get_nodes(["exp-a"])["exp-a"]["status"] == "fulfilled"
    edges = store.neighbours(["exp-a"], "FULFILS", "in")
    assert [n.other for n in edges] == ["26-ctr-bcsd.bcsd-a.2020"]
    before = store.dump()
    _ingest(store, tmp_path / "real.yaml", FULFIL_REAL)  # the same file twice: the same graph
    _ingest(store, tmp_path / "exp.yaml", FULFIL_EXP)
    assert [n for n in store.dump()[0] if n.get("labels", [None])[0] != "Source"] == \
        [n for n in before[0] if n.get("labels", [None])[0] != "Source"]
    assert store.dump()[1] == before[1]


def test_a_joint_document_is_listed_under_each_issuer(store: GraphStore, tmp_path: Path) -> None:
    """?issuer= read the issuer property (the first declared) while the row showed the least-uid issuer."""
    _ingest(store, tmp_path / "joint.yaml", """source: j
sources: [{id: j, title: joint}]
institutions:
  - {id: zz-ubnd, name: UBND ZZ}
  - {id: aa-mttq, name: MTTQ AA}
documents:
  - {code: 7/KH-ZZ, type: plan, issuer: zz-ubnd, issued_on: 2020-03-01}
relations:
  - {type: ISSUED_BY, from: 7/KH-ZZ, to: aa-mttq}
""")
    def listed(issuer: str, **more: object) -> list[tuple[str, str]]:
        rows = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": issuer,
                                       "status": None, "uids": None, "after": None, "limit": 10} | more)
        return [(r["uid"], r["issuer"]) for r in rows]

    joint = [("7-kh-zz.zz-ubnd.2020", "aa-mttq")]
    assert listed("zz-ubnd") == listed("aa-mttq") == joint
    assert listed("aa-mttq", type="plan") == listed("aa-mttq", words=["ubnd"]) == joint
    assert listed("aa-mttq", type="resolution") == listed("no-such-body") == []


def test_an_issuer_added_by_a_later_file_is_shown_when_least(store: GraphStore, tmp_path: Path) -> None:
    """The issuer shown (documents, lineage) is the least uid of a document's ISSUED_BY ends, also when
    a later file adds one to a stored document without rewriting it (graph.schema's shown_issuer)."""
    _ingest(store, tmp_path / "base.yaml", """source: j
sources: [{id: j, title: joint}]
institutions:
  - {id: mm-ubnd, name: UBND MM}
  - {id: aa-mttq, name: MTTQ AA}
  - {id: zz-hoi, name: Hội ZZ}
documents:
  - {code: 52-NQ/TW, type: resolution, issuer: mm-ubnd, issued_on: 2019-09-27}
  - {code: 7/KH-MM, type: plan, issuer: mm-ubnd, issued_on: 2020-03-01, implements: [52-NQ/TW]}
""")
    plan = "7-kh-mm.mm-ubnd.2020"

    def shown() -> tuple[str | None, str | None, str | None]:
        row = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": None,
                                      "uids": [plan], "after": None, "limit": 10})[0]
        view = store.run("lineage", {"document": "52-nq-tw.mm-ubnd.2019", "up": 0, "down": 2})[0]
        return row["issuer"], row["issuer_name"], {n[0]: n[6] for n in view["nodes"]}[plan]

    assert shown() == ("mm-ubnd", "UBND MM", "mm-ubnd")
    before = store.get_nodes([plan])[plan]
    _ingest(store, tmp_path / "zz.yaml", "relations:\n  - {type: ISSUED_BY, from: 7/KH-MM, to: zz-hoi}\n")
    assert shown() == ("mm-ubnd", "UBND MM", "mm-ubnd")  # a greater uid: the shown issuer stays
    _ingest(store, tmp_path / "aa.yaml", "relations:\n  - {type: ISSUED_BY, from: 7/KH-MM, to: aa-mttq}\n")
    assert shown() == ("aa-mttq", "MTTQ AA", "aa-mttq")
    node = store.get_nodes([plan])[plan]
    assert (node["issuer"], node["shown_issuer"]) == ("mm-ubnd", "aa-mttq")  # the declared issuer stays
    assert {**node, "shown_issuer": None} == {**before, "shown_issuer": None}  # nothing else changed
    assert sorted(n.other for n in store.neighbours([plan], "ISSUED_BY", "out")) == ["aa-mttq", "mm-ubnd", "zz-hoi"]


SUCCESSION = """source: s
sources: [{id: s, title: succession}]
institutions:
  - {id: bo-chinh-tri, name: Bộ Chính trị}
  - {id: tu, name: Tỉnh ủy X}
  - {id: hu-old, name: Huyện ủy Cũ, part_of: tu, valid_to: 2025-06-30}
  - {id: du-new, name: Đảng ủy xã Mới, part_of: tu, valid_from: 2025-07-01, supersedes: [hu-old]}
  - {id: du-other, name: Đảng ủy xã Khác, part_of: tu, valid_from: 2025-07-01}
documents:
  - {code: 52-NQ/TW, issuer: bo-chinh-tri, issued_on: 2019-09-27}
  - {code: 10-KH/HU, issuer: hu-old, issued_on: 2020-03-01, implements: [52-NQ/TW]}
"""


def test_todays_body_answers_for_the_one_it_superseded(store: GraphStore, tmp_path: Path) -> None:
    """An audit today must map 2020 bodies to today's (domain primer): the successor was 'missing'."""
    _ingest(store, tmp_path / "succession.yaml", SUCCESSION)

    def audit(as_of: str) -> dict[str, tuple[str, list[str]]]:
        rows = store.run("coverage", {"document": "52-nq-tw.bo-chinh-tri.2019", "scope": "tu", "as_of": as_of})
        return {r["institution"]: (r["status"], r["documents"]) for r in rows}

    assert audit("2020-12-31") == {"tu": ("missing", []), "hu-old": ("covered", ["10-kh-hu.hu-old.2020"])}
    assert audit("2026-01-01") == {"tu": ("missing", []), "du-new": ("covered", ["10-kh-hu.hu-old.2020"]),
                                   "du-other": ("missing", [])}


def test_another_issuer_for_a_document_by_uid_is_a_conflict_not_an_overwrite(store: GraphStore,
                                                                             tmp_path: Path) -> None:
    """A document declared by uid has no issuer in its identity, so two sources can disagree on it.
    The later one replaced the issuer silently; now the first claim stays and both are listed."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    doc = "documents:\n  - {{id: kh-x, type: plan, issuer: {issuer}, issued_on: 2020-01-10}}\n"
    _ingest(store, tmp_path / "a.yaml", "source: a\nsources: [{id: a, title: A}]\n" + doc.format(issuer="ubnd-a"))
    _ingest(store, tmp_path / "a.yaml", "source: a\nsources: [{id: a, title: A}]\n" + doc.format(issuer="ubnd-a"))
    assert not store.get_nodes(["kh-x"])["kh-x"].get("conflicts")  # the same claim again is no conflict
    _ingest(store, tmp_path / "b.yaml", "source: b\nsources: [{id: b, title: B}]\n" + doc.format(issuer="bcsd-b"))
    node = store.get_nodes(["kh-x"])["kh-x"]
    assert node["issuer"] == "ubnd-a" and node["conflicts"] == ["issuer"]
    rows = [(r["field"], r["value"], r["sources"]) for r in store.run("conflicts", {}) if r["subject"] == "kh-x"]
    assert rows == [("issuer", "ubnd-a", ["src-a"]), ("issuer", "bcsd-b", ["src-b"])]
    # each source's ISSUED_BY stays, as every edge does, with its source
    edges = {n.other: n.edge["sources"] for n in store.neighbours(["kh-x"], "ISSUED_BY", "out")}
    assert edges == {"ubnd-a": ["src-a"], "bcsd-b": ["src-b"]}


HEAD = "source: p\nsources: [{id: p, title: provinces}]\n"
PROVINCES = HEAD + """institutions:
  - {id: tinh-uy-a, name: Tỉnh ủy A}
  - {id: tinh-uy-b, name: Tỉnh ủy B}
"""


def test_bodies_of_one_name_in_two_provinces_need_ids(store: GraphStore, tmp_path: Path) -> None:
    """A body without an id is named by its name's slug; two communes of one name in two provinces
    became one body, part of both provinces."""
    _ingest(store, tmp_path / "provinces.yaml", PROVINCES)
    error = refused(store, tmp_path / "two.yaml", HEAD + """institutions:
  - {name: Đảng ủy xã Tân Bình, part_of: tinh-uy-a}
  - {name: Đảng ủy xã Tân Bình, part_of: Tỉnh ủy B}
""")
    assert "two.yaml: line 5" in error and "at line 4" in error and "'dang-uy-xa-tan-binh'" in error
    assert "give each an 'id'" in error
    one = HEAD + "institutions:\n  - {name: Đảng ủy xã Tân Bình, part_of: tinh-uy-a}\n"
    _ingest(store, tmp_path / "one.yaml", one)
    _ingest(store, tmp_path / "one.yaml", one)  # the same body again, and named once more without a parent
    _ingest(store, tmp_path / "bare.yaml", HEAD + "institutions:\n  - {name: Đảng ủy xã Tân Bình}\n")
    error = refused(store, tmp_path / "other.yaml",
                    HEAD + "institutions:\n  - {name: Đảng ủy xã Tân Bình, part_of: tinh-uy-b}\n")
    assert "other.yaml: line 4" in error and "of a stored one part of ['tinh-uy-a']" in error
    _ingest(store, tmp_path / "ids.yaml", HEAD + """institutions:
  - {id: dang-uy-xa-tan-binh-b, name: Đảng ủy xã Tân Bình, part_of: tinh-uy-b}
""")
    parents = {(n.uid, n.other) for n in store.neighbours(["dang-uy-xa-tan-binh", "dang-uy-xa-tan-binh-b"],
                                                         "PART_OF", "out")}
    assert parents == {("dang-uy-xa-tan-binh", "tinh-uy-a"), ("dang-uy-xa-tan-binh-b", "tinh-uy-b")}


def test_a_type_no_code_fixes_and_a_task_cadence_go_by_standing_not_by_the_last_file(store: GraphStore,
                                                                                       tmp_path: Path) -> None:
    """An official letter's code (1906/VPCP-KGVX) says nothing of its type, and a task's cadence is a
    source's word: a press file read after the official one re-typed the document (and its label)
    and re-timed the task silently. Both are claims now: the official source's values stand, the
    press ones are listed beside them. A type the code fixes stays a plain property (no claim)."""
    _ingest(store, tmp_path / "units.yaml", UNITS)
    doc = ("documents:\n  - {{code: 1906/VPCP-KGVX, type: {type}, issuer: ubnd-a, issued_on: 2020-05-06,\n"
           "     assigns: [{{to: bcsd-b, task: Báo cáo, cadence: {cadence}}}]}}\n"
           "  - {{code: 7/KH-UBND, issuer: ubnd-a, issued_on: 2020-05-06}}\n")
    _ingest(store, tmp_path / "official.yaml", "source: o\nsources: [{id: o, title: O, kind: official}]\n"
            + doc.format(type="notice", cadence="yearly"))
    _ingest(store, tmp_path / "press.yaml", "source: p\nsources: [{id: p, title: P, kind: press}]\n"
            + doc.format(type="official_letter", cadence="monthly"))
    uid = "1906-vpcp-kgvx.ubnd-a.2020"
    node = store.get_nodes([uid])[uid]
    assert (node["type"], node["labels"], node["conflicts"]) == ("notice", ["Document", "Notice"], ["type"])
    tasks = [r for r in store.run("obligations", {"institution": "bcsd-b"}) if r["kind"] == "task"]
    assert [(r["document"], r["cadence"]) for r in tasks] == [(uid, "yearly")]
    rows = [(r["field"], r["value"], r["sources"]) for r in store.run("conflicts", {}) if r["subject"].startswith(uid)]
    assert sorted(rows) == [("cadence", "monthly", ["src-p"]), ("cadence", "yearly", ["src-o"]),
                            ("type", "notice", ["src-o"]), ("type", "official_letter", ["src-p"])]
    plan = store.get_nodes(["7-kh-ubnd.ubnd-a.2020"])["7-kh-ubnd.ubnd-a.2020"]
    assert plan["type"] == "plan" and not any(c.startswith("type\t") for c in plan.get("claims") or [])
