"""Reading structured files: every way a file can be unreadable is an IngestError at its line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from ingest.files import IngestError, read_dataset
from ingest.loader import ingest_path


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.json", b'{"documents": [\n  {"title": "a\xff"}]}', "bad.json: line 2: not UTF-8: byte 0xff at offset 30"),
    ("bad.csv", b"code,title\n1/NQ-TW,x\xff\n", "bad.csv: line 2: not UTF-8: byte 0xff at offset 20"),
    ("bad.yaml", b"documents:\n  - title: \xc3\n", "bad.yaml: line 2: not UTF-8: byte 0xc3 at offset 22"),
    ("bell.yaml", b'documents:\n  - title: ok\n  - title: "\x07"\n',
     "bell.yaml: line 3: invalid YAML: character U+0007 is not allowed (a control character)"),
    ("alias.yaml", b"a: &x [1, 2]\nb: [*x, *x]\n",
     "alias.yaml: line 2: invalid YAML: aliases (*x) are not supported in ingest files"),
    ("twice.yaml", b"documents:\n  - code: 1/NQ-TW\ndocuments:\n  - code: 2/NQ-TW\n",
     "twice.yaml: line 3: invalid YAML: the key 'documents' appears twice (lines 1 and 3)"),
    ("field.yaml", b"documents:\n  - code: 1/NQ-TW\n    code: 2/NQ-TW\n",
     "field.yaml: line 3: invalid YAML: the key 'code' appears twice (lines 2 and 3)"),
    ("numkey.yaml", b"documents:\n  - {code: 1/NQ-TW, 1: x}\n",
     "numkey.yaml: line 2: invalid YAML: the key 1 is not text"),
    ("twice.json", b'{"documents": [{"code": "1/NQ-TW", "code": "2/NQ-TW"}]}',
     "twice.json: documents[0]: invalid JSON: the key 'code' appears twice in one object"),
    ("nested.json", b'{"documents": [{"code": "1/NQ-TW"}, {"assigns": [{}, {"to": "a", "to": "b"}]}]}',
     "nested.json: documents[1].assigns[1]: invalid JSON: the key 'to' appears twice in one object"),
    ("twice.csv", b"code,code,issuer\n1/NQ-TW,2/NQ-TW,x\n", "twice.csv: line 1: column(s) ['code'] appear twice"),
    ("huge.csv", b"code,title\n1/NQ-TW," + b"x" * 200_000 + b"\n",
     "huge.csv: line 2: invalid CSV: field larger than field limit"),
    ("short.csv", b"code,issuer,issued_on,title\n1/NQ-TW,x,2020-01-01,t\n2/NQ-TW,x\n",
     "short.csv: line 3: fewer cells than columns: 2 of 4, none for ['issued_on', 'title']"),
    ("long.csv", b"code,title\n1/NQ-TW,t,extra\n", "long.csv: line 2: more cells than columns"),
    # control characters YAML refuses were accepted from JSON and CSV, and GraphML could not hold them
    ("ctl.json", b'{"institutions": [{"id": "a", "name": "B\\u1ed9 A\\u0001"}]}',
     "ctl.json: institutions[0]: character U+0001 is not allowed"),
    ("surrogate.json", b'{"documents": [{"id": "a"}, {"id": "b", "title": "\\ud800"}]}',
     "surrogate.json: documents[1]: character U+D800 is not allowed"),
    ("nul.csv", b"id,name\na,ok\nb,B\x00\n", "nul.csv: line 3: character U+0000 is not allowed"),
    ("src.json", b'{"source": "s\\u0007", "documents": []}', "src.json: source: character U+0007"),
    # a quote left open swallowed every row after it into one cell, silently
    ("quote.csv", "id,name\na,\"Bộ A\nb,Bộ B\nc,Bộ C\n".encode(),
     "quote.csv: line 2: invalid CSV: unexpected end of data"),
    # a record is placed where it starts, not on the last line its quoted title runs to
    ("multi.csv", b'code,issuer,issued_on,title\n5-NQ/TW,x,2020-13-01,"one\ntwo\nthree"\n6-NQ/TW,x\n',
     "multi.csv: line 5: fewer cells than columns: 2 of 4"),
])
def test_unreadable_files_name_the_line(name: str, content: bytes, message: str) -> None:
    with pytest.raises(IngestError) as err:
        read_dataset(name, content)
    assert message in str(err.value)


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    with pytest.raises(IngestError, match=r"line 2: invalid YAML: aliases \(\*a\)"):
        read_dataset("laughs.yaml", "\n".join(lines).encode())


def test_a_bom_is_allowed() -> None:
    ds = read_dataset("bom.csv", "\ufeffcode,title\n52-NQ/TW,Nghị quyết\n".encode())
    assert ds.sections["documents"][0]["title"] == "Nghị quyết"


def test_empty_csv_lines_are_skipped() -> None:
    """Blank lines (a trailing one, one between rows, CRLF ones) are no records, and no short rows."""
    ds = read_dataset("blank.csv", b"code,title\r\n1/NQ-TW,a\r\n\r\n2/NQ-TW,b\r\n\r\n\r\n")
    rows = [(r["__loc__"], r["code"]) for r in ds.sections["documents"]]
    assert rows == [("line 2", "1/NQ-TW"), ("line 4", "2/NQ-TW")]


def test_a_file_in_nfd_names_its_default_source_in_nfc(tmp_path: Path) -> None:
    """The top-level 'source' stayed decomposed while the declared ids were composed: 'unknown source'."""
    text = unicodedata.normalize("NFD", "source: báo-tuổi-trẻ\nsources: [{id: báo-tuổi-trẻ, title: Báo Tuổi Trẻ}]\n"
                                        "institutions: [{id: bo-chinh-tri, name: Bộ Chính trị}]\n")
    assert read_dataset("nfd.yaml", text.encode()).source == "báo-tuổi-trẻ"
    store = MemoryStore(tmp_path / "kg.json")
    path = tmp_path / "nfd.yaml"
    path.write_text(text, encoding="utf-8")
    ingest_path(store, path)
    assert store.get_nodes(["bo-chinh-tri"])["bo-chinh-tri"]["sources"] == ["src-bao-tuoi-tre"]


def test_a_csv_record_is_placed_on_its_first_line_and_lines_of_spaces_are_empty() -> None:
    content = b'code,issuer,issued_on,title\n5-NQ/TW,x,2020-01-01,"one\ntwo"\n   \n\n6-NQ/TW,x,2020-01-02,t\n'
    ds = read_dataset("ok.csv", content)
    assert [(r["code"], r["__loc__"], r["title"]) for r in ds.sections["documents"]] == \
        [("5-NQ/TW", "line 2", "one two"), ("6-NQ/TW", "line 6", "t")]


_HEAD = "source: s\nsources: [{id: s, title: S}]\ninstitutions:\n  - {id: tu, name: T}\ndocuments:\n"


@pytest.mark.parametrize(("value", "message"), [
    ("1" * 5000, "line 6: invalid YAML: the value '1111"),
    ("!!bool maybe", "line 6: invalid YAML: the value 'maybe' (bool) cannot be read"),
    ("!!int abc", "line 6: invalid YAML: the value 'abc' (int) cannot be read"),
    ("!!float abc", "line 6: invalid YAML: the value 'abc' (float) cannot be read"),
    ("!!timestamp notadate", "line 6: invalid YAML: the value 'notadate' (timestamp) cannot be read"),
    ("0x" + "f" * 4000, "line 6: 'title' is a number too long to write as text: put it in quotes"),
])
def test_a_value_yaml_cannot_build_is_an_error_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    """PyYAML raised ValueError/KeyError/AttributeError for these (a 500 from POST /ingest, a traceback that
    stopped `kg ingest`); a huge hexadecimal integer failed later, turned into text."""
    store = MemoryStore(tmp_path / "kg.jsonl")
    content = (_HEAD + f"  - {{id: a, issuer: tu, type: plan, title: {value}}}\n").encode()
    with pytest.raises(IngestError) as caught:
        ingest_path(store, "x.yaml", content=content, fmt="yaml")
    assert message in str(caught.value)
    assert store.stats().nodes == {}


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A FIFO made `kg ingest` wait for ever, and a link to /dev/zero ran it out of memory."""
    import os

    from ingest.text_loader import read_text_file

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(IngestError, match="not a regular file"):
        read_dataset(fifo)
    with pytest.raises(IngestError, match="not a regular file"):
        read_text_file(zero)
    with pytest.raises(IngestError, match="cannot read"):
        read_dataset(tmp_path / "missing.yaml")
