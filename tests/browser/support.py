"""Helpers for the real-browser tests: headless Debian Chromium through Playwright, and the
API served by uvicorn in a background thread on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def skip_requested() -> bool:
    return os.environ.get("KG_SKIP_BROWSER") == "1"


def chromium_path() -> str:
    """The Chromium binary, or a failure that says how to install it (never a silent skip)."""
    path = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not path:
        pytest.fail(f"Chromium is required for the browser tests ({CHROMIUM} missing): run `make chromium` "
                    "(apt-get install chromium chromium-driver), or set KG_SKIP_BROWSER=1 to skip them")
    return path


@dataclass
class RequestLog:
    """Every HTTP request the test API received: (method, path, query, origin)."""

    entries: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [p for m, p, _, _ in self.entries if method is None or m == method]

    def wait_for(self, method: str, path: str, timeout: float = 30) -> tuple[str, str, str, str | None]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for entry in self.entries:
                    if entry[0] == method and entry[1] == path:
                        return entry
            time.sleep(0.1)
        raise AssertionError(f"the API never saw {method} {path}; it saw {self.entries}")


class _Recorder:
    def __init__(self, app: Any, log: RequestLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin")
            with self.log.lock:
                self.log.entries.append((scope["method"], scope["path"], scope.get("query_string", b"").decode(),
                                         origin.decode() if origin else None))
        await self.app(scope, receive, send)


def reserve_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve(app: Any, sock: socket.socket | None = None) -> Iterator[tuple[str, RequestLog]]:
    """Run ``app`` with uvicorn in a daemon thread; yield its base URL and its request log."""
    import uvicorn

    sock = sock or reserve_port()
    port = sock.getsockname()[1]
    log = RequestLog()
    config = uvicorn.Config(_Recorder(app, log), log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="test-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test API did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
