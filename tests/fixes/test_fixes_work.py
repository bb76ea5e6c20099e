"""Every fix we print is one the device accepts and that clears its finding (platform issue, 5).

For each failing finding with a configuration fix, on the reference snapshot's planted
violations and on every failing rule case: the rendered fix is applied to the device's
configuration with its driver's merge (`platforms.merge`), the device is normalised and judged
again, and the finding must be gone with no new failure on the device.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from netaddr import IPAddress, IPNetwork

from dalsnet_audit.audit import load_policies
from dalsnet_audit.engine import judge_device, run_rules
from dalsnet_audit.model.device import DeviceSnapshot, HostRecord
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding, Status
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.platforms.merge import FREE_ADDRESS, NAME, PEER, FixNotApplicable
from dalsnet_audit.report.build import configuration_fix, render_remediation
from dalsnet_audit.report.plan import device_plan
from dalsnet_audit.resources import templates_dir
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.context import RuleContext
from tests.reference_run import reference_run
from tests.rules.conftest import case_files
from tests.rules.conftest import device as case_device

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = templates_dir()
CONFIG_PLATFORMS = {"ios", "asa"}


def _failures(findings: list[Finding], name: str) -> Counter[tuple[str, str]]:
    """How many failures and undecided checks of each (rule, message key) a device has.

    An `error` counts: a fix that leaves a rule unable to judge has cleared nothing.
    """
    return Counter(
        (f.rule, f.message.key)
        for f in findings
        if f.device == name and f.status in (Status.FAIL, Status.ERROR)
    )


def _in_use(raw: RawDevice, network: bool) -> set[IPAddress]:
    """Addresses taken: the reference network's (when the device is its own), else the device's."""
    devices = NETWORK if network else []
    taken = {a.ip for d in devices if d.config for i in d.config.interfaces for a in i.addresses}
    taken |= {IPAddress(m) for m in re.findall(r"\b\d+\.\d+\.\d+\.\d+\b", raw.config or "")}
    return taken


def as_typed(fix: str, taken: set[IPAddress]) -> str:
    """`fix` as a person types it: what they must choose filled in (`platforms.merge`).

    Each peer gets its own documentation address (RFC 5737); a free address is the first host
    of its subnet, after the gateway (the first usable), that no device holds; a name of what
    the person sets up is a name.
    """
    peers: dict[str, str] = {}
    fix = PEER.sub(lambda m: peers.setdefault(m.group(0), f"192.0.2.{len(peers) + 1}"), fix)
    fix = NAME.sub("FIXPROOF-SETUP", fix)

    def free(match: re.Match[str]) -> str:
        hosts = list(IPNetwork(match.group(1)).iter_hosts())[1:]
        chosen = next(h for h in hosts if h not in taken)
        taken.add(chosen)
        return str(chosen)

    return FREE_ADDRESS.sub(free, fix)


def _apply(host: HostRecord, raw: RawDevice, finding: Finding, network: bool = False) -> RawDevice:
    assert raw.config is not None
    fix = render_remediation(finding, TEMPLATES)
    assert fix, f"{finding.rule} on {host.name} renders no fix"
    return DRIVERS.get(host.platform).apply_fix(raw, as_typed(fix, _in_use(raw, network)))


Case = tuple[str, HostRecord, RawDevice, Finding, RuleContext]


def _reference() -> Iterator[Case]:
    run = reference_run()
    ctx, raws, devices, findings = run.ctx, run.raws, run.devices, run.findings
    NETWORK.extend(devices)
    by_name = {d.host.name: d for d in devices}
    for finding in findings:
        device = by_name.get(finding.device)
        if (
            finding.status is Status.FAIL
            and configuration_fix(finding, TEMPLATES)
            and device is not None
            and device.host.platform.value in CONFIG_PLATFORMS
        ):
            key = f"{finding.rule}-{finding.device}-{finding.message.key}"
            yield key, device.host, raws[device.host.name], finding, ctx


NETWORK: list[DeviceSnapshot] = []  # the reference's devices, for the network-wide rules
REFERENCE = list(_reference())
NETWORK_RULES = [spec for spec in REGISTRY.all() if spec.scope == "network"]


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
                if finding.status is Status.FAIL and configuration_fix(finding, TEMPLATES):
                    case_id = f"{path.parent.name}/{path.stem}-{finding.rule}-{finding.message.key}"
                    yield case_id, device.host, raw, finding, ctx


CASES = list(_case_failures())


def _network_failures(fixed: DeviceSnapshot | None, ctx: RuleContext) -> Counter[tuple[str, str]]:
    """The reference's network-wide failures, with `fixed` in place of its device."""
    devices = [fixed if fixed and d.host.name == fixed.host.name else d for d in NETWORK]
    return _failures(run_rules(devices, ctx, rules=NETWORK_RULES), NETWORK_WIDE)


