"""Show-command outputs an IOS/IOS-XE device would print, derived from its configuration.

A snapshot holds a device's running configuration and a few show outputs; NAPALM's ``ios``
getters read more (``show interfaces``, ``show ip interface``, ``show vlan brief``, ...). These
are derived here from the configuration, in the layout IOS prints, so that the getters return
the device's real interfaces, addresses and VLANs. Where the snapshot has a show output
(``show interfaces status``, ``show version``) it takes precedence, and it also feeds the
derivation (link states, the base MAC address, the serial number).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from netaddr import IPAddress
from netutils.interface import abbreviated_interface_name

from dalsnet_audit.lab.cli_common import HostFiles

_LINK_STATES = ("connected", "notconnect", "disabled", "err-disabled", "inactive", "sfpAbsent")

# name prefix -> (hardware text, bandwidth Kbit/s, MTU, delay usec, has a MAC address)
_HARDWARE: tuple[tuple[str, tuple[str, int, int, int, bool]], ...] = (
    ("TenGigabitEthernet", ("Ten Gigabit Ethernet", 10_000_000, 1500, 10, True)),
    ("TwentyFiveGigE", ("Twenty Five Gigabit Ethernet", 25_000_000, 1500, 10, True)),
    ("FortyGigabitEthernet", ("Forty Gigabit Ethernet", 40_000_000, 1500, 10, True)),
    ("HundredGigE", ("Hundred Gigabit Ethernet", 100_000_000, 1500, 10, True)),
    ("AppGigabitEthernet", ("App-hosting Gigabit Ethernet", 1_000_000, 9100, 10, True)),
    ("GigabitEthernet", ("Gigabit Ethernet", 1_000_000, 1500, 10, True)),
    ("FastEthernet", ("Fast Ethernet", 100_000, 1500, 100, True)),
    ("Ethernet", ("Ethernet", 10_000, 1500, 1000, True)),
    ("Vlan", ("Ethernet SVI", 1_000_000, 1500, 10, True)),
    ("Port-channel", ("EtherChannel", 1_000_000, 1500, 10, True)),
    ("Loopback", ("Loopback", 8_000_000, 1514, 5000, False)),
    ("Tunnel", ("Tunnel", 100, 17912, 50000, False)),
)


@dataclass(slots=True)
class IosInterface:
    """What the configuration says about one interface."""

    name: str
    description: str = ""
    shutdown: bool = False
    addresses: list[tuple[str, int, bool]] = field(default_factory=list)
    routed: bool = False
    access_vlan: int | None = None
    trunk: bool = False
    acl_in: str | None = None
    acl_out: str | None = None
    mtu: int | None = None

    @property
    def hardware(self) -> tuple[str, int, int, int, bool]:
        """Hardware text, bandwidth (Kbit/s), MTU, delay (usec) and whether it has a MAC."""
        for prefix, values in _HARDWARE:
            if self.name.startswith(prefix):
                return values
        return ("Ethernet", 1_000_000, 1500, 10, True)

    @property
    def physical(self) -> bool:
        """A front-panel port (candidate switchport)."""
        return self.hardware[4] and not self.name.startswith(("Vlan", "Port-channel"))


@dataclass(slots=True)
class IosConfig:
    """The parts of an IOS configuration the derived outputs need."""

    hostname: str
    version: str | None = None
    domain: str | None = None
    name_servers: list[str] = field(default_factory=list)
    interfaces: list[IosInterface] = field(default_factory=list)
    vlans: dict[int, str] = field(default_factory=dict)
    ntp_servers: list[str] = field(default_factory=list)
    provision_model: str | None = None

    @property
    def is_switch(self) -> bool:
        """A Catalyst switch (has VLANs or switch provisioning), not a router."""
        return bool(self.vlans) or self.provision_model is not None


def read_ios_config(text: str, default_hostname: str) -> IosConfig:
    """Read the interfaces, VLANs, DNS and NTP settings of an IOS configuration.

    Args:
        text: ``show running-config`` output.
        default_hostname: Used when the configuration has no ``hostname`` line.

    Returns:
        The configuration's relevant parts.
    """
    cfg = IosConfig(hostname=default_hostname)
    current: IosInterface | None = None
    vlan: int | None = None
    banner_end: str | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if banner_end is not None:
            if banner_end in line:
                banner_end = None
            continue
        if not line or line.startswith("!"):
            continue
        words = line.split()
        if not line.startswith(" "):
            current, vlan = None, None
            banner_end = _top_level(cfg, line, words)
            if words[0] == "interface" and len(words) > 1:
                current = IosInterface(name=words[1])
                cfg.interfaces.append(current)
            elif words[0] == "vlan" and len(words) == 2 and words[1].isdigit():
                vlan = int(words[1])
                cfg.vlans[vlan] = f"VLAN{vlan:04d}"
        elif current is not None:
            _interface_line(current, words, line)
        elif vlan is not None and words[0] == "name" and len(words) > 1:
            cfg.vlans[vlan] = " ".join(words[1:])
    if cfg.is_switch:
        cfg.vlans.setdefault(1, "default")
    return cfg


def _top_level(cfg: IosConfig, line: str, words: list[str]) -> str | None:
    """Read a top-level line; return a banner's end delimiter when a banner starts."""
    first = words[0]
    if first == "hostname" and len(words) > 1:
        cfg.hostname = words[1]
    elif first == "version" and len(words) > 1:
        cfg.version = words[1]
    elif line.startswith(("ip domain name ", "ip domain-name ")):
        cfg.domain = words[-1]
    elif line.startswith("ip name-server "):
        cfg.name_servers += [w for w in words[2:] if w != "vrf" and _is_ipv4(w)]
    elif first == "ntp" and len(words) > 2 and words[1] in ("server", "peer"):
        server = words[4] if words[2] == "vrf" and len(words) > 4 else words[2]
        cfg.ntp_servers.append(server)
    elif first == "switch" and "provision" in words:
        cfg.provision_model = words[words.index("provision") + 1].upper()
    elif first == "banner" and len(words) > 2:
        delimiter = words[2][:2] if words[2].startswith("^") else words[2][:1]
        if delimiter not in line[line.find(delimiter) + len(delimiter) :]:
            return delimiter
    return None


