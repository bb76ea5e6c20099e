"""Turn an audit's findings into the report dict of `interfaces.md` (localised, masked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, TemplatesNotFound
from netaddr import IPNetwork

from dalsnet_audit import __version__
from dalsnet_audit.masking import MASK, clean_line, mask_line, neutralise
from dalsnet_audit.model.device import SCHEMA_VERSION
from dalsnet_audit.model.enums import Severity
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding, Status, WaiverUse
from dalsnet_audit.model.fingerprint import evidence_digest, fingerprint
from dalsnet_audit.model.result import AuditResult, Tally
from dalsnet_audit.model.source import source_of
from dalsnet_audit.policy.models import Policy
from dalsnet_audit.report.i18n import SUPPORTED_LANGUAGES, Catalogue
from dalsnet_audit.report.plan import device_plan
from dalsnet_audit.report.rows import FindingRows
from dalsnet_audit.report.values import ValueCatalogue
from dalsnet_audit.resources import templates_dir as default_templates_dir

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
    as_of: dt.datetime | None = None  # the moment the data describes (waiver dates)
    taken_at: dt.datetime | None = None  # when the data was collected (a snapshot's taken_at)
    filters: tuple[str, ...] = ()  # --filter: a narrowed run judged only part of the inventory


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


ADVICE_DIR = "common/"


def configuration_fix(finding: Finding, templates_dir: Path) -> bool:
    """Whether the finding's fix is configuration for its device (its platform's template).

    A `common/` template is advice (replace a model, fill in the inventory): it is shown with
    its finding but is no text to paste into the device, nor part of its merged plan.
    """
    if finding.remediation is None:
        return False
    try:
        template = remediation_environment(templates_dir).select_template(
            list(finding.remediation[0])
        )
    except TemplatesNotFound:
        return False
    return not str(template.name).startswith(ADVICE_DIR)


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
    lines = [mask_line(neutralise(line), placeholders=True) for line in text.strip().splitlines()]
    if any(MASK in line for line in lines):
        # The report never holds the secret: say which line of the device holds it.
        places = [
            f"{place[0]}:{place[1]}"
            for line in finding.evidence
            if MASK in line and (place := source_of(line, finding.device))
        ]
        if places:
            lines.append(f"! {MASK} stands for the secret on {', '.join(places)}")
    return "\n".join(lines) + "\n"


def _source(line: str, host: str) -> dict[str, Any] | None:
    """Where an evidence line is in the snapshot; None when it is derived, not a device line."""
    place = source_of(line, host)
    return None if place is None else {"file": place[0], "line": place[1]}


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


def _values(finding: Finding, values: ValueCatalogue) -> dict[str, Any]:
    """`expected` and `actual` in the report's language.

    The English as the rule wrote it goes beside them (`expected_en`, `actual_en`) where that
    differs, for `report --lang`.
    """
    written = {
        "expected": neutralise(finding.expected, keep_newlines=False) if finding.expected else None,
        "actual": _optional(finding.actual),
    }
    row: dict[str, Any] = {}
    for key, text in written.items():
        row[key] = values.translate(text)
        if row[key] != text:
            row[f"{key}_en"] = text
    return row


def _fix(text: str | None, values: ValueCatalogue) -> dict[str, Any]:
    """The fix with its comments in the report's language; as rendered in `remediation_en`."""
    shown = values.comments(text)
    return {"remediation": shown} | ({"remediation_en": text} if shown != text else {})


def _plan(text: str | None, values: ValueCatalogue) -> dict[str, Any]:
    """A device's merged fix, its comments in the report's language (`remediation_plan_en`)."""
    shown = values.comments(text)
    return {"remediation_plan": shown} | ({"remediation_plan_en": text} if shown != text else {})


def _rationales(spec: RuleDescription, catalogues: Sequence[Catalogue]) -> dict[str, str]:
    """Why the rule exists, in every language with a text (English: the rule's docstring)."""
    texts = {"en": spec.rationale}
    key = f"rationale.{spec.id}"
    for catalogue in catalogues:
        if catalogue.lang != "en" and catalogue.has(key):
            texts[catalogue.lang] = catalogue.t(key).strip()
    return texts


def _waiver_row(use: WaiverUse) -> dict[str, Any]:
    return {
        "index": use.index,
        "key": use.key,
        "state": use.state,
        "covers": use.covers,
        "justification": clean_line(use.justification),
        "approved_by": clean_line(use.approved_by),
        "expires": use.expires,
        "approved_digest": use.approved_digest,
    }


