"""Render a report dict as JUnit XML for CI servers (Jenkins, GitLab).

One ``<testsuite>`` per rule family (``dalsnet-audit.IP``), one ``<testcase>`` per finding
(``classname`` = device, ``name`` = rule id), and a ``dalsnet-audit.devices`` suite in which
every device that could not be audited is an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from dalsnet_audit.report.view import AUDITED, FAMILY_ORDER, family_of

SUITE_PREFIX = "dalsnet-audit"
DEVICES_SUITE = f"{SUITE_PREFIX}.devices"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry at all; device output sometimes contains them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_OUTCOME_TAG = {
    "fail": "failure",
    "error": "error",
    "not_applicable": "skipped",
    "waived": "skipped",
}


def render_junit(report: Mapping[str, Any]) -> str:
    """Render the findings and device statuses as a JUnit XML document.

    Args:
        report: The engine's report dict.

    Returns:
        The XML text, with declaration, UTF-8 encodable.
    """
    root = ET.Element("testsuites", name=SUITE_PREFIX)
    findings: Sequence[Mapping[str, Any]] = report.get("findings", [])
    for family in _families(report, findings):
        mine = [f for f in findings if _family(f) == family]
        root.append(_suite(f"{SUITE_PREFIX}.{family}", report, [_finding_case(f) for f in mine]))
    root.append(_suite(DEVICES_SUITE, report, [_device_case(d) for d in report.get("devices", [])]))
    _set_counts(root, list(root))
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _families(report: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> list[str]:
    present = {_family(f) for f in findings}
    present |= {r.get("family") or family_of(r["id"]) for r in report.get("rules", [])}
    return [f for f in FAMILY_ORDER if f in present] + sorted(present - set(FAMILY_ORDER))


def _family(finding: Mapping[str, Any]) -> str:
    return str(finding.get("family") or family_of(str(finding["rule"])))


def _suite(name: str, report: Mapping[str, Any], cases: list[ET.Element]) -> ET.Element:
    run = report.get("run", {})
    suite = ET.Element("testsuite", name=name)
    if run.get("started"):
        suite.set("timestamp", _clean(run["started"]))
    properties = ET.SubElement(suite, "properties")
    for key in ("id", "mode", "snapshot", "policies_digest", "tool_version"):
        if run.get(key) is not None:
            ET.SubElement(properties, "property", name=f"run.{key}", value=_clean(run[key]))
    suite.extend(cases)
    _set_counts(suite, cases)
    return suite


def _set_counts(element: ET.Element, children: list[ET.Element]) -> None:
    """Set tests/failures/errors/skipped on a suite (from its cases) or the root (suites)."""
    if element.tag == "testsuites":
        totals = {
            k: sum(int(c.get(k, "0")) for c in children)
            for k in ("tests", "failures", "errors", "skipped")
        }
    else:
        tags = [o.tag for case in children for o in case if o.tag in _OUTCOME_TAG.values()]
        totals = {
            "tests": len(children),
            "failures": tags.count("failure"),
            "errors": tags.count("error"),
            "skipped": tags.count("skipped"),
        }
    for key, value in totals.items():
        element.set(key, str(value))
    element.set("time", "0")


def _finding_case(finding: Mapping[str, Any]) -> ET.Element:
    case = ET.Element(
        "testcase", classname=_clean(finding["device"]), name=_clean(finding["rule"]), time="0"
    )
    tag = _OUTCOME_TAG.get(str(finding["status"]))
    if tag is None:
        return case
    outcome = ET.SubElement(case, tag, message=_clean(finding.get("message") or ""))
    if tag != "skipped":
        outcome.set("type", _clean(finding.get("severity") or ""))
        outcome.text = _clean(_details(finding))
    return case


def _details(finding: Mapping[str, Any]) -> str:
    parts = [str(finding.get("message") or "")]
    if finding.get("expected") is not None:
        parts.append(f"expected: {finding['expected']}")
    if finding.get("actual") is not None:
        parts.append(f"actual: {finding['actual']}")
    if finding.get("evidence"):
        parts.append("evidence:\n" + "\n".join(str(line) for line in finding["evidence"]))
    if finding.get("remediation"):
        parts.append("remediation:\n" + str(finding["remediation"]).rstrip("\n"))
    return "\n\n".join(parts)


def _device_case(device: Mapping[str, Any]) -> ET.Element:
    case = ET.Element("testcase", classname=_clean(device["name"]), name="audited", time="0")
    status = str(device.get("status") or "")
    if status != AUDITED:
        error = ET.SubElement(case, "error", message=_clean(device.get("error") or status))
        error.set("type", _clean(status))
        error.text = _clean(f"{device['name']}: {status}: {device.get('error') or ''}".rstrip(": "))
    return case


def _clean(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", str(value))
