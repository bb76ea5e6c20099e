"""Render a report dict as JUnit XML for CI servers (Jenkins, GitLab).

Valid against the JUnit schema of Jenkins' xUnit plugin (`tests/schemas/jenkins-junit-10.xsd`).
One ``<testsuite>`` per rule family (``dalsnet-audit.IP``), one ``<testcase>`` per finding:
``classname`` is ``<municipality>.<device>`` (dots in host names become ``_``, so a CI server
does not read them as packages), ``name`` the rule id and the object the finding concerns,
unique within its class. A failure below ``--fail-on`` is not a ``<failure>`` (it does not
block); it is told in ``<system-out>``. A waived finding is ``<skipped>`` with its approver and
expiry. A ``dalsnet-audit.devices`` suite makes every device that could not be audited an error.
A gate's report carries its verdict in a ``dalsnet-audit.gate`` suite: blocked is a failure,
undecided an error (a pipeline never reads a gate that could not decide as green).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from dalsnet_audit.model.fingerprint import IDENTITY_PARAMS
from dalsnet_audit.policy.models import SEVERITY_ORDER
from dalsnet_audit.report.view import AUDITED, FAMILY_ORDER, NETWORK_WIDE, family_of

SUITE_PREFIX = "dalsnet-audit"
DEVICES_SUITE = f"{SUITE_PREFIX}.devices"
GATE_SUITE = f"{SUITE_PREFIX}.gate"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
REGION = "region"  # the class of network-wide findings: `region.network`

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
    municipalities = {d["name"]: d.get("municipality") or "" for d in report.get("devices", [])}
    floor = SEVERITY_ORDER.get(str(report.get("run", {}).get("fail_on") or "high"), 0)
    for family in _families(report, findings):
        mine = [f for f in findings if _family(f) == family]
        names = _case_names(mine)
        cases = [
            _finding_case(f, _classname(f["device"], municipalities), name, floor)
            for f, name in zip(mine, names, strict=True)
        ]
        root.append(_suite(f"{SUITE_PREFIX}.{family}", report, cases))
    root.append(
        _suite(
            DEVICES_SUITE,
            report,
            [_device_case(d, municipalities) for d in report.get("devices", [])],
        )
    )
    if report.get("gate"):
        gate = report["gate"]
        known = {**municipalities, str(gate["host"]): str(gate.get("municipality") or "")}
        root.append(_suite(GATE_SUITE, report, [_gate_case(gate, known)]))
    _set_counts(root, list(root))
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _classname(device: str, municipalities: Mapping[str, str]) -> str:
    if device == NETWORK_WIDE:
        return f"{REGION}.network"
    return _clean(f"{municipalities.get(device) or REGION}.{device.replace('.', '_')}")


def _case_names(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    """`RULE object` per finding, unique within its device (the fingerprint tells twins apart)."""
    names = []
    for finding in findings:
        params = finding.get("message_params") or {}
        subject = ", ".join(str(params[k]) for k in sorted(params) if k in IDENTITY_PARAMS)
        names.append(f"{finding['rule']} {subject}".strip())
    seen = Counter(zip((f["device"] for f in findings), names, strict=True))
    return [
        f"{name} [{f.get('fingerprint', i)}]" if seen[(f["device"], name)] > 1 else name
        for i, (f, name) in enumerate(zip(findings, names, strict=True))
    ]


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
    for key in ("id", "mode", "snapshot", "taken_at", "fail_on", "policies_digest", "tool_version"):
        if run.get(key) is not None:
            ET.SubElement(properties, "property", name=f"run.{key}", value=_clean(run[key]))
    suite.extend(cases)
    _set_counts(suite, cases)
    return suite


def _set_counts(element: ET.Element, children: list[ET.Element]) -> None:
    """Set the counts on a suite (from its cases) or on the root (from its suites).

    Jenkins' schema allows `skipped` on a suite but not on `<testsuites>`.
    """
    if element.tag == "testsuites":
        keys = ("tests", "failures", "errors")
        totals = {k: sum(int(c.get(k, "0")) for c in children) for k in keys}
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


def _finding_case(finding: Mapping[str, Any], classname: str, name: str, floor: int) -> ET.Element:
    case = ET.Element("testcase", classname=classname, name=_clean(name), time="0")
    status = str(finding["status"])
    severity = str(finding.get("severity") or "")
    if status == "fail" and SEVERITY_ORDER.get(severity, 0) < floor:
        out = ET.SubElement(case, "system-out")
        out.text = _clean(f"fail ({severity}, below --fail-on): {_details(finding)}")
        return case
    tag = _OUTCOME_TAG.get(status)
    if tag is None:
        return case
    outcome = ET.SubElement(case, tag, message=_clean(_message(finding)))
    if tag != "skipped":
        outcome.set("type", _clean(severity))
        outcome.text = _clean(_details(finding))
    return case


def _message(finding: Mapping[str, Any]) -> str:
    waiver = finding.get("waiver")
    if finding["status"] == "waived" and waiver:
        return (
            f"waived by {waiver.get('approved_by')} until {waiver.get('expires')}: "
            f"{waiver.get('justification')} ({finding.get('message') or ''})"
        )
    return str(finding.get("message") or "")


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


def _device_case(device: Mapping[str, Any], municipalities: Mapping[str, str]) -> ET.Element:
    case = ET.Element(
        "testcase", classname=_classname(device["name"], municipalities), name="audited", time="0"
    )
    status = str(device.get("status") or "")
    if status != AUDITED:
        error = ET.SubElement(case, "error", message=_clean(device.get("error") or status))
        error.set("type", _clean(status))
        error.text = _clean(f"{device['name']}: {status}: {device.get('error') or ''}".rstrip(": "))
    return case


def _gate_case(gate: Mapping[str, Any], municipalities: Mapping[str, str]) -> ET.Element:
    case = ET.Element(
        "testcase", classname=_classname(str(gate["host"]), municipalities), name="verdict"
    )
    case.set("time", "0")
    tag = {"blocked": "failure", "undecided": "error"}.get(str(gate["verdict"]))
    if tag is not None:
        outcome = ET.SubElement(case, tag, message=_clean(gate["reason"]))
        outcome.set("type", _clean(gate["verdict"]))
        outcome.text = _clean(gate["reason"])
    return case


def _clean(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", str(value))
