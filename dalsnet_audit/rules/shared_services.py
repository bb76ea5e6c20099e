"""The shared services a device must use, and the server groups on a device that point to them.

Read by the traceability and identity rules: which syslog, NTP, AAA and MFA servers the plan
names (`plan.yaml` `shared_services`), whether a device's server group consists of them, and
what a fix calls the group it defines when the device has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from netaddr import IPAddress

from dalsnet_audit.flow.routing import route_interface
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.rules.context import RuleContext


def shared(ctx: RuleContext, service: str) -> tuple[IPAddress, ...]:
    """The addresses of shared service `service` (`syslog`, `ntp`, `aaa`, `mfa`)."""
    return tuple(ctx.policy.plan.shared_services.all()[service])


def group_uses_only(config: DeviceConfig, group: str, allowed: tuple[IPAddress, ...]) -> bool:
    """Whether server group `group` exists, has servers, and every one of them is `allowed`."""
    addresses = config.aaa.group_addresses(group)
    return bool(addresses) and all(address in allowed for address in addresses or ())


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """The server group a fix uses: the device's own, or one the fix defines."""

    name: str
    define: bool
    servers: tuple[str, ...]
    protocol: str

    def fix_vars(self) -> dict[str, object]:
        """Variables of a remediation template."""
        return {
            "group": self.name,
            "define": self.define,
            "servers": list(self.servers),
            "protocol": self.protocol,
        }


def group_for(config: DeviceConfig, ctx: RuleContext, service: str) -> GroupChoice:
    """The device's group of the shared `service` servers (`aaa`, `mfa`), else a new one."""
    allowed = shared(ctx, service)
    for group in config.aaa.groups:
        if group_uses_only(config, group.name, allowed):
            return GroupChoice(group.name, False, (), group.protocol)
    name = getattr(ctx.policy.access.server_groups, service)
    protocol = "tacacs+" if service == "aaa" else "radius"
    return GroupChoice(name, True, tuple(str(a) for a in allowed), protocol)


def toward(config: DeviceConfig, address: IPAddress, fallback: tuple[str, ...] = ()) -> str:
    """The interface a firewall reaches `address` through (an `IF` argument of its commands).

    The firewall's routing decides; failing that, an interface the configuration already uses
    for the same kind of server (`fallback`), else a placeholder a person fills in. Empty
    for a device whose commands name no interface.
    """
    if config.firewall is None:
        return ""
    match = route_interface(config.firewall, address)
    if match is not None:
        return match.nameif
    return fallback[0] if fallback else f"<name: interface toward {address}>"
