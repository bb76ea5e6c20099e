"""Mutable device descriptions the templates render.

The builder fills these with a compliant baseline; planted violations then edit single fields,
so each violation is a visible, local change (see ``planted.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SwitchportMode = Literal["access", "trunk", "routed", "none"]


@dataclass(slots=True)
class Port:
    """One ``interface`` block of an IOS configuration (physical, SVI, loopback or tunnel)."""

    name: str
    short: str = ""
    description: str | None = None
    switchport: SwitchportMode = "none"
    access_vlan: int | None = None
    voice_vlan: int | None = None
    trunk_native: int | None = None
    trunk_allowed: str | None = None
    trunk_lines: bool = True
    vrf: str | None = None
    address: str | None = None
    no_address: bool = False
    access_group_in: str | None = None
    shutdown: bool = False
    negotiation_auto: bool = False
    extra: list[str] = field(default_factory=list)
    portfast: bool = False
    bpduguard: bool = False
    physical: bool = True
    status: str = "connected"
    duplex: str = "a-full"
    speed: str = "a-1000"
    media: str = "10/100/1000BaseTX"


@dataclass(slots=True)
class IkeProposal:
    """An IKEv2 proposal."""

    name: str
    encryption: str
    integrity: str | None
    prf: str | None
    group: str


@dataclass(slots=True)
class IosCrypto:
    """IKEv2 / IPsec configuration of an IOS-XE router."""

    proposals: list[IkeProposal] = field(default_factory=list)
    policies: list[tuple[str, list[str]]] = field(default_factory=list)
    keyring: str | None = None
    keyring_peers: list[tuple[str, str, str]] = field(default_factory=list)
    profile: str | None = None
    profile_identities: list[str] = field(default_factory=list)
    transform_sets: list[tuple[str, str]] = field(default_factory=list)
    ipsec_profiles: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class VtyBlock:
    """A ``line vty`` range."""

    first: int
    last: int
    access_class: str | None
    transport: str


@dataclass(slots=True)
class Facts:
    """Hardware facts ``show version`` prints."""

    serial: str
    mac: str
    uptime: str
    restarted: str
    board_serial: str
    uptime_days: int
    uptime_hours: int


@dataclass(slots=True)
class IosDevice:
    """An IOS or IOS-XE router or switch."""

    name: str
    model: str
    kind: Literal["router", "switch"]
    xe: bool
    facts: Facts
    enable_secret: str
    usernames: list[str]
    tacacs_keys: list[tuple[str, str, str]]
    radius_key: str
    login_list: str
    mgmt_intf: str
    acl_entries: list[str]
    snmp_location: str
    snmp_contact: str
    last_change: str
    service_password_encryption: bool = True
    ip_routing: str | None = None
    vrfs: list[str] = field(default_factory=list)
    mgmt_vrf_name: str | None = None
    mgmt_vrf: str | None = None
    vlans: list[tuple[int, str]] = field(default_factory=list)
    interfaces: list[Port] = field(default_factory=list)
    default_gateway: str | None = None
    routes: list[str] = field(default_factory=list)
    http_server: bool = False
    ssh_encryption: str = "aes256-gcm aes256-ctr"
    ssh_mac: str = "hmac-sha2-512 hmac-sha2-256"
    ssh_kex: str = "ecdh-sha2-nistp384 diffie-hellman-group16-sha512"
    ssh_key_bits: int = 2048
    snmp_communities: list[str] = field(default_factory=list)
    vty: list[VtyBlock] = field(default_factory=list)
    crypto: IosCrypto | None = None
    password_encryption_aes: bool = False
    extra_global: list[str] = field(default_factory=list)
    # Traceability and access (LOG-*, AAA-*): what the compliant template writes by default.
    syslog_hosts: list[str] | None = None  # None: both shared syslog servers
    timestamps_log: str = "datetime msec localtime show-timezone"
    command_accounting: bool = True
    login_logging: bool = True
    vty_exec_timeout: str = "10 0"
    hostname: str | None = None  # None: the device's name
    os_version: str | None = None  # None: the template's (IOS 15.2(7)E7)

    @property
    def license_lines(self) -> list[str]:
        """Licence lines ``show running-config`` prints for this model."""
        if self.model.startswith("ISR4331"):
            return [
                f"license udi pid ISR4331/K9 sn {self.facts.serial}",
                "license boot level appxk9",
                "license boot level securityk9",
            ]
        if self.model.startswith("C8200"):
            return [
                f"license udi pid C8200-1N-4T sn {self.facts.serial}",
                "license boot level network-advantage addon dna-advantage",
            ]
        if self.model.startswith("C9"):
            return ["license boot level network-advantage addon dna-advantage"]
        return []


@dataclass(slots=True)
class AsaInterface:
    """An ASA physical or sub-interface."""

    name: str
    nameif: str | None = None
    security_level: int | None = None
    address: str | None = None
    vlan: int | None = None
    management_only: bool = False
    shutdown: bool = False
    description: str | None = None


@dataclass(slots=True)
class AsaDevice:
    """A Cisco ASA (5516-X or Firepower 1120 in ASA mode)."""

    name: str
    model: str
    facts: Facts
    enable_password: str
    admin_password: str
    snmp_auth_key: str
    snmp_priv_key: str
    interfaces: list[AsaInterface]
    acls: list[tuple[str, list[str]]]
    access_groups: list[tuple[str, str]]
    routes: list[str]
    mgmt_nets: list[tuple[str, str]]
    objects: list[str] = field(default_factory=list)
    nat: list[str] = field(default_factory=list)
    remote_access: bool = False
    ikev2_enable: str | None = None
    snmp_location: str = ""
    snmp_contact: str = ""
    last_change: str = ""
    mgmt_nameif: str = "mgmt"
    ssh_extra: list[tuple[str, str, str]] = field(default_factory=list)
    http_extra: list[tuple[str, str, str]] = field(default_factory=list)
    telnet: list[tuple[str, str, str]] = field(default_factory=list)
    ssh_kex: str = "curve25519-sha256"
    ssh_encryption: str = 'custom "aes256-gcm@openssh.com:aes256-ctr"'
    ssh_integrity: str = 'custom "hmac-sha2-256:hmac-sha2-512"'
    extra_users: list[str] = field(default_factory=list)
    ikev1_policies: list[list[str]] = field(default_factory=list)
    key_generated: str = ""
    banner: bool = True
    vpn_auth_group: str = "DAL-MFA"


@dataclass(slots=True)
class Server:
    """A Windows or Linux server, described by its SNMP agent (and, on Linux, SSH outputs).

    Antivirus: ``antivirus`` (the approved product is installed), ``engine_running``,
    ``signatures_built`` (UTC ``YYYY-MM-DD HH:MM`` of the newest signatures), ``in_console``
    (the console export lists it) and ``console_name`` (the name the console stores).
    """

    name: str
    os: Literal["windows", "linux"]
    address: str
    netmask: str
    location: str
    contact: str
    mac: str
    uptime_ticks: int
    extra_processes: list[str] = field(default_factory=list)
    extra_software: list[str] = field(default_factory=list)
    antivirus: bool = True
    engine_running: bool = True
    signatures_built: str = "2026-11-25 08:28"
    in_console: bool = True
    console_name: str = ""
    release: str = "debian-12"  # what /etc/os-release says (Linux)
    syslog_hosts: list[str] | None = None  # where rsyslog forwards; None: both shared servers
    ntp_servers: list[str] | None = None  # timesyncd's servers; None: both shared servers
    ntp_synchronized: bool = True


@dataclass(frozen=True, slots=True)
class ConsoleRow:
    """One row of the antivirus console's CSV export (``bad``: why a parser must reject it)."""

    cells: tuple[str, ...]
    bad: str | None = None


@dataclass(slots=True)
class HostRecord:
    """One host of the Nornir inventory."""

    name: str
    platform: str
    port: int
    groups: list[str]
    data: dict[str, Any]


@dataclass(slots=True)
class Planted:
    """One deliberate violation, for PLANTED.md and planted.yaml."""

    rule: str
    device: str
    lines: list[str]
    why: str


@dataclass(frozen=True, slots=True)
class Flow:
    """One flow through a firewall with the verdict its ACLs give (first match, then deny).

    ``ingress`` is the ``nameif`` the first packet arrives on; ``planted`` marks a verdict
    that only a planted violation explains.
    """

    device: str
    ingress: str
    src: str
    dst: str
    proto: str
    port: int
    action: Literal["permit", "deny"]
    planted: bool = False


@dataclass(slots=True)
class Network:
    """The whole reference network."""

    hosts: list[HostRecord]
    ios: list[IosDevice]
    asa: list[AsaDevice]
    servers: list[Server]
    planted: list[Planted] = field(default_factory=list)
    consequential: list[Planted] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    unlisted_secrets: list[str] = field(default_factory=list)
    console_extra: list[ConsoleRow] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
