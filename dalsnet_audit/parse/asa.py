"""Cisco ASA: running configuration and `show version` into the vendor-neutral model.

Blocks come from netutils' `ASAConfigParser`, `show version` from ntc-templates. This covers
interfaces, management access, AAA servers, logging, NTP, SNMP, local users and IKE/IPsec
proposals; object groups and access lists are read for the flow checks of the firewall rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from netaddr import AddrFormatError, IPAddress, IPNetwork

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
    StaticRoute,
    TransformSet,
)
from dalsnet_audit.parse.addressing import interface_address
from dalsnet_audit.parse.blocks import Block, config_blocks
from dalsnet_audit.parse.textfsm import parse_show


def _is_address(word: str) -> bool:
    try:
        IPAddress(word)
    except (AddrFormatError, ValueError):
        return False
    return word.count(".") == 3


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
        if words[:2] == ["ip", "address"] and len(words) >= 4 and _is_address(words[2]):
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
    hostname = None
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
    ssh_lines: list[str] = []
    http_enabled = False
    http_lines: list[str] = []
    users: list[LocalUser] = []
    enable: list[EnableSecret] = []
    ike: list[IkeProposal] = []
    proposals: list[TransformSet] = []
    maps: list[str] = []
    routes: list[StaticRoute] = []
    banners: dict[str, str] = {}
    blocks = config_blocks(config.replace("\r\n", "\n"), "asa")
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
                hostname = words[1]
            elif head == "interface":
                interfaces.append(_interface(block))
            elif head in {"ssh", "telnet", "http"} and len(words) == 4 and _is_address(words[1]):
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
                else:
                    ssh_lines.append(block.header)
            elif words[:3] == ["http", "server", "enable"]:
                http_enabled = True
                http_lines.append(block.header)
            elif head == "ssh" and words[1:2] == ["version"] and len(words) > 2:
                ssh_version = int(words[2])
                ssh_lines.append(block.header)
            elif words[:3] == ["ssh", "cipher", "encryption"]:
                ssh_ciphers = tuple(words[3:])
                ssh_lines.append(block.header)
            elif words[:2] == ["ssh", "key-exchange"]:
                ssh_kex = tuple(words[3:])
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
                if words[1:2] == ["host"] and len(words) > 3 and _is_address(words[3]):
                    logging_hosts.append(IPAddress(words[3]))
                elif words[1:2] == ["timestamp"]:
                    timestamps = "timestamp"
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
                    LocalUser(words[1], privilege, "password", _hash_type(words), block.header)
                )
            elif head == "enable" and words[1:2] == ["password"]:
                enable.append(EnableSecret("password", _hash_type(words), block.header))
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
            elif words[:2] == ["crypto", "map"] and len(words) > 2 and words[2] not in maps:
                maps.append(words[2])
            elif head == "route" and len(words) >= 5 and _is_address(words[2]):
                prefix = interface_address(words[2], words[3]).cidr
                hop = IPAddress(words[4]) if _is_address(words[4]) else None
                routes.append(StaticRoute(prefix, hop, None, block.header))
            elif head == "banner" and len(words) > 2:
                banners[words[1]] = (banners.get(words[1], "") + "\n" + " ".join(words[2:])).strip()
        except (ValueError, IndexError, AddrFormatError) as exc:
            raise ParseError(f"cannot read {block.header!r}: {exc}") from exc
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
        ),
        logging=LoggingConfig(tuple(logging_hosts), None, timestamps, tuple(logging_lines)),
        ntp=NtpConfig(tuple(ntp), None, tuple(ntp_lines)),
        snmp=SnmpConfig(tuple(communities), tuple(snmp_groups), None, tuple(snmp_lines)),
        ssh=SshServer(
            ssh_version,
            ssh_ciphers,
            None,
            ssh_kex,
            None,
            None,
            None,
            "running-config",
            tuple(ssh_lines),
        ),
        http=HttpServer(http_enabled, False, None, tuple(http_lines)),
        users=tuple(users),
        enable=tuple(enable),
        crypto=CryptoConfig(tuple(ike), tuple(proposals), (), tuple(maps)),
        static_routes=tuple(routes),
        ip_routing=True,
        banners=dict(banners),
        login_block_for=None,
        management_access=tuple(access),
        sources=frozenset({"running_config", *shows}),
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
