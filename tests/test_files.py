"""Reading structured files: every way a file can be unreadable is an IngestError at its line."""

from __future__ import annotations

import pytest

from ingest.files import IngestError, read_dataset


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.json", b'{"documents": [\n  {"title": "a\xff"}]}', "bad.json: line 2: not UTF-8: byte 0xff at offset 30"),
    ("bad.csv", b"code,title\n1/NQ-TW,x\xff\n", "bad.csv: line 2: not UTF-8: byte 0xff at offset 20"),
    ("bad.yaml", b"documents:\n  - title: \xc3\n", "bad.yaml: line 2: not UTF-8: byte 0xc3 at offset 22"),
    ("bell.yaml", b'documents:\n  - title: ok\n  - title: "\x07"\n',
     "bell.yaml: line 3: invalid YAML: character U+0007 is not allowed (a control character)"),
    ("alias.yaml", b"a: &x [1, 2]\nb: [*x, *x]\n",
     "alias.yaml: line 2: invalid YAML: aliases (*x) are not supported in ingest files"),
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
