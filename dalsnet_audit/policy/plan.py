"""Questions about the IP plan, answered from `plan.yaml` with netaddr."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from netaddr import IPAddress, IPNetwork, IPSet

from dalsnet_audit.policy.models import Municipality, PlanPolicy, Role


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an address lies in the plan.

    Attributes:
        in_plan: Inside the region's network and not in a reserved block.
        municipality: Short name of the owning municipality (or the core), if any.
        role: The role block inside a municipality, if any.
        site: The site number encoded in the third octet, if the address is in a role block.
        core_block: Name of the core sub-block (`loopbacks`, `links`, ...), if any.
    """

    in_plan: bool
    municipality: str | None = None
    role: Role | None = None
    site: int | None = None
    core_block: str | None = None


class AddressPlan:
    """The plan of `plan.yaml` as lookups: address -> municipality, role, site; VLAN -> role."""

    CORE_BLOCKS = ("loopbacks", "links", "services", "remote_access_pool")

    def __init__(self, plan: PlanPolicy) -> None:
        self.plan = plan
        self.roles_by_vlan: dict[int, Role] = {role.vlan: role for role in plan.roles}
        self.roles_by_name: dict[str, Role] = {role.name: role for role in plan.roles}
        self.roles_by_zone: dict[str, Role] = {role.zone: role for role in plan.roles}
        self.municipalities: dict[str, Municipality] = {m.short: m for m in plan.municipalities}
        self.reserved = IPSet(plan.reserved)
        self._placements: dict[int, Placement] = {}

    @cached_property
    def vlan_names(self) -> dict[int, str]:
        """Every VLAN id of the plan and its required name (roles, parking, core)."""
        names = {role.vlan: role.name for role in self.plan.roles}
        names[self.plan.parking_vlan.id] = self.plan.parking_vlan.name
        names.update({vlan.id: vlan.name for vlan in self.plan.core.vlans})
        return names

    def name_of(self, short: str) -> str:
        """The name of a municipality or the core (`fgl` -> `Färgelanda`); unknown ones as given."""
        if short == self.plan.core.short:
            return self.plan.core.name
        known = self.municipalities.get(short)
        return known.name if known else short

    def block_of(self, short: str) -> IPNetwork:
        """The address block of a municipality or the core."""
        if short == self.plan.core.short:
            return self.plan.core.block
        return self.municipalities[short].block

    def role_block(self, short: str, role: Role) -> IPNetwork:
        """The /20 (or configured size) of `role` in municipality `short`."""
        block = self.municipalities[short].block
        return IPNetwork(f"{IPAddress(int(block.network) + role.role_base * 256)}/{role.prefixlen}")

    def site_subnet(self, short: str, role: Role, site: int) -> IPNetwork:
        """The /24 of `role` at `site` in municipality `short`."""
        block = self.municipalities[short].block
        return IPNetwork(f"{IPAddress(int(block.network) + (role.role_base + site) * 256)}/24")

    def place(self, address: IPAddress) -> Placement:
        """Where `address` lies in the plan (remembered: rules ask about the same addresses)."""
        key = int(address)
        placement = self._placements.get(key)
        if placement is None:
            placement = self._placements[key] = self._place(address)
        return placement

    def _place(self, address: IPAddress) -> Placement:
        if address not in self.plan.network or address in self.reserved:
            return Placement(in_plan=False)
        core = self.plan.core
        if address in core.block:
            for name in self.CORE_BLOCKS:
                if address in getattr(core, name):
                    return Placement(True, core.short, core_block=name)
            return Placement(True, core.short)
        for municipality in self.plan.municipalities:
            if address in municipality.block:
                third = (int(address) >> 8) & 0xFF
                for role in self.plan.roles:
                    size = 2 ** (24 - role.prefixlen)
                    if role.role_base <= third < role.role_base + size:
                        site = third - role.role_base
                        return Placement(True, municipality.short, role, site or None)
                return Placement(True, municipality.short)
        return Placement(in_plan=True)

    def management_networks(self) -> list[IPNetwork]:
        """Every MGMT role block of every municipality, and the core loopbacks."""
        role = self.roles_by_zone.get("mgmt")
        nets = [self.plan.core.loopbacks]
        if role is not None:
            nets += [self.role_block(m.short, role) for m in self.plan.municipalities]
        return nets

    def zone_of(self, address: IPAddress) -> str | None:
        """Zone of an address by its role block; `shared` for the core services block."""
        placement = self.place(address)
        if placement.role is not None:
            return placement.role.zone
        if placement.core_block == "services":
            return "shared"
        return None
