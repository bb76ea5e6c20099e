"""The ruleset between the logical networks, checked flow by flow on each firewall.

6.4: "Kommunikation mellan de logiska näten skall tillåtas enligt ett regelverk som skyddar
näten".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netaddr import IPAddress

from dalsnet_audit.flow import FlowDecision, decide
from dalsnet_audit.model.device import DeviceConfig, DeviceSnapshot, Platform
from dalsnet_audit.policy.models import Role, ZoneFlow
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule

# Flows the firewall is asked about for every pair of zones: management, web, file sharing,
# remote desktop, name service, time, telephony signalling and media, ping.
PROBES: tuple[tuple[str, int | None], ...] = (
    ("tcp", 22),
    ("tcp", 80),
    ("tcp", 443),
    ("tcp", 445),
    ("tcp", 3389),
    ("udp", 53),
    ("udp", 123),
    ("udp", 5060),
    ("udp", 20000),
    ("icmp", None),
)
SHARED = "shared"
_ANY_ANY = re.compile(r"\bpermit\s+ip\s+any4?\s+any4?\b")


@dataclass(frozen=True, slots=True)
class _Probe:
    protocol: str
    port: int | None

    @property
    def label(self) -> str:
        return self.protocol if self.port is None else f"{self.protocol}/{self.port}"


def _allowed(flow: ZoneFlow | None, probe: _Probe, ctx: RuleContext) -> bool:
    if flow is None:
        return False
    if flow.services == "any":
        return True
    for name in flow.services:
        for spec in ctx.policy.zones.services[name]:
            if spec.proto != probe.protocol or probe.port is None:
                continue
            low, _, high = spec.ports.partition("-")
            if int(low) <= probe.port <= int(high or low):
                return True
    return False


def _zone_hosts(config: DeviceConfig, ctx: RuleContext) -> dict[str, IPAddress]:
    """A representative host address (.10) of each zone the firewall has an interface in."""
    hosts: dict[str, IPAddress] = {}
    for intf in config.interfaces:
        for address in intf.addresses:
            zone = ctx.plan.zone_of(address.ip)
            if zone and zone != SHARED and zone not in hosts and address.prefixlen <= 29:
                hosts[zone] = IPAddress(int(address.network) + 10)
    return hosts


def _shared_target(probe: _Probe, ctx: RuleContext) -> IPAddress:
    services = ctx.policy.plan.shared_services
    if probe.port == 53:
        return services.dns[0]
    if probe.port == 123:
        return services.ntp[0]
    return services.jump_host[0]


@rule("SEG-006", roles=("fw",), platforms=(Platform.ASA,))
def zone_matrix_flows(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The firewall permits no flow the zone matrix denies, and no `permit ip any any`.

    Every pair of zones is tried with the services the matrix names (and a few it does not),
    the way the firewall decides: first match, objects expanded, implicit rules where no ACL
    is bound. A permit the matrix forbids fails, with the line that permits it.
    """
    config = device.config
    assert config is not None
    zones = _zone_hosts(config, ctx)
    order = [role.zone for role in ctx.policy.plan.roles if role.zone in zones]
    targets = [*order, SHARED]
    cells: dict[str, dict[str, dict[str, str | None]]] = {}
    violations: list[tuple[str, str, _Probe, IPAddress, FlowDecision, ZoneFlow | None]] = []
    for src in order:
        for dst in targets:
            if src == dst:
                continue
            flow = ctx.policy.zones.allowed(src, dst)
            cell: dict[str, str | None] = {"verdict": "denied", "line": None, "probe": None}
            for protocol, port in PROBES:
                probe = _Probe(protocol, port)
                target = _shared_target(probe, ctx) if dst == SHARED else zones[dst]
                decision = decide(config, zones[src], target, protocol, port)
                if decision.action != "permit":
                    continue
                if not _allowed(flow, probe, ctx):
                    cell = {"verdict": "violating", "line": decision.line, "probe": probe.label}
                    violations.append((src, dst, probe, target, decision, flow))
                    break
                if cell["verdict"] == "denied":
                    cell = {"verdict": "allowed", "line": decision.line, "probe": probe.label}
            cells.setdefault(src, {})[dst] = cell
    judge.details = {"zones": targets, "sources": order, "cells": cells}
    # One finding per permitting line (or implicit rule), listing every pair it opens: one
    # card and one fix per line to change, not one per zone pair.
    # An implicit permit is the ingress interface's: one finding and one access list for it.
    by_line: dict[str, list[tuple[str, str, _Probe, IPAddress, FlowDecision, ZoneFlow | None]]] = {}
    for violation in violations:
        decision = violation[4]
        key = decision.line or f"(implicit: no access list bound on {decision.ingress})"
        by_line.setdefault(key, []).append(violation)
    any_any = {line.strip() for line in _acl_lines(config) if _ANY_ANY.search(line)}
    for line, group in by_line.items():
        pairs = [f"{src} -> {dst}" for src, dst, *_ in group]
        expected = "; ".join(
            f"{src} -> {dst}: " + ("denied" if flow is None else "only " + ", ".join(flow.services))
            for src, dst, _, _, _, flow in group
        )
        first = group[0][4]
        reasons = [] if first.line else sorted({f"(implicit: {v[4].reason})" for v in group})
        judge.fail(
            "forbidden_flows",
            line=line,
            count=len(group),
            pairs=", ".join(pairs),
            any_any=line in any_any,
            evidence=[
                line,
                *reasons,
                *(
                    f"(derived: {probe.label} {zones[src]} -> {target}: permit)"
                    for src, _, probe, target, _, _ in group
                ),
            ],
            expected=expected,
            actual=f"{len(group)} zone pairs permitted by {line}",
            fix={
                "line": first.line,
                "check": _explain_command(
                    device.host.name, zones[group[0][0]], group[0][3], group[0][2]
                ),
                "pairs": ", ".join(pairs),
                "source": group[0][0],
                "destination": group[0][1],
                "zone_acl": None
                if first.line
                else zone_matrix_acl(config, ctx, group[0][0], first.ingress),
            },
        )
    for line in sorted(any_any - set(by_line)):
        judge.fail(
            "any_any",
            line=line,
            evidence=[line],
            expected="no permit ip any any",
            actual=line,
            fix={"line": line, "pairs": "any -> any", "source": "any", "destination": "any"},
        )
    judge.pass_if_clean(zones=len(order))


