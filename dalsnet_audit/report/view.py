"""Arrange a finished report dict for presentation.

Nothing here judges anything: verdicts, counts and scores come from the engine's report.
This module only groups, orders and looks up what the templates show (failures by
municipality and device, the family x municipality picture, devices not audited), so that
the HTML and Markdown templates stay simple and agree with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dalsnet_audit.model.finding import names_in, new_fingerprints
from dalsnet_audit.report.references import ReferenceLabel, reference_labels

FAMILY_ORDER: tuple[str, ...] = ("IP", "SEG", "CRY", "AV", "LOG", "AAA", "STD", "NET")
SEVERITY_ORDER: tuple[str, ...] = ("critical", "high", "medium", "low")
STATUS_ORDER: tuple[str, ...] = ("pass", "fail", "error", "not_applicable", "waived")
NETWORK_WIDE = "*"
AUDITED = "audited"


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One finding with its rule's title and section looked up."""

    rule: str
    device: str
    municipality: str
    status: str
    severity: str
    family: str
    message: str
    evidence: tuple[str, ...]
    evidence_at: tuple[str | None, ...]  # `configs/x.cfg:12` per line, None where derived
    expected: str | None
    actual: str | None
    remediation: str | None
    title: str
    section: str
    references: tuple[ReferenceLabel, ...] = ()
    waiver: Mapping[str, Any] | None = None  # report.json `waiver`: which, and its state
    first_seen: Mapping[str, Any] | None = None  # report.json `first_seen`: run and date
    fingerprint: str = ""  # the card's anchor (`#f-<fingerprint>`)
    change: str | None = None  # `new` or `persisting` since the last run; None without history


@dataclass(frozen=True, slots=True)
class MunicipalityRow:
    """A municipality's line in the compliance table."""

    short: str
    name: str
    code: str | None
    devices: int
    audited: int
    counts: Mapping[str, int]
    score: float | None
    grade: str = "none"  # the engine's colour band: never green with an open critical failure


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """Failing and undecided findings of one rule family in one municipality."""

    fails: int
    errors: int
    worst: str | None
    first: str = ""  # fingerprint of its worst failure: the cell links to that card


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One rule family across all municipalities."""

    family: str
    cells: tuple[MatrixCell, ...]
    fails: int


@dataclass(frozen=True, slots=True)
class Column:
    """A municipality column (or the network-wide column) of the matrix."""

    short: str
    name: str


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A device of the inventory, with how many of its findings stayed undecided."""

    name: str
    municipality: str
    municipality_name: str
    site: str
    role: str
    platform: str
    status: str
    error: str | None
    undecided: int
    plan: str | None = None  # every fix of the device in one text (`report.plan`)


@dataclass(frozen=True, slots=True)
class DeviceGroup:
    """The failing findings of one device."""

    name: str
    device: DeviceRow | None
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True, slots=True)
class MunicipalityGroup:
    """The failing findings of one municipality, device by device."""

    short: str
    name: str
    devices: tuple[DeviceGroup, ...]

    @property
    def count(self) -> int:
        """Number of findings in this group."""
        return sum(len(d.findings) for d in self.devices)


