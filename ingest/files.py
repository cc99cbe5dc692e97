"""Read structured ingest files (YAML, JSON, CSV) into plain records.

Every record remembers where it came from (``line N`` for YAML and CSV,
``documents[3]`` for JSON) so that errors can name the place.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.text import nfc

LOC = "__loc__"
SECTIONS = ("sources", "institutions", "documents", "relations")


class IngestError(ValueError):
    """A file that cannot be ingested; nothing of it was written."""

    #: how many problems the message lists, and how long one may be: a file of 200,000 bad rows made a
    #: 65 MB error (25x its size), and a problem quoting a huge value repeated it whole
    SHOWN = 100
    MESSAGE_CHARS = 300

    def __init__(self, path: str, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems  # all of them
        lines = [f"{path}: {loc}: {msg}" if loc else f"{path}: {msg}" for loc, msg in self.shown()]
        if len(problems) > self.SHOWN:
            lines.append(f"{path}: ... and {len(problems) - self.SHOWN:,} more problems ({len(problems):,} in all)")
        super().__init__("\n".join(lines))

    def shown(self) -> list[tuple[str, str]]:
        """The first SHOWN problems, each message cut to MESSAGE_CHARS."""
        cut = self.MESSAGE_CHARS
        return [(loc, msg if len(msg) <= cut else msg[: cut - 1] + "…") for loc, msg in self.problems[: self.SHOWN]]


@dataclass(slots=True)
class RawDataset:
    path: str
    content: bytes
    source: str | None = None  # default source id for the file's records
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping, and refuses aliases."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        # Nested aliases expand exponentially (a ~500-byte "billion laughs" file is 10^6 strings
        # and more); records are flat, so an alias is refused where it stands.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"aliases (*{event.anchor}) are not supported in "
                                              "ingest files: write the value out", event.start_mark)
        return super().compose_node(parent, index)  # type: ignore[no-any-return]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A scalar PyYAML cannot build ("!!bool maybe", "!!int abc", an integer of 5,000 digits: Python's
        # limit) raised ValueError/KeyError/... and was a 500: it is an error at the value's line.
        try:
            return super().construct_object(node, deep=deep)
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
            value = str(node.value)[:40] if isinstance(node, yaml.ScalarNode) else node.tag
            raise yaml.constructor.ConstructorError(
                None, None, f"the value {value!r} ({node.tag.rsplit(':', 1)[-1]}) cannot be read: "
                f"{type(exc).__name__}", node.start_mark) from exc


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    # PyYAML keeps the last of two equal keys: a second `documents:` block would silently replace the first
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} is not text: field names are "
                                                    "words such as 'title'", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice (lines {seen[key]} "
                                                    f"and {line}): the second would replace the first",
                                                    key_node.start_mark)
        seen[key] = line
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LOC] = f"line {node.start_mark.line + 1}"
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings: "2019-09-27" is validated by the loader, not turned into a date here.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Repeated(dict[str, Any]):
    """A JSON object that gave a key twice (json keeps the last, silently): kept to be found by place."""

    repeated: str


def _load_json(text: str) -> tuple[Any, bool]:
    """The parsed JSON, and whether an object in it gave a key twice."""
    seen: list[_Repeated] = []

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                found = _Repeated(pairs)
                found.repeated = key
                seen.append(found)
                return found
            out[key] = value
        return out

    return json.loads(text, object_pairs_hook=unique_keys), bool(seen)


def _first_repeated(value: Any, place: str = "") -> tuple[str, str] | None:
    """Where the first object with a repeated key is, as records are placed ('documents[2]'), and the key."""
    if isinstance(value, _Repeated):
        return place, value.repeated
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(item, (dict, list)):
            inner = f"{place}[{key}]" if isinstance(key, int) else f"{place}.{key}" if place else str(key)
            found = _first_repeated(item, inner)
            if found is not None:
                return found
    return None


# What YAML refuses (its printable set), refused in JSON and CSV alike: control characters other
# than tab and line breaks, lone surrogates ("\ud800" in JSON), U+FFFE/FFFF. XML (GraphML) cannot
# hold them, and a surrogate cannot even be written as UTF-8.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Unprintable(ValueError):
    pass


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        bad = _UNPRINTABLE.search(value)
        if bad:
            raise _Unprintable(f"character U+{ord(bad.group()):04X} is not allowed (a control character, a "
                               "lone surrogate or a non-character)")
        return nfc(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == LOC else _clean(v)) for k, v in value.items()}
    return value


def _from_mapping(path: str, content: bytes, data: Any) -> RawDataset:
    if not isinstance(data, dict):
        raise IngestError(path, [("", "the top level must be a mapping with "
                                      "sources/institutions/documents/relations")])
    unknown = sorted(set(data) - set(SECTIONS) - {"source", LOC})
    if unknown:
        raise IngestError(path, [(str(data.get(LOC, "")), f"unknown section(s) {unknown}; "
                                  f"expected {list(SECTIONS)} and 'source'")])
    try:
        source = _clean(data.get("source"))  # NFC, as every value
    except _Unprintable as exc:
        raise IngestError(path, [(str(data.get(LOC, "")), f"source: {exc}")]) from exc
    ds = RawDataset(path=path, content=content, source=source)
    for section in SECTIONS:
        records = data.get(section) or []
        if not isinstance(records, list):
            raise IngestError(path, [(str(data.get(LOC, "")), f"'{section}' must be a list")])
        out = []
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                raise IngestError(path, [(f"{section}[{i}]", "each record must be a mapping")])
            try:
                rec = _clean(rec)
            except _Unprintable as exc:
                raise IngestError(path, [(str(rec.get(LOC) or f"{section}[{i}]"), str(exc))]) from exc
            rec.setdefault(LOC, f"{section}[{i}]")
            out.append(rec)
        ds.sections[section] = out
    return ds


_LIST_COLUMNS = {"aliases", "implements", "guides", "cites", "supersedes", "part_of"}


def _csv_section(header: list[str]) -> str:
    cols = set(header)
    if {"type", "from", "to"} <= cols:
        return "relations"
    if "code" in cols or "status" in cols:
        return "documents"
    if "name" in cols:
        return "institutions"
    if "title" in cols and "id" in cols:
        return "sources"
    raise ValueError("cannot tell what the CSV holds: expected a 'code' column (documents), "
                     "'name' (institutions) or 'type,from,to' (relations)")


def _decode(path: str, content: bytes) -> str:
    """The file's text (UTF-8, a BOM allowed), or an error naming the line of the first bad byte."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        raise IngestError(path, [(f"line {line}", f"not UTF-8: byte 0x{content[exc.start]:02x} at offset "
                                                  f"{exc.start} ({exc.reason})")]) from exc


