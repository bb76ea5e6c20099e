"""Turn an audit's findings into the report dict of `interfaces.md` (localised, masked)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, TemplatesNotFound
from netaddr import IPNetwork

from dalsnet_audit import __version__
from dalsnet_audit.masking import clean_line, mask_line, neutralise
from dalsnet_audit.model.device import SCHEMA_VERSION, DeviceSnapshot
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding, Status
from dalsnet_audit.policy.models import SEVERITY_ORDER, Policy
from dalsnet_audit.report.i18n import Catalogue

STATUSES = [status.value for status in Status]


class RuleDescription(Protocol):
    """What a report says about a rule of the catalogue (the engine's rules answer it)."""

    @property
    def id(self) -> str:
        """The catalogue id."""
        ...

    @property
    def family(self) -> str:
        """The id's prefix."""
        ...

    @property
    def rationale(self) -> str:
        """Why the rule exists (its docstring)."""
        ...


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What identifies a run."""

    id: str
    started: dt.datetime
    finished: dt.datetime
    inventory: str
    mode: str
    snapshot: str | None
    fail_on: str


def _netmask(value: str) -> str:
    return str(IPNetwork(value).netmask)


def _network(value: str) -> str:
    return str(IPNetwork(value).network)


def _first_usable(value: str) -> str:
    return str(IPNetwork(value).network + 1)


def _acl_source(value: str) -> str:
    net = IPNetwork(value)
    return f"host {net.ip}" if net.prefixlen == 32 else f"{net.network} {net.hostmask}"


@cache
def remediation_environment(templates_dir: Path) -> Environment:
    """The Jinja2 environment of `templates/remediation/` (config text: no autoescape)."""
    env = Environment(
        loader=FileSystemLoader(templates_dir / "remediation"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        netmask=_netmask,
        network=_network,
        first_usable=_first_usable,
        acl_source=_acl_source,
        mask=mask_line,
    )
    return env


def render_remediation(finding: Finding, templates_dir: Path) -> str | None:
    """The fix of a finding, rendered from its rule's template and masked."""
    if finding.remediation is None:
        return None
    names, variables = finding.remediation
    environment = remediation_environment(templates_dir)
    try:
        template = environment.select_template(list(names))
    except TemplatesNotFound:
        return None  # no fix in this platform's syntax: none rather than another's
    text = template.render(**variables)
    lines = text.strip().splitlines()
    return "\n".join(mask_line(neutralise(line), placeholders=True) for line in lines) + "\n"


def _masked(params: Mapping[str, Any]) -> dict[str, Any]:
    """Message parameters cleaned (`clean_line`): a parameter may quote device output."""
    return {
        key: clean_line(value) if isinstance(value, str) else value for key, value in params.items()
    }


def _clean_tree(value: Any) -> Any:
    """Every string inside nested dicts and lists cleaned (`clean_line`)."""
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, Mapping):
        return {key: _clean_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_tree(item) for item in value]
    return value


def _optional(text: str | None) -> str | None:
    return clean_line(text) if text else text


def localise(catalogue: Catalogue, key: str, params: Mapping[str, Any]) -> str:
    """The message of `key` (`IP-001.outside_plan`) in the catalogue's language.

    Keys missing under the rule fall back to `findings.common.<key>`.
    """
    full = f"findings.{key}"
    if not catalogue.has(full):
        full = f"findings.common.{key.rsplit('.', 1)[-1]}"
    return catalogue.t(full, **params)


def _score(counts: Mapping[str, int]) -> float | None:
    judged = sum(counts.get(s, 0) for s in ("pass", "fail", "error", "waived"))
    if judged == 0:
        return None
    return round((counts.get("pass", 0) + counts.get("waived", 0)) / judged, 4)


