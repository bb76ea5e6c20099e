"""Antivirus (6.4: "All utrustning som riskerar att smittas av virus skall ha anti-virus skydd").

Evidence comes from every source there is: SNMP HOST-RESOURCES-MIB (installed software and
process table), SSH on Linux (package list, service state, the signature database), and the
antivirus console's export. A server that no source describes is not covered, never compliant;
where sources disagree, the evidence shows each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dalsnet_audit.model.antivirus import ConsoleRow, normalise_hostname
from dalsnet_audit.model.device import DeviceSnapshot, Platform
from dalsnet_audit.model.source import line_at
from dalsnet_audit.policy.models import AntivirusProduct
from dalsnet_audit.rules.ages import days_old
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule

SERVERS = ("srv",)
SERVER_PLATFORMS = (Platform.LINUX, Platform.WINDOWS)
_RUNNING = {"running", "runnable"}


@dataclass
class AntivirusEvidence:
    """What the sources say about one server's antivirus."""

    product: AntivirusProduct | None = None
    installed: list[str] = field(default_factory=list)
    inventory_seen: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    # (ISO date, evidence, the moment where the source gives one)
    dates: list[tuple[str, str, dt.datetime | None]] = field(default_factory=list)
    console_rows: list[ConsoleRow] = field(default_factory=list)


