"""The offline collector: a snapshot directory in the layout of `interfaces.md`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dalsnet_audit.collect.base import RawDevice
from dalsnet_audit.errors import SnapshotError
from dalsnet_audit.model.device import CollectStatus, DeviceSnapshot, HostRecord, Platform
from dalsnet_audit.parse.av_console import parse_console_csv
from dalsnet_audit.parse.device import parse_device


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


def read_meta(root: Path) -> SnapshotMeta:
    """Read and validate `meta.json` of a snapshot.

    Raises:
        SnapshotError: the directory or `meta.json` is missing or malformed.
    """
    if not root.is_dir():
        raise SnapshotError(str(root), None, "snapshot directory does not exist")
    path = root / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(str(path), None, "file is missing") from None
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


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _read_shows(root: Path, name: str) -> dict[str, str]:
    show_dir = root / "show" / name
    if not show_dir.is_dir():
        return {}
    return {
        path.stem: path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(show_dir.glob("*.txt"))
    }


def read_raw(root: Path, host: HostRecord) -> RawDevice:
    """The raw data of `host` in the snapshot, or a `no_data` record naming what is missing."""
    if host.platform in (Platform.IOS, Platform.ASA):
        config_path = root / "configs" / f"{host.name}.cfg"
        config = _read_text(config_path)
        if config is None:
            return RawDevice(
                status=CollectStatus.NO_DATA,
                error=f"no configuration in snapshot ({config_path.relative_to(root)})",
            )
        return RawDevice(config=config, shows=_read_shows(root, host.name))
    snmp_path = root / "snmp" / f"{host.name}.snmprec"
    snmprec = _read_text(snmp_path)
    if snmprec is None:
        return RawDevice(
            status=CollectStatus.NO_DATA,
            error=f"no SNMP data in snapshot ({snmp_path.relative_to(root)})",
        )
    return RawDevice(snmprec=snmprec, shows=_read_shows(root, host.name))


class OfflineCollector:
    """Reads hosts from a snapshot directory; a host without data is not audited."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = read_meta(root)
        console = root / "av" / "console.csv"
        self.antivirus_console = (
            parse_console_csv(
                console.read_text(encoding="utf-8-sig"), str(console.relative_to(root))
            )
            if console.is_file()
            else None
        )

    def collect(self, hosts: list[HostRecord]) -> list[DeviceSnapshot]:
        """Read and parse every host of `hosts`.

        An archived live night records each host's collect status in `meta.json`; a host
        that was not audited then is not audited now, for the same reason.
        """
        recorded = self.meta.extra.get("collection") or {}
        snapshots = []
        for host in hosts:
            entry = recorded.get(host.name) if isinstance(recorded, dict) else None
            if isinstance(entry, dict) and entry.get("status", "audited") != "audited":
                try:
                    status = CollectStatus(entry["status"])
                except ValueError:
                    status = CollectStatus.NO_DATA
                raw = RawDevice(status=status, error=entry.get("error"))
            else:
                raw = read_raw(self.root, host)
            snapshots.append(parse_device(host, raw))
        return snapshots
