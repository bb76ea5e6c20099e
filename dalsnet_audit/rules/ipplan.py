"""IP plan (strategy 5.2: "Det ska finnas en gemensam IP-plan för samtliga kommuner")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from netaddr import IPAddress, IPNetwork

from dalsnet_audit.model.device import DeviceSnapshot, Interface, Platform
from dalsnet_audit.model.finding import NETWORK_WIDE
from dalsnet_audit.model.source import quoted
from dalsnet_audit.policy.plan import Placement
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule

NETWORK_ROLES = ("rtr", "sw", "fw")


def _addressed(device: DeviceSnapshot) -> Iterator[tuple[Interface, IPNetwork]]:
    for intf in device.interfaces:
        for address in intf.addresses:
            yield intf, address


def _addresses_seen(device: DeviceSnapshot, judge: Judge) -> bool:
    """Whether the device shows any address; if not, the rule says `error`, never pass.

    An SNMP recording without its address table (or with the loopback only) says nothing about
    the server's addresses; a configuration without one cannot be judged against the plan.
    """
    if device.has_addresses:
        return True
    judge.error("no_addresses_snmp" if device.server is not None else "no_addresses_config")
    return False


def _address_line(intf: Interface, address: IPNetwork) -> list[str]:
    """Evidence: the interface header and its address line (or the polled value)."""
    wanted = str(address.ip)
    lines = [line for line in intf.lines[1:] if wanted in line.split()]
    if not intf.lines:
        return [f"{intf.name} {address}"]
    return [intf.lines[0], *(lines or intf.lines[1:2])]


@rule("IP-001")
def outside_plan(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every address belongs to the shared plan, or it is not governed by it.

    An interface, SVI, loopback or tunnel address, or a static route's next hop, outside
    Dalslandsnätet's network (or in a reserved block) escapes the shared IP plan; only a
    firewall's declared Internet-edge addresses are exempt.
    """
    if not _addresses_seen(device, judge):
        return
    public = set(device.host.public_addresses)
    network = str(ctx.policy.plan.network)
    count = 0
    for intf, address in _addressed(device):
        count += 1
        if address.ip in public or ctx.plan.place(address.ip).in_plan:
            continue
        judge.fail(
            "outside_plan",
            interface=intf.name,
            address=str(address),
            evidence=_address_line(intf, address),
            expected=f"inside {network}",
            actual=str(address),
            fix={"interface": intf.name, "address": str(address), "lines": intf.lines[:1]},
        )
    # The Internet edge: a next hop on the subnet of a declared public address (the ISP gateway).
    edge = [address.cidr for _, address in _addressed(device) if address.ip in public]
    if device.config is not None:
        for route in device.config.static_routes:
            hop = route.next_hop
            if hop is None or hop in public or ctx.plan.place(hop).in_plan:
                continue
            if any(hop in net for net in edge):
                continue
            judge.fail(
                "next_hop_outside_plan",
                next_hop=str(hop),
                evidence=[route.line],
                expected=f"next hop inside {network}",
                actual=str(hop),
                fix={"route": route.line},
            )
    judge.pass_if_clean(count=count, expected=f"inside {network}")


