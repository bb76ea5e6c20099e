"""The history store's tables and their versioned migrations.

Each migration is a function of a connection, applied once, in order, inside the transaction
that records the new `schema_version`; a store written by a newer version is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata, Column("version", Integer, nullable=False, primary_key=True)
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("started", String(40), nullable=False),  # ISO-8601 UTC
    Column("finished", String(40), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("archive", Text),  # the run's snapshot directory, if it archived one
    Column("report", Text, nullable=False),  # report.json as written, for `report` and `diff`
)

run_devices = Table(
    "run_devices",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("municipality", String(16)),
    Column("status", String(32), nullable=False),
    Column("error", Text),
)

run_findings = Table(
    "run_findings",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("fingerprint", String(32), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("device", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("evidence_digest", String(32), nullable=False),
    Column("first_seen_run", String(64), nullable=False),
    Column("first_seen_date", String(10), nullable=False),
    Index("ix_run_findings_fingerprint", "fingerprint"),
)

locks = Table(
    "locks",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("holder", String(300), nullable=False),  # host:pid
    Column("acquired", String(40), nullable=False),
)


# Version 2: the evidence each waiver approved on its first use (a changed one reopens).
waiver_uses = Table(
    "waiver_uses",
    metadata,
    Column("waiver_key", String(600), primary_key=True),
    Column("fingerprint", String(32), primary_key=True),
    Column("evidence_digest", String(32), nullable=False),
    Column("first_run", String(64), nullable=False),
)


def _v1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[runs, run_devices, run_findings, locks])


def _v2(connection: Connection) -> None:
    metadata.create_all(connection, tables=[waiver_uses])


# Version 3: the gate's verdicts, with the change they were asked for.
gate_verdicts = Table(
    "gate_verdicts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("at", String(40), nullable=False),
    Column("host", String(200), nullable=False),
    Column("change_id", String(200)),
    Column("exit_code", Integer, nullable=False),
    Column("network_run", String(64)),
    Column("report", Text, nullable=False),
)


def _v3(connection: Connection) -> None:
    metadata.create_all(connection, tables=[gate_verdicts])


# Version 4: each run's compliance per municipality, for the reports' trends.
run_municipalities = Table(
    "run_municipalities",
    metadata,
    Column("run_id", String(64), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality", String(16), primary_key=True),
    Column("score", Float),
    Column("failures", Integer, nullable=False),
    Column("open_critical", Integer, nullable=False),
    Column("open_high", Integer, nullable=False),
    Column("devices", Integer, nullable=False),
    Column("audited", Integer, nullable=False),
)


def municipality_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The `run_municipalities` rows of one report.json."""
    rows = []
    for short, stats in (report.get("summary") or {}).get("by_municipality", {}).items():
        opened = stats.get("open") or {}
        rows.append(
            {
                "run_id": report["run"]["id"],
                "municipality": short,
                "score": stats.get("score"),
                "failures": int(stats.get("fail", 0)),
                "open_critical": int(opened.get("critical", 0)),
                "open_high": int(opened.get("high", 0)),
                "devices": int(stats.get("devices", 0)),
                "audited": int(stats.get("audited", 0)),
            }
        )
    return rows


def _v4(connection: Connection) -> None:
    """The table, filled from the runs recorded before it (their report.json)."""
    metadata.create_all(connection, tables=[run_municipalities])
    for text in connection.execute(select(runs.c.report)).scalars():
        rows = municipality_rows(json.loads(text))
        if rows:
            connection.execute(run_municipalities.insert(), rows)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2, _v3, _v4)
CURRENT = len(MIGRATIONS)


def current_version(connection: Connection) -> int:
    """The version the store is at (0: empty)."""
    if not inspect(connection).has_table("schema_version"):
        return 0
    return int(connection.scalar(select(schema_version.c.version)) or 0)


def migrate(connection: Connection) -> int:
    """Bring the store up to `CURRENT` in the caller's transaction; the version reached."""
    schema_version.create(connection, checkfirst=True)
    version = current_version(connection)
    if version > CURRENT:
        raise RuntimeError(f"written by a newer dalsnet-audit (schema {version} > {CURRENT})")
    for number in range(version, CURRENT):
        MIGRATIONS[number](connection)
    if version == 0:
        connection.execute(schema_version.insert().values(version=CURRENT))
    elif version < CURRENT:
        connection.execute(schema_version.update().values(version=CURRENT))
    return CURRENT
