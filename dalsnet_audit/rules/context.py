"""What rules may read besides the device: the policy and lookups derived from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from netaddr import IPNetwork

from dalsnet_audit.model.antivirus import ConsoleExport
from dalsnet_audit.policy.models import Policy
from dalsnet_audit.policy.plan import AddressPlan


@dataclass(frozen=True)
class RuleContext:
    """Read-only inputs of every rule.

    Attributes:
        policy: The validated policies.
        plan: Address-plan lookups.
        as_of: The moment the data describes (snapshot `taken_at`, or now when live).
        antivirus_console: The antivirus console's export of its agents, when given.
        inventory_names: Every host name of the inventory, filtered or not.
        selected: The hosts a `--filter` selected (None: all). Network-wide rules read every
            device they are given but report only what concerns the selected ones.
    """

    policy: Policy
    plan: AddressPlan
    as_of: dt.datetime
    antivirus_console: ConsoleExport | None = None
    inventory_names: frozenset[str] = frozenset()
    selected: frozenset[str] | None = None

    def is_selected(self, name: str) -> bool:
        """Whether findings about host `name` belong to this run's selection."""
        return self.selected is None or name in self.selected

    @classmethod
    def build(
        cls,
        policy: Policy,
        as_of: dt.datetime,
        antivirus_console: ConsoleExport | None = None,
        inventory_names: frozenset[str] = frozenset(),
        selected: frozenset[str] | None = None,
    ) -> RuleContext:
        """A context for `policy` judged as of `as_of`, with the console export if there is one.

        `inventory_names` are every host of the inventory, also those a `--filter` left out;
        `selected` the hosts the filter kept (None when there is no filter).
        """
        return cls(
            policy, AddressPlan(policy.plan), as_of, antivirus_console, inventory_names, selected
        )

    @cached_property
    def management_sources(self) -> list[IPNetwork]:
        """Networks allowed to reach device management (zones and shared services)."""
        access = self.policy.zones.management_access
        nets: list[IPNetwork] = []
        for zone in access.zones:
            role = self.plan.roles_by_zone.get(zone)
            if role is not None:
                nets += [
                    self.plan.role_block(m.short, role) for m in self.policy.plan.municipalities
                ]
        if "mgmt" in access.zones:
            nets.append(self.policy.plan.core.loopbacks)
        services = self.policy.plan.shared_services.all()
        for name in access.shared_services:
            nets += [IPNetwork(f"{address}/32") for address in services[name]]
        return nets