def _judged(device: DeviceSnapshot, ctx: RuleContext, network: bool) -> list[Finding]:
    """The device's findings; on the reference, also what network-wide rules say of it."""
    findings = judge_device(device, ctx)
    if network:
        devices = [device if d.host.name == device.host.name else d for d in NETWORK]
        findings += run_rules(devices, ctx, rules=NETWORK_RULES)
    return findings


def _proves(
    host: HostRecord, raw: RawDevice, finding: Finding, ctx: RuleContext, network: bool = False
) -> None:
    """The fix, applied, removes a failure of its kind and adds none of any kind.

    Counted per (rule, message key): a fix that only changes the evidence of its finding
    (another line of the same kind still failing) does not clear it.
    """
    original = normalise(host, raw)
    before = _failures(_judged(original, ctx, network), host.name)
    try:
        fixed = normalise(host, _apply(host, raw, finding, network))
    except FixNotApplicable as exc:
        pytest.fail(f"the fix cannot be applied as printed: {exc}")
    assert fixed.audited, f"the fixed configuration does not parse: {fixed.error}"
    after = _failures(_judged(fixed, ctx, network), host.name)
    kind = (finding.rule, finding.message.key)
    assert after[kind] < before[kind], f"{kind} still fails after its fix: {after[kind]}"
    grown = sorted(k for k in after if after[k] > before[k])
    assert not grown, f"the fix makes new failures: {grown}"
    if network:  # the device is the reference's own: the network-wide rules judge it again
        network_before, network_after = _network_failures(None, ctx), _network_failures(fixed, ctx)
        grown = sorted(k for k in network_after if network_after[k] > network_before[k])
        assert not grown, f"the fix makes new network-wide failures: {grown}"


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
    _proves(host, raw, finding, ctx, network=True)


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


def _proves_plan(group: list[Case], network: bool = False) -> None:
    _, host, raw, _, ctx = group[0]
    findings = [row[3] for row in group]
    plan = device_plan(render_remediation(f, TEMPLATES) or "" for f in findings)
    assert plan is not None
    before = _failures(_judged(normalise(host, raw), ctx, network), host.name)
    try:
        typed = as_typed(plan, _in_use(raw, network))
        fixed = normalise(host, DRIVERS.get(host.platform).apply_fix(raw, typed))
    except FixNotApplicable as exc:
        pytest.fail(f"the device's plan cannot be applied as printed: {exc}")
    after = _failures(_judged(fixed, ctx, network), host.name)
    kinds = Counter((f.rule, f.message.key) for f in findings)
    assert not [k for k, n in kinds.items() if after[k] > before[k] - n], (before, after)
    assert not [k for k in after if after[k] > before[k]], (before, after)
    if network:
        network_before, network_after = _network_failures(None, ctx), _network_failures(fixed, ctx)
        grown = sorted(k for k in network_after if network_after[k] > network_before[k])
        assert not grown, f"the plan makes new network-wide failures: {grown}"


@pytest.mark.parametrize("group", _plans(REFERENCE, lambda _: "reference"))
def test_reference_device_plan_clears_every_fix_of_the_device(group):
    """The one text per device (`report.plan`) clears all its findings at once."""
    _proves_plan(group, network=True)


@pytest.mark.parametrize("group", _plans(CASES, _case_file))
def test_rule_case_device_plan_clears_every_fix_of_the_device(group):
    _proves_plan(group)
