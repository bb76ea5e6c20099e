"""Run every registered rule over the device snapshots; apply waivers."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Literal

from dalsnet_audit.model.device import DeviceSnapshot, HostRecord
from dalsnet_audit.model.enums import Severity
from dalsnet_audit.model.finding import (
    NETWORK_WIDE,
    Finding,
    Message,
    Status,
    WaiverUse,
    named_devices,
)
from dalsnet_audit.model.fingerprint import evidence_digest, fingerprint
from dalsnet_audit.model.result import (
    AntivirusCoverage,
    AuditResult,
    CoverageRow,
    GoalResult,
    MunicipalityTally,
    Tally,
    Uncovered,
)
from dalsnet_audit.model.source import Citations, Quote, SourceLine
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.policy.models import Policy, Waiver
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import REGISTRY, RuleSpec


def _judge_device(
    spec: RuleSpec, device: DeviceSnapshot, ctx: RuleContext, citations: Citations
) -> list[Finding]:
    judge = Judge(
        spec.id,
        device.host.name,
        DRIVERS.get(device.host.platform).remediation_dirs,
        cite=citations.cite,
    )
    if device.host.role not in spec.roles:
        judge.not_applicable("role", role=device.host.role)
    elif spec.needs_data and not device.audited:
        judge.error(
            "not_audited",
            status=device.status.value,
            reason=device.error or "",
        )
    elif spec.needs_data and device.host.platform not in spec.platforms:
        judge.error("platform", platform=device.host.platform.value)
    else:
        _guarded(spec, judge, lambda: spec.function(device, ctx, judge))
    return judge.findings


def _guarded(spec: RuleSpec, judge: Judge, call: Callable[[], None]) -> None:
    """Run a rule; a crash or a silent rule becomes `error`, never a pass and never an abort."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the audit
        judge.findings = [f for f in judge.findings if f.status is not Status.PASS]
        judge.error("crashed", error=f"{type(exc).__name__}: {exc}")
    if not judge.findings:
        judge.error("no_verdict")


def _message(rule: str, key: str, **params: object) -> Message:
    return Message(f"{rule}.{key}", dict(params))


def enabled_rules(ctx: RuleContext, rules: list[RuleSpec] | None = None) -> list[RuleSpec]:
    """The registered rules (or `rules`) that `rules.yaml` does not switch off."""
    settings = ctx.policy.rules.rules
    return [
        spec
        for spec in (rules if rules is not None else REGISTRY.all())
        if settings.get(spec.id) is None or settings[spec.id].enabled
    ]


def with_drivers(ctx: RuleContext) -> RuleContext:
    """`ctx` with the registered drivers' answers, unless it brings its own."""
    return ctx if ctx.platforms else replace(ctx, platforms=DRIVERS.all())


def judge_device(
    device: DeviceSnapshot, ctx: RuleContext, rules: list[RuleSpec] | None = None
) -> list[Finding]:
    """Every enabled device-scope rule on one device (waivers not yet applied)."""
    ctx = with_drivers(ctx)
    citations = Citations(device.config.line_sources if device.config else ())
    findings: list[Finding] = []
    for spec in enabled_rules(ctx, rules):
        if spec.scope == "device":
            findings.extend(_judge_device(spec, device, ctx, citations))
    return findings


def _network_cite(view: list[DeviceSnapshot]) -> Callable[[str], str]:
    """Places of the lines a network-wide rule quotes from its devices (`model.source.Quote`)."""
    by_host = {d.host.name: d for d in view}
    indexes: dict[str, Citations] = {}

    def cite(line: str) -> str:
        if not isinstance(line, Quote):
            return line
        device = by_host.get(line.host)
        if device is None or device.config is None:
            return str(line)
        index = indexes.get(line.host)
        if index is None:
            index = indexes[line.host] = Citations(device.config.line_sources)
        placed = index.cite(line.line, host=line.host)
        return placed.reading(str(line)) if isinstance(placed, SourceLine) else str(line)

    return cite


