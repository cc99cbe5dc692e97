"""Document references: "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị".

A reference is an optional type noun ("Nghị quyết", "Kế hoạch hành động",
"NQ"...), an optional "số", and a code (Party ``52-NQ/TW`` or State ``749/QĐ-TTg``,
``30/2020/NĐ-CP``, ``1906/VPCP-KGVX``), tolerant of spaces and dash variants
("52 - NQ/TW", "71- KH/BTGTU", "52–NQ/TW") and of the wrong family ("52/NQ-TW").
A code typed in lower case ("kế hoạch số 30-kh/tu") counts only after a document noun.
A noun followed by a bare number ("Nghị quyết số 52") is a number-only reference.

Metadata attached right after the code is read too: "ngày <date>" (or a date in
parentheses) and "của <body>" / "do <body> (ban hành)".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date

from graph.codes import DocType, try_parse_code
from graph.text import DASHES
from ingest.dates import find_dates
from ingest.gazetteer import Mention

__all__ = ["NOUN_TYPES", "Ref", "code_spans", "find_refs", "noun_type"]

_L = r"[^\W\d_]"
_SEPS = f"[-/{DASHES}]"
_CODE_RE = re.compile(
    rf"(?<![\w/.])(?P<num>\d{{1,5}})(?:\s*/\s*(?P<year>(?:19|20)\d\d))?"
    rf"\s*(?P<s1>{_SEPS})\s*(?P<typ>{_L}+)\s*(?P<s2>{_SEPS})\s*"
    rf"(?P<iss>{_L}[^\W_]*(?:[.\-][^\W_]+)*)"
)

# Vietnamese noun -> type; longest first in the regex.
NOUN_TYPES: dict[str, DocType | None] = {
    "kế hoạch hành động": DocType.PLAN,
    "chương trình hành động": DocType.PROGRAMME,
    "chương trình": DocType.PROGRAMME,
    "kế hoạch": DocType.PLAN,
    "nghị quyết": DocType.RESOLUTION,
    "hướng dẫn": DocType.GUIDANCE,
    "chỉ thị": DocType.DIRECTIVE,
    "kết luận": DocType.CONCLUSION,
    "quyết định": DocType.DECISION,
    "quy định": DocType.REGULATION,
    "thông báo": DocType.NOTICE,
    "báo cáo": DocType.REPORT,
    "công văn": DocType.OFFICIAL_LETTER,
    "nghị định": DocType.DECREE,
    "thông tư": DocType.CIRCULAR,
    "văn bản": None,
    "tờ trình": DocType.OTHER,
    "đề án": DocType.OTHER,
}
_ABBREV_NOUNS: dict[str, DocType] = {
    "NQ": DocType.RESOLUTION,
    "KH": DocType.PLAN,
    "CTr": DocType.PROGRAMME,
    "HD": DocType.GUIDANCE,
    "CT": DocType.DIRECTIVE,
    "KL": DocType.CONCLUSION,
    "QĐ": DocType.DECISION,
}
_NEEDS_SO = {"báo cáo", "thông báo", "công văn", "văn bản", "tờ trình", "đề án"}
_NOUN_ALT = "|".join(sorted(NOUN_TYPES, key=len, reverse=True))
_ABBR_ALT = "|".join(sorted(_ABBREV_NOUNS, key=len, reverse=True))
_NOUN_BEFORE_RE = re.compile(
    rf"(?:(?P<noun>(?i:{_NOUN_ALT}))|(?P<abbr>{_ABBR_ALT}))?\s*(?P<so>(?i:số)\s*[:.]?\s*)?$"
)
_NUMBER_ONLY_RE = re.compile(
    rf"(?<!\w)(?P<noun>(?i:{_NOUN_ALT})|NQ)\s+(?P<so>(?i:số)\s*[:.]?\s*)?(?P<num>\d{{1,4}})"
    rf"(?![\d{DASHES}/-]|[.,]\d|\s*{_SEPS}\s*{_L})"
    r"(?!\s+(?:tháng|năm|lần|quý|ngày|nhóm|nội dung|điểm|mục|người|nhiệm vụ|giải pháp|chương|điều|%))"
)


@dataclass(frozen=True, slots=True)
class Ref:
    """One reference in the text. Spans are NFC offsets."""

    code: str  # normalised code, or the bare number for a number-only reference
    type: DocType
    number: str
    numbered_only: bool
    start: int  # noun (or "số") start
    end: int  # code end
    code_start: int
    extent_end: int  # end of the attached date/issuer metadata
    noun: str | None
    date: date | None
    issuer: str | None

    @property
    def surface_span(self) -> tuple[int, int]:
        return self.start, self.end


def noun_type(noun: str | None) -> DocType | None:
    if noun is None:
        return None
    if noun in _ABBREV_NOUNS:
        return _ABBREV_NOUNS[noun]
    return NOUN_TYPES.get(noun.lower())


# A document noun (and "số") right before a code written in lower case ("kế hoạch số 30-kh/tu"): the
# nouns that are verbs too ("báo cáo", "thông báo") name a document only with "số".
_LOWER_CODE_LEAD_RE = re.compile(
    rf"(?<!\w)(?:(?:{'|'.join(sorted(set(NOUN_TYPES) - _NEEDS_SO, key=len, reverse=True))})\s+(?:số\s*[:.]?\s*)?"
    rf"|(?:{'|'.join(sorted(_NEEDS_SO, key=len, reverse=True))})\s+số\s*[:.]?\s*)$",
    re.IGNORECASE,
)


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised code) of every valid code in ``text``. A code's type and issuer start with
    a capital ("52-NQ/TW", "749/QĐ-TTg"), unless a document noun leads it ("nghị quyết 52-nq/tw"): a
    lower-case token alone is too often no code. The code is normalised to its canonical spelling."""
    out: list[tuple[int, int, str]] = []
    for m in _CODE_RE.finditer(text):
        lower = not (m["typ"][0].isupper() and m["iss"][0].isupper())
        if lower and not _LOWER_CODE_LEAD_RE.search(text, max(0, m.start() - 40), m.start()):
            continue
        s1 = "/" if m["s1"] == "/" else "-"
        s2 = "/" if m["s2"] == "/" else "-"
        if s1 == s2:
            continue
        year = f"/{m['year']}" if m["year"] else ""
        parsed = try_parse_code(f"{m['num']}{year}{s1}{m['typ']}{s2}{m['iss']}")
        # in lower case, a known type abbreviation is required: a state shape without one ("3/ca-kip") would
        # read as an official letter of issuer "CA"
        if parsed is not None and not (lower and parsed.type_abbrev is None):
            out.append((m.start(), m.end(), parsed.code))
    return out


