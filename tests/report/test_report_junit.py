"""junit.xml: valid against Jenkins' JUnit schema, unique case names, waivers and --fail-on."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

from lxml import etree

from dalsnet_audit.report.junit import render_junit

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "jenkins-junit-10.xsd"


def _suites(report: dict[str, Any]) -> dict[str, ET.Element]:
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    return {s.get("name", ""): s for s in root.findall("testsuite")}


def assert_valid(text: str) -> None:
    """Validate against the Jenkins xUnit plugin's junit-10.xsd (tests/schemas/SOURCE.md)."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), schema.error_log.filter_from_errors()


def test_junit_is_valid_for_jenkins(report: dict[str, Any]) -> None:
    text = render_junit(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert_valid(text)
    assert ET.fromstring(text).get("skipped") is None  # Jenkins refuses it on <testsuites>


def test_case_names_are_unique_within_their_class(report: dict[str, Any]) -> None:
    twin = dict(next(f for f in report["findings"] if f["status"] == "fail"))
    twin["fingerprint"] = "f" * 16
    report["findings"].append(twin)  # the same rule twice on one device, say two interfaces
    root = ET.fromstring(render_junit(report))
    names = Counter((c.get("classname"), c.get("name")) for c in root.iter("testcase"))
    assert max(names.values()) == 1
    assert_valid(render_junit(report))


def test_classname_is_municipality_dot_device(report: dict[str, Any]) -> None:
    classes = {c.get("classname") for c in ET.fromstring(render_junit(report)).iter("testcase")}
    assert "fgl.fgl-01-rtr01" in classes and "region.network" in classes
    report["devices"][0]["name"] = "ben-01-rtr01.dalsland.se"
    for finding in report["findings"]:
        if finding["device"] == "ben-01-rtr01":
            finding["device"] = "ben-01-rtr01.dalsland.se"
    classes = {c.get("classname") for c in ET.fromstring(render_junit(report)).iter("testcase")}
    assert "ben.ben-01-rtr01_dalsland_se" in classes


def test_one_suite_per_family_and_one_case_per_finding(report: dict[str, Any]) -> None:
    suites = _suites(report)
    families = Counter(f["family"] for f in report["findings"])
    for family, count in families.items():
        suite = suites[f"dalsnet-audit.{family}"]
        assert int(suite.get("tests", "-1")) == count
        assert len(suite.findall("testcase")) == count


def test_counts_match_the_report_and_fail_on(report: dict[str, Any]) -> None:
    rank = {"low": 1, "medium": 2, "high": 3, "critical": 4}
    floor = rank[report["run"]["fail_on"]]
    suites = _suites(report)
    for family in {f["family"] for f in report["findings"]}:
        mine = [f for f in report["findings"] if f["family"] == family]
        suite = suites[f"dalsnet-audit.{family}"]
        blocking = sum(f["status"] == "fail" and rank[f["severity"]] >= floor for f in mine)
        assert int(suite.get("failures", "-1")) == blocking
        assert int(suite.get("errors", "-1")) == sum(f["status"] == "error" for f in mine)
        assert int(suite.get("skipped", "-1")) == sum(
            f["status"] in {"not_applicable", "waived"} for f in mine
        )
    root = ET.fromstring(render_junit(report))
    total = sum(int(s.get("tests", "0")) for s in root.findall("testsuite"))
    assert int(root.get("tests", "-1")) == total == len(report["findings"]) + len(report["devices"])


def test_a_failure_below_fail_on_is_told_not_failed(report: dict[str, Any]) -> None:
    low = next(f for f in report["findings"] if f["status"] == "fail")
    low["severity"] = "low"
    case = next(
        c
        for c in ET.fromstring(render_junit(report)).iter("testcase")
        if c.get("classname", "").endswith(low["device"])
        and c.get("name", "").startswith(low["rule"])
    )
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None and (out.text or "").startswith("fail (low, below --fail-on)")


def test_a_waived_finding_is_skipped_with_approver_and_expiry(report: dict[str, Any]) -> None:
    waived = next(f for f in report["findings"] if f["status"] == "fail")
    waived["status"] = "waived"
    waived["waiver"] = {
        "approved_by": "IT-chef Färgelanda",
        "expires": "2027-03-31",
        "justification": "byts vid nästa upphandling",
    }
    text = render_junit(report)
    assert_valid(text)
    skipped = [
        s.get("message", "")
        for s in ET.fromstring(text).iter("skipped")
        if "waived" in s.get("message", "")
    ]
    assert skipped == [
        f"waived by IT-chef Färgelanda until 2027-03-31: byts vid nästa upphandling "
        f"({waived['message']})"
    ]


def test_failure_carries_severity_evidence_and_remediation(report: dict[str, Any]) -> None:
    suite = _suites(report)["dalsnet-audit.IP"]
    case = next(
        c
        for c in suite.findall("testcase")
        if c.get("classname") == "fgl.fgl-01-rtr01" and c.get("name", "").startswith("IP-001")
    )
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
    assert set(errors) == {"mel.mel-02-sw01", "ded.ded-01-srv01"}
    assert errors["mel.mel-02-sw01"] is not None
    assert errors["mel.mel-02-sw01"].get("type") == "unreachable"
    assert int(suite.get("errors", "-1")) == 2


def test_control_characters_do_not_break_xml(report: dict[str, Any]) -> None:
    report["findings"][1]["evidence"] = ["banner motd \x03Obehörig åtkomst förbjuden\x03"]
    assert_valid(render_junit(report))
