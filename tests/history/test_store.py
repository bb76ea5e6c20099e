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
    runs,
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
        report["run"]["mode"] = "live"
        store.record(report, tmp_path / f"r{day}")
        gate = _report(f"g{day}", f"2026-12-0{day}T03:00:00+00:00", [])
        store.record_gate(gate, 0, "x", None)
    # An offline run records the snapshot it read: pruned, but that snapshot is not its own.
    store.record(_report("o0", "2026-11-30T02:00:00+00:00", []), tmp_path / "reference")
    gone = store.prune(2)
    assert sorted(gone) == [str(tmp_path / "r1"), str(tmp_path / "r2")]
    assert [r.id for r in store.runs()] == ["r4", "r3"]
    # Gate verdicts older than the oldest kept run go with the runs.
    assert [v["id"] for v in store.gate_verdicts()] == ["g4", "g3"]
    store.dispose()


def test_first_seen_and_new_skip_a_night_the_device_was_not_audited(history_url):
    """Unreachable one night, or left out by --filter: its failures are not new after it."""
    store = HistoryStore(history_url)
    one = _report(
        "r1",
        "2026-12-01T02:00:00+00:00",
        [("a", "mel-01-sw01", "fail"), ("b", "mel-01-sw02", "fail")],
    )
    store.annotate(one)
    store.record(one, None)
    two = _report("r2", "2026-12-02T02:00:00+00:00", [("b", "mel-01-sw02", "fail")])
    two["devices"].append(
        {"name": "mel-01-sw01", "municipality": "mel", "status": "unreachable", "error": "timeout"}
    )
    store.annotate(two)
    store.record(two, None)
    assert [u["device"] for u in two["since_last"]["unreachable"]] == ["mel-01-sw01"]
    three = _report("r3", "2026-12-03T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])  # filtered
    store.annotate(three)
    store.record(three, None)
    since = three["since_last"]
    assert since["new"] == [] and since["resolved"] == []  # sw02 was not judged tonight
    assert [r["device"] for r in since["reachable"]] == ["mel-01-sw01"]
    assert three["findings"][0]["first_seen"] == {"run": "r1", "date": "2026-12-01"}
    four = _report("r4", "2026-12-04T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
    four["devices"].append(
        {"name": "mel-01-sw02", "municipality": "mel", "status": "audited", "error": None}
    )
    store.annotate(four)
    # sw02 was last audited in r2 with "b" failing; now it passes: resolved, not forgotten.
    assert [r["fingerprint"] for r in four["since_last"]["resolved"]] == ["b"]
    store.dispose()


def test_a_lock_another_machine_left_a_day_ago_is_taken_over(history_url, caplog):
    store = HistoryStore(history_url)
    with store.engine.begin() as connection:
        connection.execute(
            locks.insert().values(
                name="run", holder="other-host:4242", acquired="2026-01-01T02:00:00+00:00"
            )
        )
    with caplog.at_level(logging.WARNING, logger="dalsnet_audit.history.store"), store.lock():
        pass
    assert "other-host:4242" in caplog.text and "held for" in caplog.text
    # A fresh one of another machine is respected: it may be recording right now.
    import datetime as dt  # noqa: PLC0415

    with store.engine.begin() as connection:
        connection.execute(
            locks.insert().values(
                name="run",
                holder="other-host:4242",
                acquired=dt.datetime.now(dt.UTC).isoformat(),
            )
        )
    with pytest.raises(HistoryError, match="another audit is recording"), store.lock():
        pass
    store.dispose()


def test_a_corrupt_store_is_an_input_error_not_a_traceback(tmp_path):
    path = tmp_path / "history.sqlite"
    store = HistoryStore(str(path))
    store.record(_report("r1", "2026-12-01T02:00:00+00:00", [("a", "x", "fail")]), None)
    store.dispose()
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # the header stays valid, the pages do not
    path.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match=str(path)):
        broken = HistoryStore(str(path))
        broken.runs()
        broken.annotate(_report("r2", "2026-12-02T02:00:00+00:00", []))


@pytest.mark.parametrize(
    "url", ["postgresql://audit@127.0.0.1:notaport/db", "postgresql://audit@[::1/db"]
)
def test_a_malformed_url_is_an_input_error(url):
    with pytest.raises(HistoryError, match="cannot be opened"):
        HistoryStore(url)


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
        assert connection.scalar(select(schema_version.c.version)) == CURRENT == 4
        assert inspect(connection).has_table("waiver_uses")
    assert [r.id for r in migrated.runs()] == ["r1"]
    assert migrated.waiver_evidence() == {}
    migrated.dispose()


def test_network_wide_findings_are_compared_with_the_last_whole_run(history_url):
    """A run narrowed by --filter saw part of the network: its network-wide view neither
    resolves the whole run's network-wide failures nor makes them new again the night after."""
    store = HistoryStore(history_url)
    whole = _report(
        "r1", "2026-12-01T02:00:00+00:00", [("ov", "*", "fail"), ("a", "aml-01-sw01", "fail")]
    )
    store.annotate(whole)
    store.record(whole, None)
    narrow = _report("r2", "2026-12-02T02:00:00+00:00", [("a", "aml-01-sw01", "fail")])
    narrow["run"]["filters"] = ["municipality=aml"]
    store.annotate(narrow)
    store.record(narrow, None)
    assert narrow["since_last"]["resolved"] == []  # the overlap was not looked for tonight
    again = _report(
        "r3", "2026-12-03T02:00:00+00:00", [("ov", "*", "fail"), ("a", "aml-01-sw01", "fail")]
    )
    store.annotate(again)
    assert again["since_last"]["new"] == []
    assert again["findings"][0]["first_seen"] == {"run": "r1", "date": "2026-12-01"}
    store.record(again, None)
    fixed = _report("r4", "2026-12-04T02:00:00+00:00", [("a", "aml-01-sw01", "fail")])
    store.annotate(fixed)  # a whole run without the overlap: now it is resolved
    assert [r["fingerprint"] for r in fixed["since_last"]["resolved"]] == ["ov"]
    store.dispose()


def test_no_longer_audited_is_judged_against_the_device_s_last_run(history_url):
    """A device the last (filtered) run left out, audited the run before and unreachable
    tonight, is no longer audited; one already unreachable when last judged is not again."""
    store = HistoryStore(history_url)
    one = _report(
        "r1",
        "2026-12-01T02:00:00+00:00",
        [("a", "mel-01-sw01", "fail"), ("b", "mel-01-sw02", "fail")],
    )
    one["devices"].append(
        {"name": "mel-01-sw03", "municipality": "mel", "status": "timeout", "error": "x"}
    )
    store.annotate(one)
    store.record(one, None)
    two = _report("r2", "2026-12-02T02:00:00+00:00", [("b", "mel-01-sw02", "fail")])  # --filter
    two["run"]["filters"] = ["name=mel-01-sw02"]
    store.annotate(two)
    store.record(two, None)
    three = _report(
        "r3",
        "2026-12-03T02:00:00+00:00",
        [("b", "mel-01-sw02", "fail"), ("s", "mel-01-sw01", "fail")],
    )
    three["devices"] = [
        {"name": "mel-01-sw01", "municipality": "mel", "status": "unreachable", "error": "refused"},
        {"name": "mel-01-sw02", "municipality": "mel", "status": "audited", "error": None},
        {"name": "mel-01-sw03", "municipality": "mel", "status": "timeout", "error": "x"},
    ]
    store.annotate(three)
    since = three["since_last"]
    assert [u["device"] for u in since["unreachable"]] == ["mel-01-sw01"]
    # The failure that follows from the lost device is listed with it, and counts as new.
    assert [f["fingerprint"] for f in since["unreachable"][0]["failures"]] == ["s"]
    assert since["new"] == [] and since["resolved"] == []
    from dalsnet_audit.model.finding import new_fingerprints  # noqa: PLC0415

    assert new_fingerprints(since) == {"s"}
    store.dispose()


@pytest.mark.parametrize(
    ("acquired", "taken_over"),
    [("2026-01-01T02:00:00", True), ("", True), ("tomorrow", True), ("now", False)],
)
def test_a_lock_time_without_time_zone_or_unreadable_is_no_traceback(
    history_url, caplog, acquired, taken_over
):
    import datetime as dt  # noqa: PLC0415

    if acquired == "now":  # a fresh lock written without a zone: read as UTC, respected
        acquired = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat()
    store = HistoryStore(history_url)
    with store.engine.begin() as connection:
        connection.execute(
            locks.insert().values(name="run", holder="other-host:4242", acquired=acquired)
        )
    try:
        if taken_over:
            with (
                caplog.at_level(logging.WARNING, logger="dalsnet_audit.history.store"),
                store.lock(),
            ):
                pass
            assert "took over the run lock of other-host:4242" in caplog.text
        else:
            with pytest.raises(HistoryError, match="another audit is recording"), store.lock():
                pass
    finally:
        store.dispose()


@pytest.mark.parametrize(
    "stored",
    ["[]", '{"run": "r1"}', '{"run": {"id": "r1", "started": "x"}, "devices": {}, "findings": []}',
     '{"run": {"id": "r1", "started": "x"}, "devices": [], "findings": [{"device": "a"}]}'],
)  # fmt: skip
def test_a_stored_report_of_the_wrong_shape_is_a_history_error(history_url, stored):
    store = HistoryStore(history_url)
    one = _report("r1", "2026-12-01T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
    store.record(one, None)
    with store.engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.id == "r1").values(report=stored))
    try:
        with pytest.raises(HistoryError, match=r"not a report\.json"):
            store.report("r1")
        two = _report("r2", "2026-12-02T02:00:00+00:00", [("a", "mel-01-sw01", "fail")])
        with pytest.raises(HistoryError, match="r1"):
            store.annotate(two)
    finally:
        store.dispose()
