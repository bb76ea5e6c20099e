"""Traceability (6.4 "Spårbarhet skall vara införd"): logs, time, accounting, logins."""

from __future__ import annotations

from dalsnet_audit.model.device import DeviceConfig, DeviceSnapshot, ServerInfo
from dalsnet_audit.model.enums import Platform, Role, syslog_severity
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule
from dalsnet_audit.rules.shared_services import group_for, group_uses_only, shared, toward

NETWORK_ROLES = ("rtr", "sw", "fw")
IOS_ASA = (Platform.IOS, Platform.ASA)
WITH_SERVERS = (*NETWORK_ROLES, Role.SRV.value)
IOS_ASA_LINUX = (*IOS_ASA, Platform.LINUX)
# The least severe level a syslog server must receive: logins are logged at informational.
MIN_TRAP_SEVERITY = 6


def _config(device: DeviceSnapshot) -> DeviceConfig:
    assert device.config is not None
    return device.config


@rule("LOG-001", roles=WITH_SERVERS, platforms=IOS_ASA_LINUX)
def logs_to_shared_syslog(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """The device sends its logs to both shared syslog servers, at informational or more.

    Traceability across five municipalities needs every device's log in the shared, protected
    store: a log kept only in the device's buffer is lost on reload and can be altered by the
    one it should trace. Both servers, so that one down does not leave a gap. A server is
    judged by its syslog daemon's forwarding (rsyslog), every facility at informational.
    """
    if device.server is not None:
        _server_forwards_logs(device.server, ctx, judge)
        return
    config = _config(device)
    logging = config.logging
    required = shared(ctx, "syslog")
    missing = [address for address in required if address not in logging.hosts]
    interface = toward(config, required[0], logging.host_interfaces) if required else ""
    if not logging.enabled:
        judge.fail(
            "disabled",
            evidence=[line for line in logging.lines if "logging" in line.split()[:2]],
            expected="logging switched on",
            actual="logging switched off",
            fix={"enable": True, "hosts": [], "interface": interface},
        )
    severity = syslog_severity(logging.trap_level) if logging.trap_level else None
    if severity is None or severity < MIN_TRAP_SEVERITY:
        judge.fail(
            "trap_level",
            level=logging.trap_level or "-",
            evidence=[line for line in logging.lines if "trap" in line.split()[:3]],
            expected="logging trap informational",
            actual=f"logging trap {logging.trap_level}"
            if logging.trap_level
            else "no logging trap",
            fix={"trap": True, "hosts": [], "interface": interface},
        )
    if missing:
        judge.fail(
            "missing_hosts",
            hosts=", ".join(str(a) for a in missing),
            evidence=[line for line in logging.lines if line.split()[1:2] == ["host"]]
            or [f"(no syslog host configured; required: {', '.join(map(str, required))})"],
            expected=", ".join(str(a) for a in required),
            actual=", ".join(str(a) for a in logging.hosts) or "none",
            fix={"hosts": [str(a) for a in missing], "interface": interface},
        )
    judge.pass_if_clean(hosts=", ".join(str(a) for a in required))


@rule("LOG-002", roles=WITH_SERVERS, platforms=IOS_ASA_LINUX)
def timestamps_and_time(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Log messages carry date and time (with milliseconds), from the shared NTP servers.

    A log line is evidence only if its time can be compared with the others: date and time on
    every message, milliseconds where the platform can stamp them (an ASA stamps whole
    seconds, so its date and time suffice), and one clock for the whole network, the shared
    NTP servers. On a network device the configuration is judged (`show ntp status` is not
    collected); on a server, the NTP servers it uses and whether its clock is synchronised now.
    """
    if device.server is not None:
        _server_time(device.server, ctx, judge)
        return
    config = _config(device)
    stamps = config.logging.timestamps
    msec = ctx.answers(device).log_timestamp_msec
    if stamps is None or not stamps.date_time:
        judge.fail(
            "no_datetime",
            evidence=[stamps.line] if stamps else ["(no timestamp setting for log messages)"],
            expected="date and time" + (" with milliseconds" if msec else ""),
            actual=stamps.line if stamps else "none",
            fix={"timestamps": True, "servers": []},
        )
    elif msec and not stamps.msec:
        judge.fail(
            "no_msec",
            evidence=[stamps.line],
            expected="date and time with milliseconds",
            actual=stamps.line,
            fix={"timestamps": True, "servers": []},
        )
    required = shared(ctx, "ntp")
    missing = [address for address in required if address not in config.ntp.servers]
    if missing:
        judge.fail(
            "ntp_missing",
            servers=", ".join(str(a) for a in missing),
            evidence=list(config.ntp.lines)
            or [f"(no NTP server configured; required: {', '.join(map(str, required))})"],
            expected=", ".join(str(a) for a in required),
            actual=", ".join(str(a) for a in config.ntp.servers) or "none",
            fix={"servers": [str(a) for a in missing]},
        )
    judge.pass_if_clean("pass" if msec else "pass_seconds")


@rule("LOG-003", roles=NETWORK_ROLES, platforms=IOS_ASA)
def command_accounting(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Sessions and commands are accounted to the shared AAA servers.

    Who did what on which device, in one place: session (exec) accounting records every login
    and logout, command accounting every configuration command at the administrators'
    privilege level, both to the shared AAA servers where no single administrator can erase
    them.
    """
    config = _config(device)
    allowed = shared(ctx, "aaa")
    choice = group_for(config, ctx, "aaa")
    missing: list[str] = []
    for kind in ("exec", "commands"):
        paths = [p for p in config.aaa.accounting if p.kind == kind]
        good = [p for p in paths if any(group_uses_only(config, g, allowed) for g in p.groups)]
        if good:
            continue
        missing.append(kind)
        judge.fail(
            f"no_{kind}" if not paths else f"{kind}_not_shared",
            evidence=[p.line for p in paths]
            or [f"(no {kind} accounting to the shared AAA servers)"],
            expected=f"{kind} accounting to {', '.join(map(str, allowed))}",
            actual=", ".join(p.line for p in paths) or "none",
            fix={
                **choice.fix_vars(),
                "kinds": [kind],
                "privilege": ctx.policy.access.accounting_privilege,
                "interface": toward(config, allowed[0]) if allowed else "",
            },
        )
    judge.pass_if_clean(group=choice.name)


@rule("LOG-004", roles=NETWORK_ROLES, platforms=IOS_ASA)
def logins_logged(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Successful and failed logins are logged.

    A failed login is the first sign of someone guessing passwords, a successful one the
    start of every change that follows; both must reach the log (IOS `login on-success log`
    and `login on-failure log`; an ASA logs them at level informational, so they reach the
    syslog servers when logging is on at that level).
    """
    logins = _config(device).logging.logins
    for outcome, logged in (("success", logins.success), ("failure", logins.failure)):
        if not logged:
            judge.fail(
                f"no_{outcome}",
                evidence=list(logins.lines) or [f"(login {outcome} is not logged)"],
                expected=f"login {outcome} logged",
                actual="not logged",
                fix={"outcome": outcome},
            )
    judge.pass_if_clean()


def _server_forwards_logs(server: ServerInfo, ctx: RuleContext, judge: Judge) -> None:
    """LOG-001 on a server: rsyslog forwards every facility at informational to both."""
    if server.logging is None:
        judge.error("not_read", command="cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf")
        return
    forwards = server.logging.forwards
    required = shared(ctx, "syslog")
    complete = {f.target for f in forwards if f.all_at_informational}
    missing = [str(a) for a in required if str(a) not in complete]
    if missing:
        judge.fail(
            "server_missing",
            hosts=", ".join(missing),
            evidence=[f.line for f in forwards]
            or [f"(no forwarding action in rsyslog's configuration; {server.logging.source})"],
            expected=f"*.* forwarded to {', '.join(map(str, required))}",
            actual="; ".join(f"{f.selector} -> {f.target}" for f in forwards) or "none",
            fix={"hosts": missing},
        )
    judge.pass_if_clean("pass_server", hosts=", ".join(str(a) for a in required))


def _server_time(server: ServerInfo, ctx: RuleContext, judge: Judge) -> None:
    """LOG-002 on a server: the shared NTP servers configured, and the clock in sync."""
    sync = server.time_sync
    if sync is None:
        judge.error("time_not_read", command="timedatectl show; timedatectl show-timesync --all")
        return
    required = shared(ctx, "ntp")
    missing = [str(a) for a in required if str(a) not in sync.servers]
    if missing:
        judge.fail(
            "ntp_missing",
            servers=", ".join(missing),
            evidence=list(sync.lines),
            expected=", ".join(str(a) for a in required),
            actual=", ".join(sync.servers) or "none",
            fix={"servers": [str(a) for a in required]},
        )
    if not sync.synchronized:
        judge.fail(
            "not_synchronized",
            evidence=list(sync.lines),
            expected="NTPSynchronized=yes",
            actual="NTPSynchronized=no",
            fix={"servers": [str(a) for a in required], "resync": True},
        )
    judge.pass_if_clean("pass_server", servers=", ".join(str(a) for a in required))
