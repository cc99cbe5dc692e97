"""Exports of the whole graph."""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import pickle
import re
import shlex
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graph.heap import collector_paused
from graph.store import GraphStore

# Characters XML 1.0 cannot hold: written, they made a file no parser reads (ingest refuses them now,
# but a graph written before may hold them)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _flat(value: Any, where: str, field: str) -> Any:
    """GraphML holds scalars only: lists become '; '-joined strings."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and (bad := _NOT_XML.search(value)):
        raise ValueError(f"{where}: {field} holds the character U+{ord(bad.group()):04X}, which XML cannot "
                         "hold: correct it and ingest again")
    return value


def write_graphml(store: GraphStore, path: Path) -> tuple[int, int]:
    """The graph as GraphML, written to a temporary file renamed into place: all of it or nothing."""
    nodes, edges = store.dump()
    graph = nx.MultiDiGraph()
    for props in nodes:
        uid = props["uid"]
        graph.add_node(uid, **{k: _flat(v, uid, k) for k, v in props.items() if k != "uid"})
    for rel, start, end, props in edges:
        where = f"{start} -{rel}-> {end}"
        attrs = {("edge_key" if k == "key" else k): _flat(v, where, k) for k, v in props.items()}
        graph.add_edge(start, end, f"{rel}|{props.get('key', '')}", type=rel, **attrs)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():  # before the temporary file's name stands in for it in the error
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        nx.write_graphml(graph, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return graph.number_of_nodes(), graph.number_of_edges()


# --------------------------------------------------------------------------- neo4j-admin import CSVs

#: Array delimiter of the import CSVs. Claims and evidence hold TAB characters and titles may hold
#: ``;`` or ``,``, so neither can separate list elements: U+001F (ASCII "unit separator") never
#: occurs in the data (checked while writing). neo4j-admin takes it as ``--array-delimiter=U+001F``.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_ARG = "U+001F"
#: The id space of the node ids, shared by every node file. The ids are numbers (``--id-type=actual``):
#: neo4j-admin stores node ``n`` as record ``n`` and needs no id map, which halves its relationship
#: stage (string uids: 10.4-13.3 s at 1M; numbers: 4.4-4.8 s, docs/benchmarks.md). They are not kept:
#: ``uid`` is an ordinary property, which post-import.cypher's uniqueness constraints then guard.
ID_SPACE = "Node"
POST_IMPORT = "post-import.cypher"
IMPORT_SCRIPT = "import.sh"
#: JVM options for ``neo4j-admin database import`` (import.sh, tests/neo4j_harness/admin.py): the
#: parallel collector. The import's allocation rate keeps G1's concurrent threads busy on the same two
#: cores: at 1M documents 46-52 CPU s under G1, 41-45 under this (docs/benchmarks.md).
ADMIN_JAVA_OPTS = ("-XX:+UseParallelGC",)
_SCALAR_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}
_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


@dataclass(slots=True)
class Neo4jImport:
    """What :func:`write_neo4j_import` wrote, and how to import it."""

    directory: Path
    node_files: list[Path] = field(default_factory=list)
    relationship_files: list[Path] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    multiline: bool = False  # some value holds a line break: --multiline-fields=true is needed
    processes: int = 1  # 2 when a child process wrote the relationship files (PARALLEL_MIN_NODES)
    #: Cypher run after the import on the started database, also in post-import.cypher: the schema
    #: (and, only if the store holds one, a list of one empty string, which no CSV field can carry).
    post_import: list[str] = field(default_factory=list)

    def admin_args(self, database: str = "neo4j", base: str | Path | None = None) -> list[str]:
        """Arguments after ``neo4j-admin``; file paths under ``base`` (default: the export folder)."""
        root = Path(base) if base is not None else self.directory

        def where(path: Path) -> str:
            return str(root / path.relative_to(self.directory))

        args = ["database", "import", "full"]
        args += [f"--nodes={where(p)}" for p in self.node_files]
        args += [f"--relationships={where(p)}" for p in self.relationship_files]
        args += [f"--array-delimiter={ARRAY_DELIMITER_ARG}", "--id-type=actual",
                 f"--multiline-fields={'true' if self.multiline else 'false'}", "--overwrite-destination", database]
        return args


def _column_type(key: str, value: Any) -> str | None:
    """neo4j-admin type of a value; None for ``[""]``, which a CSV field cannot carry (it reads back
    as "no property"): the post-import statements set it instead. Empty lists never get here."""
    kind = type(value)
    if kind is str:
        return "string"
    if kind is list:
        if value == [""]:
            return None
        first = type(value[0])
        if first in _SCALAR_TYPES and (len(value) == 1 or set(map(type, value)) == {first}):  # in C
            return _SCALAR_TYPES[first] + "[]"
        raise ValueError(f"property {key!r}: a list must hold scalars of one type, got {value!r}")
    if kind in _SCALAR_TYPES:
        return _SCALAR_TYPES[kind]
    raise ValueError(f"property {key!r}: {kind.__name__} cannot be imported ({value!r})")


def _cell(key: str, value: Any) -> str:
    """One CSV field: strings (and arrays) quoted with ``"`` doubled, absent/unrepresentable = empty."""
    kind = type(value)
    if kind is str:
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return ""
    if kind is list:
        if not value or value == [""]:
            return ""  # [] is no value; [""] is set by post-import.cypher
        if type(value[0]) is str:
            text = ARRAY_DELIMITER.join(value)
            if text.count(ARRAY_DELIMITER) != len(value) - 1:
                raise ValueError(f"property {key!r}: a value holds the array delimiter U+001F: {value!r}")
            return f'"{text}"' if '"' not in text else '"' + text.replace('"', '""') + '"'
        return ARRAY_DELIMITER.join(_cell(key, v) for v in value)
    if kind is bool:
        return "true" if value else "false"
    return _number(key, value)