def _from_csv(path: str, content: bytes) -> RawDataset:
    text = _decode(path, content)
    # strict: a quote left open is an error, not a cell running to the end of the file (every row
    # after it swallowed, silently)
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        twice = sorted({h for h in header if header.count(h) > 1})
        if twice:
            raise ValueError(f"column(s) {twice} appear twice: the second would replace the first")
        section = _csv_section(header)
    except (ValueError, csv.Error) as exc:
        raise IngestError(path, [("line 1", str(exc))]) from exc
    return _csv_records(path, content, reader, header, section)


def _csv_records(path: str, content: bytes, reader: Any, header: list[str], section: str) -> RawDataset:
    records = []
    width = len(header)
    while True:
        start = reader.line_num + 1  # a record's place is the line it starts on (a quoted cell may span lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a quote left open, a cell over the csv module's field size limit
            raise IngestError(path, [(f"line {start}", f"invalid CSV: {exc}")]) from exc
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # an empty line, or one of spaces
        place = f"line {start}"
        if len(row) < width:
            missing = header[len(row):]
            raise IngestError(path, [(place, f"fewer cells than columns: {len(row)} of {width}, none for {missing}")])
        if len(row) > width:
            raise IngestError(path, [(place, "more cells than columns")])
        rec: dict[str, Any] = {LOC: place}
        for key, value in zip(header, row, strict=True):
            value = value.strip()
            if not value:
                continue
            rec[key] = [v.strip() for v in value.split(";") if v.strip()] \
                if key in _LIST_COLUMNS else value
        try:
            records.append(_clean(rec))
        except _Unprintable as exc:
            raise IngestError(path, [(place, str(exc))]) from exc
    ds = RawDataset(path=path, content=content)
    ds.sections = {s: [] for s in SECTIONS}
    ds.sections[section] = records
    return ds


def read_regular_file(path: str | Path) -> bytes:
    """A regular file's bytes (through symlinks); IngestError for anything else: a FIFO hung ``kg ingest``
    for ever, and /dev/zero ran it out of memory."""
    try:
        if not Path(path).is_file() and Path(path).exists():
            raise IngestError(str(path), [("", "not a regular file")])
        return Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(str(path), [("", f"cannot read: {exc.strerror}")]) from exc


def read_dataset(path: str | Path, content: bytes | None = None, fmt: str | None = None) -> RawDataset:
    """Parse one file; ``fmt`` is yaml, json or csv (default: from the extension)."""
    try:
        return _read_dataset(str(path), content, fmt)
    except RecursionError as exc:  # the parsers recurse per level: "[[[[...]]]]" from a client would be a 500
        raise IngestError(str(path), [("", "values nested too deeply (a data set nests a few levels: "
                                           "documents, their assignments, their fields)")]) from exc


def _read_dataset(path: str, content: bytes | None, fmt: str | None) -> RawDataset:
    if content is None:
        content = read_regular_file(path)
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt in ("yaml", "yml"):
        text = _decode(path, content)
        try:
            data = yaml.load(text, Loader=_LineLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            loc = f"line {mark.line + 1}" if mark else ""
            raise IngestError(path, [(loc, f"invalid YAML: {exc.problem}")]) from exc
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
            line = text[:exc.position].count("\n") + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            raise IngestError(path, [(f"line {line}", f"invalid YAML: character U+{code:04X} is not "
                                                      "allowed (a control character)")]) from exc
        return _from_mapping(path, content, data)
    if fmt == "json":
        try:
            data, repeats = _load_json(_decode(path, content))
        except json.JSONDecodeError as exc:
            raise IngestError(path, [(f"line {exc.lineno}", f"invalid JSON: {exc.msg}")]) from exc
        except ValueError as exc:
            raise IngestError(path, [("", f"invalid JSON: {exc}")]) from exc
        repeated = _first_repeated(data) if repeats else None
        if repeated is not None:
            raise IngestError(path, [(repeated[0], f"invalid JSON: the key {repeated[1]!r} appears twice in one "
                                                   "object: the second would replace the first")])
        return _from_mapping(path, content, data)
    if fmt == "csv":
        return _from_csv(path, content)
    raise IngestError(path, [("", f"unknown format {fmt!r}: use .yaml, .json or .csv")])
