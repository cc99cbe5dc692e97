"""Dates and deadlines in Vietnamese administrative text.

* Full dates: "ngày 27/9/2019", "27-9-2019", "27.9.2019", "ngày 28 tháng 4 năm 2020"
  and ISO "2020-06-30". Partial dates ("tháng 4/2020", "ngày 15/4") are not dates.
* Deadlines: a due date ("trong quý II năm 2020" -> 2020-06-30, "quý II–2020",
  "trước ngày 30/6/2020", "trong tháng 5/2020", "trong năm 2020") or a cadence
  ("định kỳ hằng năm" -> yearly, "6 tháng một lần" -> half-yearly, "hàng quý",
  "hàng tháng"); a day in every year ("trước ngày 15-12 hằng năm") is a cadence
  with no due date.

All functions accept NFC or NFD input; spans refer to the NFC form of the text
(Unicode NFC only: no white-space collapsing, so spans stay meaningful).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Deadline",
    "find_dates",
    "find_deadlines",
    "impossible_dates",
    "parse_date",
    "parse_deadline",
]

_SEP = r"[/\-.\u2010-\u2015\u2212]"
_NUMERIC_DATE = rf"(?<![\d/])(\d{{1,2}})\s*(?P<sep>{_SEP})\s*(\d{{1,2}})\s*(?P=sep)\s*((?:19|20)\d\d)(?![\d/])"
_WORDY_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+((?:19|20)\d\d)(?!\d)"
_ISO_DATE = r"(?<![\d/])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d/])"
_DATE_RE = re.compile(
    rf"(?:{_NUMERIC_DATE})|(?:{_WORDY_DATE})|(?:{_ISO_DATE})", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline as written, with its parsed due date and/or cadence.

    ``cadence`` is one of "biennial", "yearly", "half-yearly", "quarterly", "monthly".
    """

    text: str
    due: date | None
    cadence: str | None = None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_from_match(m: re.Match[str]) -> date | None:
    if m.group(1):
        return _make_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    if m.group(5):
        return _make_date(int(m.group(7)), int(m.group(6)), int(m.group(5)))
    return _make_date(int(m.group(8)), int(m.group(9)), int(m.group(10)))


def find_dates(text: str) -> list[tuple[date, str, tuple[int, int]]]:
    """All full dates in ``text`` as (date, surface, (start, end)) in NFC offsets.

    The surface excludes a leading "ngày"; impossible dates (31/2/2020) are skipped.
    """
    text = _nfc(text)
    found: list[tuple[date, str, tuple[int, int]]] = []
    for m in _DATE_RE.finditer(text):
        value = _date_from_match(m)
        if value is not None:
            found.append((value, m.group(0), (m.start(), m.end())))
    return found


def impossible_dates(text: str) -> list[str]:
    """The date-shaped surfaces of ``text`` that name no day of the calendar ("31 tháng 4 năm 2020")."""
    return [m.group(0) for m in _DATE_RE.finditer(_nfc(text)) if _date_from_match(m) is None]