def _number(key: str, value: Any) -> str:
    """An int or float as neo4j-admin (Java) parses it: a long, or a finite double."""
    if type(value) is int and not _LONG_MIN <= value <= _LONG_MAX:
        raise ValueError(f"property {key!r}: {value} does not fit a 64-bit integer")
    if type(value) is float and not math.isfinite(value):
        raise ValueError(f"property {key!r}: {value!r} cannot be imported (not a finite number)")
    return repr(value)


class _Plan:
    """Assigns every row of a group (label set, relationship type) to a file whose typed columns fit it.

    A group normally has one file; a property whose type changes between rows opens another one.
    Rows with the same key/type signature share a cached decision, so this is one dict lookup per row.
    """

    def __init__(self) -> None:
        self.variants: dict[tuple[str, ...], list[dict[str, str]]] = {}
        self._cache: dict[tuple[Any, ...], int] = {}
        # unrepresentable values ([""]) per group name and key: [(ident, value)]
        self.keyed: dict[str, dict[str, list[tuple[Any, Any]]]] = {}

    def add(self, group: tuple[str, ...], ident: Any, props: dict[str, Any]) -> int:
        # once per node and edge: a row's signature is its keys and the types of its values (in C),
        # with a list's column type in place of ``list`` (its elements decide it)
        types: tuple[Any, ...] = tuple(map(type, props.values()))
        if list in types:  # found by position, in C: a row has ~15 values and two or three lists
            kinds: list[Any] = list(types)
            keys, values = list(props), list(props.values())
            at = kinds.index(list)
            for _ in range(kinds.count(list)):
                at = kinds.index(list, at)
                t = _column_type(keys[at], values[at])
                if t is None:
                    self.keyed.setdefault(group[0], {}).setdefault(keys[at], []).append((ident, values[at]))
                kinds[at] = t
            types = tuple(kinds)
        sig = (group, tuple(props), types)
        index = self._cache.get(sig)
        if index is None:
            typed = {k: t if type(t) is str else _column_type(k, v)  # raises for a type it cannot import
                     for (k, v), t in zip(props.items(), types, strict=True) if t is not None}
            variants = self.variants.setdefault(group, [])
            for index, cols in enumerate(variants):  # noqa: B007
                if all(cols.get(k, t) == t for k, t in typed.items()):
                    cols.update(typed)
                    break
            else:
                variants.append(typed)
                index = len(variants) - 1
            self._cache[sig] = index
        return index


