"""Segmentation (5.2 logically separate adm/ped networks; 6.4 separate networks with a ruleset)."""

from __future__ import annotations

from netaddr import IPNetwork

from dalsnet_audit.flow.acl import first_permit_between, sources_beyond
from dalsnet_audit.model.acl import AccessList
from dalsnet_audit.model.device import (
    DeviceConfig,
    DeviceSnapshot,
    Interface,
    ManagementAccess,
    Platform,
)
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.firewall import zone_matrix_acl
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule

# Catalyst VLANs that exist on every switch and are not part of any plan.
_BUILTIN_VLANS = {1, 1002, 1003, 1004, 1005}
_DOWN_STATES = {"notconnect", "disabled", "down", "sfpabsent", "inactive", "err-disabled"}


@rule("SEG-001", roles=("sw", "rtr"), platforms=(Platform.IOS,))
def vlan_plan(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every VLAN has the id and name of the VLAN plan, and no VLAN outside it exists.

    One VLAN plan for all five municipalities is what makes a port, a trunk or a firewall rule
    mean the same thing everywhere; a VLAN outside the plan is a network nobody governs.
    """
    config = device.config
    assert config is not None
    if config.vlans is None:
        if device.host.role == "rtr":
            judge.not_applicable("no_vlans")
        else:
            judge.error("vlans_not_seen")
        return
    names = dict(ctx.plan.vlan_names)
    if device.host.municipality != ctx.policy.plan.core.short:
        for core_vlan in ctx.policy.plan.core.vlans:
            names.pop(core_vlan.id, None)
    for vlan in config.vlans:
        if vlan.id in _BUILTIN_VLANS and vlan.id not in names:
            continue
        wanted = names.get(vlan.id)
        if wanted is None:
            judge.fail(
                "unknown_vlan",
                vlan=vlan.id,
                name=vlan.name or "",
                evidence=vlan.lines,
                expected="VLAN ids of the plan: " + ", ".join(str(v) for v in sorted(names)),
                actual=f"VLAN {vlan.id} {vlan.name or ''}".strip(),
                fix={"vlan": vlan.id},
            )
        elif vlan.name != wanted:
            judge.fail(
                "wrong_name",
                vlan=vlan.id,
                name=vlan.name or "",
                wanted=wanted,
                evidence=vlan.lines,
                expected=f"VLAN {vlan.id} name {wanted}",
                actual=f"VLAN {vlan.id} name {vlan.name or '(none)'}",
                fix={"vlan": vlan.id, "name": wanted},
            )
    judge.pass_if_clean(count=len(config.vlans))


def _zones_of(intf: Interface, ctx: RuleContext) -> set[str]:
    return {
        zone
        for address in intf.addresses
        if (zone := ctx.plan.zone_of(address.ip)) and zone != "shared"
    }


def _acl_permits(acl: AccessList, source: IPNetwork, destination: IPNetwork) -> str | None:
    """The line of the first entry letting any packet from `source` to `destination` through."""
    entry = first_permit_between(acl, source, destination)
    return entry.line if entry is not None else None


@rule("SEG-002", roles=("rtr", "sw", "fw"), platforms=(Platform.IOS, Platform.ASA))
def zones_share_routing_table(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Zones that must not talk do not route in one table unless an ACL enforces the matrix.

    "Kommunikation mellan de logiska näten skall tillåtas enligt ett regelverk" (6.4): two zones
    in the same VRF of a router route freely to each other; only separate VRFs or an ACL on the
    interfaces keep the ruleset. On a firewall, a zone interface with no access list bound
    (and no global one) falls back to the security levels, which let a higher zone reach a
    lower one: the ruleset is then not the matrix.
    """
    config = device.config
    assert config is not None
    if config.firewall is not None:
        _asa_unbound_zones(config, ctx, judge)
        return
    _ios_shared_tables(config, ctx, judge)


def _ios_shared_tables(config: DeviceConfig, ctx: RuleContext, judge: Judge) -> None:
    if not config.ip_routing:
        judge.not_applicable("not_routing")
        return
    by_vrf: dict[str, list[tuple[Interface, str]]] = {}
    for intf in config.interfaces:
        if not intf.is_enabled:
            continue
        for zone in _zones_of(intf, ctx):
            by_vrf.setdefault(intf.vrf or "global", []).append((intf, zone))
    zones_policy = ctx.policy.zones
    for vrf, members in by_vrf.items():
        for intf_a, zone_a in members:
            for intf_b, zone_b in members:
                if zone_a == zone_b:
                    continue
                flow = zones_policy.allowed(zone_a, zone_b)
                if flow is not None and flow.services == "any":
                    continue
                acl = config.acls.get(intf_a.acl_in) if intf_a.acl_in else None
                if acl is None:
                    judge.fail(
                        "no_acl",
                        vrf=vrf,
                        interface=intf_a.name,
                        zone=zone_a,
                        other_interface=intf_b.name,
                        other_zone=zone_b,
                        evidence=[*intf_a.lines, *intf_b.lines],
                        expected=f"{zone_a} and {zone_b} in separate VRFs, "
                        "or an inbound ACL enforcing the zone matrix",
                        actual=f"{intf_a.name} ({zone_a}) and {intf_b.name} ({zone_b}) "
                        f"in VRF {vrf} without ACL",
                        fix={
                            "interface": intf_a.name,
                            "zone": zone_a,
                            "vrf_name": zone_a.upper(),
                            "lines": intf_a.lines,
                        },
                    )
                    break
                if flow is None:
                    permit = _permit_between(acl, intf_a, intf_b)
                    if permit is not None:
                        judge.fail(
                            "acl_permits",
                            vrf=vrf,
                            interface=intf_a.name,
                            zone=zone_a,
                            other_zone=zone_b,
                            acl=acl.name,
                            evidence=[
                                intf_a.lines[0],
                                *(
                                    x
                                    for x in intf_a.lines
                                    if x.split()[:3] == ["ip", "access-group", acl.name]
                                ),
                                *acl.lines[:1],
                                permit,
                            ],
                            expected=f"no {zone_a} -> {zone_b} traffic",
                            actual=permit.strip(),
                            fix={
                                "interface": intf_a.name,
                                "zone": zone_a,
                                "vrf_name": zone_a.upper(),
                                "lines": intf_a.lines,
                            },
                        )
    judge.pass_if_clean()


def _open(ctx: RuleContext, source: str, destination: str) -> bool:
    """True when the matrix lets every service from `source` to `destination`."""
    flow = ctx.policy.zones.allowed(source, destination)
    return flow is not None and flow.services == "any"


def _asa_unbound_zones(config: DeviceConfig, ctx: RuleContext, judge: Judge) -> None:
    firewall = config.firewall
    if firewall is None:
        judge.error("no_firewall_policy")
        return
    if firewall.bound("global", None) is not None:
        judge.pass_if_clean()
        return
    # A `management-only` interface forwards no traffic through the firewall: no transit path.
    zones = {
        intf.nameif: zone
        for intf in config.interfaces
        if intf.nameif and intf.is_enabled and not intf.management_only
        for address in intf.addresses[:1]
        if (zone := ctx.plan.zone_of(address.ip)) and zone != "shared"
    }
    for nameif, zone in zones.items():
        if firewall.bound("in", nameif) is not None:
            continue
        denied = sorted(
            {other for other in zones.values() if other != zone and not _open(ctx, zone, other)}
        )
        if denied:
            intf = firewall.interfaces[nameif]
            judge.fail(
                "asa_no_acl",
                interface=nameif,
                zone=zone,
                other_zone=", ".join(denied),
                evidence=intf.lines or (nameif,),
                expected=f"access-group <ACL> in interface {nameif} enforcing the zone matrix",
                actual=f"no access list on {nameif}: security levels decide",
                fix={
                    "interface": nameif,
                    "zone": zone,
                    "vrf_name": zone.upper(),
                    "lines": intf.lines,
                    # The same access list SEG-006 proposes for the interface: one list, so
                    # the two fixes merge into one (report.plan).
                    "zone_acl": zone_matrix_acl(config, ctx, zone, nameif),
                },
            )
    judge.pass_if_clean()


def _permit_between(acl: AccessList, intf_a: Interface, intf_b: Interface) -> str | None:
    for source in intf_a.addresses:
        for destination in intf_b.addresses:
            line = _acl_permits(acl, source.cidr, destination.cidr)
            if line is not None:
                return line
    return None


def _access_ports(device: DeviceSnapshot) -> list[Interface]:
    return [
        intf
        for intf in device.interfaces
        if intf.switchport is not None and intf.switchport.mode in ("access", None)
    ]


@rule("SEG-003", roles=("sw",), platforms=(Platform.IOS,))
def access_port_roles(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """An access port carries one role's data VLAN and, at most, the telephony VLAN as voice.

    A port with the ADM VLAN and the PED VLAN joins the administrative and educational
    networks at one socket (5.2 asks for them to be logically separate).
    """
    voice_role = ctx.plan.roles_by_name[ctx.policy.plan.voice_role]
    allowed = device.host.allowed_roles
    for intf in _access_ports(device):
        port = intf.switchport
        assert port is not None
        data_role = ctx.plan.roles_by_vlan.get(port.access_vlan)
        if port.voice_vlan is not None and port.voice_vlan != voice_role.vlan:
            other = ctx.plan.roles_by_vlan.get(port.voice_vlan)
            judge.fail(
                "mixed_roles",
                interface=intf.name,
                access_vlan=port.access_vlan,
                voice_vlan=port.voice_vlan,
                evidence=[line for line in intf.lines if "vlan" in line or line == intf.lines[0]],
                expected=f"voice VLAN {voice_role.vlan} ({voice_role.name}) or none",
                actual=f"access VLAN {port.access_vlan} ({data_role.name if data_role else '?'})"
                f" + voice VLAN {port.voice_vlan} ({other.name if other else '?'})",
                fix={"interface": intf.name, "voice_vlan": voice_role.vlan},
            )
        elif (
            allowed is not None
            and intf.is_enabled
            and data_role is not None
            and data_role.name not in allowed
        ):
            judge.fail(
                "role_not_at_site",
                interface=intf.name,
                role=data_role.name,
                evidence=[line for line in intf.lines if "vlan" in line or line == intf.lines[0]],
                expected="roles " + ", ".join(allowed),
                actual=f"VLAN {port.access_vlan} ({data_role.name})",
                fix={"interface": intf.name, "parking": ctx.policy.plan.parking_vlan.id},
            )
    judge.pass_if_clean()


@rule("SEG-004", roles=("sw", "rtr"), platforms=(Platform.IOS,))
def trunk_pruning(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every trunk names the VLANs it carries and uses the parking VLAN as native.

    A trunk that allows all VLANs carries every future VLAN everywhere; a native VLAN 1 lets
    untagged frames (and VLAN hopping) into a network that should carry nothing.
    """
    parking = ctx.policy.plan.parking_vlan.id
    trunks = [
        i for i in device.interfaces if i.switchport is not None and i.switchport.mode == "trunk"
    ]
    wanted = sorted({r.vlan for r in ctx.policy.plan.roles})
    for intf in trunks:
        port = intf.switchport
        assert port is not None
        problems = []
        if port.trunk_allowed is None:
            problems.append("all VLANs allowed")
        if port.native_vlan != parking:
            problems.append(f"native VLAN {port.native_vlan}")
        if problems:
            judge.fail(
                "trunk",
                interface=intf.name,
                problems="; ".join(problems),
                evidence=[line for line in intf.lines if "trunk" in line or line == intf.lines[0]]
                or intf.lines[:1],
                expected=f"switchport trunk allowed vlan <list>, native VLAN {parking}",
                actual="; ".join(problems),
                fix={
                    "interface": intf.name,
                    "parking": parking,
                    "allowed": ",".join(str(v) for v in wanted),
                    "set_allowed": port.trunk_allowed is None,
                },
            )
    judge.pass_if_clean(count=len(trunks))


@rule("SEG-005", roles=("sw",), platforms=(Platform.IOS,))
def unused_ports_parked(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """An unused access port (no description, link down) is shut down in the parking VLAN.

    An open, live port in a production VLAN is a socket anyone can plug into.
    """
    config = device.config
    assert config is not None
    parking = ctx.policy.plan.parking_vlan.id
    state_known = "show_interfaces_status" in config.sources
    undecided: list[str] = []
    for intf in _access_ports(device):
        port = intf.switchport
        assert port is not None
        if intf.description:
            continue
        if not intf.is_enabled and port.access_vlan == parking:
            continue
        if not state_known or intf.oper_status is None:
            undecided.append(intf.name)
            continue
        if intf.oper_status.lower() not in _DOWN_STATES:
            continue
        judge.fail(
            "not_parked",
            interface=intf.name,
            vlan=port.access_vlan,
            status=intf.oper_status,
            evidence=[*intf.lines, f"show interfaces status: {intf.name} {intf.oper_status}"],
            expected=f"shutdown, switchport access vlan {parking}",
            actual=f"{'up' if intf.is_enabled else 'shutdown'}, VLAN {port.access_vlan}, "
            f"link {intf.oper_status}",
            fix={"interface": intf.name, "parking": parking},
        )
    if undecided:
        judge.error("state_unknown", count=len(undecided), interfaces=", ".join(undecided[:8]))
    judge.pass_if_clean()


def _acl_sources_outside(acl: AccessList, allowed: list[IPNetwork]) -> list[str]:
    """Permit entries of `acl` whose source reaches beyond the allowed networks."""
    return [entry.line for entry in sources_beyond(acl, allowed)]


@rule("SEG-007", roles=("rtr", "sw", "fw"), platforms=(Platform.IOS, Platform.ASA))
def management_plane_access(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Management access (vty, SNMP, HTTP) is open only to the mgmt zone and the jump host.

    The strategy's ruleset between logical networks (6.4) protects the devices themselves too:
    a vty reachable from the pupils' network is a door into all of Dalslandsnätet.
    """
    config = device.config
    assert config is not None
    allowed = ctx.management_sources
    expected = "sources only in " + ", ".join(str(n) for n in allowed)
    if not ctx.answers(device).terminal_lines_required:
        _asa_management(config.management_access, allowed, expected, judge)
        return
    vtys = [line for line in config.terminal_lines if line.kind == "vty"]
    if not vtys:
        judge.error("no_vty")
    for term in vtys:
        name = term.lines[0] if term.lines else f"line vty {term.first} {term.last}"
        if term.transport_input == ("none",):
            continue
        if term.access_class_in is None:
            judge.fail(
                "vty_open",
                line=name,
                evidence=term.lines,
                expected="access-class <mgmt ACL> in",
                actual="no access-class",
                fix={
                    "kind": "vty",
                    "line": name,
                    "acl": "VTY-MGMT",
                    "sources": [str(n) for n in allowed],
                },
            )
            continue
        _check_acl(
            judge,
            config.acls.get(term.access_class_in),
            term.access_class_in,
            name,
            allowed,
            expected,
            "vty",
        )
    for community in config.snmp.communities:
        if community.acl is None:
            judge.fail(
                "snmp_open",
                where=community.line,
                evidence=[community.line],
                expected="snmp-server community <secret> RO <mgmt ACL>",
                actual="no ACL: every zone may poll",
                fix={
                    "kind": "snmp",
                    "line": community.line,
                    "acl": "SNMP-MGMT",
                    "sources": [str(n) for n in allowed],
                },
            )
        else:
            _check_acl(
                judge,
                config.acls.get(community.acl),
                community.acl,
                community.line,
                allowed,
                expected,
                "snmp",
            )
    for group in config.snmp.groups:
        if group.acl:
            _check_acl(
                judge, config.acls.get(group.acl), group.acl, group.line, allowed, expected, "snmp"
            )
    if (config.http.http or config.http.https) and config.http.access_class is None:
        judge.fail(
            "http_open",
            where="ip http server" if config.http.http else "ip http secure-server",
            evidence=[line for line in config.http.lines if not line.startswith("no ")],
            expected="ip http access-class ipv4 <mgmt ACL>",
            actual="no access-class: every zone may connect",
            fix={
                "kind": "http",
                "line": "ip http access-class ipv4",
                "acl": "HTTP-MGMT",
                "sources": [str(n) for n in allowed],
            },
        )
    elif config.http.access_class is not None:
        _check_acl(
            judge,
            config.acls.get(config.http.access_class),
            config.http.access_class,
            "ip http access-class",
            allowed,
            expected,
            "http",
        )
    judge.pass_if_clean()


def _asa_management(
    access: tuple[ManagementAccess, ...], allowed: list[IPNetwork], expected: str, judge: Judge
) -> None:
    """ASA: every `ssh|http|telnet NET MASK IF` line must stay inside the management sources."""
    for entry in access:
        if not any(entry.network in net for net in allowed):
            judge.fail(
                "asa_open",
                line=entry.line,
                protocol=entry.protocol,
                evidence=[entry.line],
                expected=expected,
                actual=entry.line,
                fix={"kind": "asa", "line": entry.line, "sources": [str(n) for n in allowed]},
            )
    judge.pass_if_clean()


def _check_acl(
    judge: Judge,
    acl: AccessList | None,
    name: str,
    where: str,
    allowed: list[IPNetwork],
    expected: str,
    kind: str,
) -> None:
    if acl is None:
        judge.fail(
            "acl_missing",
            acl=name,
            where=where,
            evidence=[where],
            expected=f"access list {name} defined",
            actual=f"access list {name} does not exist (everything permitted)",
            fix={
                "kind": kind,
                "line": where,
                "acl": name,
                "sources": [str(n) for n in allowed],
                "define": True,
            },
        )
        return
    wide = _acl_sources_outside(acl, allowed)
    if wide:
        judge.fail(
            "acl_too_wide",
            acl=name,
            where=where,
            entries=len(wide),
            evidence=[where, acl.lines[0] if acl.lines else name, *wide],
            expected=expected,
            actual="; ".join(line.strip() for line in wide),
            fix={
                "kind": kind,
                "line": where,
                "acl": name,
                "sources": [str(n) for n in allowed],
                "remove": [line.strip() for line in wide],
            },
        )
