"""The vendor-neutral model every collector fills and every rule reads.

Frozen dataclasses with napalm's field names where napalm has one, netaddr types inside;
mappings are plain dicts that nothing mutates (the live pipeline pickles snapshots between
processes, which `MappingProxyType` refuses).
Every element keeps the exact configuration lines it came from (`lines`) so that a rule can
show them as evidence. `None` means "not configured / not seen", which rules keep apart from
an empty tuple ("configured, and empty").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from netaddr import IPAddress, IPNetwork

from dalsnet_audit.model.acl import AccessList
from dalsnet_audit.model.enums import CollectStatus, Platform, Role, SecretKind
from dalsnet_audit.model.firewall import FirewallPolicy
from dalsnet_audit.model.interface import Interface, Switchport
from dalsnet_audit.model.route import Route
from dalsnet_audit.model.source import LineSource

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Facts:
    """What `show version` (or SNMP system) says about the device (napalm `get_facts`)."""

    hostname: str | None = None
    vendor: str | None = None
    model: str | None = None
    os: str | None = None
    os_version: str | None = None
    serial_number: str | None = None
    uptime: str | None = None
    source: str | None = None
    hostname_source: str | None = None  # where the hostname was read, where not `source`


@dataclass(frozen=True, slots=True)
class Vlan:
    """A VLAN and its name (napalm `get_vlans`)."""

    id: int
    name: str | None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TerminalLine:
    """A `line con|vty|aux` block."""

    kind: Literal["con", "vty", "aux"]
    first: int
    last: int
    transport_input: tuple[str, ...] | None
    access_class_in: str | None
    exec_timeout_seconds: int | None
    login_authentication: str | None
    lines: tuple[str, ...] = ()
    password_type: str | None = None  # a line `password` (IOS: type 0 or 7, never a hash)
    password_line: str | None = None


@dataclass(frozen=True, slots=True)
class AaaServer:
    """A TACACS+ or RADIUS server."""

    name: str
    protocol: Literal["tacacs+", "radius"]
    address: IPAddress | None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AaaServerGroup:
    """A server group and the servers it names."""

    name: str
    protocol: Literal["tacacs+", "radius"]
    servers: tuple[str, ...]
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AaaMethodList:
    """`aaa authentication|authorization|accounting <kind> <list> <methods>`."""

    service: Literal["authentication", "authorization", "accounting"]
    kind: str
    name: str
    methods: tuple[str, ...]
    line: str


@dataclass(frozen=True, slots=True)
class LoginPath:
    """How remote logins on one path are authenticated: the methods, in the order tried.

    Attributes:
        where: The path (`line vty 0 4`, `ssh`).
        methods: Server-group names, or `local`, `line`, `enable`, `none`; empty when the
            platform has no method for the path (no login is possible there).
        lines: The configuration lines that decide it.
    """

    where: str
    methods: tuple[str, ...]
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountingPath:
    """What is accounted (`exec` sessions, `commands`) and to which server groups."""

    kind: Literal["exec", "commands"]
    groups: tuple[str, ...]
    line: str


@dataclass(frozen=True, slots=True)
class Aaa:
    """Authentication, authorization and accounting."""

    new_model: bool
    servers: tuple[AaaServer, ...] = ()
    groups: tuple[AaaServerGroup, ...] = ()
    method_lists: tuple[AaaMethodList, ...] = ()
    source_interface: str | None = None
    logins: tuple[LoginPath, ...] = ()
    accounting: tuple[AccountingPath, ...] = ()

    def group_addresses(self, name: str) -> tuple[IPAddress, ...] | None:
        """The addresses of server group `name` (None: no such group).

        IOS's global groups `tacacs+` and `radius` are every server of that protocol.
        """
        by_name = {server.name: server for server in self.servers}
        for group in self.groups:
            if group.name == name:
                return tuple(
                    address
                    for member in group.servers
                    if (address := _member_address(by_name, member)) is not None
                )
        if name in ("tacacs+", "radius"):
            return tuple(s.address for s in self.servers if s.protocol == name and s.address)
        return None


def _member_address(servers: Mapping[str, AaaServer], member: str) -> IPAddress | None:
    server = servers.get(member)
    if server is not None:
        return server.address
    try:
        return IPAddress(member)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class RemoteAccessVpn:
    """A remote-access VPN (ASA `tunnel-group NAME type remote-access`) and who checks logins.

    `auth_groups` are the server groups its logins are authenticated against (empty: the
    local database).
    """

    name: str
    auth_groups: tuple[str, ...]
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Timestamps:
    """How log messages are stamped."""

    date_time: bool
    msec: bool
    line: str


@dataclass(frozen=True, slots=True)
class LoginLogging:
    """Whether successful and failed logins are logged, and the lines that say so."""

    success: bool
    failure: bool
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    """Syslog destinations and timestamps.

    `enabled` is False when logging is switched off (`no logging on`, an ASA without
    `logging enable`); `trap_level` is the severity sent to syslog servers (None: nothing is).
    """

    hosts: tuple[IPAddress, ...]
    source_interface: str | None
    timestamps_log: str | None
    lines: tuple[str, ...] = ()
    enabled: bool = True
    trap_level: str | None = None
    timestamps: Timestamps | None = None
    logins: LoginLogging = LoginLogging(success=False, failure=False)
    host_interfaces: tuple[str, ...] = ()  # the interfaces syslog hosts are reached through


@dataclass(frozen=True, slots=True)
class SessionTimeout:
    """How long an idle management session stays open (`seconds` 0: forever).

    `lines` are the lines that set it; empty when the platform's default applies.
    """

    where: str
    seconds: int
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LoginProtection:
    """Protection against password guessing: IOS `login block-for`, ASA local lockout.

    `block_seconds` None: an account stays locked until an administrator clears it.
    """

    attempts: int
    within_seconds: int | None
    block_seconds: int | None
    line: str


@dataclass(frozen=True, slots=True)
class NtpConfig:
    """NTP servers (napalm `get_ntp_servers`)."""

    servers: tuple[IPAddress, ...]
    source_interface: str | None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SnmpCommunity:
    """An SNMP v1/v2c community; `name` is a secret and never leaves the model unmasked."""

    name: str
    mode: Literal["ro", "rw"]
    acl: str | None
    line: str


@dataclass(frozen=True, slots=True)
class SnmpGroup:
    """An SNMPv3 group."""

    name: str
    version: Literal["v1", "v2c", "v3"]
    security_level: Literal["noauth", "auth", "priv"] | None
    acl: str | None
    line: str


@dataclass(frozen=True, slots=True)
class SnmpConfig:
    """SNMP agent settings (napalm `get_snmp_information`)."""

    communities: tuple[SnmpCommunity, ...]
    groups: tuple[SnmpGroup, ...]
    source_interface: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SshServer:
    """SSH server settings from the config and, when collected, `show ip ssh`."""

    version: int | None
    ciphers: tuple[str, ...] | None
    macs: tuple[str, ...] | None
    kex: tuple[str, ...] | None
    dh_min_bits: int | None
    host_key_bits: int | None
    source_interface: str | None
    source: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HttpServer:
    """HTTP/HTTPS management servers."""

    http: bool
    https: bool
    access_class: str | None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LocalUser:
    """A local account (napalm `get_users`); `hash_type` 0 is clear text."""

    username: str
    privilege: int | None
    kind: SecretKind
    hash_type: str
    line: str


@dataclass(frozen=True, slots=True)
class EnableSecret:
    """`enable secret` / `enable password`."""

    kind: SecretKind
    hash_type: str
    line: str


@dataclass(frozen=True, slots=True)
class IkeProposal:
    """An IKEv1 ISAKMP policy or an IKEv2 proposal / ASA ikev2 policy."""

    name: str
    version: int
    encryption: tuple[str, ...]
    integrity: tuple[str, ...]
    groups: tuple[int, ...]
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TransformSet:
    """An IPsec transform set / ASA ipsec proposal."""

    name: str
    transforms: tuple[str, ...]
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CryptoConfig:
    """IKE and IPsec configuration."""

    ike_proposals: tuple[IkeProposal, ...] = ()
    transform_sets: tuple[TransformSet, ...] = ()
    ipsec_profiles: tuple[str, ...] = ()
    crypto_maps: tuple[str, ...] = ()
    crypto_map_interfaces: tuple[str, ...] = ()
    ikev2_profiles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ManagementAccess:
    """A network allowed to reach a management service (ASA `ssh|telnet|http NET MASK IF`)."""

    protocol: Literal["ssh", "telnet", "http"]
    network: IPNetwork
    interface: str
    line: str


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """Everything parsed from a network device's configuration and show outputs."""

    hostname: str | None
    facts: Facts
    interfaces: tuple[Interface, ...]
    vlans: tuple[Vlan, ...] | None
    vrfs: tuple[str, ...]
    acls: Mapping[str, AccessList]
    terminal_lines: tuple[TerminalLine, ...]
    aaa: Aaa
    logging: LoggingConfig
    ntp: NtpConfig
    snmp: SnmpConfig
    ssh: SshServer
    http: HttpServer
    users: tuple[LocalUser, ...]
    enable: tuple[EnableSecret, ...]
    crypto: CryptoConfig
    static_routes: tuple[Route, ...]
    ip_routing: bool
    banners: Mapping[str, str]
    login_block_for: str | None
    management_access: tuple[ManagementAccess, ...] = ()
    session_timeouts: tuple[SessionTimeout, ...] = ()
    login_protection: LoginProtection | None = None
    hostname_line: str | None = None
    remote_access: tuple[RemoteAccessVpn, ...] = ()
    sources: frozenset[str] = field(default_factory=frozenset)
    firewall: FirewallPolicy | None = None
    line_sources: tuple[LineSource, ...] = ()  # where the kept lines are (model.source)

    def interface(self, name: str) -> Interface | None:
        """The interface called `name`, if any."""
        for intf in self.interfaces:
            if intf.name.lower() == name.lower():
                return intf
        return None


