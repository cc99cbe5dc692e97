"""Group mentions: "các quận ủy, huyện ủy", "các đơn vị thuộc Bộ", "UBND các quận, huyện".

A group is not an institution of the gazetteer; it is kept as written
(normalised: white space, lower-case list, "uỷ" -> "ủy", abbreviations of the
leading body expanded) and, when the text says so, with the body it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.gazetteer import Mention, fold_chars

__all__ = ["GroupMention", "find_groups"]

_NOUNS = (
    "quan uy|huyen uy|thi uy|thanh uy|tinh uy|dang uy khoi|dang uy|cap uy dang|cap uy|"
    "to chuc co so dang|to chuc dang|chi bo co so|dang bo co so|chi bo|dang bo|ban can su dang|dang doan|so|ban|nganh|"
    "don vi|co quan ngang bo|co quan thuoc chinh phu|co quan|doan the chinh tri - xa hoi|doan the|dia phuong|quan|"
    "huyen|thi xa|thanh pho|tinh|phuong|xa|thi tran|bo|ban dang"
)
# The same nouns with their tone marks: the folded match accepts "tổ chức đảng quán triệt" ("quán" folds to "quận")
_NOUNS_VI = (
    "quận ủy|huyện ủy|thị ủy|thành ủy|tỉnh ủy|đảng ủy khối|đảng ủy|cấp ủy đảng|cấp ủy|"
    "tổ chức cơ sở đảng|tổ chức đảng|chi bộ cơ sở|đảng bộ cơ sở|chi bộ|đảng bộ|ban cán sự đảng|đảng đoàn|sở|ban|ngành|"
    "đơn vị|cơ quan ngang bộ|cơ quan thuộc chính phủ|cơ quan|đoàn thể chính trị - xã hội|đoàn thể|địa phương|quận|"
    "huyện|thị xã|thành phố|tỉnh|phường|xã|thị trấn|bộ|ban đảng"
)
_LIST_VI_RE = re.compile(
    rf"các\s+(?:{_NOUNS_VI})(?:(?:\s*,\s*(?:và\s+)?|\s+và\s+|\s+)(?:{_NOUNS_VI}))*(?![\w])"
)
_PRE: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "uy ban nhan dan": "Ủy ban nhân dân",
    "ban thuong vu": "Ban Thường vụ",
    "btv": "Ban Thường vụ",
    "thuong truc": "Thường trực",
    "ban tuyen giao": "Ban Tuyên giáo",
    "ban dan van": "Ban Dân vận",
    "ban to chuc": "Ban Tổ chức",
    "uy ban kiem tra": "Ủy ban Kiểm tra",
    "dang uy": "Đảng ủy",
    "ban can su dang": "Ban cán sự đảng",
    "bcsd": "Ban cán sự đảng",
}
_TAIL_BODIES = (
    "bo|thanh uy|tinh uy|trung uong|tw|quan uy|huyen uy|"
    "(?:uy ban nhan dan|ubnd) (?:thanh pho|tinh|quan|huyen)|thanh pho|tinh|quan|huyen"
)
_PRE_ALT = "|".join(sorted(_PRE, key=len, reverse=True))
_GROUP_RE = re.compile(
    rf"(?<![\w])(?:(?P<pre>{_PRE_ALT})\s+)?(?P<list>cac\s+(?:{_NOUNS})"
    rf"(?:(?:\s*,\s*(?:va\s+)?|\s+va\s+|\s+)(?:{_NOUNS}))*)(?![\w])"
    rf"(?P<tail>\s+(?:truc thuoc|thuoc)(?:\s+(?P<tb>{_TAIL_BODIES})(?![\w]))?)?"
)


@dataclass(frozen=True, slots=True)
class GroupMention:
    name: str
    start: int
    end: int
    surface: str
    parent: str | None


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*,\s*", ", ", text)
    return text.replace("uỷ", "ủy").replace("Uỷ", "Ủy")


def find_groups(text: str, mentions: list[Mention]) -> list[GroupMention]:
    """Group mentions in NFC ``text``; ``mentions`` resolve the "thuộc <body>" tail."""
    folded = fold_chars(text)
    lowered = text.lower().replace("uỷ", "ủy")  # same length: offsets are kept
    out: list[GroupMention] = []
    for m in _GROUP_RE.finditer(folded):
        # The list must not end inside a word of a longer phrase ("các bộ phận").
        end = m.end("list")
        accented = _LIST_VI_RE.match(lowered, m.start("list")) if len(lowered) == len(text) else None
        # A word that only folds like a noun ends the list, and what follows it is no tail.
        cut = accented is not None and accented.end() < end
        if cut:
            end = accented.end()
        parts: list[str] = []
        if m["pre"]:
            parts.append(_PRE[m["pre"]])
        parts.append(_clean(text[m.start("list") : end]).lower().replace("chính phủ", "Chính phủ"))
        parent: str | None = None
        if m["tail"] and not cut:
            head = "trực thuộc" if m["tail"].strip().startswith("truc") else "thuộc"
            end = m.end("tail")
            rest = ""
            if m["tb"] == "trung uong" and not text[m.start("tb")].isupper():
                rest = "trung ương"  # "các tỉnh, thành phố trực thuộc trung ương": a level, not a body
            elif m["tb"] and not text[m.start("tb")].isupper():
                end = m.start("tb")  # "trực thuộc quán triệt": not a body
                while end > 0 and text[end - 1].isspace():
                    end -= 1
            elif m["tb"]:
                inner = next((x for x in mentions if x.start == m.start("tb")), None)
                if inner is not None:
                    parent = inner.name
                    end = max(end, inner.end)
                rest = _clean(text[m.start("tb") : end])
            parts.append(f"{head} {rest}".strip())
        name = " ".join(parts)
        out.append(GroupMention(name, m.start(), end, text[m.start() : end], parent))
    return out
