"""SSH collection as Nornir tasks: NAPALM for IOS/IOS-XE, Netmiko where NAPALM has no driver.

Every task returns a `RawDevice` and never raises: a failure becomes the host's status
(`auth_failed`, `timeout`, `unreachable`, `host_key_mismatch`) with the reason, after one
retry for connection problems and timeouts.
"""

from __future__ import annotations

import contextlib
import copy
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from napalm.base.exceptions import ConnectAuthError, ConnectTimeoutError
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout
from nornir.core import Nornir
from nornir.core.inventory import ConnectionOptions, Host
from nornir.core.task import Result, Task
from paramiko.ssh_exception import (
    AuthenticationException,
    BadHostKeyException,
    NoValidConnectionsError,
    SSHException,
)

from dalsnet_audit.collect.base import RawDevice, command_slug
from dalsnet_audit.collect.credentials import Credentials
from dalsnet_audit.collect.host_keys import HostKeyFiles
from dalsnet_audit.collect.snmp import SnmpAuthError, SnmpPoller, SnmpTarget, SnmpTimeoutError
from dalsnet_audit.masking import clean_text
from dalsnet_audit.model.device import CollectStatus, Platform
from dalsnet_audit.platforms import DRIVERS, CollectPlan, Connection

INVALID_INPUT = "% Invalid input detected"
RETRYABLE = (CollectStatus.TIMEOUT, CollectStatus.UNREACHABLE)


@dataclass(frozen=True, slots=True)
class SshOptions:
    """How to talk SSH: timeouts and host-key policy."""

    connect_timeout: float = 10.0
    command_timeout: float = 30.0
    known_hosts: Path | None = None
    trust_on_first_use: bool = False
    retries: int = 1
    host_timeout: float = 180.0


class HostKeyMismatchError(Exception):
    """The device presented a key that is not the recorded one."""


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and every exception it was raised from or during (napalm wraps netmiko)."""
    chain = [exc]
    while True:
        nxt = chain[-1].__cause__ or chain[-1].__context__
        if nxt is None or nxt in chain:
            return chain
        chain.append(nxt)


def _key_changed(err: BaseException) -> bool:
    return isinstance(err, (BadHostKeyException, HostKeyMismatchError))


def _key_unknown(err: BaseException) -> bool:
    """Paramiko's RejectPolicy: `Server '[host]:port' not found in known_hosts`."""
    return isinstance(err, SSHException) and "known_hosts" in str(err)


UNKNOWN_KEY_REMEDY = (
    "the device's host key is not in known_hosts: check its fingerprint and add it "
    "(ssh-keyscan), or record it once with --trust-on-first-use"
)


_AUTH = (ConnectAuthError, NetmikoAuthenticationException, AuthenticationException, SnmpAuthError)
# TCP connect refused or no route: nothing listens there.
_REFUSED = (NoValidConnectionsError, ConnectionRefusedError, ConnectionResetError)
_TIMEOUT = (ReadTimeout, socket.timeout, TimeoutError, ConnectTimeoutError, SnmpTimeoutError)


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's text that says something (netmiko's start blank)."""
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), "")


# Most specific first: NAPALM reports a refused host key as a connection error.
_STATUS_OF: tuple[tuple[Callable[[BaseException], bool], CollectStatus], ...] = (
    (_key_changed, CollectStatus.HOST_KEY_MISMATCH),
    (_key_unknown, CollectStatus.HOST_KEY_UNKNOWN),
    (lambda err: isinstance(err, _AUTH), CollectStatus.AUTH_FAILED),
    (lambda err: isinstance(err, _REFUSED), CollectStatus.UNREACHABLE),
    (lambda err: isinstance(err, _TIMEOUT), CollectStatus.TIMEOUT),
)


def classify(exc: BaseException) -> tuple[CollectStatus, str]:
    """The host status an exception means, and a one-line reason.

    The whole chain is searched, most specific status first: NAPALM reports a refused host
    key as `ConnectionException` raised while handling paramiko's `BadHostKeyException`.
    """
    chain = _chain(exc)
    deepest = chain[-1]
    text = f"{type(deepest).__name__}: {_first_line(deepest)}"[:300]
    if deepest is not exc:
        text = f"{type(exc).__name__}: {_first_line(exc)[:120]} ({text})"
    text = clean_text(text)  # netmiko quotes what the device printed
    for matches, status in _STATUS_OF:
        if any(matches(err) for err in chain):
            reason = (
                f"{UNKNOWN_KEY_REMEDY} ({text})"
                if status is CollectStatus.HOST_KEY_UNKNOWN
                else text
            )
            return status, reason
    for err in chain:
        if isinstance(err, NetmikoTimeoutException):
            refused = any(word in str(err).lower() for word in ("refused", "unreachable"))
            return (CollectStatus.UNREACHABLE if refused else CollectStatus.TIMEOUT), text
    return CollectStatus.UNREACHABLE, text


def known_hosts_source(options: SshOptions) -> Path:
    """The known_hosts file host keys are checked against: --known-hosts, else the account's."""
    return options.known_hosts or Path.home() / ".ssh" / "known_hosts"