#: Rows per write of the relationship files (short rows): a few hundred kB of text encoded at a time,
#: not a call per row (at 100k documents 0.94 -> 0.77 s). The long node rows are faster one by one.
_CHUNK = 4096


def _write_rows(path: Path, fixed_header: list[str], columns: dict[str, str],
                rows: list[tuple[list[str], dict[str, Any]]], shared: bool = False) -> bool:
    """Write one CSV; True when some field holds a line break (needs --multiline-fields=true).
    ``shared``: many rows hold the same props dict, whose fields are formatted once."""
    keys = sorted(columns)
    for key in keys:  # a header field is name:type, unquoted: a comma or a colon would shift the columns
        if not _SAFE_KEY.match(key):
            raise ValueError(f"property {key!r}: not a name a CSV header can carry (letters, digits and _)")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(fixed_header + [f"{k}:{columns[k]}" for k in keys]) + "\n")
        return _shared_rows(fh, keys, rows) if shared else _distinct_rows(fh, keys, rows)


def _fields(keys: list[str], props: dict[str, Any], cells: list[str]) -> list[str]:
    """``cells`` plus the row's field for each of ``keys``: _cell, its string case inline (most fields)."""
    get = props.get
    for k in keys:
        v = get(k)
        if type(v) is str:
            cells.append(f'"{v}"' if '"' not in v else '"' + v.replace('"', '""') + '"')  # one copy when it can
        elif v is None:
            cells.append("")
        else:
            cells.append(_cell(k, v))
    return cells