@dataclass(frozen=True, slots=True)
class Tile:
    """A municipality (or the shared core) on the manager's first screen."""

    short: str
    name: str
    score: float | None
    grade: str
    failures: int
    open_critical: int
    open_high: int
    devices: int
    not_audited: tuple[str, ...]
    delta_score: float | None  # since the last run; None without one
    delta_failures: int | None
    trend: str  # SVG polyline points of the score over the recorded runs ("" with fewer than 2)
    trend_runs: int
    failures_trend: str = ""  # the same for the number of failures


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the report templates show, in display order."""

    run: Mapping[str, Any]
    score: float | None
    by_status: Mapping[str, int]
    municipalities: tuple[MunicipalityRow, ...]
    columns: tuple[Column, ...]
    matrix: tuple[MatrixRow, ...]
    not_audited: tuple[DeviceRow, ...]
    failures: tuple[MunicipalityGroup, ...]
    errors: tuple[FindingRow, ...]
    waived: tuple[FindingRow, ...]
    rules: tuple[Mapping[str, Any], ...]
    device_count: int
    audited_count: int
    failure_count: int
    tiles: tuple[Tile, ...] = ()
    top: tuple[FindingRow, ...] = ()  # the most serious open failures
    open_by_severity: Mapping[str, int] | None = None
    grade: str = "none"
    resolved: tuple[Mapping[str, Any], ...] = ()  # failures of the last run gone now


TOP_FAILURES = 5
SPARK_WIDTH, SPARK_HEIGHT = 120, 28


def build_view(
    report: Mapping[str, Any],
    network_wide_name: str = NETWORK_WIDE,
    translate: Callable[[str], str | None] | None = None,
) -> ReportView:
    """Arrange a report dict for the templates.

    Args:
        report: The engine's report dict.
        network_wide_name: Display name of the group holding network-wide findings
            (device ``"*"``), already translated.
        translate: Puts English value words (a reference's release) in the report's language.

    Returns:
        The report arranged for display.
    """
    names = _municipality_names(report, network_wide_name)
    devices = _device_rows(report, names, translate)
    findings = _finding_rows(report, devices, translate)
    failing = tuple(f for f in findings if f.status == "fail")
    not_audited = tuple(d for d in devices.values() if d.status != AUDITED)
    columns = _columns(report, names, findings)
    summary = report.get("summary", {})
    since = report.get("since_last")
    return ReportView(
        tiles=_tiles(report, names, not_audited),
        top=tuple(sorted(failing, key=_seriousness)[:TOP_FAILURES]),
        open_by_severity={s: int((summary.get("open") or {}).get(s, 0)) for s in SEVERITY_ORDER},
        grade=str(summary.get("grade") or "none"),
        resolved=tuple(since.get("resolved", [])) if since else (),
        run=report["run"],
        score=summary.get("score"),
        by_status={s: int(summary.get("by_status", {}).get(s, 0)) for s in STATUS_ORDER},
        municipalities=_municipality_rows(report, names),
        columns=columns,
        matrix=_matrix(report, columns, findings),
        not_audited=not_audited,
        failures=_group_failures(failing, devices, names),
        errors=tuple(
            f
            for f in _by_severity(findings)
            if f.status == "error" and _is_audited(f.device, devices)
        ),
        waived=tuple(f for f in _by_severity(findings) if f.status == "waived"),
        rules=tuple(sorted(report.get("rules", []), key=_rule_key)),
        device_count=len(devices),
        audited_count=len(devices) - len(not_audited),
        failure_count=len(failing),
    )


def named_devices(finding: Mapping[str, Any], devices: Iterable[str]) -> list[str]:
    """The devices a (network-wide) report finding names in its message, actual or evidence.

    A duplicate address names both holders; an overlap both routers
    (`model.finding.named_devices`, for a report.json row).
    """
    texts = [str(finding.get("message") or ""), str(finding.get("actual") or "")]
    texts += [str(line) for line in finding.get("evidence") or ()]
    params = finding.get("message_params") or {}
    return names_in([*texts, *map(str, params.values())], devices)


def family_of(rule_id: str) -> str:
    """Derive a rule's family from its id (``IP-001`` -> ``IP``).

    Args:
        rule_id: Catalogue id.

    Returns:
        The part before the dash.
    """
    return rule_id.split("-", 1)[0]


def _municipality_names(report: Mapping[str, Any], network_wide_name: str) -> dict[str, str]:
    names = {m["short"]: m.get("name") or m["short"] for m in report.get("municipalities", [])}
    names[NETWORK_WIDE] = network_wide_name
    return names


def _municipality_rows(
    report: Mapping[str, Any], names: Mapping[str, str]
) -> tuple[MunicipalityRow, ...]:
    by_municipality: Mapping[str, Mapping[str, Any]] = report.get("summary", {}).get(
        "by_municipality", {}
    )
    codes = {m["short"]: m.get("code") for m in report.get("municipalities", [])}
    order = _ordered(codes, by_municipality)
    return tuple(
        _municipality_row(short, names.get(short, short), codes.get(short), by_municipality)
        for short in order
    )


def _municipality_row(
    short: str,
    name: str,
    code: str | None,
    by_municipality: Mapping[str, Mapping[str, Any]],
) -> MunicipalityRow:
    stats = by_municipality.get(short, {})
    return MunicipalityRow(
        short=short,
        name=name,
        code=code,
        devices=int(stats.get("devices", 0)),
        audited=int(stats.get("audited", 0)),
        counts={s: int(stats.get(s, 0)) for s in STATUS_ORDER},
        score=stats.get("score"),
        grade=str(stats.get("grade") or "none"),
    )


def _device_rows(
    report: Mapping[str, Any],
    names: Mapping[str, str],
    translate: Callable[[str], str | None] | None = None,
) -> dict[str, DeviceRow]:
    undecided: dict[str, int] = {}
    for finding in report.get("findings", []):
        if finding.get("status") == "error":
            undecided[finding["device"]] = undecided.get(finding["device"], 0) + 1
    rows = [
        _device_row(d, names, undecided.get(d["name"], 0), translate)
        for d in report.get("devices", [])
    ]
    order = list(names)
    rows.sort(
        key=lambda d: (
            order.index(d.municipality) if d.municipality in order else len(order),
            d.name,
        )
    )
    return {d.name: d for d in rows}


def _device_row(
    device: Mapping[str, Any],
    names: Mapping[str, str],
    undecided: int,
    translate: Callable[[str], str | None] | None = None,
) -> DeviceRow:
    municipality = str(device.get("municipality") or "")
    error = device.get("error")
    return DeviceRow(
        name=device["name"],
        municipality=municipality,
        municipality_name=names.get(municipality, municipality),
        site=str(device.get("site") or ""),
        role=str(device.get("role") or ""),
        platform=str(device.get("platform") or ""),
        status=str(device.get("status") or ""),
        # The collector's reason, in the report's language where it is our own prose; an
        # exception's text (an SSH library's message) is shown as written.
        error=(translate(error) if translate and error else error),
        undecided=undecided,
        plan=device.get("remediation_plan"),
    )


def _finding_rows(
    report: Mapping[str, Any],
    devices: Mapping[str, DeviceRow],
    translate: Callable[[str], str | None] | None = None,
) -> tuple[FindingRow, ...]:
    rules = {r["id"]: r for r in report.get("rules", [])}
    since = report.get("since_last")
    new = new_fingerprints(since) if since else None
    return tuple(
        _finding_row(f, rules.get(f["rule"], {}), devices, new, translate)
        for f in report["findings"]
    )


def _finding_row(
    finding: Mapping[str, Any],
    rule: Mapping[str, Any],
    devices: Mapping[str, DeviceRow],
    new: set[str] | None = None,
    translate: Callable[[str], str | None] | None = None,
) -> FindingRow:
    device = str(finding["device"])
    known = devices.get(device)
    rule_id = str(finding["rule"])
    evidence = tuple(str(line) for line in finding.get("evidence") or ())
    return FindingRow(
        rule=rule_id,
        device=device,
        municipality=known.municipality if known else NETWORK_WIDE,
        status=str(finding["status"]),
        severity=str(finding.get("severity") or rule.get("severity") or ""),
        family=str(finding.get("family") or rule.get("family") or family_of(rule_id)),
        message=str(finding.get("message") or ""),
        evidence=evidence,
        evidence_at=_places(finding.get("evidence_source"), len(evidence)),
        expected=_text_or_none(finding.get("expected")),
        actual=_text_or_none(finding.get("actual")),
        remediation=_text_or_none(finding.get("remediation")),
        title=str(rule.get("title") or ""),
        section=str(rule.get("section") or ""),
        references=reference_labels(rule.get("references"), translate),
        waiver=finding.get("waiver"),
        first_seen=finding.get("first_seen"),
        fingerprint=str(finding.get("fingerprint") or ""),
        change=None
        if new is None or finding["status"] != "fail"
        else ("new" if finding.get("fingerprint") in new else "persisting"),
    )


def _seriousness(finding: FindingRow) -> tuple[int, str, str, str]:
    """Worst first: severity, then the oldest (first seen earliest), then rule and device."""
    seen = str((finding.first_seen or {}).get("date") or "9999")
    return (_rank(SEVERITY_ORDER, finding.severity), seen, finding.rule, finding.device)


def _tiles(
    report: Mapping[str, Any], names: Mapping[str, str], not_audited: Sequence[DeviceRow]
) -> tuple[Tile, ...]:
    by_municipality = report.get("summary", {}).get("by_municipality", {})
    trend = report.get("trend") or {}
    tiles = []
    for short in [m["short"] for m in report.get("municipalities", [])]:
        stats = by_municipality.get(short)
        if stats is None:
            continue
        points = [p for p in (trend.get("by_municipality") or {}).get(short, []) if p]
        before = points[-2] if len(points) >= 2 else None
        opened = stats.get("open") or {}
        tiles.append(
            Tile(
                short=short,
                name=names.get(short, short),
                score=stats.get("score"),
                grade=str(stats.get("grade") or "none"),
                failures=int(stats.get("fail", 0)),
                open_critical=int(opened.get("critical", 0)),
                open_high=int(opened.get("high", 0)),
                devices=int(stats.get("devices", 0)),
                not_audited=tuple(d.name for d in not_audited if d.municipality == short),
                delta_score=None
                if before is None or before.get("score") is None or stats.get("score") is None
                else round(float(stats["score"]) - float(before["score"]), 4),
                delta_failures=None
                if before is None
                else int(stats.get("fail", 0)) - int(before["failures"]),
                trend=spark([p.get("score") for p in points]),
                trend_runs=len(points),
                failures_trend=spark(_shares([p.get("failures") for p in points])),
            )
        )
    return tuple(tiles)


def spark(
    values: Sequence[float | None], width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT
) -> str:
    """SVG polyline points for `values` (None skipped), oldest left; "" below two values.

    The vertical scale runs from the lowest value (or 0.8, whichever is lower) to 1, so that
    scores between 85 and 100 % are not a flat line at the top.
    """
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    low = min(0.8, *(v for _, v in known))
    span = (1 - low) or 1.0
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{(1 - (v - low) / span) * (height - 2) + 1:.1f}" for i, v in known
    )


def _shares(counts: Sequence[int | None]) -> list[float | None]:
    """Counts as 0..1 of their largest (failures drawn so that fewer is higher)."""
    most = max((c for c in counts if c is not None), default=0) or 1
    return [None if c is None else 1 - c / most * 0.2 for c in counts]


def _places(sources: Any, count: int) -> tuple[str | None, ...]:
    """`file:line` of each evidence line (report.json `evidence_source`), None where derived."""
    given = list(sources) if isinstance(sources, list) else []
    given += [None] * (count - len(given))
    return tuple(
        f"{s['file']}:{s['line']}" if isinstance(s, Mapping) and "file" in s else None
        for s in given[:count]
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _columns(
    report: Mapping[str, Any], names: Mapping[str, str], findings: Sequence[FindingRow]
) -> tuple[Column, ...]:
    shorts = [m["short"] for m in report.get("municipalities", [])]
    shorts += sorted({f.municipality for f in findings} - set(shorts) - {NETWORK_WIDE})
    if any(f.municipality == NETWORK_WIDE for f in findings):
        shorts.append(NETWORK_WIDE)
    return tuple(Column(s, names.get(s, s)) for s in shorts)


def _matrix(
    report: Mapping[str, Any], columns: Sequence[Column], findings: Sequence[FindingRow]
) -> tuple[MatrixRow, ...]:
    families = _ordered(
        FAMILY_ORDER,
        [r.get("family") or family_of(r["id"]) for r in report.get("rules", [])]
        + [f.family for f in findings]
        + list(report.get("summary", {}).get("by_family", {})),
        keep_only_present=True,
    )
    rows = []
    for family in families:
        cells = tuple(
            _cell([f for f in findings if f.family == family and f.municipality == c.short])
            for c in columns
        )
        rows.append(MatrixRow(family, cells, sum(c.fails for c in cells)))
    return tuple(rows)


def _cell(findings: Sequence[FindingRow]) -> MatrixCell:
    failing = [f for f in findings if f.status == "fail"]
    severities = {f.severity for f in failing}
    worst = next((s for s in SEVERITY_ORDER if s in severities), None)
    if worst is None and failing:
        worst = failing[0].severity
    return MatrixCell(
        fails=len(failing),
        errors=sum(1 for f in findings if f.status == "error"),
        worst=worst,
        first=min(failing, key=_seriousness).fingerprint if failing else "",
    )


def _group_failures(
    failing: Sequence[FindingRow],
    devices: Mapping[str, DeviceRow],
    names: Mapping[str, str],
) -> tuple[MunicipalityGroup, ...]:
    order = _ordered(names, [f.municipality for f in failing], keep_only_present=True)
    groups = []
    for short in order:
        mine = [f for f in failing if f.municipality == short]
        device_names = _ordered(devices, [f.device for f in mine], keep_only_present=True)
        groups.append(
            MunicipalityGroup(
                short=short,
                name=names.get(short, short),
                devices=tuple(
                    DeviceGroup(
                        name=d,
                        device=devices.get(d),
                        findings=tuple(_by_severity(f for f in mine if f.device == d)),
                    )
                    for d in device_names
                ),
            )
        )
    return tuple(groups)


def _is_audited(device: str, devices: Mapping[str, DeviceRow]) -> bool:
    known = devices.get(device)
    return known is None or known.status == AUDITED


def _by_severity(findings: Iterable[FindingRow]) -> list[FindingRow]:
    return sorted(findings, key=lambda f: (_rank(SEVERITY_ORDER, f.severity), f.rule, f.device))


def _rule_key(rule: Mapping[str, Any]) -> tuple[int, str]:
    return (_rank(FAMILY_ORDER, rule.get("family") or family_of(rule["id"])), rule["id"])


def _rank(order: Sequence[str], value: str) -> int:
    return order.index(value) if value in order else len(order)


def _ordered(
    preferred: Iterable[str], present: Iterable[str], *, keep_only_present: bool = False
) -> list[str]:
    """Order ``present`` values by ``preferred`` first, then the rest alphabetically."""
    seen = list(dict.fromkeys(present))
    first = [p for p in preferred if not keep_only_present or p in seen]
    rest = sorted(set(seen) - set(first))
    return first + rest