def _interface_line(intf: IosInterface, words: list[str], line: str) -> None:
    stripped = line.strip()
    if words[0] == "description":
        intf.description = stripped[len("description ") :]
    elif stripped == "shutdown":
        intf.shutdown = True
    elif stripped == "no switchport" or words[:2] == ["vrf", "forwarding"]:
        intf.routed = True
    elif words[:2] == ["ip", "address"] and len(words) >= 4 and _is_ipv4(words[2]):
        prefix = IPAddress(words[3]).netmask_bits()
        intf.addresses.append((words[2], prefix, "secondary" in words[4:]))
        intf.routed = True
    elif words[:3] == ["switchport", "access", "vlan"] and len(words) > 3 and words[3].isdigit():
        intf.access_vlan = int(words[3])
    elif words[:3] == ["switchport", "mode", "trunk"]:
        intf.trunk = True
    elif words[:2] == ["ip", "access-group"] and len(words) > 3:
        if words[3] == "in":
            intf.acl_in = words[2]
        elif words[3] == "out":
            intf.acl_out = words[2]
    elif words[0] == "mtu" and len(words) > 1 and words[1].isdigit():
        intf.mtu = int(words[1])


def _is_ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


class IosDerived:
    """Derived show outputs of one IOS device, computed once and shared by its sessions.

    Args:
        host: The host's snapshot files.
    """

    def __init__(self, host: HostFiles) -> None:
        self.host = host
        self.config = read_ios_config(host.config or "", host.name)
        self._cache: dict[str, str] = {}
        self._link_states = self._read_link_states()

    def _read_link_states(self) -> dict[str, str]:
        text = self.host.show("show interfaces status") or ""
        states: dict[str, str] = {}
        for line in text.splitlines()[1:]:
            words = line.split()
            found = next((w for w in words[1:] if w in _LINK_STATES), None)
            if words and found:
                states[words[0]] = found
        return states

    def cached(self, command: str) -> str | None:
        r"""Return the derived output of a canonical command, or None when not derivable.

        Args:
            command: Canonical command, e.g. ``show ip interface brief``.

        Returns:
            The output text (``\\n`` line ends), or None.
        """
        if command not in self._cache:
            builder = _BUILDERS.get(command)
            if builder is None:
                return None
            self._cache[command] = builder(self)
        return self._cache[command]

    # -- facts -------------------------------------------------------------------------------

    @property
    def serial(self) -> str:
        """The serial number: from ``show version`` if the snapshot has it, else made up."""
        text = self.host.show("show version") or ""
        found = re.search(r"Processor board ID (\S+)", text)
        if found:
            return found.group(1)
        return "FOC" + hashlib.sha256(self.host.name.encode()).hexdigest()[:8].upper()

    @property
    def base_mac(self) -> int:
        """The base MAC address as an integer."""
        text = self.host.show("show version") or ""
        found = re.search(r"Base Ethernet MAC Address\s*:\s*([0-9a-fA-F:.]+)", text)
        if found:
            return int(re.sub(r"[^0-9a-fA-F]", "", found.group(1)), 16)
        digest = hashlib.sha256(self.host.name.encode()).digest()
        return int.from_bytes(b"\x00\xa3" + digest[:4], "big") & ~0xFF

    @property
    def model(self) -> str:
        """The hardware model from provisioning, the inventory, or a C9300 by default."""
        model = self.config.provision_model or self.host.data.get("model")
        return str(model or "C9300-48P")

    def link(self, intf: IosInterface) -> tuple[str, str, str]:
        """Return (status, protocol, ``show interfaces`` suffix) of an interface."""
        if intf.shutdown:
            return "administratively down", "down", " (disabled)" if not intf.routed else ""
        state = self._link_states.get(abbreviated_interface_name(intf.name))
        if state is None:
            return "up", "up", ""
        if state == "connected":
            return "up", "up", " (connected)"
        if state == "disabled":
            return "administratively down", "down", " (disabled)"
        return "down", "down", f" ({state})"

    def mac(self, index: int) -> str:
        """The MAC address of the ``index``-th interface, in Cisco dotted notation."""
        value = f"{(self.base_mac + index + 1) & 0xFFFFFFFFFFFF:012x}"
        return f"{value[0:4]}.{value[4:8]}.{value[8:12]}"


