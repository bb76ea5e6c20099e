"""Standard and governance (3.3, 5.2 common standard; 7.1.3, 7.1.6 roles)."""

from __future__ import annotations

import datetime as dt
import re

from dalsnet_audit.model.device import DeviceSnapshot, Facts
from dalsnet_audit.model.version import VersionError, parse_version
from dalsnet_audit.policy.models import ModelStandard
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule


@rule("STD-004", needs_data=False)
def governance_recorded(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every device has a system owner, an operations responsible and a service agreement.

    The strategy names a systemägare (7.1.6) and a driftansvarig (7.1.3) for every system and
    asks for service agreements for all IT systems (6.4); the inventory is where they are kept.
    A missing field fails even when the device could not be audited.
    """
    missing = [name for name, value in device.host.governance.items() if value is None]
    if missing:
        judge.fail(
            "missing",
            fields=", ".join(missing),
            evidence=[
                f"inventory/hosts.yaml: {device.host.name}.data.{name}: (missing)"
                for name in missing
            ],
            expected=", ".join(device.host.governance),
            actual="missing: " + ", ".join(missing),
            fix={"host": device.host.name, "fields": missing},
        )
    if not device.audited and not missing:
        # The inventory alone says the records are complete, but a device that was not
        # audited gets no `pass` from anything (rules.md: never pass for what was not seen).
        judge.error("not_audited", status=device.status.value, reason=device.error or "")
        return
    judge.pass_if_clean()


_FAMILY = {"IOS": "ios", "IOS-XE": "ios-xe", "ASA": "asa"}


def _facts(device: DeviceSnapshot) -> Facts | None:
    if device.config is not None:
        return device.config.facts
    if device.server is not None:
        return device.server.facts
    return None


def _standard_entry(device: DeviceSnapshot, ctx: RuleContext) -> ModelStandard | None:
    facts = _facts(device)
    if facts is None or not facts.model:
        return None
    entries = ctx.policy.standard.roles.get(device.host.role, ())
    return next((entry for entry in entries if entry.matches(facts.model)), None)


def _facts_line(facts: Facts) -> str:
    """What the device says about itself (derived from `show version` / SNMP / os-release)."""
    return f"{facts.source or 'facts'}: model {facts.model}, {facts.os} {facts.os_version}"


@rule("STD-001")
def approved_model(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The device's model is on the common technical standard's list for its role.

    One technical standard for equipment (3.3, 5.2) keeps spare parts, skills and security
    fixes shared between the five municipalities; a model outside it is one nobody else can
    back up.
    """
    facts = _facts(device)
    if facts is None or not facts.model:
        judge.error("no_model")
        return
    approved = [m for e in ctx.policy.standard.roles.get(device.host.role, ()) for m in e.models]
    if _standard_entry(device, ctx) is None:
        judge.fail(
            "not_approved",
            model=facts.model,
            role=str(device.host.role),
            evidence=[_facts_line(facts)],
            expected=", ".join(approved) or "(no model approved for the role)",
            actual=facts.model,
            fix={"model": facts.model, "role": str(device.host.role), "approved": approved},
        )
        return
    judge.pass_if_clean(model=facts.model)


@rule("STD-002")
def supported_os(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The OS is at or above the standard's minimum for the model, and the model is supported.

    A version below the minimum lacks security fixes the region relies on; a model past its
    end of support gets none at all. Versions compare only within their family and train
    (IOS `15.2(7)E3`, IOS-XE `17.9.4a`, ASA `9.16(4)12`); a version the audit cannot read is
    an error, never a pass. End-of-support dates are in `policies/standard.yaml`.
    """
    facts = _facts(device)
    entry = _standard_entry(device, ctx)
    if facts is None or not facts.model:
        judge.error("no_model")
        return
    if entry is None:
        # Minimum and end of support are set per approved model: STD-001 fails this one.
        judge.not_applicable("no_standard", model=facts.model)
        return
    evidence = [_facts_line(facts)]
    if entry.end_of_support is not None and ctx.as_of.date() > entry.end_of_support:
        judge.fail(
            "end_of_support",
            model=facts.model,
            date=entry.end_of_support.isoformat(),
            evidence=evidence,
            expected=f"supported (end of support {entry.end_of_support})",
            actual=f"past end of support since {entry.end_of_support}",
            fix={
                "case": "end_of_support",
                "model": facts.model,
                "approved": [
                    m
                    for e in ctx.policy.standard.roles.get(device.host.role, ())
                    if e.end_of_support is None or e.end_of_support >= ctx.as_of.date()
                    for m in e.models
                ],
            },
        )
    if entry.min_version is not None:
        family = _FAMILY[entry.os]
        try:
            current = parse_version(family, facts.os_version or "")
            minimum = parse_version(family, entry.min_version)
            below = current < minimum
        except VersionError as exc:
            judge.error("unreadable_version", version=facts.os_version or "-", reason=str(exc))
            return
        if below:
            judge.fail(
                "below_minimum",
                version=str(current),
                minimum=str(minimum),
                evidence=evidence,
                expected=f"{entry.os} {minimum} or later",
                actual=f"{entry.os} {current}",
                fix={"model": facts.model, "os": entry.os, "minimum": str(minimum)},
            )
    judge.pass_if_clean(model=facts.model, version=facts.os_version or "-")


def _naming_match(name: str, ctx: RuleContext) -> re.Match[str] | None:
    naming = ctx.policy.plan.naming
    return re.fullmatch(naming.device, name) or re.fullmatch(naming.core_device, name)


@rule("STD-003")
def hostname_convention(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The hostname follows the convention and agrees with the inventory.

    `<municipality>-<site>-<role><nn>` (core: `dal-core-<role><nn>`) tells a technician at a
    glance where a device stands and what it is; a configuration whose hostname is another
    device's was filed under the wrong name (or the inventory is wrong), and every finding on
    it would be reported against the wrong device.
    """
    host = device.host
    facts = _facts(device)
    configured = device.config.hostname if device.config else facts.hostname if facts else None
    line = device.config.hostname_line if device.config else None
    read_from = (facts.hostname_source or facts.source) if facts else None
    evidence = [line or f"{read_from or 'facts'}: hostname {configured}"]
    if configured is None:
        judge.error("no_hostname")
        return
    short = configured.split(".", 1)[0]
    if short.lower() != host.name.lower():
        judge.fail(
            "other_name",
            configured=configured,
            name=host.name,
            evidence=evidence,
            expected=host.name,
            actual=configured,
            fix={"name": host.name},
        )
    match = _naming_match(host.name, ctx)
    if match is None:
        judge.fail(
            "convention",
            name=host.name,
            evidence=[f"inventory/hosts.yaml: {host.name}"],
            expected=ctx.policy.plan.naming.device,
            actual=host.name,
        )
    else:
        parts = match.groupdict()
        wrong = []
        if parts.get("municipality", "dal") != host.municipality:
            wrong.append(f"municipality {parts.get('municipality', 'dal')} ≠ {host.municipality}")
        site = int(parts["site"]) if parts.get("site") is not None else None
        if site is not None and host.site is not None and site != host.site:
            wrong.append(f"site {site} ≠ {host.site}")
        if parts.get("role") != str(host.role):
            wrong.append(f"role {parts.get('role')} ≠ {host.role!s}")
        if wrong:
            judge.fail(
                "disagrees",
                name=host.name,
                fields="; ".join(wrong),
                evidence=[f"inventory/hosts.yaml: {host.name}: {', '.join(wrong)}"],
                expected="name, municipality, site and role agree",
                actual="; ".join(wrong),
            )
    judge.pass_if_clean(name=host.name)


BACKED_UP_ROLES = ("rtr", "sw", "fw")


@rule("STD-005", scope="network", needs_data=False)
def configuration_backed_up(devices: list[DeviceSnapshot], ctx: RuleContext, judge: Judge) -> None:
    """Every network device has a configuration backup in the archive newer than the limit.

    A device that breaks is rebuilt from its last configuration; a backup older than the
    policy's age (`standard.yaml`, 24 hours) may lack the changes since. The age is read from
    the archive's own times (each run's `taken_at`) and judged as of the audit's time; a
    device audited by a run that archives is backed up by that run.
    """
    limit = dt.timedelta(hours=ctx.policy.standard.config_backup_max_age_hours)
    judged = [
        d for d in devices if str(d.host.role) in BACKED_UP_ROLES and ctx.is_selected(d.host.name)
    ]
    if not judged:
        judge.not_applicable("no_network_devices")
        return
    for device in judged:
        name = device.host.name
        if ctx.archiving and device.audited:
            newest: dt.datetime | None = ctx.as_of
        elif ctx.backups is None:
            judge.error("no_archive", device=name)
            continue
        else:
            newest = ctx.backups.get(name)
        if newest is None:
            judge.fail(
                "no_backup",
                device=name,
                evidence=[f"archive: no configuration of {name}"],
                expected=f"a backup newer than {limit.total_seconds() / 3600:g} h",
                actual="none",
                fix={"host": name},
            )
            continue
        if newest > ctx.as_of:
            judge.error("future", device=name, taken=newest.isoformat())
            continue
        age = ctx.as_of - newest
        hours = f"{age.total_seconds() / 3600:.0f}"
        if age > limit:
            judge.fail(
                "stale",
                device=name,
                taken=newest.isoformat(),
                hours=hours,
                evidence=[f"archive: configs/{name}.cfg taken {newest.isoformat()}"],
                expected=f"newer than {limit.total_seconds() / 3600:g} h",
                actual=f"{hours} h old",
                fix={"host": name},
            )
        elif not device.audited:
            judge.error(
                "not_audited", device=name, status=device.status.value, reason=device.error or ""
            )
        else:
            judge.pass_for(name, hours=hours)