_DATE_LEAD_RE = re.compile(
    r"\s*,?\s*(?P<open>\(\s*)?(?:(?:ban hành|ký)\s+)?(?P<ngay>ngày\s+)?", re.IGNORECASE
)
_ISSUER_LEAD_RE = re.compile(r"\s*,?\s*(?:của|do)\s+", re.IGNORECASE)


def _metadata(
    text: str, end: int, mentions: dict[int, Mention], limit: int
) -> tuple[date | None, str | None, int]:
    """Date and issuer attached right after offset ``end``; returns the new end."""
    when: date | None = None
    issuer: str | None = None
    for _ in range(2):
        progressed = False
        rest = text[end:limit]
        lead = _DATE_LEAD_RE.match(rest)
        if when is None and lead and (lead["open"] or lead["ngay"]):
            found = find_dates(rest[: lead.end() + 30])
            # ", ngày <date>" dates the reference only when its issuer follows ("..., ngày 27/9/2019 của
            # Bộ Chính trị"); else it dates the main clause ("Thực hiện Nghị quyết số 52-NQ/TW, ngày
            # 15/3/2020, Tỉnh ủy ... ban hành ...") and made a false issue date of the resolution
            if found and found[0][2][0] == lead.end() and "," in rest[: lead.start("ngay") if lead["ngay"] else 0] \
                    and not lead["open"] and not _ISSUER_LEAD_RE.match(rest, found[0][2][1]):
                found = []
            if found and found[0][2][0] == lead.end():
                when = found[0][0]
                new_end = end + found[0][2][1]
                if lead["open"]:
                    close = re.match(r"\s*\)", text[new_end:limit])
                    new_end += close.end() if close else 0
                end = new_end
                progressed = True
                continue
        lead = _ISSUER_LEAD_RE.match(rest)
        if issuer is None and lead:
            at = end + lead.end()
            mention = mentions.get(at)
            if mention is not None:
                issuer = mention.name
                end = mention.end
                progressed = True
        if not progressed:
            break
    return when, issuer, end


