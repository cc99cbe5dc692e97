"""The preamble of a document: its own number, issuer, date and title noun.

    BAN CÁN SỰ ĐẢNG                      ĐẢNG CỘNG SẢN VIỆT NAM
    BỘ CÔNG THƯƠNG                       Hà Nội, ngày 28 tháng 4 năm 2020
    *
    Số 15-KH/BCSĐ
    KẾ HOẠCH
    thực hiện Nghị quyết số 52-NQ/TW ...

The header zone is the text before the title line (an upper-case line starting
with a document noun) within the first lines and before any line of running prose
(an upper-case subheading inside a news article is no title); without one (an official letter), the
text before "Kính gửi" or up to the "<place>, ngày ..." line. The own code is on a
line starting with "Số"; the issuer is the body a title names ("NGHỊ QUYẾT / CỦA BỘ
CHÍNH TRỊ"), else it is read from the body lines above the code (stacked lines such as
"BAN CHẤP HÀNH TRUNG ƯƠNG / BAN TUYÊN GIÁO" are combined); the date comes from the
"<place>, ngày ..." line. The two columns above are on lines of their own by then
(ingest.extract.clean splits them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from graph.codes import DocType
from ingest.dates import find_dates
from ingest.extract.refs import code_spans, noun_type
from ingest.gazetteer import Gazetteer, fold_chars

__all__ = ["Header", "parse_header"]

_MAX_LINES = 25
UNTITLED_LINES = 12  # the header zone at most, when a text has no title line
_TITLE_NOUNS = (
    "ke hoach hanh dong", "chuong trinh hanh dong", "ke hoach", "chuong trinh", "huong dan",
    "nghi quyet", "quyet dinh", "chi thi", "ket luan", "thong bao", "bao cao", "cong van",
    "quy dinh", "thong tu", "nghi dinh", "to trinh",
)
_NOUN_BY_FOLD = {
    "ke hoach hanh dong": "kế hoạch hành động", "chuong trinh hanh dong": "chương trình hành động",
    "ke hoach": "kế hoạch", "chuong trinh": "chương trình", "huong dan": "hướng dẫn",
    "nghi quyet": "nghị quyết", "quyet dinh": "quyết định", "chi thi": "chỉ thị",
    "ket luan": "kết luận", "thong bao": "thông báo", "bao cao": "báo cáo",
    "cong van": "công văn", "quy dinh": "quy định", "thong tu": "thông tư",
    "nghi dinh": "nghị định", "to trinh": "tờ trình",
}
_SKIP_LINE_RE = re.compile(  # not an issuer line (folded): the national mottos, "<place>, ngày ..."
    r"dang cong san viet nam|cong hoa xa hoi|doc lap|^\W*$|,\s*ngay\b", re.IGNORECASE
)
_NUMBER_LINE_RE = re.compile(r"^\s*số\b", re.IGNORECASE)  # "Số: ..." (not folded: "SỞ CÔNG THƯƠNG" is a body)
# "Số" or "SỐ" opening a line: not a lower-case "số", which starts a wrapped line of prose ("... Nghị
# quyết\nsố 52-NQ/TW ...") and made the cited resolution the text's own document
_SO_RE = re.compile(r"^[ \t]*(?:Số|SỐ)\s*[:.]?\s*", re.MULTILINE)
_UMBRELLA_RE = re.compile(r"BAN\s+CHẤP\s+HÀNH\s+TRUNG\s+ƯƠNG", re.IGNORECASE)
_PLACE_DATE_RE = re.compile(r"[^\n,]{2,40},\s*(?:ngày\s+)?$", re.IGNORECASE)
_PLACE_DATE_REACH = 120  # how far before a date _PLACE_DATE_RE can start: 40 + ", " + "ngày" and spacing


@dataclass(frozen=True, slots=True)
class Header:
    code: str | None
    code_span: tuple[int, int] | None
    issuer: str | None
    issuer_span: tuple[int, int] | None
    date: date | None
    noun: str | None  # title noun, lower case ("kế hoạch")
    type: DocType | None
    title_start: int | None
    end: int  # end of the header zone


def _lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_CODE_TOKEN_RE = re.compile(r"\b\d+[/-]\S+")


def _title_noun(line: str) -> str | None:
    """The folded document noun a title line starts with ("KẾ HOẠCH ..." -> "ke hoach"), else None."""
    line = line.strip()
    bare = _CODE_TOKEN_RE.sub("", line)  # a code keeps its case in an upper-case title: "749/QĐ-TTg"
    if not line or bare.upper() != bare or not any(ch.isalpha() for ch in line):
        return None
    folded = fold_chars(line)
    return next((noun for noun in _TITLE_NOUNS if folded == noun or folded.startswith(noun + " ")), None)


# A sentence of running prose ends on this line: a word, then ".", "!" or "?" before a space or the line end.
_SENTENCE_END_RE = re.compile(r"[^\W\d_]{2}[.!?](?=\s|$)")
_PROSE_MIN_WORDS = 6


def _is_prose(line: str) -> bool:
    """Whether ``line`` is running prose, which ends the header zone: a title line only opens a document
    above it. Header lines are short and end no sentence (bodies, "Số ...", "<place>, ngày ...", the
    mottos); a news lead ends a sentence in a line of several words. Upper-case lines are never prose
    ("UBND TP. HỒ CHÍ MINH")."""
    line = line.strip()
    return line.upper() != line and len(line.split()) >= _PROSE_MIN_WORDS and bool(_SENTENCE_END_RE.search(line))


def title_line_index(lines: list[str]) -> int | None:
    """The index of the title line (the end of the header zone) among a text's first lines, before any
    line of prose: an upper-case subheading after a news lead ("KẾ HOẠCH TRIỂN KHAI ...") is no title."""
    for i, line in enumerate(lines[:_MAX_LINES]):
        if _title_noun(line):
            return i
        if _is_prose(line):
            return None
    return None


def _title_line(text: str, lines: list[tuple[int, int]]) -> tuple[int, str] | None:
    i = title_line_index([text[s:e] for s, e in lines[:_MAX_LINES]])
    if i is None:
        return None
    s, e = lines[i]
    noun = _title_noun(text[s:e])
    assert noun is not None
    return s + (len(text[s:e]) - len(text[s:e].lstrip())), noun


def _issuer(text: str, lines: list[tuple[int, int]], gaz: Gazetteer) -> tuple[str, tuple[int, int]] | None:
    body = [(s, e) for s, e in lines if text[s:e].strip() and not _NUMBER_LINE_RE.match(text[s:e])
            and not _SKIP_LINE_RE.search(fold_chars(text[s:e]))]
    body = [(s, e) for s, e in body if gaz.find_all(text[s:e]) or len(body) <= 3]
    if not body:
        return None
    last = body[-1]
    prev = body[-2] if len(body) > 1 else None
    context = text[: last[0]]
    attempts: list[tuple[str, tuple[int, int]]] = []
    if prev is not None:
        attempts.append((text[prev[0] : prev[1]].strip() + " " + text[last[0] : last[1]].strip(),
                         (prev[0], last[1])))
        parent = gaz.resolve(text[prev[0] : prev[1]].strip(), context)
        if parent == "Ban Chấp hành Trung ương":
            attempts.append((text[last[0] : last[1]].strip() + " Trung ương", (prev[0], last[1])))
        elif parent is not None:
            attempts.append((text[last[0] : last[1]].strip() + " " + parent, (prev[0], last[1])))
            region = _REGION_RE.search(parent)  # "UBND TỈNH ĐỒNG NAI / SỞ CÔNG THƯƠNG": the province's Sở
            if region:
                attempts.append((text[last[0] : last[1]].strip() + " " + region[0], (prev[0], last[1])))
    attempts.append((text[last[0] : last[1]].strip(), last))
    for candidate, span in attempts:
        name = gaz.resolve(candidate, context)
        if name is not None:
            return name, span
    mentions = gaz.find_all(text[last[0] : last[1]], context)
    if mentions:
        m = mentions[-1]
        return m.name, (last[0] + m.start, last[0] + m.end)
    return None


_OF_BODY_RE = re.compile(r"^\s*(?:\S.*?\s)?CỦA\s+(?P<body>\S.*?)\s*$")


def _issuing_body(text: str, lines: list[tuple[int, int]], title_start: int, gaz: Gazetteer
                  ) -> tuple[str, tuple[int, int]] | None:
    """The body a title names ("NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ"): under the umbrella header of its
    committee ("BAN CHẤP HÀNH TRUNG ƯƠNG"), a Politburo or Secretariat document names its issuer
    there, on the title line or the upper-case line after it."""
    if not _UMBRELLA_RE.search(text[:title_start]):  # elsewhere "CỦA X" in a title is the document it carries out
        return None
    at = next(i for i, (s, e) in enumerate(lines) if s <= title_start <= e)
    for s, e in lines[at : at + 2]:
        m = _OF_BODY_RE.match(text[s:e])
        if m and m["body"].upper() == m["body"]:
            name = gaz.resolve(m["body"].strip(), text[:s])
            if name is not None:
                return name, (s + m.start("body"), s + m.end("body"))
        lead = _OF_LEAD_RE.match(text, s, e)
        if lead:  # "KẾT LUẬN / của Bộ Chính trị về ...": the body opening the subtitle
            mention = next((x for x in gaz.find_all(text[lead.end() : e], text[:s]) if x.start == 0), None)
            if mention is not None and mention.name in _CENTRAL_ISSUERS:
                return mention.name, (lead.end(), lead.end() + mention.end)
    return None


_OF_LEAD_RE = re.compile(r"[ \t]*của[ \t]+", re.IGNORECASE)
_CENTRAL_ISSUERS = {"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"}


_REGION_RE = re.compile(r"(?:tỉnh|thành phố)\s.+$", re.IGNORECASE)
_ADDRESS_RE = re.compile(r"^\s*kính gửi\b", re.IGNORECASE)


def _untitled_zone_end(text: str, lines: list[tuple[int, int]]) -> int:
    """The end of the header of a text without a title line (an official letter): before its "Kính gửi"
    line, else after its "<place>, ngày ..." line, else after the first UNTITLED_LINES lines. A letter's body
    starts right after its address, often within those 12 lines."""
    first = lines[: min(len(lines), UNTITLED_LINES)]
    for s, e in first:
        if _ADDRESS_RE.match(text[s:e]):
            return s
    for s, e in first:
        for _, _, (ds, _de) in find_dates(text[s:e]):
            # only the words before the date: a search of the line's whole prefix per date was quadratic in a
            # line of dates (12.7 s for one line of 1,500 references)
            if _PLACE_DATE_RE.search(text, max(s, s + ds - _PLACE_DATE_REACH), s + ds):
                return e
    return first[-1][1]


def parse_header(text: str, gaz: Gazetteer) -> Header | None:
    """The preamble of ``text`` (NFC), or None when the text has none."""
    lines = _lines(text)
    title = _title_line(text, lines)
    zone_end = title[0] if title else _untitled_zone_end(text, lines)
    zone = text[:zone_end]
    code: str | None = None
    code_span: tuple[int, int] | None = None
    so_line_start: int | None = None
    for m in _SO_RE.finditer(zone):
        spans = [c for c in code_spans(zone) if c[0] == m.end()]
        if spans:
            code, code_span = spans[0][2], (spans[0][0], spans[0][1])
            so_line_start = m.start()
            break
    if code is None and title is None:
        return None
    issuer_lines = [(s, e) for s, e in _lines(zone) if so_line_start is None or e <= so_line_start]
    found = (_issuing_body(text, lines, title[0], gaz) if title else None) or _issuer(text, issuer_lines, gaz)
    if code is None and found is None:
        return None
    when: date | None = None
    for value, _, (s, _e) in find_dates(zone):
        if _PLACE_DATE_RE.search(zone[max(0, s - 60) : s].split("\n")[-1]):
            when = value
            break
    noun = _NOUN_BY_FOLD[title[1]] if title else None
    dtype = noun_type(noun)
    return Header(
        code=code,
        code_span=code_span,
        issuer=found[0] if found else None,
        issuer_span=found[1] if found else None,
        date=when,
        noun=noun,
        type=dtype,
        title_start=title[0] if title else None,
        end=zone_end,
    )
