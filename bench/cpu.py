"""CPU accounting for the benches: where a path's CPU goes, against what a target allows.

A rate target on this machine is also a CPU budget: ``cores / rate`` seconds of CPU per row at
most, whoever spends them (Python, the Neo4j JVM, ``neo4j-admin``). A bench that prints each
side's CPU per row shows whether a missed rate is a wait (CPU to spare) or the machine's limit
(the budget spent), which wall seconds alone cannot tell.

    with CpuMeter(server_pid=harness.pid) as m:
        ...                                   # the timed work
    m.client_s, m.server_s, m.wall_s          # CPU of this process (and waited-for children), of the server

Linux only for another process's CPU (``/proc/<pid>/stat``); elsewhere it is ``None``.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from types import TracebackType

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def own_cpu() -> float:
    """User + system CPU seconds of this process and of its children that have been waited for
    (a forked export half, a ``neo4j-admin`` subprocess)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def process_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), or None when it cannot be read."""
    if pid is None:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15)


class CpuMeter:
    """Wall, client and (optionally) server CPU seconds of a ``with`` block."""

    def __init__(self, server_pid: int | None = None) -> None:
        self.server_pid = server_pid
        self.wall_s = self.client_s = 0.0
        self.server_s: float | None = None

    def __enter__(self) -> CpuMeter:
        self._wall, self._client, self._server = time.perf_counter(), own_cpu(), process_cpu(self.server_pid)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.wall_s = time.perf_counter() - self._wall
        self.client_s = own_cpu() - self._client
        end = process_cpu(self.server_pid)
        self.server_s = end - self._server if end is not None and self._server is not None else None

    @property
    def total_s(self) -> float | None:
        return None if self.server_s is None and self.server_pid is not None else self.client_s + (self.server_s or 0.0)


def budget_us(rate: float, cores: int | None = None) -> float:
    """CPU microseconds per row that ``rate`` rows/s leaves on ``cores`` cores (default: this machine's)."""
    return (cores or os.cpu_count() or 1) / rate * 1e6


def us_per_row(seconds: float | None, rows: int) -> str:
    return "n/a" if seconds is None or rows <= 0 else f"{seconds / rows * 1e6:.1f}"