@rule("IP-002")
def outside_municipality(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Each municipality numbers from its own block.

    An address of another municipality's block breaks the shared plan's ownership: it will
    collide when that municipality uses it. Core loopbacks and links are shared by design.
    """
    if not _addresses_seen(device, judge):
        return
    own = device.host.municipality
    core = ctx.policy.plan.core
    block = ctx.plan.block_of(own)
    for intf, address in _addressed(device):
        placement = ctx.plan.place(address.ip)
        if not placement.in_plan or placement.municipality == own:
            continue
        if placement.municipality == core.short and placement.core_block in ("loopbacks", "links"):
            continue
        judge.fail(
            "foreign_block",
            interface=intf.name,
            address=str(address),
            owner=ctx.plan.name_of(placement.municipality) if placement.municipality else "?",
            evidence=_address_line(intf, address),
            expected=f"inside {block} ({own})",
            actual=f"{address} ({placement.municipality or 'unassigned'})",
            fix={
                "interface": intf.name,
                "address": str(address),
                "lines": intf.lines[:1],
                "subnet": _in_own_block(ctx, device, address, placement),
            },
        )
    judge.pass_if_clean(block=str(block))


def _in_own_block(
    ctx: RuleContext, device: DeviceSnapshot, address: IPNetwork, placement: Placement
) -> str | None:
    """The subnet `address` belongs in: same role, the device's own block and site.

    The municipality blocks are cut alike (dalslandsnatet.md, "Roles"). Which address of it
    is free only the whole network knows (a device rule sees one device): a person picks it,
    and IP-004 checks it on the next audit. None where the plan cannot say (no role, no site).
    """
    own, site = device.host.municipality, device.host.site
    if placement.role is None or site is None or own not in ctx.plan.municipalities:
        return None
    return str(ctx.plan.site_subnet(own, placement.role, site))


def _interface_vlan(intf: Interface) -> int | None:
    return intf.vlan if intf.kind in ("svi", "subinterface") or intf.nameif else None


@rule("IP-003", roles=NETWORK_ROLES)
def role_matches_vlan(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """A subnet's role block matches its VLAN, and its site number matches the device's site.

    The plan encodes role and site in the third octet; a PED VLAN numbered from the ADM block
    puts pupils into the administrative network's address space and defeats every ACL and
    firewall rule written against the plan.
    """
    if not _addresses_seen(device, judge):
        return
    own = device.host.municipality
    for intf, address in _addressed(device):
        placement = ctx.plan.place(address.ip)
        if placement.municipality != own or own == ctx.policy.plan.core.short:
            continue
        vlan = _interface_vlan(intf)
        evidence = _address_line(intf, address)
        if placement.role is None or placement.site is None:
            # The role is the block's, else the VLAN's; the site is the device's.
            role = placement.role or (
                ctx.plan.roles_by_vlan.get(vlan) if vlan is not None else None
            )
            site = device.host.site
            subnet = ctx.plan.site_subnet(own, role, site) if role and site else None
            judge.fail(
                "no_role_block",
                interface=intf.name,
                address=str(address),
                evidence=evidence,
                expected=f"{role.name} at site {site}: {subnet}"
                if role and subnet
                else "an address of a role block (ADM, PED, ...) at a site 1..15",
                actual=str(address),
                fix={
                    "interface": intf.name,
                    "address": str(address),
                    "lines": intf.lines[:1],
                    "subnet": str(subnet) if subnet else None,
                },
            )
            continue
        vlan_role = ctx.plan.roles_by_vlan.get(vlan) if vlan is not None else None
        if vlan is not None and (vlan_role is None or vlan_role.name != placement.role.name):
            site = device.host.site or placement.site
            expected_role = vlan_role.name if vlan_role else "?"
            subnet = ctx.plan.site_subnet(own, vlan_role, site) if vlan_role is not None else None
            judge.fail(
                "role_mismatch",
                interface=intf.name,
                address=str(address),
                vlan=vlan,
                block_role=placement.role.name,
                vlan_role=expected_role,
                evidence=evidence,
                expected=f"VLAN {vlan} ({expected_role}): {subnet}"
                if subnet
                else f"VLAN {vlan} of a role",
                actual=f"{address} ({placement.role.name} block)",
                fix={
                    "interface": intf.name,
                    "address": str(address),
                    "lines": intf.lines[:1],
                    "subnet": str(subnet) if subnet else None,
                },
            )
        elif device.host.site is not None and placement.site != device.host.site:
            subnet = ctx.plan.site_subnet(own, placement.role, device.host.site)
            judge.fail(
                "site_mismatch",
                interface=intf.name,
                address=str(address),
                address_site=placement.site,
                site=device.host.site,
                evidence=evidence,
                expected=f"site {device.host.site}: {subnet}",
                actual=f"{address} (site {placement.site})",
                fix={
                    "interface": intf.name,
                    "address": str(address),
                    "lines": intf.lines[:1],
                    "subnet": str(subnet),
                },
            )
    judge.pass_if_clean()


@dataclass(frozen=True, slots=True)
class _Use:
    device: str
    interface: Interface
    address: IPNetwork


@rule("IP-004", scope="network")
def duplicates_and_overlaps(devices: list[DeviceSnapshot], ctx: RuleContext, judge: Judge) -> None:
    """No address is used twice and no two different subnets overlap, anywhere in the region.

    A duplicate or an overlap anywhere in the shared network breaks routing between the
    municipalities; only the whole network's view can see it, so this rule reads all devices.
    """
    uses = [
        _Use(device.host.name, intf, address)
        for device in devices
        if device.audited
        for intf, address in _addressed(device)
    ]
    by_address: dict[int, list[_Use]] = {}
    for use in uses:
        by_address.setdefault(int(use.address.ip), []).append(use)
    for group in by_address.values():
        if len(group) > 1 and any(ctx.is_selected(u.device) for u in group):
            first = group[0].address.ip
            judge.fail(
                "duplicate_address",
                address=str(first),
                devices=", ".join(sorted({f"{u.device} {u.interface.name}" for u in group})),
                evidence=[
                    quoted(u.device, line)
                    for u in group
                    for line in _address_line(u.interface, u.address)
                ],
                expected="each address used once",
                actual=f"{first} on {len(group)} interfaces",
                fix={
                    "uses": [(u.device, u.interface.name) for u in group[1:]],
                    "address": str(first),
                },
                device=NETWORK_WIDE,
            )
    _overlaps(uses, ctx, judge)
    if not any(f.status == "fail" for f in judge.findings):
        unseen = _unseen(devices, ctx)
        if unseen:
            judge.error("incomplete", count=len(unseen), devices=", ".join(unseen[:10]))
    judge.pass_if_clean(addresses=len(uses))


def _unseen(devices: list[DeviceSnapshot], ctx: RuleContext) -> list[str]:
    """Hosts whose addresses the network-wide view lacks: a pass would be on a partial view.

    Not audited, audited without a single address (an SNMP recording without its address
    table), or not in the view at all (a live `--filter` collects only its selection).
    """
    seen = {d.host.name for d in devices}
    missing = [d.host.name for d in devices if not d.audited or not d.has_addresses]
    return sorted(missing) + sorted(ctx.inventory_names - seen)


def _overlaps(uses: list[_Use], ctx: RuleContext, judge: Judge) -> None:
    """Sweep the subnets in address order: a subnet that starts inside the open one overlaps."""
    subnets: dict[IPNetwork, _Use] = {}
    for use in uses:
        subnets.setdefault(use.address.cidr, use)
    ordered = sorted(subnets.items(), key=lambda item: (item[0].first, -item[0].last))
    open_net: IPNetwork | None = None
    open_use: _Use | None = None
    for net, use in ordered:
        if open_net is not None and open_use is not None and net.first <= open_net.last:
            if not (ctx.is_selected(use.device) or ctx.is_selected(open_use.device)):
                continue
            judge.fail(
                "overlap",
                subnet=str(net),
                other=str(open_net),
                devices=f"{use.device} {use.interface.name}, "
                f"{open_use.device} {open_use.interface.name}",
                evidence=[
                    *(
                        quoted(open_use.device, line)
                        for line in _address_line(open_use.interface, open_use.address)
                    ),
                    *(
                        quoted(use.device, line)
                        for line in _address_line(use.interface, use.address)
                    ),
                ],
                expected="subnets that do not overlap",
                actual=f"{net} inside {open_net}",
                fix={"uses": [(use.device, use.interface.name)], "address": str(use.address)},
                device=NETWORK_WIDE,
            )
            continue
        if open_net is None or net.last > open_net.last:
            open_net, open_use = net, use


@rule("IP-005", roles=NETWORK_ROLES, platforms=(Platform.IOS, Platform.ASA))
def gateway_first_usable(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The gateway of every user subnet is its first usable address.

    Clients, DHCP scopes and documentation across five municipalities assume `.1`; a gateway
    elsewhere is a silent trap for the next technician.
    """
    assert device.config is not None
    if not device.config.ip_routing:
        judge.not_applicable("not_routing")
        return
    for intf, address in _addressed(device):
        placement = ctx.plan.place(address.ip)
        if placement.role is None or not placement.role.user_subnet or address.prefixlen >= 31:
            continue
        first = address.network + 1
        if address.ip != first:
            judge.fail(
                "not_first",
                interface=intf.name,
                address=str(address),
                first=str(first),
                evidence=_address_line(intf, address),
                expected=f"{first}/{address.prefixlen}",
                actual=str(address),
                fix={
                    "interface": intf.name,
                    "lines": intf.lines[:1],
                    "address": str(first),
                    "netmask": str(address.netmask),
                    "platform": device.host.platform.value,
                },
            )
    judge.pass_if_clean()


def management_interface(device: DeviceSnapshot, ctx: RuleContext) -> tuple[Interface | None, str]:
    """The interface a device is managed through, and how it was chosen (rules.md IP-006)."""
    config = device.config
    assert config is not None
    for source, name in (
        ("logging source-interface", config.logging.source_interface),
        ("ip ssh source-interface", config.ssh.source_interface),
        ("ip tacacs/radius source-interface", config.aaa.source_interface),
        ("ntp source", config.ntp.source_interface),
    ):
        if name:
            intf = config.interface(name)
            if intf is not None:
                return intf, source
    mgmt = ctx.plan.roles_by_zone.get("mgmt")
    for intf in config.interfaces:
        if not intf.addresses:
            continue
        if mgmt is not None and intf.vlan == mgmt.vlan:
            return intf, f"VLAN {mgmt.vlan} interface"
        if intf.management_only or (mgmt is not None and intf.nameif == mgmt.zone):
            return intf, "management interface"
    loopback = config.interface("Loopback0")
    return loopback, "Loopback0"


@rule("IP-006", roles=NETWORK_ROLES, platforms=(Platform.IOS, Platform.ASA))
def management_address(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """A device is managed from its municipality's MGMT block (or a core loopback).

    The management address is read from the configuration (the source interface of logging,
    SSH or AAA, else the MGMT VLAN interface, else Loopback0), never from the inventory's
    hostname, which may be a DNS name or a lab address.
    """
    intf, chosen_by = management_interface(device, ctx)
    if intf is None or not intf.addresses:
        judge.error("none_found")
        return
    address = intf.addresses[0]
    own = device.host.municipality
    allowed = [ctx.policy.plan.core.loopbacks]
    mgmt = ctx.plan.roles_by_zone.get("mgmt")
    if mgmt is not None and own in ctx.plan.municipalities:
        allowed.append(ctx.plan.role_block(own, mgmt))
    if any(address.ip in net for net in allowed):
        judge.pass_if_clean(interface=intf.name, address=str(address.ip), chosen_by=chosen_by)
        return
    judge.fail(
        "outside_mgmt",
        interface=intf.name,
        address=str(address),
        chosen_by=chosen_by,
        evidence=_address_line(intf, address),
        expected=" or ".join(str(net) for net in reversed(allowed)),
        actual=f"{address} ({intf.name}, {chosen_by})",
        fix={
            "interface": intf.name,
            "mgmt_block": str(allowed[-1]),
            "site": device.host.site,
            "mgmt_vlan": mgmt.vlan if mgmt else None,
            "proposed": _proposed_management_address(device, ctx, address),
            # A switch that does not route reaches its managers through `ip default-gateway`:
            # it moves to the MGMT subnet's gateway (its first usable address) with the address.
            "gateway": _management_gateway(device, ctx),
        },
    )


def _management_gateway(device: DeviceSnapshot, ctx: RuleContext) -> str | None:
    """The MGMT subnet's gateway at the device's site, for a device that does not route."""
    mgmt = ctx.plan.roles_by_zone.get("mgmt")
    own, site = device.host.municipality, device.host.site
    config = device.config
    if config is None or config.ip_routing or mgmt is None or site is None:
        return None
    if own not in ctx.plan.municipalities:
        return None
    return str(IPAddress(int(ctx.plan.site_subnet(own, mgmt, site).network) + 1))


def _proposed_management_address(
    device: DeviceSnapshot, ctx: RuleContext, address: IPNetwork
) -> str | None:
    """The address the plan gives the device in its site's MGMT /24, keeping its host part.

    The plan numbers a device by its host part in every role subnet of its site, so the
    address it has in the wrong block names the one it should have. None where the plan
    cannot say (no site, no MGMT role, the host part is the gateway's): a person picks one.
    An address another device already holds is IP-004's duplicate on the next audit.
    """
    mgmt = ctx.plan.roles_by_zone.get("mgmt")
    own, site = device.host.municipality, device.host.site
    if mgmt is None or site is None or own not in ctx.plan.municipalities:
        return None
    subnet = ctx.plan.site_subnet(own, mgmt, site)
    host_part = int(address.ip) & 0xFF
    if host_part in (0, 1, 255):
        return None
    proposed = IPNetwork(f"{IPAddress(int(subnet.network) + host_part)}/24")
    return f"{proposed.ip} {proposed.netmask}"