def _distinct_rows(fh: Any, keys: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> bool:
    multiline = False
    for fixed, props in rows:
        line = ",".join(_fields(keys, props, list(fixed)))
        if not multiline and ("\n" in line or "\r" in line):
            multiline = True
        fh.write(line)
        fh.write("\n")
    return multiline


def _shared_rows(fh: Any, keys: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> bool:
    multiline = False
    tails: dict[int, str] = {}  # id(props) -> its fields (the rows keep every props dict alive)
    lines: list[str] = []
    for fixed, props in rows:
        tail = tails.get(id(props))
        if tail is None:
            tail = tails[id(props)] = ",".join(_fields(keys, props, []))
        lines.append(",".join(fixed) + "," + tail if keys else ",".join(fixed))
        if len(lines) == _CHUNK:
            multiline |= _flush(fh, lines)
    return _flush(fh, lines) or multiline


def _flush(fh: Any, lines: list[str]) -> bool:
    """Write and empty ``lines``; True when one of them holds a line break."""
    if not lines:
        return False
    text = "\n".join(lines) + "\n"
    broken = "\r" in text or text.count("\n") != len(lines)
    fh.write(text)
    lines.clear()
    return broken


def _file_name(prefix: str, parts: tuple[str, ...], taken: set[str]) -> str:
    base = f"{prefix}-{'-'.join(parts)}".lower()
    name, n = f"{base}.csv", 2
    while name in taken:
        name, n = f"{base}-{n}.csv", n + 1
    taken.add(name)
    return name


def _cypher_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number("value", value)
    if isinstance(value, str):
        # JSON string escapes are Cypher escapes too; the three line separators JSON leaves as they are
        # would break the statement's line for tools that read post-import.cypher line by line
        text = json.dumps(value, ensure_ascii=False)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    if isinstance(value, list):
        return "[" + ", ".join(_cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {_cypher_literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"no Cypher literal for {value!r}")


def _prop(key: str) -> str:
    return key if _SAFE_KEY.match(key) else "`" + key.replace("`", "``") + "`"


def _fixups(kind: str, label: str, keyed: dict[str, dict[str, list[tuple[Any, Any]]]],
            primary: dict[str, str]) -> list[str]:
    """Statements that set the values of one label (nodes) or type (edges) that no CSV field can hold.

    Only a list of one empty string (``[""]``) gets here (set row by row); the stores never hold one
    from an ingest, so a normal export has none. Empty lists are not values: neither store keeps them
    (``ingest/writer.py`` ``_strip``), so they are written as "no property", like ``None``.
    """
    out: list[str] = []
    for key, rows in sorted(keyed.get(label, {}).items()):
        if kind == "node":
            literal = _cypher_literal([{"id": ident, "value": value} for ident, value in rows])
            out.append(f"UNWIND {literal} AS row MATCH (n:{label} {{uid: row.id}}) SET n.{_prop(key)} = row.value;")
            continue
        by_start: dict[str, list[dict[str, Any]]] = {}
        for (start, end, edge_key), value in rows:
            by_start.setdefault(primary[start], []).append(
                {"start": start, "end": end, "key": edge_key, "value": value})
        for start_label, items in sorted(by_start.items()):
            out.append(f"UNWIND {_cypher_literal(items)} AS row MATCH (a:{start_label} {{uid: row.start}})"
                       f"-[r:{label}]->(b {{uid: row.end}}) WHERE r.key = row.key SET r.{_prop(key)} = row.value;")
    return out


def write_neo4j_import(store: GraphStore, directory: Path) -> Neo4jImport:
    """Write the whole graph as ``neo4j-admin database import full`` CSVs into ``directory``.

    * ``nodes-<labels>.csv``: ``:ID(Node)`` (a number, see :func:`_numbering`), ``uid:string``, ``:LABEL``
      (all labels, U+001F-separated), then one typed column per property (``year:long``,
      ``illustrative:boolean``, ``claims:string[]`` ...).
      From SPLIT_MIN_NODES nodes on, the last PART2_SHARE of them in uid order are in
      ``nodes-part2-<labels>.csv`` (a second process writes them, see PARALLEL_MIN_NODES).
    * ``relationships-<type>.csv``: ``:START_ID(Node)``, ``:END_ID(Node)`` (the ends' numbers), ``:TYPE``,
      typed properties.
    * ``post-import.cypher``: the schema (constraints, indexes, full-text index), to run on the started
      database. Empty lists and ``None`` are written as "no property": neither store keeps them (readers
      treat a missing list as empty), so the imported graph dumps like the store it came from. Only a
      ``[""]`` (never written by an ingest) needs a row-by-row ``SET`` there.
    * ``import.sh``: the ``neo4j-admin`` command line for these files.

    Every string field is quoted (``"`` doubled inside), so commas, ``;``, TABs and line breaks survive.
    """
    # Written into a staging folder inside ``directory`` and moved into place once complete: an export
    # that fails leaves the folder's earlier export as it was, never a part of one beside its import.sh.
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".kg-export-", dir=directory))
    except OSError as exc:  # named by the folder asked for, not by the staging folder it could not make
        raise OSError(exc.errno, exc.strerror, str(directory)) from exc
    try:
        # Millions of short-lived rows: with the cyclic collector running, its collections rescan the
        # growing row lists again and again (35 % of a 100k export). None of them is a cycle.
        with collector_paused():
            result = _write_neo4j_import(store, staging)
        _publish(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.directory = directory
    result.node_files = [directory / path.name for path in result.node_files]
    result.relationship_files = [directory / path.name for path in result.relationship_files]
    return result


def _exported_files(directory: Path) -> list[Path]:
    """The CSVs an earlier export wrote into ``directory``: those its import.sh names."""
    try:
        script = (directory / IMPORT_SCRIPT).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [directory / name for name in re.findall(r"--(?:nodes|relationships)=([A-Za-z0-9._-]+\.csv)", script)]


def _publish(staging: Path, directory: Path) -> None:
    """Replace ``directory``'s export with the complete one in ``staging``: import.sh goes first and
    comes back last, so that a folder holding it holds the files it names. Of the folder's other
    files only the earlier export's go (a glob of nodes-*.csv took a user's own files with them)."""
    earlier = _exported_files(directory)
    for name in (IMPORT_SCRIPT, POST_IMPORT):
        (directory / name).unlink(missing_ok=True)
    for old in earlier:
        old.unlink(missing_ok=True)
    for path in sorted(staging.iterdir(), key=lambda path: (path.name == IMPORT_SCRIPT, path.name)):
        os.replace(path, directory / path.name)


@dataclass(slots=True)
class _Files:
    """One half of an export (the node files or the relationship files), as :func:`_node_files` and
    :func:`_edge_files` write it: small enough to pass back from a child process."""

    paths: list[Path]
    multiline: bool
    count: int
    groups: list[str]  # the labels (first of each node's) or relationship types written
    keyed: dict[str, dict[str, list[tuple[Any, Any]]]]  # see _Plan.keyed


def _q(text: str) -> str:
    return f'"{text}"' if '"' not in text else '"' + text.replace('"', '""') + '"'


def _numbering(uids: Sequence[str], label_sets: Sequence[tuple[str, ...]], base: int) -> dict[str, int]:
    """The node ids of one part of the nodes (``uids`` in part order, the labels of each), from
    ``base`` on.

    neo4j-admin wants actual ids ascending through the node files in command-line order, and a part's
    files go there label set by label set (sorted), so: the label sets in sorted order, each one's
    nodes in part order. Only the label sets decide it, so the process that writes the relationship
    files works out the ids of nodes another process writes. A label set whose rows need several
    files (a property with two types, see _Plan) has ids ascending in each file but interleaved
    between them; neo4j-admin 5.26 imports that too (tests/test_bulk_import.py).
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for uid, labels in zip(uids, label_sets, strict=True):
        members = groups.get(labels)
        if members is None:
            members = groups[labels] = []
        members.append(uid)
    out: dict[str, int] = {}
    for labels, first in _firsts({labels: len(members) for labels, members in groups.items()}, base).items():
        members = groups[labels]
        out.update(zip(members, range(first, first + len(members)), strict=True))  # in C
    return out


def _all_numbers(uids: Sequence[str], label_sets: Sequence[tuple[str, ...]], cut: int) -> dict[str, int]:
    """The node ids of both parts (``uids`` in uid order, the second part from ``cut`` on)."""
    numbers = _numbering(uids[:cut], label_sets[:cut], 0)
    numbers.update(_numbering(uids[cut:], label_sets[cut:], cut))
    return numbers


def _firsts(counts: Mapping[tuple[str, ...], int], base: int) -> dict[tuple[str, ...], int]:
    """The first node id of each label set of a part (``counts``: its nodes per label set)."""
    out: dict[tuple[str, ...], int] = {}
    for labels in sorted(counts):
        out[labels], base = base, base + counts[labels]
    return out


def _node_files(nodes: list[dict[str, Any]], directory: Path, prefix: str = "nodes", base: int = 0) -> _Files:
    """The files of one part of the nodes (in part order), whose ids start at ``base``: numbered as
    :func:`_numbering` numbers them, from a count of each label set's rows so far (no uid lookups)."""
    plan, taken = _Plan(), set[str]()
    # a row's first field is its rank among its label set's rows until its id is known
    node_rows: dict[tuple[tuple[str, ...], int], list[tuple[list[Any], dict[str, Any]]]] = {}
    ranks: dict[tuple[str, ...], int] = {}
    label_cells: dict[tuple[str, ...], str] = {}
    for node in nodes:
        if not node.get("labels"):  # a node with no labels has no file to go to (nor, bare, a uid)
            raise ValueError(f"node {node.get('uid', '(unknown)')!r} has no labels: the export needs them "
                             f"(an edge to a node the store does not otherwise hold?)")
        labels = tuple(node["labels"])
        rank = ranks.get(labels)
        if rank is None:
            rank, label_cells[labels] = 0, _q(ARRAY_DELIMITER.join(labels))
        ranks[labels] = rank + 1
        uid = node["uid"]
        props = dict(node)
        del props["labels"], props["uid"]
        values = props.values()
        if None in values or [] in values:  # no value: no property (both in C; rarely true)
            props = {k: v for k, v in props.items() if v is not None and v != []}
        index = plan.add(labels, uid, props)
        node_rows.setdefault((labels, index), []).append(([rank, _q(uid), label_cells[labels]], props))
    out = _Files([], False, len(nodes), sorted({labels[0] for labels, _ in node_rows}), plan.keyed)
    firsts = _firsts(ranks, base)
    for (labels, index), rows in sorted(node_rows.items(), key=lambda item: item[0]):  # see _numbering
        first = firsts[labels]
        for fixed, _ in rows:
            fixed[0] = str(first + fixed[0])
        path = directory / _file_name(prefix, labels, taken)
        out.multiline |= _write_rows(path, [f":ID({ID_SPACE})", "uid:string", ":LABEL"],
                                     plan.variants[labels][index], rows)
        out.paths.append(path)
    return out


def _edge_files(store: GraphStore, numbers: Mapping[str, int], directory: Path) -> _Files:
    plan, taken = _Plan(), set[str]()
    edges = store.dump_edges()
    share = store.kind == "memory"
    edge_rows: dict[tuple[tuple[str, ...], int], list[tuple[list[str], dict[str, Any]]]] = {}
    # A store may give many edges one shared props dict (the memory store does: a national graph's
    # millions of edges hold about a thousand distinct ones): its filtered copy and its file are
    # worked out once. A dict holding [""] is planned edge by edge (_Plan.keyed records each edge).
    # Another store's dicts are all distinct: nothing to remember.
    planned: dict[int, tuple[dict[str, Any], int]] = {}
    cells: dict[str, str] = {}  # an edge end's field (a node has several edges), once it is known
    for rel, start, end, edge in edges:
        ends = []
        for uid in (start, end):
            cell = cells.get(uid)
            if cell is None:
                number = numbers.get(uid)
                if number is None:
                    raise ValueError(f"{rel} edge {start} -> {end}: unknown node")
                cell = cells[uid] = str(number)
            ends.append(cell)
        hit = planned.get(id(edge)) if share else None  # the edges list keeps the dicts alive
        if hit is None:
            props = {k: v for k, v in edge.items() if v is not None and v != []}
            index = plan.add((rel,), (start, end, props.get("key", "")), props)
            if share and [""] not in props.values():
                planned[id(edge)] = (props, index)
        else:
            props, index = hit
        ends.append(_q(rel))
        edge_rows.setdefault(((rel,), index), []).append((ends, props))
    out = _Files([], False, len(edges), sorted({group[0] for group, _ in edge_rows}), plan.keyed)
    for (group, index), rows in edge_rows.items():
        path = directory / _file_name("relationships", group, taken)
        out.multiline |= _write_rows(path, [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE"],
                                     plan.variants[group][index], rows, shared=share)
        out.paths.append(path)
    return out


#: From this many nodes on, an export from the memory store writes its relationship files in a
#: forked child while the parent writes the node files (the two halves share nothing but the uids):
#: both cores busy. Below it the fork costs more than it saves.
PARALLEL_MIN_NODES = 20_000
#: In a graph that large, the last nodes in uid order (this share of them) have files of their own
#: (``nodes-part2-<labels>.csv``), which the child writes after the relationship files: the edges of
#: a national graph are written faster than its nodes (their props dicts are shared), and this
#: evens out the two processes' work. One process writes the same files.
SPLIT_MIN_NODES = PARALLEL_MIN_NODES
PART2_SHARE = 0.3
PART2_PREFIX = "nodes-part2"


def _split(nodes: int) -> int:
    """Where the second part of ``nodes`` nodes (in uid order) begins."""
    return nodes - int(nodes * PART2_SHARE) if nodes >= SPLIT_MIN_NODES else nodes


def _joined(first: _Files, second: _Files) -> _Files:
    keyed = {label: {key: list(rows) for key, rows in by_key.items()} for label, by_key in first.keyed.items()}
    for label, by_key in second.keyed.items():
        for key, rows in by_key.items():
            keyed.setdefault(label, {}).setdefault(key, []).extend(rows)
    return _Files(first.paths + second.paths, first.multiline or second.multiline, first.count + second.count,
                  sorted({*first.groups, *second.groups}), keyed)


def _primary(store: GraphStore, uids: set[str], known: dict[str, str]) -> dict[str, str]:
    """The first label of each of ``uids`` (the start nodes of relationship fix-ups, rare): from the
    nodes at hand, else read."""
    missing = [uid for uid in uids if uid not in known]
    read = store.get_nodes(missing, fields=("labels",)) if missing else {}
    return {**{uid: known[uid] for uid in uids if uid in known},
            **{uid: props["labels"][0] for uid, props in read.items()}}


def _parallel(store: GraphStore, nodes: int) -> bool:
    """Whether to fork: a large in-process graph (the child reads it copy-on-write; a Neo4j store's
    driver must not be shared across a fork), a POSIX system, and no other thread that could hold a
    lock the child would need."""
    return nodes >= PARALLEL_MIN_NODES and store.kind == "memory" and hasattr(os, "fork") \
        and threading.active_count() == 1


class _Child:
    """``work()`` in a forked child process; :meth:`result` waits for what it returned (or raises
    what it raised)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report, and leave without running the parent's exit handlers
            try:
                os.close(read_fd)
                try:
                    payload = pickle.dumps((True, work()))
                except BaseException as exc:  # every failure goes back to the parent
                    try:
                        payload = pickle.dumps((False, exc))
                    except Exception:  # an exception that does not pickle
                        payload = pickle.dumps((False, RuntimeError(repr(exc))))
                with os.fdopen(write_fd, "wb") as fh:
                    fh.write(payload)
            finally:
                os._exit(0)
        os.close(write_fd)
        self._pid, self._read_fd = pid, read_fd

    def result(self) -> Any:
        with os.fdopen(self._read_fd, "rb") as fh:
            data = fh.read()  # before waiting: a full pipe would block the child
        _, status = os.waitpid(self._pid, 0)
        if not data:
            raise RuntimeError(f"export: the process writing the relationship files ended without a "
                               f"result (wait status {status})")
        ok, value = pickle.loads(data)  # our own child's bytes
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.close(self._read_fd)
        os.waitpid(self._pid, 0)


def _write_neo4j_import(store: GraphStore, directory: Path) -> Neo4jImport:
    from graph.schema import META_ID, META_LABEL, MIGRATIONS, neo4j_schema_statements

    # The node and the relationship files are read apart (in two processes, or one after the other):
    # both must come from the graph as it was when the export began.
    version = store.version()
    child = None
    # from a memory store the child reads the graph copy-on-write; from Neo4j a second read of the
    # nodes would cost more than it saves: one process
    if store.kind == "memory" and _parallel(store, len(store.node_ids())):
        uids = sorted(store.node_ids())
        cut = _split(len(uids))

        def in_child() -> tuple[_Files, _Files, str]:
            edges = _edge_files(store, _all_numbers(uids, store.label_sets(uids), cut), directory)
            part2 = _node_files(list(store.get_nodes(uids[cut:]).values()), directory, PART2_PREFIX, cut)
            return edges, part2, store.version()

        child = _Child(in_child)
    labels: dict[str, str] = {}  # uid -> first label, of the nodes dumped here
    try:
        if child is not None:
            nodes = list(store.get_nodes(uids[:cut]).values())
            node_files = _node_files(nodes, directory)
            del nodes
        else:
            nodes = store.dump_nodes()
            cut = _split(len(nodes))
            numbers = _all_numbers([node["uid"] for node in nodes], [tuple(node["labels"]) for node in nodes], cut)
            node_files = _joined(_node_files(nodes[:cut], directory),
                                 _node_files(nodes[cut:], directory, PART2_PREFIX, cut))
            labels = {node["uid"]: node["labels"][0] for node in nodes}
            del nodes
        nodes_version = store.version()
    except BaseException:
        if child is not None:
            child.cancel()
        raise
    edge_files: _Files
    if child is not None:
        edge_files, part2, edges_version = child.result()
        node_files = _joined(node_files, part2)
    else:
        edge_files, edges_version = _edge_files(store, numbers, directory), store.version()
        del numbers
    if not version == nodes_version == edges_version:  # the staging folder goes (write_neo4j_import)
        raise ValueError("the graph changed while it was exported (another process wrote it): "
                         "export it again")
    starts = {start for by_key in edge_files.keyed.values() for rows in by_key.values() for (start, _, _), _ in rows}
    primary = _primary(store, starts, labels)  # for the relationship fix-ups
    del labels
    result = Neo4jImport(directory=directory, node_files=node_files.paths, relationship_files=edge_files.paths,
                         nodes=node_files.count, relationships=edge_files.count,
                         multiline=node_files.multiline or edge_files.multiline,
                         processes=1 if child is None else 2)

    post = [s.rstrip(";") + ";" for s in neo4j_schema_statements()] + ["CALL db.awaitIndexes(300);"]
    # a version token, so the API's response cache works on the imported graph (api/cache.py)
    # and the migrations that a graph of this version does not need (graph.schema.MIGRATIONS)
    done = ", ".join(f"'{name}'" for name in MIGRATIONS)
    post.append(f"MERGE (m:{META_LABEL} {{id: '{META_ID}'}}) SET m.version = randomUUID(), m.migrations = [{done}];")
    for label in node_files.groups:
        post += _fixups("node", label, node_files.keyed, primary)
    for rel in edge_files.groups:
        post += _fixups("edge", rel, edge_files.keyed, primary)
    result.post_import = post
    (directory / POST_IMPORT).write_text(
        "// Run once on the imported database (cypher-shell -f post-import.cypher, or kg post-import DIR):\n"
        "// the schema (constraints, indexes, full-text index), waits for the indexes, sets the graph's\n"
        "// version (api/cache.py) and the migrations it needs none of.\n" + "\n".join(post) + "\n",
        encoding="utf-8")
    script = directory / IMPORT_SCRIPT
    script.write_text(
        "#!/bin/sh\n# Bulk import of this folder into a STOPPED Neo4j (the database is replaced), then start it\n"
        "# and run post-import.cypher. NEO4J_ADMIN defaults to neo4j-admin. The report goes to\n"
        "# NEO4J_IMPORT_REPORT (default: the temp folder), so this folder may be mounted read-only.\n"
        'set -e\ncd "$(dirname "$0")"\n'
        "# The import allocates a lot: on the JVM's default collector (G1) it spends 12-17 % more CPU\n"
        "# than on the parallel one (docs/benchmarks.md, eighteenth run). A JAVA_OPTS of the caller is\n"
        "# used as it is; neo4j-admin ignores HEAP_SIZE when JAVA_OPTS is set, so it is carried over.\n"
        'if [ -z "${JAVA_OPTS:-}" ]; then\n'
        f'  JAVA_OPTS="-Dfile.encoding=UTF-8 {" ".join(ADMIN_JAVA_OPTS)}'
        '${HEAP_SIZE:+ -Xms$HEAP_SIZE -Xmx$HEAP_SIZE}"\n'
        "  export JAVA_OPTS\nfi\n"
        + '"${NEO4J_ADMIN:-neo4j-admin}" ' + shlex.join(result.admin_args(base="."))
        + ' --report-file="${NEO4J_IMPORT_REPORT:-${TMPDIR:-/tmp}/neo4j-import.report}" "$@"\n',
        encoding="utf-8")
    script.chmod(0o755)
    return result


def run_post_import(driver: Any, statements: list[str], database: str | None = None) -> None:
    """Run ``post-import.cypher`` statements (auto-commit: they use ``CALL { } IN TRANSACTIONS``)."""
    with driver.session(database=database) as session:
        for stmt in statements:
            session.run(stmt.rstrip().rstrip(";")).consume()


def read_post_import(directory: Path) -> list[str]:
    """The statements of a ``post-import.cypher`` file (one per line, ``//`` comments skipped)."""
    text = (Path(directory) / POST_IMPORT).read_text(encoding="utf-8")
    # "\n" only: str.splitlines also breaks at U+2028, U+2029 and U+0085, which a value may hold
    return [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("//")]