@dataclass(frozen=True, slots=True)
class Process:
    """A process of a server's process table (HOST-RESOURCES-MIB hrSWRunTable)."""

    name: str
    state: str
    source: str


@dataclass(frozen=True, slots=True)
class ServiceState:
    """A service as its manager reports it (`systemctl is-active`)."""

    name: str
    state: str
    source: str


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    """The date of an antivirus signature database, and who says so."""

    product: str
    built: dt.date
    version: str | None
    source: str
    line: str
    built_at: dt.datetime | None = None  # the moment, where the source gives one (UTC)


@dataclass(frozen=True, slots=True)
class LogForward:
    """One syslog forwarding action of a server (rsyslog `@@host:port` or `omfwd`)."""

    target: str  # an address or a name, as configured
    protocol: Literal["udp", "tcp", "relp"]
    selector: str  # `*.*`, `*.info;auth.none`, or `if ...` where a filter chooses
    line: str
    all_at_informational: bool  # every facility at informational and above reaches it


@dataclass(frozen=True, slots=True)
class ServerLogging:
    """Where a server sends its log (rsyslog's configuration as read over SSH)."""

    forwards: tuple[LogForward, ...]
    source: str  # the command that showed it


@dataclass(frozen=True, slots=True)
class TimeSync:
    """A server's network time: the servers it is set to use and whether it is in sync."""

    servers: tuple[str, ...]  # addresses or names (systemd-timesyncd's System/Link/Runtime)
    synchronized: bool
    lines: tuple[str, ...]  # the evidence, `key=value` as timedatectl printed it
    source: str


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What SNMP and SSH tell about a server; `None` means that source said nothing."""

    facts: Facts
    interfaces: tuple[Interface, ...]
    installed_software: tuple[str, ...] | None = None
    processes: tuple[Process, ...] | None = None
    packages: tuple[str, ...] | None = None
    package_source: str | None = None
    services: tuple[ServiceState, ...] = ()
    signatures: tuple[SignatureInfo, ...] = ()
    logging: ServerLogging | None = None
    time_sync: TimeSync | None = None


@dataclass(frozen=True, slots=True)
class HostRecord:
    """One inventory host as the audit needs it (validated `data` of Nornir)."""

    name: str
    hostname: str
    platform: Platform
    municipality: str
    site: int | None
    role: Role
    groups: tuple[str, ...]
    sensitive: bool
    governance: Mapping[str, str | None]
    public_addresses: tuple[IPAddress, ...] = ()
    allowed_roles: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DeviceSnapshot:
    """One host at one moment: its inventory record, collect status and parsed data."""

    host: HostRecord
    status: CollectStatus
    error: str | None = None
    config: DeviceConfig | None = None
    server: ServerInfo | None = None

    @property
    def audited(self) -> bool:
        """True when the host's data was collected and understood."""
        return self.status is CollectStatus.AUDITED

    @property
    def has_addresses(self) -> bool:
        """Whether any interface has an address (none seen is no data, not compliance)."""
        return any(intf.addresses for intf in self.interfaces)

    @property
    def interfaces(self) -> tuple[Interface, ...]:
        """Interfaces of a network device or a server."""
        if self.config is not None:
            return self.config.interfaces
        if self.server is not None:
            return self.server.interfaces
        return ()

    def network_facts(self) -> DeviceSnapshot:
        """What the network-wide rules read of this device, and nothing more.

        The audit keeps this compact copy once the device's own rules have run, and lets the
        full model go: its addressed interfaces (IP-004), its remote-access VPNs with the AAA
        groups and firewall policy they use (NET-002), its status (NET-001, STD-005), and the
        places of those lines (the same line objects, so evidence is cited as before).
        """
        if self.server is not None:
            server = ServerInfo(self.server.facts, _addressed(self.server.interfaces))
            return replace(self, server=server)
        config = self.config
        if config is None or config.remote_access:
            return self  # a VPN firewall is kept whole: there are a handful
        interfaces = tuple(_address_lines_only(intf) for intf in _addressed(config.interfaces))
        kept = {id(line) for intf in interfaces for line in intf.lines}
        sources = tuple(
            LineSource.of(
                source.origin,
                (
                    (number, line)
                    for line, number in zip(source.lines, source.numbers, strict=True)
                    if id(line) in kept
                ),
            )
            for source in config.line_sources
        )
        compact = replace(
            config,
            interfaces=interfaces,
            vlans=None,
            acls={},
            terminal_lines=(),
            users=(),
            enable=(),
            static_routes=(),
            banners={},
            management_access=(),
            session_timeouts=(),
            firewall=None,
            line_sources=sources,
            aaa=_NO_AAA[config.aaa.new_model],
            logging=_NO_LOGGING,
            ntp=_NO_NTP,
            snmp=_NO_SNMP,
            ssh=_NO_SSH,
            http=_NO_HTTP,
            crypto=_NO_CRYPTO,
            login_protection=None,
            hostname_line=None,
        )
        return replace(self, config=compact)


