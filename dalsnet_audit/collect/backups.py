"""When each device's configuration was last archived: the evidence of STD-005.

A snapshot holds each host's configuration as of its time (`as_of`, else `taken_at`),
unless `meta.json` says otherwise for a host (`config_times`: an archive that kept a
device's last good configuration from an earlier night keeps that night's time). An archive
directory holds one snapshot per run; a host's newest backup is the newest run that holds
its configuration.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dalsnet_audit.collect.offline import SnapshotMeta, read_meta
from dalsnet_audit.errors import SnapshotError
from dalsnet_audit.paths import is_safe_name

CONFIG_TIMES = "config_times"


def _config_times(root: Path, meta: SnapshotMeta) -> dict[str, dt.datetime]:
    times = meta.extra.get(CONFIG_TIMES) or {}
    if not isinstance(times, dict):
        raise SnapshotError(str(root / "meta.json"), CONFIG_TIMES, "must map host names to times")
    parsed: dict[str, dt.datetime] = {}
    for host, text in times.items():
        key = f"{CONFIG_TIMES}.{host}"
        if not isinstance(text, str):
            raise SnapshotError(str(root / "meta.json"), key, "must be an ISO-8601 UTC time")
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise SnapshotError(str(root / "meta.json"), key, f"{text!r} is not ISO-8601") from None
        if moment.tzinfo is None:
            raise SnapshotError(str(root / "meta.json"), key, "timestamp has no time zone (use Z)")
        parsed[host] = moment
    return parsed


def snapshot_backups(root: Path, meta: SnapshotMeta) -> dict[str, dt.datetime]:
    """The time of each configuration a snapshot holds, or its `config_times`.

    A snapshot's outputs describe the moment of its `as_of` (a live run's recorded time, which
    `--as-of` may set), else its `taken_at`.
    """
    configs = root / "configs"
    if not configs.is_dir():
        return {}
    times = _config_times(root, meta)
    return {
        path.stem: times.get(path.stem, meta.as_of)
        for path in configs.glob("*.cfg")
        if is_safe_name(path.stem) and path.is_file()
    }


def archive_backups(archive: Path) -> dict[str, dt.datetime]:
    """Each host's newest configuration among the runs of an archive directory.

    A run that cannot be read (no or a broken `meta.json`, a half-written `.staging` one) is
    no backup of anything.
    """
    newest: dict[str, dt.datetime] = {}
    if not archive.is_dir():
        return newest
    for run in archive.iterdir():
        if run.name.startswith(".") or not run.is_dir():
            continue
        try:
            found = snapshot_backups(run, read_meta(run))
        except SnapshotError:
            continue
        for host, moment in found.items():
            if host not in newest or moment > newest[host]:
                newest[host] = moment
    return newest
