"""Start a real Neo4j 5.26 Community server for tests, without Docker.

The server is the official ``org.neo4j.test:neo4j-harness`` running in a small Java
launcher (``tests/neo4j_harness/pom.xml`` + ``src/main/java/kg/harness/Harness.java``), built
once with Maven into ``tests/neo4j_harness/target`` and then started with plain ``java -jar``
(no Maven and no network at start-up).

Usage::

    from tests.neo4j_harness.harness import Neo4jHarness

    with Neo4jHarness() as neo:
        driver = neo4j.GraphDatabase.driver(neo.bolt_uri)  # auth is disabled
        ...

Developers can run ``python tests/neo4j_harness/harness.py`` (or, from the repository root,
``python -m tests.neo4j_harness.harness``) to build, start a server and keep it up until Ctrl-C.

Environment knobs:
    NEO4J_HARNESS_JAVA       java executable (default: $JAVA_HOME/bin/java, else PATH)
    NEO4J_HARNESS_JAVA_OPTS  JVM options, replacing the defaults (DEFAULT_JAVA_OPTS)
    NEO4J_HARNESS_MVN_ARGS   extra Maven arguments for build(), e.g. ``-o`` for offline
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import fcntl
import hashlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
JAR = TARGET / "neo4j-test-harness.jar"
LIB = TARGET / "lib"
STAMP = TARGET / ".build-stamp"
LOCK = TARGET / ".build.lock"

READY_PREFIX = "NEO4J READY "
DEFAULT_JAVA_OPTS: tuple[str, ...] = (
    "-Xms64m",
    "-Xmx512m",
    "-XX:+UseSerialGC",
    "-XX:+ExitOnOutOfMemoryError",
)
_TAIL_LINES = 50
_BIND_ERRORS = ("Address already in use", "BindException", "PortBindException")


# --------------------------------------------------------------------------- build


def _build_inputs() -> Iterator[Path]:
    yield HERE / "pom.xml"
    yield from sorted(p for p in (HERE / "src").rglob("*") if p.is_file())


def _inputs_digest() -> str:
    h = hashlib.sha256()
    for path in _build_inputs():
        h.update(str(path.relative_to(HERE)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def is_built() -> bool:
    """True when the runnable jar and its dependencies match the current sources."""
    if not (JAR.is_file() and LIB.is_dir() and STAMP.is_file()):
        return False
    return STAMP.read_text().strip() == _inputs_digest()


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """Serialise concurrent builds (e.g. several pytest-xdist workers)."""
    TARGET.mkdir(exist_ok=True)
    with LOCK.open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build(quiet: bool = True) -> None:
    """Build the launcher jar with Maven unless it is already up to date.

    Idempotent and fast (a hash of pom.xml + sources) when nothing changed.
    The first build downloads the dependencies into ~/.m2; later ones work offline.
    """
    if is_built():
        return
    with _build_lock():
        if is_built():  # built by another process while we waited
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise RuntimeError("Maven ('mvn') is required to build the Neo4j test harness")
        cmd = [mvn, "-B", "-Dstyle.color=never", "package"]
        if quiet:
            cmd.append("-q")
        cmd += shlex.split(os.environ.get("NEO4J_HARNESS_MVN_ARGS", ""))
        digest = _inputs_digest()
        proc = subprocess.run(
            cmd,
            cwd=HERE,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            errors="replace",
            check=False,
        )
        if proc.returncode != 0 or not JAR.is_file():
            tail = "\n".join((proc.stdout or "").splitlines()[-_TAIL_LINES:])
            raise RuntimeError(
                f"Maven build of the Neo4j harness failed ({proc.returncode}): {shlex.join(cmd)}\n{tail}"
            )
        STAMP.write_text(digest + "\n")


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _java() -> str:
    explicit = os.environ.get("NEO4J_HARNESS_JAVA")
    if explicit:
        return explicit
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("Java 17+ ('java') is required to run the Neo4j test harness")
    return found


class Neo4jHarness:
    """A Neo4j server in a child JVM: Bolt + HTTP on 127.0.0.1, auth disabled.

    Each instance gets a fresh, empty store in a temp directory (removed on stop).
    Ports default to free loopback ports picked at start().
    """

    def __init__(
        self,
        *,
        bolt_port: int = 0,
        http_port: int = 0,
        browser_post_connect_cmd: str | None = None,
        browser_whitelist: str | None = None,
        extra_args: Sequence[str] = (),
        java_opts: Sequence[str] | None = None,
        build_if_needed: bool = True,
    ) -> None:
        self._req_bolt_port = bolt_port
        self._req_http_port = http_port
        self.browser_post_connect_cmd = browser_post_connect_cmd
        self.browser_whitelist = browser_whitelist
        self.extra_args = list(extra_args)
        if java_opts is None:
            env_opts = os.environ.get("NEO4J_HARNESS_JAVA_OPTS")
            java_opts = shlex.split(env_opts) if env_opts else DEFAULT_JAVA_OPTS
        self.java_opts = list(java_opts)
        self.build_if_needed = build_if_needed
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._ready = threading.Event()
        self._lines: collections.deque[str] = collections.deque(maxlen=2000)
        self._bolt_uri: str | None = None
        self._http_uri: str | None = None
        self._workdir: Path | None = None

    # -- public API ---------------------------------------------------------

    @property
    def bolt_uri(self) -> str:
        if self._bolt_uri is None:
            raise RuntimeError("Neo4jHarness is not started")
        return self._bolt_uri

    @property
    def http_uri(self) -> str:
        if self._http_uri is None:
            raise RuntimeError("Neo4jHarness is not started")
        return self._http_uri

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def wait(self, timeout: float | None = None) -> int:
        """Block until the JVM exits (normally only when stopped); return its code."""
        if self._proc is None:
            raise RuntimeError("Neo4jHarness is not started")
        return self._proc.wait(timeout)

    def output(self, last: int = _TAIL_LINES) -> str:
        """The last lines the JVM printed (stdout + stderr)."""
        return "\n".join(list(self._lines)[-last:])

    def start(self, timeout: float = 120) -> None:
        """Start the server and wait until it accepts connections.

        Raises RuntimeError (with the JVM's last output lines) on failure or timeout.
        """
        if self._proc is not None:
            raise RuntimeError("Neo4jHarness already started")
        if self.build_if_needed:
            build()
        elif not JAR.is_file():
            raise RuntimeError(f"{JAR} is missing: run tests/neo4j_harness/harness.py build() first")
        deadline = time.monotonic() + timeout
        # Ports we pick may be taken before the JVM binds them: retry on that race.
        attempts = 3 if self._req_bolt_port == 0 and self._req_http_port == 0 else 1
        for attempt in range(attempts):
            try:
                self._start_once(deadline)
                return
            except RuntimeError:
                lost_port_race = any(e in self.output(200) for e in _BIND_ERRORS)
                if not lost_port_race or attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise

    def stop(self, timeout: float = 30) -> None:
        """Terminate the JVM's process group (clean shutdown via SIGTERM) and wait."""
        proc, self._proc = self._proc, None
        self._bolt_uri = self._http_uri = None
        if proc is None:
            return
        if proc.poll() is None:
            self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGKILL)
                proc.wait()
        else:
            # The JVM is gone; make sure nothing it spawned lingers.
            self._signal_group(proc, signal.SIGKILL)
        if self._reader is not None:
            self._reader.join(5)
            self._reader = None
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._bolt_uri if self.is_running() else "stopped"
        return f"<Neo4jHarness {state}>"

    # -- internals ----------------------------------------------------------

    def _command(self, bolt_port: int, http_port: int, workdir: Path) -> list[str]:
        cmd = [_java(), *self.java_opts, "-jar", str(JAR)]
        cmd += ["--bolt-port", str(bolt_port), "--http-port", str(http_port)]
        # The store lives under a temp dir we own, so it is removed even if the JVM is killed.
        cmd += ["--working-dir", str(workdir)]
        # The JVM exits when our end of its stdin closes, i.e. when this process dies.
        cmd.append("--exit-on-stdin-eof")
        if self.browser_post_connect_cmd:
            cmd += ["--browser-post-connect-cmd", self.browser_post_connect_cmd]
        if self.browser_whitelist:
            cmd += ["--browser-whitelist", self.browser_whitelist]
        cmd += self.extra_args
        return cmd

    def _start_once(self, deadline: float) -> None:
        bolt_port = self._req_bolt_port or _free_port()
        http_port = self._req_http_port or _free_port()
        while http_port == bolt_port:
            http_port = _free_port()
        self._ready.clear()
        self._lines.clear()
        self._workdir = Path(tempfile.mkdtemp(prefix="neo4j-harness-"))
        proc = subprocess.Popen(
            self._command(bolt_port, http_port, self._workdir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            start_new_session=True,  # own process group, immune to terminal Ctrl-C
        )
        self._proc = proc
        self._reader = threading.Thread(
            target=self._read_output,
            args=(proc,),
            name="neo4j-harness-output",
            daemon=True,
        )
        self._reader.start()
        while not self._ready.wait(0.1):
            if proc.poll() is not None:
                self._reader.join(2)
                if self._ready.is_set():
                    break
                self.stop()
                raise RuntimeError(
                    f"Neo4j harness exited ({proc.returncode}) before it was ready.\n"
                    f"--- last output ---\n{self.output()}"
                )
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(f"Neo4j harness not ready in time.\n--- last output ---\n{self.output()}")
        if proc.poll() is not None:
            self.stop()
            raise RuntimeError(f"Neo4j harness exited right after start.\n{self.output()}")

    def _read_output(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.rstrip("\r\n")
            self._lines.append(line)
            if not self._ready.is_set() and line.startswith(READY_PREFIX):
                parts = line[len(READY_PREFIX) :].split()
                self._bolt_uri = next(p for p in parts if p.startswith("bolt://"))
                self._http_uri = next(p for p in parts if p.startswith("http://"))
                self._ready.set()

    @staticmethod
    def _signal_group(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build and run a Neo4j test server until Ctrl-C.")
    parser.add_argument("--bolt-port", type=int, default=0, help="0 = a free port (default)")
    parser.add_argument("--http-port", type=int, default=0, help="0 = a free port (default)")
    parser.add_argument("--browser-post-connect-cmd", default=None)
    parser.add_argument("--browser-whitelist", default=None)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--build-only", action="store_true", help="only build, then exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="show Maven output")
    args = parser.parse_args(argv)

    t0 = time.monotonic()
    build(quiet=not args.verbose)
    if args.build_only:
        print(f"built {JAR} in {time.monotonic() - t0:.1f}s")
        return 0
    harness = Neo4jHarness(
        bolt_port=args.bolt_port,
        http_port=args.http_port,
        browser_post_connect_cmd=args.browser_post_connect_cmd,
        browser_whitelist=args.browser_whitelist,
    )
    t1 = time.monotonic()
    harness.start(timeout=args.timeout)
    print(harness.bolt_uri)
    print(
        f"http:    {harness.http_uri}  (browser: {harness.http_uri}/browser/)",
        file=sys.stderr,
    )
    print(
        f"started in {time.monotonic() - t1:.1f}s; auth disabled; Ctrl-C to stop",
        file=sys.stderr,
    )
    sys.stdout.flush()
    try:
        code = harness.wait()
        print(f"Neo4j exited unexpectedly ({code}):\n{harness.output()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        harness.stop()


if __name__ == "__main__":
    sys.exit(main())