def run_rules(
    devices: list[DeviceSnapshot],
    ctx: RuleContext,
    rules: list[RuleSpec] | None = None,
    progress: Callable[[int], None] | None = None,
    device_findings: list[Finding] | None = None,
    network_view: list[DeviceSnapshot] | None = None,
) -> list[Finding]:
    """Every enabled rule on every device (device rules) or on all devices (network rules).

    `device_findings`, when given, are the device-scope verdicts already judged elsewhere
    (the live pipeline judges each device as it arrives); only network rules run here.
    `network_view` is everything known of the network when `devices` is a `--filter`'s
    selection: network-wide rules judge the selection against it, never on the part alone.
    """
    ctx = with_drivers(ctx)
    specs = enabled_rules(ctx, rules)
    findings: list[Finding] = list(device_findings or [])
    if device_findings is None:
        for device in devices:
            findings.extend(judge_device(device, ctx, specs))
            if progress is not None:
                progress(1)
    for spec in specs:
        if spec.scope == "network":
            view = network_view if network_view is not None else devices
            judge = Judge(spec.id, NETWORK_WIDE, cite=_network_cite(view))
            _guarded(
                spec,
                judge,
                lambda spec=spec, judge=judge, view=view: spec.function(view, ctx, judge),  # type: ignore[misc]
            )
            findings.extend(judge.findings)
    known = network_view if network_view is not None else devices
    return apply_waivers(findings, ctx, ctx.as_of.date(), {d.host.name: d.host for d in known})


def _covers(waiver: Waiver, finding: Finding, hosts: Mapping[str, HostRecord]) -> bool:
    if waiver.rule != finding.rule:
        return False
    if waiver.device is not None:
        return fnmatch.fnmatchcase(finding.device, waiver.device)
    host = hosts.get(finding.device)
    scope = waiver.scope
    return (
        host is not None
        and scope is not None
        and scope.municipality in (None, host.municipality)
        and scope.site in (None, host.site)
        and scope.role in (None, host.role.value)
    )


def _specificity(waiver: Waiver) -> int:
    """A waiver naming the device wins over a pattern, a pattern over a scope."""
    return 0 if waiver.device is not None and not waiver.is_pattern else 1 if waiver.device else 2


def apply_waivers(
    findings: list[Finding],
    ctx: RuleContext,
    today: dt.date,
    hosts: Mapping[str, HostRecord] | None = None,
) -> list[Finding]:
    """Waive failures a waiver covers; an expired one, or one whose evidence changed, does not.

    Every covered failure carries its `WaiverUse`, waived or not, so the report can say which
    waiver it was and why it no longer holds.
    """
    ordered = sorted(enumerate(ctx.policy.waivers.waivers), key=lambda w: _specificity(w[1]))
    result = []
    for finding in findings:
        match = next(
            (
                (i, w)
                for i, w in ordered
                if finding.status is Status.FAIL and _covers(w, finding, hosts or {})
            ),
            None,
        )
        if match is None:
            result.append(finding)
            continue
        index, waiver = match
        digest = evidence_digest(finding)
        approved = ctx.waiver_evidence.get((waiver.key, fingerprint(finding)))
        state: Literal["active", "expired", "reopened"] = (
            "expired"
            if waiver.expires < today
            else "reopened"
            if approved is not None and approved != digest
            else "active"
        )
        use = WaiverUse(
            index=index,
            key=waiver.key,
            state=state,
            covers=waiver.covers,
            justification=waiver.justification,
            approved_by=waiver.approved_by,
            expires=waiver.expires.isoformat(),
            evidence_digest=digest,
            approved_digest=approved,
        )
        status = Status.WAIVED if state == "active" else Status.FAIL
        result.append(replace(finding, status=status, waiver=use))
    return result


COVERAGE_RULES = ("AV-001", "AV-002", "AV-003")