def _explain_command(name: str, source: IPAddress, target: IPAddress, probe: _Probe) -> str:
    """The `explain-flow` command that replays a violation's probe against the firewall."""
    port = f" --port {probe.port}" if probe.port is not None else ""
    return (
        f"dalsnet-audit explain-flow --device {name} --src {source} --dst {target} "
        f"--proto {probe.protocol}{port}"
    )


def zone_matrix_acl(
    config: DeviceConfig, ctx: RuleContext, src: str, ingress: str | None
) -> dict[str, object] | None:
    """An access list for zone `src`'s interface written from the zone matrix.

    Bound where only the security levels decided, it permits what the matrix allows from the
    zone's networks on this firewall, denies the rest of the shared plan, and keeps the
    Internet (what the levels let out before) open.
    """
    if ingress is None:
        return None
    zones = _zone_hosts(config, ctx)
    targets = [role.zone for role in ctx.policy.plan.roles if role.zone in zones] + [SHARED]
    sources = [
        address.cidr
        for intf in config.interfaces
        if intf.nameif == ingress
        for address in intf.addresses
    ]
    own = next(
        (
            short
            for short in ctx.plan.municipalities
            if sources and sources[0] in ctx.plan.block_of(short)
        ),
        None,
    )
    entries: list[dict[str, object]] = []
    for dst in targets:
        flow = ctx.policy.zones.allowed(src, dst)
        role = ctx.plan.roles_by_zone.get(dst)
        if flow is None:
            continue
        if dst == SHARED:
            destination = ctx.policy.plan.core.services
        elif role is not None and own is not None:
            destination = ctx.plan.role_block(own, role)
        else:
            continue
        specs = (
            [("ip", None)]
            if flow.services == "any"
            else [
                (spec.proto, tuple(int(p) for p in spec.ports.split("-")))
                for name in flow.services
                for spec in ctx.policy.zones.services[name]
            ]
        )
        for proto, ports in specs:
            for source in sources:
                entries.append(
                    {
                        "proto": proto,
                        "source": f"{source.network} {source.netmask}",
                        "destination": f"{destination.network} {destination.netmask}",
                        "ports": ports,
                    }
                )
    name = f"ACL-{src.upper()}-IN"
    if config.firewall is not None and name in config.firewall.acls:
        name += "-ZONES"
    plan = ctx.policy.plan.network
    return {
        "name": name,
        "interface": ingress,
        "entries": entries,
        "plan": f"{plan.network} {plan.netmask}",
        "sources": [f"{source.network} {source.netmask}" for source in sources],
    }


