"""The shape of every value in a raw record, checked before anything reads it.

CSV cells are always text; YAML and JSON values may be numbers, yes/no, lists or mappings. A
number where text is expected becomes text (``title: 2020`` is the title "2020", as in a CSV),
in place. Anything else of the wrong shape is a problem at the record's place: it never reaches
the graph, where a list or a number in a text field would break every reader.
"""

from __future__ import annotations

from typing import Any

from ingest.files import LOC

#: fields that take one text or a list of texts
TEXT_LISTS = frozenset({"aliases", "implements", "guides", "cites", "supersedes", "part_of"})
#: fields that take true/false (or its text)
FLAGS = frozenset({"illustrative"})
#: fields that take a mapping of text fields, or a list of them (``reports_to`` also takes a text)
NESTED = {"assigns": False, "reports_to": True}
#: fields whose value ends up in a Neo4j range index (a uid, a name, a code, a reference): Neo4j refuses
#: index keys over ~8 KB, i.e. ~2,700 Vietnamese characters; both stores refuse them here, far below
INDEXED = frozenset({"id", "uid", "name", "code", "issuer", "owner", "type", "status", "to", "from"})
MAX_INDEXED = 1000


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _text(holder: dict[str, Any] | list[Any], key: Any, value: Any, name: str, problems: list[str]) -> None:
    """Leave text as it is, turn a number into text in ``holder``, report anything else."""
    if isinstance(value, str) and key in INDEXED and len(value) > MAX_INDEXED:
        problems.append(f"'{name}' is {len(value):,} characters long: at most {MAX_INDEXED:,} (it is indexed)")
        return
    if value is None or isinstance(value, str):
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            holder[key] = str(value)
        except ValueError:  # Python writes at most 4,300 digits of an int ("0x" and 4,000 hex digits in YAML)
            problems.append(f"'{name}' is a number too long to write as text: put it in quotes")
        return
    problems.append(f"'{name}' must be text, not {_kind(value)} ({value!r})")


def _fields(rec: dict[str, Any], prefix: str, problems: list[str]) -> None:
    for name, value in list(rec.items()):
        if name == LOC or value is None:
            continue
        label = f"{prefix}{name}"
        if name in FLAGS:
            if not isinstance(value, bool | str):
                problems.append(f"'{label}' must be true or false, not {_kind(value)} ({value!r})")
        elif name in TEXT_LISTS:
            if isinstance(value, list):
                for i, item in enumerate(value):
                    _text(value, i, item, f"{label}[{i}]", problems)
            else:
                _text(rec, name, value, label, problems)
        elif name in NESTED and not prefix:
            listed = isinstance(value, list)
            entries = value if listed else [value]
            for i, entry in enumerate(entries):
                where = f"{label}[{i}]" if listed else label
                if isinstance(entry, dict):
                    _fields(entry, f"{where}.", problems)
                elif NESTED[name] and not isinstance(entry, bool | list):  # a bare reference: text
                    _text(entries, i, entry, where, problems)
                else:
                    problems.append(f"'{where}' must be a mapping, not {_kind(entry)} ({entry!r})")
            if not listed:
                rec[name] = entries[0]
        else:
            _text(rec, name, value, label, problems)


def shape_problems(rec: dict[str, Any]) -> list[str]:
    """What is of the wrong shape in ``rec`` (numbers in text fields are turned into text first)."""
    problems: list[str] = []
    _fields(rec, "", problems)
    return problems
