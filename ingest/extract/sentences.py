"""Sentence and clause splitting with character spans.

A sentence ends at ". ", "! ", "? " (unless the period closes an abbreviation
such as "TP.", "Q.", "TS." or a line-initial number "1."/"II."/"a."), at a blank
line, and at a line break unless the next line continues in lower case (a
wrapped line). Bullet lines ("- ...", "+ ...", "1. ...") are their own
sentences. Clauses are the ";"-separated parts of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "clauses", "split_sentences"]

_ABBREVIATIONS = frozenset(
    {"tp", "q", "p", "ts", "ths", "gs", "pgs", "bs", "ks", "tx", "tt", "h", "x", "v.v", "đ/c", "no", "st"}
)
_NUMBERING_RE = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])$", re.IGNORECASE)
_END_RE = re.compile(r"[.!?](?=[\s\"”’)]*(?:\s|$))")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


# A line ending like this goes on: text copied from a PDF breaks lines mid-phrase ("... của\nBộ Chính trị",
# "trong quý\nIII năm 2020", "52-\nNQ/TW", "52-NQ/\nTW").
_GOES_ON_RE = re.compile(
    r"(?:[,\-–/]|(?<!\w)(?:của|và|hoặc|giao|về|theo|tại|cho|với|các|những|số|quý|tháng|năm|ngày|trong|trước|"
    r"đến|hiện|hành|là|được|do|để|nhằm|từ))$",
    re.IGNORECASE,
)


_CODE_GOES_ON_RE = re.compile(r"[-/][^\W\d_]")
_ITEM_RE = re.compile(r"[-+•*]\s|(?:\d{1,2}|[a-zđ]|[IVX]{1,4})[.)]\s")  # a list item starts a line


def _goes_on(text: str, end: int, next_start: int) -> bool:
    """Whether the line ending at ``end`` runs on into the next (at ``next_start``): it ends mid-phrase,
    is not a heading (upper case) and the next line is not a list item; or a code goes on in it
    ("52\n-NQ/TW", "52-NQ\n/TW": a dash or slash against the next word, not a list's "- ")."""
    if end and text[end - 1].isalnum() and _CODE_GOES_ON_RE.match(text, next_start):
        return True
    if not _GOES_ON_RE.search(text, max(0, end - 10), end) or _ITEM_RE.match(text, next_start):
        return False
    line = text[text.rfind("\n", 0, end) + 1 : end]
    return line.upper() != line


def _line_breaks(text: str) -> list[int]:
    """Offsets of newlines that end a sentence: not after a line that ends mid-phrase."""
    breaks: list[int] = []
    for m in re.finditer(r"\n", text):
        pos = m.start()
        # the characters either side of the newline, past spaces and tabs (no slices: a slice of
        # the text per line made this quadratic in the number of lines)
        b = pos
        while b > 0 and text[b - 1] in " \t":
            b -= 1
        a = pos + 1
        while a < len(text) and text[a] in " \t":
            a += 1
        if a == len(text) or text[a] == "\n" or b == 0 or text[b - 1] == "\n":
            breaks.append(pos)
            continue
        if text[b - 1] in ".;:!?" or (not text[a].islower() and not _goes_on(text, b, a)):
            breaks.append(pos)
    return breaks


def _period_breaks(text: str) -> list[int]:
    breaks: list[int] = []
    for m in _END_RE.finditer(text):
        pos = m.start()
        if text[pos] == ".":
            line_start = text.rfind("\n", 0, pos) + 1
            token_start = max(text.rfind(" ", 0, pos), text.rfind("\t", 0, pos), line_start - 1) + 1
            token = text[token_start:pos].lstrip("(")
            if token.lower() in _ABBREVIATIONS:
                continue
            if text[line_start:token_start].strip() == "" and _NUMBERING_RE.match(token):
                continue
            # Ellipsis or a decimal like "4.0" are not ends either.
            if pos + 1 < len(text) and text[pos + 1].isdigit():
                continue
        breaks.append(pos + 1)
    return breaks


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` (trimmed) with their spans."""
    cuts = sorted(set(_line_breaks(text)) | set(_period_breaks(text)) | {len(text)})
    out: list[Sentence] = []
    start = 0
    for cut in cuts:
        chunk = text[start:cut]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = start + lead, start + len(chunk.rstrip())
        if e > s:
            out.append(Sentence(s, e, text[s:e]))
        start = cut
    return out


def clauses(sentence: Sentence) -> list[Sentence]:
    """The ";"-separated clauses of a sentence."""
    out: list[Sentence] = []
    start = sentence.start
    text = sentence.text
    for m in re.finditer(r";", text):
        chunk_end = sentence.start + m.start()
        piece = text[start - sentence.start : m.start()]
        lead = len(piece) - len(piece.lstrip())
        s, e = start + lead, start + len(piece.rstrip())
        if e > s:
            out.append(Sentence(s, e, text[s - sentence.start : e - sentence.start]))
        start = chunk_end + 1
    piece = text[start - sentence.start :]
    lead = len(piece) - len(piece.lstrip())
    s, e = start + lead, start + len(piece.rstrip())
    if e > s:
        out.append(Sentence(s, e, text[s - sentence.start : e - sentence.start]))
    return out
