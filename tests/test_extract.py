"""Exact-output tests of the rule-based extractor over the text fixtures."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from graph.codes import DocType
from ingest.extract import RelationType, extract_text

FIXTURES = Path(__file__).parent / "fixtures" / "texts"
TEXTS = sorted(FIXTURES.glob("*.txt"))


def _run(name: str):
    path = FIXTURES / name
    return extract_text(path.read_text(encoding="utf-8"), path.name)


def test_there_are_enough_fixtures() -> None:
    assert len(TEXTS) >= 8
    for text in TEXTS:
        assert text.with_name(text.stem + ".expected.json").exists(), text.name


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_fixture_output_is_exact(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    got = extract_text(path.read_text(encoding="utf-8"), path.name).to_json()
    assert got == expected


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_evidence_spans_point_into_the_nfc_text(path: Path) -> None:
    result = extract_text(path.read_text(encoding="utf-8"), path.name)
    assert result.text == unicodedata.normalize("NFC", result.text)
    evidences = [d.evidence for d in result.documents] + [r.evidence for r in result.relations]
    evidences += [b.evidence for b in result.bodies] + [e.evidence for e in result.expected]
    for ev in evidences:
        assert result.text[ev.start : ev.end] == ev.text
    for doc in result.documents:
        for start, end in doc.spans:
            assert result.text[start:end] in doc.surfaces


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_output_is_deterministic_and_has_no_duplicates(path: Path) -> None:
    first = extract_text(path.read_text(encoding="utf-8"), path.name).to_json()
    second = extract_text(path.read_text(encoding="utf-8"), path.name).to_json()
    assert first == second
    rels = [(r["type"], r["source"], r["target"]) for r in first["relations"]]
    assert len(rels) == len(set(rels))
    assert len(first["bodies"]) == len(set(first["bodies"]))
    codes = [d["code"] for d in first["documents"]]
    assert len(codes) == len(set(codes))


def test_every_body_endpoint_is_listed_in_bodies() -> None:
    for path in TEXTS:
        out = extract_text(path.read_text(encoding="utf-8"), path.name).to_json()
        codes = {d["code"] for d in out["documents"]}
        for rel in out["relations"]:
            for end in (rel["source"], rel["target"]):
                assert end in codes or end in out["bodies"], (path.name, end)


def test_expected_programme_from_the_hcmc_letter() -> None:
    result = _run("01_hcmc_news_letter.txt")
    programme = next(e for e in result.expected if e.type is DocType.PROGRAMME)
    assert programme.title == "Chương trình hành động của Thành ủy thực hiện Nghị quyết 52-NQ/TW"
    assert programme.issuer == "Thành ủy Thành phố Hồ Chí Minh"
    assert programme.owner == "Ban cán sự đảng Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert programme.drafter == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert programme.implements == "52-NQ/TW"
    assert not programme.implements_inferred
    assert programme.deadline is not None
    assert programme.deadline.text == "trong quý II năm 2020"
    assert programme.deadline.due == date(2020, 6, 30)
    assert programme.assigned_by == "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh"
    # The expected document has no code: it is not a document of the JSON.
    assert all(d["type"] != "programme" for d in result.to_json()["documents"])


def test_group_plans_are_expected_documents_too() -> None:
    result = _run("01_hcmc_news_letter.txt")
    plan = next(e for e in result.expected if e.type is DocType.PLAN)
    assert plan.owner == "các quận ủy, huyện ủy, đảng ủy trực thuộc Thành ủy"
    assert plan.implements == "52-NQ/TW" and plan.implements_inferred


def test_preamble_own_document() -> None:
    result = _run("03_bcsd_bct_15kh_preamble.txt")
    assert result.subject == "15-KH/BCSĐ"
    own = result.document("15-KH/BCSĐ")
    assert own is not None and own.is_subject
    assert own.issuer == "Ban cán sự đảng Bộ Công Thương"
    assert own.date == date(2020, 4, 28)
    group = next(b for b in result.bodies if b.kind == "group")
    assert group.name == "các cơ quan, đơn vị thuộc Bộ"
    assert group.parent == "Bộ Công Thương"


def test_wrong_year_is_kept_as_claimed() -> None:
    result = _run("02_hcmc_news_wrong_year.txt")
    doc = result.document("52-NQ/TW")
    assert doc is not None and doc.date == date(2014, 9, 27)


def test_conflicting_dates_in_one_text_keep_the_first_and_record_the_other() -> None:
    text = (
        "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị rất quan trọng. "
        "Một số bài viết ghi Nghị quyết số 52-NQ/TW ngày 27/9/2014."
    )
    result = extract_text(text)
    doc = result.document("52-NQ/TW")
    assert doc is not None and doc.date == date(2019, 9, 27)
    assert [(c.field, c.value) for c in doc.conflicts] == [("date", "2014-09-27")]
    assert result.conflicts[0][0] == "52-NQ/TW"


def test_nfd_input_gives_the_same_result_as_nfc() -> None:
    raw = (FIXTURES / "06_nfd_news_bct_plan.txt").read_text(encoding="utf-8")
    assert raw != unicodedata.normalize("NFC", raw)
    nfd = extract_text(raw, "x").to_json()
    nfc = extract_text(unicodedata.normalize("NFC", raw), "x").to_json()
    assert nfd == nfc


@pytest.mark.parametrize(
    ("mention", "code"),
    [
        ("Nghị quyết số 52-NQ/TW", "52-NQ/TW"),
        ("Nghị quyết số 52 - NQ/TW", "52-NQ/TW"),
        ("Nghị quyết 52–NQ/TW", "52-NQ/TW"),
        ("NQ 52/NQ-TW", "52-NQ/TW"),
        ("Kế hoạch số 71- KH/BTGTU", "71-KH/BTGTU"),
        ("Quyết định số 749/QĐ-TTg", "749/QĐ-TTg"),
        ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Công văn số 1906/VPCP-KGVX", "1906/VPCP-KGVX"),
        ("Nghị quyết số 52", "52"),
    ],
)
def test_codes_in_text(mention: str, code: str) -> None:
    out = extract_text(f"Các đơn vị nghiên cứu {mention}.").to_json()
    assert [d["code"] for d in out["documents"]] == [code]


def test_number_only_reference_merges_with_the_full_code() -> None:
    out = extract_text("Thực hiện Nghị quyết số 52-NQ/TW. Nghị quyết 52 rất quan trọng.").to_json()
    assert [d["code"] for d in out["documents"]] == ["52-NQ/TW"]


def test_type_from_noun_when_the_code_has_none() -> None:
    out = extract_text("Tờ trình số 12-TTr/BTGTW về việc này.").to_json()
    assert out["documents"][0]["type"] == "other"


def test_state_issuer_implied_by_code_but_not_for_ambiguous_party_codes() -> None:
    out = extract_text("Theo Quyết định số 749/QĐ-TTg và Nghị quyết số 52-NQ/TW.").to_json()
    issuers = {d["code"]: d["issuer"] for d in out["documents"]}
    assert issuers == {"749/QĐ-TTg": "Thủ tướng Chính phủ", "52-NQ/TW": None}


def test_can_cu_is_cites_not_implements() -> None:
    result = _run("05_district_q3_plan.txt")
    pairs = {(r.type, r.target) for r in result.relations if r.source == "45-KH/QU"}
    assert (RelationType.CITES, "116-HD/BTGTW") in pairs
    assert (RelationType.IMPLEMENTS, "116-HD/BTGTW") not in pairs


def test_can_cu_carries_over_a_semicolon_to_a_clause_that_opens_with_a_reference() -> None:
    out = extract_text(
        "KẾ HOẠCH số 45-KH/QU\nCăn cứ Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị; "
        "Hướng dẫn số 116-HD/BTGTW ngày 20/4/2020 của Ban Tuyên giáo Trung ương; "
        "Quận ủy Quận 3 ban hành Kế hoạch số 45-KH/QU thực hiện Nghị quyết số 52-NQ/TW.").to_json()
    cites = {r["target"] for r in out["relations"] if r["type"] == "cites" and r["source"] == "45-KH/QU"}
    assert cites == {"52-NQ/TW", "116-HD/BTGTW"}


def test_unresolvable_body_is_not_invented() -> None:
    out = extract_text(
        "UBND các quận, huyện định kỳ hằng năm đánh giá kết quả, báo cáo UBND Thành phố."
    ).to_json()
    assert out["relations"] == []
    assert out["bodies"] == []


def test_news_issued_document_is_the_source() -> None:
    out = extract_text(
        "Ban cán sự đảng Bộ Công Thương đã ban hành Kế hoạch số 15-KH/BCSĐ ngày 28/4/2020 "
        "thực hiện Nghị quyết 52-NQ/TW."
    ).to_json()
    assert out["documents"][0] == {
        "code": "15-KH/BCSĐ",
        "type": "plan",
        "issuer": "Ban cán sự đảng Bộ Công Thương",
        "date": "2020-04-28",
    }
    assert out["relations"] == [
        {"type": "implements", "source": "15-KH/BCSĐ", "target": "52-NQ/TW", "deadline": None}
    ]


def test_sentence_splitting_respects_abbreviations() -> None:
    from ingest.extract.sentences import split_sentences

    text = "1. Thành ủy TP. HCM và UBND Q.1 thực hiện số 52-NQ/TW. Tiếp theo\n- Gạch đầu dòng"
    assert [s.text for s in split_sentences(text)] == [
        "1. Thành ủy TP. HCM và UBND Q.1 thực hiện số 52-NQ/TW.",
        "Tiếp theo",
        "- Gạch đầu dòng",
    ]


def test_two_tasks_for_one_unit_are_two_assignments() -> None:
    """They were deduplicated by (source, target): the second task and its deadline were lost."""
    text = ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 45/KH-UBND\nĐồng Nai, ngày 12 tháng 8 năm 2020\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Quyết định số 749/QĐ-TTg\n\n"
            "1. Giao Sở Thông tin và Truyền thông xây dựng Kế hoạch chuyển đổi số, hoàn thành trước ngày 30/9/2020.\n"
            "2. Giao Sở Thông tin và Truyền thông xây dựng Đề án đô thị thông minh, "
            "hoàn thành trong quý II năm 2021.\n")
    assigns = [r for r in extract_text(text).relations if r.type.value == "assigns"]
    assert [(r.target, r.deadline.text if r.deadline else None) for r in assigns] == [
        ("Sở Thông tin và Truyền thông tỉnh Đồng Nai", "trước ngày 30/9/2020"),
        ("Sở Thông tin và Truyền thông tỉnh Đồng Nai", "trong quý II năm 2021"),
    ]


def test_the_central_committee_spelt_tu_with_diacritics() -> None:
    text = ("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TƯ ngày 27/9/2019 "
            "của Bộ Chính trị.")
    implements = [r for r in extract_text(text).relations if r.type.value == "implements"]
    assert [(r.source, r.target) for r in implements] == [("30-KH/TU", "52-NQ/TW")]


TWO_COLUMNS = ("ỦY BAN NHÂN DÂN        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
               "TỈNH ĐỒNG NAI          Độc lập - Tự do - Hạnh phúc\n"
               "Số: 45/KH-UBND         Đồng Nai, ngày 12 tháng 8 năm 2020\n\nKẾ HOẠCH\n"
               "Triển khai thực hiện Quyết định số 749/QĐ-TTg\n"
               "1. Giao Sở Thông tin và Truyền thông chủ trì thực hiện, hoàn thành trước ngày 30/9/2020.\n")


@pytest.mark.parametrize("text", [TWO_COLUMNS, TWO_COLUMNS.replace("\n", "\r\n")])
def test_a_two_column_header_keeps_its_issuer(text: str) -> None:
    """The header's mottos share their lines with the issuer when a PDF is copied: the lines were skipped."""
    ex = extract_text(text)
    own = ex.documents[0]
    assert (own.code, own.issuer, own.date) == ("45/KH-UBND", "Ủy ban nhân dân tỉnh Đồng Nai", date(2020, 8, 12))
    assert "\r" not in ex.text


