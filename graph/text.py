"""Text normalisation shared by ids, search and extraction.

Vietnamese arrives both composed (NFC) and decomposed (NFD); everything is
normalised to NFC on the way in. Folding removes diacritics (and maps đ/Đ to d)
for diacritic-insensitive matching and for URL-safe slugs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_RE = re.compile(f"[{DASHES}]")
_SPACE_RE = re.compile(r"\s+")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_WORD_RE = re.compile(r"[a-z0-9]+")
_WORDS_RE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


#: Ð and ð (Icelandic eth, U+00D0/U+00F0) for Vietnamese Đ and đ (U+0110/U+0111): they look alike,
#: and text converted from the old TCVN3 and VNI encodings has them ("15-KH/BCSÐ", "Ðảng").
#: Vietnamese has no eth, so they are the stroked D wherever they occur.
ETH_TO_D = str.maketrans("Ðð", "Đđ")


@lru_cache(maxsize=1 << 17)
def nfc(text: str) -> str:
    """Unicode NFC with dash variants unified, eth read as Vietnamese Đ, and runs of white space
    collapsed (cached: a national file repeats the same issuer names, codes and references
    thousands of times)."""
    text = unicodedata.normalize("NFC", text).translate(ETH_TO_D)
    text = _DASH_RE.sub("-", text)
    return _SPACE_RE.sub(" ", text).strip()


#: the planes that hold combining marks (BMP, SMP, SSP: tests/test_text.py checks there are no others)
MARK_PLANES = (range(0x20000), range(0xE0000, 0xF0000))
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _class(codepoints: list[int]) -> re.Pattern[str]:
    runs: list[tuple[int, int]] = []
    for cp in codepoints:
        if runs and cp == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], cp)
        else:
            runs.append((cp, cp))
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "")
                                    for a, b in runs) + "]")


@cache
def _marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every combining mark (Unicode category Mn) as two character classes, built on first use: those
    of the Basic Multilingual Plane, and the rest (a class with astral ranges matches 8x slower, so
    it runs only on text that has astral characters). One re.sub per text is ~4x faster than testing
    each character's category (~20 µs per title)."""
    marks = [cp for plane in MARK_PLANES for cp in plane if unicodedata.category(chr(cp)) == "Mn"]
    return _class([cp for cp in marks if cp < 0x10000]), _class([cp for cp in marks if cp >= 0x10000])


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, diacritic-free form: "Nghị quyết Đảng" -> "nghi quyet dang" (cached, as nfc)."""
    return fold_once(text)


def fold_once(text: str) -> str:
    """:func:`fold` without its caches, for text seen once (a pass over every node's search text
    would only evict the names and codes the caches are for)."""
    text = unicodedata.normalize("NFD", nfc.__wrapped__(text)).replace("đ", "d").replace("Đ", "D")
    bmp, astral = _marks()
    text = bmp.sub("", text)
    return (astral.sub("", text) if _ASTRAL_RE.search(text) else text).lower()


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """URL-safe ASCII slug: "Bộ Chính trị" -> "bo-chinh-tri"."""
    return _SLUG_RE.sub("-", fold(text)).strip("-")


def words(text: str) -> list[str]:
    """The search words of a text: its folded runs of ``a-z0-9`` ("TP.HCM, Đảng" -> tp, hcm, dang).
    Users' words and indexed text both go through it, so every store sees the same tokens."""
    return _WORD_RE.findall(fold(text))


def search_text(text: str) -> str:
    """A text as the search index holds it: its :func:`words`, one space apart. Idempotent and cheap
    on text already in that form (uncached: each title is seen once)."""
    if _WORDS_RE.fullmatch(text):
        return text
    return " ".join(_WORD_RE.findall(fold_once(text)))


def search_text_of(parts: Iterable[object], repeated: Sequence[bool]) -> str:
    """``search_text(" ".join(parts))`` without refolding what repeats: the parts flagged in ``repeated``
    (a type name, a code, an issuer's name: the same few thousand across a national file) go through a
    cache, the rest (a title, seen once) are folded once. Equal, as words never span the space between
    two parts."""
    out = []
    for part, again in zip(parts, repeated, strict=True):
        if part:
            words = _repeated_words(str(part)) if again else search_text(str(part))
            if words:
                out.append(words)
    return " ".join(out)


@lru_cache(maxsize=1 << 15)
def _repeated_words(text: str) -> str:
    return search_text(text)
