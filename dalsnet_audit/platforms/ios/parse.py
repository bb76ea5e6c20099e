"""Cisco IOS / IOS-XE: running configuration and show outputs into the vendor-neutral model.

The configuration is split into blocks by netutils' `IOSConfigParser`; `show version` and
`show interfaces status` are read with ntc-templates (TextFSM). `show ip ssh` has no
ntc-template, so its `key: value` lines are read here (fixture: tests/fixtures/real/ios).
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from netaddr import AddrFormatError, IPAddress, IPNetwork
from netutils.interface import canonical_interface_name

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.acl import (
    ANY_ADDRESS,
    AccessList,
    AccessListEntry,
    AddressSet,
    PortRange,
    Service,
)
from dalsnet_audit.model.device import (
    Aaa,
    AaaMethodList,
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
    LoginLogging,
    NtpConfig,
    SnmpCommunity,
    SnmpConfig,
    SnmpGroup,
    SshServer,
    Switchport,
    TerminalLine,
    TransformSet,
    Vlan,
)
from dalsnet_audit.model.enums import SecretKind
from dalsnet_audit.model.route import Route
from dalsnet_audit.model.source import LineSource, same_file
from dalsnet_audit.parse.addressing import (
    host_network,
    interface_address,
    is_ipv4_address,
    vlan_list,
    wildcard_network,
)
from dalsnet_audit.parse.blocks import (
    Block,
    config_blocks,
    device_lines,
    last_line,
    line_source,
)
from dalsnet_audit.parse.textfsm import parse_show
from dalsnet_audit.platforms.ios import access

# IKEv1 ISAKMP policy defaults when a line is absent (Cisco IOS Security Command Reference).
_ISAKMP_DEFAULTS: dict[str, tuple[str, ...] | tuple[int, ...]] = {
    "encr": ("des",),
    "hash": ("sha",),
    "group": (1,),
}


@dataclass
class _Reader:
    """Accumulates what the configuration says, block by block."""

    hostname: str | None = None
    hostname_line: str | None = None
    interfaces: list[Interface] = field(default_factory=list)
    vlans: list[Vlan] = field(default_factory=list)
    vrfs: list[str] = field(default_factory=list)
    acls: dict[str, AccessList] = field(default_factory=dict)
    numbered_acl_lines: dict[str, list[str]] = field(default_factory=dict)
    terminal_lines: list[TerminalLine] = field(default_factory=list)
    aaa_new_model: bool = False
    aaa_source: str | None = None
    aaa_servers: list[AaaServer] = field(default_factory=list)
    aaa_groups: list[AaaServerGroup] = field(default_factory=list)
    method_lists: list[AaaMethodList] = field(default_factory=list)
    logging_hosts: list[IPAddress] = field(default_factory=list)
    logging_source: str | None = None
    timestamps_log: str | None = None
    logging_lines: list[str] = field(default_factory=list)
    ntp_servers: list[IPAddress] = field(default_factory=list)
    ntp_source: str | None = None
    ntp_lines: list[str] = field(default_factory=list)
    communities: list[SnmpCommunity] = field(default_factory=list)
    snmp_groups: list[SnmpGroup] = field(default_factory=list)
    snmp_source: str | None = None
    snmp_lines: list[str] = field(default_factory=list)
    ssh_version: int | None = None
    ssh_ciphers: tuple[str, ...] | None = None
    ssh_macs: tuple[str, ...] | None = None
    ssh_kex: tuple[str, ...] | None = None
    ssh_dh_min: int | None = None
    ssh_source: str | None = None
    ssh_lines: list[str] = field(default_factory=list)
    http: bool = False
    https: bool = False
    http_access_class: str | None = None
    http_lines: list[str] = field(default_factory=list)
    users: list[LocalUser] = field(default_factory=list)
    enable: list[EnableSecret] = field(default_factory=list)
    ike: list[IkeProposal] = field(default_factory=list)
    transform_sets: list[TransformSet] = field(default_factory=list)
    ipsec_profiles: list[str] = field(default_factory=list)
    ikev2_profiles: list[str] = field(default_factory=list)
    crypto_maps: list[str] = field(default_factory=list)
    static_routes: list[Route] = field(default_factory=list)
    ip_routing: bool | None = None
    any_switchport: bool = False
    bare_switchport: bool = False
    banners: dict[str, str] = field(default_factory=dict)
    login_block_for: str | None = None
    login_success: str | None = None
    login_failure: str | None = None
    logging_on: bool = True
    logging_off_line: str | None = None
    trap_level: str | None = "informational"  # IOS sends informational and worse by default
    trap_line: str | None = None
    timestamps_line: str | None = None


def _interface_kind(
    name: str,
) -> Literal["physical", "subinterface", "svi", "loopback", "tunnel", "aggregate", "other"]:
    lowered = name.lower()
    if lowered.startswith("vlan"):
        return "svi"
    if lowered.startswith("loopback"):
        return "loopback"
    if lowered.startswith("tunnel"):
        return "tunnel"
    if lowered.startswith(("port-channel", "bundle")):
        return "aggregate"
    if "." in name:
        return "subinterface"
    if lowered.startswith(("null", "bdi", "virtual", "nve")):
        return "other"
    return "physical"


def _read_interface(block: Block, reader: _Reader) -> None:
    name = block.header.split(None, 1)[1].strip()
    kind = _interface_kind(name)
    description = None
    enabled = True
    addresses: list[IPNetwork] = []
    vrf = acl_in = acl_out = crypto_map = protection = None
    vlan = int(name[4:]) if kind == "svi" and name[4:].isdigit() else None
    mode: Literal["access", "trunk", "dynamic"] | None = None
    access_vlan, voice_vlan, native_vlan = 1, None, 1
    trunk_lines: list[str] = []
    has_switchport = no_switchport = False
    for child in block.children:
        words = child.split()
        if not words:
            continue
        head = words[0]
        if head == "description":
            description = child.strip()[len("description") :].strip()
        elif head == "shutdown":
            enabled = False
        elif words[:2] == ["ip", "address"]:
            if len(words) >= 4 and words[2] not in {"dhcp", "negotiated"}:
                addresses.append(interface_address(words[2], words[3]))
        elif words[:2] in (["vrf", "forwarding"], ["ip", "vrf"]) and len(words) >= 3:
            vrf = words[-1]
        elif words[:2] == ["ip", "access-group"] and len(words) >= 4:
            if words[3] == "in":
                acl_in = words[2]
            elif words[3] == "out":
                acl_out = words[2]
        elif head == "encapsulation" and len(words) >= 3 and words[1].lower() == "dot1q":
            vlan = int(words[2])
        elif words[:2] == ["crypto", "map"] and len(words) >= 3:
            crypto_map = words[2]
        elif words[:3] == ["tunnel", "protection", "ipsec"] and len(words) >= 5:
            protection = words[4]
        elif head == "switchport":
            has_switchport = True
            if len(words) == 1:
                reader.bare_switchport = True
            if words[1:2] == ["mode"] and len(words) >= 3:
                mode = (
                    "access"
                    if words[2] == "access"
                    else "trunk"
                    if words[2] == "trunk"
                    else "dynamic"
                )
            elif words[1:3] == ["access", "vlan"] and len(words) >= 4 and words[3].isdigit():
                access_vlan = int(words[3])
            elif words[1:3] == ["voice", "vlan"] and len(words) >= 4 and words[3].isdigit():
                voice_vlan = int(words[3])
            elif words[1:4] == ["trunk", "native", "vlan"] and len(words) >= 5:
                native_vlan = int(words[4])
            elif words[1:4] == ["trunk", "allowed", "vlan"]:
                trunk_lines.append(child.strip())
        elif words[:2] == ["no", "switchport"]:
            no_switchport = True
    if has_switchport:
        reader.any_switchport = True
    switchport = None
    if has_switchport and not no_switchport:
        switchport = Switchport(
            mode=mode,
            access_vlan=access_vlan,
            voice_vlan=voice_vlan,
            trunk_allowed=vlan_list("\n".join(trunk_lines)) if trunk_lines else None,
            native_vlan=native_vlan,
        )
    reader.interfaces.append(
        Interface(
            name=name,
            kind=kind,
            description=description,
            is_enabled=enabled,
            addresses=tuple(addresses),
            vrf=vrf,
            vlan=vlan,
            switchport=switchport,
            acl_in=acl_in,
            acl_out=acl_out,
            crypto_map=crypto_map,
            tunnel_protection=protection,
            lines=block.lines,
        )
    )


def _default_switchports(reader: _Reader) -> list[Interface]:
    """Physical ports of a switch without switchport lines are access ports in VLAN 1.

    Out-of-band management ports are not: they carry no slash in their name (`FastEthernet0`
    on a WS-C2960X) or sit in a VRF (`GigabitEthernet0/0` in `Mgmt-vrf` on a Catalyst 9300).

    Platforms whose ports are routed by default (Catalyst 6500 native IOS) print a bare
    `switchport` line on every layer-2 port; there, a port without one stays routed.
    """
    if not reader.any_switchport or reader.bare_switchport:
        return reader.interfaces
    return [
        replace(intf, switchport=Switchport(None, 1, None, None, 1))
        if (
            intf.kind == "physical"
            and intf.switchport is None
            and not intf.addresses
            and not any(line.split()[:2] == ["no", "switchport"] for line in intf.lines)
            and intf.vrf is None
            and "/" in intf.name
        )
        else intf
        for intf in reader.interfaces
    ]


def _acl_endpoint(words: list[str], index: int) -> tuple[IPNetwork | None, int, bool]:
    """Read `any`, `host A`, `A WILDCARD` or `A` at `index`: (network, next index, understood)."""
    if index >= len(words):
        return None, index, False
    word = words[index]
    if word in {"any", "any4"}:
        return None, index + 1, True
    if word == "host" and index + 1 < len(words):
        if is_ipv4_address(words[index + 1]):
            return host_network(words[index + 1]), index + 2, True
        return None, index + 2, False
    if word in {"object-group", "addrgroup"}:
        return None, index + 2, False
    if index + 1 < len(words) and is_ipv4_address(word) and is_ipv4_address(words[index + 1]):
        return wildcard_network(word, words[index + 1]), index + 2, True
    if is_ipv4_address(word):
        return host_network(word), index + 1, True
    return None, index + 1, False


_PORT_OPERATORS = {"eq", "neq", "lt", "gt", "range"}
_MAX_PORT = 65535
# The port keywords IOS accepts in extended access lists (TCP and UDP), by number
# (Cisco IOS Security Command Reference, `permit (IP)`/`deny (IP)`).
IOS_PORTS: Mapping[str, int] = {
    "bgp": 179,
    "biff": 512,
    "bootpc": 68,
    "bootps": 67,
    "chargen": 19,
    "cmd": 514,
    "daytime": 13,
    "discard": 9,
    "dnsix": 195,
    "domain": 53,
    "drip": 3949,
    "echo": 7,
    "exec": 512,
    "finger": 79,
    "ftp": 21,
    "ftp-data": 20,
    "gopher": 70,
    "hostname": 101,
    "ident": 113,
    "irc": 194,
    "isakmp": 500,
    "klogin": 543,
    "kshell": 544,
    "login": 513,
    "lpd": 515,
    "mobile-ip": 434,
    "nameserver": 42,
    "netbios-dgm": 138,
    "netbios-ns": 137,
    "netbios-ss": 139,
    "nntp": 119,
    "non500-isakmp": 4500,
    "ntp": 123,
    "onep-plain": 15001,
    "onep-tls": 15002,
    "pim-auto-rp": 496,
    "pop2": 109,
    "pop3": 110,
    "rip": 520,
    "smtp": 25,
    "snmp": 161,
    "snmptrap": 162,
    "sunrpc": 111,
    "syslog": 514,
    "tacacs": 49,
    "talk": 517,
    "telnet": 23,
    "tftp": 69,
    "time": 37,
    "uucp": 540,
    "who": 513,
    "whois": 43,
    "www": 80,
    "xdmcp": 177,
}


# ICMP message names IOS accepts that stand for a whole type (a name for a type and code,
# `port-unreachable`, is not here: such an entry is inexact).
_ICMP_TYPES: Mapping[str, int] = {
    "echo-reply": 0, "unreachable": 3, "source-quench": 4, "redirect": 5, "echo": 8,
    "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11,
    "ttl-exceeded": 11, "parameter-problem": 12, "timestamp-request": 13,
    "timestamp-reply": 14, "information-request": 15, "information-reply": 16,
    "mask-request": 17, "mask-reply": 18, "traceroute": 30,
}  # fmt: skip
_LOGGING = frozenset({"log", "log-input"})


def _icmp_type(word: str) -> int | None:
    if word.isdigit():
        return int(word) if int(word) <= 255 else None
    return _ICMP_TYPES.get(word)


def _port_number(word: str) -> int | None:
    if word.isdigit():
        number = int(word)
        return number if number <= _MAX_PORT else None
    return IOS_PORTS.get(word)


def _acl_ports(words: list[str], index: int) -> tuple[tuple[PortRange, ...] | None, int, bool]:
    """The port operator at `words[index]`: its ranges, the index after it, and if it was read.

    `eq` takes one or more ports (`eq www 443`), `range` two, the others one. A port name IOS
    knows but this table does not leaves the ranges unknown (`None`, not read).
    """
    operator = words[index]
    if operator == "range":
        bounds = [_port_number(w) for w in words[index + 1 : index + 3]]
        low, high = [*bounds, None, None][:2]
        if low is None or high is None or low > high:
            return None, index + 3, False
        return (PortRange(low, high),), index + 3, True
    if operator == "eq":
        ports: list[PortRange] = []
        index += 1
        while index < len(words) and (number := _port_number(words[index])) is not None:
            ports.append(PortRange(number, number))
            index += 1
        return (tuple(ports), index, True) if ports else (None, index + 1, False)
    number = _port_number(words[index + 1]) if index + 1 < len(words) else None
    if number is None:
        return None, index + 2, False
    if operator == "lt":
        return (
            ((PortRange(0, number - 1),), index + 2, True)
            if number > 0
            else (None, index + 2, False)
        )
    if operator == "gt":
        if number >= _MAX_PORT:
            return None, index + 2, False
        return (PortRange(number + 1, _MAX_PORT),), index + 2, True
    return (PortRange(0, number - 1), PortRange(number + 1, _MAX_PORT)), index + 2, True


def _addresses(network: IPNetwork | None, understood: bool) -> AddressSet:
    """An endpoint as an address set: `any`, one network, or unknown (`exact=False`)."""
    if not understood:
        return AddressSet(exact=False)
    return ANY_ADDRESS if network is None else AddressSet(networks=(network,))


def _acl_entry(
    text: str, kind: Literal["standard", "extended"], name: str
) -> AccessListEntry | None:
    """One entry of list `name` (`text` as the device prints it); a remark is only a line.

    Ports are read on both endpoints (`eq`, `neq`, `lt`, `gt`, `range`); `established` matches
    only the return traffic of a session, so such an entry is inexact (it may or may not match
    a new flow), as is one whose port words are not understood.
    """
    words = text.split()
    if words[:1] == ["access-list"]:
        words = words[2:]  # a numbered list's line: `access-list 101 permit ...`
    if words and words[0].isdigit():
        words = words[1:]
    if words[:1] in (["dynamic"], ["evaluate"]):
        # A lock-and-key or reflexive entry permits what the model cannot say: any flow may.
        return AccessListEntry(
            name, "permit", (Service("ip", exact=False),), AddressSet(exact=False),
            AddressSet(exact=False), text, exact=False,
        )  # fmt: skip
    if not words or words[0] not in {"permit", "deny"}:
        return None
    action: Literal["permit", "deny"] = words[0]  # type: ignore[assignment]
    if kind == "standard":
        source, _, exact = _acl_endpoint(words, 1)
        return AccessListEntry(
            name,
            action,
            (Service("ip"),),
            _addresses(source, exact),
            ANY_ADDRESS,
            text,
            exact=exact,
        )
    protocol = words[1] if len(words) > 1 else "ip"
    source, index, source_exact = _acl_endpoint(words, 2)
    source_ports: tuple[PortRange, ...] | None = None
    ports_read = True
    if index < len(words) and words[index] in _PORT_OPERATORS:
        source_ports, index, ports_read = _acl_ports(words, index)
    destination, index, destination_exact = _acl_endpoint(words, index)
    destination_ports: tuple[PortRange, ...] | None = None
    if index < len(words) and words[index] in _PORT_OPERATORS:
        destination_ports, index, read = _acl_ports(words, index)
        ports_read = ports_read and read
    elif protocol == "icmp" and index < len(words):
        icmp_type = _icmp_type(words[index])
        if icmp_type is not None:
            destination_ports = (PortRange(icmp_type, icmp_type),)
            index += 1
    # Anything after the endpoints but logging narrows the entry in a way the model does not
    # hold (`established`, `dscp`, `ttl`, TCP flags, an ICMP code, `time-range`, a port name
    # this table lacks): the entry may or may not match a flow.
    service_exact = ports_read and all(word in _LOGGING for word in words[index:])
    return AccessListEntry(
        name,
        action,
        (Service(protocol, source_ports, destination_ports, exact=service_exact),),
        _addresses(source, source_exact),
        _addresses(destination, destination_exact),
        text,
        exact=source_exact and destination_exact and service_exact,
    )


def _read_named_acl(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 4 or words[2] not in {"standard", "extended"}:
        return
    kind: Literal["standard", "extended"] = words[2]  # type: ignore[assignment]
    entries = tuple(
        entry for child in block.children if (entry := _acl_entry(child, kind, words[3]))
    )
    reader.acls[words[3]] = AccessList(words[3], kind, entries, block.lines)


def _read_numbered_acl(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 3:
        return
    reader.numbered_acl_lines.setdefault(words[1], []).append(block.header)


def _finish_numbered_acls(reader: _Reader) -> None:
    for number, lines in reader.numbered_acl_lines.items():
        value = int(number) if number.isdigit() else 0
        kind: Literal["standard", "extended"] = (
            "standard" if value < 100 or 1300 <= value < 2000 else "extended"
        )
        entries = tuple(entry for line in lines if (entry := _acl_entry(line, kind, number)))
        reader.acls[number] = AccessList(number, kind, entries, tuple(lines))


def _read_line(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 3:
        return
    kind_word = words[1]
    kind: Literal["con", "vty", "aux"]
    if kind_word.startswith("con"):
        kind = "con"
    elif kind_word == "vty":
        kind = "vty"
    elif kind_word == "aux":
        kind = "aux"
    else:
        return
    first = int(words[2]) if words[2].isdigit() else 0
    last = int(words[3]) if len(words) > 3 and words[3].isdigit() else first
    transport: tuple[str, ...] | None = None
    access_class = login = None
    timeout: int | None = None
    password: tuple[str, str] | None = None
    for child in block.children:
        cw = child.split()
        if cw[:1] == ["password"] and len(cw) >= 2:
            password = (cw[1] if len(cw) > 2 and cw[1] in {"0", "7"} else "0", child)
        elif cw[:2] == ["transport", "input"]:
            transport = tuple(cw[2:])
        elif cw[:1] == ["access-class"] and len(cw) >= 3 and cw[2] == "in":
            access_class = cw[1]
        elif cw[:1] == ["exec-timeout"] and len(cw) >= 2:
            seconds = int(cw[2]) if len(cw) > 2 else 0
            timeout = int(cw[1]) * 60 + seconds
        elif cw[:2] == ["no", "exec-timeout"]:
            timeout = 0
        elif cw[:2] == ["login", "authentication"] and len(cw) >= 3:
            login = cw[2]
    reader.terminal_lines.append(
        TerminalLine(
            kind,
            first,
            last,
            transport,
            access_class,
            timeout,
            login,
            block.lines,
            password_type=password[0] if password else None,
            password_line=password[1] if password else None,
        )
    )


def _server_address(block: Block) -> IPAddress | None:
    for args in block.child_args("address ipv4"):
        if args:
            return IPAddress(args[0])
    return None


def _read_aaa(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if words[:2] == ["aaa", "new-model"]:
        reader.aaa_new_model = True
    elif words[:3] == ["aaa", "group", "server"] and len(words) >= 5:
        protocol: Literal["tacacs+", "radius"] = (
            "tacacs+" if words[3].startswith("tacacs") else "radius"
        )
        servers = tuple(args[-1] for args in block.child_args("server") if args)
        reader.aaa_groups.append(AaaServerGroup(words[4], protocol, servers, block.lines))
    elif words[1] in {"authentication", "authorization", "accounting"} and len(words) >= 4:
        service = words[1]
        rest = words[2:]
        kind = rest[0]
        if kind in {"commands", "exec"} and len(rest) > 1 and rest[1].isdigit():
            kind, rest = f"{rest[0]} {rest[1]}", rest[1:]
        name = rest[1] if len(rest) > 1 else "default"
        methods = tuple(rest[2:])
        reader.method_lists.append(
            AaaMethodList(service, kind, name, methods, block.header)  # type: ignore[arg-type]
        )


def _read_aaa_server(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    protocol: Literal["tacacs+", "radius"] = "tacacs+" if words[0] == "tacacs" else "radius"
    if len(words) >= 3:
        reader.aaa_servers.append(
            AaaServer(words[2], protocol, _server_address(block), block.lines)
        )


def _read_legacy_aaa_host(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    protocol: Literal["tacacs+", "radius"] = (
        "tacacs+" if words[0].startswith("tacacs") else "radius"
    )
    if len(words) >= 3 and words[1] == "host" and is_ipv4_address(words[2]):
        reader.aaa_servers.append(AaaServer(words[2], protocol, IPAddress(words[2]), block.lines))


def _read_logging(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    reader.logging_lines.append(block.header)
    if words[1:2] == ["host"]:
        for word in words[2:]:
            if is_ipv4_address(word):
                reader.logging_hosts.append(IPAddress(word))
                break
    elif len(words) == 2 and is_ipv4_address(words[1]):
        reader.logging_hosts.append(IPAddress(words[1]))
    elif words[1:2] == ["source-interface"] and len(words) >= 3:
        reader.logging_source = words[2]
    elif words[1:2] == ["trap"]:
        reader.trap_level = words[2] if len(words) > 2 else "informational"
        reader.trap_line = block.header
    elif words[1:2] == ["on"]:
        reader.logging_on, reader.logging_off_line = True, None


def _read_ntp(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    reader.ntp_lines.append(block.header)
    if words[1:2] == ["server"]:
        for word in words[2:]:
            if is_ipv4_address(word):
                reader.ntp_servers.append(IPAddress(word))
                break
    elif words[1:2] == ["source"] and len(words) >= 3:
        reader.ntp_source = words[2]


_WORD_OR_QUOTED = re.compile(r'"[^"]*"|\S+')


def _read_snmp(block: Block, reader: _Reader) -> None:
    # A community may be quoted with spaces in it (`"two words"`): one word, never its ACL.
    words = _WORD_OR_QUOTED.findall(block.header)
    reader.snmp_lines.append(block.header)
    if words[1:2] == ["community"] and len(words) >= 3:
        rest = words[3:]
        if rest[:1] == ["view"]:
            rest = rest[2:]
        mode: Literal["ro", "rw"] = "ro"
        if rest and rest[0].lower() in {"ro", "rw"}:
            mode = "rw" if rest[0].lower() == "rw" else "ro"
            rest = rest[1:]
        if rest[:1] == ["ipv6"]:
            rest = rest[2:]
        acl = rest[0] if rest else None
        name = words[2][1:-1] if len(words[2]) > 1 and words[2].startswith('"') else words[2]
        reader.communities.append(SnmpCommunity(name, mode, acl, block.header))
    elif words[1:2] == ["group"] and len(words) >= 4:
        version = words[3] if words[3] in {"v1", "v2c", "v3"} else "v1"
        level = words[4] if version == "v3" and len(words) > 4 else None
        acl = words[words.index("access") + 1] if "access" in words[:-1] else None
        reader.snmp_groups.append(
            SnmpGroup(words[2], version, level, acl, block.header)  # type: ignore[arg-type]
        )
    elif words[1:2] == ["source-interface"] and len(words) >= 3:
        reader.snmp_source = words[-1]


def _read_ip(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    second = words[1] if len(words) > 1 else ""
    if second == "ssh":
        reader.ssh_lines.append(block.header)
        if words[2:3] == ["version"] and len(words) > 3:
            reader.ssh_version = int(words[3]) if words[3].isdigit() else None
        elif words[2:4] == ["server", "algorithm"] and len(words) > 5:
            algorithms = tuple(words[5:])
            if words[4] == "encryption":
                reader.ssh_ciphers = algorithms
            elif words[4] == "mac":
                reader.ssh_macs = algorithms
            elif words[4] == "kex":
                reader.ssh_kex = algorithms
        elif words[2:5] == ["dh", "min", "size"] and len(words) > 5:
            reader.ssh_dh_min = int(words[5])
        elif words[2:3] == ["source-interface"] and len(words) > 3:
            reader.ssh_source = words[3]
    elif second == "http":
        reader.http_lines.append(block.header)
        if words[2:3] == ["server"]:
            reader.http = True
        elif words[2:3] == ["secure-server"]:
            reader.https = True
        elif words[2:3] == ["access-class"]:
            reader.http_access_class = words[-1]
    elif second == "access-list":
        _read_named_acl(block, reader)
    elif second == "routing":
        reader.ip_routing = True
    elif second == "route":
        _read_static_route(block, reader)
    elif second == "vrf" and len(words) > 2:
        reader.vrfs.append(words[2])
    elif second in {"tacacs", "radius"} and "source-interface" in words[:-1]:
        reader.aaa_source = words[words.index("source-interface") + 1]


def _read_static_route(block: Block, reader: _Reader) -> None:
    words = block.header.split()[2:]
    vrf = None
    if words[:1] == ["vrf"] and len(words) > 1:
        vrf, words = words[1], words[2:]
    if len(words) < 3 or not is_ipv4_address(words[0]):
        return
    prefix = interface_address(words[0], words[1]).cidr
    hop = next((IPAddress(w) for w in words[2:4] if is_ipv4_address(w)), None)
    reader.static_routes.append(Route(prefix, hop, block.header, vrf=vrf))


def _read_no(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if words[1:3] == ["ip", "routing"]:
        reader.ip_routing = False
    elif words[1:3] == ["ip", "http"]:
        reader.http_lines.append(block.header)
    elif words[1:3] == ["logging", "on"]:
        reader.logging_on, reader.logging_off_line = False, block.header
        reader.logging_lines.append(block.header)
    elif words[1:3] == ["logging", "trap"]:
        reader.trap_level, reader.trap_line = None, block.header
        reader.logging_lines.append(block.header)


def _type_and_kind(words: list[str], keyword_index: int) -> tuple[str, int]:
    """Hash type digit after `password`/`secret` (0 when absent) and the index of the value."""
    after = words[keyword_index + 1 : keyword_index + 3]
    if len(after) == 2 and after[0].isdigit() and len(after[0]) == 1:
        return after[0], keyword_index + 2
    return "0", keyword_index + 1


def _read_username(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 3:
        return
    # words[1] is the user's name, whatever it is (a user may be called `privilege`).
    options = words[2:]
    privilege = (
        int(options[options.index("privilege") + 1]) if "privilege" in options[:-1] else None
    )
    for keyword in (SecretKind.SECRET, SecretKind.PASSWORD):
        if keyword in options:
            hash_type, _ = _type_and_kind(words, 2 + options.index(keyword))
            reader.users.append(LocalUser(words[1], privilege, keyword, hash_type, block.header))
            return
    reader.users.append(LocalUser(words[1], privilege, SecretKind.PASSWORD, "none", block.header))


def _read_enable(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) >= 3 and words[1] in {"secret", "password"}:
        hash_type, _ = _type_and_kind(words, 1)
        if words[2:3] == ["level"]:
            hash_type, _ = _type_and_kind(words, 3)
        reader.enable.append(EnableSecret(SecretKind(words[1]), hash_type, block.header))


def _read_crypto(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if words[1:3] == ["isakmp", "policy"] and len(words) > 3:
        values: dict[str, tuple[str, ...] | tuple[int, ...]] = dict(_ISAKMP_DEFAULTS)
        for args in block.child_args("encryption") + block.child_args("encr"):
            values["encr"] = (args[0] if args[0] != "aes" else f"aes{''.join(args[1:2])}",)
        for args in block.child_args("hash"):
            values["hash"] = (args[0],)
        for args in block.child_args("group"):
            values["group"] = (int(args[0]),)
        reader.ike.append(
            IkeProposal(
                f"isakmp policy {words[3]}",
                1,
                tuple(str(v) for v in values["encr"]),
                tuple(str(v) for v in values["hash"]),
                tuple(int(v) for v in values["group"]),
                block.lines,
            )
        )
    elif words[1:3] == ["ikev2", "proposal"] and len(words) > 3:
        encryption = tuple(a for args in block.child_args("encryption") for a in args)
        integrity = tuple(a for args in block.child_args("integrity") for a in args)
        prf = tuple(a for args in block.child_args("prf") for a in args)
        groups = tuple(int(a) for args in block.child_args("group") for a in args if a.isdigit())
        reader.ike.append(
            IkeProposal(words[3], 2, encryption, integrity + prf, groups, block.lines)
        )
    elif words[1:3] == ["ipsec", "transform-set"] and len(words) > 4:
        reader.transform_sets.append(TransformSet(words[3], tuple(words[4:]), block.lines))
    elif words[1:3] == ["ipsec", "profile"] and len(words) > 3:
        reader.ipsec_profiles.append(words[3])
    elif words[1:3] == ["ikev2", "profile"] and len(words) > 3:
        reader.ikev2_profiles.append(words[3])
    elif words[1:2] == ["map"] and len(words) > 2 and words[2] not in reader.crypto_maps:
        reader.crypto_maps.append(words[2])


def _read_banner(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 2:
        return
    text = "\n".join(block.children) or " ".join(words[2:])
    reader.banners[words[1]] = text.strip().strip("^C").strip()


def _read_login(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if words[:2] == ["login", "block-for"]:
        reader.login_block_for = block.header
    elif words[:2] == ["login", "on-success"] and "log" in words:
        reader.login_success = block.header
    elif words[:2] == ["login", "on-failure"] and "log" in words:
        reader.login_failure = block.header


def _read_service(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if words[1:3] == ["timestamps", "log"]:
        reader.timestamps_log = " ".join(words[3:])
        reader.timestamps_line = block.header
        reader.logging_lines.append(block.header)


def _read_vlan(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) < 2 or not words[1][0].isdigit():
        return
    names = block.child_args("name")
    name = names[0][0] if names and names[0] else None
    for vlan_id in vlan_list(f"vlan {words[1]}") or ():
        reader.vlans.append(Vlan(vlan_id, name, block.lines))


def _read_hostname(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) > 1:
        reader.hostname = words[1]
        reader.hostname_line = block.header


def _read_vrf_definition(block: Block, reader: _Reader) -> None:
    words = block.header.split()
    if len(words) > 2:
        reader.vrfs.append(words[2])


_DISPATCH: dict[str, Callable[[Block, _Reader], None]] = {
    "hostname": _read_hostname,
    "interface": _read_interface,
    "vlan": _read_vlan,
    "vrf": _read_vrf_definition,
    "ip": _read_ip,
    "no": _read_no,
    "access-list": _read_numbered_acl,
    "line": _read_line,
    "aaa": _read_aaa,
    "tacacs": _read_aaa_server,
    "radius": _read_aaa_server,
    "tacacs-server": _read_legacy_aaa_host,
    "radius-server": _read_legacy_aaa_host,
    "logging": _read_logging,
    "ntp": _read_ntp,
    "snmp-server": _read_snmp,
    "username": _read_username,
    "enable": _read_enable,
    "crypto": _read_crypto,
    "banner": _read_banner,
    "login": _read_login,
    "service": _read_service,
}


_STRAY_INDENT = re.compile(r"^ (interface|line|router|vlan) ", re.MULTILINE)


def _normalise(config: str) -> str:
    """CRLF to LF; a top-level command printed with one stray leading space back to column 0.

    Both occur in real saved configurations (tests/fixtures/real/ios/*ciscoconfparse*); no IOS
    sub-command starts with these keywords at one space of indentation.
    """
    return same_file(config, _STRAY_INDENT.sub(r"\1 ", config.replace("\r\n", "\n")))


def parse_ios(config: str, shows: Mapping[str, str] | None = None) -> DeviceConfig:
    """Parse an IOS/IOS-XE running configuration and optional show outputs.

    Args:
        config: `show running-config` as the device prints it.
        shows: Raw show outputs by command slug (`show_version`, `show_ip_ssh`,
            `show_interfaces_status`).

    Raises:
        ParseError: the text is not an IOS configuration.
    """
    shows = shows or {}
    text = _normalise(config)
    if "ASA Version" in text[:2000]:
        raise ParseError("an ASA configuration, not IOS (check the inventory's platform)")
    if last_line(text) != "end":
        raise ParseError("no final 'end': the configuration is incomplete (output cut off?)")
    blocks = config_blocks(text, "ios")
    reader = _Reader()
    read: list[Block] = []  # the blocks the model quotes from: only their lines can be cited
    for block in blocks:
        keyword = block.header.split(None, 1)[0] if block.header.strip() else ""
        handler = _DISPATCH.get(keyword)
        if handler is not None:
            read.append(block)
            try:
                handler(block, reader)
            except (ValueError, IndexError, AddrFormatError) as exc:
                raise ParseError(f"cannot read '{block.header}': {exc}") from exc
    if reader.hostname is None and not reader.interfaces:
        raise ParseError("no hostname and no interface: not an IOS configuration")
    _finish_numbered_acls(reader)
    interfaces = _default_switchports(reader)
    if "show_interfaces_status" in shows:
        interfaces = _with_oper_status(interfaces, shows["show_interfaces_status"])
    ssh_source, ssh = _ssh_server(reader, shows.get("show_ip_ssh"))
    config_source = line_source(text, read)
    ip_routing = reader.ip_routing if reader.ip_routing is not None else not reader.any_switchport
    return DeviceConfig(
        hostname=reader.hostname,
        facts=parse_ios_show_version(shows["show_version"]) if "show_version" in shows else Facts(),
        interfaces=tuple(interfaces),
        vlans=tuple(reader.vlans) if reader.vlans else _vlans_from_show(shows),
        vrfs=tuple(reader.vrfs),
        acls=dict(reader.acls),
        terminal_lines=tuple(reader.terminal_lines),
        aaa=Aaa(
            reader.aaa_new_model,
            tuple(reader.aaa_servers),
            tuple(reader.aaa_groups),
            tuple(reader.method_lists),
            reader.aaa_source,
            logins=access.login_paths(
                reader.terminal_lines, reader.method_lists, reader.aaa_new_model
            ),
            accounting=access.accounting_paths(reader.method_lists),
        ),
        logging=LoggingConfig(
            tuple(reader.logging_hosts),
            reader.logging_source,
            reader.timestamps_log,
            tuple(reader.logging_lines),
            enabled=reader.logging_on,
            trap_level=reader.trap_level,
            timestamps=access.timestamps(reader.timestamps_line),
            logins=LoginLogging(
                reader.login_success is not None,
                reader.login_failure is not None,
                tuple(x for x in (reader.login_success, reader.login_failure) if x),
            ),
        ),
        ntp=NtpConfig(tuple(reader.ntp_servers), reader.ntp_source, tuple(reader.ntp_lines)),
        snmp=SnmpConfig(
            tuple(reader.communities),
            tuple(reader.snmp_groups),
            reader.snmp_source,
            tuple(reader.snmp_lines),
        ),
        ssh=ssh,
        http=HttpServer(
            reader.http, reader.https, reader.http_access_class, tuple(reader.http_lines)
        ),
        users=tuple(reader.users),
        enable=tuple(reader.enable),
        crypto=CryptoConfig(
            tuple(reader.ike),
            tuple(reader.transform_sets),
            tuple(reader.ipsec_profiles),
            tuple(reader.crypto_maps),
            ikev2_profiles=tuple(reader.ikev2_profiles),
        ),
        static_routes=tuple(reader.static_routes),
        ip_routing=ip_routing,
        banners=dict(reader.banners),
        login_block_for=reader.login_block_for,
        session_timeouts=access.session_timeouts(reader.terminal_lines),
        login_protection=access.login_protection(reader.login_block_for),
        hostname_line=reader.hostname_line,
        sources=frozenset({"running_config", *shows}),
        line_sources=tuple(x for x in (config_source, ssh_source) if x is not None),
    )


def _with_oper_status(interfaces: list[Interface], output: str) -> list[Interface]:
    status: dict[str, str] = {}
    for row in parse_show("cisco_ios", "show interfaces status", output):
        port = str(row.get("port", ""))
        if port:
            status[canonical_interface_name(port)] = str(row.get("status", ""))
    return [
        replace(intf, oper_status=status[intf.name]) if intf.name in status else intf
        for intf in interfaces
    ]


def _vlans_from_show(shows: Mapping[str, str]) -> tuple[Vlan, ...] | None:
    output = shows.get("show_vlan_brief")
    if output is None:
        return None
    return tuple(
        Vlan(int(row["vlan_id"]), str(row["vlan_name"]), (f"{row['vlan_id']} {row['vlan_name']}",))
        for row in parse_show("cisco_ios", "show vlan brief", output)
        if str(row.get("vlan_id", "")).isdigit()
    )


_SSH_ALGORITHM_LINES = {"Encryption Algorithms", "MAC Algorithms", "KEX Algorithms"}
_VERSION_XE = re.compile(r"Cisco IOS[ -]XE Software, Version\s+(\S+)")


def parse_ios_show_version(output: str) -> Facts:
    """Model, OS and version from `show version` (ntc-templates `cisco_ios_show_version`).

    Raises:
        ParseError: the output carries no version.
    """
    rows = parse_show("cisco_ios", "show version", output)
    if not rows or not rows[0].get("version"):
        raise ParseError("show version: no IOS version found")
    row = rows[0]
    xe = _VERSION_XE.search(output)
    os_name = "IOS-XE" if xe or "IOS-XE" in output or "IOS XE" in output else "IOS"
    version = str(row["version"])
    if xe:
        version = _normalise_xe_version(xe.group(1))
    hardware = row.get("hardware") or []
    serial = row.get("serial") or []
    return Facts(
        hostname=str(row.get("hostname") or "") or None,
        vendor="Cisco",
        model=str(hardware[0]) if hardware else None,
        os=os_name,
        os_version=version,
        serial_number=str(serial[0]) if serial else None,
        uptime=str(row.get("uptime") or "") or None,
        source="show version",
    )


def _normalise_xe_version(text: str) -> str:
    """`17.09.04a` -> `17.9.4a` (IOS-XE prints two-digit fields in its banner)."""
    parts = text.split(".")
    return ".".join(part.lstrip("0") or "0" for part in parts)


def _ssh_server(reader: _Reader, show_ip_ssh: str | None) -> tuple[LineSource | None, SshServer]:
    if show_ip_ssh is None:
        return None, SshServer(
            version=reader.ssh_version,
            ciphers=reader.ssh_ciphers,
            macs=reader.ssh_macs,
            kex=reader.ssh_kex,
            dh_min_bits=reader.ssh_dh_min,
            host_key_bits=None,
            source_interface=reader.ssh_source,
            source="running-config",
            lines=tuple(reader.ssh_lines),
        )
    shown, source = _read_show_ip_ssh(show_ip_ssh)
    return source, SshServer(
        version=shown.version if shown.version is not None else reader.ssh_version,
        ciphers=shown.ciphers or reader.ssh_ciphers,
        macs=shown.macs or reader.ssh_macs,
        kex=shown.kex or reader.ssh_kex,
        dh_min_bits=shown.dh_min_bits or reader.ssh_dh_min,
        host_key_bits=shown.host_key_bits,
        source_interface=reader.ssh_source,
        source="show ip ssh",
        lines=tuple(reader.ssh_lines) + shown.lines,
    )


def parse_show_ip_ssh(output: str) -> SshServer:
    """Read `show ip ssh` (no ntc-template exists): version, algorithms, DH size, RSA key size.

    The RSA host key size is the `Modulus Size` line where IOS prints one, else it is computed
    from the `ssh-rsa` key blob (wrapped over several lines) that follows the key's header.
    """
    return _read_show_ip_ssh(output)[0]


def _read_show_ip_ssh(output: str) -> tuple[SshServer, LineSource | None]:
    """`parse_show_ip_ssh`, and the places of the lines it keeps as evidence."""
    kept: list[tuple[int, str]] = []
    version: int | None = None
    values: dict[str, tuple[str, ...]] = {}
    dh_bits: int | None = None
    rsa_bits: list[int] = []
    evidence: list[str] = []
    blob: list[str] | None = None
    for number, raw in enumerate(device_lines(output), start=1):
        line = raw.strip()
        if blob is not None:
            if line.startswith("IOS Keys in SECSH format") or not line:
                bits = rsa_key_bits("".join(blob))
                if bits:
                    rsa_bits.append(bits)
                blob = None
            else:
                blob.append(line)
                continue
        if line.startswith("SSH Enabled - version"):
            version_text = line.rsplit(None, 1)[-1]
            version = 1 if version_text.startswith("1") else 2
            evidence.append(line)
            kept.append((number, line))
        elif ":" in line and line.split(":", 1)[0] in _SSH_ALGORITHM_LINES:
            key, _, value = line.partition(":")
            values[key] = tuple(v.strip() for v in value.split(",") if v.strip())
            evidence.append(line)
            kept.append((number, line))
        elif line.startswith("Minimum expected Diffie Hellman key size"):
            dh_bits = int(re.sub(r"\D", "", line.rsplit(":", 1)[-1]) or 0) or None
            evidence.append(line)
            kept.append((number, line))
        elif line.startswith("Modulus Size"):
            rsa_bits.append(int(re.sub(r"\D", "", line.split(":", 1)[-1])))
            evidence.append(line)
            kept.append((number, line))
            blob = None
        elif line.startswith("ssh-rsa "):
            blob = [line.split(None, 1)[1]]
    if blob is not None:
        bits = rsa_key_bits("".join(blob))
        if bits:
            rsa_bits.append(bits)
    if version is None:
        raise ParseError("show ip ssh: no 'SSH Enabled - version' line")
    key_bits = min(rsa_bits) if rsa_bits else None
    if key_bits is not None and not any(line.startswith("Modulus Size") for line in evidence):
        evidence.append(f"ssh-rsa host key: {key_bits} bits")
    origin = getattr(output, "origin", None)
    return SshServer(
        version=version,
        ciphers=values.get("Encryption Algorithms"),
        macs=values.get("MAC Algorithms"),
        kex=values.get("KEX Algorithms"),
        dh_min_bits=dh_bits,
        host_key_bits=key_bits,
        source_interface=None,
        source="show ip ssh",
        lines=tuple(evidence),
    ), (LineSource.of(origin, kept) if origin else None)


def rsa_key_bits(blob_b64: str) -> int | None:
    """Modulus size of an OpenSSH `ssh-rsa` public key blob (RFC 4253 6.6 wire format)."""
    try:
        blob = base64.b64decode(blob_b64)
    except ValueError:
        return None
    if len(blob) < 4:
        return None
    fields: list[bytes] = []
    offset = 0
    while offset + 4 <= len(blob) and len(fields) < 3:
        (size,) = struct.unpack(">I", blob[offset : offset + 4])
        fields.append(blob[offset + 4 : offset + 4 + size])
        offset += 4 + size
    if len(fields) < 3 or fields[0] != b"ssh-rsa":
        return None
    return int.from_bytes(fields[2], "big").bit_length()
