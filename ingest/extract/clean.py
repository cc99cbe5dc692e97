"""The text the extractor reads: raw text as users have it (copied from PDFs, Word or web pages)
made regular, so that every rule sees one space between words.

* Unicode NFC (Vietnamese arrives composed and decomposed);
* line ends: CRLF and CR become LF;
* invisible characters go: soft hyphens (PDF hyphenation), zero-width spaces and joiners, BOMs;
* page-number lines of a PDF copy ("- 3 -") go, so the sentence they cut is one again;
* every kind of space (no-break, thin, ideographic, tab) is a space, but a tab above a title line
  is a column gap (text copied from a Word table has one tab between the header's cells);
* in the header zone (the lines above the title, see :mod:`ingest.extract.header`), a gap of
  three or more spaces separates two columns: the right column goes on a line of its own, so
  "ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" keeps its issuer;
* runs of spaces become one space, and lines lose their leading and trailing spaces.

Every span of an extraction refers to this text (``Extraction.text``).
"""

from __future__ import annotations

import re
import unicodedata

from graph.text import ETH_TO_D
from ingest.extract.header import UNTITLED_LINES, title_line_index

_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE_RE = re.compile(r"[^\S\n]")  # any white space but a line end
_COLUMN_GAP_RE = re.compile(r"(?<=\S) {3,}(?=\S)")
_RUN_RE = re.compile(r" {2,}")
_PAGE_NUMBER_RE = re.compile(r"^ *- *\d{1,4} *- *\n", re.MULTILINE)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(ETH_TO_D).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    if "\t" in text:  # above a title, a tab separates the header's cells (a Word table), as a column gap does
        raw = text.split("\n")
        for i in range(title_line_index(raw) or 0):
            raw[i] = raw[i].replace("\t", "   ")
        text = "\n".join(raw)
    text = _PAGE_NUMBER_RE.sub("", _SPACE_RE.sub(" ", text))
    lines = text.split("\n")
    zone = title_line_index(lines)
    for i in range(zone if zone is not None else min(len(lines), UNTITLED_LINES)):
        lines[i] = _COLUMN_GAP_RE.sub("\n", lines[i].strip())
    return "\n".join(_RUN_RE.sub(" ", line).strip() for line in "\n".join(lines).split("\n"))