def _show_version(d: IosDerived) -> str:
    version = d.config.version or "17.9"
    full = f"{version}.4a" if version.count(".") == 1 else version
    major, minor, *rest = [*full.split("."), "0"]
    xe = f"{int(major):02d}.{int(minor):02d}.{rest[0]}"
    n_ports = sum(1 for i in d.config.interfaces if i.name.startswith("GigabitEthernet"))
    n_ten = sum(1 for i in d.config.interfaces if i.name.startswith("TenGigabitEthernet"))
    digits = f"{d.base_mac:012x}"
    mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return (
        f"Cisco IOS XE Software, Version {xe}\n"
        "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), "
        f"Version {full}, RELEASE SOFTWARE (fc3)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.\n"
        "Compiled Fri 20-Oct-23 10:44 by mcpre\n\n\n"
        "ROM: IOS-XE ROMMON\n"
        "BOOTLDR: System Bootstrap, Version 17.9.1r, RELEASE SOFTWARE (P)\n\n"
        f"{d.config.hostname} uptime is 12 weeks, 3 days, 4 hours, 5 minutes\n"
        "Uptime for this control processor is 12 weeks, 3 days, 4 hours, 7 minutes\n"
        "System returned to ROM by Reload Command\n"
        'System image file is "flash:packages.conf"\n'
        "Last reload reason: Reload Command\n\n\n"
        f"cisco {d.model} (X86) processor with 1331521K/6147K bytes of memory.\n"
        f"Processor board ID {d.serial}\n"
        "1 Virtual Ethernet interface\n"
        f"{n_ports} Gigabit Ethernet interfaces\n"
        f"{n_ten} Ten Gigabit Ethernet interfaces\n"
        "2048K bytes of non-volatile configuration memory.\n"
        "8388608K bytes of physical memory.\n"
        "11264000K bytes of Flash at flash:.\n\n"
        f"Base Ethernet MAC Address          : {mac}\n"
        f"Model Number                       : {d.model}\n"
        f"System Serial Number               : {d.serial}\n\n"
        "Configuration register is 0x102\n"
    )


def _show_hosts(d: IosDerived) -> str:
    domain = (
        f"Default domain is {d.config.domain}" if d.config.domain else "Default domain is not set"
    )
    servers = ", ".join(d.config.name_servers) or "255.255.255.255"
    return (
        f"{domain}\n"
        "Name/address lookup uses domain service\n"
        f"Name servers are {servers}\n\n"
        "Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate\n"
        "       temp - temporary, perm - permanent\n"
        "       NA - Not Applicable None - Not defined\n\n"
        "Host                      Port  Flags      Age Type   Address(es)\n"
    )


def _primary(intf: IosInterface) -> tuple[str, int] | None:
    return next(((ip, p) for ip, p, secondary in intf.addresses if not secondary), None)


def _show_ip_interface_brief(d: IosDerived) -> str:
    lines = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for intf in d.config.interfaces:
        status, protocol, _ = d.link(intf)
        primary = _primary(intf)
        address, method = (primary[0], "NVRAM") if primary else ("unassigned", "unset")
        if not primary and (intf.routed or not d.config.is_switch):
            method = "NVRAM"
        lines.append(f"{intf.name:<22} {address:<15} YES {method:<6} {status:<21} {protocol}")
    return "\n".join(lines) + "\n"


