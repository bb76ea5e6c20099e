"""What rules may read besides the device: the policy and lookups derived from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from netaddr import IPNetwork

from dalsnet_audit.model.antivirus import ConsoleExport
from dalsnet_audit.model.device import DeviceSnapshot
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.platform import PlatformAnswers
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
        platforms: Each platform's answers to the questions rules ask (its driver).
        backups: When each host's newest archived configuration was taken (None: the audit
            knows no archive).
        archiving: This run archives the configuration of every device it audits.
        waiver_evidence: The evidence digest each waiver approved, by (waiver key,
            finding fingerprint), as the history recorded it on the waiver's first use.
    """

    policy: Policy
    plan: AddressPlan
    as_of: dt.datetime
    antivirus_console: ConsoleExport | None = None
    inventory_names: frozenset[str] = frozenset()
    selected: frozenset[str] | None = None
    platforms: Mapping[Platform, PlatformAnswers] = field(default_factory=dict)
    backups: Mapping[str, dt.datetime] | None = None
    archiving: bool = False
    # The evidence each waiver approved on its first use, by (waiver key, fingerprint): a
    # finding whose evidence changed since reopens (history store).
    waiver_evidence: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def answers(self, device: DeviceSnapshot) -> PlatformAnswers:
        """What the device's platform answers to the questions rules ask (its driver)."""
        return self.platforms[device.host.platform]

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
        platforms: Mapping[Platform, PlatformAnswers] | None = None,
    ) -> RuleContext:
        """A context for `policy` judged as of `as_of`, with the console export if there is one.

        `inventory_names` are every host of the inventory, also those a `--filter` left out;
        `selected` the hosts the filter kept (None when there is no filter); `platforms`
        the drivers' answers (the engine supplies the registered drivers when none are given).
        """
        return cls(
            policy,
            AddressPlan(policy.plan),
            as_of,
            antivirus_console,
            inventory_names,
            selected,
            dict(platforms or {}),
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
