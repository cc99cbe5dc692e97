"""Text folding: diacritics off, the same answer as a per-character category test."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from graph.text import MARK_PLANES, fold, nfc, search_text, search_text_of


def _reference(text: str) -> str:
    text = unicodedata.normalize("NFD", nfc(text)).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()


def test_vietnamese_folds() -> None:
    assert fold("Nghị quyết số 52-NQ/TW của Bộ Chính trị") == "nghi quyet so 52-nq/tw cua bo chinh tri"
    assert fold("Đảng ủy xã Ẳ") == "dang uy xa a"
    assert fold("Cu\u0309 Chi") == "cu chi"  # decomposed input


def test_fold_equals_the_per_character_rule() -> None:
    rng = random.Random(7)
    chars = [chr(c) for c in range(32, 0x3000)] + ["\U0001D167", "\U000E0100", "\U0001F600", "\U00020000"]
    for _ in range(5000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 40)))
        assert fold(text) == _reference(text), repr(text)


def test_no_combining_marks_outside_the_planes_folded() -> None:
    inside = {cp for plane in MARK_PLANES for cp in plane}
    assert not [cp for cp in range(sys.maxunicode + 1)
                if cp not in inside and unicodedata.category(chr(cp)) == "Mn"]


@pytest.mark.parametrize("parts", [
    ("Kế hoạch", "01-KH/ĐU", "Về việc thực hiện Nghị quyết 52-NQ/TW", "Đảng ủy xã Tân Bình"),
    ("", None, "TP.HCM, Đảng", "UBND tỉnh"),
    ("Nghị quyết", "52-NQ/TW", "\u0301 dấu rời ở đầu", None),
    ("ΟΔΟΣ", "x", "Σ", "  nhiều   khoảng  trắng  "),
    ("Chương trình", "12/CTr-UBND", "ke hoach da gap", "ubnd"),
])
def test_search_text_of_parts_is_the_search_text_of_the_joined_parts(parts: tuple[str | None, ...]) -> None:
    joined = search_text(" ".join(str(p) for p in parts if p))
    assert search_text_of(parts, repeated=(True, True, False, True)) == joined
    assert search_text_of(parts, repeated=(False, False, False, False)) == joined