def _counts(findings: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    counter = Counter(f["status"] for f in findings)
    counts: dict[str, Any] = {status: counter.get(status, 0) for status in STATUSES}
    counts["score"] = _score(counts)
    return counts


COVERAGE_RULES = ("AV-001", "AV-002", "AV-003")


def antivirus_coverage(
    device_rows: list[dict[str, Any]], finding_rows: list[dict[str, Any]], shorts: list[str]
) -> dict[str, Any]:
    """Per municipality: servers, covered, stale, stopped; the uncovered servers and why.

    A server is covered when AV-001..AV-003 all pass (or are waived): this adds up verdicts,
    it makes none. No verdict at all (rules switched off) is not coverage.
    """
    verdicts: dict[str, dict[str, str]] = {}
    reasons: dict[str, list[str]] = {}
    for finding in finding_rows:
        if finding["rule"] in COVERAGE_RULES:
            verdicts.setdefault(finding["device"], {})[finding["rule"]] = finding["status"]
            if finding["status"] in ("fail", "error"):
                reasons.setdefault(finding["device"], []).append(
                    f"{finding['rule']}: {finding['message']}"
                )
    rows = {short: {"servers": 0, "covered": 0, "stale": 0, "stopped": 0} for short in shorts}
    uncovered = []
    for device in device_rows:
        if device["role"] != "srv":
            continue
        mine = verdicts.get(device["name"], {})
        row = rows.setdefault(
            device["municipality"], {"servers": 0, "covered": 0, "stale": 0, "stopped": 0}
        )
        row["servers"] += 1
        if all(mine.get(rule) in ("pass", "waived") for rule in COVERAGE_RULES):
            row["covered"] += 1
        else:
            uncovered.append(
                {
                    "name": device["name"],
                    "municipality": device["municipality"],
                    "reasons": reasons.get(device["name"]) or [device.get("error") or "no verdict"],
                }
            )
        row["stale"] += mine.get("AV-003") == "fail"
        row["stopped"] += mine.get("AV-002") == "fail"
    drift = [
        f["message"]
        for f in finding_rows
        if f["rule"] == "AV-004"
        and f["status"] in ("fail", "error")
        and f["device"] == NETWORK_WIDE
    ]
    return {"by_municipality": rows, "uncovered": uncovered, "console_drift": drift}


def exit_code(report: Mapping[str, Any], fail_on: str) -> int:
    """0 compliant; 1 a failure at or above `fail_on`; 3 something was not audited or decided."""
    threshold = SEVERITY_ORDER[fail_on]
    if any(
        f["status"] == "fail" and SEVERITY_ORDER[f["severity"]] >= threshold
        for f in report["findings"]
    ):
        return 1
    if any(d["status"] != "audited" for d in report["devices"]) or any(
        f["status"] == "error" for f in report["findings"]
    ):
        return 3
    return 0


def build_report(
    run: RunInfo,
    devices: list[DeviceSnapshot],
    findings: list[Finding],
    rules: Sequence[RuleDescription],
    policy: Policy,
    catalogue: Catalogue,
    templates_dir: Path,
) -> dict[str, Any]:
    """The report dict every renderer reads (schema of `interfaces.md`, extended)."""
    settings = policy.rules.rules
    lang = catalogue.lang
    municipality_of = {d.host.name: d.host.municipality for d in devices}
    finding_rows: list[dict[str, Any]] = []
    for finding in findings:
        setting = settings[finding.rule]
        finding_rows.append(
            {
                "rule": finding.rule,
                "device": finding.device,
                "status": finding.status.value,
                "severity": setting.severity,
                "family": finding.rule.split("-", 1)[0],
                "message": localise(
                    catalogue, finding.message.key, _masked(finding.message.params)
                ),
                "evidence": [clean_line(line) for line in finding.evidence],
                "expected": neutralise(finding.expected, keep_newlines=False)
                if finding.expected
                else None,
                "actual": _optional(finding.actual),
                "remediation": render_remediation(finding, templates_dir),
            }
        )
    device_rows: list[dict[str, Any]] = [
        {
            "name": d.host.name,
            "municipality": d.host.municipality,
            "site": d.host.site if d.host.site is not None else "core",
            "role": d.host.role,
            "platform": d.host.platform.value,
            "status": d.status.value,
            "error": _optional(d.error),
        }
        for d in devices
    ]
    plan = policy.plan
    municipalities = [
        {"short": m.short, "name": m.name, "code": m.code} for m in plan.municipalities
    ]
    municipalities.append(
        {"short": plan.core.short, "name": plan.core.name, "code": plan.core.code}
    )
    by_municipality: dict[str, Any] = {}
    for entry in municipalities:
        short = str(entry["short"])
        rows = [f for f in finding_rows if municipality_of.get(f["device"]) == short]
        counts = _counts(rows)
        members = [d for d in device_rows if d["municipality"] == short]
        counts["devices"] = len(members)
        counts["audited"] = sum(1 for d in members if d["status"] == "audited")
        by_municipality[str(short)] = counts
    families = sorted({spec.family for spec in rules})
    report: dict[str, Any] = {
        "run": {
            "id": run.id,
            "started": run.started.isoformat(),
            "finished": run.finished.isoformat(),
            "tool_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "inventory": run.inventory,
            "policies_digest": policy.digest,
            "mode": run.mode,
            "snapshot": run.snapshot,
            "lang": lang,
            "fail_on": run.fail_on,
        },
        "municipalities": municipalities,
        "rules": [
            {
                "id": spec.id,
                "family": spec.family,
                "severity": settings[spec.id].severity,
                "section": settings[spec.id].section,
                "title": getattr(settings[spec.id].title, lang),
                "rationale": spec.rationale,
            }
            for spec in rules
        ],
        "devices": device_rows,
        "findings": finding_rows,
        "summary": {
            "by_status": {s: c for s, c in _counts(finding_rows).items() if s != "score"},
            "by_municipality": by_municipality,
            "by_family": {
                fam: _counts([f for f in finding_rows if f["family"] == fam]) for fam in families
            },
            "score": _score(Counter(f["status"] for f in finding_rows)) or 0.0,
        },
    }
    grids: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.rule == "SEG-006" and finding.details and finding.device not in grids:
            grids[finding.device] = {"device": finding.device, **_clean_tree(finding.details)}
    report["firewalls"] = list(grids.values())
    report["antivirus"] = antivirus_coverage(
        device_rows, finding_rows, [str(m["short"]) for m in municipalities]
    )
    report["run"]["exit_code"] = exit_code(report, run.fail_on)
    return report


__all__ = ["NETWORK_WIDE", "RunInfo", "build_report", "exit_code", "render_remediation"]
