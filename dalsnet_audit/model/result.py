"""What an audit concluded, as the engine hands it to the reports and the history.

Every verdict-like number lives here, computed once by the engine (`engine.summarise`): counts,
scores, antivirus coverage and the exit code. The report layer only renders it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from dalsnet_audit.model.device import DeviceSnapshot
from dalsnet_audit.model.enums import Severity, Status
from dalsnet_audit.model.finding import Finding

# How much a check counts in a score, by its rule's severity: each step doubles.
SEVERITY_WEIGHT: dict[Severity, int] = {
    Severity.CRITICAL: 8,
    Severity.HIGH: 4,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
}
GOOD, FAIR, POOR = 0.95, 0.8, 0.0  # score bands: green from 95 %, amber from 80 %


@dataclass(frozen=True, slots=True)
class Tally:
    """Findings by status, the severity-weighted share that passed, and open failures.

    `score` is the share of judged checks (pass, fail, error, waived) that passed or were
    waived, each weighted by its rule's severity (`SEVERITY_WEIGHT`; 1 each when severities
    are not given); None when nothing was judged. `open` counts failures by severity.
    """

    counts: dict[Status, int]
    score: float | None
    open: dict[Severity, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        findings: Iterable[Finding],
        severity: dict[str, Severity] | None = None,
        counted: Iterable[tuple[str, Status, int]] = (),
    ) -> Tally:
        """The tally of `findings`, weighted by `severity` (rule id -> severity) if given.

        `counted`: verdicts kept only as counts, (rule, status, how many): a large audit's
        passes (`judging`).
        """
        counts = dict.fromkeys(Status, 0)
        failing = dict.fromkeys(Severity, 0)
        judged = passed = 0
        verdicts = ((f.rule, f.status, 1) for f in findings)
        for rule, status, n in itertools.chain(verdicts, counted):
            counts[status] += n
            level = severity.get(rule, Severity.MEDIUM) if severity else None
            weight = (SEVERITY_WEIGHT[level] if level else 1) * n
            if status in (Status.PASS, Status.WAIVED):
                passed += weight
                judged += weight
            elif status in (Status.FAIL, Status.ERROR):
                judged += weight
            if status is Status.FAIL and level:
                failing[level] += n
        return cls(counts, round(passed / judged, 4) if judged else None, failing)

    @property
    def grade(self) -> str:
        """The colour band: `good`, `fair`, `poor`, or `none` when nothing was judged.

        Never `good` with an open critical or high failure; always `poor` with an open
        critical one, whatever the score.
        """
        if self.score is None:
            return "none"
        if self.open.get(Severity.CRITICAL):
            return "poor"
        if self.score >= GOOD and not self.open.get(Severity.HIGH):
            return "good"
        return "fair" if self.score >= FAIR else "poor"


@dataclass(frozen=True, slots=True)
class MunicipalityTally:
    """One municipality (or the core): its findings' tally and how many devices were audited."""

    tally: Tally
    devices: int
    audited: int


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A server without antivirus coverage, and why: its failing checks, or why not audited."""

    device: DeviceSnapshot
    findings: list[Finding]


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """Antivirus coverage of one municipality's servers."""

    servers: int = 0
    covered: int = 0
    stale: int = 0
    stopped: int = 0


@dataclass(frozen=True, slots=True)
class AntivirusCoverage:
    """Per municipality, the servers AV-001..AV-003 all pass on; the rest and why; drift."""

    by_municipality: dict[str, CoverageRow]
    uncovered: list[Uncovered]
    console_drift: list[Finding]


@dataclass(frozen=True, slots=True)
class GoalResult:
    """How the rules that check one goal of the strategy came out, overall and per municipality.

    A goal no rule checks has no tallies (`checked` False).
    """

    goal: str
    rules: tuple[str, ...]
    overall: Tally
    by_municipality: dict[str, Tally]

    @property
    def checked(self) -> bool:
        """Whether any rule checks the goal."""
        return bool(self.rules)


@dataclass(frozen=True, slots=True)
class AuditResult:
    """A finished audit's verdicts.

    Attributes:
        devices: Every device of the selection, audited or not.
        findings: Every finding, waivers applied.
        severity: Each finding's rule's severity (from `rules.yaml`), by rule id.
        overall: The tally of every finding.
        by_municipality: Tallies by municipality short name (the core included).
        by_family: Tallies by rule family.
        antivirus: Antivirus coverage.
        exit_code: 0 compliant; 1 a failure at or above the threshold; 3 not all audited or
            decided (interfaces.md).
    """

    devices: list[DeviceSnapshot]
    findings: list[Finding]
    severity: dict[str, Severity]
    overall: Tally
    by_municipality: dict[str, MunicipalityTally]
    by_family: dict[str, Tally]
    antivirus: AntivirusCoverage
    exit_code: int
    firewall_grids: dict[str, dict[str, object]] = field(default_factory=dict)
    goals: list[GoalResult] = field(default_factory=list)
