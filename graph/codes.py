"""Parser for Vietnamese document numbers and symbols (số, ký hiệu).

Two families exist (see the domain primer):

* Party documents: ``NUMBER-TYPE/ISSUER`` (``52-NQ/TW``, ``15-KH/BCSĐ``);
* State documents: ``NUMBER/TYPE-ISSUER`` or ``NUMBER/YEAR/TYPE-ISSUER``
  (``749/QĐ-TTg``, ``30/2020/NĐ-CP``). An official letter has no type:
  ``1906/VPCP-KGVX`` is letter 1906 of the Government Office, unit KGVX.

The parser tolerates NFD input, spaces around separators and dash variants, and
repairs the common "wrong family" slip (``52/NQ-TW`` for ``52-NQ/TW``) when the
issuer code is a Party one. Unknown shapes raise :class:`CodeError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from graph.text import fold, nfc, slug


class DocType(StrEnum):
    RESOLUTION = "resolution"
    CONCLUSION = "conclusion"
    DIRECTIVE = "directive"
    PLAN = "plan"
    PROGRAMME = "programme"
    GUIDANCE = "guidance"
    DECISION = "decision"
    REGULATION = "regulation"
    NOTICE = "notice"
    REPORT = "report"
    OFFICIAL_LETTER = "official_letter"
    DECREE = "decree"
    CIRCULAR = "circular"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Neo4j label: ``official_letter`` -> ``OfficialLetter``."""
        return "".join(part.capitalize() for part in self.value.split("_"))


# Canonical abbreviation -> type. Lookup is case-insensitive (see _ABBREV_BY_FOLD).
TYPE_ABBREVIATIONS: dict[str, DocType] = {
    "NQ": DocType.RESOLUTION,
    "KL": DocType.CONCLUSION,
    "CT": DocType.DIRECTIVE,
    "KH": DocType.PLAN,
    "CTr": DocType.PROGRAMME,
    "HD": DocType.GUIDANCE,
    "QĐ": DocType.DECISION,
    "QĐi": DocType.REGULATION,
    "QyĐ": DocType.REGULATION,
    "TB": DocType.NOTICE,
    "BC": DocType.REPORT,
    "CV": DocType.OFFICIAL_LETTER,
    "NĐ": DocType.DECREE,
    "TT": DocType.CIRCULAR,
    "TTLT": DocType.CIRCULAR,
    "TTr": DocType.OTHER,
    "CĐ": DocType.OTHER,
    "HĐ": DocType.OTHER,
}
_ABBREV_BY_UPPER = {k.upper(): k for k in TYPE_ABBREVIATIONS}
# Typed without diacritics ("750/QD-UBND", "30/2020/ND-CP"): the abbreviation it can only be. HĐ is left
# out: without its stroke it is HD (guidance).
_ASCII_FORMS: dict[str, list[str]] = {}
for _k in TYPE_ABBREVIATIONS:
    _ASCII_FORMS.setdefault(fold(_k).upper(), []).append(_k)
_ABBREV_BY_ASCII = {a: ks[0] for a, ks in _ASCII_FORMS.items() if len(ks) == 1 and a not in _ABBREV_BY_UPPER}

# Issuer codes that only the Party uses; a state-shaped code with one of these
# issuers is a mis-typed Party code ("52/NQ-TW").
PARTY_ISSUERS = frozenset(
    {"TW", "BCSĐ", "BTGTW", "BTGDVTW", "BDVTW", "BTCTW", "BKTTW", "UBKTTW", "VPTW",
     "TU", "QU", "HU", "ĐU", "TXU", "ĐĐ", "BTGTU", "BTCTU", "BDVTU", "UBKTTU", "ĐUK"}
)

# Spellings of the Central Committee's issuer code: "52-NQ/TƯ" is 52-NQ/TW (folded, TƯ would be the key
# of a provincial committee's "TU").
_ISSUER_SPELLINGS = {"TƯ": "TW", "T.Ư": "TW", "T.W": "TW", "T.Ư.": "TW"}


