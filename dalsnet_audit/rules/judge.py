"""The per-rule, per-device verdict collector handed to every rule function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dalsnet_audit.masking import mask_lines
from dalsnet_audit.model.finding import Finding, Message, Status


@dataclass
class Judge:
    """Collects the findings of one rule on one device (or the network).

    Message keys are relative to the rule: `judge.fail("outside_plan", ...)` uses the catalogue
    key `findings.IP-001.outside_plan`. Evidence is placed (`cite`: a line the parser kept
    becomes a `SourceLine` with its file and number) and masked here, the one way into a finding.
    """

    rule: str
    device: str
    template_dirs: tuple[str, ...] = ("common",)
    findings: list[Finding] = field(default_factory=list)
    details: dict[str, Any] | None = None
    cite: Callable[[str], str] = field(default=lambda line: line)

    def _templates(self, dirs: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The fix templates of this rule, in the platform's order (its own dir first)."""
        return tuple(f"{directory}/{self.rule}.j2" for directory in dirs or self.template_dirs)

    def _add(
        self,
        status: Status,
        key: str,
        evidence: Iterable[str],
        expected: str | None,
        actual: str | None,
        fix: tuple[tuple[str, ...], dict[str, Any]] | None,
        params: dict[str, Any],
        device: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                rule=self.rule,
                device=device or self.device,
                status=status,
                message=Message(f"{self.rule}.{key}", params),
                evidence=mask_lines([self.cite(line) for line in evidence]),
                expected=expected,
                actual=actual,
                remediation=fix,
                details=self.details,
            )
        )

    def fail(
        self,
        key: str,
        *,
        evidence: Iterable[str] = (),
        expected: str | None = None,
        actual: str | None = None,
        fix: dict[str, Any] | None = None,
        device: str | None = None,
        fix_dirs: tuple[str, ...] | None = None,
        **params: Any,
    ) -> None:
        """Record a failure; `fix` holds the variables of the rule's remediation template.

        A network-wide rule that fails one device names that device's template directories
        (`fix_dirs`, its platform's answer) so that the fix is in its syntax.
        """
        template = (self._templates(fix_dirs), {"case": key, **fix}) if fix is not None else None
        self._add(Status.FAIL, key, evidence, expected, actual, template, params, device)

    def error(
        self, key: str, *, evidence: Iterable[str] = (), device: str | None = None, **params: Any
    ) -> None:
        """Record that the rule could not decide, and why (on `device`, for a network rule)."""
        self._add(Status.ERROR, key, evidence, None, None, None, params, device)

    def pass_for(self, device: str, key: str = "pass", **params: Any) -> None:
        """Record a pass on one device of a network-wide rule that judges each device."""
        self._add(Status.PASS, key, (), None, None, None, params, device)

    def not_applicable(self, key: str, **params: Any) -> None:
        """Record that the rule does not apply here, and why."""
        self._add(Status.NOT_APPLICABLE, key, (), None, None, None, params)

    def pass_if_clean(
        self, key: str = "pass", *, expected: str | None = None, **params: Any
    ) -> None:
        """Record a pass unless a failure or error was recorded already."""
        if not any(f.status in (Status.FAIL, Status.ERROR) for f in self.findings):
            self._add(Status.PASS, key, (), expected, None, None, params)
