"""Assemble the compliant baseline of the reference Dalslandsnätet (46 hosts).

Every function here builds a device that passes every rule of the catalogue; ``planted.py``
then breaks exactly the devices the lab documents in ``PLANTED.md``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from dalsnet_audit.lab.refnet.fake_secrets import SecretBook, derive
from dalsnet_audit.lab.refnet.model import (
    AsaDevice,
    AsaInterface,
    Facts,
    HostRecord,
    IkeProposal,
    IosCrypto,
    IosDevice,
    Network,
    Port,
    Server,
    VtyBlock,
)
from dalsnet_audit.lab.refnet.plan import (
    CORE,
    CORE_SERVICES_VLAN,
    DNS,
    DOMAIN,
    JUMP_HOST,
    MUNICIPALITIES,
    NTP,
    PARKING_VLAN,
    PLAN_VLANS,
    SHARED_SERVICES,
    TACACS,
    TRUNK_ALLOWED,
    ZONE_BY_NAME,
    ZONES,
    Municipality,
    core_link,
    fw_link,
    public_net,
    tunnel_addr,
)

_DIGITS = "0123456789"
_SERIAL = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MASK24 = "255.255.255.0"
MASK30 = "255.255.255.252"
MASK32 = "255.255.255.255"
ROLE_GROUP = {"rtr": "router", "sw": "switch", "fw": "firewall", "srv": "server"}
DEFAULT_DENY_LOG = "deny   any log"


def _num(label: str, low: int, high: int) -> int:
    """Return a reproducible integer in [low, high] derived from ``label``."""
    value = int.from_bytes(hashlib.sha256(label.encode()).digest()[:4], "big")
    return low + value % (high - low + 1)


def make_facts(name: str, serial_prefix: str) -> Facts:
    """Return reproducible hardware facts (serial, MAC, uptime) for a device.

    Args:
        name: Host name.
        serial_prefix: Three letters Cisco uses for the factory, e.g. ``FOC``.

    Returns:
        The facts.
    """
    serial = serial_prefix + derive(name + "/sn", 4, _DIGITS) + derive(name + "/sn2", 4, _SERIAL)
    board = serial_prefix + derive(name + "/mb", 4, _DIGITS) + derive(name + "/mb2", 4, _SERIAL)
    mac_hex = "00a3" + derive(name + "/mac", 8, "0123456789abcdef")
    mac = f"{mac_hex[0:4]}.{mac_hex[4:8]}.{mac_hex[8:12]}"
    weeks, days, hours = _num(name + "/w", 2, 40), _num(name + "/d", 0, 6), _num(name + "/h", 0, 23)
    minutes = _num(name + "/m", 1, 59)
    uptime = ", ".join(
        f"{value} {unit}{'' if value == 1 else 's'}"
        for value, unit in ((weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute"))
        if value
    )
    # Reboot date counted back from the snapshot night (Thu 2026-11-26 02:00 CET).
    total_days = weeks * 7 + days + (1 if hours >= 2 else 0)
    day_of_year = 330 - total_days  # 2026-11-26 is day 330
    month_starts = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
    month = max(i for i, start in enumerate(month_starts) if start < day_of_year)
    dom = day_of_year - month_starts[month]
    weekday = _DAYS[(3 - total_days) % 7]
    hh, mm, ss = (26 - hours) % 24, 60 - minutes, _num(name + "/s", 0, 59)
    restarted = f"{hh:02d}:{mm % 60:02d}:{ss:02d} CET {weekday} {_MONTHS[month]} {dom} 2026"
    return Facts(
        serial=serial,
        mac=mac,
        uptime=uptime,
        restarted=restarted,
        board_serial=board,
        uptime_days=weeks * 7 + days,
        uptime_hours=hours,
    )


def last_change(name: str, xe: bool = True) -> str:
    """Return a reproducible 'last configuration change' stamp in November 2026.

    Args:
        name: Host name.
        xe: IOS style (``CET Tue Nov 24 2026 by x``); ASA callers reformat.

    Returns:
        The stamp.
    """
    day = _num(name + "/lc", 2, 24)
    weekday = _DAYS[(day - 2) % 7]  # 2026-11-02 is a Monday
    hh, mm, ss = _num(name + "/lch", 7, 16), _num(name + "/lcm", 0, 59), _num(name + "/lcs", 0, 59)
    who = ("a.nilsson", "k.berg", "m.lund", "s.holm")[_num(name + "/who", 0, 3)]
    del xe
    return f"{hh:02d}:{mm:02d}:{ss:02d} CET {weekday} Nov {day} 2026 by {who}"


def mgmt_acl(m: Municipality) -> list[str]:
    """Return the entries of SNMP-MGMT / VTY-MGMT for a device of ``m``.

    Args:
        m: The municipality (``CORE`` for core devices).

    Returns:
        ACL entries without sequence numbers.
    """
    if m.k == 0:
        nets = ["permit 10.40.0.0 0.0.0.255"]
        nets += [f"permit {ZONE_BY_NAME['MGMT'].wildcard_block(x.octet2)}" for x in MUNICIPALITIES]
    else:
        nets = [f"permit {ZONE_BY_NAME['MGMT'].wildcard_block(m.octet2)}"]
    return [*nets, f"permit {JUMP_HOST}", DEFAULT_DENY_LOG]


def ios_base(
    name: str,
    model: str,
    *,
    kind: str,
    m: Municipality,
    site: int | str,
    sensitive: bool,
    book: SecretBook,
    mgmt_intf: str,
    serial_prefix: str,
    xe: bool = True,
) -> IosDevice:
    """Return the compliant management-plane baseline of an IOS device.

    Args:
        name: Host name.
        model: Hardware model, e.g. ``C9300-48P``.
        kind: ``"router"`` or ``"switch"``.
        m: Municipality (``CORE`` for core devices).
        site: Site number, or ``"core"``.
        sensitive: Whether login must go to the MFA server.
        book: Where fake secrets come from.
        mgmt_intf: Source interface for logging, NTP, SSH.
        serial_prefix: Factory prefix of the serial number.
        xe: IOS-XE 17.9 (True) or IOS 15.2 (False).

    Returns:
        A device with no interfaces yet.
    """
    location = (
        "Dalslandsnätet kärna, datahall Åmål"
        if m.k == 0
        else f"{m.name}, {'kommunhuset' if site == 1 else 'skolan'} (ställe {site}), teknikrum"
    )
    return IosDevice(
        name=name,
        model=model,
        kind="router" if kind == "router" else "switch",
        xe=xe,
        facts=make_facts(name, serial_prefix),
        enable_secret=f"9 {book.type9(name + '/enable')}",
        usernames=[f"breakglass privilege 15 secret 9 {book.type9(name + '/breakglass')}"],
        tacacs_keys=[(srv, addr, book.type7(f"{name}/{srv}")) for srv, addr in TACACS],
        radius_key=book.type7(f"{name}/DAL-MFA"),
        login_list="group DAL-MFA local" if sensitive else "group DAL-TACACS local",
        mgmt_intf=mgmt_intf,
        acl_entries=mgmt_acl(m),
        snmp_location=location,
        snmp_contact=f"{m.operations}, natdrift",
        last_change=last_change(name),
        vty=[
            VtyBlock(0, 4, "VTY-MGMT", "ssh"),
            VtyBlock(5, 15, "VTY-MGMT", "ssh"),
        ],
    )


def _unused(name: str, short: str, media: str = "10/100/1000BaseTX") -> Port:
    return Port(
        name=name,
        short=short,
        switchport="access",
        access_vlan=PARKING_VLAN[0],
        shutdown=True,
        portfast=True,
        bpduguard=True,
        status="disabled",
        duplex="auto",
        speed="auto",
        media=media,
    )


def _used(name: str, short: str, description: str, vlan: int, voice: int | None) -> Port:
    return Port(
        name=name,
        short=short,
        description=description,
        switchport="access",
        access_vlan=vlan,
        voice_vlan=voice,
        portfast=True,
        bpduguard=True,
    )


def _trunk(name: str, short: str, description: str, media: str, speed: str) -> Port:
    return Port(
        name=name,
        short=short,
        description=description,
        switchport="trunk",
        trunk_native=PARKING_VLAN[0],
        trunk_allowed=TRUNK_ALLOWED,
        status="connected",
        duplex="full",
        speed=speed,
        media=media,
    )


def _routed_uplink(name: str, short: str, description: str, address: str, switch: bool) -> Port:
    return Port(
        name=name,
        short=short,
        description=description,
        switchport="routed" if switch else "none",
        address=f"{address} {MASK30}",
        negotiation_auto=not switch,
        status="connected",
        duplex="full",
        speed="10G" if switch else "a-1000",
        media="SFP-10GBase-SR" if switch else "10/100/1000BaseTX",
    )


def access_layer(
    model: str,
    used: int,
    description: str,
    vlan: int,
    voice: int | None,
) -> list[Port]:
    """Return the front-panel access ports of a 48-port switch.

    Ports 1..used are in use; the rest are parked in VLAN 999 and shut down.

    Args:
        model: Switch model (decides interface names).
        used: Number of ports in use.
        description: Description of used ports.
        vlan: Access VLAN of used ports.
        voice: Voice VLAN of used ports, if any.

    Returns:
        48 ports.
    """
    prefix = "GigabitEthernet1/0/"
    ports: list[Port] = []
    for n in range(1, 49):
        name, short = f"{prefix}{n}", f"Gi1/0/{n}"
        if n <= used:
            ports.append(_used(name, short, description, vlan, voice))
        else:
            ports.append(_unused(name, short))
    del model
    return ports


def _module_port(
    name: str,
    short: str,
    trunk: str | None,
    routed: tuple[str, str] | None,
    optic: tuple[str, str],
) -> Port:
    """Return one uplink-module port: a trunk, a routed /30, or parked and shut down."""
    if trunk is not None:
        return _trunk(name, short, trunk, *optic)
    if routed is not None:
        return _routed_uplink(name, short, routed[0], routed[1], switch=True)
    return _unused(name, short, "Not Present")


def switch_uplinks(
    model: str, trunks: dict[int, str], routed: dict[int, tuple[str, str]]
) -> list[Port]:
    """Return the uplink-module ports of a switch.

    Args:
        model: Switch model.
        trunks: Uplink number -> description, for 802.1Q trunks.
        routed: Uplink number -> (description, address), for routed /30 links.

    Returns:
        The module ports; unused ones parked and shut down.
    """
    ten_g = ("SFP-10GBase-SR", "10G")
    if model == "C9300-48P":
        groups = [
            ("GigabitEthernet1/1/", "Gi1/1/", 4, False),
            ("TenGigabitEthernet1/1/", "Te1/1/", 8, True),
        ]
    elif model == "C9200L-48P-4G":
        groups = [("GigabitEthernet1/1/", "Gi1/1/", 4, True)]
        ten_g = ("1000BaseSX SFP", "1000")
    else:  # WS-C2960X-48FPD-L
        groups = [("TenGigabitEthernet1/0/", "Te1/0/", 2, True)]
    ports: list[Port] = []
    for prefix, short, count, numbered in groups:
        for n in range(1, count + 1):
            key = n if numbered else 0
            ports.append(
                _module_port(f"{prefix}{n}", f"{short}{n}", trunks.get(key), routed.get(key), ten_g)
            )
    return ports


def _svi(vlan: int, description: str, address: str | None, vrf: str | None = None) -> Port:
    return Port(
        name=f"Vlan{vlan}",
        description=description,
        vrf=vrf,
        address=f"{address} {MASK24}" if address else None,
        no_address=address is None,
        shutdown=address is None,
        physical=False,
    )


def _loopback(address: str, description: str = "Router-id och hantering") -> Port:
    return Port(
        name="Loopback0", description=description, address=f"{address} {MASK32}", physical=False
    )


def _management_port(model: str) -> list[Port]:
    """Return the out-of-band Ethernet port of a switch model (unused, shut down)."""
    if model == "C9300-48P":
        return [
            Port(
                name="GigabitEthernet0/0",
                short="Gi0/0",
                vrf="Mgmt-vrf",
                no_address=True,
                shutdown=True,
                negotiation_auto=True,
                status="disabled",
                duplex="auto",
                speed="auto",
            )
        ]
    if model == "WS-C2960X-48FPD-L":
        return [
            Port(
                name="FastEthernet0",
                short="Fa0",
                no_address=True,
                shutdown=True,
                status="disabled",
                duplex="auto",
                speed="auto",
                media="10/100BaseTX",
            )
        ]
    return []


def _switch_serial(model: str) -> str:
    return {"C9300-48P": "FOC", "C9200L-48P-4G": "JAE", "WS-C2960X-48FPD-L": "FOC"}[model]


def access_switch(
    m: Municipality,
    site: int,
    n: int,
    model: str,
    book: SecretBook,
    *,
    adm: bool | None = None,
    used: int = 30,
) -> IosDevice:
    """Return an L2 access switch (site 1: sw01 C9300, sw02 C9200L; site 2: sw02 C2960X).

    Args:
        m: Municipality.
        site: Site number.
        n: Switch number at the site.
        model: Hardware model.
        book: Fake secrets.
        adm: Serve ADM workplaces (with voice VLAN); default: switch 1 is ADM, others PED.
        used: Number of access ports in use.

    Returns:
        The switch.
    """
    name = f"{m.short}-{site:02d}-sw{n:02d}"
    xe = model != "WS-C2960X-48FPD-L"
    mgmt = ZONE_BY_NAME["MGMT"]
    d = ios_base(
        name,
        model,
        kind="switch",
        m=m,
        site=site,
        sensitive=False,
        book=book,
        mgmt_intf="Vlan99",
        serial_prefix=_switch_serial(model),
        xe=xe,
    )
    d.ip_routing = "no ip routing" if xe else None
    d.vlans = list(PLAN_VLANS)
    if model == "C9300-48P":
        d.mgmt_vrf_name = "Mgmt-vrf"
    adm_switch = n == 1 if adm is None else adm
    ports: list[Port] = _management_port(model)
    if adm_switch:
        ports += access_layer(model, used, "ADM arbetsplats", 10, 30)
    else:
        ports += access_layer(model, used, "PED arbetsplats", 20, None)
    upstream = (
        f"{m.short}-{site:02d}-fw01" if (site == 1 and n == 1) else f"{m.short}-{site:02d}-sw01"
    )
    if model == "C9300-48P":
        trunks = {1: f"Upplank {upstream}"}
        if site == 1:
            trunks[2] = f"Till {m.short}-01-sw02"
        ports += switch_uplinks(model, trunks, {})
    else:
        ports += switch_uplinks(model, {1: f"Upplank {upstream}"}, {})
    ports.append(_svi(1, "", None))
    ports[-1].description = None
    ports.append(_svi(99, "MGMT", mgmt.host(m.octet2, site, 10 + n)))
    d.interfaces = ports
    d.default_gateway = mgmt.host(m.octet2, site, 1)
    if site == 1 and n == 2:
        d.snmp_communities = [f"{book.remember(f'Dal5land-RO-{m.short}')} RO SNMP-MGMT"]
    return d


def site_gateway(
    m: Municipality, book: SecretBook, site: int = 2, n: int = 1, used: int = 30
) -> IosDevice:
    """Return the site-2 L3 switch ``x-02-sw01`` (one VRF per zone).

    Args:
        m: Municipality.
        book: Fake secrets.
        site: Site number (2 in the reference network).
        n: Switch number at the site.
        used: Number of access ports in use.

    Returns:
        The switch.
    """
    name = f"{m.short}-{site:02d}-sw{n:02d}"
    d = ios_base(
        name,
        "C9300-48P",
        kind="switch",
        m=m,
        site=site,
        sensitive=False,
        book=book,
        mgmt_intf="Vlan99",
        serial_prefix="FOC",
    )
    d.ip_routing = "ip routing"
    d.vlans = list(PLAN_VLANS)
    d.mgmt_vrf_name = "Mgmt-vrf"
    d.vrfs = [z.name for z in ZONES]
    d.mgmt_vrf = "MGMT"
    ports: list[Port] = [_loopback(f"10.40.0.{10 * m.k + 2}"), *_management_port("C9300-48P")]
    ports += access_layer("C9300-48P", used, "ADM arbetsplats", 10, 30)
    ports += switch_uplinks(
        "C9300-48P",
        {2: f"Till {m.short}-{site:02d}-sw02"},
        {1: ("WAN dal-core-rtr02", core_link(m.k, "muni", 2))},
    )
    ports.append(_svi(1, "", None))
    ports[-1].description = None
    for z in ZONES:
        ports.append(_svi(z.vlan, z.name, z.host(m.octet2, site, 1), vrf=z.name))
    d.interfaces = ports
    d.routes = [
        f"ip route 0.0.0.0 0.0.0.0 {core_link(m.k, 'core', 2)}",
        f"ip route vrf MGMT 0.0.0.0 0.0.0.0 {core_link(m.k, 'core', 2)} global",
    ]
    return d


def _ike(name: str) -> IkeProposal:
    return IkeProposal(name, "aes-gcm-256", None, "sha384", "19 20 21")


def _crypto(peers: list[tuple[str, str, str]]) -> IosCrypto:
    return IosCrypto(
        proposals=[_ike("DAL-IKEV2-PROP")],
        policies=[("DAL-IKEV2-POL", ["DAL-IKEV2-PROP"])],
        keyring="DAL-KEYRING",
        keyring_peers=peers,
        profile="DAL-IKEV2-PROF",
        profile_identities=[addr for _, addr, _ in peers],
        transform_sets=[("DAL-TS", "esp-gcm 256")],
        ipsec_profiles=[("DAL-SEK", "DAL-TS")],
    )


def _tunnel(number: int, description: str, address: str, destination: str) -> Port:
    return Port(
        name=f"Tunnel{number}",
        description=description,
        vrf="SEK",
        address=f"{address} 255.255.255.254",
        physical=False,
        extra=[
            "tunnel source Loopback0",
            "tunnel mode ipsec ipv4",
            f"tunnel destination {destination}",
            "tunnel protection ipsec profile DAL-SEK",
        ],
    )


def _router_port(name: str, description: str | None, address: str | None) -> Port:
    return Port(
        name=name,
        description=description,
        address=f"{address} {MASK30}" if address else None,
        no_address=address is None,
        shutdown=address is None,
        negotiation_auto=True,
    )


def wan_router(m: Municipality, book: SecretBook) -> IosDevice:
    """Return the site-1 WAN router ``x-01-rtr01`` (ISR4331).

    Args:
        m: Municipality.
        book: Fake secrets.

    Returns:
        The router.
    """
    name = f"{m.short}-01-rtr01"
    d = ios_base(
        name,
        "ISR4331",
        kind="router",
        m=m,
        site=1,
        sensitive=False,
        book=book,
        mgmt_intf="Loopback0",
        serial_prefix="FDO",
    )
    d.vrfs = ["SEK"]
    d.mgmt_vrf_name = "Mgmt-intf"
    d.password_encryption_aes = True
    d.crypto = _crypto([("dal-core-rtr01", "10.40.0.1", book.type6(f"{name}/psk"))])
    d.interfaces = [
        _loopback(f"10.40.0.{10 * m.k + 1}"),
        _tunnel(40, "SEK krypterad till dal-core-rtr01", tunnel_addr(m.k, "muni"), "10.40.0.1"),
        _router_port("GigabitEthernet0/0/0", "WAN dal-core-rtr01", core_link(m.k, "muni", 1)),
        _router_port("GigabitEthernet0/0/1", f"WAN {m.short}-01-fw01", fw_link(m.k, "rtr")),
        _router_port("GigabitEthernet0/0/2", None, None),
        Port(
            name="GigabitEthernet0",
            vrf="Mgmt-intf",
            no_address=True,
            shutdown=True,
            negotiation_auto=True,
        ),
    ]
    d.routes = [
        f"ip route 0.0.0.0 0.0.0.0 {core_link(m.k, 'core', 1)}",
        f"ip route 10.{m.octet2}.0.0 255.255.0.0 {fw_link(m.k, 'fw')}",
    ]
    return d


_CORE_PORTS = (
    "GigabitEthernet0/0/0",
    "GigabitEthernet0/0/1",
    "GigabitEthernet0/0/2",
    "GigabitEthernet0/0/3",
    "GigabitEthernet0/1/0",
)


def _sorted_routes(routes: list[tuple[str, str, str]]) -> list[str]:
    def key(r: tuple[str, str, str]) -> tuple[int, ...]:
        return tuple(int(o) for o in r[0].split("."))

    return [f"ip route {p} {mk} {nh}" for p, mk, nh in sorted(routes, key=key)]


def core_router(n: int, book: SecretBook) -> IosDevice:
    """Return ``dal-core-rtr01`` (site-1 links, SEK tunnels) or ``dal-core-rtr02`` (site-2 links).

    Args:
        n: 1 or 2.
        book: Fake secrets.

    Returns:
        The router.
    """
    name = f"dal-core-rtr{n:02d}"
    d = ios_base(
        name,
        "C8200-1N-4T",
        kind="router",
        m=CORE,
        site="core",
        sensitive=True,
        book=book,
        mgmt_intf="Loopback0",
        serial_prefix="FGL",
    )
    sw_side = "10.40.1.242" if n == 1 else "10.40.1.246"
    ports: list[Port] = [_loopback(f"10.40.0.{n}")]
    routes: list[tuple[str, str, str]] = [("0.0.0.0", "0.0.0.0", sw_side)]
    if n == 1:
        d.vrfs = ["SEK"]
        d.password_encryption_aes = True
        peers = [
            (f"{m.short}-01-rtr01", f"10.40.0.{10 * m.k + 1}", book.type6(f"{name}/{m.short}/psk"))
            for m in MUNICIPALITIES
        ]
        d.crypto = _crypto(peers)
        for m in MUNICIPALITIES:
            ports.append(
                _tunnel(
                    40 + m.k,
                    f"SEK krypterad till {m.short}-01-rtr01",
                    tunnel_addr(m.k, "core"),
                    f"10.40.0.{10 * m.k + 1}",
                )
            )
    for m, port in zip(MUNICIPALITIES, _CORE_PORTS, strict=True):
        peer = f"{m.short}-01-rtr01" if n == 1 else f"{m.short}-02-sw01"
        ports.append(_router_port(port, f"WAN {peer}", core_link(m.k, "core", n)))
        routes.append((f"10.40.0.{10 * m.k + n}", MASK32, core_link(m.k, "muni", n)))
        if n == 1:
            routes.append((f"10.{m.octet2}.0.0", "255.255.0.0", core_link(m.k, "muni", 1)))
    ports.append(
        _router_port(
            "GigabitEthernet0/1/1", "Till dal-core-sw01", "10.40.1.241" if n == 1 else "10.40.1.245"
        )
    )
    routes.append((SHARED_SERVICES, MASK24, sw_side))
    d.interfaces = ports
    d.routes = _sorted_routes(routes)
    return d


def core_switch(book: SecretBook) -> IosDevice:
    """Return ``dal-core-sw01``: shared services VLAN 100, routed links to routers and firewall.

    Args:
        book: Fake secrets.

    Returns:
        The switch.
    """
    name = "dal-core-sw01"
    d = ios_base(
        name,
        "C9300-48P",
        kind="switch",
        m=CORE,
        site="core",
        sensitive=False,
        book=book,
        mgmt_intf="Loopback0",
        serial_prefix="FOC",
    )
    d.ip_routing = "ip routing"
    d.mgmt_vrf_name = "Mgmt-vrf"
    d.vlans = [CORE_SERVICES_VLAN, PARKING_VLAN]
    ports: list[Port] = [_loopback("10.40.0.3", "Hantering"), *_management_port("C9300-48P")]
    for access in access_layer("C9300-48P", 8, "DAL-TJANSTER server", CORE_SERVICES_VLAN[0], None):
        if access.name.endswith("/48"):
            fw_mgmt = _routed_uplink(
                access.name, access.short, "Hantering dal-core-fw01", "10.40.0.254", switch=True
            )
            fw_mgmt.speed, fw_mgmt.media = "a-1000", "10/100/1000BaseTX"
            ports.append(fw_mgmt)
        else:
            ports.append(access)
    ports += switch_uplinks(
        "C9300-48P",
        {},
        {
            1: ("Till dal-core-rtr01", "10.40.1.242"),
            2: ("Till dal-core-rtr02", "10.40.1.246"),
            3: ("Till dal-core-fw01 inside", "10.40.1.249"),
        },
    )
    ports.append(_svi(1, "", None))
    ports[-1].description = None
    ports.append(_svi(CORE_SERVICES_VLAN[0], CORE_SERVICES_VLAN[1], "10.40.10.1"))
    d.interfaces = ports
    routes: list[tuple[str, str, str]] = [
        ("0.0.0.0", "0.0.0.0", "10.40.1.250"),
        ("10.40.0.1", MASK32, "10.40.1.241"),
        ("10.40.0.2", MASK32, "10.40.1.245"),
        ("10.40.20.0", "255.255.252.0", "10.40.1.250"),
    ]
    for m in MUNICIPALITIES:
        routes.append((f"10.40.0.{10 * m.k + 1}", MASK32, "10.40.1.241"))
        routes.append((f"10.40.0.{10 * m.k + 2}", MASK32, "10.40.1.245"))
        routes.append((f"10.{m.octet2}.0.0", "255.255.0.0", "10.40.1.241"))
    d.routes = _sorted_routes(routes)
    return d


# Sites of every municipality in the reference network: site 1 (firewall) and site 2 (L3 switch).
SITES = (1, 2)
_ZONE_DESCRIPTION = {
    "ADM": "administrativa natet",
    "PED": "pedagogiska natet",
    "TEL": "telefoni",
    "SEK": "sekretess",
    "GAST": "gastnat, bara Internet",
    "SRV": "kommunens servrar",
    "MGMT": "hantering av natutrustning",
}


def zone_group(zone: str) -> str:
    """Return the ``object-group network`` name of a zone's site subnets, e.g. ``ZON-PED``.

    Args:
        zone: Role name, e.g. ``PED``.

    Returns:
        The object-group name.
    """
    return f"ZON-{zone}"


def firewall_object_groups(octet2: int) -> list[str]:
    """Return the object groups of a municipal firewall, as ``show running-config`` prints them.

    One ``object-group network`` per zone (its /24 at every site), the shared services (DNS,
    NTP, the whole block) and ``object-group service`` for web, SIP and RTP.

    Args:
        octet2: Second octet of the municipality block.

    Returns:
        Configuration lines.
    """
    lines: list[str] = []
    for z in ZONES:
        lines += [
            f"object-group network {zone_group(z.name)}",
            f" description {z.name}: {_ZONE_DESCRIPTION[z.name]}, stalle "
            + " och ".join(str(site) for site in SITES),
        ]
        lines += [f" network-object {z.net(octet2, site)} {MASK24}" for site in SITES]
    for zone in ("SEK", "SRV"):
        z = ZONE_BY_NAME[zone]
        lines += [
            f"object-group network {zone_group(zone)}-LOKAL",
            f" description {zone}: bara stalle 1, sek lamnar inte stallet i klartext",
            f" network-object {z.net(octet2, 1)} {MASK24}",
        ]
    lines += [
        "object-group network DAL-DNS",
        " description Gemensam DNS",
        f" network-object host {DNS}",
        "object-group network DAL-NTP",
        " description Gemensamma NTP-servrar",
        *(f" network-object host {h}" for h in NTP),
        "object-group network DAL-TJANSTER",
        " description Gemensamma tjanster 10.40.10.0/24",
        f" network-object {SHARED_SERVICES} {MASK24}",
        "object-group service SVC-WEB tcp",
        " port-object eq www",
        " port-object eq https",
        "object-group service SVC-SIP udp",
        " port-object range sip 5061",
        "object-group service SVC-RTP udp",
        " port-object range 16384 32767",
    ]
    return lines


def zone_acls() -> list[tuple[str, list[str]]]:
    """Return the interface ACLs that implement the zone matrix on a municipal firewall.

    First match wins, then the implicit deny. Traffic inside one zone at one site stays in its
    VLAN; ``permit ip ZON-X ZON-X`` lets a zone reach itself at the other site, except sek:
    the path to site 2 runs in clear through the shared core, so sek talks only to site 1
    (the ``-LOKAL`` groups) and leaves the site only through the WAN router's IPsec tunnel.
    Zones with Internet access (adm, ped, gast, srv) end with ``deny ip any 10.40.0.0/13`` before
    ``permit ip ZON-X any``; the others end with ``deny ip any any log``.

    Returns:
        (ACL name, entries) per zone interface, in zone order.
    """
    dns = [
        "permit udp {s} object-group DAL-DNS eq domain",
        "permit tcp {s} object-group DAL-DNS eq domain",
    ]
    ntp = ["permit udp {s} object-group DAL-NTP eq ntp"]
    plan_deny = ["deny ip any 10.40.0.0 255.248.0.0 log"]
    internet = ["permit ip {s} any"]
    deny_all = ["deny ip any any log"]

    def to(zone: str) -> str:
        return f"permit ip {{s}} object-group {zone_group(zone)}"

    srv = f"object-group {zone_group('SRV')}"
    rules: dict[str, list[str]] = {
        "ADM": [to("ADM"), to("SRV"), *dns, *ntp, *plan_deny, *internet],
        "PED": [
            to("PED"),
            f"permit tcp {{s}} {srv} object-group SVC-WEB",
            *dns,
            *ntp,
            *plan_deny,
            *internet,
        ],
        "TEL": [
            to("TEL"),
            f"permit udp {{s}} {srv} object-group SVC-SIP",
            f"permit udp {{s}} {srv} object-group SVC-RTP",
            *dns,
            *ntp,
            *deny_all,
        ],
        "SEK": [f"permit ip {{s}} object-group {zone_group('SRV')}-LOKAL", *dns, *ntp, *deny_all],
        "GAST": [to("GAST"), *dns, *plan_deny, *internet],
        "SRV": [
            to("ADM"),
            to("PED"),
            to("TEL"),
            f"permit ip {{s}} object-group {zone_group('SEK')}-LOKAL",
            to("SRV"),
            "permit ip {s} object-group DAL-TJANSTER",
            *plan_deny,
            *internet,
        ],
        "MGMT": [to("MGMT"), "permit ip {s} object-group DAL-TJANSTER", *deny_all],
    }
    acls: list[tuple[str, list[str]]] = []
    for z in ZONES:
        src = f"object-group {zone_group(z.name)}"
        entries = [f"remark {z.name}: zonmatris Dalslandsnatet, standard neka"]
        entries += ["extended " + r.format(s=src) for r in rules[z.name]]
        acls.append((f"ACL-{z.name}-IN", entries))
    return acls


def key_generated(name: str) -> str:
    """Return when the firewall's RSA key pair was generated, as ``show crypto key`` prints it.

    Args:
        name: Host name.

    Returns:
        E.g. ``09:14:03 CET Mar 12 2024``.
    """
    year = _num(name + "/kg-y", 2023, 2025)
    month = _MONTHS[_num(name + "/kg-m", 0, 11)]
    day = _num(name + "/kg-d", 1, 28)
    hh, mm, ss = (
        _num(name + "/kg-h", 7, 17),
        _num(name + "/kg-mi", 0, 59),
        _num(name + "/kg-s", 0, 59),
    )
    return f"{hh:02d}:{mm:02d}:{ss:02d} CET {month} {day} {year}"


_SECURITY_LEVEL = {"ADM": 40, "PED": 20, "TEL": 30, "SEK": 60, "GAST": 5, "SRV": 70, "MGMT": 100}
_OBJECTS = ["object network OBJ-DALSLANDSNATET", " subnet 10.40.0.0 255.248.0.0"]


def municipal_firewall(m: Municipality, book: SecretBook) -> AsaDevice:
    """Return the site-1 firewall ``x-01-fw01`` (ASA 5516-X): gateway of every site-1 zone.

    Args:
        m: Municipality.
        book: Fake secrets.

    Returns:
        The firewall.
    """
    name = f"{m.short}-01-fw01"
    public, isp = public_net(m.k)
    o = m.octet2
    mgmt = ZONE_BY_NAME["MGMT"]
    ifs = [
        AsaInterface(
            "GigabitEthernet1/1", "outside", 0, f"{public} 255.255.255.248", description="Internet"
        ),
        AsaInterface(
            "GigabitEthernet1/2",
            "wan",
            80,
            f"{fw_link(m.k, 'fw')} {MASK30}",
            description=f"WAN {m.short}-01-rtr01",
        ),
        AsaInterface("GigabitEthernet1/3", description=f"Trunk {m.short}-01-sw01"),
    ]
    for z in ZONES:
        ifs.append(
            AsaInterface(
                f"GigabitEthernet1/3.{z.vlan}",
                z.zone,
                _SECURITY_LEVEL[z.name],
                f"{z.host(o, 1, 1)} {MASK24}",
                vlan=z.vlan,
            )
        )
    ifs += [AsaInterface(f"GigabitEthernet1/{n}", shutdown=True) for n in range(4, 9)]
    ifs.append(AsaInterface("Management1/1", management_only=True))
    acls = zone_acls()
    acls.append(
        (
            "ACL-WAN-IN",
            [
                "remark Hopprutan far hantera natverksutrustningen",
                f"extended permit tcp host {JUMP_HOST} {mgmt.block(o)[0]} 255.255.240.0 eq ssh",
                f"extended permit udp host {JUMP_HOST} {mgmt.block(o)[0]} 255.255.240.0 eq snmp",
                "extended deny ip any any log",
            ],
        )
    )
    acls.append(("ACL-OUTSIDE-IN", ["extended deny ip any any log"]))
    groups = [(f"ACL-{z.name}-IN", z.zone) for z in ZONES]
    groups += [("ACL-WAN-IN", "wan"), ("ACL-OUTSIDE-IN", "outside")]
    groups.sort(key=lambda g: [i.nameif for i in ifs].index(g[1]))
    return AsaDevice(
        name=name,
        model="ASA5516",
        facts=make_facts(name, "JAD"),
        enable_password=book.pbkdf2(name + "/enable"),
        admin_password=book.pbkdf2(name + "/admin"),
        snmp_auth_key=book.colon_hex(name + "/snmp-auth"),
        snmp_priv_key=book.colon_hex(name + "/snmp-priv", 32),
        interfaces=ifs,
        acls=acls,
        access_groups=groups,
        routes=[
            f"route outside 0.0.0.0 0.0.0.0 {isp} 1",
            f"route wan 10.40.0.0 255.248.0.0 {fw_link(m.k, 'rtr')} 1",
        ],
        mgmt_nets=[(mgmt.block(o)[0], "255.255.240.0"), (JUMP_HOST, MASK32)],
        objects=[*_OBJECTS, *firewall_object_groups(o)],
        nat=["nat (any,outside) after-auto source dynamic OBJ-DALSLANDSNATET interface"],
        snmp_location=f"{m.name}, kommunhuset (ställe 1), teknikrum",
        snmp_contact=f"{m.operations}, natdrift",
        last_change=last_change(name),
        key_generated=key_generated(name),
    )


def core_firewall(book: SecretBook) -> AsaDevice:
    """Return ``dal-core-fw01`` (Firepower 1120, ASA): Internet edge and remote-access VPN.

    Args:
        book: Fake secrets.

    Returns:
        The firewall.
    """
    name = "dal-core-fw01"
    public, isp = public_net(0)
    ifs = [
        AsaInterface(
            "Ethernet1/1", "outside", 0, f"{public} 255.255.255.248", description="Internet"
        ),
        AsaInterface(
            "Ethernet1/2", "inside", 90, f"10.40.1.250 {MASK30}", description="Till dal-core-sw01"
        ),
        *(AsaInterface(f"Ethernet1/{n}", shutdown=True) for n in range(3, 9)),
        AsaInterface(
            "Management1/1",
            "mgmt",
            100,
            "10.40.0.253 255.255.255.252",
            management_only=True,
            description="Hantering via dal-core-sw01",
        ),
    ]
    objects = [
        *_OBJECTS,
        "object network OBJ-DAL-VPN",
        " subnet 10.40.20.0 255.255.252.0",
    ]
    acls = [
        ("ACL-SPLIT-DAL", ["standard permit 10.40.0.0 255.248.0.0"]),
        (
            "ACL-INSIDE-IN",
            [
                "remark Dalslandsnatet till Internet, aldrig tillbaka in i planen",
                "extended deny ip any 10.40.0.0 255.248.0.0 log",
                "extended permit ip 10.40.0.0 255.248.0.0 any",
            ],
        ),
        ("ACL-OUTSIDE-IN", ["extended deny ip any any log"]),
    ]
    return AsaDevice(
        name=name,
        model="FPR-1120",
        facts=make_facts(name, "JAD"),
        enable_password=book.pbkdf2(name + "/enable"),
        admin_password=book.pbkdf2(name + "/admin"),
        snmp_auth_key=book.colon_hex(name + "/snmp-auth"),
        snmp_priv_key=book.colon_hex(name + "/snmp-priv", 32),
        interfaces=ifs,
        acls=acls,
        access_groups=[("ACL-OUTSIDE-IN", "outside"), ("ACL-INSIDE-IN", "inside")],
        routes=[
            f"route outside 0.0.0.0 0.0.0.0 {isp} 1",
            "route inside 10.40.0.0 255.248.0.0 10.40.1.249 1",
            f"route mgmt {SHARED_SERVICES} {MASK24} 10.40.0.254 1",
        ],
        mgmt_nets=[("10.40.0.0", MASK24), (JUMP_HOST, MASK32)],
        objects=objects,
        nat=[
            "nat (inside,outside) source static OBJ-DALSLANDSNATET OBJ-DALSLANDSNATET "
            "destination static OBJ-DAL-VPN OBJ-DAL-VPN no-proxy-arp route-lookup",
            "nat (inside,outside) after-auto source dynamic OBJ-DALSLANDSNATET interface",
        ],
        remote_access=True,
        ikev2_enable="outside",
        snmp_location="Dalslandsnätet kärna, datahall Åmål",
        snmp_contact=f"{CORE.operations}, natdrift",
        last_change=last_change(name),
        key_generated=key_generated(name),
    )


def server(name: str, os: str, address: str, m: Municipality) -> Server:
    """Return a server described by its SNMP agent.

    Args:
        name: Host name.
        os: ``"windows"`` or ``"linux"``.
        address: IPv4 address.
        m: Municipality.

    Returns:
        The server.
    """
    mac = "005056" + derive(name + "/mac", 6, "0123456789abcdef")
    return Server(
        name=name,
        os="windows" if os == "windows" else "linux",
        address=address,
        netmask=MASK24,
        location="Dalslandsnätet kärna, datahall Åmål"
        if m.k == 0
        else f"{m.name}, kommunhuset, serverrum",
        contact=f"{m.operations}, serverdrift",
        mac=mac,
        uptime_ticks=_num(name + "/ticks", 100_000_000, 900_000_000),
        console_name=_console_name(name, os),
    )


# Linux agents the antivirus console registered by FQDN (the rest by short name).
CONSOLE_FQDN = ("mel-01-srv02",)


def _console_name(name: str, os: str) -> str:
    """The name the antivirus console stores: Windows agents report it upper case."""
    if os == "windows":
        return name.upper()
    return f"{name}.{DOMAIN}" if name in CONSOLE_FQDN else name


def host_record(
    name: str,
    platform: str,
    *,
    m: Municipality,
    site: int | str,
    role: str,
    model: str,
    sensitive: bool,
    public: list[str] | None = None,
) -> HostRecord:
    """Return an inventory record with complete governance data.

    Args:
        name: Host name.
        platform: Nornir platform (``ios``, ``asa``, ``linux``, ``windows``).
        m: Municipality (``CORE`` for core hosts).
        site: Site number or ``"core"``.
        role: ``rtr``, ``sw``, ``fw`` or ``srv``.
        model: Approved model / OS name.
        sensitive: Requires two-factor login.
        public: Internet edge addresses (firewalls).

    Returns:
        The record.
    """
    agreement = {"rtr": 1, "sw": 1, "fw": 2, "srv": 3}[role] + (10 if m.k == 0 else 0)
    data: dict[str, Any] = {
        "municipality": m.short,
        "site": site,
        "role": role,
        "model": model,
        "system_owner": m.owner,
        "operations": m.operations,
        "service_agreement": f"DA-{m.year}-{agreement:02d}",
        "sensitive": sensitive,
    }
    if public:
        data["public_addresses"] = public
    return HostRecord(
        name=name,
        platform=platform,
        port=5986 if platform == "windows" else 22,
        groups=[m.group, ROLE_GROUP[role]],
        data=data,
    )


def build_baseline(book: SecretBook) -> Network:
    """Return the fully compliant reference network (before planting violations).

    Args:
        book: Fake secrets.

    Returns:
        The network, hosts in inventory order.
    """
    net = Network(hosts=[], ios=[], asa=[], servers=[])
    for m in MUNICIPALITIES:
        rtr = wan_router(m, book)
        fw = municipal_firewall(m, book)
        sw11 = access_switch(m, 1, 1, "C9300-48P", book)
        sw12 = access_switch(m, 1, 2, "C9200L-48P-4G", book)
        sw21 = site_gateway(m, book)
        sw22 = access_switch(m, 2, 2, "WS-C2960X-48FPD-L", book)
        net.ios += [rtr, sw11, sw12, sw21, sw22]
        net.asa.append(fw)
        srv = ZONE_BY_NAME["SRV"]
        net.servers += [
            server(f"{m.short}-01-srv01", "windows", srv.host(m.octet2, 1, 10), m),
            server(f"{m.short}-01-srv02", "linux", srv.host(m.octet2, 1, 11), m),
        ]
        net.hosts += [
            host_record(rtr.name, "ios", m=m, site=1, role="rtr", model="ISR4331", sensitive=False),
            host_record(
                fw.name,
                "asa",
                m=m,
                site=1,
                role="fw",
                model="ASA5516-X",
                sensitive=True,
                public=[public_net(m.k)[0]],
            ),
            host_record(
                sw11.name, "ios", m=m, site=1, role="sw", model="C9300-48P", sensitive=False
            ),
            host_record(
                sw12.name, "ios", m=m, site=1, role="sw", model="C9200L-48P-4G", sensitive=False
            ),
            host_record(
                f"{m.short}-01-srv01",
                "windows",
                m=m,
                site=1,
                role="srv",
                model="Windows Server 2022",
                sensitive=False,
            ),
            host_record(
                f"{m.short}-01-srv02",
                "linux",
                m=m,
                site=1,
                role="srv",
                model="Debian 12",
                sensitive=False,
            ),
            host_record(
                sw21.name, "ios", m=m, site=2, role="sw", model="C9300-48P", sensitive=False
            ),
            host_record(
                sw22.name, "ios", m=m, site=2, role="sw", model="WS-C2960X-48FPD-L", sensitive=False
            ),
        ]
    core_r1, core_r2 = core_router(1, book), core_router(2, book)
    core_sw, core_fw = core_switch(book), core_firewall(book)
    net.ios += [core_r1, core_r2, core_sw]
    net.asa.append(core_fw)
    net.servers += [
        server("dal-core-srv01", "linux", "10.40.10.10", CORE),
        server("dal-core-srv02", "windows", "10.40.10.40", CORE),
    ]
    net.hosts += [
        host_record(
            "dal-core-rtr01",
            "ios",
            m=CORE,
            site="core",
            role="rtr",
            model="C8200-1N-4T",
            sensitive=True,
        ),
        host_record(
            "dal-core-rtr02",
            "ios",
            m=CORE,
            site="core",
            role="rtr",
            model="C8200-1N-4T",
            sensitive=True,
        ),
        host_record(
            "dal-core-sw01",
            "ios",
            m=CORE,
            site="core",
            role="sw",
            model="C9300-48P",
            sensitive=False,
        ),
        host_record(
            "dal-core-fw01",
            "asa",
            m=CORE,
            site="core",
            role="fw",
            model="Firepower 1120",
            sensitive=True,
            public=[public_net(0)[0]],
        ),
        host_record(
            "dal-core-srv01",
            "linux",
            m=CORE,
            site="core",
            role="srv",
            model="Debian 12",
            sensitive=False,
        ),
        host_record(
            "dal-core-srv02",
            "windows",
            m=CORE,
            site="core",
            role="srv",
            model="Windows Server 2022",
            sensitive=False,
        ),
    ]
    return net