PLAIN = ("Tỉnh ủy Long An ban hành Kế hoạch số 33-KH/TU thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 "
         "của Bộ Chính trị.")


@pytest.mark.parametrize("text", [
    PLAIN.replace("thực hiện", "thực  hiện"),  # a double space (justified text)
    PLAIN.replace(" ", "\u00a0"),  # no-break spaces (Word, web pages)
    PLAIN.replace("ban hành", "ban\thành"),
    PLAIN.replace("52-NQ", "52\u00ad-NQ").replace("Chính", "Chí\u00adnh"),  # soft hyphens (PDF)
    PLAIN.replace("Kế hoạch", "Kế\u200b hoạch"),  # a zero-width space
])
def test_spacing_and_invisible_characters_do_not_hide_facts(text: str) -> None:
    def facts(t: str) -> tuple[object, ...]:
        ex = extract_text(t)
        return (tuple((d.code, d.issuer, d.date) for d in ex.documents),
                tuple((r.type, r.source, r.target) for r in ex.relations))

    assert facts(text) == facts(PLAIN)
    assert facts(PLAIN)[1] == ((RelationType.IMPLEMENTS, "33-KH/TU", "52-NQ/TW"),)


def test_a_letter_without_a_title_line_has_a_body() -> None:
    """With no title line the header zone was the first 12 lines: a short letter's body was skipped."""
    text = ("VĂN PHÒNG CHÍNH PHỦ\nSố: 1906/VPCP-KGVX\nV/v triển khai Nghị quyết số 52-NQ/TW\n"
            "Hà Nội, ngày 20 tháng 3 năm 2020\nKính gửi: Bộ Thông tin và Truyền thông.\n"
            "Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, Văn phòng Chính phủ giao Bộ Thông "
            "tin và Truyền thông xây dựng Đề án chuyển đổi số, trình trong tháng 4 năm 2020.\n")
    ex = extract_text(text)
    assert [(r.type, r.source, r.target) for r in ex.relations] == [
        (RelationType.IMPLEMENTS, "1906/VPCP-KGVX", "52-NQ/TW"),
        (RelationType.ASSIGNS, "1906/VPCP-KGVX", "Bộ Thông tin và Truyền thông")]
    assert [(e.title, e.owner) for e in ex.expected] == [("Đề án chuyển đổi số", "Bộ Thông tin và Truyền thông")]


def test_a_politburo_resolution_under_the_central_committee_header() -> None:
    """The umbrella header names the Central Committee; the title's "CỦA BỘ CHÍNH TRỊ" names the issuer."""
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 52-NQ/TW\nHà Nội, ngày 27 tháng 9 năm 2019\n\nNGHỊ QUYẾT\n"
            "CỦA BỘ CHÍNH TRỊ\nvề một số chủ trương, chính sách chủ động tham gia cuộc Cách mạng công nghiệp lần "
            "thứ tư\n\nNội dung.\n\nT/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\n")
    own = extract_text(text).documents[0]
    assert (own.code, own.issuer, own.date) == ("52-NQ/TW", "Bộ Chính trị", date(2019, 9, 27))


def test_a_department_under_its_peoples_committee_is_the_issuer() -> None:
    """'SỞ ...' folds to 'so ...' and was skipped as a 'Số' line; the committee was read as the issuer."""
    text = ("UBND TỈNH ĐỒNG NAI\nSỞ CÔNG THƯƠNG\nSố: 812/KH-SCT\nĐồng Nai, ngày 12 tháng 8 năm 2020\n\nKẾ HOẠCH\n"
            "Thực hiện Quyết định số 749/QĐ-TTg\n")
    own = extract_text(text).documents[0]
    assert (own.code, own.issuer) == ("812/KH-SCT", "Sở Công Thương tỉnh Đồng Nai")


@pytest.mark.parametrize("text", [
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của\n"
    "Bộ Chính trị, giao\nSở Công Thương hoàn thành trong quý\nIII năm 2020.\n",
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-\nNQ/TW ngày 27/9/2019 của "
    "Bộ Chính trị, giao Sở Công Thương hoàn thành trong quý\n- 3 -\nIII năm 2020.\n",
])
def test_lines_broken_mid_phrase_by_a_pdf_copy(text: str) -> None:
    """A line ending in 'của', 'giao', 'quý' or '-' went on as a new sentence when the next began upper-case."""
    ex = extract_text(text)
    assert [(d.code, d.issuer) for d in ex.documents] == [("30-KH/TU", "Tỉnh ủy Long An"), ("52-NQ/TW", "Bộ Chính trị")]
    assert [(r.type, r.target, r.deadline.due if r.deadline else None) for r in ex.relations] == [
        (RelationType.IMPLEMENTS, "52-NQ/TW", None),
        (RelationType.ASSIGNS, "Sở Công Thương tỉnh Long An", date(2020, 9, 30))]


def test_a_news_lead_date_is_not_the_issue_date_of_a_dated_or_later_reference() -> None:
    """'Ngày 15/5/2020, ...' was claimed as the issue date too: a false conflict, or a wrong date."""
    dated = extract_text("Ngày 15/5/2020, tại hội nghị sơ kết, Tỉnh ủy Long An cho biết đã ban hành Kế hoạch số "
                         "31-KH/TU ngày 20/3/2020 thực hiện Nghị quyết số 52-NQ/TW.").document("31-KH/TU")
    assert dated is not None and (dated.date, dated.conflicts) == (date(2020, 3, 20), ())
    later = extract_text("Ngày 15/5/2020, Ban Tuyên giáo Tỉnh ủy Long An tổ chức hội nghị; trước đó Tỉnh ủy Long An "
                         "đã ban hành Kế hoạch số 32-KH/TU thực hiện Nghị quyết số 52-NQ/TW.").document("32-KH/TU")
    assert later is not None and later.date is None
    lead = extract_text("Ngày 27/9/2019, Bộ Chính trị ban hành Nghị quyết số 52-NQ/TW về chuyển đổi số.")
    assert lead.documents[0].date == date(2019, 9, 27)


def test_one_issuer_closes_a_list_of_references() -> None:
    """Only the last code of "các Nghị quyết số A ... và số B ... của Bộ Chính trị" had the issuer."""
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện các Nghị quyết số 52-NQ/TW ngày "
                      "27/9/2019 và số 55-NQ/TW ngày 11/02/2020 của Bộ Chính trị.")
    assert [(d.code, d.issuer) for d in ex.documents] == [
        ("30-KH/TU", "Tỉnh ủy Long An"), ("52-NQ/TW", "Bộ Chính trị"), ("55-NQ/TW", "Bộ Chính trị")]
    other = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 31-KH/TU thực hiện Nghị quyết số 52-NQ/TW và "
                         "Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ.")  # a noun of its own: not shared
    assert other.document("52-NQ/TW").issuer != "Thủ tướng Chính phủ"  # type: ignore[union-attr]


