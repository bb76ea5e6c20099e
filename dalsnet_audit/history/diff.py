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

from dalsnet_audit.masking import mask_line
from dalsnet_audit.model.finding import NETWORK_WIDE

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
        # For `report --lang`: the message again in another language (`report.relocalise`).
        "message_key": finding.get("message_key"),
        "message_params": finding.get("message_params") or {},
        "evidence": list(finding.get("evidence") or []),
    }


def _by_status(report: Mapping[str, Any], status: str) -> dict[str, Mapping[str, Any]]:
    return {f["fingerprint"]: f for f in report["findings"] if f["status"] == status}


def is_whole(report: Mapping[str, Any]) -> bool:
    """Whether the run judged the whole inventory (not narrowed by `--filter`).

    Only a whole run's network-wide findings (device `*`) speak for the whole network; runs
    recorded before `run.filters` existed count as whole.
    """
    return not report["run"].get("filters")


def diff_reports(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    earlier: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    last_status: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The changes from `before` to `after` (two report.json dicts).

    A device `before` did not audit (unreachable that night, or left out by `--filter`) is
    compared with its findings in `earlier`, the last run that audited it
    (`HistoryStore.last_audited`); without that a failure there counts as new. Network-wide
    findings (device `*`) are compared likewise with the last whole run when `before` was
    narrowed, and are never "resolved" by a narrowed `after`: it did not see the whole network.
    `last_status` is each device's status in the last run that judged it
    (`HistoryStore.last_status`): a device `before` left out is "no longer audited" or "audited
    again" against it.

    Returns:
        `run_a`, `run_b`, `new` and `resolved` failures, `unreachable` (audited before, not
        now, with the status, error and the failures that follow from it) and `reachable`
        devices, `waivers_added` and `waivers_removed` (findings that became or stopped being
        waived).
    """
    was = {d["name"]: d["status"] for d in before["devices"]}
    was = {**(last_status or {}), **was}
    now = {d["name"]: d for d in after["devices"]}
    audited_now = {name for name, d in now.items() if d["status"] == AUDITED}
    if is_whole(after):
        audited_now.add(NETWORK_WIDE)
    audited_before = {d["name"] for d in before["devices"] if d["status"] == AUDITED}
    if is_whole(before):
        audited_before.add(NETWORK_WIDE)
    failed_before, failed_now = _by_status(before, "fail"), _by_status(after, "fail")
    if NETWORK_WIDE not in audited_before:  # a narrowed run's network-wide view is partial
        failed_before = {k: f for k, f in failed_before.items() if f["device"] != NETWORK_WIDE}
    # Devices `before` did not see: their last audited state stands in for them.
    for name, findings in (earlier or {}).items():
        if name not in audited_before:
            failed_before.update((f["fingerprint"], f) for f in findings if f["status"] == "fail")
    waived_before, waived_now = _by_status(before, "waived"), _by_status(after, "waived")
    gone = {name for name, d in now.items() if d["status"] != AUDITED and was.get(name) == AUDITED}
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
            if k not in failed_now and f["device"] in audited_now
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
            if d["status"] == AUDITED and was.get(name, AUDITED) != AUDITED
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
    return [line + "\n" for line in text.splitlines() if not VOLATILE.match(line.strip())]


def _masked(diff_lines: Sequence[str]) -> str:
    """A unified diff with every secret masked; its two header lines and hunks kept."""
    shown = []
    for i, line in enumerate(diff_lines):
        if i < 2 or line.startswith("@@"):
            shown.append(line)
        else:
            shown.append(line[0] + mask_line(line[1:].rstrip("\n")) + "\n")
    return "".join(shown)


def config_changes(
    archive_a: Path | None, archive_b: Path | None, hosts: Sequence[str]
) -> dict[str, str]:
    """Per host whose archived configuration changed: a unified diff, secrets masked.

    The configurations are compared as archived, so a changed secret shows as its line
    removed and added again, both masked.
    """
    if archive_a is None or archive_b is None:
        return {}
    changes: dict[str, str] = {}
    for host in hosts:
        a, b = _config_lines(archive_a, host), _config_lines(archive_b, host)
        if a is None or b is None or a == b:
            continue
        changes[host] = _masked(
            list(
                difflib.unified_diff(
                    a, b, f"{archive_a.name}/{host}.cfg", f"{archive_b.name}/{host}.cfg"
                )
            )
        )
    return changes
