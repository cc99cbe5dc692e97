"""neo4j-admin bulk import and a plain Neo4j server on the imported store, from the harness's jars.

The harness build (``tests/neo4j_harness/target/lib``) holds the whole Neo4j 5.26 Community
distribution as jars, including ``org.neo4j.cli.AdminTool`` (``neo4j-admin``) and
``org.neo4j.server.CommunityEntryPoint`` (the ``neo4j console`` server). Both read
``NEO4J_HOME``/``NEO4J_CONF``; here they point at a scratch folder (``home``) that holds
``conf/neo4j.conf``, ``data/`` and ``logs/``, so nothing outside it is touched.

    result = write_neo4j_import(store, home / "csv")
    report = admin_import(result, home)           # neo4j-admin database import full
    with ImportedNeo4j(home) as server:           # a real server on the imported store
        driver = neo4j.GraphDatabase.driver(server.bolt_uri)

Used by tests/test_bulk_import.py and bench/bulk_bench.py, bench/api_bench.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from graph.export import ADMIN_JAVA_OPTS
from tests.neo4j_harness.harness import LIB, _free_port, _java, build

CLASSPATH = f"{LIB}/*"


@dataclass(slots=True)
class ImportReport:
    seconds: float
    nodes: int
    relationships: int
    properties: int
    output: str


def write_conf(home: Path, bolt_port: int = 0, pagecache: str = "256m", heap: str = "1g") -> Path:
    """``home/conf/neo4j.conf``: loopback Bolt, auth and usage reports off, no HTTP."""
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    lines = [
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.import={home / 'import'}",
        "dbms.security.auth_enabled=false",
        "dbms.usage_report.enabled=false",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "server.bolt.tls_level=DISABLED",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port or 7687}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port or 7687}",
        "server.default_listen_address=127.0.0.1",
        f"server.memory.pagecache.size={pagecache}",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
    ]
    (conf / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}


def admin(home: Path, args: list[str], java_opts: tuple[str, ...] = ("-Xmx1g", *ADMIN_JAVA_OPTS),
          timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """``neo4j-admin ARGS`` with NEO4J_HOME/NEO4J_CONF = ``home``."""
    build()
    if not (home / "conf" / "neo4j.conf").exists():
        write_conf(home)
    cmd = [_java(), *java_opts, "-cp", CLASSPATH, "org.neo4j.cli.AdminTool", *args]
    return subprocess.run(cmd, env=_env(home), capture_output=True, text=True, errors="replace",
                          timeout=timeout, check=False)


def launcher(home: Path) -> Path:
    """A ``neo4j-admin`` as the distribution's ``bin/neo4j-admin`` runs it: the real launcher
    (``org.neo4j.server.startup.Neo4jAdminCommand``), which reads JAVA_OPTS and HEAP_SIZE and starts
    the command in a JVM of its own, from ``home/lib`` (here a link to the harness's jars)."""
    build()
    home.mkdir(parents=True, exist_ok=True)
    (home / "plugins").mkdir(exist_ok=True)
    lib = home / "lib"
    if not lib.exists():
        lib.symlink_to(LIB, target_is_directory=True)
    script = home / "neo4j-admin"
    script.write_text(f'#!/bin/sh\nexec "{_java()}" -cp "{lib}/*" org.neo4j.server.startup.Neo4jAdminCommand "$@"\n',
                      encoding="utf-8")
    script.chmod(0o755)
    return script


def admin_import(export: object, home: Path, database: str = "neo4j") -> ImportReport:
    """``neo4j-admin database import full`` of a :class:`graph.export.Neo4jImport` into ``home``."""
    # neo4j-admin writes import.report into the working directory unless told otherwise
    args = [*export.admin_args(database=database), f"--report-file={home / 'import.report'}"]  # type: ignore[attr-defined]
    start = time.perf_counter()
    proc = admin(home, args)
    seconds = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 or "IMPORT DONE" not in output:
        raise RuntimeError(f"neo4j-admin import failed ({proc.returncode}):\n{output[-4000:]}")

    def count(what: str) -> int:
        found = re.search(rf"Imported:.*?(\d+) {what}", output, re.S)
        return int(found.group(1)) if found else -1

    return ImportReport(seconds, count("nodes"), count("relationships"), count("properties"), output)


class ImportedNeo4j:
    """A Neo4j Community server (``CommunityEntryPoint``, i.e. ``neo4j console``) on ``home``'s store."""

    def __init__(self, home: Path, bolt_port: int = 0, pagecache: str = "256m", heap: str = "1g") -> None:
        self.home = Path(home)
        self.bolt_port = bolt_port or _free_port()
        self.pagecache, self.heap = pagecache, heap
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self, timeout: float = 180) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable

        write_conf(self.home, self.bolt_port, self.pagecache, self.heap)
        log = (self.home / "server.out").open("wb")
        cmd = [_java(), f"-Xmx{self.heap}", "-XX:+ExitOnOutOfMemoryError", "-cp", CLASSPATH,
               "org.neo4j.server.CommunityEntryPoint", f"--home-dir={self.home}",
               f"--config-dir={self.home / 'conf'}"]
        self._proc = subprocess.Popen(cmd, env=_env(self.home), stdin=subprocess.DEVNULL, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        driver = GraphDatabase.driver(self.bolt_uri)
        try:
            while True:
                if self._proc.poll() is not None:
                    raise RuntimeError(f"Neo4j exited ({self._proc.returncode}):\n{self.output()}")
                try:  # a plain session: execute_query would retry with back-off and log each attempt
                    with driver.session() as session:
                        session.run("RETURN 1").consume()
                    return
                except (ServiceUnavailable, OSError):
                    pass
                except Exception as exc:  # e.g. the database still starting
                    if "DatabaseUnavailable" not in type(exc).__name__ and "unavailable" not in str(exc).lower():
                        raise
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Neo4j not ready in {timeout}s:\n{self.output()}")
                time.sleep(0.25)
        finally:
            driver.close()

    def output(self) -> str:
        parts = []
        for path in (self.home / "server.out", self.home / "logs" / "neo4j.log"):
            if path.exists():
                parts.append(path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def stop(self, timeout: float = 60) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