def test_directing_a_plan_without_naming_its_drafter_still_expects_it() -> None:
    """'giao X chỉ đạo xây dựng Kế hoạch ...' made no expected document when no drafter was named."""
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU, giao Ban cán sự đảng UBND tỉnh Long An chỉ đạo "
                      "xây dựng Kế hoạch thực hiện Nghị quyết số 52-NQ/TW, hoàn thành trong quý III năm 2020.")
    assert [(e.owner, e.drafter, e.implements, e.deadline.due if e.deadline else None) for e in ex.expected] == [
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh Long An", None, "52-NQ/TW", date(2020, 9, 30))]


def test_a_deadline_in_the_clause_after_the_task() -> None:
    """'giao Sở Tài chính bố trí kinh phí; hoàn thành trong quý IV năm 2020' lost its deadline at the ';'."""
    text = ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 45/KH-UBND\nĐồng Nai, ngày 12 tháng 8 năm 2020\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Quyết định số 749/QĐ-TTg\n\n3. Giao Sở Tài chính bố trí kinh phí; hoàn thành "
            "trong quý IV năm 2020.\n4. Giao Sở Nội vụ rà soát; Sở Tài chính phối hợp.\n")
    assigns = {r.target: r.deadline for r in extract_text(text).relations if r.type == RelationType.ASSIGNS}
    assert assigns["Sở Tài chính tỉnh Đồng Nai"] is not None
    assert assigns["Sở Tài chính tỉnh Đồng Nai"].due == date(2020, 12, 31)
    assert assigns["Sở Nội vụ tỉnh Đồng Nai"] is None  # the next clause says who helps, not when


DISTRICT_PLAN = (
    "THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH\nQUẬN ỦY QUẬN 3\nSố 20-KH/QU\nQuận 3, ngày 10 tháng 7 năm 2020\n\n"
    "KẾ HOẠCH\nthực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2014 của Bộ Chính trị\n\n"
    "Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2014 của Bộ Chính trị, Quận ủy Quận 3 ban hành kế hoạch này.\n"
    "Ban Thường vụ Quận ủy giao Ủy ban nhân dân Quận 3 xây dựng Kế hoạch thực hiện Nghị quyết số 52-NQ/TW "
    "trước ngày 30/9/2020.\n"
    "Ủy ban nhân dân Quận 3 báo cáo Ủy ban nhân dân Thành phố Hồ Chí Minh 6 tháng một lần.\n"
)


def test_an_assignment_to_draft_a_document_is_one_relation_linked_to_its_expected_document() -> None:
    """'giao X xây dựng Kế hoạch ...' is one task: the expected plan names the assignment it comes from (the
    ingest wrote a second, plain ASSIGNS edge beside the one with the deliverable)."""
    ex = extract_text(DISTRICT_PLAN)
    assigns = [r for r in ex.relations if r.type == RelationType.ASSIGNS]
    assert [(r.source, r.target, r.deadline.due if r.deadline else None) for r in assigns] == [
        ("20-KH/QU", "Ủy ban nhân dân Quận 3", date(2020, 9, 30))]
    assert [r for r in ex.to_json()["relations"] if r["type"] == "assigns"] == [
        {"type": "assigns", "source": "20-KH/QU", "target": "Ủy ban nhân dân Quận 3",
         "deadline": "trước ngày 30/9/2020"}]
    (plan,) = ex.expected
    assert (plan.assigned_by, plan.owner, plan.task) == (assigns[0].source, assigns[0].target, assigns[0].task)
    assert plan.task == "xây dựng Kế hoạch thực hiện Nghị quyết số 52-NQ/TW trước ngày 30/9/2020"


def _docs(text: str) -> dict[str, tuple[str | None, str | None]]:
    return {d.code: (d.issuer, d.date.isoformat() if d.date else None) for d in extract_text(text).documents}


def test_an_upper_case_title_naming_the_resolution_s_issuer_does_not_issue_the_plan() -> None:
    """"THỰC HIỆN NGHỊ QUYẾT ... CỦA BỘ CHÍNH TRỊ" made the Politburo the plan's issuer: a title names
    its own issuer only under the Central Committee's umbrella header."""
    text = ("BAN CÁN SỰ ĐẢNG\nBỘ CÔNG THƯƠNG\nSố 15-KH/BCSĐ\nHà Nội, ngày 28 tháng 4 năm 2020\nKẾ HOẠCH\n"
            "THỰC HIỆN NGHỊ QUYẾT SỐ 52-NQ/TW CỦA BỘ CHÍNH TRỊ\n")
    assert _docs(text)["15-KH/BCSĐ"] == ("Ban cán sự đảng Bộ Công Thương", "2020-04-28")