def summarise(
    devices: list[DeviceSnapshot],
    findings: list[Finding],
    policy: Policy,
    fail_on: str,
    families: list[str],
    counted: Mapping[tuple[str, str, Status], int] | None = None,
) -> AuditResult:
    """The verdicts of an audit: tallies, scores, antivirus coverage, the exit code.

    Args:
        devices: The devices of the selection.
        findings: Their findings and the network-wide ones, waivers applied.
        policy: The policies (severities, municipalities).
        fail_on: The lowest severity whose failure makes the exit code 1.
        families: The rule families to tally (every implemented one, findings or not).
        counted: Verdicts kept only as counts, by (rule, municipality of the device, status):
            a large audit's passes (`judging`); they count like findings.
    """
    settings = policy.rules.rules
    severity = {rule: Severity(setting.severity) for rule, setting in settings.items()}
    municipality_of = {d.host.name: d.host.municipality for d in devices}
    shorts = [m.short for m in policy.plan.municipalities] + [policy.plan.core.short]
    # A network-wide finding (a duplicate address, an overlap) counts for the region and for
    # each municipality whose devices it names.
    concerns = {
        id(f): {municipality_of[d] for d in named_devices(f, municipality_of)}
        for f in findings
        if f.device == NETWORK_WIDE
    }
    tallied = counted or {}

    def extra(wanted: Callable[[str, str], bool]) -> list[tuple[str, Status, int]]:
        return [(r, st, n) for (r, m, st), n in tallied.items() if wanted(r, m)]

    by_municipality = {
        short: MunicipalityTally(
            Tally.of(
                [
                    f
                    for f in findings
                    if municipality_of.get(f.device) == short or short in concerns.get(id(f), ())
                ],
                severity,
                extra(lambda _r, m, short=short: m == short),  # type: ignore[misc]
            ),
            sum(1 for d in devices if d.host.municipality == short),
            sum(1 for d in devices if d.host.municipality == short and d.audited),
        )
        for short in shorts
    }
    grids: dict[str, dict[str, object]] = {}
    for finding in findings:
        if finding.rule == "SEG-006" and finding.details and finding.device not in grids:
            grids[finding.device] = dict(finding.details)
    return AuditResult(
        devices=devices,
        findings=findings,
        severity=severity,
        overall=Tally.of(findings, severity, extra(lambda _r, _m: True)),
        by_municipality=by_municipality,
        by_family={
            fam: Tally.of(
                [f for f in findings if f.family == fam],
                severity,
                extra(lambda r, _m, fam=fam: r.split("-", 1)[0] == fam),  # type: ignore[misc]
            )
            for fam in families
        },
        antivirus=_coverage(devices, findings, shorts),
        exit_code=_exit_code(
            devices,
            findings,
            severity,
            Severity(fail_on),
            any(k[2] is Status.ERROR for k in tallied),
        ),
        firewall_grids=grids,
        goals=[
            _goal(goal.id, goal.rules, findings, municipality_of, shorts, severity, tallied)
            for goal in policy.goals.goals
        ],
    )


def _goal(
    goal: str,
    rules: tuple[str, ...],
    findings: list[Finding],
    municipality_of: dict[str, str],
    shorts: list[str],
    severity: dict[str, Severity],
    counted: Mapping[tuple[str, str, Status], int],
) -> GoalResult:
    """The findings of a goal's rules, tallied overall and per municipality of their device."""
    mine = [f for f in findings if f.rule in rules]
    theirs = [(key, n) for key, n in counted.items() if key[0] in rules]
    return GoalResult(
        goal,
        rules,
        Tally.of(mine, severity, [(r, st, n) for (r, _m, st), n in theirs]),
        {
            short: Tally.of(
                [f for f in mine if municipality_of.get(f.device) == short],
                severity,
                [(r, st, n) for (r, m, st), n in theirs if m == short],
            )
            for short in shorts
        },
    )


def _coverage(
    devices: list[DeviceSnapshot], findings: list[Finding], shorts: list[str]
) -> AntivirusCoverage:
    """A server is covered when AV-001..AV-003 all pass (or are waived); no verdict is none."""
    verdicts: dict[str, dict[str, Status]] = {}
    reasons: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule in COVERAGE_RULES:
            verdicts.setdefault(finding.device, {})[finding.rule] = finding.status
            if finding.status in (Status.FAIL, Status.ERROR):
                reasons.setdefault(finding.device, []).append(finding)
    rows = {short: CoverageRow() for short in shorts}
    uncovered = []
    for device in devices:
        if device.host.role != "srv":
            continue
        mine = verdicts.get(device.host.name, {})
        row = rows.get(device.host.municipality, CoverageRow())
        covered = all(mine.get(rule) in (Status.PASS, Status.WAIVED) for rule in COVERAGE_RULES)
        rows[device.host.municipality] = CoverageRow(
            servers=row.servers + 1,
            covered=row.covered + covered,
            stale=row.stale + (mine.get("AV-003") is Status.FAIL),
            stopped=row.stopped + (mine.get("AV-002") is Status.FAIL),
        )
        if not covered:
            uncovered.append(Uncovered(device, reasons.get(device.host.name, [])))
    drift = [
        f
        for f in findings
        if f.rule == "AV-004"
        and f.status in (Status.FAIL, Status.ERROR)
        and f.device == NETWORK_WIDE
    ]
    return AntivirusCoverage(rows, uncovered, drift)


def _exit_code(
    devices: list[DeviceSnapshot],
    findings: list[Finding],
    severity: dict[str, Severity],
    fail_on: Severity,
    counted_error: bool = False,
) -> int:
    """0 compliant; 1 a failure at or above `fail_on`; 3 something was not audited or decided.

    `counted_error`: an error among the verdicts kept only as counts.
    """
    if any(f.status is Status.FAIL and severity[f.rule].rank >= fail_on.rank for f in findings):
        return 1
    if (
        counted_error
        or any(not d.audited for d in devices)
        or any(f.status is Status.ERROR for f in findings)
    ):
        return 3
    return 0
