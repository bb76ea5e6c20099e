"""The Dalslandsnätet address plan as the reference network generator needs it.

This mirrors ``policies/`` (the auditor's source of truth) for the one purpose of building a
reference network; the auditor itself never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "dalsland.se"
SYSLOG = ("10.40.10.10", "10.40.10.11")
NTP = ("10.40.10.20", "10.40.10.21")
TACACS = (("DAL-AAA1", "10.40.10.30"), ("DAL-AAA2", "10.40.10.31"))
MFA = "10.40.10.32"
AV_CONSOLE = "10.40.10.40"
DNS = "10.40.10.53"
JUMP_HOST = "10.40.10.5"
SHARED_SERVICES = "10.40.10.0"
VPN_POOL = ("10.40.20.1", "10.40.23.254", "255.255.252.0")
CORE_SERVICES_VLAN = (100, "DAL-TJANSTER")
PARKING_VLAN = (999, "PARKERING")


@dataclass(frozen=True, slots=True)
class Municipality:
    """One of the five municipalities (or the shared core, ``k == 0``)."""

    k: int
    short: str
    name: str
    group: str
    owner: str
    year: int

    @property
    def octet2(self) -> int:
        """Second octet of the municipality's /16 (40 + k)."""
        return 40 + self.k

    @property
    def operations(self) -> str:
        """Name of the operations unit (driftansvarig)."""
        return f"IT-enheten {self.name}"


@dataclass(frozen=True, slots=True)
class Zone:
    """A role block of the plan: VLAN, name, /20 base and zone name."""

    name: str
    vlan: int
    base: int
    zone: str

    def net(self, octet2: int, site: int) -> str:
        """Return the site's /24 network address, e.g. ``10.44.19.0``.

        Args:
            octet2: Second octet of the municipality block.
            site: Site number 1..15.

        Returns:
            The network address.
        """
        return f"10.{octet2}.{self.base + site}.0"

    def host(self, octet2: int, site: int, host: int) -> str:
        """Return an address inside the site's /24.

        Args:
            octet2: Second octet of the municipality block.
            site: Site number 1..15.
            host: Last octet.

        Returns:
            The address.
        """
        return f"10.{octet2}.{self.base + site}.{host}"

    def block(self, octet2: int) -> tuple[str, str]:
        """Return the role's /20 as (network, netmask).

        Args:
            octet2: Second octet of the municipality block.

        Returns:
            Network address and mask.
        """
        return f"10.{octet2}.{self.base}.0", "255.255.240.0"

    def wildcard_block(self, octet2: int) -> str:
        """Return the role's /20 as ``network wildcard`` for IOS ACLs.

        Args:
            octet2: Second octet of the municipality block.

        Returns:
            E.g. ``10.41.240.0 0.0.15.255``.
        """
        return f"10.{octet2}.{self.base}.0 0.0.15.255"


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(1, "ben", "Bengtsfors", "bengtsfors", "Karin Olsson, IT-chef", 2024),
    Municipality(2, "ded", "Dals-Ed", "dals_ed", "Per Andersson, IT-samordnare", 2023),
    Municipality(3, "fgl", "Färgelanda", "fargelanda", "Maria Johansson, IT-chef", 2024),
    Municipality(4, "mel", "Mellerud", "mellerud", "Lars Nilsson, digitaliseringschef", 2025),
    Municipality(5, "aml", "Åmål", "amal", "Eva Karlsson, IT-chef", 2024),
)
CORE = Municipality(
    0, "dal", "Dalsland", "core", "Johan Berg, nätverksansvarig Dalslandsnätet", 2024
)

ZONES: tuple[Zone, ...] = (
    Zone("ADM", 10, 0, "adm"),
    Zone("PED", 20, 16, "ped"),
    Zone("TEL", 30, 32, "tel"),
    Zone("SEK", 40, 48, "sek"),
    Zone("GAST", 50, 64, "gast"),
    Zone("SRV", 60, 80, "srv"),
    Zone("MGMT", 99, 240, "mgmt"),
)
ZONE_BY_NAME = {z.name: z for z in ZONES}
PLAN_VLANS: tuple[tuple[int, str], ...] = (*((z.vlan, z.name) for z in ZONES), PARKING_VLAN)
TRUNK_ALLOWED = ",".join(str(z.vlan) for z in ZONES)


def core_link(k: int, side: str, via: int) -> str:
    """Return an address on the p2p link between municipality ``k`` and a core router.

    Link ``via == 1`` (site 1 router to dal-core-rtr01) is 10.40.1.8k/30; ``via == 2`` (site 2
    switch to dal-core-rtr02) is 10.40.1.(8k+4)/30. The core side takes the first host.

    Args:
        k: Municipality index 1..5.
        side: ``"core"`` or ``"muni"``.
        via: 1 or 2.

    Returns:
        The address.
    """
    base = 8 * k + (0 if via == 1 else 4)
    return f"10.40.1.{base + (1 if side == 'core' else 2)}"


def fw_link(k: int, side: str) -> str:
    """Return an address on the p2p link between site-1 router and firewall (10.40.1.(128+4k)/30).

    Args:
        k: Municipality index 1..5.
        side: ``"rtr"`` or ``"fw"``.

    Returns:
        The address.
    """
    return f"10.40.1.{128 + 4 * k + (1 if side == 'rtr' else 2)}"


def tunnel_addr(k: int, side: str) -> str:
    """Return an address of the SEK tunnel /31 (10.40.1.(200+2k)/31).

    Args:
        k: Municipality index 1..5.
        side: ``"muni"`` (even address) or ``"core"`` (odd address).

    Returns:
        The address.
    """
    return f"10.40.1.{200 + 2 * k + (0 if side == 'muni' else 1)}"


def public_net(k: int) -> tuple[str, str]:
    """Return (firewall address, ISP gateway) on the firewall's 198.51.100.0/24 /29.

    Args:
        k: Municipality index, 0 for the core firewall.

    Returns:
        The firewall's outside address and its default gateway.
    """
    return f"198.51.100.{8 * k + 2}", f"198.51.100.{8 * k + 1}"
