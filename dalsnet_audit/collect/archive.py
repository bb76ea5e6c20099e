"""The nightly archive: what a live audit collected, written as a snapshot (interfaces.md).

Every night is reproducible offline: `audit --offline <archive>` reads the same raw outputs
and the same per-host collect statuses (kept in `meta.json`) that the live audit judged.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from dalsnet_audit import __version__
from dalsnet_audit.collect.base import RawDevice
from dalsnet_audit.model.device import SCHEMA_VERSION, CollectStatus
from dalsnet_audit.paths import PathEscapeError, inside, is_safe_name


def write_snapshot(
    target: Path,
    raws: dict[str, RawDevice],
    taken_at: dt.datetime,
    extra: dict[str, Any] | None = None,
    antivirus_console: str | None = None,
) -> Path:
    """Write `raws` as a snapshot directory at `target`, all or nothing.

    Files go to a temporary directory beside `target`, which is renamed into place at the end:
    a crash leaves no half snapshot that looks whole.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        collection: dict[str, dict[str, str | None]] = {}
        for name, raw in raws.items():
            if not is_safe_name(name):
                raise PathEscapeError(f"host name {name!r} is not a safe file name")
            collection[name] = {"status": raw.status.value, "error": raw.error}
            if raw.status is not CollectStatus.AUDITED:
                continue
            if raw.config is not None:
                _write(staging, raw.config, "configs", f"{name}.cfg")
            for slug, text in raw.shows.items():
                _write(staging, text, "show", name, f"{slug}.txt")
            if raw.snmprec is not None:
                _write(staging, raw.snmprec, "snmp", f"{name}.snmprec")
            getters = {f"get_{k}": v for k, v in raw.getters.items() if k != "config"}
            if getters:
                _write(staging, json.dumps(getters, default=str), "napalm", f"{name}.json")
        if antivirus_console is not None:
            _write(staging, antivirus_console, "av", "console.csv")
        meta = {
            "taken_at": taken_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "source": "live",
            "schema_version": SCHEMA_VERSION,
            "tool_version": __version__,
            "collection": collection,
            **(extra or {}),
        }
        _write(staging, json.dumps(meta, indent=2, ensure_ascii=False), "meta.json")
        if target.exists():
            shutil.rmtree(target)
        staging.replace(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _write(root: Path, text: str, *parts: str) -> None:
    """Write `text` to `root/parts`, proven to stay inside `root` (names come from devices)."""
    path = inside(root, *parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
