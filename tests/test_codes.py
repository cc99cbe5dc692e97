import unicodedata

import pytest

from graph.codes import CodeError, DocType, parse_code


@pytest.mark.parametrize(
    ("text", "code", "doc_type", "issuer", "year"),
    [
        ("52-NQ/TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        # TƯ is how TW is spelt with diacritics; folded it was "TU", a provincial committee's code
        ("52-NQ/TƯ", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("số 52-NQ/T.Ư", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("52/NQ-TƯ", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("30-KH/TU", "30-KH/TU", DocType.PLAN, "TU", None),
        # mentions name the document first (domain primer, "Mentions vary")
        ("Nghị quyết số 52-NQ/TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("NQ 52-NQ/TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("Quyết định 749/QĐ-TTg", "749/QĐ-TTg", DocType.DECISION, "TTg", None),
        # typed without diacritics: it was read as an official letter of issuer "QD"
        ("750/QD-UBND", "750/QĐ-UBND", DocType.DECISION, "UBND", None),
        ("30/2020/ND-CP", "30/2020/NĐ-CP", DocType.DECREE, "CP", 2020),
        ("15-KH/BCSĐ", "15-KH/BCSĐ", DocType.PLAN, "BCSĐ", None),
        ("116-HD/BTGTW", "116-HD/BTGTW", DocType.GUIDANCE, "BTGTW", None),
        ("749/QĐ-TTg", "749/QĐ-TTg", DocType.DECISION, "TTg", None),
        ("30/2020/NĐ-CP", "30/2020/NĐ-CP", DocType.DECREE, "CP", 2020),
        ("1906/VPCP-KGVX", "1906/VPCP-KGVX", DocType.OFFICIAL_LETTER, "VPCP", None),
        ("52 - NQ/TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("52–NQ/TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("52/NQ-TW", "52-NQ/TW", DocType.RESOLUTION, "TW", None),
        ("số 01-CTr/TU", "01-CTr/TU", DocType.PROGRAMME, "TU", None),
        ("71- KH/BTGTU", "71-KH/BTGTU", DocType.PLAN, "BTGTU", None),
        (unicodedata.normalize("NFD", "15-KH/BCSĐ"), "15-KH/BCSĐ", DocType.PLAN, "BCSĐ", None),
    ],
)
def test_parse(text: str, code: str, doc_type: DocType, issuer: str, year: int | None) -> None:
    parsed = parse_code(text)
    assert (parsed.code, parsed.type, parsed.issuer_code, parsed.year) == \
        (code, doc_type, issuer, year)
    assert unicodedata.is_normalized("NFC", parsed.code)


@pytest.mark.parametrize("text", ["", "hello", "52", "NQ/TW", "52-XYZ/TW", None])
def test_unknown_shapes_raise_a_clear_error(text: object) -> None:
    with pytest.raises(CodeError):
        parse_code(text)  # type: ignore[arg-type]


def test_key_ignores_leading_zeros_and_case() -> None:
    assert parse_code("01-CTr/TU").key == parse_code("1-ctr/tu").key
    assert parse_code("000-NQ/TW").key == parse_code("0-NQ/TW").key == "0-nq-tw"
    # Đ folds to d, but HĐ is not HD (a guidance): two documents, two keys
    assert parse_code("5-HĐ/TW").key == parse_code("05-hđ/tw").key == "5-hdd-tw" != parse_code("5-HD/TW").key
    assert parse_code("7/HĐ-UBND").key == "7-hdd-ubnd" and parse_code("7/HD-UBND").key == "7-hd-ubnd"
    assert parse_code("15-KH/BCSĐ").key == parse_code("15-KH/BCSD").key == "15-kh-bcsd"


@pytest.mark.parametrize(("typed", "written"), [
    ("15-kh/bcsđ", "15-KH/BCSĐ"), ("15-KH/BCSD", "15-KH/BCSĐ"), ("749/qđ-ttg", "749/QĐ-TTg"),
    ("749/QD-TTG", "749/QĐ-TTg"), ("30/2020/nd-cp", "30/2020/NĐ-CP"), ("12-kh/duk", "12-KH/ĐUK"),
    ("1906/vpcp-kgvx", "1906/VPCP-KGVX"), ("7/KH-UBND-VX", "7/KH-UBND-VX"), ("3-KH/Abc", "3-KH/Abc"),
])
def test_a_code_is_written_one_way_however_it_was_typed(typed: str, written: str) -> None:
    """The stored code took the case and diacritics of its latest mention, so it changed with each
    source: a known issuer code is written as it is written, an unknown one typed in lower case in
    capitals, any other as typed."""
    assert parse_code(typed).code == written
    assert parse_code("0" * 9000 + "7" * 5000 + "/QĐ-TTg").key == parse_code("7" * 5000 + "/QĐ-TTg").key
