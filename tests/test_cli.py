"""The `kg` console script, run as a user would (a subprocess, a real data file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KG = [sys.executable, "-m", "cli"]


def _kg(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": "memory", "KG_DATA": str(tmp_path / "kg.json")}
    return subprocess.run([*KG, *args], capture_output=True, text=True, env=env, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)


def test_demo_then_stats_shows_the_chain(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    first = json.loads(_kg(tmp_path, "stats", "--json").stdout)
    assert first["nodes"]["Resolution"] == 1 and first["edges"]["GUIDES"] == 1
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    assert json.loads(_kg(tmp_path, "stats", "--json").stdout) == first


def test_broken_file_names_the_line_and_writes_nothing(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    before = (tmp_path / "kg.json").read_bytes()
    broken = tmp_path / "broken.csv"
    broken.write_text("code,issuer,issued_on\n09-KH/QU,quan-uy-quan-1,2020-02-02\n"
                      "10-KH/QU,quan-uy-quan-1,not-a-date\n", encoding="utf-8")
    result = _kg(tmp_path, "ingest", str(broken))
    assert result.returncode == 1
    assert "broken.csv: line 3:" in result.stderr and "not-a-date" in result.stderr
    assert (tmp_path / "kg.json").read_bytes() == before


def test_export_graphml(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    out = tmp_path / "kg.graphml"
    loud = _kg(tmp_path, "export", "--graphml", str(out))
    assert loud.returncode == 0 and "━" in loud.stderr  # a progress bar
    quiet = _kg(tmp_path, "export", "--graphml", str(out), "--quiet")
    assert quiet.returncode == 0 and "━" not in quiet.stderr
    import networkx as nx

    graph = nx.read_graphml(out)
    assert graph.nodes["52-nq-tw.bo-chinh-tri.2019"]["code"] == "52-NQ/TW"


def test_audit_and_lineage_commands(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    out = tmp_path / "audit"
    result = _kg(tmp_path, "audit", "coverage", "--document", "52-nq-tw.bo-chinh-tri.2019",
                 "--scope", "thanh-uy-thanh-pho-ho-chi-minh", "--as-of", "2020-12-31", "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    base = "coverage-52-nq-tw.bo-chinh-tri.2019-thanh-uy-thanh-pho-ho-chi-minh-2020-12-31"
    assert sorted(p.name for p in out.iterdir()) == [f"{base}.csv", f"{base}.html", f"{base}.xlsx"]
    # another date is another report, not an overwrite of the first
    assert _kg(tmp_path, "audit", "coverage", "--document", "52-nq-tw.bo-chinh-tri.2019", "--scope",
               "thanh-uy-thanh-pho-ho-chi-minh", "--as-of", "2026-01-01", "--out", str(out), "-q").returncode == 0
    assert len(list(out.iterdir())) == 6
    for bad in ("2026-13-01", "31/12/2020", "yesterday", "2020-W53-1"):
        result = _kg(tmp_path, "audit", "coverage", "--document", "52-nq-tw.bo-chinh-tri.2019", "--scope",
                     "thanh-uy-thanh-pho-ho-chi-minh", "--as-of", bad, "--out", str(out), "-q")
        assert result.returncode == 2 and f"--as-of {bad!r} is not a date" in result.stdout + result.stderr
    assert len(list(out.iterdir())) == 6
    svg = tmp_path / "l.svg"
    assert _kg(tmp_path, "lineage", "52-nq-tw.bo-chinh-tri.2019", "--svg", str(svg)).returncode == 0
    assert "52-nq-tw.bo-chinh-tri.2019" in svg.read_text(encoding="utf-8").replace("&#45;", "-")


def test_an_audit_writes_its_three_files_or_none_and_never_through_a_link(tmp_path: Path) -> None:
    """A folder at the CSV's name left the HTML written and no XLSX; a symlink at the HTML's name had its
    target overwritten; --out naming a file said only 'File exists' (review)."""
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    args = ("audit", "coverage", "--document", "52-nq-tw.bo-chinh-tri.2019", "--scope",
            "thanh-uy-thanh-pho-ho-chi-minh", "--as-of", "2020-12-31", "-q")
    base = "coverage-52-nq-tw.bo-chinh-tri.2019-thanh-uy-thanh-pho-ho-chi-minh-2020-12-31"
    out = tmp_path / "audit"
    (out / f"{base}.csv").mkdir(parents=True)
    result = _kg(tmp_path, *args, "--out", str(out))
    assert result.returncode == 1 and f"{base}.csv" in result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{base}.csv"]  # nothing else, no temporary files
    (out / f"{base}.csv").rmdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / f"{base}.html").symlink_to(victim)
    assert _kg(tmp_path, *args, "--out", str(out)).returncode == 0
    assert victim.read_text(encoding="utf-8") == "keep me" and not (out / f"{base}.html").is_symlink()
    result = _kg(tmp_path, *args, "--out", str(victim))
    assert result.returncode == 2 and "a file, not a folder" in result.stdout + result.stderr


def test_bad_settings_and_paths_are_messages_not_tracebacks(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    env = {**os.environ, "KG_STORE": "bogus", "KG_DATA": str(tmp_path / "kg.json")}
    bad = subprocess.run([*KG, "stats"], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and "bad setting: KG_STORE: Input should be 'memory' or 'neo4j'" in bad.stderr
    (tmp_path / "a-dir").mkdir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    for args, message in ((["export", "--graphml", str(tmp_path / "a-dir")], "a-dir: Is a directory"),
                          (["export", "--neo4j-import", str(tmp_path / "a-file")], "a-file: File exists"),
                          (["generate", "--out", str(tmp_path / "a-file"), "--provinces", "1",
                            "--communes-per-province", "1", "--resolutions", "1"], "Not a directory")):
        result = _kg(tmp_path, *args, "-q") if args[0] == "export" else _kg(tmp_path, *args)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    svg = tmp_path / "new" / "dir" / "tree.svg"
    assert _kg(tmp_path, "lineage", "52-nq-tw.bo-chinh-tri.2019", "--svg", str(svg)).returncode == 0 and svg.exists()


def test_a_folder_run_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    assert _kg(tmp_path, "demo", "--quiet").returncode == 0
    plans = json.loads(_kg(tmp_path, "stats", "--json").stdout)["nodes"]["Plan"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "01-good.csv").write_text("code,issuer,issued_on\n21-KH/QU,quan-uy-quan-1,2020-02-02\n", encoding="utf-8")
    (folder / "02-latin.csv").write_bytes(b"code,issuer,title\n22-KH/QU,quan-uy-quan-1,K\xe1 ho\xe1ch\n")
    (folder / "03-good.csv").write_text("code,issuer,issued_on\n23-KH/QU,quan-uy-quan-1,2020-02-03\n", encoding="utf-8")
    result = _kg(tmp_path, "ingest", str(folder))
    assert result.returncode == 1 and "02-latin.csv: line 2: not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(_kg(tmp_path, "stats", "--json").stdout)["nodes"]["Plan"] == plans + 2


def test_ingest_of_a_folder_without_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = _kg(tmp_path, "ingest", str(tmp_path / "empty"))
    assert result.returncode == 2 and "nothing to ingest: no .yaml/.yml/.json/.csv files in" in result.stderr


def test_extract_of_a_folder_without_text_files_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "structured"
    folder.mkdir()
    (folder / "plans.csv").write_text("code,issuer\n09-KH/QU,quan-uy-quan-1\n", encoding="utf-8")
    result = _kg(tmp_path, "extract", str(folder), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert "nothing to extract: no .txt/.md files in" in result.stderr


def test_neo4j_down_or_misnamed_is_one_line(tmp_path: Path) -> None:
    for uri, message in (("bolt://127.0.0.1:1", "error: Neo4j unreachable at bolt://127.0.0.1:1"),
                         ("127.0.0.1:7687", "error: NEO4J_URI '127.0.0.1:7687': use bolt://host:7687"),
                         ("http://127.0.0.1:7474", "error: NEO4J_URI 'http://127.0.0.1:7474'")):
        env = {**os.environ, "KG_STORE": "neo4j", "NEO4J_URI": uri}
        result = subprocess.run([*KG, "stats"], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_export_of_an_empty_store_says_so(tmp_path: Path) -> None:
    result = _kg(tmp_path, "export", "--neo4j-import", str(tmp_path / "out"), "-q")
    assert result.returncode == 1 and "the store is empty: nothing to export" in result.stderr
    assert not (tmp_path / "out").exists()


def test_two_processes_ingesting_into_one_data_file_lose_nothing(tmp_path: Path) -> None:
    """Two `kg ingest` processes on one KG_DATA at once (the CLI beside a server, two API workers): each
    write is checked under the file's lock against the graph it was built on, so both land whole."""
    folders = []
    for worker in ("a", "b"):
        folder = tmp_path / worker
        folder.mkdir()
        for n in range(12):
            (folder / f"{n:02d}.yaml").write_text(
                f"source: {worker}{n}\nsources: [{{id: {worker}{n}, title: Nguồn {worker}{n}}}]\n"
                f"institutions:\n  - {{id: chung, name: Cơ quan chung}}\n"
                + "".join(f"  - {{id: {worker}-{n}-{i}, name: Đơn vị {worker} {n} {i}}}\n" for i in range(200)),
                encoding="utf-8")
        folders.append(folder)
    env = {**os.environ, "KG_STORE": "memory", "KG_DATA": str(tmp_path / "kg.json")}
    procs = [subprocess.Popen([*KG, "ingest", "--quiet", str(folder)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent)
             for folder in folders]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    stats = json.loads(_kg(tmp_path, "stats", "--json").stdout)
    assert stats["nodes"]["Institution"] == 2 * 12 * 200 + 1 and stats["nodes"]["Source"] == 24
    from graph.memory import MemoryStore

    shared = MemoryStore(tmp_path / "kg.json").get_nodes(["chung"])["chung"]
    assert sorted(shared["sources"]) == sorted(f"src-{w}{n}" for w in "ab" for n in range(12))


def test_graphml_export_refuses_what_xml_cannot_hold_and_leaves_the_earlier_file(tmp_path: Path) -> None:
    """A control character (possible in a graph written before ingest refused them) made GraphML no
    parser reads, exit 0. Now a message naming the node and field, and the earlier export stays."""
    from graph.memory import MemoryStore
    from graph.model import NodeWrite
    from graph.schema import Label
    from ingest.writer import Writer
    from tests.conftest import load_demo

    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    out = tmp_path / "kg.graphml"
    assert _kg(tmp_path, "export", "--graphml", str(out), "--quiet").returncode == 0
    before = out.read_bytes()
    writer = Writer(store)  # as an earlier version's ingest could write it
    writer.node(NodeWrite(Label.INSTITUTION, "bo-chinh-tri", source="src-primer", claims={"short_name": "BCT\x01"}))
    store.apply(writer.build())
    bad = _kg(tmp_path, "export", "--graphml", str(out), "--quiet")
    assert bad.returncode == 1 and "error: bo-chinh-tri: " in bad.stderr and "holds the character U+0001" in bad.stderr
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