EXPIRING_DAYS = 14


def waiver_summary(policy: Policy, findings: Sequence[Finding], today: dt.date) -> dict[str, Any]:
    """Waivers that matched nothing (`unused`) and those expiring within 14 days, by approver."""
    used = {f.waiver.index for f in findings if f.waiver is not None}

    def row(index: int) -> dict[str, Any]:
        waiver = policy.waivers.waivers[index]
        return {
            "index": index,
            "rule": waiver.rule,
            "covers": waiver.covers,
            "justification": clean_line(waiver.justification),
            "approved_by": clean_line(waiver.approved_by),
            "expires": waiver.expires.isoformat(),
        }

    waivers = policy.waivers.waivers
    return {
        "unused": [row(i) for i in range(len(waivers)) if i not in used],
        "expiring": [
            row(i) for i, w in enumerate(waivers) if 0 <= (w.expires - today).days <= EXPIRING_DAYS
        ],
        "expired": [row(i) for i, w in enumerate(waivers) if w.expires < today],
    }


def _portable(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON keeps them (addresses and the like as their text)."""
    return {
        key: value if value is None or isinstance(value, str | int | float | bool) else str(value)
        for key, value in params.items()
    }


def relocalise(report: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """A recorded report with its messages and rule titles in the catalogue's language."""
    lang = catalogue.lang
    since = report.get("since_last") or {}
    rows = [
        *report["findings"],
        *(row for key in ("new", "resolved", "waivers_added", "waivers_removed")
          for row in since.get(key, [])),
        *(row for gone in since.get("unreachable", []) for row in gone.get("failures", [])),
    ]  # fmt: skip
    for finding in rows:
        if finding.get("message_key"):
            finding["message"] = localise(
                catalogue, finding["message_key"], finding.get("message_params") or {}
            )
    for rule in report.get("rules", []):
        if lang in (rule.get("titles") or {}):
            rule["title"] = rule["titles"][lang]
        if rule.get("rationales"):
            rule["rationale"] = rule["rationales"].get(lang, rule["rationales"].get("en"))
    values = ValueCatalogue.load(catalogue.templates_dir or default_templates_dir(), lang)
    for finding in report["findings"]:
        for key in ("expected", "actual"):
            written = finding.pop(f"{key}_en", finding.get(key))
            finding[key] = values.translate(written)
            if finding[key] != written:
                finding[f"{key}_en"] = written
        finding.update(_fix(finding.pop("remediation_en", finding.get("remediation")), values))
    for device in report.get("devices", []):
        device.update(
            _plan(device.pop("remediation_plan_en", device.get("remediation_plan")), values)
        )
    for municipality in report.get("municipalities", []):
        municipality["name"] = (municipality.get("names") or {}).get(lang, municipality["name"])
    _relocalise_sections(report, catalogue)
    report["run"]["lang"] = lang
    return report


def _relocalise_sections(report: dict[str, Any], catalogue: Catalogue) -> None:
    """The antivirus reasons and the strategy's goals in the catalogue's language."""
    lang = catalogue.lang
    antivirus = report.get("antivirus") or {}
    for server in antivirus.get("uncovered", []):
        if server.get("reason_messages"):
            server["reasons"] = [
                f"{m['rule']}: {localise(catalogue, m['key'], m['params'])}"
                for m in server["reason_messages"]
            ]
    if antivirus.get("console_drift_messages"):
        antivirus["console_drift"] = [
            localise(catalogue, m["key"], m["params"]) for m in antivirus["console_drift_messages"]
        ]
    for goal in (report.get("goals") or {}).get("goals", []):
        if goal.get("texts"):
            goal["text"] = goal["texts"].get(lang, goal["text"])
        if goal.get("uncheckeds"):
            goal["unchecked"] = goal["uncheckeds"].get(lang, goal["unchecked"])


def localise(catalogue: Catalogue, key: str, params: Mapping[str, Any]) -> str:
    """The message of `key` (`IP-001.outside_plan`) in the catalogue's language.

    Keys missing under the rule fall back to `findings.common.<key>`. A parameter that is a
    value the rule wrote in English (`all VLANs allowed`) is put in the same language
    (`report.values`).
    """
    full = f"findings.{key}"
    if not catalogue.has(full):
        full = f"findings.common.{key.rsplit('.', 1)[-1]}"
    values = ValueCatalogue.load(catalogue.templates_dir or default_templates_dir(), catalogue.lang)
    shown = {k: values.translate(v) if isinstance(v, str) else v for k, v in params.items()}
    status = params.get("status")
    if isinstance(status, str) and catalogue.has(f"ui.device_status.{status}"):
        shown["status"] = catalogue.t(f"ui.device_status.{status}")  # why a device is unseen
    return catalogue.t(full, **shown)


def _counts(tally: Tally) -> dict[str, Any]:
    counts: dict[str, Any] = {status.value: tally.counts[status] for status in Status}
    counts["score"] = tally.score
    counts["open"] = {severity.value: n for severity, n in tally.open.items()}
    counts["grade"] = tally.grade
    return counts


def _antivirus(result: AuditResult, catalogue: Catalogue) -> dict[str, Any]:
    """The coverage the engine computed, its reasons in the report's language."""
    coverage = result.antivirus

    def message(finding: Finding) -> str:
        return localise(catalogue, finding.message.key, _masked(finding.message.params))

    def portable(finding: Finding) -> dict[str, Any]:
        """The message language-free, for `report --lang` (`relocalise`)."""
        return {
            "rule": finding.rule,
            "key": finding.message.key,
            "params": _portable(_masked(finding.message.params)),
        }

    return {
        "by_municipality": {
            short: {
                "servers": row.servers,
                "covered": row.covered,
                "stale": row.stale,
                "stopped": row.stopped,
            }
            for short, row in coverage.by_municipality.items()
        },
        "uncovered": [
            {
                "name": item.device.host.name,
                "municipality": item.device.host.municipality,
                "reasons": [f"{f.rule}: {message(f)}" for f in item.findings]
                or [_optional(item.device.error) or "no verdict"],
                "reason_messages": [portable(f) for f in item.findings],
            }
            for item in coverage.uncovered
        ],
        "console_drift": [message(f) for f in coverage.console_drift],
        "console_drift_messages": [portable(f) for f in coverage.console_drift],
    }


@dataclass(frozen=True)
class RowMaker:
    """Makes a finding's report row: its texts in the report's language, secrets masked."""

    catalogue: Catalogue
    values: ValueCatalogue
    templates_dir: Path
    severity: Mapping[str, Severity]
    run_id: str
    run_date: str

    @classmethod
    def of(
        cls,
        run_id: str,
        started: dt.datetime,
        policy: Policy,
        catalogue: Catalogue,
        templates_dir: Path,
    ) -> RowMaker:
        """The row maker of one run."""
        return cls(
            catalogue,
            ValueCatalogue.load(templates_dir, catalogue.lang),
            templates_dir,
            {rule: Severity(s.severity) for rule, s in policy.rules.rules.items()},
            run_id,
            started.date().isoformat(),
        )

    def __call__(self, finding: Finding) -> dict[str, Any]:
        """The report row of `finding`."""
        return {
            "rule": finding.rule,
            "device": finding.device,
            "status": finding.status.value,
            "severity": self.severity[finding.rule].value,
            "family": finding.family,
            "message": localise(
                self.catalogue, finding.message.key, _masked(finding.message.params)
            ),
            # What the message says, language-free: `report` re-renders in another language.
            "message_key": finding.message.key,
            "message_params": _portable(_masked(finding.message.params)),
            "evidence": [clean_line(line) for line in finding.evidence],
            "evidence_source": [_source(line, finding.device) for line in finding.evidence],
            **_values(finding, self.values),
            **_fix(render_remediation(finding, self.templates_dir), self.values),
            "fingerprint": fingerprint(finding),
            "evidence_digest": evidence_digest(finding),
            "waiver": _waiver_row(finding.waiver) if finding.waiver else None,
            # This run, until the history store knows an earlier one (history.annotate).
            "first_seen": {"run": self.run_id, "date": self.run_date},
        }


def build_report(
    run: RunInfo,
    result: AuditResult,
    rules: Sequence[RuleDescription],
    policy: Policy,
    catalogue: Catalogue,
    templates_dir: Path,
    rows: FindingRows | None = None,
) -> dict[str, Any]:
    """The report dict every renderer reads (schema of `interfaces.md`, extended).

    It renders the engine's result: texts in the catalogue's language, secrets masked; every
    count, score and the exit code come from `result` as they are. `rows`: the rows of the
    findings made while the audit ran (a large audit spools them, `report.rows`); the rows it
    holds back are made here, from `result`'s findings in the same order.
    """
    settings = policy.rules.rules
    lang = catalogue.lang
    values = ValueCatalogue.load(templates_dir, lang)
    make_row = RowMaker.of(run.id, run.started, policy, catalogue, templates_dir)
    finding_rows: list[dict[str, Any]] | FindingRows
    finding_rows = [make_row(finding) for finding in result.findings] if rows is None else rows
    # Each device's fixes merged into one plan (English; its comments translated below).
    fixes: dict[str, list[str]] = {}
    for finding in result.findings:
        if finding.status is not Status.FAIL:
            continue
        text = render_remediation(finding, templates_dir)
        if text and configuration_fix(finding, templates_dir):
            fixes.setdefault(finding.device, []).append(text)
    device_rows: list[dict[str, Any]] = [
        {
            "name": d.host.name,
            "municipality": d.host.municipality,
            "site": d.host.site if d.host.site is not None else "core",
            "role": d.host.role,
            "platform": d.host.platform.value,
            "status": d.status.value,
            "error": _optional(d.error),
            **_plan(device_plan(fixes.get(d.host.name, ())), values),
        }
        for d in result.devices
    ]
    plan = policy.plan
    municipalities = [
        {
            "short": m.short,
            "name": m.name_in(lang),
            "names": {other: m.name_in(other) for other in SUPPORTED_LANGUAGES},
            "code": m.code,
        }
        for m in (*plan.municipalities, plan.core)
    ]
    by_municipality: dict[str, Any] = {}
    for short, entry in result.by_municipality.items():
        counts = _counts(entry.tally)
        counts["devices"] = entry.devices
        counts["audited"] = entry.audited
        by_municipality[short] = counts
    catalogues = [Catalogue.load(templates_dir, other) for other in SUPPORTED_LANGUAGES]
    rationales = {spec.id: _rationales(spec, catalogues) for spec in rules}
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
            "taken_at": (run.taken_at or run.started).isoformat(),
            "lang": lang,
            "fail_on": run.fail_on,
            "filters": list(run.filters),
        },
        "municipalities": municipalities,
        "rules": [
            {
                "id": spec.id,
                "family": spec.family,
                "severity": settings[spec.id].severity,
                "section": settings[spec.id].section,
                "title": getattr(settings[spec.id].title, lang),
                "titles": settings[spec.id].title.model_dump(),
                "rationale": rationales[spec.id].get(lang, spec.rationale),
                "rationales": rationales[spec.id],
                "references": settings[spec.id].references.model_dump(
                    mode="json", exclude_none=True
                ),
            }
            for spec in rules
        ],
        "devices": device_rows,
        "findings": finding_rows,
        "summary": {
            "by_status": {s.value: c for s, c in result.overall.counts.items()},
            "by_municipality": by_municipality,
            "by_family": {fam: _counts(tally) for fam, tally in result.by_family.items()},
            "score": result.overall.score or 0.0,
            "open": {severity.value: n for severity, n in result.overall.open.items()},
            "grade": result.overall.grade,
        },
    }
    report["waivers"] = waiver_summary(policy, result.findings, (run.as_of or run.started).date())
    report["firewalls"] = [
        {"device": device, **_clean_tree(grid)} for device, grid in result.firewall_grids.items()
    ]
    report["antivirus"] = _antivirus(result, catalogue)
    report["goals"] = _goals(result, policy, lang)
    report["run"]["exit_code"] = result.exit_code
    return report


def _goals(result: AuditResult, policy: Policy, lang: str) -> dict[str, Any]:
    """The strategy's goals: quoted, translated, their rules and how they came out."""
    by_id = {goal.goal: goal for goal in result.goals}
    rows = []
    for goal in policy.goals.goals:
        outcome = by_id[goal.id]
        rows.append(
            {
                "id": goal.id,
                "section": goal.section,
                "quote": goal.sv,
                "text": goal.sv if lang == "sv" else goal.en,
                "texts": {"sv": goal.sv, "en": goal.en},  # for `report --lang`
                "rules": list(goal.rules),
                "checked": outcome.checked,
                "unchecked": getattr(goal.unchecked, lang) if goal.unchecked else None,
                "uncheckeds": goal.unchecked.model_dump() if goal.unchecked else None,
                "counts": _counts(outcome.overall) if outcome.checked else None,
                "score": outcome.overall.score,
                "by_municipality": {
                    short: tally.score for short, tally in outcome.by_municipality.items()
                },
            }
        )
    return {
        "checked": sum(1 for row in rows if row["checked"]),
        "total": len(rows),
        "goals": rows,
    }


__all__ = ["NETWORK_WIDE", "RunInfo", "build_report", "render_remediation"]
