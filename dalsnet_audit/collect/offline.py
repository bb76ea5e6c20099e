"""The offline collector: a snapshot directory in the layout of `interfaces.md`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dalsnet_audit.errors import SnapshotError
from dalsnet_audit.input_files import read_text
from dalsnet_audit.model.device import CollectStatus, HostRecord
from dalsnet_audit.model.raw import CONSOLE_FILE, RawDevice
from dalsnet_audit.paths import PathEscapeError, inside, is_safe_name
from dalsnet_audit.platforms import DRIVERS


@dataclass(frozen=True, slots=True)
class SnapshotMeta:
    """`meta.json`: when and how the snapshot was taken."""

    taken_at: dt.datetime
    source: str
    extra: dict[str, Any]

    @property
    def as_of(self) -> dt.datetime:
        """The moment ages are judged against: the run's recorded `as_of`, else `taken_at`."""
        recorded = self.extra.get("as_of")
        if isinstance(recorded, str):
            try:
                return dt.datetime.fromisoformat(recorded.replace("Z", "+00:00"))
            except ValueError:
                return self.taken_at
        return self.taken_at


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def read_meta(root: Path) -> SnapshotMeta:
    """Read and validate `meta.json` of a snapshot.

    Raises:
        SnapshotError: the directory or `meta.json` is missing or malformed.
    """
    if not root.is_dir():
        raise SnapshotError(str(root), None, "snapshot directory does not exist")
    path = root / "meta.json"
    text = read_text(path, SnapshotError)
    try:
        meta = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as exc:
        raise SnapshotError(str(path), exc.key, "is given twice") from None
    except json.JSONDecodeError as exc:
        raise SnapshotError(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from None
    if not isinstance(meta, dict):
        raise SnapshotError(str(path), None, "expected a JSON object")
    taken = meta.get("taken_at")
    if not isinstance(taken, str):
        raise SnapshotError(str(path), "taken_at", "required ISO-8601 UTC timestamp is missing")
    try:
        taken_at = dt.datetime.fromisoformat(taken.replace("Z", "+00:00"))
    except ValueError:
        raise SnapshotError(str(path), "taken_at", f"{taken!r} is not ISO-8601") from None
    if taken_at.tzinfo is None:
        raise SnapshotError(str(path), "taken_at", "timestamp has no time zone (use Z)")
    source = meta.get("source")
    if source not in {"live", "manual"}:
        raise SnapshotError(str(path), "source", f"{source!r} is not 'live' or 'manual'")
    return SnapshotMeta(taken_at, source, meta)


class _HostDataError(Exception):
    """A host's file in the snapshot cannot be read; the host is `no_data`, the others go on."""


def _read_text(root: Path, *parts: str) -> str | None:
    """The text of `root/parts`, None when it does not exist.

    Raises:
        _HostDataError: the path leaves the snapshot, or is not a readable file.
    """
    try:
        path = inside(root, *parts)
    except PathEscapeError:
        raise _HostDataError(f"{Path(*parts)} leads outside the snapshot") from None
    if not path.exists():
        return None
    if not path.is_file():
        raise _HostDataError(f"{Path(*parts)} is not a file")
    try:
        # Bytes, not text mode: universal newlines would turn a lone CR into a line end.
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise _HostDataError(f"cannot read {Path(*parts)}: {exc.strerror}") from None


def _read_shows(root: Path, name: str) -> dict[str, str]:
    try:
        show_dir = inside(root, "show", name)
    except PathEscapeError:
        raise _HostDataError(f"show/{name} leads outside the snapshot") from None
    if not show_dir.is_dir():
        return {}
    shows = {}
    for path in sorted(show_dir.glob("*.txt")):
        text = _read_text(root, "show", name, path.name)
        if text is not None:
            shows[path.stem] = text
    return shows


def _read_host(root: Path, host: HostRecord) -> RawDevice:
    if DRIVERS.get(host.platform).plan.config_command is not None:
        parts = ("configs", f"{host.name}.cfg")
        config = _read_text(root, *parts)
        if config is None:
            return RawDevice(
                status=CollectStatus.NO_DATA,
                error=f"no configuration in snapshot ({'/'.join(parts)})",
            )
        return RawDevice(config=config, shows=_read_shows(root, host.name))
    parts = ("snmp", f"{host.name}.snmprec")
    snmprec = _read_text(root, *parts)
    if snmprec is None:
        return RawDevice(
            status=CollectStatus.NO_DATA,
            error=f"no SNMP data in snapshot ({'/'.join(parts)})",
        )
    return RawDevice(snmprec=snmprec, shows=_read_shows(root, host.name))


def read_raw(root: Path, host: HostRecord) -> RawDevice:
    """The raw data of `host` in the snapshot, or a `no_data` record naming what is wrong.

    Every path is built from the host name and proven to stay inside the snapshot; a file
    that is missing, unreadable or not a file makes this host `no_data`, never the audit fail.
    """
    if not is_safe_name(host.name):
        return RawDevice(status=CollectStatus.NO_DATA, error="host name is not a safe file name")
    try:
        return _read_host(root, host)
    except _HostDataError as exc:
        return RawDevice(status=CollectStatus.NO_DATA, error=str(exc))


def _read_console(root: Path) -> bytes | None:
    """The snapshot's antivirus console export as stored, if it has one.

    Raises:
        SnapshotError: the export leads outside the snapshot or cannot be read.
    """
    try:
        path = inside(root, CONSOLE_FILE)
    except PathEscapeError:
        raise SnapshotError(str(root / CONSOLE_FILE), None, "leads outside the snapshot") from None
    if not path.exists():
        return None
    if not path.is_file():
        raise SnapshotError(str(path), None, "is not a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SnapshotError(str(path), None, f"cannot read: {exc.strerror}") from None


class OfflineCollector:
    """Reads hosts from a snapshot directory; a host without data is not audited."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = read_meta(root)
        self.console_data = _read_console(root)

    def collect_raw(self, hosts: list[HostRecord]) -> dict[str, RawDevice]:
        """Read every host of `hosts` (by name), without parsing.

        An archived live night records each host's collect status in `meta.json`; a host
        that was not audited then is not audited now, for the same reason.
        """
        return {host.name: self.read(host) for host in hosts}

    def read(self, host: HostRecord) -> RawDevice:
        """Read one host, without parsing (the streaming audit reads one at a time)."""
        recorded = self.meta.extra.get("collection") or {}
        entry = recorded.get(host.name) if isinstance(recorded, dict) else None
        if isinstance(entry, dict) and entry.get("status", "audited") != "audited":
            try:
                status = CollectStatus(entry["status"])
            except ValueError:
                status = CollectStatus.NO_DATA
            return RawDevice(status=status, error=entry.get("error"))
        return read_raw(self.root, host)
