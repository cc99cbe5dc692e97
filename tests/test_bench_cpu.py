"""bench/cpu.py: the CPU accounting the ingest and bulk benches print (no timing targets here)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.cpu import CpuMeter, budget_us, process_cpu, us_per_row

SPIN = "import time\nend = time.process_time() + {secs}\nwhile time.process_time() < end: pass\n"


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_meter_counts_this_process_cpu_and_no_server() -> None:
    with CpuMeter() as m:
        _spin(0.2)
    assert m.client_s >= 0.15
    assert m.wall_s >= m.client_s * 0.5
    assert m.server_s is None and m.total_s == m.client_s


def test_meter_counts_a_waited_for_child() -> None:
    """neo4j-admin and the export's forked half are children: their CPU is the client's."""
    with CpuMeter() as m:
        subprocess.run([sys.executable, "-c", SPIN.format(secs=0.3)], check=True)
    assert m.client_s >= 0.25


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/stat")
def test_meter_reads_another_process_cpu() -> None:
    server = subprocess.Popen([sys.executable, "-c", SPIN.format(secs=0.4) + "time.sleep(30)\n"])
    try:
        with CpuMeter(server.pid) as m:
            time.sleep(1.0)  # the other process spins for 0.4 s of CPU in this window, then sleeps
        assert m.server_s is not None and m.server_s >= 0.3
        assert m.total_s is not None and m.total_s >= m.server_s
    finally:
        server.kill()
        server.wait()


def test_unreadable_process_and_rows() -> None:
    assert process_cpu(None) is None
    assert process_cpu(2**22 + 12345) is None  # above Linux's pid_max: never a process
    assert us_per_row(None, 10) == "n/a" and us_per_row(1.0, 0) == "n/a"
    assert us_per_row(0.5, 100_000) == "5.0"
    assert budget_us(60_000, cores=2) == pytest.approx(33.33, abs=0.01)