# Issuer codes as they are written, for the spelling of a code typed otherwise ("bcsd", "ttg"): the
# stored code took the case and diacritics of its latest mention, so it changed with each source.
_STATE_ISSUERS = ("TTg", "CP", "VPCP", "UBND", "HĐND", "QH", "UBTVQH", "TTCP", "KTNN", "NHNN", "MTTQ",
                  "BNV", "BTC", "BCT", "BYT", "BCA", "BQP", "BNG", "BTP", "BXD", "BGTVT", "BGDĐT", "BKHĐT",
                  "BLĐTBXH", "BTNMT", "BTTTT", "BVHTTDL", "BNNPTNT", "BKHCN", "UBDT", "VP")
_CANONICAL_ISSUERS: dict[str, str] = {}
for _c in (*sorted(PARTY_ISSUERS), *_STATE_ISSUERS):
    assert fold(_c).upper() not in _CANONICAL_ISSUERS, _c  # one spelling per folded form
    _CANONICAL_ISSUERS[fold(_c).upper()] = _c
_SEGMENT_RE = re.compile(r"([.\-])")


def _issuer_code(raw: str) -> str:
    raw = _ISSUER_SPELLINGS.get(raw.upper(), raw)
    # each part of "VPCP-KGVX": a known code as written, an unknown one in capitals when typed in lower case
    return "".join(_CANONICAL_ISSUERS.get(fold(part).upper()) or (part.upper() if part.islower() else part)
                   for part in _SEGMENT_RE.split(raw))


_LETTERS = r"A-Za-zĐđƯưƠơÂâÊêÔôĂă"
_PARTY_RE = re.compile(
    rf"^(?P<number>\d+)-(?P<type>[{_LETTERS}]+)/(?P<issuer>[{_LETTERS}][{_LETTERS}0-9.\-]*)$"
)
_STATE_RE = re.compile(
    rf"^(?P<number>\d+)/(?:(?P<year>(?:19|20)\d\d)/)?"
    rf"(?P<type>[{_LETTERS}]+)-(?P<issuer>[{_LETTERS}][{_LETTERS}0-9.\-]*)$"
)


class CodeError(ValueError):
    """A string that is not a recognisable document number and symbol."""


@dataclass(frozen=True, slots=True)
class DocCode:
    number: str
    type_abbrev: str | None
    type: DocType
    issuer_code: str
    year: int | None
    family: str  # "party" | "state"
    unit: str | None = None
    # computed once (parses are cached, and loaders ask a national file's codes for them ~10^5 times)
    _code: str = field(init=False, repr=False, compare=False)
    _key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code", self._written(self.type_abbrev))
        # the key folds Đ to d, which made HĐ the HD of a guidance: 5-HĐ/TW and 5-HD/TW were one document
        keyed = self._written("HDD") if self.type_abbrev == "HĐ" else self._code
        object.__setattr__(self, "_key", slug(keyed.replace(self.number, self.number.lstrip("0") or "0", 1)))

    def _written(self, type_abbrev: str | None) -> str:
        if self.family == "party":
            return f"{self.number}-{type_abbrev or 'CV'}/{self.issuer_code}"
        year = f"{self.year}/" if self.year else ""
        head = type_abbrev if type_abbrev else self.issuer_code
        tail = self.issuer_code if type_abbrev else (self.unit or "")
        if type_abbrev and self.unit:
            tail = f"{self.issuer_code}-{self.unit}"
        return f"{self.number}/{year}{head}-{tail}"

    @property
    def code(self) -> str:
        """The normalised code as it should be written."""
        return self._code

    @property
    def key(self) -> str:
        """Identity key of the code alone: leading zeros and case do not matter."""
        return self._key


def _canonical_abbrev(raw: str) -> str | None:
    return _ABBREV_BY_UPPER.get(raw.upper()) or _ABBREV_BY_ASCII.get(raw.upper())


