"""Rule cases: one YAML file per case under tests/fixtures/rules/<RULE>/; a new file is a new test.

A case gives one or more devices (inventory fields, running configuration, show outputs), the
archive's configuration times where a rule reads them (`backups`, `archiving`), and what the
rule must conclude: the statuses and the message keys of its findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from dalsnet_audit.engine import run_rules
from dalsnet_audit.model.device import CollectStatus, DeviceSnapshot, HostRecord, Platform
from dalsnet_audit.model.finding import Finding
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.parse.av_console import parse_console_csv
from dalsnet_audit.policy import Policy, load_policy
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.context import RuleContext

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fixtures" / "rules"


def case_files() -> list[Path]:
    return sorted(CASES.glob("*/*.yaml"))


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(ROOT / "policies")


def host_record(spec: dict[str, Any]) -> HostRecord:
    governance = {
        "system_owner": "Anna Berg, IT-chef",
        "operations": "IT-enheten",
        "service_agreement": "DA-2026-01",
    }
    governance.update(spec.get("governance", {}))
    return HostRecord(
        name=spec["name"],
        hostname=f"{spec['name']}.dalsland.se",
        platform=Platform(spec.get("platform", "ios")),
        municipality=spec.get("municipality", spec["name"][:3]),
        site=spec.get("site", int(spec["name"][4:6]) if spec["name"][4:6].isdigit() else None),
        role=spec.get("role", spec["name"].split("-")[-1].rstrip("0123456789")),
        groups=(),
        sensitive=spec.get("sensitive", False),
        governance=dict(governance),
        public_addresses=(),
        allowed_roles=tuple(spec["allowed_roles"]) if "allowed_roles" in spec else None,
    )


def device(spec: dict[str, Any]) -> DeviceSnapshot:
    host = host_record(spec)
    if spec.get("no_data"):
        return DeviceSnapshot(host, CollectStatus.NO_DATA, "no configuration in snapshot")
    raw = RawDevice(
        config=spec.get("config"), shows=dict(spec.get("shows", {})), snmprec=spec.get("snmprec")
    )
    return normalise(host, raw)


def judge_case(path: Path, policy: Policy) -> list[Finding]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule_id = path.parent.name
    devices = [device(spec) for spec in case["devices"]]
    console = parse_console_csv(case["console"]) if "console" in case else None
    # The night the case is judged: the reference's, unless the case names its own (`as_of`).
    as_of = dt.datetime.fromisoformat(case.get("as_of", "2026-11-26T02:00:00+00:00"))
    ctx = RuleContext.build(policy, as_of, console)
    if "backups" in case:  # the archive's configuration times (STD-005)
        ctx = replace(
            ctx,
            backups={
                host: dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
                for host, when in (case["backups"] or {}).items()
            },
            archiving=bool(case.get("archiving", False)),
        )
    return run_rules(devices, ctx, rules=[REGISTRY.get(rule_id)])