def configure_connections(
    nr: Nornir, creds: Credentials, options: SshOptions, key_files: HostKeyFiles
) -> None:
    """Credentials and connection options on every host, each host its own copy.

    nornir-napalm writes the host's port into the `optional_args` it is given; shared
    group/default extras would send every host to the first host's port (../shared/notes).
    Each host's keys are checked against its own lines of the known_hosts file (`key_files`).
    """
    # Host keys are always checked: against --known-hosts, else the account's ~/.ssh/known_hosts.
    # Only trust-on-first-use accepts an unknown key (and records it); a changed key never passes.
    ssh_args: dict[str, Any] = {
        "secret": creds.enable or "",
        "conn_timeout": options.connect_timeout,
        "auth_timeout": options.connect_timeout,
        "banner_timeout": options.connect_timeout,
        "read_timeout_override": options.command_timeout,
        "ssh_strict": not options.trust_on_first_use,
        "system_host_keys": False,
        "alt_host_keys": True,
        "allow_agent": False,
        "use_keys": False,
    }
    for host in nr.inventory.hosts.values():
        host.username = creds.username
        host.password = creds.password
        host_args = {**copy.deepcopy(ssh_args), "alt_key_file": str(key_files.path(host.name))}
        host.connection_options["napalm"] = ConnectionOptions(
            extras={"timeout": int(options.command_timeout), "optional_args": host_args}
        )
        host.connection_options["netmiko"] = ConnectionOptions(
            # nornir-netmiko maps only NAPALM's own platform names: the driver gives netmiko's.
            platform=_plan(host).netmiko_type or host.platform,
            extras=copy.deepcopy(host_args),
        )


def _record_outputs(conn: Any) -> dict[str, str]:
    """Keep the raw output of every command NAPALM's driver sends.

    The driver funnels its commands through `_send_command`: the archive then holds the text
    behind each getter, and no command is sent twice.
    """
    outputs: dict[str, str] = {}
    send = conn._send_command

    def recording(command: str) -> str:
        if command not in outputs:
            outputs[command] = send(command)
        return outputs[command]

    conn._send_command = recording
    return outputs


def _plan(host: Host) -> CollectPlan:
    return DRIVERS.get(Platform(str(host.platform))).plan


def _collect_napalm(task: Task, plan: CollectPlan) -> RawDevice:
    """Send what NAPALM's getters and the rules need; the getters parse later (pipeline)."""
    conn = task.host.get_connection("napalm", task.nornir.config)
    outputs = _record_outputs(conn)
    conn.cli(list(dict.fromkeys([*plan.getter_commands, *plan.commands])))
    if INVALID_INPUT in outputs.get("show vlan all-ports", "")[:200]:
        # The getter falls back to `show vlan brief` and `show vlan id N`: let it ask them now.
        with contextlib.suppress(Exception):
            conn.get_vlans()
    shows = {
        command_slug(command): text
        for command, text in outputs.items()
        if command in plan.commands and INVALID_INPUT not in text[:200]
    }
    config = outputs.get(plan.config_command) if plan.config_command else None
    return RawDevice(config=config, shows=shows, commands=outputs)


def _collect_netmiko(task: Task, plan: CollectPlan) -> RawDevice:
    conn = task.host.get_connection("netmiko", task.nornir.config)
    if plan.enable:
        conn.enable()
    config = conn.send_command(plan.config_command) if plan.config_command else None
    shows = {}
    for command in plan.commands:
        text = conn.send_command(command)
        if INVALID_INPUT not in text[:200] and "command not found" not in text[:200]:
            shows[command_slug(command)] = text
    return RawDevice(config=config, shows=shows)


def snmp_target(host: Host, creds: Credentials) -> SnmpTarget:
    """Where to poll a host's agent: its `data.snmp` settings, credentials from `creds`."""
    settings = dict(host.get("snmp") or {})
    return SnmpTarget(
        host=str(settings.get("host") or host.hostname),
        port=int(settings.get("port", 161)),
        version=int(settings.get("version", 3)),
        community=creds.snmp_community,
        user=creds.snmp_user,
        auth_key=creds.snmp_auth_key,
        priv_key=creds.snmp_priv_key,
        context=str(settings.get("context", "")),
    )


def _attempt(
    task: Task,
    plan: CollectPlan,
    poller: SnmpPoller | None,
    creds: Credentials,
    clock: _HostClock,
) -> RawDevice:
    raw = RawDevice()
    if plan.ssh is Connection.NAPALM:
        raw = _collect_napalm(task, plan)
    elif plan.ssh is Connection.NETMIKO:
        raw = _collect_netmiko(task, plan)
    if plan.snmp:
        assert poller is not None
        snmprec = poller.poll(snmp_target(task.host, creds), within=clock.remaining)
        raw = RawDevice(config=raw.config, shows=raw.shows, snmprec=snmprec, getters=raw.getters)
    return raw


