"""Institution gazetteer."""

from __future__ import annotations

import unicodedata

import pytest

from ingest.gazetteer import Gazetteer

HCMC = "Thành ủy Thành phố Hồ Chí Minh"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Bộ Chính trị", "Bộ Chính trị"),
        ("BỘ CHÍNH TRỊ", "Bộ Chính trị"),
        ("bo chinh tri", "Bộ Chính trị"),
        ("Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung ương"),
        ("Ban Tuyên giáo TW", "Ban Tuyên giáo Trung ương"),
        ("Ban Tuyên giáo Trung ương", "Ban Tuyên giáo Trung ương"),
        ("Thủ tướng", "Thủ tướng Chính phủ"),
        ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Bộ Văn hoá, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("BCSĐ Bộ Công Thương", "Ban cán sự đảng Bộ Công Thương"),
        ("Ban cán sự đảng Bộ Công Thương", "Ban cán sự đảng Bộ Công Thương"),
        ("Thành ủy TPHCM", HCMC),
        ("Thành uỷ TP.HCM", HCMC),
        ("Thành ủy TP. HCM", HCMC),
        ("Thành ủy TP Hồ Chí Minh", HCMC),
        ("THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", HCMC),
        ("TU TP.HCM", HCMC),
        ("BTV Thành ủy TP.HCM", "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh"),
        ("UBND TP.HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("BCSĐ UBND TP.HCM", "Ban cán sự đảng Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("HĐND TP.HCM", "Hội đồng nhân dân Thành phố Hồ Chí Minh"),
        ("Ban Tuyên giáo Thành ủy TP.HCM", "Ban Tuyên giáo Thành ủy Thành phố Hồ Chí Minh"),
        ("Ủy ban MTTQ Việt Nam TP.HCM", "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh"),
        ("Thành ủy Hà Nội", "Thành ủy Hà Nội"),
        ("UBND TP Hà Nội", "Ủy ban nhân dân Thành phố Hà Nội"),
        ("Tỉnh ủy Bình Dương", "Tỉnh ủy Bình Dương"),
        ("UBND tỉnh Bình Dương", "Ủy ban nhân dân tỉnh Bình Dương"),
        ("Quận ủy Quận 1", "Quận ủy Quận 1"),
        ("Quận ủy Q.1", "Quận ủy Quận 1"),
        ("Huyện ủy Củ Chi", "Huyện ủy Củ Chi"),
        ("Ủy ban nhân dân Quận 3", "Ủy ban nhân dân Quận 3"),
        ("UBND quận 3", "Ủy ban nhân dân Quận 3"),
        ("UBND huyện Củ Chi", "Ủy ban nhân dân huyện Củ Chi"),
        ("Sở Tài chính tỉnh Bình Dương", "Sở Tài chính tỉnh Bình Dương"),
    ],
)
def test_resolve(gaz: Gazetteer, name: str, canonical: str) -> None:
    assert gaz.resolve(name) == canonical
    assert gaz.resolve(unicodedata.normalize("NFD", name)) == canonical


@pytest.mark.parametrize(
    "name",
    ["Thành ủy", "Ban Thường vụ Thành ủy", "UBND Thành phố", "Bộ", "Chính phủ điện tử", "từ TP.HCM", ""],
)
def test_unresolvable_without_context(gaz: Gazetteer, name: str) -> None:
    assert gaz.resolve(name) is None


def test_canonical_names_resolve_to_themselves(gaz: Gazetteer) -> None:
    for name in gaz.canonical_names():
        assert gaz.resolve(name) == name, name