_FULL_DATE_RE = re.compile(rf"^(?:ngày\s+)?(?:{_DATE_RE.pattern})[\s.,;]*$", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """Parse a text that is one full date ("ngày 27/9/2019", "2020-06-30"), else None."""
    if not text:
        return None
    m = _FULL_DATE_RE.match(_nfc(text).strip())
    if not m:
        return None
    return find_dates(m.group(0))[0][0] if find_dates(m.group(0)) else None


# --- deadlines -----------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "trước" means "before the period starts"; the others mean "by the period's end".
_PREP = (
    r"(?P<prep>(?:chậm nhất\s+)?"
    r"(?:trong|trước|đến hết|hết|cuối|vào|đến cuối|trong suốt)\s+)"
)
_YEAR = r"((?:19|20)\d\d)"
_DASHES = "\\-\u2010-\u2015\u2212"  # hyphen-minus, the Unicode hyphens and dashes (en, em...), minus
_PERIOD_YEAR = rf"(?:(?:năm|/|[{_DASHES}])\s*)"  # between a quarter or month and its year: "quý II–2020"
_QUARTER_RE = re.compile(
    rf"(?:{_PREP})?quý\s+(?P<q>IV|I{{1,3}}|[1-4])(?![\w])\s*{_PERIOD_YEAR}(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(
    rf"(?:{_PREP})?tháng\s+(?P<m>\d{{1,2}})\s*{_PERIOD_YEAR}(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(rf"{_PREP}năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_DAY_RE = re.compile(
    r"(?P<prep>(?:trước|chậm nhất(?:\s+là)?|hạn chót|đến)\s+"
    r"(?:ngày\s+)?)"
    rf"(?P<date>(?:{_NUMERIC_DATE})|(?:{_WORDY_DATE}))",
    re.IGNORECASE,
)
_DAY_LEAD_RE = re.compile(r"(?:vào\s+)?ngày\s+$", re.IGNORECASE)  # before a date in a deadline field
# "trước ngày 15/12 hằng năm": a day in every year (no due date, yearly cadence). Led by a preposition or
# "ngày", day and month are split by "/", "-", ".", a dash or "tháng"; bare, only by "/" ("15/12 hằng năm"):
# a bare "15.12" or "15-12" is as often a number or a range.
_YEARLESS_DAY_RE = re.compile(
    r"(?:(?:(?:trước|chậm nhất|đến)\s+(?:ngày\s+)?|(?:vào\s+)?ngày\s+)"
    rf"(?P<d>\d{{1,2}})\s*(?:[/.{_DASHES}]\s*|\s+tháng\s+)(?P<m>\d{{1,2}})"
    rf"|(?<![\w/.{_DASHES}])(?P<bd>\d{{1,2}})\s*/\s*(?P<bm>\d{{1,2}}))"
    r"(?![\d/])\s+(?=(?:của\s+)?(?:hằng|hàng)\s+năm)",
    re.IGNORECASE,
)
_SIX = r"(?<!\w)(?:0?6|sáu)"
_THREE = r"(?<!\w)(?:0?3|ba)"
_ONCE = r"(?:một|1)\s+lần(?!\w)"  # "mỗi năm một lần": once a year (a bare "mỗi năm" also means "per year")
_CADENCES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"(?:định kỳ\s+)?{_SIX}\s+tháng\s*(?:(?:một|1)\s+lần|/\s*lần)"
            rf"|định kỳ\s+{_SIX}\s+tháng(?:\s+(?:một|1)\s+lần)?"
            rf"|(?:định kỳ\s+)?(?:hằng|hàng)\s+{_SIX}\s+tháng"
            rf"|mỗi\s+{_SIX}\s+tháng\s+{_ONCE}",
            re.IGNORECASE,
        ),
        "half-yearly",
    ),
    (re.compile(rf"(?:định kỳ\s+)?(?:hằng|hàng)\s+năm|định kỳ\s+năm|(?<!\w)(?:mỗi|một|1)\s+năm\s+{_ONCE}",
                re.IGNORECASE), "yearly"),
    (re.compile(rf"(?<!\w)(?:hai|2|02)\s+năm\s+{_ONCE}|định kỳ\s+(?:hai|2|02)\s+năm(?!\s+(?:19|20)\d\d)",
                re.IGNORECASE), "biennial"),
    (
        re.compile(
            rf"(?:định kỳ\s+)?(?:hằng|hàng)\s+quý|định kỳ\s+quý"
            rf"|(?:định kỳ\s+)?{_THREE}\s+tháng\s*(?:(?:một|1)\s+lần|/\s*lần)|định kỳ\s+{_THREE}\s+tháng"
            rf"|mỗi\s+quý\s+{_ONCE}",
            re.IGNORECASE,
        ),
        "quarterly",
    ),
    (re.compile(rf"(?:định kỳ\s+)?(?:hằng|hàng)\s+tháng|(?<!\w)(?:mỗi|một|1)\s+tháng\s+{_ONCE}", re.IGNORECASE),
     "monthly"),
]
# "trong 6 tháng đầu năm 2020": the first half-year; "6 tháng cuối năm 2020": the second.
_HALF_RE = re.compile(
    rf"(?:{_PREP})?{_SIX}\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE
)
_ISO_ONLY_RE = re.compile(r"^\s*((?:19|20)\d\d)-(\d\d)-(\d\d)\s*$")


def _is_before(prep: str | None) -> bool:
    return bool(prep) and "trước" in prep.lower()


def _period_due(start: date, end: date, prep: str | None) -> date:
    return start - timedelta(days=1) if _is_before(prep) else end


def _quarter_due(m: re.Match[str]) -> date | None:
    raw = m.group("q").lower()
    quarter = _ROMAN.get(raw) or int(raw)
    year = int(m.group("y"))
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return _period_due(first, last, m.group("prep"))


def _month_due(m: re.Match[str]) -> date | None:
    month, year = int(m.group("m")), int(m.group("y"))
    if not 1 <= month <= 12:
        return None
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return _period_due(first, last, m.group("prep"))


def _half_due(m: re.Match[str]) -> date | None:
    year = int(m.group("y"))
    first, last = (date(year, 1, 1), date(year, 6, 30)) if m.group("half").lower() == "đầu" \
        else (date(year, 7, 1), date(year, 12, 31))
    return _period_due(first, last, m.group("prep"))


def _year_due(m: re.Match[str]) -> date | None:
    year = int(m.group("y"))
    return _period_due(date(year, 1, 1), date(year, 12, 31), m.group("prep"))


