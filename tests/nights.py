"""Recorded nights of the reference network, for the tests of history, reports and exports.

`audit_night` audits a snapshot offline as the nightly job would (with a history store);
`night_with_telnet` is the reference the next night, with telnet opened on aml-02-sw01: two
new critical failures (CRY-001 on both vty ranges) and nothing else changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dalsnet_audit.audit import AuditOptions, AuditOutcome, run_audit

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "snapshots" / "reference"
TELNET_HOST = "aml-02-sw01"


def audit_night(
    snapshot: Path,
    out: Path,
    *,
    history: str | None = None,
    lang: str = "sv",
    formats: tuple[str, ...] = ("json",),
    policies: Path = ROOT / "policies",
    filters: tuple[str, ...] = (),
) -> AuditOutcome:
    """One offline audit of `snapshot` with the repository's inventory, reports in `out`."""
    return run_audit(
        AuditOptions(
            inventory=ROOT / "inventory",
            policies=policies,
            offline=snapshot,
            out=out,
            formats=formats,
            lang=lang,
            history=history,
            filters=filters,
        )
    )


def copy_reference(where: Path) -> Path:
    """A copy of the reference snapshot at `where`, to be changed by the test."""
    shutil.copytree(SNAPSHOT, where)
    return where


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file by `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def night_with_telnet(where: Path) -> Path:
    """The reference the next night, telnet accepted on both vty ranges of aml-02-sw01."""
    night = copy_reference(where)
    config = night / "configs" / f"{TELNET_HOST}.cfg"
    text = config.read_text(encoding="utf-8")
    assert text.count(" transport input ssh\n") == 2, config
    config.write_text(
        text.replace(" transport input ssh\n", " transport input telnet ssh\n"), encoding="utf-8"
    )
    return night