def test_context_dependent_mentions(gaz: Gazetteer) -> None:
    hcmc = "Thành ủy TP.HCM đã họp."
    assert gaz.resolve("Thành ủy", hcmc) == HCMC
    assert gaz.resolve("Ban Thường vụ Thành ủy", hcmc) == "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh"
    assert gaz.resolve("UBND Thành phố", hcmc) == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert gaz.resolve("Ban cán sự đảng Bộ", "Bộ Công Thương") == "Ban cán sự đảng Bộ Công Thương"
    assert gaz.resolve("Bộ", "Bộ Công Thương") == "Bộ Công Thương"
    assert gaz.resolve("Ban Thường vụ Quận ủy", "QUẬN ỦY QUẬN 3") == "Ban Thường vụ Quận ủy Quận 3"


def test_find_all_longest_first_in_order(gaz: Gazetteer) -> None:
    text = (
        "Ban Thường vụ Thành ủy TP.HCM giao Ban cán sự đảng UBND Thành phố chỉ đạo UBND Thành phố; "
        "các đơn vị thuộc Bộ (qua Văn phòng Bộ) báo cáo Bộ Chính trị."
    )
    mentions = gaz.find_all(text)
    assert [m.name for m in mentions] == [
        "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh",
        "Ban cán sự đảng Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Bộ Chính trị",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.surface


def test_find_all_does_not_cross_sentences_or_match_lower_case_words(gaz: Gazetteer) -> None:
    text = "Các đơn vị thuộc Ban cán sự đảng Bộ. Xây dựng kế hoạch; các bộ xây dựng đề án."
    assert [m.name for m in gaz.find_all(text)] == []


def test_stacked_header_lines(gaz: Gazetteer) -> None:
    mentions = gaz.find_all("BAN CÁN SỰ ĐẢNG\nBỘ CÔNG THƯƠNG\n*\nSố 15-KH/BCSĐ")
    assert [m.name for m in mentions] == ["Ban cán sự đảng Bộ Công Thương"]


def test_short_names(gaz: Gazetteer) -> None:
    assert gaz.short_name("Ủy ban nhân dân Thành phố Hồ Chí Minh") == "UBND TP.HCM"
    assert gaz.short_name(HCMC) == "Thành ủy TP.HCM"
    assert gaz.short_name("Bộ Thông tin và Truyền thông") == "Bộ TT&TT"
    assert gaz.short_name("Ban cán sự đảng Bộ Công Thương") == "BCSĐ Bộ Công Thương"


@pytest.mark.parametrize(("mention", "name"), [
    ("UBND TP. Hà Nội", "Ủy ban nhân dân Thành phố Hà Nội"),  # "TP." ended the name at its dot
    ("Sở Tài chính TP. Hà Nội", "Sở Tài chính Thành phố Hà Nội"),
    ("HĐND TP. Cần Thơ", "Hội đồng nhân dân Thành phố Cần Thơ"),
    ("Ban CSĐ UBND tỉnh Long An", "Ban cán sự đảng Ủy ban nhân dân tỉnh Long An"),
    ("BTG Tỉnh ủy Long An", "Ban Tuyên giáo Tỉnh ủy Long An"),
    ("Ban TV Tỉnh ủy Long An", "Ban Thường vụ Tỉnh ủy Long An"),
])
def test_common_abbreviations(mention: str, name: str) -> None:
    assert Gazetteer.default().resolve(mention, "") == name


@pytest.mark.parametrize("text, names", [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3 tuyên truyền.", ["Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3"]),
    ("Hội đồng nhân dân huyện Củ Chi họp; Ủy ban nhân dân huyện và Hội đồng nhân dân huyện báo cáo.",
     ["Hội đồng nhân dân huyện Củ Chi", "Ủy ban nhân dân huyện Củ Chi", "Hội đồng nhân dân huyện Củ Chi"]),
])
def test_a_district_s_front_committee_and_council_are_not_its_people_s_committee(
        gaz: Gazetteer, text: str, names: list[str]) -> None:
    """"Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3" resolved to "Ủy ban nhân dân Quận 3": the district's state bodies
    all took the People's Committee's name."""
    assert [m.name for m in gaz.find_all(text)] == names
