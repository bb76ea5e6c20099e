"""What changed between two recorded runs: failures, reachability, waivers, configurations.

Findings are matched by fingerprint (`model.fingerprint`), never by message text. A failure
that is gone because its device could not be audited is not "resolved": the device is listed
as no longer audited instead. Configuration changes are unified diffs of the two runs'
archived configurations, volatile lines left out and secrets masked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from dalsnet_audit.masking import mask_lines

AUDITED = "audited"
# Lines that change without anyone changing the configuration.
VOLATILE: Final = re.compile(
    r"^(! Last configuration change|! NVRAM config last updated|ntp clock-period|"
    r"Cryptochecksum:|: Written by|: Saved|Current configuration :|Building configuration)",
)


def _row(finding: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "device": finding["device"],
        "rule": finding["rule"],
        "fingerprint": finding["fingerprint"],
        "severity": finding.get("severity"),
        "message": finding.get("message"),
        "evidence": list(finding.get("evidence") or []),
    }


def _by_status(report: Mapping[str, Any], status: str) -> dict[str, Mapping[str, Any]]:
    return {f["fingerprint"]: f for f in report["findings"] if f["status"] == status}


def diff_reports(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The changes from `before` to `after` (two report.json dicts).

    Returns:
        `run_a`, `run_b`, `new` and `resolved` failures, `unreachable` (audited before, not
        now, with the status, error and the failures that follow from it) and `reachable`
        devices, `waivers_added` and
        `waivers_removed` (findings that became or stopped being waived).
    """
    was = {d["name"]: d for d in before["devices"]}
    now = {d["name"]: d for d in after["devices"]}
    audited_now = {name for name, d in now.items() if d["status"] == AUDITED}
    failed_before, failed_now = _by_status(before, "fail"), _by_status(after, "fail")
    waived_before, waived_now = _by_status(before, "waived"), _by_status(after, "waived")
    gone = {
        name
        for name, d in now.items()
        if d["status"] != AUDITED and was.get(name, {}).get("status") == AUDITED
    }
    new = [_row(f) for k, f in failed_now.items() if k not in failed_before]
    return {
        "run_a": before["run"]["id"],
        "run_b": after["run"]["id"],
        # A device that stopped answering fails what needs it answered (STD-005, NET-001):
        # those are listed with the device, not as new failures of their own.
        "new": [f for f in new if f["device"] not in gone],
        "resolved": [
            _row(f)
            for k, f in failed_before.items()
            if k not in failed_now and (f["device"] in audited_now or f["device"] not in was)
        ],
        "unreachable": [
            {
                "device": name,
                "status": d["status"],
                "error": d.get("error"),
                "failures": [f for f in new if f["device"] == name],
            }
            for name, d in now.items()
            if name in gone
        ],
        "reachable": [
            {"device": name}
            for name, d in now.items()
            if d["status"] == AUDITED and name in was and was[name]["status"] != AUDITED
        ],
        "waivers_added": [_row(f) for k, f in waived_now.items() if k not in waived_before],
        "waivers_removed": [_row(f) for k, f in waived_before.items() if k not in waived_now],
    }


def _config_lines(archive: Path, host: str) -> list[str] | None:
    configs = (archive / "configs").resolve()
    path = (configs / f"{host}.cfg").resolve()
    if path.parent != configs or not path.is_file():  # a name that leaves configs/ is not read
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        line + "\n" for line in mask_lines(text.splitlines()) if not VOLATILE.match(line.strip())
    ]


def config_changes(
    archive_a: Path | None, archive_b: Path | None, hosts: Sequence[str]
) -> dict[str, str]:
    """Per host whose archived configuration changed: a unified diff, secrets masked."""
    if archive_a is None or archive_b is None:
        return {}
    changes: dict[str, str] = {}
    for host in hosts:
        a, b = _config_lines(archive_a, host), _config_lines(archive_b, host)
        if a is None or b is None or a == b:
            continue
        changes[host] = "".join(
            difflib.unified_diff(
                a, b, f"{archive_a.name}/{host}.cfg", f"{archive_b.name}/{host}.cfg"
            )
        )
    return changes