def _acl_lines(config: DeviceConfig) -> list[str]:
    if config.firewall is None:
        return []
    lines: list[str] = []
    for acl in config.firewall.acls.values():
        lines += [entry.line for entry in acl.entries if not entry.inactive]
    return lines


def _crypto_map_fix(
    ctx: RuleContext, own: str | None, egress: str | None, others: list[str]
) -> dict[str, object]:
    """What one crypto map on `egress` protecting sek towards municipalities `others` needs."""
    sek, srv = ctx.plan.roles_by_name.get("SEK"), ctx.plan.roles_by_name.get("SRV")
    order = [m.short for m in ctx.policy.plan.municipalities]
    names = {m.short: m.name for m in ctx.policy.plan.municipalities}
    return {
        "interface": egress,
        "profile": "DAL-SEK",
        "source": _role_net(ctx, own, sek),
        "peers": [
            {
                "destination": names[other],
                "acl": f"DAL-SEK-TO-{other.upper()}",
                "sequence": 10 + order.index(other) + 1,
                "targets": [
                    net for net in (_role_net(ctx, other, sek), _role_net(ctx, other, srv)) if net
                ],
            }
            for other in others
        ],
    }


def _role_net(ctx: RuleContext, short: str | None, role: Role | None) -> str | None:
    """A municipality's role block as `network netmask` (ASA access-list form)."""
    if short is None or role is None or short not in ctx.plan.municipalities:
        return None
    block = ctx.plan.role_block(short, role)
    return f"{block.network} {block.netmask}"


@dataclass
class _ClearPath:
    """The flows of sek one egress interface lets out in clear, and the lines permitting them."""

    municipalities: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def sek_leaves_encrypted(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """CRY-005 on a firewall: no sek traffic to another municipality in clear.

    Asked flow by flow: from the sek zone to the sek and srv networks of every other
    municipality; a permitted flow must leave through an interface with a crypto map. One
    finding per egress interface, listing the municipalities reached, with one crypto map.
    """
    config = device.config
    assert config is not None
    zones = _zone_hosts(config, ctx)
    source = zones.get("sek")
    if source is None:
        judge.not_applicable("no_sek")
        return
    own = device.host.municipality
    encrypted = set(config.crypto.crypto_map_interfaces)
    clear: dict[str | None, _ClearPath] = {}
    for municipality in ctx.policy.plan.municipalities:
        if municipality.short == own:
            continue
        for role_name in ("SEK", "SRV"):
            role = ctx.plan.roles_by_name.get(role_name)
            if role is None:
                continue
            target = IPAddress(int(ctx.plan.site_subnet(municipality.short, role, 1).network) + 10)
            decision = decide(config, source, target, "tcp", 445)
            if decision.action == "permit" and decision.egress not in encrypted:
                path = clear.setdefault(decision.egress, _ClearPath())
                if municipality.short not in path.municipalities:
                    path.municipalities.append(municipality.short)
                path.destinations.append(f"{municipality.name} {role_name}")
                path.flows.append(
                    f"(derived: tcp/445 {source} -> {target}: permit via {decision.egress})"
                )
                line = decision.line or f"(implicit: {decision.reason})"
                if line not in path.lines:
                    path.lines.append(line)
    for egress, path in clear.items():
        judge.fail(
            "clear_flow",
            destination=", ".join(path.destinations),
            egress=egress or "?",
            evidence=[*path.lines, *path.flows],
            expected="sek to other municipalities only through IPsec "
            "(a crypto map on the egress interface)",
            actual=f"permitted in clear via {egress}",
            fix=_crypto_map_fix(ctx, own, egress, path.municipalities),
        )
    judge.pass_if_clean("kept_local")