def _day_due(m: re.Match[str]) -> date | None:
    dates = find_dates(m.group("date"))
    return dates[0][0] if dates else None


def _candidates(text: str, *, bare: bool) -> list[tuple[int, int, Deadline]]:
    found: list[tuple[int, int, Deadline]] = []

    def add(start: int, end: int, due: date | None, cadence: str | None) -> None:
        found.append((start, end, Deadline(text[start:end], due, cadence)))

    for m in _DAY_RE.finditer(text):
        due = _day_due(m)
        if due is not None:
            add(m.start(), m.end(), due, None)
    for m in _DATE_RE.finditer(text):  # "31 tháng 4 năm 2020" is no day; not the month it holds either
        if _date_from_match(m) is None:
            add(m.start(), m.end(), None, None)
    if bare:  # a deadline field: any full date in it is the day ("vào ngày 15 tháng 8 năm 2020"),
        # longer than the month it contains, so it wins over "tháng 8 năm 2020"
        for value, _, (start, end) in find_dates(text):
            lead = _DAY_LEAD_RE.search(text, 0, start)
            add(lead.start() if lead else start, end, value, None)
    for regex, func in ((_QUARTER_RE, _quarter_due), (_MONTH_RE, _month_due), (_HALF_RE, _half_due)):
        for m in regex.finditer(text):
            # In running text a bare "tháng 5/2020" is an event date, not a deadline;
            # a bare quarter ("quý 2/2020") is accepted.
            if regex is _MONTH_RE and not bare and not m.group("prep"):
                continue
            due = func(m)
            if due is not None:
                add(m.start(), m.end(), due, None)
    for m in _YEAR_RE.finditer(text):
        add(m.start(), m.end(), _year_due(m), None)
    for m in _YEARLESS_DAY_RE.finditer(text):
        # a day of the calendar in some year (2000 is a leap year: "29/2 hằng năm" is one)
        if _make_date(2000, int(m.group("m") or m.group("bm")), int(m.group("d") or m.group("bd"))):
            add(m.start(), m.end(), None, None)
    for regex, cadence in _CADENCES:
        for m in regex.finditer(text):
            add(m.start(), m.end(), None, cadence)
    return found


def _select(found: list[tuple[int, int, Deadline]]) -> list[tuple[int, int, Deadline]]:
    """Longest first, non-overlapping, then in text order."""
    chosen: list[tuple[int, int, Deadline]] = []
    for cand in sorted(found, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    return chosen


def _merge_day_and_cadence(
    text: str, items: list[tuple[int, int, Deadline]]
) -> list[tuple[int, int, Deadline]]:
    """Join "trước ngày 15/12" + "hằng năm" into one deadline with a cadence."""
    merged: list[tuple[int, int, Deadline]] = []
    for item in items:
        if merged:
            prev = merged[-1]
            gap = text[prev[1] : item[0]]
            if (
                prev[2].cadence is None
                and item[2].cadence is not None
                and item[2].due is None
                and re.fullmatch(r"\s*(?:của\s+)?", gap)
                and not prev[2].text.lower().startswith(("trong", "cuối", "hết"))
            ):
                start, end = prev[0], item[1]
                merged[-1] = (start, end, Deadline(text[start:end], prev[2].due, item[2].cadence))
                continue
        merged.append(item)
    # A yearless day that found no cadence is not a deadline.
    return [m for m in merged if m[2].due is not None or m[2].cadence is not None]


def find_deadlines(text: str) -> list[tuple[Deadline, tuple[int, int]]]:
    """All deadlines in running text, in order, with NFC spans."""
    text = _nfc(text)
    items = _merge_day_and_cadence(text, _select(_candidates(text, bare=False)))
    return [(d, (s, e)) for s, e, d in items]


def parse_deadline(text: str) -> Deadline | None:
    """Parse a deadline phrase ("trong quý II năm 2020", "hằng năm", "2020-06-30").

    Also accepts a sentence: the first deadline in it is returned. A bare month
    ("tháng 5/2020") counts as a deadline here.
    """
    if not text or not text.strip():
        return None
    text = _nfc(text).strip()
    iso = _ISO_ONLY_RE.match(text)
    if iso:
        due = _make_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        return Deadline(text, due, None) if due else None
    items = _merge_day_and_cadence(text, _select(_candidates(text, bare=True)))
    if items:
        return items[0][2]
    bare_date = parse_date(text)
    if bare_date is not None:
        return Deadline(text, bare_date, None)
    return None


_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{8}")


def parse_iso_day(value: str) -> date:
    """YYYY-MM-DD or YYYYMMDD, and nothing else ``date.fromisoformat`` reads (a week date "2020-W53-1" was
    taken as 2020-12-28); ValueError saying what to write."""
    text = value.strip()
    try:
        if _ISO_DAY_RE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2020-12-31")
