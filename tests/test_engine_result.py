"""The engine owns the verdict numbers: tallies, scores, coverage and the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalsnet_audit.engine import summarise
from dalsnet_audit.model.device import CollectStatus, DeviceSnapshot
from dalsnet_audit.model.finding import Finding, Message, Status
from dalsnet_audit.model.result import Tally
from dalsnet_audit.policy import load_policy
from tests.rules.conftest import host_record

ROOT = Path(__file__).resolve().parent.parent
POLICY = load_policy(ROOT / "policies")


def _finding(rule: str, status: Status, device: str = "ben-01-sw01") -> Finding:
    return Finding(rule, device, status, Message(f"{rule}.x"))


def _device(name: str = "ben-01-sw01", status: CollectStatus = CollectStatus.AUDITED):
    return DeviceSnapshot(host_record({"name": name}), status)


@pytest.mark.parametrize(
    ("findings", "status", "fail_on", "code"),
    [
        ([_finding("CRY-001", Status.FAIL)], CollectStatus.AUDITED, "high", 1),  # critical
        ([_finding("SEG-005", Status.FAIL)], CollectStatus.AUDITED, "high", 0),  # low
        ([_finding("SEG-005", Status.FAIL)], CollectStatus.AUDITED, "low", 1),
        ([_finding("IP-001", Status.ERROR)], CollectStatus.AUDITED, "high", 3),
        ([_finding("IP-001", Status.PASS)], CollectStatus.TIMEOUT, "high", 3),
        ([_finding("IP-001", Status.PASS)], CollectStatus.AUDITED, "high", 0),
    ],
)
def test_exit_code(findings, status, fail_on, code):
    result = summarise([_device(status=status)], findings, POLICY, fail_on, ["IP"])
    assert result.exit_code == code


def test_tally_scores_judged_findings_only():
    tally = Tally.of(
        [
            _finding("IP-001", Status.PASS),
            _finding("IP-002", Status.WAIVED),
            _finding("IP-003", Status.FAIL),
            _finding("IP-005", Status.NOT_APPLICABLE),
        ]
    )
    assert tally.score == round(2 / 3, 4)
    assert Tally.of([_finding("IP-005", Status.NOT_APPLICABLE)]).score is None


def test_a_server_is_covered_only_when_every_antivirus_check_passes():
    server = DeviceSnapshot(
        host_record({"name": "ben-01-srv01", "platform": "windows"}), CollectStatus.AUDITED
    )
    findings = [
        _finding("AV-001", Status.PASS, "ben-01-srv01"),
        _finding("AV-002", Status.PASS, "ben-01-srv01"),
        _finding("AV-003", Status.FAIL, "ben-01-srv01"),
    ]
    coverage = summarise([server], findings, POLICY, "high", ["AV"]).antivirus
    assert coverage.by_municipality["ben"].servers == 1
    assert coverage.by_municipality["ben"].covered == 0
    assert coverage.by_municipality["ben"].stale == 1
    assert [u.device.host.name for u in coverage.uncovered] == ["ben-01-srv01"]
