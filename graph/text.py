"""Text normalisation shared by ids, search and extraction.

Vietnamese arrives both composed (NFC) and decomposed (NFD); everything is
normalised to NFC on the way in. Folding removes diacritics (and maps đ/Đ to d)
for diacritic-insensitive matching and for URL-safe slugs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_RE = re.compile(f"[{DASHES}]")
_SPACE_RE = re.compile(r"\s+")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 17)
def nfc(text: str) -> str:
    """Unicode NFC with dash variants unified and runs of white space collapsed (cached: a national
    file repeats the same issuer names, codes and references thousands of times)."""
    text = unicodedata.normalize("NFC", text)
    text = _DASH_RE.sub("-", text)
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, diacritic-free form: "Nghị quyết Đảng" -> "nghi quyet dang"."""
    text = unicodedata.normalize("NFD", nfc(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.lower()


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """URL-safe ASCII slug: "Bộ Chính trị" -> "bo-chinh-tri"."""
    return _SLUG_RE.sub("-", fold(text)).strip("-")
