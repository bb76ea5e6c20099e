from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

from dalsnet_audit.report.junit import render_junit


def _suites(report: dict[str, Any]) -> dict[str, ET.Element]:
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def test_junit_parses_and_declares_utf8(report: dict[str, Any]) -> None:
    text = render_junit(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    ET.fromstring(text.encode("utf-8"))


def test_one_suite_per_family_and_one_case_per_finding(report: dict[str, Any]) -> None:
    suites = _suites(report)
    families = Counter(f["family"] for f in report["findings"])
    for family, count in families.items():
        suite = suites[f"dalsnet-audit.{family}"]
        assert int(suite.get("tests", "-1")) == count
        assert len(suite.findall("testcase")) == count


def test_counts_match_the_report(report: dict[str, Any]) -> None:
    suites = _suites(report)
    for family in {f["family"] for f in report["findings"]}:
        mine = [f for f in report["findings"] if f["family"] == family]
        suite = suites[f"dalsnet-audit.{family}"]
        assert int(suite.get("failures", "-1")) == sum(f["status"] == "fail" for f in mine)
        assert int(suite.get("errors", "-1")) == sum(f["status"] == "error" for f in mine)
        assert int(suite.get("skipped", "-1")) == sum(
            f["status"] in {"not_applicable", "waived"} for f in mine
        )
    root = ET.fromstring(render_junit(report))
    total = sum(int(s.get("tests", "0")) for s in root.findall("testsuite"))
    assert int(root.get("tests", "-1")) == total == len(report["findings"]) + len(report["devices"])


def test_failure_carries_severity_evidence_and_remediation(report: dict[str, Any]) -> None:
    suite = _suites(report)["dalsnet-audit.IP"]
    case = suite.find("testcase[@classname='fgl-01-rtr01'][@name='IP-001']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "high"
    assert "utanför Dalslandsnätets plan" in failure.get("message", "")
    assert " ip address 192.168.50.1 255.255.255.0" in (failure.text or "")
    assert " no ip address" in (failure.text or "")


def test_dangerous_text_round_trips(report: dict[str, Any]) -> None:
    case = _suites(report)["dalsnet-audit.CRY"].find("testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == '<script>alert("x")</script> & <b>fet</b>'


def test_devices_suite(report: dict[str, Any]) -> None:
    suite = _suites(report)["dalsnet-audit.devices"]
    cases = suite.findall("testcase")
    assert len(cases) == len(report["devices"])
    errors = {c.get("classname"): c.find("error") for c in cases if c.find("error") is not None}
    assert set(errors) == {"mel-02-sw01", "ded-01-srv01"}
    assert errors["mel-02-sw01"] is not None
    assert errors["mel-02-sw01"].get("type") == "unreachable"
    assert int(suite.get("errors", "-1")) == 2


def test_control_characters_do_not_break_xml(report: dict[str, Any]) -> None:
    report["findings"][1]["evidence"] = ["banner motd \x03Obehörig åtkomst förbjuden\x03"]
    ET.fromstring(render_junit(report))