# A mention names the document before its number: "Nghị quyết số 52-NQ/TW", "NQ 52-NQ/TW", "Kế hoạch 15-KH/BCSĐ".
_NOUNS = ("kế hoạch hành động", "chương trình hành động", "chương trình", "kế hoạch", "nghị quyết", "hướng dẫn",
          "chỉ thị", "kết luận", "quyết định", "quy định", "thông báo", "báo cáo", "công văn", "nghị định",
          "thông tư", "văn bản", "tờ trình", "đề án")
_MENTION_RE = re.compile(
    r"^(?:" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + "|"
    + "|".join(sorted(TYPE_ABBREVIATIONS, key=len, reverse=True)) + r")\s+(?=(?:số|so)\b|\d)",
    re.IGNORECASE,
)


def _squeeze(text: str) -> str:
    text = nfc(text)
    text = _MENTION_RE.sub("", text)
    text = re.sub(r"^(?:số|so|No\.?)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return text.strip(" .,;:()")


def parse_code(text: str) -> DocCode:
    """Parse a document number and symbol; raise :class:`CodeError` if unknown."""
    if not isinstance(text, str):
        raise CodeError("empty document code")
    parsed = _parse_cached(text)
    if isinstance(parsed, CodeError):
        raise CodeError(*parsed.args)
    return parsed


@lru_cache(maxsize=1 << 18)
def _parse_cached(text: str) -> DocCode | CodeError:
    """Parses are cached, failures too (as the error): loaders ask about every reference, most of
    which are institution ids that are not codes, and an exception is not cached by lru_cache."""
    try:
        return _parse(text)
    except CodeError as exc:
        return exc


def _parse(text: str) -> DocCode:
    if not isinstance(text, str) or not text.strip():
        raise CodeError("empty document code")
    raw = _squeeze(text)
    if " " in raw:
        raise CodeError(f"not a document code: {text!r} (contains spaces)")
    match = _PARTY_RE.match(raw)
    if match:
        abbrev = _canonical_abbrev(match["type"])
        if abbrev is None:
            raise CodeError(f"unknown document type {match['type']!r} in {text!r}")
        return DocCode(
            number=match["number"],
            type_abbrev=abbrev,
            type=TYPE_ABBREVIATIONS[abbrev],
            issuer_code=_issuer_code(match["issuer"]),
            year=None,
            family="party",
        )
    match = _STATE_RE.match(raw)
    if match:
        year = int(match["year"]) if match["year"] else None
        abbrev = _canonical_abbrev(match["type"])
        issuer = _issuer_code(match["issuer"])
        if abbrev is not None:
            if issuer.upper() in {p.upper() for p in PARTY_ISSUERS} and year is None:
                # "52/NQ-TW": a Party code written in the state shape.
                return DocCode(
                    number=match["number"],
                    type_abbrev=abbrev,
                    type=TYPE_ABBREVIATIONS[abbrev],
                    issuer_code=issuer,
                    year=None,
                    family="party",
                )
            return DocCode(
                number=match["number"],
                type_abbrev=abbrev,
                type=TYPE_ABBREVIATIONS[abbrev],
                issuer_code=issuer,
                year=year,
                family="state",
            )
        # No type: an official letter "1906/VPCP-KGVX" (issuer, then unit).
        return DocCode(
            number=match["number"],
            type_abbrev=None,
            type=DocType.OFFICIAL_LETTER,
            issuer_code=_issuer_code(match["type"]),
            year=year,
            family="state",
            unit=issuer,
        )
    raise CodeError(
        f"unrecognised document code {text!r}: expected NUMBER-TYPE/ISSUER "
        "(e.g. 52-NQ/TW) or NUMBER/[YEAR/]TYPE-ISSUER (e.g. 749/QĐ-TTg)"
    )


def normalise_code(text: str) -> str:
    """The normalised string form of a code (raises :class:`CodeError`)."""
    return parse_code(text).code


def try_parse_code(text: str) -> DocCode | None:
    # Every code shape has a "/" (_PARTY_RE, _STATE_RE): loaders ask about every reference, and most
    # are uids that then need neither the squeeze nor a slot in the parse cache.
    if not isinstance(text, str) or "/" not in text:
        return None
    parsed = _parse_cached(text)
    return None if isinstance(parsed, CodeError) else parsed
