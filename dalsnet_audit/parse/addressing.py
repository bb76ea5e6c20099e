"""Address and VLAN-list parsing shared by the IOS and ASA parsers (netaddr, netutils)."""

from __future__ import annotations

from netaddr import AddrFormatError, IPAddress, IPNetwork
from netutils.vlan import vlanconfig_to_list

from dalsnet_audit.errors import ParseError


def is_ipv4_address(word: str) -> bool:
    """True for a dotted-quad IPv4 address (not a name, not a bare integer)."""
    if word.count(".") != 3:
        return False
    try:
        IPAddress(word)
    except (AddrFormatError, ValueError):
        return False
    return True


def interface_address(address: str, mask: str) -> IPNetwork:
    """`10.41.2.1 255.255.255.0` as `IPNetwork('10.41.2.1/24')` (host address kept)."""
    try:
        return IPNetwork(f"{address}/{mask}")
    except (AddrFormatError, ValueError) as exc:
        raise ParseError(f"bad address {address} {mask}") from exc


def wildcard_network(address: str, wildcard: str) -> IPNetwork:
    """An ACL `address wildcard` pair as a network (netaddr reads hostmask notation)."""
    try:
        return IPNetwork(f"{address}/{wildcard}").cidr
    except (AddrFormatError, ValueError) as exc:
        raise ParseError(f"bad wildcard {address} {wildcard}") from exc


def host_network(address: str) -> IPNetwork:
    """A single host as a /32."""
    try:
        return IPNetwork(f"{IPAddress(address)}/32")
    except (AddrFormatError, ValueError) as exc:
        raise ParseError(f"bad host address {address}") from exc


def vlan_list(config_lines: str) -> tuple[int, ...] | None:
    """VLANs allowed by `switchport trunk allowed vlan` lines; None means all."""
    words = config_lines.split()
    if words and words[-1] == "all":
        return None
    if words and words[-1] == "none":
        return ()
    return tuple(vlanconfig_to_list(config_lines))