def _matches(name: str, needles: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(needle.lower() in lowered for needle in needles)


def _installed(
    device: DeviceSnapshot, product: AntivirusProduct, rows: list[ConsoleRow], source: str
) -> list[str]:
    server = device.server
    found: list[str] = []
    if server is not None and server.installed_software is not None:
        found += [
            f"SNMP hrSWInstalledName: {name}"
            for name in server.installed_software
            if _matches(name, product.installed)
        ]
    if server is not None and server.packages is not None:
        found += [
            f"{server.package_source}: {package}"
            for package in server.packages
            if _matches(package.split()[0], product.installed)
        ]
    found += [
        line_at(row.line, source, row.line_number)
        for row in rows
        if _matches(row.product, (product.name, *product.installed))
    ]
    return found


def _engine(device: DeviceSnapshot, product: AntivirusProduct, evidence: AntivirusEvidence) -> None:
    server = device.server
    if server is None:
        return
    if server.processes is not None:
        names = {name.lower() for name in product.processes}
        engines = [p for p in server.processes if p.name.lower() in names]
        for process in engines:
            target = evidence.running if process.state in _RUNNING else evidence.stopped
            target.append(f"{process.source}: {process.name} ({process.state})")
        if not engines:
            evidence.stopped.append(
                f"SNMP hrSWRunTable: no {' / '.join(product.processes)} "
                f"among {len(server.processes)} processes"
            )
    for service in server.services:
        if service.state != "unknown" and _matches(
            service.name, product.installed + product.processes
        ):
            target = evidence.running if service.state == "active" else evidence.stopped
            target.append(f"{service.source}: {service.state}")


def antivirus_evidence(device: DeviceSnapshot, ctx: RuleContext) -> AntivirusEvidence:
    """Collect every source's word on the server's antivirus (no verdict here)."""
    evidence = AntivirusEvidence()
    server = device.server
    console = ctx.antivirus_console
    source = console.label if console is not None else "console"
    if console is not None:
        evidence.console_rows = console.rows_for(device.host.name)
    if server is not None and server.installed_software is not None:
        evidence.inventory_seen.append(
            f"SNMP hrSWInstalledName ({len(server.installed_software)} entries)"
        )
    if server is not None and server.packages is not None:
        evidence.inventory_seen.append(f"{server.package_source} ({len(server.packages)} packages)")
    if evidence.console_rows:
        evidence.inventory_seen.append(source)
    for product in ctx.policy.antivirus.products:
        found = _installed(device, product, evidence.console_rows, source)
        if found:
            evidence.product, evidence.installed = product, found
            break
    if evidence.product is None:
        return evidence
    _engine(device, evidence.product, evidence)
    for signature in server.signatures if server is not None else ():
        evidence.dates.append(
            (
                signature.built.isoformat(),
                f"{signature.source}: {signature.line}",
                signature.built_at,
            )
        )
    for row in evidence.console_rows:
        if row.signature_date is not None:
            evidence.dates.append(
                (
                    row.signature_date.isoformat(),
                    line_at(row.line, source, row.line_number),
                    None,
                )
            )
    return evidence


@rule("AV-001", roles=SERVERS, platforms=SERVER_PLATFORMS)
def antivirus_installed(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every server has an approved antivirus product installed.

    Any source may show it: the software SNMP lists, the Linux package database, or the
    antivirus console's own list of agents. No source at all is not coverage.
    """
    evidence = antivirus_evidence(device, ctx)
    approved = ", ".join(p.name for p in ctx.policy.antivirus.products)
    if evidence.product is not None:
        judge.pass_if_clean("installed", product=evidence.product.name)
        return
    if not evidence.inventory_seen:
        judge.fail(
            "no_evidence",
            evidence=["no installed-software table (SNMP), package list (SSH) or console row"],
            expected=f"one of {approved}",
            actual="not covered: no source describes the server's software",
            fix={"platform": device.host.platform.value},
        )
        return
    judge.fail(
        "not_installed",
        sources=", ".join(evidence.inventory_seen),
        evidence=[f"searched: {source}" for source in evidence.inventory_seen],
        expected=f"one of {approved}",
        actual="none installed",
        fix={"platform": device.host.platform.value},
    )


@rule("AV-002", roles=SERVERS, platforms=SERVER_PLATFORMS)
def antivirus_running(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The antivirus engine is running, not just installed.

    An installed engine that is stopped scans nothing; the process table and the service
    manager are asked, and both answers are shown when they disagree.
    """
    evidence = antivirus_evidence(device, ctx)
    if evidence.product is None:
        judge.not_applicable("no_product")
        return
    processes = ", ".join(evidence.product.processes)
    if evidence.running:
        judge.pass_if_clean(
            "running", product=evidence.product.name, evidence_count=len(evidence.running)
        )
        return
    if evidence.stopped:
        judge.fail(
            "stopped",
            product=evidence.product.name,
            evidence=evidence.stopped,
            expected=f"{processes} running",
            actual="; ".join(evidence.stopped),
            fix={"product": evidence.product.name, "platform": device.host.platform.value},
        )
        return
    judge.error("state_unknown", product=evidence.product.name)


@rule("AV-003", roles=SERVERS, platforms=SERVER_PLATFORMS)
def signatures_fresh(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Antivirus signatures are at most the policy's limit old (3 days), and their age is known.

    Ages are measured against the moment the data describes (the snapshot's `taken_at`), so an
    archived night is judged as it was. The newest date any source gives counts; all are shown.
    A date after that moment proves nothing (the clock or the export is wrong): not decided.
    """
    evidence = antivirus_evidence(device, ctx)
    if evidence.product is None:
        judge.not_applicable("no_product")
        return
    limit = ctx.policy.antivirus.max_signature_age_days
    if not evidence.dates:
        judge.fail(
            "age_unknown",
            product=evidence.product.name,
            evidence=["no signature date from SSH (sigtool) or the console export"],
            expected=f"signatures at most {limit} days old",
            actual="age unknown",
            fix={"product": evidence.product.name, "platform": device.host.platform.value},
        )
        return
    future = [
        line
        for date, line, moment in evidence.dates
        if (
            moment > ctx.as_of
            if moment is not None
            else dt.date.fromisoformat(date) > ctx.as_of.date()
        )
    ]
    if future:
        judge.error(
            "future_date",
            product=evidence.product.name,
            as_of=ctx.as_of.date().isoformat(),
            evidence=future,
        )
        return
    newest = max(date for date, _, _ in evidence.dates)
    age = days_old(dt.date.fromisoformat(newest), ctx.as_of)
    if age > limit:
        judge.fail(
            "stale",
            product=evidence.product.name,
            date=newest,
            age=age,
            limit=limit,
            evidence=[line for _, line, _ in evidence.dates],
            expected=f"at most {limit} days old on {ctx.as_of.date().isoformat()}",
            actual=f"{newest} ({age} days)",
            fix={"product": evidence.product.name, "platform": device.host.platform.value},
        )
        return
    judge.pass_if_clean("fresh", date=newest, age=age)


@rule("AV-004", scope="network", roles=SERVERS)
def console_coverage(devices: list[DeviceSnapshot], ctx: RuleContext, judge: Judge) -> None:
    """The antivirus console and the inventory know the same servers (coverage drift).

    A server missing from the console has no managed protection; a host the console knows but
    the inventory does not is a machine nobody audits (or a stale console entry).
    """
    servers = {
        d.host.name for d in devices if d.host.role == "srv" and ctx.is_selected(d.host.name)
    }
    if not servers:
        judge.not_applicable("no_servers")
        return
    console = ctx.antivirus_console
    if console is None:
        judge.error("no_console")
        return
    known = set(ctx.inventory_names) | {d.host.name for d in devices}
    for name in sorted(servers):
        if not console.rows_for(name):
            judge.fail(
                "not_in_console",
                device=name,
                host=name,
                evidence=[f"{console.label}: no row for {name}"],
                expected="the server listed in the antivirus console",
                actual="missing from the console export",
                fix={"host": name, "direction": "console"},
            )
    for row in console.rows:
        if row.key not in known:
            judge.fail(
                "not_in_inventory",
                host=row.hostname,
                evidence=[line_at(row.line, console.label, row.line_number)],
                expected="every console host in the inventory",
                actual=f"{row.hostname} unknown to the inventory",
                fix={"host": normalise_hostname(row.hostname), "direction": "inventory"},
            )
    for number, problem in console.problems:
        judge.error(
            "bad_row",
            line=number,
            problem=problem,
            evidence=[f"{console.label} line {number}: {problem}"],
        )
    judge.pass_if_clean(servers=len(servers), rows=len(console.rows))
