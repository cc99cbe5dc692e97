"""`kg`: the one console script (ingest, demo, stats, serve, export, extract, audit)."""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from graph.factory import open_store
from graph.settings import get_settings
from graph.store import GraphStore, StoreError
from ingest.files import IngestError
from ingest.loader import IngestReport

app = typer.Typer(help="policy-kg: Vietnamese policy documents as a knowledge graph.",
                  no_args_is_help=True, add_completion=False,
                  pretty_exceptions_show_locals=False)
console = Console(stderr=True)
DEMO_DIR = Path(__file__).resolve().parent.parent / "ingest" / "data" / "demo"
STRUCTURED = (".yaml", ".yml", ".json", ".csv")

QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]


def _error(message: object) -> None:
    console.print(f"error: {message}", style="red", markup=False, highlight=False,
                  soft_wrap=True)


def _warn(message: object) -> None:
    console.print(f"warning: {message}", style="yellow", markup=False, highlight=False, soft_wrap=True)


def _store() -> GraphStore:
    try:
        return open_store(get_settings())
    except StoreError as exc:
        _error(f"{exc}")
        raise typer.Exit(2) from exc


def _expand(paths: list[Path], suffixes: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes))
        elif path.exists():
            files.append(path)
        else:
            _error(f"{path}: no such file or directory")
            raise typer.Exit(2)
    return files


