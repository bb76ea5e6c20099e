"""Killing an audit at any moment leaves no half-recorded run and no lock that blocks the next.

`dalsnet-audit audit` runs as its own process against a SQLite history and is killed after a
spread of delays, with SIGTERM (it unwinds and releases its lock) and SIGKILL (it cannot: the
lock it leaves names a process that is gone, and the next audit takes it over). After every
kill each recorded run is whole: its devices and findings are all there or it is not there.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dalsnet_audit.history import HistoryStore
from dalsnet_audit.history.schema import locks, run_devices, run_findings, runs

ROOT = Path(__file__).resolve().parents[2]
AUDIT = [
    sys.executable, "-c", "from dalsnet_audit.cli import app; app()", "audit",
    "--inventory", str(ROOT / "inventory"),
    "--policies", str(ROOT / "policies"),
    "--offline", str(ROOT / "snapshots" / "reference"),
    "--format", "json",
    "-q",
]  # fmt: skip


def _start(tmp: Path, history: Path, n: int) -> subprocess.Popen:
    return subprocess.Popen(
        [*AUDIT, "--out", str(tmp / f"out{n}"), "--history", str(history)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _whole(history: Path) -> list[str]:
    """Every recorded run with exactly the devices and findings of its report.json."""
    store = HistoryStore(str(history))
    with store.engine.connect() as connection:
        rows = connection.execute(select(runs.c.id, runs.c.report)).all()
        for run_id, text in rows:
            report = json.loads(text)
            devices = connection.scalar(
                select(func.count()).select_from(run_devices).where(run_devices.c.run_id == run_id)
            )
            findings = connection.scalar(
                select(func.count())
                .select_from(run_findings)
                .where(run_findings.c.run_id == run_id)
            )
            assert (devices, findings) == (len(report["devices"]), len(report["findings"])), run_id
    store.dispose()
    return [run_id for run_id, _ in rows]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["term", "kill"])
def test_killed_audits_leave_whole_runs_and_no_blocking_lock(tmp_path, sig):
    history = tmp_path / "history.sqlite"
    # How long one audit takes here, to spread the kills over its whole life.
    started = time.monotonic()
    assert _start(tmp_path, history, 0).wait(timeout=300) == 1
    length = time.monotonic() - started
    recorded = _whole(history)
    assert len(recorded) == 1
    for n, fraction in enumerate((0.15, 0.35, 0.55, 0.75, 0.9, 0.97), start=1):
        process = _start(tmp_path, history, n)
        time.sleep(length * fraction)
        process.send_signal(sig)
        _, err = process.communicate(timeout=60)
        recorded = _whole(history)  # whole after every kill, whatever it had reached
        if sig == signal.SIGTERM:
            store = HistoryStore(str(history))
            with store.engine.connect() as connection:
                assert connection.scalar(select(locks.c.holder)) is None, err.decode()[-2000:]
            store.dispose()
    # The next audit records, taking over a lock a SIGKILL left behind.
    final = _start(tmp_path, history, 99)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 1, err.decode()
    assert len(_whole(history)) == len(recorded) + 1