def _show_ip_interface(d: IosDerived) -> str:
    out: list[str] = []
    for intf in d.config.interfaces:
        status, protocol, _ = d.link(intf)
        out.append(f"{intf.name} is {status}, line protocol is {protocol}")
        if not intf.addresses:
            out.append("  Internet protocol processing disabled")
            continue
        for ip, prefix, secondary in intf.addresses:
            label = "Secondary address" if secondary else "Internet address is"
            out.append(f"  {label} {ip}/{prefix}")
        out += [
            "  Broadcast address is 255.255.255.255",
            "  Address determined by non-volatile memory",
            f"  MTU is {intf.mtu or intf.hardware[2]} bytes",
            "  Helper address is not set",
            "  Directed broadcast forwarding is disabled",
            "  Outgoing Common access list is not set ",
            f"  Outgoing access list is {intf.acl_out or 'not set'}",
            "  Inbound Common access list is not set ",
            f"  Inbound  access list is {intf.acl_in or 'not set'}",
            "  Proxy ARP is disabled",
            "  Security level is default",
            "  Split horizon is enabled",
        ]
    return "\n".join(out) + "\n"


def _show_interfaces(d: IosDerived) -> str:
    out: list[str] = []
    for index, intf in enumerate(d.config.interfaces):
        status, protocol, suffix = d.link(intf)
        hardware, bandwidth, mtu, delay, has_mac = intf.hardware
        out.append(f"{intf.name} is {status}, line protocol is {protocol}{suffix} ")
        if has_mac:
            mac = d.mac(index)
            out.append(f"  Hardware is {hardware}, address is {mac} (bia {mac})")
        else:
            out.append(f"  Hardware is {hardware}")
        if intf.description:
            out.append(f"  Description: {intf.description}")
        primary = _primary(intf)
        if primary:
            out.append(f"  Internet address is {primary[0]}/{primary[1]}")
        out += [
            f"  MTU {intf.mtu or mtu} bytes, BW {bandwidth} Kbit/sec, DLY {delay} usec, ",
            "     reliability 255/255, txload 1/255, rxload 1/255",
            "  Encapsulation ARPA, loopback not set",
            "  Keepalive set (10 sec)",
            "  Last input never, output never, output hang never",
            '  Last clearing of "show interface" counters never',
            "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
            "  5 minute input rate 0 bits/sec, 0 packets/sec",
            "  5 minute output rate 0 bits/sec, 0 packets/sec",
            "     0 packets input, 0 bytes, 0 no buffer",
            "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
            "     0 packets output, 0 bytes, 0 underruns",
            "     0 output errors, 0 collisions, 0 interface resets",
        ]
    return "\n".join(out) + "\n"


def _vlan_ports(d: IosDerived) -> dict[int, list[str]]:
    ports: dict[int, list[str]] = {v: [] for v in d.config.vlans}
    for intf in d.config.interfaces:
        if not intf.physical or intf.routed or intf.trunk:
            continue
        vlan = intf.access_vlan or 1
        if vlan in ports:
            ports[vlan].append(abbreviated_interface_name(intf.name))
    return ports


def _vlan_table(d: IosDerived, only: int | None = None) -> str:
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    for vlan, ports in sorted(_vlan_ports(d).items()):
        if only is not None and vlan != only:
            continue
        chunks = [", ".join(ports[i : i + 4]) for i in range(0, len(ports), 4)] or [""]
        name = d.config.vlans[vlan][:32]
        out.append(f"{vlan:<5}{name:<33}{'active':<10}{chunks[0]}".rstrip())
        out += [f"{'':<48}{chunk}" for chunk in chunks[1:]]
    return "\n".join(out) + "\n"


def show_vlan_id(d: IosDerived, vlan: int) -> str:
    """``show vlan id N``: the VLAN's row and its type line, or IOS's not-found message.

    Args:
        d: The device.
        vlan: VLAN id.

    Returns:
        The output text.
    """
    if vlan not in d.config.vlans:
        return f"VLAN id {vlan} not found in current VLAN database\n"
    return (
        _vlan_table(d, vlan)
        + "\nVLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2\n"
        + "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------\n"
        + f"{vlan:<5}enet  {100000 + vlan:<11}1500  -      -      -        -    -        0      0\n"
    )


def _show_ntp_associations(d: IosDerived) -> str:
    out = ["  address         ref clock       st   when   poll reach  delay  offset   disp"]
    for index, server in enumerate(d.config.ntp_servers):
        mark = "*~" if index == 0 else "+~"
        out.append(
            f"{mark}{server:<16}.GPS.            1     34     64   377  1.234   0.123  0.456"
        )
    out.append(" * sys.peer, # selected, + candidate, - outlyer, x falseticker, ~ configured")
    return "\n".join(out) + "\n"


_BUILDERS = {
    "show version": _show_version,
    "show hosts": _show_hosts,
    "show ip interface brief": _show_ip_interface_brief,
    "show ip interface": _show_ip_interface,
    "show ipv6 interface": lambda d: "",
    "show ipv6 interface brief": lambda d: "",
    "show interfaces": _show_interfaces,
    "show vlan brief": _vlan_table,
    "show vlan all-ports": _vlan_table,
    "show vlan": _vlan_table,
    "show snmp chassis": lambda d: f"{d.serial}\n",
    "show ntp associations": _show_ntp_associations,
}