def _progress(quiet: bool, auto_refresh: bool = True) -> Progress:
    """``auto_refresh=False``: redrawn on updates only, without rich's refresh thread (an export
    forks only a single-threaded process: graph.export)."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[current]}"), console=console, disable=quiet,
                    auto_refresh=auto_refresh)


def ingest_files(store: GraphStore, files: list[Path], quiet: bool, text: bool = False) -> int:
    """Ingest files in order, each atomically (structured files into Neo4j overlap one file's write
    with the next one's resolution: ingest/overlap.py); return the number that failed."""
    from ingest.overlap import ingest_files as ingest_structured
    from ingest.text_loader import ingest_text_path

    def text_results() -> Iterator[tuple[Path, IngestReport | IngestError]]:
        for path in files:
            try:
                yield path, ingest_text_path(store, path)
            except IngestError as exc:
                yield path, exc

    failed = 0
    with _progress(quiet) as progress:
        task = progress.add_task("ingest", total=len(files), current=files[0].name if files else "")
        for done, (path, result) in enumerate(text_results() if text else ingest_structured(store, files), 1):
            if isinstance(result, IngestError):
                failed += 1
                _error(f"{result}")
            elif not quiet:
                console.print(f"{path}: {result.nodes} nodes, {result.edges} edges written")
            if not isinstance(result, IngestError):
                for note in result.skipped:
                    _warn(f"{path}: {note}")
            progress.update(task, advance=1, current=files[done].name if done < len(files) else "")
    return failed


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    text: Annotated[bool, typer.Option("--text", help="Raw Vietnamese text files.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Ingest structured files (YAML, JSON, CSV) or, with --text, raw text."""
    suffixes = (".txt", ".md") if text else STRUCTURED
    files = _expand(paths, suffixes)
    if not files:
        _error(f"nothing to ingest: no {'/'.join(suffixes)} files in {', '.join(map(str, paths))}")
        raise typer.Exit(2)
    with _store() as store:
        failed = ingest_files(store, files, quiet, text=text)
    if failed:
        raise typer.Exit(1)


@app.command()
def demo(
    reset: Annotated[bool, typer.Option("--reset", help="Empty the store first.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Load the demo data set (the 52-NQ/TW chain) into the configured store."""
    with _store() as store:
        if reset:
            store.clear()
        failed = ingest_files(store, _expand([DEMO_DIR], STRUCTURED), quiet)
    if failed:
        raise typer.Exit(1)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False) -> None:
    """Node counts by label and edge counts by type."""
    with _store() as store:
        result = store.stats().as_dict()
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="policy-kg")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in result["nodes"].items():
        table.add_row("node", label, str(n))
    for rel, n in result["edges"].items():
        table.add_row("edge", rel, str(n))
    Console().print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the HTTP API with uvicorn."""
    import uvicorn

    uvicorn.run("api.main:app", host=host, port=port, workers=workers)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Text files or folders (.txt, .md).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one object per file.")] = False,
) -> None:
    """Extract documents, relations and bodies from raw Vietnamese text (no writes)."""
    from ingest.extract import extract_text
    from ingest.text_loader import read_text_file

    failed = 0
    files = _expand(paths, (".txt", ".md"))
    if not files:
        _error(f"nothing to extract: no .txt/.md files in {', '.join(map(str, paths))}")
        raise typer.Exit(2)
    for path in files:
        try:
            text = read_text_file(path)
        except IngestError as exc:  # said, and the other files still extracted
            _error(exc)
            failed += 1
            continue
        result = extract_text(text, str(path)).to_json()
        if as_json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            Console().print_json(data=result, ensure_ascii=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def export(
    graphml: Annotated[Path | None, typer.Option("--graphml", help="Write GraphML here.")] = None,
    neo4j_import: Annotated[Path | None, typer.Option(
        "--neo4j-import", help="Write neo4j-admin import CSVs (+ import.sh, post-import.cypher) into this folder."
    )] = None,
    quiet: QuietOpt = False,
) -> None:
    """Export the graph (GraphML via networkx, or CSVs for `neo4j-admin database import full`)."""
    if graphml is None and neo4j_import is None:
        console.print("[red]error:[/] choose a format, e.g. --graphml FILE or --neo4j-import DIR")
        raise typer.Exit(2)
    from graph.export import write_graphml, write_neo4j_import

    with _store() as store, _progress(quiet, auto_refresh=False) as progress:
        if store.stats().total_nodes == 0:  # e.g. KG_DATA names a file that does not exist
            _error("the store is empty: nothing to export (check KG_STORE / KG_DATA / NEO4J_URI)")
            raise typer.Exit(1)
        task = progress.add_task("export", total=(graphml is not None) + (neo4j_import is not None), current="")
        if graphml is not None:
            progress.update(task, current="GraphML")
            try:
                n_nodes, n_edges = write_graphml(store, graphml)
            except ValueError as exc:
                _error(exc)
                raise typer.Exit(1) from exc
            progress.advance(task)
            console.print(f"{graphml}: {n_nodes} nodes, {n_edges} edges")
        if neo4j_import is not None:
            progress.update(task, current="neo4j-admin CSVs")
            try:
                result = write_neo4j_import(store, neo4j_import)
            except ValueError as exc:
                _error(exc)
                raise typer.Exit(1) from exc
            progress.advance(task)
            console.print(f"{neo4j_import}: {result.nodes} nodes in {len(result.node_files)} files, "
                          f"{result.relationships} relationships in {len(result.relationship_files)} files "
                          f"(written by {result.processes} process{'es' if result.processes > 1 else ''}); "
                          f"with Neo4j stopped run {neo4j_import / 'import.sh'}, then start it and run "
                          f"`kg post-import {neo4j_import}`", markup=False)


@app.command("post-import")
def post_import(
    directory: Annotated[Path, typer.Argument(help="The folder written by `kg export --neo4j-import`.")],
) -> None:
    """After a bulk import: create the schema (post-import.cypher) in Neo4j and wait for its indexes."""
    from graph.export import read_post_import, run_post_import

    settings = get_settings()
    if settings.kg_store != "neo4j":
        _error("post-import needs KG_STORE=neo4j (and NEO4J_URI)")
        raise typer.Exit(2)
    statements = read_post_import(directory)
    with _store() as store:
        run_post_import(store.driver, statements, settings.neo4j_database)  # type: ignore[attr-defined]
    console.print(f"{len(statements)} post-import statements run", markup=False)


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Output folder (data/ + ground_truth.json).")],
    provinces: Annotated[int, typer.Option("--provinces", min=1)] = 34,
    communes_per_province: Annotated[int, typer.Option("--communes-per-province", min=0)] = 10,
    resolutions: Annotated[int, typer.Option("--resolutions", min=1)] = 5,
    coverage: Annotated[float, typer.Option("--coverage", min=0.0, max=1.0)] = 0.8,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Write a synthetic national data set and its coverage ground truth (deterministic per seed)."""
    from ingest.generate import generate as generate_dataset

    try:
        truth = generate_dataset(out, provinces=provinces, communes_per_province=communes_per_province,
                                 resolutions=resolutions, coverage=coverage, seed=seed)
    except ValueError as exc:
        _error(exc)
        raise typer.Exit(1) from exc
    console.print(f"{len(truth.files)} files, {truth.institutions} institutions, {truth.documents} documents "
                  f"in {out / 'data'}; ground truth in {out / 'ground_truth.json'}", markup=False)


audit = typer.Typer(help="Audits.", no_args_is_help=True)
app.add_typer(audit, name="audit")


@audit.command("coverage")
def audit_coverage(
    document: Annotated[str, typer.Option(help="Target document uid.")],
    scope: Annotated[str, typer.Option(help="Scope institution uid.")],
    out: Annotated[Path, typer.Option(help="Output folder.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Audit date YYYY-MM-DD (default today).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Coverage audit report as HTML, CSV (UTF-8 with BOM) and XLSX."""
    from datetime import date

    from graph.reports import ReportError, coverage_report, to_csv, to_html, to_xlsx
    from ingest.dates import parse_iso_day

    try:
        when = parse_iso_day(as_of).isoformat() if as_of else date.today().isoformat()
    except ValueError:
        _error(f"--as-of {as_of!r} is not a date: use YYYY-MM-DD, e.g. 2020-12-31")
        raise typer.Exit(2) from None
    with _store() as store, _progress(quiet) as progress:
        task = progress.add_task("audit", total=4, current="coverage")
        try:
            report = coverage_report(store, document, scope, when)
        except ReportError as exc:
            _error(exc)
            raise typer.Exit(1) from exc
        progress.advance(task)
        if out.exists() and not out.is_dir():
            _error(f"--out {out}: a file, not a folder")
            raise typer.Exit(2)
        out.mkdir(parents=True, exist_ok=True)
        # uids hold dots: the name is spelled out, never built with with_suffix() (it cut at the uid's dot)
        base = out / f"coverage-{document}-{scope}-{when}"
        files: list[tuple[Path, bytes]] = []
        for suffix, render in ((".html", lambda r: to_html(r).encode("utf-8")), (".csv", to_csv), (".xlsx", to_xlsx)):
            progress.update(task, current=suffix)
            files.append((base.with_name(base.name + suffix), render(report)))
            progress.advance(task)
        _replace_all(files)
    console.print(f"{base}.html/.csv/.xlsx: {report.summary}")
    if report.note:
        _warn(report.note)


def _replace_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: each to a temporary file beside it, then all renamed into place. A rename
    replaces a symlink standing at the name instead of writing through it; a folder there is an error
    before anything is written (a report used to be left half-written: the HTML without the rest)."""
    for path, _ in files:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    temps: list[Path] = []
    try:
        for path, data in files:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temps.append(tmp)
            tmp.write_bytes(data)
        for (path, _), tmp in zip(files, temps, strict=True):
            os.replace(tmp, path)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


@app.command()
def lineage(
    uid: Annotated[str, typer.Argument(help="Document uid.")],
    svg: Annotated[Path, typer.Option("--svg", help="Write the diagram here.")],
    depth: Annotated[int, typer.Option(min=1, max=20)] = 5,
    max_documents: Annotated[int, typer.Option(min=1, help="Refuse a tree of more documents than this.")] = 5000,
) -> None:
    """Draw the implementation tree under a document (Graphviz SVG)."""
    from graph.reports import ReportError, lineage_svg

    with _store() as store:
        try:
            drawing = lineage_svg(store, uid, depth, max_documents=max_documents)
            svg.parent.mkdir(parents=True, exist_ok=True)
            svg.write_text(drawing, encoding="utf-8")
        except ReportError as exc:
            _error(exc)
            raise typer.Exit(1) from exc
    console.print(f"{svg} written")


@app.command("sync-guide")
def sync_guide_command() -> None:
    """Rewrite the Neo4j Browser guide's query blocks from queries/*.cypher."""
    from graph.guide import sync_guide

    changed = sync_guide()
    console.print(f"guide updated: {', '.join(changed)}" if changed else "guide already up to date", markup=False)


def _settings_problem(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']).upper() or 'settings'}: {e['msg']}"
                     f" (got {e['input']!r})" for e in exc.errors())


def main() -> None:
    """Run `kg`; a path that cannot be read or written, or a bad setting, is a message, not a traceback."""
    try:
        app()
    except OSError as exc:
        _error(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else exc)
        sys.exit(1)
    except ValidationError as exc:
        _error(f"bad setting: {_settings_problem(exc)}")
        sys.exit(2)
    except StoreError as exc:  # the store went away mid-command (a write stops there: README, ingest)
        _error(exc)
        sys.exit(2)


if __name__ == "__main__":
    main()
