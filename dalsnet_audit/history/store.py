"""Record each run in one transaction; read runs back for `diff`, `report` and first-seen.

SQLite by default (a file), PostgreSQL for several machines writing one history (a
`postgresql://` URL, through SQLAlchemy and psycopg). A run lock in the store itself keeps two
audits from recording at once; a lock whose process is gone (same machine, pid not running) is
stale and taken over, with a warning.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from dalsnet_audit.errors import HistoryError
from dalsnet_audit.history.diff import diff_reports, is_whole
from dalsnet_audit.history.schema import (
    gate_verdicts,
    locks,
    migrate,
    municipality_rows,
    run_devices,
    run_findings,
    run_municipalities,
    runs,
    waiver_uses,
)
from dalsnet_audit.model.finding import NETWORK_WIDE

log = logging.getLogger(__name__)

ENVIRONMENT = "DALSNET_HISTORY"
RUN_LOCK = "run"
TREND_RUNS = 30  # the runs a report's trend draws, this one included
# A lock another machine has held this long is taken over: no audit runs for a day, and a
# machine that died holding it cannot be asked whether its process still lives.
LOCK_MAX_AGE = dt.timedelta(hours=24)
# What a store that cannot be read raises, besides SQLAlchemy's errors: a malformed URL (a
# port that is not a number), a file that is not a database, a report that is not JSON.
_STORE_ERRORS = (SQLAlchemyError, ValueError, OSError, RuntimeError, KeyError)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One recorded run, as `diff` and `report` list them."""

    id: str
    started: str
    mode: str
    exit_code: int
    archive: str | None


def default_location(out: Path) -> str:
    """`DALSNET_HISTORY`, else `var/history.sqlite` beside the reports directory.

    `out` is where the reports are published (`report.publish.out_location`: a user's link
    followed), so every name that leads to one report directory finds one history.
    """
    return os.environ.get(ENVIRONMENT) or str(out.parent / "var" / "history.sqlite")