def find_refs(text: str, mentions: list[Mention], limits: list[tuple[int, int]]) -> list[Ref]:
    """All references in ``text`` (NFC). ``limits`` are sentence spans: metadata
    never crosses a sentence end."""

    starts = [s for s, _ in limits]  # sentences are in text order
    at_start: dict[int, Mention] = {}  # the first mention starting at each position
    for mention in mentions:
        at_start.setdefault(mention.start, mention)

    def sentence_end(pos: int) -> int:
        i = bisect_right(starts, pos) - 1
        return limits[i][1] if i >= 0 and pos < limits[i][1] else len(text)

    refs: list[Ref] = []
    taken: list[tuple[int, int]] = []
    for start, end, code in code_spans(text):
        parsed = try_parse_code(code)
        assert parsed is not None
        before = _NOUN_BEFORE_RE.search(text[max(0, start - 40) : start])
        noun = None
        ref_start = start
        if before and (before["noun"] or before["abbr"] or before["so"]):
            noun = before["noun"] or before["abbr"]
            ref_start = max(0, start - 40) + before.start()
            ref_start += len(text[ref_start:start]) - len(text[ref_start:start].lstrip())
        dtype = parsed.type
        if dtype is DocType.OTHER:
            dtype = noun_type(noun) or DocType.OTHER
        when, issuer, extent = _metadata(text, end, at_start, sentence_end(start))
        refs.append(Ref(code, dtype, parsed.number, False, ref_start, end, start, extent, noun,
                        when, issuer))
        taken.append((ref_start, end))
    for m in _NUMBER_ONLY_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        noun = m["noun"]
        if noun.lower() in _NEEDS_SO and not m["so"]:
            continue
        dtype = noun_type(noun)
        if dtype is None:
            continue
        when, issuer, extent = _metadata(text, m.end(), at_start, sentence_end(m.start()))
        refs.append(Ref(m["num"], dtype, m["num"], True, m.start(), m.end(), m.start("num"),
                        extent, noun, when, issuer))
    refs.sort(key=lambda r: r.start)
    return _shared_issuers(text, refs)


_COORDINATED_RE = re.compile(r"\s*(?:,|và|,\s*và)\s*", re.IGNORECASE)


def _shared_issuers(text: str, refs: list[Ref]) -> list[Ref]:
    """"các Nghị quyết số 52-NQ/TW ngày 27/9/2019 và số 55-NQ/TW ngày 11/02/2020 của Bộ Chính trị": one
    "của" closes a list of references that share their noun, so every one of them has that issuer."""
    for i in range(len(refs) - 2, -1, -1):
        ref, nxt = refs[i], refs[i + 1]
        if ref.issuer is None and nxt.issuer is not None and nxt.noun is None \
                and _COORDINATED_RE.fullmatch(text, ref.extent_end, nxt.start):
            refs[i] = replace(ref, issuer=nxt.issuer)
    return refs
