"""Dalslandsnätet as a service (5.2): every site connected, remote access with two-factor."""

from __future__ import annotations

from collections.abc import Iterable

from dalsnet_audit.model.device import DeviceSnapshot, RemoteAccessVpn
from dalsnet_audit.model.finding import NETWORK_WIDE
from dalsnet_audit.model.source import own_line
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule
from dalsnet_audit.rules.shared_services import group_for, group_uses_only, shared, toward

CONNECTING_ROLES = ("rtr", "sw", "fw")
CORE = "core"


def _site(device: DeviceSnapshot) -> str:
    host = device.host
    return CORE if host.site is None else f"{host.municipality}-{host.site:02d}"


@rule("NET-001", scope="network")
def sites_connected(devices: list[DeviceSnapshot], ctx: RuleContext, judge: Judge) -> None:
    """Every site of the inventory has an audited network device connecting it.

    The shared network (5.2) is only shared where a site reaches it. A site whose routers,
    switches and firewalls all failed to answer, or that has none in the inventory, is a site
    the audit cannot show to be connected: it fails until one of them is audited.
    """
    sites: dict[str, list[DeviceSnapshot]] = {}
    for device in devices:
        sites.setdefault(_site(device), []).append(device)
    judged = 0
    for site, members in sorted(sites.items()):
        if not any(ctx.is_selected(d.host.name) for d in members):
            continue
        judged += 1
        network = [d for d in members if str(d.host.role) in CONNECTING_ROLES]
        if any(d.audited for d in network):
            continue
        judge.fail(
            "not_connected" if network else "no_network_device",
            site=site,
            evidence=[f"{d.host.name}: {d.status.value}" for d in members],
            expected="at least one audited router, switch or firewall",
            actual=", ".join(f"{d.host.name} {d.status.value}" for d in network) or "none",
            fix={"site": site, "devices": [d.host.name for d in network]},
            device=NETWORK_WIDE,
        )
    judge.pass_if_clean(sites=judged)


def _remote_access(
    devices: Iterable[DeviceSnapshot],
) -> list[tuple[DeviceSnapshot, RemoteAccessVpn]]:
    return [
        (device, vpn)
        for device in devices
        if device.audited and device.config is not None
        for vpn in device.config.remote_access
    ]


@rule("NET-002", scope="network")
def remote_access_with_mfa(devices: list[DeviceSnapshot], ctx: RuleContext, judge: Judge) -> None:
    """Remote access (fjärraccess, 5.2) is offered to every municipality, with two-factor.

    A municipality's staff reach Dalslandsnätet from outside through a remote-access VPN on
    its own firewall or on the shared core's; its logins are checked by the MFA server, since
    a VPN opens the sensitive networks to whoever holds a password.
    """
    mfa = shared(ctx, "mfa")
    firewalls = [d for d in devices if str(d.host.role) == "fw"]
    vpns = _remote_access(firewalls)
    for device, vpn in vpns:
        if not ctx.is_selected(device.host.name):
            continue
        assert device.config is not None
        if not any(group_uses_only(device.config, g, mfa) for g in vpn.auth_groups):
            choice = group_for(device.config, ctx, "mfa")
            interface = toward(device.config, mfa[0]) if mfa else ""
            judge.fail(
                "not_mfa",
                tunnel_group=vpn.name,
                evidence=[own_line(device.host.name, line) for line in vpn.lines],
                expected=f"authentication-server-group {choice.name}",
                actual=", ".join(vpn.auth_groups) or "the local database",
                fix={**choice.fix_vars(), "tunnel_group": vpn.name, "interface": interface},
                device=device.host.name,
                fix_dirs=ctx.answers(device).remediation_dirs,
            )
    serving = {str(d.host.municipality) for d, _ in vpns}
    core_serves = ctx.policy.plan.core.short in serving
    present = {d.host.municipality for d in devices if ctx.is_selected(d.host.name)}
    core = ctx.policy.plan.core.short
    for municipality in ctx.policy.plan.municipalities:
        if municipality.short not in present:
            continue  # nothing of it in this audit: no verdict on it
        if municipality.short in serving or core_serves:
            continue
        candidates = [d for d in firewalls if d.host.municipality in (municipality.short, core)]
        if not candidates:
            judge.error("no_firewall", municipality=municipality.name)
            continue
        unseen = [d for d in firewalls if not d.audited]
        if unseen:
            judge.error(
                "incomplete",
                municipality=municipality.name,
                devices=", ".join(d.host.name for d in unseen),
            )
            continue
        judge.fail(
            "no_vpn",
            municipality=municipality.name,
            evidence=[f"{d.host.name}: no tunnel-group of type remote-access" for d in firewalls]
            or ["(no firewall in the inventory)"],
            expected="a remote-access VPN on the municipality's or the core's firewall",
            actual="none",
            fix={"municipality": municipality.name},
            device=NETWORK_WIDE,
        )
    judge.pass_if_clean(served=", ".join(sorted(serving)) or "-")