def test_a_wrapped_line_of_prose_starting_with_so_is_not_the_header_number_line() -> None:
    """A lower-case "số 52-NQ/TW" opening a wrapped line made the cited resolution the text's own."""
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết\n"
                      "số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị.\n")
    assert {d.code: d.issuer for d in ex.documents} == {"30-KH/TU": "Tỉnh ủy Long An", "52-NQ/TW": "Bộ Chính trị"}
    assert [(r.type, r.source, r.target) for r in ex.relations] == [(RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW")]


def test_header_evidence_after_leading_blank_lines_points_into_the_text() -> None:
    ex = extract_text("\n\nSố 15-KH/BCSĐ\nHà Nội, ngày 28 tháng 4 năm 2020\nKẾ HOẠCH\n")
    claims = [c for d in ex.documents for c in d.claims]
    assert claims and all(ex.text[c.evidence.start:c.evidence.end] == c.evidence.text for c in claims)


def test_an_explicit_deadline_wins_over_the_period_a_task_is_about() -> None:
    """"tổng hợp kết quả quý I/2021, hoàn thành trước ngày 10/4/2021" was due at the quarter's end."""
    head = ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 45/KH-UBND\nĐồng Nai, ngày 12 tháng 8 năm 2020\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Quyết định số 749/QĐ-TTg\n\n")
    task = extract_text(head + "1. Giao Sở Nội vụ tổng hợp kết quả quý I/2021, hoàn thành trước ngày 10/4/2021.\n")
    tasks = [r for r in task.relations if r.type == RelationType.ASSIGNS and r.deadline]
    assert [(r.deadline.text, r.deadline.due) for r in tasks] == [("trước ngày 10/4/2021", date(2021, 4, 10))]
    report = extract_text(head + "2. Sở Nội vụ báo cáo kết quả 6 tháng đầu năm 2021 về Ủy ban nhân dân tỉnh "
                                 "trước ngày 15/6/2021.\n")
    assert [r.deadline.due for r in report.relations if r.type == RelationType.REPORTS_TO and r.deadline] == \
        [date(2021, 6, 15)]
    alone = extract_text(head + "3. Giao Sở Nội vụ tổng kết trong quý II/2021.\n")  # a led period stays the deadline
    assert [r.deadline.due for r in alone.relations if r.type == RelationType.ASSIGNS and r.deadline] == \
        [date(2021, 6, 30)]


def test_eth_from_old_encodings_reads_as_vietnamese_d() -> None:
    """Text converted from TCVN3/VNI writes Đ as Ð (U+00D0): "749/QÐ-TTg" was no code at all."""
    ex = extract_text("Thực hiện Quyết định số 749/QÐ-TTg ngày 3/6/2020 của Thủ tướng Chính phủ, Ủy ban nhân dân "
                      "tỉnh Long An ban hành Kế hoạch số 45/KH-UBND.")
    assert [(r.type, r.source, r.target) for r in ex.relations] == \
        [(RelationType.IMPLEMENTS, "45/KH-UBND", "749/QĐ-TTg")]
    assert "Ð" not in ex.text


def test_an_upper_case_title_holding_a_mixed_case_code_is_a_title() -> None:
    """"KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 749/QĐ-TTg" was no title (TTg is not upper case): no IMPLEMENTS."""
    ex = extract_text("ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\nSố: 2236/KH-UBND\nBình Dương, ngày 12 tháng 8 năm 2020\n"
                      "KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 749/QĐ-TTg NGÀY 03/6/2020\n")
    assert [(r.type, r.source, r.target) for r in ex.relations] == \
        [(RelationType.IMPLEMENTS, "2236/KH-UBND", "749/QĐ-TTg")]


@pytest.mark.parametrize("broken", ["52-NQ/\nTW", "52\n-NQ/TW", "52-NQ\n/TW", "52-\nNQ/TW"])
def test_a_code_broken_across_lines_keeps_its_relation_and_metadata(broken: str) -> None:
    """Only a break after the first dash was joined: at any other the sentence ended inside the code."""
    ex = extract_text(f"Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số {broken} ngày "
                      "27/9/2019 của Bộ Chính trị.")
    assert {d.code: (d.issuer, d.date) for d in ex.documents}["52-NQ/TW"] == ("Bộ Chính trị", date(2019, 9, 27))
    assert [(r.type, r.source, r.target) for r in ex.relations] == [(RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW")]


def test_a_tab_between_header_cells_separates_columns() -> None:
    """Copied from a Word table, the header's two cells are one tab apart: the tab became one space, the
    issuer's line merged with the motto's and the issuer was lost."""
    text = ("BAN CÁN SỰ ĐẢNG\tĐẢNG CỘNG SẢN VIỆT NAM\nBỘ CÔNG THƯƠNG\tHà Nội, ngày 28 tháng 4 năm 2020\n*\n"
            "Số 15-KH/BCSĐ\n\nKẾ HOẠCH\nthực hiện Nghị quyết số 52-NQ/TW của Bộ Chính trị\n")
    assert _docs(text)["15-KH/BCSĐ"] == ("Ban cán sự đảng Bộ Công Thương", "2020-04-28")
    body = extract_text("Tỉnh ủy Long An ban hành\tKế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW.")
    assert "\t" not in body.text and "ban hành Kế hoạch" in body.text  # in running text a tab is a space


def test_a_comma_date_after_a_reference_dates_it_only_with_its_issuer() -> None:
    """"Thực hiện Nghị quyết số 52-NQ/TW, ngày 15/3/2020, Tỉnh ủy ... ban hành ..." dates the main clause:
    it gave 52-NQ/TW a false issue date (a conflicting claim on the stored resolution)."""
    clause = _docs("Thực hiện Nghị quyết số 52-NQ/TW, ngày 15/3/2020, Tỉnh ủy Long An đã ban hành Kế hoạch số "
                   "30-KH/TU.")
    assert clause["52-NQ/TW"] == (None, None)
    own = _docs("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW, ngày 27/9/2019 "
                "của Bộ Chính trị.")
    assert own["52-NQ/TW"] == ("Bộ Chính trị", "2019-09-27")
    bracket = _docs("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW (ngày "
                    "27/9/2019).")
    assert bracket["52-NQ/TW"] == (None, "2019-09-27")


NEWS_WITH_SUBHEADING = (
    "Tỉnh Long An đẩy mạnh chuyển đổi số\n\n"
    "Ngày 10/3/2024, Ủy ban nhân dân tỉnh Long An tổ chức hội nghị về chuyển đổi số. Tỉnh ủy Long An ban hành "
    "Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW của Bộ Chính trị.\n\n"
    "KẾ HOẠCH TRIỂN KHAI TRONG NĂM 2024\n\n"
    "Theo đó, Tỉnh ủy Long An giao Sở Thông tin và Truyền thông tỉnh Long An xây dựng đề án, hoàn thành trong "
    "quý II năm 2024.\n"
)


def test_an_upper_case_subheading_after_the_lead_is_no_title_line() -> None:
    """A subheading "KẾ HOẠCH ..." after a news lead was the title line: the lead became a header, its
    sentences were skipped (no IMPLEMENTS) and the Politburo it names was the issuer of the assignment."""
    from ingest.extract.clean import clean
    from ingest.extract.header import parse_header, title_line_index
    from ingest.gazetteer import Gazetteer

    assert title_line_index(NEWS_WITH_SUBHEADING.split("\n")) is None
    assert parse_header(clean(NEWS_WITH_SUBHEADING), Gazetteer.default()) is None
    ex = extract_text(NEWS_WITH_SUBHEADING)
    assert [(r.type, r.source, r.target) for r in ex.relations] == [
        (RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW"),
        (RelationType.ASSIGNS, "Tỉnh ủy Long An", "Sở Thông tin và Truyền thông tỉnh Long An")]
    assert not any(d.is_subject for d in ex.documents)



_TU_30 = "Ban Thường vụ Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU"
_UB_31 = "Ủy ban nhân dân tỉnh Long An ban hành Kế hoạch số 31/KH-UBND"
_IMPL_30 = (RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW")
_TASK = "giao Sở Nội vụ tỉnh Long An rà soát"


@pytest.mark.parametrize(("text", "expected"), [
    (f"{_TU_30} thực hiện Nghị quyết số 52-NQ/TW và {_UB_31}, qua đó triển khai Chỉ thị số 16/CT-TTg.",
     [_IMPL_30, (RelationType.IMPLEMENTS, "31/KH-UBND", "16/CT-TTg")]),
    (f"Thực hiện Nghị quyết số 52-NQ/TW, {_TU_30}; thực hiện Chỉ thị số 16/CT-TTg, {_UB_31}.",
     [_IMPL_30, (RelationType.IMPLEMENTS, "31/KH-UBND", "16/CT-TTg")]),
    (f"{_TU_30} thực hiện Nghị quyết số 52-NQ/TW; {_UB_31}, {_TASK}.",
     [_IMPL_30, (RelationType.ASSIGNS, "31/KH-UBND", "Sở Nội vụ tỉnh Long An")]),
    (f"{_TU_30} thực hiện Nghị quyết số 52-NQ/TW và {_UB_31}, {_TASK}.",
     [_IMPL_30, (RelationType.ASSIGNS, "31/KH-UBND", "Sở Nội vụ tỉnh Long An")]),
    (f"{_TU_30}, {_TASK}; {_UB_31}.",  # the later document does not take the earlier task
     [(RelationType.ASSIGNS, "30-KH/TU", "Sở Nội vụ tỉnh Long An")]),
])
def test_two_documents_issued_in_one_sentence_each_source_their_own_clause(text: str, expected: list) -> None:
    """The first document issued in a sentence was the source of every cue in it: the later clause's
    relations ("... và UBND tỉnh ban hành Kế hoạch số 31/KH-UBND, giao ...") went to the first plan."""
    assert [(r.type, r.source, r.target) for r in extract_text(text).relations] == expected


@pytest.mark.parametrize("text", [
    "Kế hoạch số 30-KH/TU và Kế hoạch số 31-KH/TU thực hiện Nghị quyết số 52-NQ/TW.",
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU, Kế hoạch số 31-KH/TU nhằm cụ thể hóa Nghị quyết số 52-NQ/TW.",
])
def test_coordinated_subjects_both_implement(text: str) -> None:
    """Only the reference right before the cue was its source: "A và B thực hiện C" gave B alone."""
    assert [(r.type, r.source, r.target) for r in extract_text(text).relations] == [
        (RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW"), (RelationType.IMPLEMENTS, "31-KH/TU", "52-NQ/TW")]


def test_a_target_before_and_is_no_coordinated_subject() -> None:
    """"X thực hiện A và Y thực hiện B": A is X's target, not a second subject of the cue after Y."""
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kế hoạch số "
                      "31-KH/TU thực hiện Chỉ thị số 16/CT-TTg.")
    pairs = {(r.type, r.source, r.target) for r in ex.relations}
    assert (RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW") in pairs
    assert (RelationType.IMPLEMENTS, "31-KH/TU", "16/CT-TTg") in pairs
    assert (RelationType.IMPLEMENTS, "52-NQ/TW", "16/CT-TTg") not in pairs


def test_lower_case_codes_after_a_document_noun_are_references() -> None:
    """"kế hoạch số 30-kh/tu", "nghị quyết 52-nq/tw": a code needed capitals and these were lost."""
    ex = extract_text("Tỉnh ủy Long An ban hành kế hoạch số 30-kh/tu thực hiện nghị quyết 52-nq/tw của Bộ Chính trị.")
    assert [(d.code, d.issuer, d.surfaces) for d in ex.documents] == [
        ("30-KH/TU", "Tỉnh ủy Long An", ("kế hoạch số 30-kh/tu",)),
        ("52-NQ/TW", "Bộ Chính trị", ("nghị quyết 52-nq/tw",))]
    assert [(r.type, r.source, r.target) for r in ex.relations] == [(RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW")]
    state = extract_text("Ủy ban nhân dân tỉnh Long An ban hành Kế hoạch số 31/kh-ubnd triển khai Quyết định số "
                         "749/qđ-ttg.")
    assert [(r.source, r.target) for r in state.relations] == [("31/KH-UBND", "749/QĐ-TTg")]


@pytest.mark.parametrize("text", [
    "Trong đại dịch covid-19, ngày 15-12-2020 các đơn vị gửi 30-kh/tu.",  # no noun before the code
    "Các đơn vị báo cáo 30-kh/tu.",  # "báo cáo" is a verb too: it names a document only with "số"
    "Kế hoạch số 5-ngày/tuần được áp dụng.",  # no document type
    "Kế hoạch 3/ca-kip được áp dụng.",  # in lower case, no official letter of an issuer "CA"
])
def test_lower_case_tokens_without_a_document_noun_are_no_codes(text: str) -> None:
    assert extract_text(text).documents == ()


@pytest.mark.parametrize(("text", "deadline"), [
    ("Định kỳ hằng quý, Sở Nội vụ tỉnh Long An báo cáo Ủy ban nhân dân tỉnh Long An.", ("Định kỳ hằng quý", None)),
    ("2. Hằng năm Sở Nội vụ tỉnh Long An báo cáo Ủy ban nhân dân tỉnh Long An.", ("Hằng năm", None)),
    ("Trước ngày 15/12/2020, Sở Nội vụ tỉnh Long An báo cáo Ủy ban nhân dân tỉnh Long An.",
     ("Trước ngày 15/12/2020", date(2020, 12, 15))),
    ("Sở Nội vụ tỉnh Long An định kỳ hằng quý báo cáo Ủy ban nhân dân tỉnh Long An.", ("định kỳ hằng quý", None)),
])
def test_a_cadence_opening_the_clause_is_the_reporting_cadence(text: str, deadline: tuple) -> None:
    """"Định kỳ hằng quý, Sở Nội vụ báo cáo ...": the cadence before the reporter was not read."""
    (rel,) = extract_text(text).relations
    assert (rel.type, rel.source, rel.target) == \
        (RelationType.REPORTS_TO, "Sở Nội vụ tỉnh Long An", "Ủy ban nhân dân tỉnh Long An")
    assert rel.deadline is not None and (rel.deadline.text, rel.deadline.due) == deadline


def test_a_bare_period_opening_the_clause_is_no_reporting_deadline() -> None:
    """"Quý II/2020, ..." opening a sentence says when something happened: only a cadence or a deadline a
    preposition leads is read before the reporter."""
    (rel,) = extract_text("Quý II/2020, Sở Nội vụ tỉnh Long An báo cáo Ủy ban nhân dân tỉnh Long An.").relations
    assert rel.type == RelationType.REPORTS_TO and rel.deadline is None


@pytest.mark.parametrize("text", [
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kế hoạch số 31-KH/TU "
    "thực hiện Chỉ thị số 05-CT/TW.",
    "Ban Thường vụ Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW, Kế hoạch số "
    "31-KH/TU nhằm triển khai Chỉ thị số 05-CT/TW.",
    "Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kế hoạch số 31-KH/TU thực hiện Chỉ thị số 05-CT/TW.",
])
def test_a_reference_heading_its_own_cue_is_no_target_of_the_previous_one(text: str) -> None:
    """"X thực hiện A và Y thực hiện B": Y was taken as X's second target (30-KH/TU implemented 31-KH/TU)."""
    assert [(r.type, r.source, r.target) for r in extract_text(text).relations] == [
        (RelationType.IMPLEMENTS, "30-KH/TU", "52-NQ/TW"), (RelationType.IMPLEMENTS, "31-KH/TU", "05-CT/TW")]


def test_a_reference_heading_its_own_cue_stays_a_target_of_a_cue_opening_the_clause() -> None:
    """"Thực hiện A và Y thực hiện A, B ban hành X": Y is what X implements, as is a document a topic describes
    ("Kết luận số 14-KL/TW về tiếp tục thực hiện ...")."""
    ex = extract_text("Thực hiện Nghị quyết số 52-NQ/TW và Kế hoạch số 30-KH/TU của Tỉnh ủy Long An thực hiện Nghị "
                      "quyết số 52-NQ/TW, Ủy ban nhân dân tỉnh Long An ban hành Kế hoạch số 31/KH-UBND.")
    assert {(r.source, r.target) for r in ex.relations} == {
        ("31/KH-UBND", "52-NQ/TW"), ("31/KH-UBND", "30-KH/TU"), ("30-KH/TU", "52-NQ/TW")}
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kết luận số "
                      "14-KL/TW về tiếp tục thực hiện Chỉ thị số 05-CT/TW.")
    assert {(r.source, r.target) for r in ex.relations} == {
        ("30-KH/TU", "52-NQ/TW"), ("30-KH/TU", "14-KL/TW"), ("14-KL/TW", "05-CT/TW")}


def test_references_coordinated_after_an_issue_verb_are_all_issued() -> None:
    """"Tỉnh ủy ban hành Kế hoạch số 30-KH/TU và Kế hoạch số 31-KH/TU": only 30 was issued by the agent."""
    ex = extract_text("Ngày 10/3/2020, Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU, Kế hoạch số 31-KH/TU và Chỉ "
                      "thị số 05-CT/TU thực hiện Nghị quyết số 52-NQ/TW.")
    assert [(d.code, d.issuer, d.date) for d in ex.documents] == [
        ("30-KH/TU", "Tỉnh ủy Long An", date(2020, 3, 10)), ("31-KH/TU", "Tỉnh ủy Long An", date(2020, 3, 10)),
        ("05-CT/TU", "Tỉnh ủy Long An", date(2020, 3, 10)), ("52-NQ/TW", None, None)]
    assert {(r.source, r.target) for r in ex.relations} == {
        ("30-KH/TU", "52-NQ/TW"), ("31-KH/TU", "52-NQ/TW"), ("05-CT/TU", "52-NQ/TW")}
    assert ex.subject == "30-KH/TU"  # the list's head stays the sentence's document


def test_a_coordinated_reference_with_its_own_issuer_keeps_it() -> None:
    ex = extract_text("Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU và Hướng dẫn số 116-HD/BTGTW của Ban Tuyên giáo "
                      "Trung ương.")
    assert [(d.code, d.issuer, d.conflicts) for d in ex.documents] == [
        ("30-KH/TU", "Tỉnh ủy Long An", ()), ("116-HD/BTGTW", "Ban Tuyên giáo Trung ương", ())]


@pytest.mark.parametrize("text", [
    "Ban Thường vụ Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kế hoạch số "
    "31-KH/TU thực hiện Chỉ thị số 05-CT/TW.",
    "Ban Thường vụ Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW, Kế hoạch số "
    "31-KH/TU nhằm triển khai Chỉ thị số 05-CT/TW.",
])
def test_a_document_in_parallel_with_an_issued_one_is_issued_by_its_agent(text: str) -> None:
    """"A ban hành X thực hiện N và Y thực hiện M": Y, heading its own cue, is A's too (it had no issuer)."""
    ex = extract_text(text)
    assert [(d.code, d.issuer) for d in ex.documents] == [
        ("30-KH/TU", "Ban Thường vụ Tỉnh ủy Long An"), ("52-NQ/TW", None),
        ("31-KH/TU", "Ban Thường vụ Tỉnh ủy Long An"), ("05-CT/TW", None)]


@pytest.mark.parametrize("text", [
    # a target coordinated with another, without a cue of its own: no document of the agent
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Chỉ thị số 05-CT/TW.",
    # a topic ("về tiếp tục thực hiện") describes a target: the conclusion is the Politburo's
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW và Kết luận số 14-KL/TW về "
    "tiếp tục thực hiện Chỉ thị số 05-CT/TW.",
])
def test_a_target_is_not_issued_by_the_agent(text: str) -> None:
    ex = extract_text(text)
    assert [d.issuer for d in ex.documents if d.code != "30-KH/TU"] == [None] * (len(ex.documents) - 1)


@pytest.mark.parametrize("text", [
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU thực hiện Nghị quyết số 52-NQ/TW, Nghị quyết số 55-NQ/TW và Kế "
    "hoạch số 31-KH/TU nhằm triển khai Chỉ thị số 05-CT/TW.",
    "Thực hiện Nghị quyết số 52-NQ/TW, Nghị quyết số 55-NQ/TW và Kế hoạch số 31-KH/TU thực hiện Chỉ thị số 05-CT/TW, "
    "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU.",
])
def test_a_target_list_before_a_coordinated_subject_gives_it_no_cosubjects(text: str) -> None:
    """"X thực hiện A, B và Y thực hiện C": B, second of X's targets, was taken as a subject of Y's cue."""
    pairs = {(r.source, r.target) for r in extract_text(text).relations}
    assert ("31-KH/TU", "05-CT/TW") in pairs
    assert ("55-NQ/TW", "05-CT/TW") not in pairs and ("52-NQ/TW", "05-CT/TW") not in pairs


@pytest.mark.parametrize("lead", ["Trước đó, ngày 10/3/2020,", "Sau đó, vào ngày 10/3/2020,", "Cũng ngày 10/3/2020,"])
def test_a_lead_date_after_a_connective_is_the_issue_date(lead: str) -> None:
    """"Trước đó, ngày 10/3/2020, UBND ... đã ban hành Kế hoạch số 45/KH-UBND": the date was lost (only a
    sentence opening with "Ngày" had a lead date)."""
    ex = extract_text(f"{lead} Ủy ban nhân dân tỉnh Long An đã ban hành Kế hoạch số 45/KH-UBND và Quyết định số "
                      "1234/QĐ-UBND triển khai Nghị quyết số 50/NQ-CP của Chính phủ.")
    assert [(d.code, d.date) for d in ex.documents] == [
        ("45/KH-UBND", date(2020, 3, 10)), ("1234/QĐ-UBND", date(2020, 3, 10)), ("50/NQ-CP", None)]


def test_a_lead_date_before_a_clause_end_still_dates_nothing_after_it() -> None:
    ex = extract_text("Ngày 15/5/2020, Tỉnh ủy Long An tổ chức hội nghị; trước đó Tỉnh ủy Long An đã ban hành Kế hoạch "
                      "số 32-KH/TU.")
    assert ex.documents[0].date is None


_PLAN_HEADER = ("TỈNH ỦY QUẢNG NINH\nSố 190-KH/TU\nQuảng Ninh, ngày 16 tháng 3 năm 2020\n\nKẾ HOẠCH\n"
                "thực hiện Nghị quyết số 52-NQ/TW của Bộ Chính trị\n\n")


@pytest.mark.parametrize("verb", ["chỉ đạo", "lãnh đạo, chỉ đạo", "lãnh đạo và chỉ đạo"])
def test_a_body_directing_another_in_a_plan_owns_the_task_and_the_other_drafts(verb: str) -> None:
    """"1. Ban cán sự đảng UBND tỉnh lãnh đạo, chỉ đạo UBND tỉnh xây dựng Kế hoạch ...": the task went to UBND
    tỉnh ("lãnh đạo," hid the director); and with "chỉ đạo" alone, the expected plan had no drafter."""
    ex = extract_text(_PLAN_HEADER + f"1. Ban cán sự đảng Ủy ban nhân dân tỉnh {verb} Ủy ban nhân dân tỉnh xây dựng "
                      "Kế hoạch hành động thực hiện Nghị quyết, hoàn thành trong quý II năm 2020.")
    (rel,) = [r for r in ex.relations if r.type == RelationType.ASSIGNS]
    assert (rel.source, rel.target, rel.deadline.text if rel.deadline else None) == (
        "190-KH/TU", "Ban cán sự đảng Ủy ban nhân dân tỉnh Quảng Ninh", "trong quý II năm 2020")
    (doc,) = ex.expected
    assert (doc.owner, doc.drafter, doc.implements, doc.task) == (
        "Ban cán sự đảng Ủy ban nhân dân tỉnh Quảng Ninh", "Ủy ban nhân dân tỉnh Quảng Ninh", "52-NQ/TW", rel.task)


@pytest.mark.parametrize(("text", "deadline"), [
    ("Điều 2. Giao Sở Thông tin và Truyền thông tỉnh Đồng Nai chủ trì, theo dõi, đôn đốc việc thực hiện; định kỳ hằng "
     "quý tổng hợp, báo cáo Ủy ban nhân dân tỉnh Đồng Nai.", "định kỳ hằng quý"),
    ("Giao Sở Thông tin và Truyền thông tỉnh Đồng Nai xây dựng cơ sở dữ liệu, hoàn thành trong quý II/2020; theo dõi, "
     "báo cáo Ủy ban nhân dân tỉnh Đồng Nai hằng tháng.", "hằng tháng"),
])
def test_a_report_in_the_clause_after_an_assignment_is_the_assignee_s(text: str, deadline: str) -> None:
    """"Giao A ...; định kỳ hằng quý tổng hợp, báo cáo B": the clause names no reporter, it goes on with A's task;
    no REPORTS_TO was read. The cadence is the clause's own, not the task's deadline before it."""
    rels = [r for r in extract_text(text).relations if r.type == RelationType.REPORTS_TO]
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in rels] == [
        ("Sở Thông tin và Truyền thông tỉnh Đồng Nai", "Ủy ban nhân dân tỉnh Đồng Nai", deadline)]


def test_a_report_clause_with_its_own_reporter_keeps_it() -> None:
    ex = extract_text("Giao Sở Thông tin và Truyền thông tỉnh Đồng Nai chủ trì thực hiện; Sở Nội vụ tỉnh Đồng Nai "
                      "báo cáo Ủy ban nhân dân tỉnh Đồng Nai.")
    assert [(r.source, r.target) for r in ex.relations if r.type == RelationType.REPORTS_TO] == [
        ("Sở Nội vụ tỉnh Đồng Nai", "Ủy ban nhân dân tỉnh Đồng Nai")]


@pytest.mark.parametrize(("text", "pair"), [
    ("Căn cứ Nghị quyết số 50/NQ-CP ngày 17/4/2020 của Chính phủ ban hành Chương trình hành động của Chính phủ thực "
     "hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị;", ("50/NQ-CP", "52-NQ/TW")),
    ("Quyết định số 2987/QĐ-UBND ngày 20/8/2020 ban hành Kế hoạch triển khai Nghị quyết số 50/NQ-CP.",
     ("2987/QĐ-UBND", "50/NQ-CP")),
])
def test_a_reference_issuing_an_uncoded_document_implements_its_target(text: str, pair: tuple) -> None:
    """"Nghị quyết số 50/NQ-CP ... ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 52-NQ/TW":
    the Government resolution's implementation of 52 was lost ("ban hành" and the noun broke adjacency)."""
    ex = extract_text(text)
    assert [(r.source, r.target) for r in ex.relations if r.type == RelationType.IMPLEMENTS] == [pair]


def test_an_uncoded_document_with_other_words_before_the_cue_is_no_adjacency() -> None:
    ex = extract_text("Nghị quyết số 50/NQ-CP ban hành Chương trình hành động, trong đó Bộ Công Thương thực hiện Nghị "
                      "quyết số 52-NQ/TW.")
    assert not [r for r in ex.relations if r.type == RelationType.IMPLEMENTS]


_DECISION_HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nSố: 2987/QĐ-UBND\nĐồng Nai, ngày 20 tháng 8 năm 2020\n\n"
                    "QUYẾT ĐỊNH\nBan hành Kế hoạch chuyển đổi số\n\nQUYẾT ĐỊNH:\n")


@pytest.mark.parametrize("article", [
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 50/NQ-CP của Chính phủ.",
    "Điều 1. Ban hành kèm theo Quyết định này Chương trình hành động triển khai Nghị quyết số 50/NQ-CP.",
])
def test_a_decision_issuing_its_attached_plan_implements_the_plan_s_target(article: str) -> None:
    """"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 50/NQ-CP": the decision (with its
    attached plan) implements 50/NQ-CP; nothing was read."""
    ex = extract_text(_DECISION_HEADER + article)
    assert [(r.type, r.source, r.target) for r in ex.relations] == [
        (RelationType.IMPLEMENTS, "2987/QĐ-UBND", "50/NQ-CP")]


def test_an_attached_document_of_another_type_than_the_text_s_is_not_its_own() -> None:
    ex = extract_text(_PLAN_HEADER + "Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 50/NQ-CP.")
    assert not [r for r in ex.relations if r.target == "50/NQ-CP"]


def test_a_list_item_whose_subject_builds_a_document_or_leads_a_task_is_an_assignment() -> None:
    """"2. Các huyện ủy, thị ủy, thành ủy xây dựng kế hoạch thực hiện, hoàn thành trước ngày 30/4/2020" in a plan:
    the units required to issue a plan (what a coverage audit asks) got no ASSIGNS and no expected plan."""
    ex = extract_text(_PLAN_HEADER + "III. TỔ CHỨC THỰC HIỆN\n"
                      "1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan hướng dẫn tuyên truyền.\n"
                      "2. Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện, hoàn "
                      "thành trước ngày 30/4/2020.\n"
                      "- Sở Nội vụ tỉnh Quảng Ninh có trách nhiệm xây dựng Đề án vị trí việc làm trong quý III/2020.\n")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [
        ("190-KH/TU", "Ban Tuyên giáo Tỉnh ủy Quảng Ninh", None),
        ("190-KH/TU", "các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy", "trước ngày 30/4/2020"),
        ("190-KH/TU", "Sở Nội vụ tỉnh Quảng Ninh", "trong quý III/2020")]
    assert [(e.title, e.owner, e.implements) for e in ex.expected] == [
        ("kế hoạch thực hiện", "các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy", "190-KH/TU"),
        ("Đề án vị trí việc làm", "Sở Nội vụ tỉnh Quảng Ninh", None)]


@pytest.mark.parametrize("text", [
    "3. Ủy ban nhân dân tỉnh định kỳ hằng năm đánh giá kết quả thực hiện, báo cáo Ban Thường vụ Tỉnh ủy.",  # reports
    "Ban Tuyên giáo Tỉnh ủy chủ trì hội nghị quán triệt.",  # prose, no list item
    "1. Tỉnh ủy Quảng Ninh chủ trì hội nghị.",  # the text's own issuer
])
def test_a_list_item_that_only_reports_or_prose_is_no_item_assignment(text: str) -> None:
    ex = extract_text(_PLAN_HEADER + text)
    assert not [r for r in ex.relations if r.type == RelationType.ASSIGNS] and not ex.expected


def test_grassroots_party_organisations_are_one_group() -> None:
    """"Các chi bộ, đảng bộ cơ sở xây dựng ...": the group stopped at "đảng bộ", and " cơ sở" cut it off its task."""
    ex = extract_text(_PLAN_HEADER + "2. Các chi bộ, đảng bộ cơ sở xây dựng kế hoạch thực hiện, hoàn thành trước ngày "
                      "30/6/2020.")
    assert [(r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [("các chi bộ, đảng bộ cơ sở", "trước ngày 30/6/2020")]


def test_bodies_that_are_given_a_task_in_the_passive_are_assigned() -> None:
    """"Sở Thông tin và Truyền thông, Sở Tài chính được giao xây dựng Đề án ...": nobody follows "giao", so no
    ASSIGNS was read; the bodies before "được" receive the task."""
    ex = extract_text(_DECISION_HEADER + "Điều 2. Sở Thông tin và Truyền thông tỉnh Đồng Nai, Sở Tài chính tỉnh Đồng "
                      "Nai được giao xây dựng Đề án chuyển đổi số, hoàn thành trong quý IV năm 2020.")
    task = "xây dựng Đề án chuyển đổi số, hoàn thành trong quý IV năm 2020"
    names = ["Sở Thông tin và Truyền thông tỉnh Đồng Nai", "Sở Tài chính tỉnh Đồng Nai"]
    assert [(r.source, r.target, r.task, r.deadline.text if r.deadline else None) for r in ex.relations] == [
        ("2987/QĐ-UBND", name, task, "trong quý IV năm 2020") for name in names]
    assert [(e.title, e.owner) for e in ex.expected] == [("Đề án chuyển đổi số", name) for name in names]


def test_a_task_given_in_a_relative_clause_is_no_passive_assignment() -> None:
    ex = extract_text(_DECISION_HEADER + "Điều 2. Sở Nội vụ tỉnh Đồng Nai căn cứ nhiệm vụ được giao tổ chức thực hiện.")
    assert not ex.relations


_NEWS_25 = ("Tại hội nghị, Ban Thường vụ Thành ủy Đà Nẵng đã ban hành Chương trình hành động số 25-CTr/TU thực hiện "
            "Nghị quyết số 52-NQ/TW. ")


def test_theo_and_the_noun_of_the_last_issued_document_speaks_for_it() -> None:
    """"Theo Chương trình, Ủy ban nhân dân thành phố được giao ...": a news report's task had no source ("Theo"
    was not read as pointing back to the programme just issued)."""
    ex = extract_text(_NEWS_25 + "Theo Chương trình, Ủy ban nhân dân thành phố Đà Nẵng được giao xây dựng Đề án thành "
                      "phố thông minh, hoàn thành trong quý IV năm 2020.")
    assert [(r.type, r.source, r.target) for r in ex.relations] == [
        (RelationType.IMPLEMENTS, "25-CTr/TU", "52-NQ/TW"),
        (RelationType.ASSIGNS, "25-CTr/TU", "Ủy ban nhân dân Thành phố Đà Nẵng")]


def test_theo_and_another_type_s_noun_does_not_speak_for_the_last_document() -> None:
    ex = extract_text(_NEWS_25 + "Theo Kế hoạch, Ủy ban nhân dân thành phố Đà Nẵng được giao xây dựng Đề án.")
    assert [r.type for r in ex.relations] == [RelationType.IMPLEMENTS]


@pytest.mark.parametrize("lead", [
    "Định kỳ 6 tháng, hằng năm,", "Định kỳ 6 tháng và hằng năm", "2. Định kỳ 6 tháng, hằng năm,"])
def test_a_list_of_cadences_opening_the_clause_gives_the_first(lead: str) -> None:
    """"Định kỳ 6 tháng, hằng năm, các cơ quan, đơn vị báo cáo ...": a second cadence between the first and the
    reporter hid both."""
    (rel,) = extract_text(f"{lead} Sở Nội vụ tỉnh Long An báo cáo Ủy ban nhân dân tỉnh Long An.").relations
    assert rel.deadline is not None and (rel.deadline.text, rel.deadline.cadence) == ("Định kỳ 6 tháng", "half-yearly")


@pytest.mark.parametrize("basis", ["căn cứ Kế hoạch này", "căn cứ chức năng, nhiệm vụ được giao,"])
def test_a_list_item_s_basis_between_subject_and_task_keeps_the_assignment(basis: str) -> None:
    """"1. Các sở, ban, ngành căn cứ Kế hoạch này xây dựng kế hoạch thực hiện": the basis between the subject and
    the verb hid the item's assignment."""
    ex = extract_text(_PLAN_HEADER + f"1. Các sở, ban, ngành {basis} xây dựng kế hoạch thực hiện.")
    assert [(r.source, r.target, r.task) for r in ex.relations if r.type == RelationType.ASSIGNS] == [
        ("190-KH/TU", "các sở, ban, ngành", "xây dựng kế hoạch thực hiện")]


@pytest.mark.parametrize(("after", "deadline"), [
    ("gửi về Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh trước ngày 30/7/2020", "trước ngày 30/7/2020"),
    ("trình Ủy ban nhân dân tỉnh trong quý III/2020", "trong quý III/2020"),
    ("gửi về Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh hằng quý", None),  # a cadence: a reporting line's, not a due date
    ("gửi báo cáo về Sở Kế hoạch và Đầu tư tỉnh Quảng Ninh trước ngày 30/7/2020", None),
])
def test_the_submission_date_in_the_clause_after_a_task_is_its_deadline(after: str, deadline: str | None) -> None:
    """"Giao ... xây dựng kế hoạch thực hiện; gửi về Sở Kế hoạch và Đầu tư trước ngày 30/7/2020": the task had no
    deadline (only "hoàn thành ..." was read in the next clause)."""
    ex = extract_text(_PLAN_HEADER + f"1. Giao Sở Nội vụ tỉnh Quảng Ninh xây dựng kế hoạch thực hiện; {after}.")
    (rel,) = [r for r in ex.relations if r.type == RelationType.ASSIGNS]
    assert (rel.deadline.text if rel.deadline else None) == deadline


def test_bullets_under_a_heading_of_bodies_are_their_tasks() -> None:
    """"1. Sở Thông tin và Truyền thông:\\n- Phối hợp ...\\n- Chủ trì xây dựng Kế hoạch ...; thời gian hoàn thành: quý
    III/2020": the heading's body is the subject of its bullets; no ASSIGNS was read."""
    ex = extract_text(_PLAN_HEADER + "1. Sở Thông tin và Truyền thông tỉnh Quảng Ninh:\n"
                      "- Phối hợp với các sở, ngành tổ chức tuyên truyền.\n"
                      "- Chủ trì xây dựng Kế hoạch chuyển đổi số tỉnh; thời gian hoàn thành: quý III/2020.\n"
                      "2. Nhiệm vụ của Sở Nội vụ tỉnh Quảng Ninh:\n"
                      "- Chủ trì rà soát tổ chức bộ máy.\n")
    assert [(r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [("Sở Thông tin và Truyền thông tỉnh Quảng Ninh", "quý III/2020")]
    assert [(e.title, e.owner) for e in ex.expected] == [
        ("Kế hoạch chuyển đổi số tỉnh", "Sở Thông tin và Truyền thông tỉnh Quảng Ninh")]


@pytest.mark.parametrize("lead", ["Theo đề nghị của Giám đốc", "Xét đề nghị của"])
def test_a_submission_proposed_by_a_body_is_issued_by_it(lead: str) -> None:
    """"Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông tại Tờ trình số 95/TTr-STTTT ngày 10/8/2020": the
    submission had no issuer."""
    ex = extract_text(_DECISION_HEADER.replace("QUYẾT ĐỊNH:\n", "") + f"{lead} Sở Thông tin và Truyền thông tại Tờ "
                      "trình số 95/TTr-STTTT ngày 10/8/2020.")
    assert [(d.code, d.issuer, d.date) for d in ex.documents if not d.is_subject] == [
        ("95/TTr-STTTT", "Sở Thông tin và Truyền thông tỉnh Đồng Nai", date(2020, 8, 10))]


def test_a_body_before_tai_without_a_proposal_issues_nothing() -> None:
    ex = extract_text("Hội nghị của Sở Nội vụ tỉnh Long An tại Tờ trình số 95/TTr-SNV được thông qua.")
    assert [d.issuer for d in ex.documents] == [None]



def test_a_group_list_stops_at_a_verb_that_folds_like_a_noun() -> None:
    """"các cấp ủy, tổ chức đảng quán triệt ...": "quán" folds to "quan" (quận) and the group swallowed it."""
    ex = extract_text(_PLAN_HEADER + "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng quán triệt Nghị quyết.")
    assert [r.target for r in ex.relations if r.type == RelationType.ASSIGNS] == ["các cấp ủy, tổ chức đảng"]


_RESOLUTION_HEADER = ("CHÍNH PHỦ\nSố: 50/NQ-CP\nHà Nội, ngày 17 tháng 4 năm 2020\n\nNGHỊ QUYẾT\n"
                      "Về Chương trình hành động của Chính phủ\n\nQUYẾT NGHỊ:\n")


@pytest.mark.parametrize("header, article, source, target", [
    (_RESOLUTION_HEADER, "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện "
     "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị.", "50/NQ-CP", "52-NQ/TW"),
    (_DECISION_HEADER, "Điều 1. Phê duyệt Kế hoạch thực hiện Nghị quyết số 50/NQ-CP của Chính phủ kèm theo Quyết "
     "định này.", "2987/QĐ-UBND", "50/NQ-CP"),
    (_RESOLUTION_HEADER.replace("Về Chương", "Ban hành Chương").replace(" của Chính phủ\n", " của Chính phủ thực "
     "hiện Nghị quyết số 52-NQ/TW\n"), "", "50/NQ-CP", "52-NQ/TW"),
])
def test_an_instrument_issuing_or_approving_an_uncoded_document_implements_its_target(
        header: str, article: str, source: str, target: str) -> None:
    """"Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện Nghị quyết số 52-NQ/TW" (the
    issuer named after the programme) and "Phê duyệt Kế hoạch thực hiện Nghị quyết số 50/NQ-CP" in a decision:
    no IMPLEMENTS was read."""
    ex = extract_text(header + article)
    assert [(r.source, r.target) for r in ex.relations if r.type == RelationType.IMPLEMENTS] == [(source, target)]


def test_a_plan_approving_a_document_in_prose_does_not_implement_its_target() -> None:
    ex = extract_text(_PLAN_HEADER + "Sở Tài chính phê duyệt Kế hoạch thực hiện Nghị quyết số 50/NQ-CP.")
    assert not [r for r in ex.relations if r.target == "50/NQ-CP"]


def test_a_body_helping_the_lead_does_not_report_for_it() -> None:
    """"Sở Thông tin và Truyền thông chủ trì, phối hợp Sở Khoa học và Công nghệ tổng hợp, báo cáo UBND tỉnh": the
    helper (after "phối hợp" without "với") was read as the reporter instead of the lead."""
    ex = extract_text("Sở Thông tin và Truyền thông tỉnh Bình Dương chủ trì, phối hợp Sở Khoa học và Công nghệ tỉnh "
                      "Bình Dương tổng hợp, báo cáo UBND tỉnh Bình Dương trước ngày 30/6/2021.")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.REPORTS_TO] == [
        ("Sở Thông tin và Truyền thông tỉnh Bình Dương", "Ủy ban nhân dân tỉnh Bình Dương", "trước ngày 30/6/2021")]


def test_a_row_of_body_colon_task_is_an_assignment() -> None:
    """"- Bộ Thông tin và Truyền thông: chủ trì xây dựng Chiến lược ..., hoàn thành trong năm 2020" in a Government
    resolution's table of tasks per ministry: the colon after the body hid the task, no ASSIGNS was read."""
    ex = extract_text(_RESOLUTION_HEADER + "Điều 2. Nhiệm vụ cụ thể:\n"
                      "- Bộ Thông tin và Truyền thông: chủ trì xây dựng Chiến lược quốc gia về chuyển đổi số, hoàn "
                      "thành trong năm 2020.\n"
                      "- Bộ Kế hoạch và Đầu tư: chủ trì xây dựng Đề án thành lập Trung tâm Đổi mới sáng tạo quốc gia, "
                      "hoàn thành trong quý II năm 2020.\n")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [
        ("50/NQ-CP", "Bộ Thông tin và Truyền thông", "trong năm 2020"),
        ("50/NQ-CP", "Bộ Kế hoạch và Đầu tư", "trong quý II năm 2020")]


@pytest.mark.parametrize("subject, source", [
    ("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
     "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"),
])
def test_the_government_s_addressees_are_whole_groups(subject: str, source: str) -> None:
    """"Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ ... báo cáo Thủ tướng Chính phủ": the group stopped at
    "cơ quan" and "Chính phủ" reported; "UBND các tỉnh, thành phố trực thuộc trung ương" was no group at all."""
    ex = extract_text(f"{subject} định kỳ hằng năm báo cáo Thủ tướng Chính phủ.")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations] == [
        (source, "Thủ tướng Chính phủ", "định kỳ hằng năm")]


_NOTICE_HEADER = ("TỈNH ỦY BÌNH DƯƠNG\nSố: 12-TB/TU\nBình Dương, ngày 5 tháng 4 năm 2020\n\nTHÔNG BÁO\n"
                  "Kết luận của Ban Thường vụ Tỉnh ủy về triển khai Nghị quyết số 52-NQ/TW\n\n")


@pytest.mark.parametrize("item, deadline", [
    ("2. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền Nghị quyết, 6 tháng một lần báo cáo Ban Thường vụ Tỉnh ủy.",
     None),
    ("2. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền Nghị quyết, định kỳ hằng năm tổng hợp, báo cáo Ban Thường vụ "
     "Tỉnh ủy.", None),
    ("2. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền Nghị quyết, báo cáo Ban Thường vụ Tỉnh ủy định kỳ 6 tháng.",
     None),
    ("2. Ban Tuyên giáo Tỉnh ủy chủ trì tổ chức hội nghị định kỳ hằng năm.", "định kỳ hằng năm"),
])
def test_a_report_cadence_after_a_task_is_not_the_task_s_deadline(item: str, deadline: str | None) -> None:
    """"Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền Nghị quyết, 6 tháng một lần báo cáo Ban Thường vụ Tỉnh ủy": the
    cadence is the reporting line's; the assignment took it as its deadline."""
    ex = extract_text(_NOTICE_HEADER + item)
    assert [(r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [("Ban Tuyên giáo Tỉnh ủy Bình Dương", deadline)]
    assert all(r.deadline is not None for r in ex.relations if r.type == RelationType.REPORTS_TO)


def test_a_report_to_coordinated_bodies_goes_to_each() -> None:
    """"Các tỉnh ủy, thành ủy ... định kỳ hằng năm báo cáo Bộ Chính trị, Ban Bí thư": only the first receiver was
    kept."""
    ex = extract_text("Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương định kỳ hằng năm báo cáo Bộ Chính trị, "
                      "Ban Bí thư.")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations] == [
        ("các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương", "Bộ Chính trị", "định kỳ hằng năm"),
        ("các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương", "Ban Bí thư", "định kỳ hằng năm")]


def test_a_report_target_then_another_clause_s_body_is_one_target() -> None:
    ex = extract_text("Sở Nội vụ tỉnh Long An báo cáo UBND tỉnh Long An, Sở Tài chính tỉnh Long An bố trí kinh phí.")
    assert [r.target for r in ex.relations if r.type == RelationType.REPORTS_TO] == ["Ủy ban nhân dân tỉnh Long An"]


def test_a_document_signed_after_a_leading_cue_implements_its_targets() -> None:
    """"Thực hiện Nghị quyết số 52-NQ/TW ... và Nghị quyết số 50/NQ-CP ..., Bộ trưởng Bộ Công Thương đã ký Quyết định
    số 1234/QĐ-BCT ngày 15/5/2020 ban hành Kế hoạch hành động của Bộ" in a news article: "ký" was no issue verb,
    the decision implemented nothing."""
    ex = extract_text("Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị và Nghị quyết số 50/NQ-CP ngày "
                      "17/4/2020 của Chính phủ, Bộ trưởng Bộ Công Thương đã ký Quyết định số 1234/QĐ-BCT ngày "
                      "15/5/2020 ban hành Kế hoạch hành động của Bộ.")
    assert [(r.source, r.target) for r in ex.relations if r.type == RelationType.IMPLEMENTS] == [
        ("1234/QĐ-BCT", "52-NQ/TW"), ("1234/QĐ-BCT", "50/NQ-CP")]
    assert [(d.issuer, d.date) for d in ex.documents if d.code == "1234/QĐ-BCT"] == [
        ("Bộ Công Thương", date(2020, 5, 15))]


def test_a_central_document_s_subtitle_of_its_body_names_the_issuer() -> None:
    """"BAN CHẤP HÀNH TRUNG ƯƠNG ... KẾT LUẬN / của Bộ Chính trị về ...": the subtitle is in mixed case, the issuer
    stayed the umbrella header (Ban Chấp hành Trung ương)."""
    ex = extract_text("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố: 14-KL/TW\nHà Nội, ngày 22 tháng 9 năm 2021\n\nKẾT LUẬN\n"
                      "của Bộ Chính trị về chủ trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo\n\n"
                      "Giao Ban Tổ chức Trung ương chủ trì hướng dẫn thực hiện Kết luận này.")
    assert [(d.code, d.issuer) for d in ex.documents] == [("14-KL/TW", "Bộ Chính trị")]


def test_a_subtitle_of_a_non_central_body_keeps_the_header_issuer() -> None:
    ex = extract_text("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố: 14-KL/TW\nHà Nội, ngày 22 tháng 9 năm 2021\n\nKẾT LUẬN\n"
                      "của Ban Tổ chức Trung ương về công tác cán bộ\n")
    assert [d.issuer for d in ex.documents] == ["Ban Chấp hành Trung ương"]


def test_a_list_item_where_a_body_leads_another_to_build_a_document_is_the_leader_s_task() -> None:
    """"2. Ban cán sự đảng UBND tỉnh lãnh đạo UBND tỉnh xây dựng Kế hoạch thực hiện, trình Ban Thường vụ Tỉnh ủy
    trước ngày 30/7/2020": bare "lãnh đạo" (without "chỉ đạo") gave no ASSIGNS, unlike "lãnh đạo, chỉ đạo"."""
    item = ("2. Ban cán sự đảng UBND tỉnh {verb} UBND tỉnh xây dựng Kế hoạch thực hiện, trình Ban Thường vụ Tỉnh ủy "
            "trước ngày 30/7/2020.")

    def found(verb: str) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
        ex = extract_text(_PLAN_HEADER + "III. TỔ CHỨC THỰC HIỆN\n" + item.format(verb=verb))
        return ([(r.target, r.deadline.text if r.deadline else None) for r in ex.relations
                 if r.type == RelationType.ASSIGNS], [(e.title, e.owner) for e in ex.expected])

    assert found("lãnh đạo") == found("lãnh đạo, chỉ đạo") == (
        [("Ban cán sự đảng Ủy ban nhân dân tỉnh Quảng Ninh", "trước ngày 30/7/2020")],
        [("Kế hoạch thực hiện", "Ban cán sự đảng Ủy ban nhân dân tỉnh Quảng Ninh")])


def test_a_list_item_leading_without_building_is_no_assignment() -> None:
    ex = extract_text(_PLAN_HEADER + "2. Ban cán sự đảng UBND tỉnh lãnh đạo UBND tỉnh thực hiện tốt nhiệm vụ.")
    assert not [r for r in ex.relations if r.type == RelationType.ASSIGNS]


def test_a_body_approving_something_at_a_reference_issues_it() -> None:
    """"Trước đó, ngày 3/6/2020, Thủ tướng Chính phủ đã phê duyệt Chương trình Chuyển đổi số quốc gia tại Quyết định
    số 749/QĐ-TTg" in a news article: the decision got no issue date from the lead date."""
    ex = extract_text("Trước đó, ngày 3/6/2020, Thủ tướng Chính phủ đã phê duyệt Chương trình Chuyển đổi số quốc gia "
                      "tại Quyết định số 749/QĐ-TTg.")
    assert [(d.code, d.issuer, d.date) for d in ex.documents] == [
        ("749/QĐ-TTg", "Thủ tướng Chính phủ", date(2020, 6, 3))]


def test_a_document_issued_at_a_reference_without_an_agent_is_not_issued_in_the_sentence() -> None:
    ex = extract_text("Quy chế ban hành tại Quyết định số 123/QĐ-UBND được thực hiện Nghị quyết số 52-NQ/TW.")
    assert [(d.code, d.date) for d in ex.documents if d.code == "123/QĐ-UBND"] == [("123/QĐ-UBND", None)]
    assert not [r for r in ex.relations if r.source == "123/QĐ-UBND"]


@pytest.mark.parametrize("basis", [
    "Căn cứ Quy chế ban hành tại Quyết định số 123/QĐ-UBND ngày 1/2/2020 của UBND tỉnh Đồng Nai;\n",
    "Căn cứ Quy chế làm việc của Ủy ban nhân dân tỉnh ban hành kèm theo Quyết định số 123/QĐ-UBND ngày 1/2/2020;\n",
])
def test_a_basis_issued_with_a_reference_cites_the_reference(basis: str) -> None:
    """"Căn cứ Quy chế làm việc ... ban hành kèm theo Quyết định số 123/QĐ-UBND": an uncoded regulation carried by a
    decision; the "ban hành" between the cue and the reference stopped the cite."""
    ex = extract_text(_DECISION_HEADER.replace("QUYẾT ĐỊNH:\n", "") + basis)
    assert [(r.type, r.source, r.target) for r in ex.relations] == [
        (RelationType.CITES, "2987/QĐ-UBND", "123/QĐ-UBND")]


_DISTRICT_HEADER = ("QUẬN ỦY QUẬN 3\nSố 120-KH/QU\nQuận 3, ngày 10 tháng 6 năm 2020\n\nKẾ HOẠCH\n"
                    "thực hiện Chương trình hành động số 01-CTr/TU của Thành ủy\n\n")


def test_a_plan_s_request_to_the_front_is_an_assignment() -> None:
    """"5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3 và các đoàn thể chính trị - xã hội quận tuyên truyền ...":
    a Party plan requests (it does not command) the Front and mass organisations; no ASSIGNS was read."""
    ex = extract_text(_DISTRICT_HEADER + "5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3 và các đoàn thể chính trị "
                      "- xã hội quận tuyên truyền sâu rộng Nghị quyết, hoàn thành trong quý III/2020.")
    assert [(r.source, r.target, r.deadline.text if r.deadline else None) for r in ex.relations
            if r.type == RelationType.ASSIGNS] == [
        ("120-KH/QU", "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3", "trong quý III/2020"),
        ("120-KH/QU", "các đoàn thể chính trị - xã hội quận", "trong quý III/2020")]


@pytest.mark.parametrize("lead", ["Theo đề nghị của Ban Tuyên giáo Quận ủy", "Xét đề nghị Ban Tuyên giáo Quận ủy",
                                  "Theo đề nghị Ban Tuyên giáo Quận ủy", "Trên cơ sở đề nghị Ban Tuyên giáo Quận ủy"])
def test_a_proposal_is_no_request(lead: str) -> None:
    ex = extract_text(_DISTRICT_HEADER + f"{lead}, Ban Thường vụ Quận ủy ban hành kế hoạch.")
    assert not [r for r in ex.relations if r.type == RelationType.ASSIGNS]
