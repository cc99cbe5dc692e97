"""Dates and deadlines."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from ingest.dates import Deadline, find_dates, find_deadlines, impossible_dates, parse_date, parse_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày 27/9/2019", date(2019, 9, 27)),
        ("27-9-2019", date(2019, 9, 27)),
        ("27.9.2019", date(2019, 9, 27)),
        ("ngày 28 tháng 4 năm 2020", date(2020, 4, 28)),
        ("ngày 13 tháng 01 năm 2020", date(2020, 1, 13)),
        ("2020-06-30", date(2020, 6, 30)),
        ("tháng 4/2020", None),
        ("ngày 15/4", None),
        ("31/2/2020", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_find_dates_spans_and_no_codes() -> None:
    text = "Nghị định 30/2020/NĐ-CP ngày 05/3/2020; Hà Nội, ngày 28 tháng 4 năm 2020"
    found = find_dates(text)
    assert [(d, s) for d, s, _ in found] == [
        (date(2020, 3, 5), "05/3/2020"),
        (date(2020, 4, 28), "28 tháng 4 năm 2020"),
    ]
    for _, surface, (start, end) in found:
        assert text[start:end] == surface


def test_find_dates_nfd_spans_refer_to_nfc() -> None:
    text = unicodedata.normalize("NFD", "Hà Nội, ngày 28 tháng 4 năm 2020")
    nfc = unicodedata.normalize("NFC", text)
    (_, surface, (start, end)), = find_dates(text)
    assert nfc[start:end] == surface


@pytest.mark.parametrize(
    ("text", "due", "cadence"),
    [
        ("trong quý II năm 2020", date(2020, 6, 30), None),
        ("quý 2/2020", date(2020, 6, 30), None),
        ("trong quý IV/2020", date(2020, 12, 31), None),
        ("quý I năm 2021", date(2021, 3, 31), None),
        ("trước quý III/2020", date(2020, 6, 30), None),
        ("trước ngày 30/6/2020", date(2020, 6, 30), None),
        ("chậm nhất ngày 15 tháng 7 năm 2020", date(2020, 7, 15), None),
        ("trong tháng 5/2020", date(2020, 5, 31), None),
        ("trong tháng 5 năm 2020", date(2020, 5, 31), None),
        ("trong tháng 2/2020", date(2020, 2, 29), None),
        ("trong năm 2020", date(2020, 12, 31), None),
        ("2020-06-30", date(2020, 6, 30), None),
        ("định kỳ hàng năm", None, "yearly"),
        ("hằng năm", None, "yearly"),
        ("6 tháng một lần", None, "half-yearly"),
        ("định kỳ 6 tháng", None, "half-yearly"),
        ("hàng quý", None, "quarterly"),
        ("hằng quý", None, "quarterly"),
        ("hàng tháng", None, "monthly"),
        ("trước ngày 15/12 hằng năm", None, "yearly"),
        # a full date is the day, not the end of the month it names (the review found 2020-08-31)
        ("ngày 15 tháng 8 năm 2020", date(2020, 8, 15), None),
        ("vào ngày 15 tháng 8 năm 2020", date(2020, 8, 15), None),
        ("vào ngày 15/8/2020", date(2020, 8, 15), None),
        # wordings from the text review
        ("định kỳ 06 tháng", None, "half-yearly"),
        ("định kỳ 3 tháng một lần", None, "quarterly"),
        ("trong 6 tháng đầu năm 2020", date(2020, 6, 30), None),
        ("6 tháng cuối năm 2020", date(2020, 12, 31), None),
        ("trước ngày 15 tháng 12 hằng năm", None, "yearly"),
        ("trước 15/12 hằng năm", None, "yearly"),
        ("ngày 15/8/2020", date(2020, 8, 15), None),
        # "once every ..." wordings
        ("mỗi năm một lần", None, "yearly"),
        ("1 năm 1 lần", None, "yearly"),
        ("mỗi 6 tháng một lần", None, "half-yearly"),
        ("mỗi quý một lần", None, "quarterly"),
        ("mỗi tháng 1 lần", None, "monthly"),
        ("hai năm một lần", None, "biennial"),
        ("định kỳ 2 năm", None, "biennial"),
    ],
)
def test_parse_deadline(text: str, due: date | None, cadence: str | None) -> None:
    assert parse_deadline(text) == Deadline(text, due, cadence)


@pytest.mark.parametrize("text", ["", "   ", "xây dựng kế hoạch", "năm 2020", "mỗi năm tăng 10%", "11 năm 1 lần",
                                  "định kỳ 2 năm 2020 và 2021"])
def test_parse_deadline_none(text: str) -> None:
    assert parse_deadline(text) is None


def test_a_day_the_calendar_lacks_is_no_deadline_not_the_month_around_it() -> None:
    """"31 tháng 4 năm 2020" gave the end of April 2020, from the month it holds."""
    for text in ("31 tháng 4 năm 2020", "trước ngày 31/4/2020", "hoàn thành trước ngày 30-02-2021"):
        found = parse_deadline(text)
        assert found is None or found.due is None, text
    assert impossible_dates("trước ngày 31/4/2020 và ngày 30/4/2020") == ["31/4/2020"]
    assert impossible_dates("2021-02-29, 29 tháng 2 năm 2020") == ["2021-02-29"]


def test_parse_deadline_keeps_the_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", "trong quý II năm 2020")
    result = parse_deadline(nfd)
    assert result is not None
    assert result.text == unicodedata.normalize("NFC", nfd)
    assert result.due == date(2020, 6, 30)


def test_find_deadlines_in_running_text() -> None:
    text = (
        "UBND các quận, huyện định kỳ hằng năm đánh giá kết quả; trình Ban Thường vụ "
        "trong quý II năm 2020. Tháng 5/2020, các đơn vị 6 tháng một lần báo cáo."
    )
    found = find_deadlines(text)
    assert [d.text for d, _ in found] == ["định kỳ hằng năm", "trong quý II năm 2020", "6 tháng một lần"]
    for deadline, (start, end) in found:
        assert text[start:end] == deadline.text


@pytest.mark.parametrize(
    ("text", "due", "cadence"),
    [
        # a day and month every year: a yearly cadence, no single due date (as "trước ngày 15/12 hằng năm")
        ("trước ngày 15-12 hằng năm", None, "yearly"),
        ("trước ngày 15.12 hằng năm", None, "yearly"),
        ("chậm nhất ngày 15–12 hằng năm", None, "yearly"),
        ("ngày 15.12 hằng năm", None, "yearly"),
        ("vào ngày 15/12 hằng năm", None, "yearly"),
        ("15/12 hằng năm", None, "yearly"),
        ("trước ngày 29/2 hàng năm", None, "yearly"),
        # a quarter and its year joined by any dash
        ("quý II–2020", date(2020, 6, 30), None),
        ("trong quý II – 2020", date(2020, 6, 30), None),
        ("quý II - 2020", date(2020, 6, 30), None),
        ("trước quý III—2020", date(2020, 6, 30), None),
        ("trong tháng 5–2020", date(2020, 5, 31), None),
    ],
)
def test_more_spellings_of_deadlines(text: str, due: date | None, cadence: str | None) -> None:
    """The review found the day of "trước ngày 15-12 hằng năm" lost (only "hằng năm" was read) and
    "quý II–2020" (an en dash) no deadline at all."""
    assert parse_deadline(text) == Deadline(text, due, cadence)
    (found, (start, end)), = find_deadlines(f"Các sở báo cáo {text}.")
    assert found == Deadline(text, due, cadence) and (start, end) == (15, 15 + len(text))


@pytest.mark.parametrize("text", [
    "15.12 hằng năm",  # no "ngày": a number, a version, a section
    "15-12 hằng năm",  # no "ngày": a range as well
    "trước ngày 31/4 hằng năm",  # no such day
    "trước ngày 15/13 hằng năm",
])
def test_ambiguous_or_impossible_yearless_days_give_only_the_cadence(text: str) -> None:
    assert parse_deadline(text) == Deadline("hằng năm", None, "yearly")
