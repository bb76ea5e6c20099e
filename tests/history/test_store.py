"""The history store on SQLite and on a real PostgreSQL server: record, read, lock, prune."""

from __future__ import annotations

import copy
import logging
import subprocess
import sys

import pytest
from sqlalchemy import inspect, select, update

from dalsnet_audit.errors import HistoryError
from dalsnet_audit.history import HistoryStore
from dalsnet_audit.history.schema import (
    CURRENT,
    locks,
    run_findings,
    schema_version,
    waiver_uses,
)


def _report(run_id: str, started: str, findings: list[tuple[str, str, str]]) -> dict:
    """A minimal report.json: findings as (fingerprint, device, status)."""
    return {
        "run": {
            "id": run_id,
            "started": started,
            "finished": started,
            "mode": "offline",
            "exit_code": 1,
        },
        "devices": [
            {"name": d, "municipality": "mel", "status": "audited", "error": None}
            for d in sorted({d for _, d, _ in findings})
        ],
        "findings": [
            {
                "rule": "CRY-001",
                "device": device,
                "status": status,
                "severity": "critical",
                "message": "Telnet is accepted.",
                "evidence": ["transport input telnet ssh"],
                "fingerprint": fp,
                "evidence_digest": "0" * 16,
                "first_seen": {"run": run_id, "date": started[:10]},
            }
            for fp, device, status in findings
        ],
    }


def test_a_new_store_is_at_the_current_schema(history_url):
    store = HistoryStore(history_url)
    with store.engine.connect() as connection:
        assert connection.scalar(select(schema_version.c.version)) == CURRENT
    assert store.runs() == []
    store.dispose()


def test_a_store_of_a_newer_version_is_refused(history_url):
    store = HistoryStore(history_url)
    with store.engine.begin() as connection:
        connection.execute(update(schema_version).values(version=CURRENT + 1))
    store.dispose()
    with pytest.raises(HistoryError, match="newer"):
        HistoryStore(history_url)


def test_record_and_read_back_with_first_seen_carried(history_url):
    store = HistoryStore(history_url)
    first = _report("r1", "2026-12-01T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
    store.annotate(first)
    store.record(first, None)
    second = _report(
        "r2",
        "2026-12-02T02:00:00+00:00",
        [("a", "mel-01-sw01", "fail"), ("b", "mel-01-sw02", "fail")],
    )
    store.annotate(second)
    store.record(second, None)
    seen = {f["fingerprint"]: f["first_seen"] for f in second["findings"]}
    assert seen == {
        "a": {"run": "r1", "date": "2026-12-01"},  # unchanged: stays at its first run
        "b": {"run": "r2", "date": "2026-12-02"},
    }
    assert second["since_last"]["new"][0]["fingerprint"] == "b"
    assert [r.id for r in store.runs()] == ["r2", "r1"]
    assert store.report("r1")["findings"][0]["fingerprint"] == "a"
    with pytest.raises(HistoryError, match="no run"):
        store.report("r9")
    store.dispose()


def test_a_failing_record_leaves_nothing_half_written(history_url):
    store = HistoryStore(history_url)
    good = _report("r1", "2026-12-01T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
    store.record(good, None)
    broken = _report("r2", "2026-12-02T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
    broken["findings"].append(copy.deepcopy(broken["findings"][0]))
    broken["findings"][1]["severity"] = None  # NOT NULL: the insert of the findings fails
    with pytest.raises(HistoryError, match="run not recorded"):
        store.record(broken, None)
    assert [r.id for r in store.runs()] == ["r1"]
    with store.engine.connect() as connection:
        assert (
            connection.scalar(select(run_findings.c.run_id).where(run_findings.c.run_id == "r2"))
            is None
        )
    store.dispose()


def test_prune_keeps_the_newest_runs(history_url, tmp_path):
    store = HistoryStore(history_url)
    for day in range(1, 5):
        report = _report(f"r{day}", f"2026-12-0{day}T02:00:00+00:00", [("a", "x", "fail")])
        store.record(report, tmp_path / f"r{day}")
    gone = store.prune(2)
    assert sorted(gone) == [str(tmp_path / "r1"), str(tmp_path / "r2")]
    assert [r.id for r in store.runs()] == ["r4", "r3"]
    store.dispose()


def test_the_run_lock_refuses_a_second_recorder(history_url):
    first, second = HistoryStore(history_url), HistoryStore(history_url)
    # The holder is this very process, which is alive: the lock is held, not stale.
    with (
        first.lock(),
        pytest.raises(HistoryError, match="another audit is recording"),
        second.lock(),
    ):
        pass
    with second.lock():  # released: the next one gets it
        pass
    first.dispose()
    second.dispose()


def test_a_stale_lock_of_a_dead_process_is_taken_over(history_url, caplog):
    store = HistoryStore(history_url)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    import socket  # noqa: PLC0415

    with store.engine.begin() as connection:
        connection.execute(
            locks.insert().values(
                name="run",
                holder=f"{socket.gethostname()}:{dead.stdout.strip()}",
                acquired="2026-12-01T02:00:00+00:00",
            )
        )
    with caplog.at_level(logging.WARNING, logger="dalsnet_audit.history.store"), store.lock():
        pass
    assert "took over the run lock" in caplog.text
    with store.engine.connect() as connection:
        assert connection.scalar(select(locks.c.holder)) is None  # released after the block
    store.dispose()


def test_a_password_in_the_url_never_shows(tmp_path):
    with pytest.raises(HistoryError) as raised:
        HistoryStore("postgresql://audit:s3cret-pass@127.0.0.1:1/none")
    assert "s3cret-pass" not in str(raised.value)
    assert "audit:***@127.0.0.1" in str(raised.value)


def test_an_unknown_scheme_is_refused():
    with pytest.raises(HistoryError, match="not a SQLite path or PostgreSQL URL"):
        HistoryStore("mysql://x@y/z")


def test_a_version_1_store_is_migrated_and_keeps_its_runs(history_url):
    store = HistoryStore(history_url)
    store.record(_report("r1", "2026-12-01T02:00:00+00:00", [("a", "x", "fail")]), None)
    with store.engine.begin() as connection:  # as version 1 left it: no waiver_uses table
        waiver_uses.drop(connection)
        connection.execute(update(schema_version).values(version=1))
    store.dispose()
    migrated = HistoryStore(history_url)
    with migrated.engine.connect() as connection:
        assert connection.scalar(select(schema_version.c.version)) == CURRENT == 3
        assert inspect(connection).has_table("waiver_uses")
    assert [r.id for r in migrated.runs()] == ["r1"]
    assert migrated.waiver_evidence() == {}
    migrated.dispose()
