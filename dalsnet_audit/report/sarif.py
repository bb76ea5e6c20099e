"""Render a report dict as SARIF 2.1.0, for code-scanning dashboards.

One run of the tool `dalsnet-audit` with the rule catalogue (id, title, rationale, severity as
the default level, the strategy section and family as tags). A result per failure, per
undecided finding (`error`) and per waived finding (with an accepted external suppression
naming approver and expiry). Each result carries the finding's stable fingerprint and, when
the history compared the run with the one before, its `baselineState` (`new`, `unchanged`;
failures resolved since then are listed as `absent`). Locations point at the archived
configuration line (`configs/<host>.cfg:<line>`) relative to the snapshot (`SNAPSHOT`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dalsnet_audit.model.finding import new_fingerprints
from dalsnet_audit.report.view import NETWORK_WIDE

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
FINGERPRINT_KEY = "dalsnetFinding/v1"
INFORMATION_URI = "https://github.com/dalslandsnatet/dalsnet-audit"

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads `security-severity` (0.0-10.0) to rank security results.
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def render_sarif(report: Mapping[str, Any]) -> str:
    """The SARIF log of the report, as JSON text."""
    run = report.get("run", {})
    rules = list(report.get("rules", []))
    index = {r["id"]: i for i, r in enumerate(rules)}
    since = report.get("since_last")
    new = new_fingerprints(since) if since else set()
    results = [
        _result(f, index, new if since else None)
        for f in report.get("findings", [])
        if f["status"] in ("fail", "error", "waived")
    ]
    if since:
        results += [_absent(f, index) for f in since.get("resolved", [])]
    log = {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dalsnet-audit",
                        "version": str(run.get("tool_version") or "0"),
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "automationDetails": {"id": f"dalsnet-audit/{run.get('id', '')}"},
                "originalUriBaseIds": {
                    "SNAPSHOT": {"description": {"text": str(run.get("snapshot") or "")}}
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "startTimeUtc": _utc(run.get("started")),
                        "endTimeUtc": _utc(run.get("finished")),
                        "exitCode": int(run.get("exit_code") or 0),
                    }
                ],
                "language": str(run.get("lang") or "sv"),
                "results": results,
                "properties": {"taken_at": run.get("taken_at"), "fail_on": run.get("fail_on")},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _utc(value: Any) -> str:
    """SARIF wants `...Z` times."""
    text = str(value or "1970-01-01T00:00:00+00:00")
    return text.replace("+00:00", "Z")


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    severity = str(rule.get("severity") or "medium")
    described: dict[str, Any] = {
        "id": rule["id"],
        "name": str(rule["id"]).replace("-", ""),
        "shortDescription": {"text": str(rule.get("title") or rule["id"])},
        "defaultConfiguration": {"level": _LEVEL.get(severity, "warning")},
        "properties": {
            "tags": [str(rule.get("family") or ""), f"strategy-{rule.get('section') or ''}"],
            "security-severity": _SECURITY_SEVERITY.get(severity, "5.0"),
            "severity": severity,
        },
    }
    if rule.get("rationale"):
        described["fullDescription"] = {"text": str(rule["rationale"]).split("\n\n")[0]}
        described["help"] = {"text": str(rule["rationale"])}
    return described


def _locations(finding: Mapping[str, Any]) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    for source in finding.get("evidence_source") or []:
        if isinstance(source, Mapping) and source.get("file") and source.get("line"):
            places.append(
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": source["file"], "uriBaseId": "SNAPSHOT"},
                        "region": {"startLine": int(source["line"])},
                    }
                }
            )
            break  # the first line of the evidence: where the reader starts
    logical = {
        "name": "network" if finding["device"] == NETWORK_WIDE else str(finding["device"]),
        "kind": "module",
    }
    if places:
        places[0]["logicalLocations"] = [logical]
        return places
    return [{"logicalLocations": [logical]}]


def _result(
    finding: Mapping[str, Any], index: Mapping[str, int], new: set[str] | None
) -> dict[str, Any]:
    severity = str(finding.get("severity") or "medium")
    result: dict[str, Any] = {
        "ruleId": finding["rule"],
        "ruleIndex": index.get(str(finding["rule"]), -1),
        "kind": "fail" if finding["status"] != "error" else "open",
        "level": _LEVEL.get(severity, "warning") if finding["status"] != "error" else "none",
        "message": {"text": str(finding.get("message") or finding["rule"])},
        "locations": _locations(finding),
        "partialFingerprints": {FINGERPRINT_KEY: str(finding.get("fingerprint") or "")},
        "properties": {
            "device": finding["device"],
            "status": finding["status"],
            "severity": severity,
            "expected": finding.get("expected"),
            "actual": finding.get("actual"),
            "evidence": list(finding.get("evidence") or []),
            "first_seen": finding.get("first_seen"),
        },
    }
    if finding.get("remediation"):
        # SARIF's `fixes` are edits of the scanned file; ours are commands for the device.
        result["properties"]["remediation"] = str(finding["remediation"])
    if index.get(str(finding["rule"])) is None:
        del result["ruleIndex"]
    if new is not None and finding["status"] == "fail":
        result["baselineState"] = "new" if finding.get("fingerprint") in new else "unchanged"
    waiver = finding.get("waiver")
    if finding["status"] == "waived" and waiver:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": (
                    f"{waiver.get('justification')} (approved by {waiver.get('approved_by')}, "
                    f"expires {waiver.get('expires')})"
                ),
            }
        ]
    return result


def _absent(row: Mapping[str, Any], index: Mapping[str, int]) -> dict[str, Any]:
    """A failure of the run before that is gone now."""
    result: dict[str, Any] = {
        "ruleId": row["rule"],
        "kind": "pass",
        "level": "none",
        "message": {"text": str(row.get("message") or row["rule"])},
        "locations": [
            {
                "logicalLocations": [
                    {
                        "name": "network" if row["device"] == NETWORK_WIDE else str(row["device"]),
                        "kind": "module",
                    }
                ]
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: str(row.get("fingerprint") or "")},
        "baselineState": "absent",
    }
    if row["rule"] in index:
        result["ruleIndex"] = index[row["rule"]]
    return result