def _url(location: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if "://" in location:
        if location.startswith(("sqlite://", "postgresql+psycopg://")):
            return location
        raise HistoryError(
            f"{location.split('://', 1)[0]}://", None, "not a SQLite path or PostgreSQL URL"
        )
    path = Path(location).absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def redacted(location: str) -> str:
    """The location without a password (`postgresql://user:***@host/db`)."""
    scheme, sep, rest = location.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return location


_HELD = (signal.SIGTERM, signal.SIGINT)


class _SignalDeferral:
    """Hold SIGTERM/SIGINT back, then deliver what came meanwhile.

    Python runs signal handlers in the main thread only, whichever thread the kernel chose:
    swapping the handlers there defers them reliably (a thread mask would not, with threads).
    """

    def __init__(self) -> None:
        self.pending: list[int] = []
        self.previous: dict[int, Any] = {}

    def start(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for number in _HELD:
            self.previous[number] = signal.getsignal(number)
            signal.signal(number, lambda signum, _frame: self.pending.append(signum))

    def stop(self) -> None:
        if not self.previous:
            return
        for number, handler in self.previous.items():
            signal.signal(number, handler)
        self.previous = {}
        pending, self.pending = self.pending, []
        for number in pending:
            signal.raise_signal(number)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _stale(holder: str, acquired: str) -> str | None:
    """Why a held lock may be taken over, or None while its holder may still be recording."""
    host, _, pid = holder.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
        return "that process is no longer running"
    try:
        since = dt.datetime.fromisoformat(acquired)
    except (TypeError, ValueError):
        return "its time is unreadable"
    if since.tzinfo is None:  # written by hand or by another tool: read as UTC
        since = since.replace(tzinfo=dt.UTC)
    age = dt.datetime.now(dt.UTC) - since
    if age > LOCK_MAX_AGE:
        return f"held for {age.total_seconds() / 3600:.0f} h"
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class HistoryStore:
    """The runs recorded so far, in one SQLite file or PostgreSQL database."""

    def __init__(self, location: str) -> None:
        self.location = redacted(location)
        with self._guard("cannot be opened"):
            self.engine: Engine = create_engine(_url(location), future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.begin() as connection:
                migrate(connection)

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Turn any failure of the store into a HistoryError naming it (exit 2, no traceback).

        SIGTERM and SIGINT wait until the store is done: a kill raised inside SQLAlchemy could
        leave a connection holding the database, and the run lock could not be given back.
        """
        deferral = _SignalDeferral()
        deferral.start()
        try:
            yield
        except HistoryError:
            raise
        except _STORE_ERRORS as exc:
            raise HistoryError(self.location, None, f"{what}: {_reason(exc)}") from None
        finally:
            deferral.stop()

    # The run lock -------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the run lock for the block; refuse while another live process holds it.

        SIGTERM and SIGINT are held back while the lock is taken and while it is given back,
        so a `kill` never lands between taking it and being ready to release it.
        """
        me = _holder()
        deferral = _SignalDeferral()
        deferral.start()
        try:
            with self._guard("run lock not taken"):
                self._acquire(me)
            try:
                deferral.stop()  # a kill that came meanwhile lands here, lock releasable
                yield
            finally:
                try:
                    deferral.start()
                finally:  # released even if a signal beat the deferral
                    self._release(me)
        finally:
            deferral.stop()

    def _release(self, me: str) -> None:
        """Give the run lock back; once more on fresh connections if the pool is unusable."""
        for attempt in range(2):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        delete(locks).where(locks.c.name == RUN_LOCK, locks.c.holder == me)
                    )
                return
            except SQLAlchemyError as exc:
                log.warning("history %s: run lock not released: %s", self.location, _reason(exc))
                if attempt == 0:
                    self.engine.dispose()

    def _acquire(self, me: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        try:
            with self.engine.begin() as connection:
                connection.execute(locks.insert().values(name=RUN_LOCK, holder=me, acquired=now))
            return
        except IntegrityError:
            pass
        with self.engine.begin() as connection:
            row = connection.execute(
                select(locks.c.holder, locks.c.acquired).where(locks.c.name == RUN_LOCK)
            ).one_or_none()
            if row is None:  # released meanwhile
                connection.execute(locks.insert().values(name=RUN_LOCK, holder=me, acquired=now))
                return
            stale = _stale(row.holder, row.acquired)
            if stale:
                log.warning(
                    "history %s: took over the run lock of %s (since %s): %s",
                    self.location,
                    row.holder,
                    row.acquired,
                    stale,
                )
                taken = connection.execute(
                    update(locks)
                    .where(locks.c.name == RUN_LOCK, locks.c.holder == row.holder)
                    .values(holder=me, acquired=now)
                )
                if taken.rowcount == 1:
                    return
            raise HistoryError(
                self.location,
                None,
                f"another audit is recording (lock held by {row.holder} since {row.acquired}; "
                f"a lock older than {LOCK_MAX_AGE.total_seconds() / 3600:g} h is taken over)",
            )

    # Writing --------------------------------------------------------------------------------

    def annotate(self, report: dict[str, Any]) -> None:
        """Set `first_seen` and `since_last` against what the history knew before this run.

        Each device is compared with the last run that audited it, so a night it was
        unreachable (or left out by `--filter`) does not make its old failures new; a finding
        keeps the first-seen of that run's finding with the same fingerprint and status.
        `since_last` is what changed since the last run (`history.diff`).
        """
        with self._guard("earlier runs not read"):
            recorded = self.runs()
            if not recorded:
                report["trend"] = self.trend(report)
                return
            previous = self.report(recorded[0].id)
            earlier = self.last_audited(recorded[0].started)
            last_status = self.last_status(recorded[0].started)
        # The same finding in the last run, or at its device's last audited state.
        known: dict[tuple[str, str], Mapping[str, Any]] = {}
        for findings in [*earlier.values(), previous["findings"]]:
            known.update(((f["fingerprint"], f["status"]), f) for f in findings)

        def carry(finding: dict[str, Any]) -> None:
            before = known.get((finding["fingerprint"], finding["status"]))
            if before is not None:
                finding["first_seen"] = dict(before["first_seen"])

        _each_row(report["findings"], carry)
        report["since_last"] = diff_reports(previous, report, earlier, last_status)
        report["trend"] = self.trend(report)

    def trend(self, report: Mapping[str, Any], runs_wanted: int = TREND_RUNS) -> dict[str, Any]:
        """Compliance and open failures per municipality over the last recorded runs.

        Returns:
            `runs` (id and date, oldest first, this run last) and per municipality a list of
            points (`score`, `failures`, `open_critical`, `open_high`) in the same order.
        """
        with self._guard("trend not read"), self.engine.connect() as connection:
            recent = connection.execute(
                select(runs.c.id, runs.c.started)
                .order_by(runs.c.started.desc())
                .limit(runs_wanted - 1)
            ).all()
            ids = [r.id for r in recent]
            rows = connection.execute(
                select(run_municipalities).where(run_municipalities.c.run_id.in_(ids))
            ).all()
        order = [*reversed(recent)]
        points: dict[tuple[str, str], dict[str, Any]] = {
            (r.run_id, r.municipality): {
                "score": r.score,
                "failures": r.failures,
                "open_critical": r.open_critical,
                "open_high": r.open_high,
            }
            for r in rows
        }
        for row in municipality_rows(report):
            points[(report["run"]["id"], row["municipality"])] = {
                k: row[k] for k in ("score", "failures", "open_critical", "open_high")
            }
        all_runs = [(r.id, r.started) for r in order] + [
            (report["run"]["id"], report["run"]["started"])
        ]
        shorts = sorted({short for _, short in points})
        return {
            "runs": [{"id": run_id, "date": started[:10]} for run_id, started in all_runs],
            "by_municipality": {
                short: [points.get((run_id, short)) for run_id, _ in all_runs] for short in shorts
            },
        }

    def last_audited(self, until: str) -> dict[str, list[dict[str, Any]]]:
        """Per device, its findings in the last run up to `until` that audited it.

        The network-wide findings (`*`) are those of the last whole run up to `until` (one not
        narrowed by `--filter`, `history.diff.is_whole`).
        """
        with self._guard("earlier runs not read"), self.engine.connect() as connection:
            rows = connection.execute(
                select(run_devices.c.name, runs.c.id, runs.c.started)
                .join(runs, runs.c.id == run_devices.c.run_id)
                .where(run_devices.c.status == "audited", runs.c.started <= until)
            ).all()
        latest: dict[str, tuple[str, str]] = {}
        for row in rows:
            if row.name not in latest or row.started > latest[row.name][0]:
                latest[row.name] = (row.started, row.id)
        by_run: dict[str, set[str]] = {}
        for name, (_, run_id) in latest.items():
            by_run.setdefault(run_id, set()).add(name)
        whole = self._last_whole(until)
        if whole is not None:
            by_run.setdefault(whole, set()).add(NETWORK_WIDE)
        found: dict[str, list[dict[str, Any]]] = {
            name: [] for names in by_run.values() for name in names
        }
        for run_id, names in by_run.items():
            for finding in self.report(run_id)["findings"]:
                if finding["device"] in names:
                    found[finding["device"]].append(finding)
        return found

    def last_status(self, until: str) -> dict[str, str]:
        """Per device, its status in the last run up to `until` that judged it."""
        with self._guard("earlier runs not read"), self.engine.connect() as connection:
            rows = connection.execute(
                select(run_devices.c.name, run_devices.c.status, runs.c.started)
                .join(runs, runs.c.id == run_devices.c.run_id)
                .where(runs.c.started <= until)
                .order_by(runs.c.started)
            ).all()
        return {row.name: row.status for row in rows}

    def _last_whole(self, until: str) -> str | None:
        """The id of the last run up to `until` that judged the whole inventory."""
        for run in self.runs():
            if run.started <= until and is_whole(self.report(run.id)):
                return run.id
        return None

    def record(
        self, report: Mapping[str, Any], archive: Path | None, text: str | None = None
    ) -> None:
        """Record the run, its devices and its findings in one transaction.

        `archive` is the snapshot the run read or wrote; it is recorded as an absolute path,
        so `diff` and `gate` find it from any directory. `text`: the report as JSON, when the
        caller has it (a report whose rows are spooled is not a plain dict).
        """
        run = report["run"]
        deferral = _SignalDeferral()
        deferral.start()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    runs.insert().values(
                        id=run["id"],
                        started=run["started"],
                        finished=run["finished"],
                        mode=run["mode"],
                        exit_code=int(run["exit_code"]),
                        archive=str(archive.resolve()) if archive else None,
                        report=text or json.dumps(report, ensure_ascii=False),
                    )
                )
                if report["devices"]:
                    connection.execute(
                        run_devices.insert(),
                        [
                            {
                                "run_id": run["id"],
                                "name": d["name"],
                                "municipality": d.get("municipality"),
                                "status": d["status"],
                                "error": d.get("error"),
                            }
                            for d in report["devices"]
                        ],
                    )
                if report["findings"]:
                    connection.execute(
                        run_findings.insert(),
                        [
                            {
                                "run_id": run["id"],
                                "seq": i,
                                "fingerprint": f["fingerprint"],
                                "rule": f["rule"],
                                "device": f["device"],
                                "status": f["status"],
                                "severity": f["severity"],
                                "evidence_digest": f["evidence_digest"],
                                "first_seen_run": f["first_seen"]["run"],
                                "first_seen_date": f["first_seen"]["date"],
                            }
                            for i, f in enumerate(report["findings"])
                        ],
                    )
                first_uses = [
                    {
                        "waiver_key": f["waiver"]["key"],
                        "fingerprint": f["fingerprint"],
                        "evidence_digest": f["evidence_digest"],
                        "first_run": run["id"],
                    }
                    for f in report["findings"]
                    if f.get("waiver")
                    and f["waiver"]["state"] == "active"
                    and f["waiver"].get("approved_digest") is None
                ]
                if first_uses:
                    connection.execute(waiver_uses.insert(), first_uses)
                compliance = municipality_rows(report)
                if compliance:
                    connection.execute(run_municipalities.insert(), compliance)
        except _STORE_ERRORS as exc:
            raise HistoryError(self.location, None, f"run not recorded: {_reason(exc)}") from None
        finally:
            deferral.stop()

    def record_gate(
        self, report: Mapping[str, Any], exit_code: int, host: str, change_id: str | None
    ) -> None:
        """Record a gate verdict and the change it was asked for, in one transaction."""
        run = report["run"]
        with self._guard("verdict not recorded"), self.engine.begin() as connection:
            connection.execute(
                gate_verdicts.insert().values(
                    id=run["id"],
                    at=run["started"],
                    host=host,
                    change_id=change_id,
                    exit_code=exit_code,
                    network_run=run.get("snapshot"),
                    report=json.dumps(report, ensure_ascii=False),
                )
            )

    def gate_verdicts(self) -> list[dict[str, Any]]:
        """Every recorded gate verdict, newest first (without its report)."""
        with self._guard("gate verdicts not read"), self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    gate_verdicts.c.id,
                    gate_verdicts.c.at,
                    gate_verdicts.c.host,
                    gate_verdicts.c.change_id,
                    gate_verdicts.c.exit_code,
                    gate_verdicts.c.network_run,
                ).order_by(gate_verdicts.c.at.desc())
            ).all()
        return [dict(r._mapping) for r in rows]

    def waiver_evidence(self) -> dict[tuple[str, str], str]:
        """The evidence digest each waiver approved on first use, by (waiver key, fingerprint)."""
        with self._guard("waiver evidence not read"), self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    waiver_uses.c.waiver_key,
                    waiver_uses.c.fingerprint,
                    waiver_uses.c.evidence_digest,
                )
            ).all()
        return {(r.waiver_key, r.fingerprint): r.evidence_digest for r in rows}

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest `keep` runs, and gate verdicts older than the oldest kept.

        Returns:
            The archive directories the deleted live runs wrote and no kept run reads (an
            offline run records the snapshot it read, which is not its to delete).
        """
        with self._guard("not pruned"), self.engine.begin() as connection:
            ordered = connection.execute(
                select(runs.c.id, runs.c.started, runs.c.mode, runs.c.archive).order_by(
                    runs.c.started.desc()
                )
            ).all()
            kept, old = ordered[:keep], ordered[keep:]
            ids = [r.id for r in old]
            if ids:
                connection.execute(delete(run_findings).where(run_findings.c.run_id.in_(ids)))
                connection.execute(delete(run_devices).where(run_devices.c.run_id.in_(ids)))
                connection.execute(
                    delete(run_municipalities).where(run_municipalities.c.run_id.in_(ids))
                )
                connection.execute(delete(runs).where(runs.c.id.in_(ids)))
                oldest = kept[-1].started if kept else old[0].started
                connection.execute(delete(gate_verdicts).where(gate_verdicts.c.at < oldest))
        still_read = {r.archive for r in kept}
        return [
            r.archive for r in old if r.archive and r.mode == "live" and r.archive not in still_read
        ]

    # Reading --------------------------------------------------------------------------------

    def runs(self) -> list[RunSummary]:
        """Every recorded run, newest first."""
        with self._guard("runs not read"), self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    runs.c.id, runs.c.started, runs.c.mode, runs.c.exit_code, runs.c.archive
                ).order_by(runs.c.started.desc())
            ).all()
        return [RunSummary(r.id, r.started, r.mode, r.exit_code, r.archive) for r in rows]

    def report(self, run_id: str) -> dict[str, Any]:
        """The report.json of a recorded run."""
        with self._guard(f"run {run_id!r} not read"):
            with self.engine.connect() as connection:
                text = connection.scalar(select(runs.c.report).where(runs.c.id == run_id))
            if text is None:
                raise HistoryError(self.location, None, f"no run {run_id!r}")
            report: dict[str, Any] = json.loads(text)
            if not _is_report(report):
                raise HistoryError(
                    self.location,
                    run_id,
                    "the recorded report is not a report.json (run, devices and findings); "
                    "the store was changed by hand or by another tool",
                )
            return report

    def dispose(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()


def _each_row(rows: Any, change: Callable[[dict[str, Any]], None]) -> None:
    """Change every finding row: in place in a list, or through a spool's own `update`."""
    update = getattr(rows, "update", None)
    if callable(update):
        update(change)
        return
    for row in rows:
        change(row)


def _is_report(value: Any) -> bool:
    """Whether `value` has the shape the history reads from a report.json."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("run"), dict)
        and isinstance(value["run"].get("id"), str)
        and isinstance(value["run"].get("started"), str)
        and isinstance(value.get("devices"), list)
        and isinstance(value.get("findings"), list)
        and all(isinstance(d, dict) and "name" in d and "status" in d for d in value["devices"])
        and all(
            isinstance(f, dict) and {"device", "rule", "status", "fingerprint"} <= f.keys()
            for f in value["findings"]
        )
    )


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _reason(exc: BaseException) -> str:
    """One line of why, without the SQL statement or its parameters."""
    original = getattr(exc, "orig", None)  # a DBAPI error wrapped by SQLAlchemy
    if isinstance(exc, SQLAlchemyError) and original is not None:
        return (str(original).splitlines() or [type(original).__name__])[0]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
