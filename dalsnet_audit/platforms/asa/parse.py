"""Cisco ASA: running configuration and `show version` into the vendor-neutral model.

Blocks come from netutils' `ASAConfigParser`, `show version` from ntc-templates. This covers
interfaces, management access, AAA servers, logging, NTP, SNMP, local users and IKE/IPsec
proposals; object groups and access lists are read for the flow checks of the firewall rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from netaddr import AddrFormatError, IPAddress, IPNetwork, iprange_to_cidrs

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.device import (
    Aaa,
    AaaServer,
    AaaServerGroup,
    CryptoConfig,
    DeviceConfig,
    EnableSecret,
    Facts,
    HttpServer,
    IkeProposal,
    Interface,
    LocalUser,
    LoggingConfig,
    ManagementAccess,
    NtpConfig,
    SnmpCommunity,
    SnmpConfig,
    SnmpGroup,
    SshServer,
    TransformSet,
)
from dalsnet_audit.model.enums import SecretKind
from dalsnet_audit.model.firewall import (
    ANY_ADDRESS,
    AccessGroup,
    AccessList,
    AccessListEntry,
    AddressSet,
    FirewallPolicy,
    NetworkObject,
    PortRange,
    Service,
    ServiceObject,
)
from dalsnet_audit.model.route import Route
from dalsnet_audit.model.source import LineSource
from dalsnet_audit.parse.addressing import interface_address, is_ipv4_address
from dalsnet_audit.parse.blocks import Block, config_blocks, device_lines, last_line, line_source
from dalsnet_audit.parse.textfsm import parse_show
from dalsnet_audit.platforms.asa import access as asa_access
from dalsnet_audit.platforms.asa import ssh as asa_ssh


def _interface(block: Block) -> Interface:
    name = block.header.split(None, 1)[1].strip()
    values: dict[str, str] = {}
    addresses: list[IPNetwork] = []
    enabled = True
    management_only = False
    for child in block.children:
        words = child.split()
        if not words:
            continue
        if words[:2] == ["ip", "address"] and len(words) >= 4 and is_ipv4_address(words[2]):
            addresses.append(interface_address(words[2], words[3]))
        elif words[0] == "shutdown":
            enabled = False
        elif words[0] == "management-only":
            management_only = True
        elif words[0] in {"nameif", "security-level", "vlan", "description"} and len(words) > 1:
            values[words[0]] = child.strip()[len(words[0]) :].strip()
    lowered = name.lower()
    kind: Literal["physical", "subinterface", "loopback", "tunnel", "aggregate", "other"]
    if "." in name:
        kind = "subinterface"
    elif lowered.startswith("port-channel"):
        kind = "aggregate"
    elif lowered.startswith("tunnel"):
        kind = "tunnel"
    elif lowered.startswith("management"):
        kind = "physical"
        management_only = True
    else:
        kind = "physical"
    return Interface(
        name=name,
        kind=kind,
        description=values.get("description"),
        is_enabled=enabled,
        addresses=tuple(addresses),
        vlan=int(values["vlan"]) if values.get("vlan", "").isdigit() else None,
        nameif=values.get("nameif"),
        security_level=int(values["security-level"])
        if values.get("security-level", "").isdigit()
        else None,
        management_only=management_only,
        lines=block.lines,
    )


def _hash_type(words: list[str]) -> str:
    """ASA stores `pbkdf2` (strong) or `encrypted` (MD5-based, weak) hashes."""
    if "pbkdf2" in words:
        return "pbkdf2"
    if "encrypted" in words:
        return "md5"
    if "nt-encrypted" in words:
        return "md4"
    return "0"


def parse_asa(config: str, shows: Mapping[str, str] | None = None) -> DeviceConfig:
    """Parse an ASA running configuration and optional show outputs.

    Raises:
        ParseError: the text is not an ASA configuration.
    """
    shows = shows or {}
    if "ASA Version" not in config[:2000]:
        raise ParseError("no 'ASA Version' line: not an ASA configuration")
    if last_line(config) not in (": end", "end"):
        raise ParseError("no final ': end': the configuration is incomplete (output cut off?)")
    hostname = None
    hostname_line = None
    interfaces: list[Interface] = []
    access: list[ManagementAccess] = []
    servers: list[AaaServer] = []
    groups: dict[str, tuple[Literal["tacacs+", "radius"], list[str]]] = {}
    logging_hosts: list[IPAddress] = []
    logging_lines: list[str] = []
    timestamps = None
    ntp: list[IPAddress] = []
    ntp_lines: list[str] = []
    communities: list[SnmpCommunity] = []
    snmp_groups: list[SnmpGroup] = []
    snmp_lines: list[str] = []
    ssh_version: int | None = None
    ssh_ciphers: tuple[str, ...] | None = None
    ssh_kex: tuple[str, ...] | None = None
    ssh_macs: tuple[str, ...] | None = None
    ssh_lines: list[str] = []
    http_enabled = False
    http_lines: list[str] = []
    users: list[LocalUser] = []
    enable: list[EnableSecret] = []
    ike: list[IkeProposal] = []
    proposals: list[TransformSet] = []
    maps: list[str] = []
    bound: list[str] = []
    routes: list[Route] = []
    banners: dict[str, str] = {}
    access_settings = asa_access.AccessSettings()
    blocks = config_blocks(config, "asa")
    names = {
        words[2]: words[1]
        for block in blocks
        if (words := block.header.split())[:1] == ["name"] and len(words) > 2
    }
    for block in blocks:
        words = [names.get(word, word) for word in block.header.split()]
        if not words:
            continue
        head = words[0]
        try:
            if head == "hostname" and len(words) > 1:
                hostname, hostname_line = words[1], block.header
            elif head == "interface":
                interfaces.append(_interface(block))
            elif (
                head in {"ssh", "telnet", "http"} and len(words) == 4 and is_ipv4_address(words[1])
            ):
                access.append(
                    ManagementAccess(
                        head,  # type: ignore[arg-type]
                        interface_address(words[1], words[2]).cidr,
                        words[3],
                        block.header,
                    )
                )
                if head == "http":
                    http_lines.append(block.header)
            elif words[:3] == ["http", "server", "enable"]:
                http_enabled = True
                http_lines.append(block.header)
            elif head == "ssh" and words[1:2] == ["version"] and len(words) > 2:
                ssh_version = int(words[2])
                ssh_lines.append(block.header)
            elif words[:3] == ["ssh", "cipher", "encryption"]:
                ssh_ciphers = asa_ssh.ssh_ciphers(words[3:])
                ssh_lines.append(block.header)
            elif words[:3] == ["ssh", "cipher", "integrity"]:
                ssh_macs = asa_ssh.ssh_macs(words[3:])
                ssh_lines.append(block.header)
            elif words[:2] == ["ssh", "key-exchange"]:
                ssh_kex = asa_ssh.ssh_kex(words[3:])
                ssh_lines.append(block.header)
            elif head == "aaa-server" and len(words) >= 3:
                if words[2] == "protocol" and len(words) > 3:
                    protocol: Literal["tacacs+", "radius"] = (
                        "tacacs+" if words[3].startswith("tacacs") else "radius"
                    )
                    groups.setdefault(words[1], (protocol, []))
                elif words[2].startswith("(") and len(words) >= 5 and words[3] == "host":
                    group = groups.get(words[1], ("radius", []))
                    group[1].append(words[4])
                    servers.append(AaaServer(words[4], group[0], IPAddress(words[4]), block.lines))
            elif head == "logging":
                logging_lines.append(block.header)
                if words[1:2] == ["host"] and len(words) > 3 and is_ipv4_address(words[3]):
                    logging_hosts.append(IPAddress(words[3]))
                    access_settings.host_interfaces.append(words[2])
                elif words[1:2] == ["timestamp"]:
                    timestamps = "timestamp"
                access_settings.read_logging(words, block.header)
            elif head == "tunnel-group":
                access_settings.read_tunnel_group(words, block.lines)
            elif access_settings.read(words, block.header):
                pass
            elif head == "ntp" and words[1:2] == ["server"] and len(words) > 2:
                ntp.append(IPAddress(words[2]))
                ntp_lines.append(block.header)
            elif head == "snmp-server":
                snmp_lines.append(block.header)
                if words[1:2] == ["community"] and len(words) > 2:
                    communities.append(SnmpCommunity(words[2], "ro", None, block.header))
                elif words[1:2] == ["host"] and "community" in words:
                    name = words[words.index("community") + 1]
                    communities.append(SnmpCommunity(name, "ro", words[2], block.header))
                elif words[1:2] == ["group"] and len(words) > 3:
                    level = words[4] if words[3] == "v3" and len(words) > 4 else None
                    snmp_groups.append(SnmpGroup(words[2], words[3], level, None, block.header))  # type: ignore[arg-type]
            elif head == "username" and len(words) > 3 and words[2] == "password":
                privilege = (
                    int(words[words.index("privilege") + 1]) if "privilege" in words[:-1] else None
                )
                users.append(
                    LocalUser(
                        words[1], privilege, SecretKind.PASSWORD, _hash_type(words), block.header
                    )
                )
            elif head == "enable" and words[1:2] == ["password"]:
                enable.append(EnableSecret(SecretKind.PASSWORD, _hash_type(words), block.header))
            elif words[:2] in (["crypto", "ikev2"], ["crypto", "ikev1"]) and words[2:3] == [
                "policy"
            ]:
                version = 2 if words[1] == "ikev2" else 1
                encryption = tuple(a for args in block.child_args("encryption") for a in args)
                integrity = tuple(
                    a
                    for key in ("integrity", "hash", "prf")
                    for args in block.child_args(key)
                    for a in args
                )
                groups_dh = tuple(
                    int(a) for args in block.child_args("group") for a in args if a.isdigit()
                )
                ike.append(
                    IkeProposal(
                        f"{words[1]} policy {words[3]}",
                        version,
                        encryption,
                        integrity,
                        groups_dh,
                        block.lines,
                    )
                )
            elif words[:4] == ["crypto", "ipsec", "ikev2", "ipsec-proposal"] and len(words) > 4:
                transforms = tuple(
                    a
                    for args in block.child_args("protocol esp encryption")
                    + block.child_args("protocol esp integrity")
                    for a in args
                )
                proposals.append(TransformSet(words[4], transforms, block.lines))
            elif words[:4] == ["crypto", "ipsec", "ikev1", "transform-set"] and len(words) > 5:
                proposals.append(TransformSet(words[4], tuple(words[5:]), block.lines))
            elif words[:2] == ["crypto", "map"] and words[3:4] == ["interface"] and len(words) > 4:
                bound.append(words[4])
            elif words[:2] == ["crypto", "map"] and len(words) > 2 and words[2] not in maps:
                maps.append(words[2])
            elif head == "route" and len(words) >= 5 and is_ipv4_address(words[2]):
                prefix = interface_address(words[2], words[3]).cidr
                hop = IPAddress(words[4]) if is_ipv4_address(words[4]) else None
                routes.append(Route(prefix, hop, block.header, interface=words[1]))
            elif head == "banner" and len(words) > 2:
                banners[words[1]] = (banners.get(words[1], "") + "\n" + " ".join(words[2:])).strip()
        except (ValueError, IndexError, AddrFormatError) as exc:
            raise ParseError(f"cannot read '{block.header}': {exc}") from exc
    # The key sizes `show crypto key mypubkey rsa` prints: the lines CRY-007 cites.
    key_output = shows.get("show_crypto_key_mypubkey_rsa")
    key_lines = [
        (number, line.strip())
        for number, line in enumerate(device_lines(key_output or ""), start=1)
        if line.strip().startswith("Modulus Size")
    ]
    key_source = getattr(key_output, "origin", None)
    return DeviceConfig(
        hostname=hostname,
        facts=parse_asa_show_version(shows["show_version"]) if "show_version" in shows else Facts(),
        interfaces=tuple(interfaces),
        vlans=None,
        vrfs=(),
        acls={},
        terminal_lines=(),
        aaa=Aaa(
            new_model=True,
            servers=tuple(servers),
            groups=tuple(
                AaaServerGroup(name, proto, tuple(members))
                for name, (proto, members) in groups.items()
            ),
            logins=access_settings.login_paths(),
            accounting=tuple(access_settings.accounting),
        ),
        logging=access_settings.logging(
            LoggingConfig(tuple(logging_hosts), None, timestamps, tuple(logging_lines))
        ),
        ntp=NtpConfig(tuple(ntp), None, tuple(ntp_lines)),
        snmp=SnmpConfig(tuple(communities), tuple(snmp_groups), None, tuple(snmp_lines)),
        # An ASA without the commands uses its defaults (medium ciphers and integrity, DH 14).
        ssh=SshServer(
            ssh_version,
            ssh_ciphers or asa_ssh.DEFAULT_ENCRYPTION,
            ssh_macs or asa_ssh.DEFAULT_INTEGRITY,
            ssh_kex or asa_ssh.DEFAULT_KEX,
            None,
            asa_ssh.rsa_modulus_bits(shows["show_crypto_key_mypubkey_rsa"])
            if "show_crypto_key_mypubkey_rsa" in shows
            else None,
            None,
            "running-config",
            tuple(ssh_lines) + tuple(line for _, line in key_lines),
        ),
        http=HttpServer(http_enabled, False, None, tuple(http_lines)),
        users=tuple(users),
        enable=tuple(enable),
        crypto=CryptoConfig(tuple(ike), tuple(proposals), (), tuple(maps), tuple(bound)),
        static_routes=tuple(routes),
        ip_routing=True,
        banners=dict(banners),
        login_block_for=None,
        management_access=tuple(access),
        session_timeouts=access_settings.session_timeouts(),
        login_protection=access_settings.protection,
        hostname_line=hostname_line,
        remote_access=access_settings.remote_access(),
        sources=frozenset({"running_config", *shows}),
        firewall=parse_asa_firewall(blocks, tuple(interfaces), names),
        line_sources=tuple(
            x
            for x in (
                line_source(config, blocks),
                LineSource.of(key_source, key_lines) if key_source else None,
            )
            if x is not None
        ),
    )


def parse_asa_show_version(output: str) -> Facts:
    """Model and version from ASA `show version` (ntc-templates `cisco_asa_show_version`).

    Raises:
        ParseError: the output carries no version.
    """
    rows = parse_show("cisco_asa", "show version", output)
    if not rows or not rows[0].get("version"):
        raise ParseError("show version: no ASA version found")
    row = rows[0]
    hardware = str(row.get("hardware") or "")
    serial = row.get("serial") or []
    return Facts(
        hostname=str(row.get("hostname") or "") or None,
        vendor="Cisco",
        model=hardware.split(",", maxsplit=1)[0].strip() or None,
        os="ASA",
        os_version=str(row["version"]),
        serial_number=str(serial[0])
        if isinstance(serial, list) and serial
        else (str(serial) or None),
        uptime=str(row.get("uptime") or "") or None,
        source="show version",
    )


# Port and ICMP-type names as the ASA prints them ("Addresses, Protocols, and Ports" of the
# ASA CLI configuration guide); the ASA prints any other port as a number (3389, 8443...).
ASA_PORTS: Mapping[str, int] = {
    "aol": 5190,
    "bgp": 179,
    "biff": 512,
    "bootpc": 68,
    "bootps": 67,
    "chargen": 19,
    "cifs": 3020,
    "citrix-ica": 1494,
    "cmd": 514,
    "ctiqbe": 2748,
    "daytime": 13,
    "diameter": 3868,
    "discard": 9,
    "dnsix": 195,
    "domain": 53,
    "echo": 7,
    "exec": 512,
    "finger": 79,
    "ftp": 21,
    "ftp-data": 20,
    "gopher": 70,
    "h323": 1720,
    "hostname": 101,
    "http": 80,
    "https": 443,
    "ident": 113,
    "imap4": 143,
    "irc": 194,
    "isakmp": 500,
    "kerberos": 88,
    "klogin": 543,
    "kshell": 544,
    "ldap": 389,
    "ldaps": 636,
    "login": 513,
    "lotusnotes": 1352,
    "lpd": 515,
    "mobile-ip": 434,
    "nameserver": 42,
    "netbios-dgm": 138,
    "netbios-ns": 137,
    "netbios-ssn": 139,
    "nfs": 2049,
    "nntp": 119,
    "ntp": 123,
    "pcanywhere-data": 5631,
    "pcanywhere-status": 5632,
    "pim-auto-rp": 496,
    "pop2": 109,
    "pop3": 110,
    "pptp": 1723,
    "radius": 1645,
    "radius-acct": 1646,
    "rip": 520,
    "rsh": 514,
    "rtsp": 554,
    "secureid-udp": 5510,
    "sip": 5060,
    "smtp": 25,
    "snmp": 161,
    "snmptrap": 162,
    "sqlnet": 1521,
    "ssh": 22,
    "sunrpc": 111,
    "syslog": 514,
    "tacacs": 49,
    "talk": 517,
    "telnet": 23,
    "tftp": 69,
    "time": 37,
    "uucp": 540,
    "vxlan": 4789,
    "who": 513,
    "whois": 43,
    "www": 80,
    "xdmcp": 177,
}
ICMP_TYPES: Mapping[str, int] = {
    "echo-reply": 0,
    "unreachable": 3,
    "source-quench": 4,
    "redirect": 5,
    "alternate-address": 6,
    "echo": 8,
    "router-advertisement": 9,
    "router-solicitation": 10,
    "time-exceeded": 11,
    "parameter-problem": 12,
    "timestamp-request": 13,
    "timestamp-reply": 14,
    "information-request": 15,
    "information-reply": 16,
    "mask-request": 17,
    "mask-reply": 18,
    "traceroute": 30,
    "conversion-error": 31,
    "mobile-redirect": 32,
}
_PORT_OPERATORS = frozenset({"eq", "neq", "lt", "gt", "range"})
_IDENTITY_KEYWORDS = {"user": 2, "user-group": 2, "object-group-user": 2, "security-group": 3}
_ICMP = frozenset({"icmp", "icmp6"})
_MAX_PORT = 65535


@dataclass
class _ObjectText:
    """An object or object group as written, possibly spread over several blocks."""

    kind: Literal["object", "object-group"]
    family: str
    argument: str | None
    lines: list[str]


@dataclass
class _FirewallText:
    """The firewall part of a configuration while it is being resolved."""

    names: Mapping[str, str]
    interfaces: Mapping[str, Interface]
    objects: dict[str, _ObjectText] = field(default_factory=dict)
    networks: dict[str, NetworkObject] = field(default_factory=dict)
    services: dict[str, ServiceObject] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def address(self, word: str) -> IPAddress:
        """`word` (an address or a `name` alias) as an address; ValueError otherwise."""
        try:
            return IPAddress(self.names.get(word, word))
        except (AddrFormatError, ValueError, TypeError) as exc:
            raise ValueError(f"not an address: {word}") from exc

    def is_address(self, word: str) -> bool:
        """True when `word` is an IPv4 address or a `name` alias of one."""
        return is_ipv4_address(self.names.get(word, word))

    def network(self, name: str, seen: frozenset[str] = frozenset()) -> NetworkObject | None:
        """The network object or group `name`, nested groups flattened; None if undefined."""
        if name in self.networks:
            return self.networks[name]
        text = self.objects.get(name)
        if text is None or text.family != "network" or name in seen:
            return None
        networks: list[IPNetwork] = []
        exact = True
        for line in text.lines[1:]:
            words = line.split()
            if not words or words[0] in {"description", "nat"}:
                continue
            try:
                if text.kind == "object":
                    found, ok = self._object_network(words)
                else:
                    found, ok = self._group_network(words, seen | {name})
            except (ValueError, IndexError, AddrFormatError):
                found, ok = [], False
            networks.extend(found)
            exact = exact and ok
            if not ok:
                self.problems.append(f"{text.lines[0]}: cannot resolve {line.strip()!r}")
        if not networks and text.kind == "object":
            exact = False
        resolved = NetworkObject(
            name, text.kind, AddressSet(tuple(networks), exact=exact), tuple(text.lines)
        )
        self.networks[name] = resolved
        return resolved

    def _object_network(self, words: list[str]) -> tuple[list[IPNetwork], bool]:
        if words[0] == "host":
            return [IPNetwork(self.address(words[1]))], True
        if words[0] == "subnet":
            return [self._prefix(words[1:])], True
        if words[0] == "range":
            return list(iprange_to_cidrs(self.address(words[1]), self.address(words[2]))), True
        return [], False  # fqdn: resolved by DNS at run time, unknown here

    def _group_network(
        self, words: list[str], seen: frozenset[str]
    ) -> tuple[list[IPNetwork], bool]:
        if words[0] == "group-object" or words[:2] == ["network-object", "object"]:
            nested = self.network(words[-1], seen)
            if nested is None:
                return [], False
            return list(nested.addresses.networks), nested.addresses.exact
        if words[0] == "network-object" and words[1] == "host":
            return [IPNetwork(self.address(words[2]))], True
        if words[0] == "network-object":
            return [self._prefix(words[1:])], True
        return [], False

    def _prefix(self, words: list[str]) -> IPNetwork:
        if "/" in words[0]:
            return IPNetwork(words[0]).cidr
        return IPNetwork(f"{self.address(words[0])}/{words[1]}").cidr

    def service(self, name: str, seen: frozenset[str] = frozenset()) -> ServiceObject | None:
        """The service object or group `name`, nesting flattened; None if undefined."""
        if name in self.services:
            return self.services[name]
        text = self.objects.get(name)
        if text is None or text.family not in {"service", "protocol", "icmp-type"}:
            return None
        if name in seen:
            return None
        found: list[Service] = []
        exact = True
        for line in text.lines[1:]:
            words = line.split()
            if not words or words[0] == "description":
                continue
            try:
                services = self._service_line(text, words, seen | {name})
            except (ValueError, IndexError):
                services = None
            if services is None:
                exact = False
                self.problems.append(f"{text.lines[0]}: cannot resolve {line.strip()!r}")
                continue
            found.extend(services)
            exact = exact and all(s.exact for s in services)
        resolved = ServiceObject(
            name, text.kind, tuple(found), text.argument, exact, tuple(text.lines)
        )
        self.services[name] = resolved
        return resolved

    def _service_line(
        self, text: _ObjectText, words: list[str], seen: frozenset[str]
    ) -> list[Service] | None:
        keyword, args = words[0], words[1:]
        if keyword == "group-object" or (keyword == "service-object" and args[:1] == ["object"]):
            nested = self.service(args[-1], seen)
            return None if nested is None else list(nested.services)
        if keyword in {"service-object", "service"}:
            return [_service(args[0], args[1:])]
        if keyword == "port-object" and text.argument is not None:
            ports = _ports(args)
            protocol = text.argument
            return [Service(protocol, None, ports, exact=ports is not None)]
        if keyword == "protocol-object":
            return [Service(args[0])]
        if keyword == "icmp-object":
            icmp_type = _icmp_type(args[0])
            return [Service("icmp", None, icmp_type, exact=icmp_type is not None)]
        return None


def _port(word: str) -> int:
    if word.isdigit():
        return int(word)
    return ASA_PORTS[word]


def _ports(words: list[str]) -> tuple[PortRange, ...] | None:
    """`eq 443`, `range 1024 65535`, `neq www`... as port ranges; None if unreadable."""
    try:
        operator = words[0]
        if operator == "range":
            return (PortRange(_port(words[1]), _port(words[2])),)
        port = _port(words[1])
    except (IndexError, KeyError):
        return None
    if operator == "eq":
        return (PortRange(port, port),)
    if operator == "lt":
        return (PortRange(0, port - 1),)
    if operator == "gt":
        return (PortRange(port + 1, _MAX_PORT),)
    if operator == "neq":
        return (PortRange(0, port - 1), PortRange(port + 1, _MAX_PORT))
    return None


def _port_words(words: list[str], index: int) -> int:
    """How many words the port operator at `index` takes (`range` takes two ports)."""
    return 3 if words[index] == "range" else 2


def _icmp_type(word: str) -> tuple[PortRange, ...] | None:
    number = int(word) if word.isdigit() else ICMP_TYPES.get(word)
    return None if number is None else (PortRange(number, number),)


def _service(protocol: str, words: list[str]) -> Service:
    """A `service-object`/`service` line after its keyword: protocol, then port words."""
    if protocol in _ICMP:
        if not words:
            return Service(protocol)
        icmp_type = _icmp_type(words[0])
        return Service(protocol, None, icmp_type, exact=icmp_type is not None)
    source: tuple[PortRange, ...] | None = None
    destination: tuple[PortRange, ...] | None = None
    index = 0
    while index < len(words):
        side = "destination"
        if words[index] in {"source", "destination"}:
            side = words[index]
            index += 1
        if index >= len(words) or words[index] not in _PORT_OPERATORS:
            return Service(protocol, source, destination, exact=False)
        ports = _ports(words[index:])
        if ports is None:
            return Service(protocol, None, None, exact=False)
        if side == "source":
            source = ports
        else:
            destination = ports
        index += _port_words(words, index)
    return Service(protocol, source, destination)


def _read_objects(text: _FirewallText, blocks: list[Block]) -> None:
    """Collect object and object-group blocks (a repeated `object network` is merged)."""
    for block in blocks:
        words = block.header.split()
        if words[:1] not in (["object"], ["object-group"]) or len(words) < 3:
            continue
        name = words[2]
        existing = text.objects.get(name)
        if existing is not None:
            existing.lines.extend(block.children)
            continue
        kind: Literal["object", "object-group"] = (
            "object" if words[0] == "object" else "object-group"
        )
        argument = words[3] if len(words) > 3 else None
        text.objects[name] = _ObjectText(kind, words[1], argument, list(block.lines))


def _endpoint(text: _FirewallText, words: list[str], index: int) -> tuple[AddressSet, int]:
    """The source or destination at `words[index]` and the index after it.

    Raises:
        ValueError: the words are no endpoint the ASA prints.
    """
    word = words[index]
    if word == "any":
        return ANY_ADDRESS, index + 1
    if word == "any4":
        return AddressSet((IPNetwork("0.0.0.0/0"),)), index + 1
    if word == "any6":
        return AddressSet((IPNetwork("::/0"),)), index + 1
    if word == "host":
        return AddressSet((IPNetwork(text.address(words[index + 1])),)), index + 2
    if word in {"object", "object-group"}:
        found = text.network(words[index + 1])
        if found is None:
            text.problems.append(f"undefined network object {words[index + 1]}")
            return AddressSet(exact=False), index + 2
        return found.addresses, index + 2
    if word == "interface":
        interface = text.interfaces.get(words[index + 1])
        addresses = () if interface is None else interface.addresses
        hosts = tuple(IPNetwork(address.ip) for address in addresses)
        return AddressSet(hosts, exact=bool(hosts)), index + 2
    if word in _IDENTITY_KEYWORDS:
        inner, after = _endpoint(text, words, index + _IDENTITY_KEYWORDS[word])
        return AddressSet(inner.networks, inner.any, exact=False), after
    if "/" in word:
        return AddressSet((IPNetwork(word).cidr,)), index + 1
    network = IPNetwork(f"{text.address(word)}/{words[index + 1]}").cidr
    return AddressSet((network,)), index + 2


def _port_spec(
    text: _FirewallText, words: list[str], index: int, protocols: tuple[Service, ...]
) -> tuple[tuple[PortRange, ...] | None, bool, int]:
    """An optional port (or ICMP type) qualifier at `words[index]`.

    Returns:
        The port ranges (None: no qualifier or unreadable), whether they are exact, and the
        index after the qualifier.
    """
    if index >= len(words):
        return None, True, index
    word = words[index]
    if word in _PORT_OPERATORS:
        ports = _ports(words[index:])
        return ports, ports is not None, index + _port_words(words, index)
    if word == "object-group" and index + 1 < len(words):
        found = text.objects.get(words[index + 1])
        group = text.service(words[index + 1])
        if (
            found is not None
            and group is not None
            and (found.family == "icmp-type" or (found.family == "service" and found.argument))
        ):
            ranges = [r for s in group.services for r in s.destination_ports or ()]
            exact = group.exact and all(s.destination_ports for s in group.services)
            return tuple(ranges), exact, index + 2
    if any(s.protocol in _ICMP for s in protocols):
        icmp_type = _icmp_type(word)
        if icmp_type is not None:
            return icmp_type, True, index + 1
    return None, True, index


def _options(words: list[str], index: int) -> tuple[bool, bool, bool]:
    """`log`, `inactive`, `time-range`... after the endpoints: (log, inactive, understood)."""
    log = inactive = False
    understood = True
    while index < len(words):
        word = words[index]
        if word == "log":
            log = words[index + 1 : index + 2] != ["disable"]
            index += 1
            while index < len(words) and words[index] not in {"inactive", "time-range"}:
                index += 1
        elif word == "inactive":
            inactive = True
            index += 1
        else:
            understood = False  # time-range and anything newer: not always in force
            index += 1
    return log, inactive, understood


def _protocol_spec(text: _FirewallText, words: list[str]) -> tuple[tuple[Service, ...], int]:
    """The protocol or service object after the action and the index after it."""
    if words[0] in {"object", "object-group"}:
        group = text.service(words[1])
        if group is None:
            text.problems.append(f"undefined service object {words[1]}")
            return (Service("ip", exact=False),), 2
        services = tuple(
            s if group.exact else Service(s.protocol, s.source_ports, s.destination_ports, False)
            for s in group.services
        )
        return services or (Service("ip", exact=False),), 2
    return (Service(words[0]),), 1


def _extended_entry(text: _FirewallText, acl: str, line: str, words: list[str]) -> AccessListEntry:
    """`permit|deny PROTO SRC [PORT] DST [PORT] [options]` (words after `extended`)."""
    action: Literal["permit", "deny"] = "permit" if words[0] == "permit" else "deny"
    base, index = _protocol_spec(text, words[1:])
    index += 1
    source, index = _endpoint(text, words, index)
    source_ports, source_exact, index = _port_spec(text, words, index, base)
    destination, index = _endpoint(text, words, index)
    destination_ports, destination_exact, index = _port_spec(text, words, index, base)
    log, inactive, understood = _options(words, index)
    services = tuple(
        Service(
            s.protocol,
            source_ports if source_ports is not None else s.source_ports,
            destination_ports if destination_ports is not None else s.destination_ports,
            exact=s.exact and source_exact and destination_exact,
        )
        for s in base
    )
    exact = understood and source.exact and destination.exact and all(s.exact for s in services)
    return AccessListEntry(acl, action, services, source, destination, line, log, inactive, exact)


def _standard_entry(text: _FirewallText, acl: str, line: str, words: list[str]) -> AccessListEntry:
    """`permit|deny DST` of a standard access list (it matches destinations)."""
    action: Literal["permit", "deny"] = "permit" if words[0] == "permit" else "deny"
    destination, _ = _endpoint(text, words, 1)
    return AccessListEntry(
        acl, action, (Service("ip"),), ANY_ADDRESS, destination, line, exact=destination.exact
    )


def _access_lists(text: _FirewallText, blocks: list[Block]) -> dict[str, AccessList]:
    lines: dict[str, list[str]] = {}
    entries: dict[str, list[AccessListEntry]] = {}
    kinds: dict[str, Literal["standard", "extended", "other"]] = {}
    for block in blocks:
        words = block.header.split()
        if words[:1] != ["access-list"] or len(words) < 3:
            continue
        name, rest = words[1], words[2:]
        if rest[0] == "line" and len(rest) > 2:
            rest = rest[2:]
        lines.setdefault(name, []).append(block.header)
        entries.setdefault(name, [])
        if rest[0] == "remark":
            continue
        kind: Literal["standard", "extended", "other"] = (
            rest[0] if rest[0] in {"standard", "extended"} else "other"  # type: ignore[assignment]
        )
        kinds.setdefault(name, kind)
        if kind == "other" or len(rest) < 3:
            continue
        try:
            reader = _extended_entry if kind == "extended" else _standard_entry
            entries[name].append(reader(text, name, block.header, rest[1:]))
        except (ValueError, IndexError, AddrFormatError):
            text.problems.append(f"cannot read '{block.header}'")
            action: Literal["permit", "deny"] = "deny" if rest[1] == "deny" else "permit"
            unknown = AddressSet(exact=False)
            entries[name].append(
                AccessListEntry(
                    name,
                    action,
                    (Service("ip", exact=False),),
                    unknown,
                    unknown,
                    block.header,
                    inactive="inactive" in rest,
                    exact=False,
                )
            )
    return {
        name: AccessList(
            name, kinds.get(name, "extended"), tuple(entries[name]), tuple(lines[name])
        )
        for name in lines
    }


def parse_asa_firewall(
    blocks: list[Block], interfaces: tuple[Interface, ...], names: Mapping[str, str]
) -> FirewallPolicy:
    """Objects, access lists, access groups, routes and same-security settings of an ASA.

    Args:
        blocks: The configuration's top-level blocks.
        interfaces: The interfaces already parsed from the same blocks.
        names: `name` aliases, alias to address.

    Returns:
        The policy; what cannot be resolved is marked inexact and listed in `problems`.
    """
    by_nameif = {i.nameif: i for i in interfaces if i.nameif}
    text = _FirewallText(names, by_nameif)
    _read_objects(text, blocks)
    for name, found in text.objects.items():
        if found.family == "network":
            text.network(name)
        else:
            text.service(name)
    acls = _access_lists(text, blocks)
    groups: list[AccessGroup] = []
    routes: list[Route] = []
    flags: set[str] = set()
    lines: list[str] = []
    for block in blocks:
        words = block.header.split()
        head = words[0] if words else ""
        if head == "access-group" and len(words) >= 3:
            lines.append(block.header)
            if words[2] == "global":
                groups.append(AccessGroup(words[1], "global", None, block.header))
            elif words[2] in {"in", "out"} and len(words) >= 5:
                direction: Literal["in", "out"] = "in" if words[2] == "in" else "out"
                groups.append(
                    AccessGroup(
                        words[1], direction, words[4], block.header, "control-plane" in words
                    )
                )
        elif head == "same-security-traffic" and words[1:2] == ["permit"] and len(words) > 2:
            flags.add(words[2])
            lines.append(block.header)
        elif head == "route" and len(words) >= 5 and text.is_address(words[2]):
            try:
                prefix = IPNetwork(f"{text.address(words[2])}/{words[3]}").cidr
                hop = text.address(words[4]) if text.is_address(words[4]) else None
            except (ValueError, AddrFormatError):
                text.problems.append(f"cannot read '{block.header}'")
                continue
            routes.append(Route(prefix, hop, block.header, interface=words[1]))
    return FirewallPolicy(
        interfaces=by_nameif,
        network_objects=dict(text.networks),
        service_objects=dict(text.services),
        acls=acls,
        access_groups=tuple(groups),
        routes=tuple(routes),
        same_security_inter="inter-interface" in flags,
        same_security_intra="intra-interface" in flags,
        lines=tuple(lines),
        problems=tuple(dict.fromkeys(text.problems)),
    )
