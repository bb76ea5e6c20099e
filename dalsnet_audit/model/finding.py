"""Findings: what a rule concluded about one device (or the network, device `*`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dalsnet_audit.model.enums import Status

NETWORK_WIDE = "*"


@dataclass(frozen=True, slots=True)
class Message:
    """A message key of the findings catalogue and its parameters (rendered per language)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """The waiver that covers a failure, and whether it still holds.

    `active`: the finding is waived. `expired`: past its date, the finding fails again.
    `reopened`: the evidence changed since the waiver first covered it (`approved_digest`),
    so it fails again until someone approves what it is now.
    """

    index: int  # its place in waivers.yaml
    key: str
    state: Literal["active", "expired", "reopened"]
    covers: str
    justification: str
    approved_by: str
    expires: str
    evidence_digest: str  # of the finding's evidence tonight
    approved_digest: str | None = None  # of the evidence it covered on its first use


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict.

    Attributes:
        rule: Catalogue id, e.g. `IP-001`.
        device: Inventory host name, or `*` for a network-wide verdict.
        status: The verdict.
        message: What was found, as a catalogue message.
        evidence: Exact configuration lines or polled values, secrets masked.
        expected: What the policy asks for, human-readable.
        actual: What the device has.
        remediation: Template names under `templates/remediation/`, the first that exists
            is rendered (the platform's own, then the common one), and their variables.
        details: Structured data a report may draw (a firewall's zone grid); no verdict.
    """

    rule: str
    device: str
    status: Status
    message: Message
    evidence: tuple[str, ...] = ()
    expected: str | None = None
    actual: str | None = None
    remediation: tuple[tuple[str, ...], dict[str, Any]] | None = None
    details: dict[str, Any] | None = None
    waiver: WaiverUse | None = None

    @property
    def family(self) -> str:
        """The rule's family, its id's prefix (`IP`)."""
        return self.rule.split("-", 1)[0]


_NAME_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9_]")


def names_in(texts: Iterable[str], names: Iterable[str]) -> list[str]:
    """The `names` (host names) that occur as whole words in `texts`, in `names`' order."""
    words = {word for text in texts for word in _NAME_TOKEN.findall(text)}
    return [name for name in names if name in words]


def named_devices(finding: Finding, devices: Iterable[str]) -> list[str]:
    """The devices a (network-wide) finding names: in its message, actual value or evidence.

    A duplicate address names both holders, an overlap both routers.
    """
    texts = [str(v) for v in finding.message.params.values()]
    return names_in([*texts, finding.actual or "", *finding.evidence], devices)


def new_fingerprints(since_last: Mapping[str, Any] | None) -> set[str]:
    """The fingerprints of the failures that are new since the last run.

    That includes the failures listed with a device that is no longer audited (the backup it
    no longer has, the reachability it lost): they did not fail before.
    """
    if not since_last:
        return set()
    found = {f["fingerprint"] for f in since_last.get("new", [])}
    for device in since_last.get("unreachable", []):
        found.update(f["fingerprint"] for f in device.get("failures", []))
    return found


@dataclass(frozen=True, slots=True)
class Verdict:
    """A pass or not-applicable finding as the tallies read it, once its report row is written.

    A large audit keeps this in place of the full finding (its message, evidence and fix are
    in the report's row already): the counts, scores and goals need no more.
    """

    rule: str
    device: str
    status: Status

    @property
    def waiver(self) -> None:
        """Never waived: only a failure is."""
        return None

    @property
    def details(self) -> None:
        """None: a finding with details keeps its whole self."""
        return None

    @property
    def family(self) -> str:
        """The rule's family, its id's prefix (`IP`)."""
        return self.rule.split("-", 1)[0]

    @classmethod
    def of(cls, finding: Finding) -> Verdict:
        """The verdict of `finding`."""
        return cls(finding.rule, finding.device, finding.status)


__all__ = [
    "NETWORK_WIDE",
    "Finding",
    "Message",
    "Status",
    "Verdict",
    "WaiverUse",
    "named_devices",
    "names_in",
    "new_fingerprints",
]
