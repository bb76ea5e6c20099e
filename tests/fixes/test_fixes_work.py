"""Every fix we print is one the device accepts and that clears its finding (platform issue, 5).

For each failing finding with a configuration fix, on the reference snapshot's planted
violations and on every failing rule case: the rendered fix is applied to the device's
configuration with its driver's merge (`platforms.merge`), the device is normalised and judged
again, and the finding must be gone with no new failure on the device.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from dalsnet_audit.audit import AuditOptions, load_policies, validate_inputs
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.engine import judge_device, run_rules
from dalsnet_audit.model.device import HostRecord
from dalsnet_audit.model.finding import Finding, Status
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.parse.av_console import read_console
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.platforms.merge import FixNotApplicable
from dalsnet_audit.report.build import render_remediation
from dalsnet_audit.report.plan import device_plan
from dalsnet_audit.resources import templates_dir
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.context import RuleContext
from tests.rules.conftest import case_files
from tests.rules.conftest import device as case_device

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
TEMPLATES = templates_dir()
CONFIG_PLATFORMS = {"ios", "asa"}


def _failures(findings: list[Finding], name: str) -> set[tuple[str, str]]:
    return {
        (f.rule, f.message.key) for f in findings if f.device == name and f.status is Status.FAIL
    }


def _apply(host: HostRecord, raw: RawDevice, finding: Finding) -> RawDevice:
    assert raw.config is not None
    fix = render_remediation(finding, TEMPLATES)
    assert fix, f"{finding.rule} on {host.name} renders no fix"
    return DRIVERS.get(host.platform).apply_fix(raw, fix)


Case = tuple[str, HostRecord, RawDevice, Finding, RuleContext]


def _reference() -> Iterator[Case]:
    inputs = validate_inputs(AuditOptions(inventory=ROOT / "inventory", policies=ROOT / "policies"))
    offline = OfflineCollector(SNAPSHOT)
    ctx = RuleContext.build(
        inputs.policy,
        offline.meta.as_of,
        read_console(offline.console_data) if offline.console_data else None,
        inputs.inventory_names,
    )
    raws = offline.collect_raw(inputs.hosts)
    devices = [normalise(h, raws[h.name]) for h in inputs.hosts]
    findings = run_rules(devices, ctx)
    by_name = {d.host.name: d for d in devices}
    for finding in findings:
        device = by_name.get(finding.device)
        if (
            finding.status is Status.FAIL
            and finding.remediation is not None
            and device is not None
            and device.host.platform.value in CONFIG_PLATFORMS
        ):
            key = f"{finding.rule}-{finding.device}-{finding.message.key}"
            yield key, device.host, raws[device.host.name], finding, ctx


REFERENCE = list(_reference())


def _case_failures() -> Iterator[Case]:
    policy = load_policies(ROOT / "policies")
    ctx = RuleContext.build(policy, dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC))
    for path in case_files():
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for spec in case["devices"]:
            device = case_device(spec)
            if device.host.platform.value not in CONFIG_PLATFORMS or not device.audited:
                continue
            raw = RawDevice(config=spec["config"], shows=dict(spec.get("shows", {})))
            for finding in judge_device(device, ctx):
                if finding.status is Status.FAIL and finding.remediation is not None:
                    case_id = f"{path.parent.name}/{path.stem}-{finding.rule}-{finding.message.key}"
                    yield case_id, device.host, raw, finding, ctx


CASES = list(_case_failures())


def _proves(host: HostRecord, raw: RawDevice, finding: Finding, ctx: RuleContext) -> None:
    before = _failures(judge_device(normalise(host, raw), ctx), host.name)
    try:
        fixed = normalise(host, _apply(host, raw, finding))
    except FixNotApplicable as exc:
        pytest.fail(f"the fix cannot be applied as printed: {exc}")
    assert fixed.audited, f"the fixed configuration does not parse: {fixed.error}"
    after = _failures(judge_device(fixed, ctx), host.name)
    same = {
        (f.rule, f.message.key, tuple(f.evidence))
        for f in judge_device(fixed, ctx)
        if f.status is Status.FAIL
    }
    assert (finding.rule, finding.message.key, finding.evidence) not in same, (
        f"{finding.rule} {finding.message.key} still fails after its fix"
    )
    assert after <= before, f"the fix makes new failures: {sorted(after - before)}"


ARGS = ("case_id", "host", "raw", "finding", "ctx")
# Fixes this test proves broken today, each with why (strict: a repaired one must leave the list).
KNOWN_BROKEN: dict[str, str] = {}
# The rows above, by test id: every one of them fails today, for the reason of its message key.
BROKEN_IDS: set[str] = set()


def _known_broken(case_id: str, finding: Finding) -> str | None:
    return KNOWN_BROKEN[finding.message.key] if case_id.rstrip("0123456789") in BROKEN_IDS else None


def _params(rows: list[Case]) -> list[object]:
    return [
        pytest.param(
            *row,
            id=row[0],
            marks=[pytest.mark.xfail(strict=True, reason=reason)]
            if (reason := _known_broken(row[0], row[3]))
            else [],
        )
        for row in rows
    ]


@pytest.mark.parametrize(ARGS, _params(REFERENCE))
def test_reference_fix_clears_its_finding(case_id, host, raw, finding, ctx):
    _proves(host, raw, finding, ctx)


@pytest.mark.parametrize(ARGS, _params(CASES))
def test_rule_case_fix_clears_its_finding(case_id, host, raw, finding, ctx):
    _proves(host, raw, finding, ctx)


# (rule, platform) pairs whose configuration fix no case proves yet, and why.
UNPROVEN: dict[tuple[str, str], str] = {}


def test_every_rule_with_a_configuration_fix_is_proven_on_ios_and_asa():
    """Every rule that renders a configuration fix, on each of IOS and ASA, is proven.

    `common/` templates are no configuration (console, inventory, renumbering advice).
    """
    rendering = set()
    for spec in REGISTRY.all():
        for platform in spec.platforms:
            if platform.value not in CONFIG_PLATFORMS:
                continue
            dirs = DRIVERS.get(platform).remediation_dirs
            found = next(
                (d for d in dirs if (TEMPLATES / "remediation" / d / f"{spec.id}.j2").is_file()),
                None,
            )
            if found is not None and found != "common":
                rendering.add((spec.id, platform.value))
    proven = {
        (f.rule, h.platform.value)
        for case_id, h, _, f, _ in [*REFERENCE, *CASES]
        if not _known_broken(case_id, f)
    }
    assert rendering - proven == set(UNPROVEN), sorted(rendering - proven)


def _plans(rows: list[Case], source: Callable[[str], str]) -> list[object]:
    """One case per device with several fixes: its failing findings (`source`: their case)."""
    by_device: dict[str, list[Case]] = {}
    for row in rows:
        by_device.setdefault(f"{source(row[0])}:{row[1].name}", []).append(row)
    return [pytest.param(group, id=key) for key, group in by_device.items() if len(group) > 1]


def _case_file(case_id: str) -> str:
    """`CRY-003/fail_x` of `CRY-003/fail_x-CRY-003-CRY-003.community`."""
    directory, rest = case_id.split("/", 1)
    return f"{directory}/{rest.split('-', 1)[0]}"


def _proves_plan(group: list[Case]) -> None:
    _, host, raw, _, ctx = group[0]
    findings = [row[3] for row in group]
    plan = device_plan(render_remediation(f, TEMPLATES) or "" for f in findings)
    assert plan is not None
    before = _failures(judge_device(normalise(host, raw), ctx), host.name)
    try:
        fixed = normalise(host, DRIVERS.get(host.platform).apply_fix(raw, plan))
    except FixNotApplicable as exc:
        pytest.fail(f"the device's plan cannot be applied as printed: {exc}")
    judged = judge_device(fixed, ctx)
    still = {(f.rule, f.message.key, f.evidence) for f in judged if f.status is Status.FAIL}
    assert not [f for f in findings if (f.rule, f.message.key, f.evidence) in still]
    assert _failures(judged, host.name) <= before


@pytest.mark.parametrize("group", _plans(REFERENCE, lambda _: "reference"))
def test_reference_device_plan_clears_every_fix_of_the_device(group):
    """The one text per device (`report.plan`) clears all its findings at once."""
    _proves_plan(group)


@pytest.mark.parametrize("group", _plans(CASES, _case_file))
def test_rule_case_device_plan_clears_every_fix_of_the_device(group):
    _proves_plan(group)