def _close(task: Task) -> None:
    for name in ("napalm", "netmiko"):
        # Closing a broken session must not fail the host.
        with contextlib.suppress(Exception):
            task.host.close_connection(name)


# Connection-option keys that bound one wait, and which of our timeouts each one is.
_CONNECT_KEYS = ("conn_timeout", "auth_timeout", "banner_timeout")


def _bound_waits(host: Host, options: SshOptions, remaining: float) -> None:
    """No single wait of the next attempt may take more than half the host's remaining time.

    A session is cut at the deadline once it is open; while it opens (login and the driver's
    first reads, two waits at most) it cannot be reached, so its waits are halved.
    """
    connect = max(1.0, min(options.connect_timeout, remaining / 2))
    command = max(1.0, min(options.command_timeout, remaining / 2))
    napalm = host.connection_options["napalm"].extras or {}
    netmiko = host.connection_options["netmiko"].extras or {}
    napalm["timeout"] = max(1, int(command))
    for args in (napalm.get("optional_args", {}), netmiko):
        for key in _CONNECT_KEYS:
            args[key] = connect
        args["read_timeout_override"] = command


def _cut_sessions(host: Host) -> bool:
    """Close the host's SSH sessions under the task that waits on them.

    Netmiko polls its channel until a read times out; with the channel gone the next poll
    raises at once, so a device that stops answering costs no more than the host's time.

    Returns:
        Whether a session was cut.
    """
    cut = False
    for name in ("napalm", "netmiko"):
        connection = host.connections.get(name)
        if connection is None:
            continue
        device = getattr(connection.connection, "device", connection.connection)
        channel = getattr(device, "channel", None)
        if channel is None or channel.remote_conn is None:
            continue
        with contextlib.suppress(Exception):
            device.remote_conn.close()
        channel.remote_conn = None
        cut = True
    return cut


class _HostClock:
    """The whole time one host may take (`--host-timeout`), all attempts together."""

    def __init__(self, host: Host, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.expired = threading.Event()
        self.cut = threading.Event()
        self._stopped = threading.Event()
        self._watch = threading.Thread(
            target=self._expire, args=(host,), name=f"deadline-{host.name}", daemon=True
        )
        self._watch.start()

    def _expire(self, host: Host) -> None:
        if self._stopped.wait(self.seconds):
            return
        self.expired.set()
        # A session that was still opening at the deadline is cut as soon as it is registered.
        while not self._stopped.is_set():
            if _cut_sessions(host):
                self.cut.set()
            self._stopped.wait(0.2)

    @property
    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def reason(self, detail: str | None = None) -> str:
        text = f"no complete answer within --host-timeout {self.seconds:g} s"
        return f"{text} ({detail})" if detail else text

    def stop(self) -> None:
        self._stopped.set()


def collect_host(
    task: Task,
    poller: SnmpPoller | None,
    creds: Credentials,
    options: SshOptions,
    record_key: Callable[[Host, Any], None] | None = None,
    on_collected: Callable[[str, RawDevice], None] | None = None,
) -> Result:
    """Nornir task: collect one host over SSH and/or SNMP; never raises.

    `on_collected(name, raw)` is called as soon as the host is done, from this thread.
    """
    plan = _plan(task.host)
    raw = RawDevice(status=CollectStatus.UNREACHABLE, error="not attempted")
    clock = _HostClock(task.host, options.host_timeout)
    try:
        for attempt in range(options.retries + 1):
            if clock.remaining <= 0:
                raw = RawDevice(status=CollectStatus.TIMEOUT, error=clock.reason(raw.error))
                break
            _bound_waits(task.host, options, clock.remaining)
            try:
                raw = _attempt(task, plan, poller, creds, clock)
                if clock.cut.is_set():
                    # A session was cut under a command whose error was swallowed on the way.
                    raise TimeoutError("the session was cut at the host's deadline")
                if record_key is not None:
                    record_key(task.host, _remote_key(task))
                break
            except Exception as exc:  # noqa: BLE001 - every failure becomes the host's status
                status, reason = classify(exc)
                if clock.expired.is_set():
                    raw = RawDevice(status=CollectStatus.TIMEOUT, error=clock.reason(reason))
                    break
                suffix = f" (after {attempt + 1} attempts)" if attempt else ""
                raw = RawDevice(status=status, error=reason + suffix)
                _close(task)
                if status not in RETRYABLE:
                    break
    finally:
        clock.stop()
    _close(task)
    if on_collected is not None:
        on_collected(task.host.name, raw)
    return Result(host=task.host, result=raw)


def _remote_key(task: Task) -> Any:
    for name in ("napalm", "netmiko"):
        if name in task.host.connections:
            conn = task.host.connections[name].connection
            device = getattr(conn, "device", conn)
            client = getattr(device, "remote_conn_pre", None)
            transport = client.get_transport() if client is not None else None
            if transport is not None:
                return transport.get_remote_server_key()
    return None