# What a compact copy holds in place of what the network-wide rules do not read: one of each.
_NO_AAA = {True: Aaa(new_model=True), False: Aaa(new_model=False)}
_NO_LOGGING = LoggingConfig(hosts=(), source_interface=None, timestamps_log=None)
_NO_NTP = NtpConfig(servers=(), source_interface=None)
_NO_SNMP = SnmpConfig(communities=(), groups=())
_NO_SSH = SshServer(None, None, None, None, None, None, None, "")
_NO_HTTP = HttpServer(http=False, https=False, access_class=None)
_NO_CRYPTO = CryptoConfig()


def _addressed(interfaces: tuple[Interface, ...]) -> tuple[Interface, ...]:
    return tuple(intf for intf in interfaces if intf.addresses)


def _address_lines_only(intf: Interface) -> Interface:
    """The interface with only the lines its addresses' evidence quotes.

    Its header, its first line, and the lines naming one of its addresses (`rules.ipplan`).
    """
    if len(intf.lines) <= 2:
        return intf
    words = {str(address.ip) for address in intf.addresses}
    kept = [intf.lines[0], intf.lines[1]]
    kept += [line for line in intf.lines[2:] if words & set(line.split())]
    return replace(intf, lines=tuple(kept))


__all__ = [
    "SCHEMA_VERSION",
    "CollectStatus",
    "DeviceConfig",
    "DeviceSnapshot",
    "HostRecord",
    "Interface",
    "Platform",
    "Role",
    "SecretKind",
    "Switchport",
]
