"""Scores that tell the truth: weighted by severity, never green with an open critical or
high failure, network-wide findings counted for the municipalities they name."""

from __future__ import annotations

from dalsnet_audit.audit import load_policies
from dalsnet_audit.engine import summarise
from dalsnet_audit.model.enums import Severity, Status
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding, Message, named_devices
from dalsnet_audit.model.result import Tally
from tests.reference_run import ROOT, reference_run


def _finding(rule: str, status: Status, device: str = "aml-02-sw01") -> Finding:
    return Finding(rule, device, status, Message("x"))


SEVERITY = {"CRY-001": Severity.CRITICAL, "LOG-003": Severity.LOW, "SEG-005": Severity.HIGH}


def test_the_score_weighs_severity():
    # 19 low-severity passes and one critical failure: 19/27 weighted, not 19/20.
    findings = [_finding("LOG-003", Status.PASS)] * 19 + [_finding("CRY-001", Status.FAIL)]
    tally = Tally.of(findings, SEVERITY)
    assert tally.score == round(19 / 27, 4)
    assert Tally.of(findings).score == 0.95  # unweighted, it would have looked green


def test_an_open_critical_failure_is_never_green_whatever_the_score():
    findings = [_finding("SEG-005", Status.PASS)] * 500 + [_finding("CRY-001", Status.FAIL)]
    tally = Tally.of(findings, SEVERITY)
    assert tally.score is not None and tally.score > 0.99
    assert tally.open[Severity.CRITICAL] == 1 and tally.grade == "poor"
    high = Tally.of(
        [_finding("SEG-005", Status.PASS)] * 500 + [_finding("SEG-005", Status.FAIL)], SEVERITY
    )
    assert high.grade == "fair"
    clean = Tally.of([_finding("SEG-005", Status.PASS)] * 10, SEVERITY)
    assert clean.grade == "good"


def test_network_wide_findings_name_their_devices():
    finding = Finding(
        "IP-004",
        NETWORK_WIDE,
        Status.FAIL,
        Message(
            "IP-004.duplicate", {"address": "10.45.2.1", "where": "aml-02-sw01 Vlan10, ben-01-sw01"}
        ),
    )
    assert named_devices(finding, ["ben-01-sw01", "aml-02-sw01", "aml-02-sw0"]) == [
        "ben-01-sw01",
        "aml-02-sw01",
    ]


def test_reference_amal_with_telnet_open_is_not_green():
    """Åmål (96 % by the old count) accepts telnet on a switch: its grade is poor."""
    run = reference_run()
    policy = load_policies(ROOT / "policies")
    result = summarise(run.devices, run.findings, policy, "high", ["CRY"])
    amal = result.by_municipality["aml"].tally
    assert amal.open[Severity.CRITICAL] >= 1
    assert amal.grade == "poor"
    assert all(
        m.tally.grade != "good"
        for m in result.by_municipality.values()
        if m.tally.open.get(Severity.CRITICAL)
    )
