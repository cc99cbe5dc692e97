"""`kg ingest --text`: extracted facts land in both stores with provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph.store import GraphStore
from ingest.text_loader import ingest_text_path

TEXTS = Path(__file__).resolve().parent / "fixtures" / "texts"
NEWS_2019 = TEXTS / "01_hcmc_news_letter.txt"
NEWS_2014 = TEXTS / "02_hcmc_news_wrong_year.txt"
PLAN_15 = TEXTS / "03_bcsd_bct_15kh_preamble.txt"


def _source_uid(path: Path) -> str:
    from ingest.extract.clean import clean

    return "src-" + hashlib.sha256(clean(path.read_text(encoding="utf-8-sig")).encode()).hexdigest()[:16]


def test_two_texts_disagreeing_on_the_year_make_a_conflict(store: GraphStore) -> None:
    ingest_text_path(store, NEWS_2019)
    ingest_text_path(store, NEWS_2014)
    rows = store.run("conflicts", {})
    dates = {(r["subject"], r["value"]): r["sources"] for r in rows if r["field"] == "issued_on"}
    uid = "52-nq-tw.bo-chinh-tri.2019"
    assert dates == {(uid, "2019-09-27"): [_source_uid(NEWS_2019)], (uid, "2014-09-27"): [_source_uid(NEWS_2014)]}
    node = store.get_nodes([uid])[uid]
    assert node["issued_on"] == "2019-09-27"
    assert any(e.startswith(_source_uid(NEWS_2014) + "\t") and "2014" in e for e in node["evidence"])


def test_text_creates_the_expected_programme_with_owner_and_deadline(store: GraphStore) -> None:
    ingest_text_path(store, NEWS_2019)
    docs = store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None, "status": "expected",
                                   "uids": None, "after": None, "limit": 10})
    assert len(docs) == 1
    exp = docs[0]
    assert (exp["type"], exp["owner"], exp["due"]) == \
        ("programme", "ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh", "2020-06-30")
    source = store.get_nodes([_source_uid(NEWS_2019)])[_source_uid(NEWS_2019)]
    assert source["sha256"] and source["kind"] == "text"


def test_text_resolves_to_existing_documents_and_is_idempotent(demo_store: GraphStore) -> None:
    ingest_text_path(demo_store, PLAN_15)
    assert [d["uid"] for d in demo_store.documents_by_code_key(["15-kh-bcsd"])] == \
        ["15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"]
    before = demo_store.dump()
    ingest_text_path(demo_store, PLAN_15)
    assert demo_store.dump() == before


def test_news_text_on_top_of_demo_reuses_the_expected_programme(demo_store: GraphStore) -> None:
    ingest_text_path(demo_store, NEWS_2019)
    expected = demo_store.run("documents", {"words": None, "code_key": None, "type": None, "issuer": None,
                                            "status": "expected", "uids": None, "after": None, "limit": 10})
    assert [d["uid"] for d in expected] == ["hcmc-programme-52"]


def test_what_a_text_ingest_cannot_write_is_reported(store: GraphStore) -> None:
    """The HCMC letter has no number: its assignments were dropped without a word."""
    report = ingest_text_path(store, NEWS_2019)
    assert [n.split(":")[0] for n in report.skipped] == [
        "assignment of 'các cấp ủy, tổ chức đảng trực thuộc' by 'Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh'",
        "assignment of 'Ban cán sự đảng Ủy ban nhân dân Thành phố Hồ Chí Minh' by 'Ban Thường vụ Thành ủy Thành phố "
        "Hồ Chí Minh'",
        "assignment of 'các quận ủy, huyện ủy, đảng ủy trực thuộc Thành ủy' by 'Ban Thường vụ Thành ủy Thành phố Hồ "
        "Chí Minh'",
        "report of 'Ủy ban nhân dân các quận, huyện' to 'Ủy ban nhân dân Thành phố Hồ Chí Minh'",  # a group
        "expected 'kế hoạch thực hiện và kế hoạch kiểm tra, giám sát việc thực hiện Nghị quyết phù hợp với tình hình "
        "thực tế của địa phương, đơn vị'",
    ]


def test_text_files_in_utf16_are_read_and_bad_bytes_are_placed(tmp_path: Path) -> None:
    import pytest

    from ingest.files import IngestError
    from ingest.text_loader import read_text_file

    notepad = tmp_path / "unicode.txt"
    notepad.write_bytes("Kế hoạch số 33-KH/TU\n".encode("utf-16"))  # Notepad's "Unicode": UTF-16 with a BOM
    assert read_text_file(notepad) == "Kế hoạch số 33-KH/TU\n"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\nbad \xff line\n")
    with pytest.raises(IngestError, match=r"line 2: not UTF-8 text \(byte 0xff at offset 7\)"):
        read_text_file(bad)


def test_an_assignment_to_draft_a_plan_is_one_task_with_its_deliverable(demo_store: GraphStore, tmp_path: Path) -> None:
    """One 'giao ... xây dựng Kế hoạch ...' sentence made two ASSIGNS edges (one with the deliverable, one
    plain): the institution owed two tasks with the same due date."""
    from tests.test_extract import DISTRICT_PLAN

    path = tmp_path / "20-kh-qu.txt"
    path.write_text(DISTRICT_PLAN, encoding="utf-8")
    ingest_text_path(demo_store, path)
    ubnd = "uy-ban-nhan-dan-quan-3"
    tasks = [r for r in demo_store.run("obligations", {"institution": ubnd}) if r["kind"] == "task"]
    expected = "exp.plan.uy-ban-nhan-dan-quan-3.52-nq-tw"
    assert [(t["code"], t["task"], t["deadline"], t["due"], t["counterpart"]) for t in tasks] == [
        ("20-KH/QU", "xây dựng Kế hoạch thực hiện Nghị quyết số 52-NQ/TW trước ngày 30/9/2020",
         "trước ngày 30/9/2020", "2020-09-30", expected)]
    edges = [e for e in demo_store.dump_edges() if e[0] == "ASSIGNS" and e[2] == ubnd]
    assert len(edges) == 1
    before = demo_store.dump()
    ingest_text_path(demo_store, path)
    assert demo_store.dump() == before


def test_a_state_code_of_another_year_in_a_text_is_another_document(demo_store: GraphStore, tmp_path: Path) -> None:
    """State units number their documents anew each year: a text's 15/KH-UBND of 2021 is not the stored
    one of 2019 (it was merged into it, its date a conflicting claim), as the structured loader has it."""
    from ingest.loader import ingest_path

    plan = tmp_path / "plan.yaml"
    plan.write_text("documents:\n  - {code: 15/KH-UBND, issuer: uy-ban-nhan-dan-quan-1, issued_on: 2019-04-01}\n",
                    encoding="utf-8")
    ingest_path(demo_store, plan)
    text = tmp_path / "2021.txt"
    text.write_text("ỦY BAN NHÂN DÂN QUẬN 1\nSố: 15/KH-UBND\nQuận 1, ngày 5 tháng 3 năm 2021\nKẾ HOẠCH\n"
                    "Triển khai thực hiện Nghị quyết số 52-NQ/TW\n", encoding="utf-8")
    ingest_text_path(demo_store, text)
    found = {n["uid"]: n.get("issued_on") for n in demo_store.documents_by_code_key(["15-kh-ubnd"])}
    assert found == {"15-kh-ubnd.uy-ban-nhan-dan-quan-1.2019": "2019-04-01",
                     "15-kh-ubnd.uy-ban-nhan-dan-quan-1.2021": "2021-03-05"}


def test_an_issuer_the_code_implies_is_written_and_one_document_results(store: GraphStore,
                                                                        tmp_path: Path) -> None:
    """749/QĐ-TTg implies the Prime Minister; a text not naming him wrote '749-qd-ttg.unknown-issuer.2020'
    without ISSUED_BY, and a later text naming him made a second document (one, in the other order)."""
    head = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\nSố: 2236/KH-UBND\nBình Dương, ngày 12 tháng 8 năm 2020\nKẾ HOẠCH\n"
    quiet = tmp_path / "quiet.txt"
    quiet.write_text(head + "Triển khai thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020\n", encoding="utf-8")
    named = tmp_path / "named.txt"
    named.write_text(head.replace("2236", "2237") + "Triển khai thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 "
                     "của Thủ tướng Chính phủ\n", encoding="utf-8")
    ingest_text_path(store, quiet)
    ingest_text_path(store, named)
    found = {d["uid"]: d.get("issuer") for d in store.documents_by_code_key(["749-qd-ttg"])}
    assert found == {"749-qd-ttg.thu-tuong-chinh-phu.2020": "thu-tuong-chinh-phu"}


def test_a_task_or_report_of_a_group_is_said_to_be_skipped() -> None:
    """Fixture 03 assigns "các cơ quan, đơn vị thuộc Bộ" a task and has the group report: neither is one
    institution, so neither is written, and the report said nothing of them."""
    from graph.memory import MemoryStore

    report = ingest_text_path(MemoryStore(None), PLAN_15)
    assert any(s.startswith("assignment of 'các cơ quan, đơn vị thuộc Bộ' by '15-KH/BCSĐ': not written")
               for s in report.skipped), report.skipped
    assert any(s.startswith("report of 'các cơ quan, đơn vị thuộc Bộ' to ") for s in report.skipped), report.skipped
