"""The reference snapshot audited offline once per test session, for the tests that read it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from dalsnet_audit.audit import AuditOptions, validate_inputs
from dalsnet_audit.collect.backups import snapshot_backups
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.engine import run_rules
from dalsnet_audit.model.device import DeviceSnapshot
from dalsnet_audit.model.finding import Finding
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.parse.av_console import read_console
from dalsnet_audit.rules.context import RuleContext

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "snapshots" / "reference"


@dataclass(frozen=True)
class ReferenceRun:
    """The context, raw outputs, devices and findings of the reference audit."""

    ctx: RuleContext
    raws: dict[str, RawDevice]
    devices: list[DeviceSnapshot]
    findings: list[Finding]


@cache
def reference_run() -> ReferenceRun:
    """The reference audit (inventory/ and policies/ of the repository, as `make demo`)."""
    inputs = validate_inputs(AuditOptions(inventory=ROOT / "inventory", policies=ROOT / "policies"))
    offline = OfflineCollector(SNAPSHOT)
    ctx = RuleContext.build(
        inputs.policy,
        offline.meta.as_of,
        read_console(offline.console_data) if offline.console_data else None,
        inputs.inventory_names,
    )
    ctx = replace(ctx, backups=snapshot_backups(SNAPSHOT, offline.meta))
    raws = offline.collect_raw(inputs.hosts)
    devices = [normalise(h, raws[h.name]) for h in inputs.hosts]
    return ReferenceRun(ctx, raws, devices, run_rules(devices, ctx))
