"""Render devices to the text they print: running-configs and show command output."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import jinja2
from cryptography.hazmat.primitives import serialization

from dalsnet_audit.lab.refnet.fake_secrets import derive
from dalsnet_audit.lab.refnet.model import AsaDevice, IosDevice, Port
from dalsnet_audit.lab.refnet.plan import (
    AV_CONSOLE,
    DNS,
    DOMAIN,
    MFA,
    NTP,
    SYSLOG,
    TACACS,
    VPN_POOL,
)

BANNER = (
    "*************************************************************************",
    "*  Dalslandsnätet - endast behörig användning. All aktivitet loggas.    *",
    "*  Authorised use only. All activity is logged and monitored.           *",
    "*  Obehörig åtkomst polisanmäls. / Unauthorised access is reported.     *",
    "*************************************************************************",
)
_HEX = "0123456789ABCDEF"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment over this package's ``templates/``.

    Returns:
        The environment (cached).
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dalsnet_audit.lab.refnet", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )


def _cert_hex(label: str, length: int, header: str) -> list[str]:
    """Return a certificate dump as IOS prints it: 8 groups of 8 hex digits per line."""
    body = header + derive(label, 2 * length - len(header), _HEX)
    words = [body[i : i + 8] for i in range(0, len(body), 8)]
    return [" ".join(words[i : i + 8]) for i in range(0, len(words), 8)]


def _trustpoint_id(name: str) -> str:
    return str(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 4_000_000_000 + 100_000_000)


def render_ios_config(d: IosDevice) -> str:
    """Return ``show running-config`` of an IOS / IOS-XE device.

    Args:
        d: The device.

    Returns:
        The configuration, from ``Building configuration...`` to ``end``.
    """
    tp_id = _trustpoint_id(d.name)
    body = (
        environment()
        .get_template("ios_running_config.j2")
        .render(
            d=d,
            domain=DOMAIN,
            syslog=SYSLOG,
            ntp=NTP,
            mfa=MFA,
            banner=BANNER,
            tp=f"TP-self-signed-{tp_id}",
            tp_id=tp_id,
            sla_hex=_cert_hex(
                "SLA-TrustPoint",
                805,
                "30820321308202" + "09A003020102020101300D06092A864886F70D01010B05003032",
            ),
            self_hex=_cert_hex(
                d.name + "/self-signed",
                816,
                "3082033030820218A003020102020101300D06092A864886F70D01010505003031",
            ),
        )
    )
    size = len(body.encode("utf-8"))
    return f"Building configuration...\n\nCurrent configuration : {size} bytes\n{body}"


def _asa_written(a: AsaDevice) -> str:
    stamp, who = a.last_change.rsplit(" by ", 1)
    clock, rest = stamp.split(" ", 1)
    return f"{who} at {clock}.{sum(map(ord, a.name)) % 1000:03d} {rest}"


def _asa_hw(a: AsaDevice) -> str:
    if a.model == "ASA5516":
        return "ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)"
    return "FPR-1120, 7020 MB RAM, CPU Atom C3000 series 2200 MHz, 1 CPU (8 cores)"


def render_asa_config(a: AsaDevice) -> str:
    """Return ``show running-config`` of an ASA.

    Args:
        a: The firewall.

    Returns:
        The configuration, from ``: Saved`` to ``: end``.
    """
    context = {
        "a": a,
        "banner": BANNER,
        "domain": DOMAIN,
        "syslog": SYSLOG,
        "ntp": NTP,
        "mfa": MFA,
        "dns": DNS,
        "tacacs": TACACS,
        "av_console": AV_CONSOLE,
        "vpn_pool": VPN_POOL,
        "hw_line": _asa_hw(a),
        "written": _asa_written(a),
    }
    template = environment().get_template("asa_running_config.j2")
    draft = template.render(**context, checksum="")
    checksum = hashlib.md5(draft.encode(), usedforsecurity=False).hexdigest()
    return template.render(**context, checksum=checksum)


_IOSXE_HW: dict[str, dict[str, object]] = {
    "C9300-48P": {
        "train": "Catalyst L3 Switch",
        "image": "CAT9K_IOSXE",
        "sw_image": "CAT9K_IOSXE",
        "rom": "IOS-XE ROMMON",
        "bootldr": "17.9.1r",
        "image_file": "flash:packages.conf",
        "cpu": "X86",
        "memory": "1331521K/6147K",
        "phys_mem": 8388608,
        "flash": 11264000,
        "port_counts": ["52 Gigabit Ethernet interfaces", "8 Ten Gigabit Ethernet interfaces"],
        "nports": 60,
    },
    "C9200L-48P-4G": {
        "train": "Catalyst L3 Switch",
        "image": "CAT9K_LITE_IOSXE",
        "sw_image": "CAT9K_LITE_IOSXE",
        "rom": "IOS-XE ROMMON",
        "bootldr": "17.9.1r",
        "image_file": "flash:packages.conf",
        "cpu": "ARM64",
        "memory": "1007405K/3071K",
        "phys_mem": 2097152,
        "flash": 1638400,
        "port_counts": ["52 Gigabit Ethernet interfaces"],
        "nports": 52,
    },
    "ISR4331": {
        "train": "ISR",
        "image": "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "rom": "16.12(2r)",
        "bootldr": "",
        "image_file": "bootflash:isr4300-universalk9.17.09.04a.SPA.bin",
        "pid": "ISR4331/K9",
        "memory": "1795999K/6147K",
        "phys_mem": 4194304,
        "flash": 3207167,
        "port_counts": ["3 Gigabit Ethernet interfaces"],
        "router_licenses": [
            "appxk9           Smart License       appxk9               appxk9",
            "uck9             None                None                 None",
            "securityk9       Smart License       securityk9           securityk9",
            "ipbase           Smart License       ipbasek9             ipbasek9",
        ],
    },
    "C8200-1N-4T": {
        "train": "c8000be",
        "image": "X86_64_LINUX_IOSD-UNIVERSALK9-M",
        "rom": "17.6(1r)",
        "bootldr": "",
        "image_file": "bootflash:c8000be-universalk9.17.09.04a.SPA.bin",
        "pid": "C8200-1N-4T",
        "memory": "3755850K/6147K",
        "phys_mem": 8388608,
        "flash": 7090175,
        "port_counts": ["6 Gigabit Ethernet interfaces"],
        "router_licenses": [
            "Smart License Perpetual    network-advantage    network-advantage",
            "Smart License Subscription dna-advantage        dna-advantage",
        ],
    },
}


def _mac_colon(dotted: str) -> str:
    raw = dotted.replace(".", "")
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def render_ios_show_version(d: IosDevice) -> str:
    """Return ``show version`` of an IOS / IOS-XE device.

    Args:
        d: The device.

    Returns:
        The command output.
    """
    env = environment()
    if not d.xe:
        return env.get_template("ios152_show_version.j2").render(
            d=d, mac_colon=_mac_colon(d.facts.mac)
        )
    return env.get_template("iosxe_show_version.j2").render(
        d=d, mac_colon=_mac_colon(d.facts.mac), **_IOSXE_HW[d.model]
    )


def _asa_uptime(days: int, hours: int) -> str:
    return f"{days} day{'' if days == 1 else 's'} {hours} hour{'' if hours == 1 else 's'}"


def render_asa_show_version(a: AsaDevice) -> str:
    """Return ``show version`` of an ASA.

    Args:
        a: The firewall.

    Returns:
        The command output.
    """
    base = int(a.facts.mac.replace(".", ""), 16)

    def mac(offset: int) -> str:
        raw = f"{base + offset:012x}"
        return f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}"

    if a.model == "ASA5516":
        nics = [("Int", "Internal-Data1/1", mac(0), 255)]
        nics += [("Ext", f"GigabitEthernet1/{n}", mac(n), 255) for n in range(1, 9)]
        nics += [
            ("Int", "Internal-Control1/1", "0000.0001.0001", 0),
            ("Int", "Internal-Data1/2", "0000.0001.0003", 0),
            ("Ext", "Management1/1", mac(9), 0),
            ("Int", "Internal-Data1/3", "0000.0100.0001", 0),
        ]
        image = "disk0:/asa9-16-4-lfbff-k8.SPA"
    else:
        nics = [("Int", "Internal-Data0/0", "000f.b748.4801", 0)]
        nics += [("Ext", f"Ethernet1/{n}", mac(n), 0) for n in range(1, 9)]
        nics += [
            ("Ext", "Management1/1", mac(9), 0),
            ("Int", "Internal-Data0/1", "0000.0100.0001", 0),
        ]
        image = "disk0:/installables/switch/fxos-k8-fp1k-lfbff.2.10.1.175.SPA"
    nic_lines = [
        f"{i:2d}: {kind}: {name:<20}: address is {addr}, irq {irq}"
        for i, (kind, name, addr, irq) in enumerate(nics)
    ]
    key = " ".join("0x" + derive(a.name + f"/ak{i}", 8, "0123456789abcdef") for i in range(5))
    return (
        environment()
        .get_template("asa_show_version.j2")
        .render(
            a=a,
            uptime=_asa_uptime(a.facts.uptime_days, a.facts.uptime_hours),
            hw_line=_asa_hw(a),
            image=image,
            nic_lines=nic_lines,
            activation_key=key,
            written=_asa_written(a),
        )
    )


def render_asa_show_crypto_key(a: AsaDevice, public_key: str) -> str:
    """Return ``show crypto key mypubkey rsa`` of an ASA (its ``<Default-RSA-Key>``).

    The key data is the DER ``SubjectPublicKeyInfo`` of the RSA key, printed as the ASA does:
    lower-case hex in groups of 4 bytes, 8 groups a line.

    Args:
        a: The firewall.
        public_key: The OpenSSH public key line (``ssh-rsa AAAA...``).

    Returns:
        The command output.
    """
    key = serialization.load_ssh_public_key(public_key.encode())
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ).hex()
    words = [der[i : i + 8] for i in range(0, len(der), 8)]
    lines = [" ".join(words[i : i + 8]) for i in range(0, len(words), 8)]
    bits = getattr(key, "key_size", 0)
    return (
        environment()
        .get_template("asa_show_crypto_key_mypubkey_rsa.j2")
        .render(a=a, bits=bits, key_lines=lines)
    )


def render_show_ip_ssh(d: IosDevice, public_key: str) -> str:
    """Return ``show ip ssh`` of an IOS-XE / IOS device.

    Args:
        d: The device (its SSH algorithm lines decide the output).
        public_key: The OpenSSH public host key line.

    Returns:
        The command output.
    """
    return (
        environment()
        .get_template("ios_show_ip_ssh.j2")
        .render(d=d, domain=DOMAIN, pubkey=public_key)
    )


def _status_row(p: Port) -> str:
    if p.switchport == "trunk":
        vlan = "trunk"
    elif p.switchport == "access":
        vlan = str(p.access_vlan)
    else:
        vlan = "routed"
    name = (p.description or "")[:18]
    return (
        f"{p.short:<12} {name:<18} {p.status:<12} {vlan:<10} {p.duplex:>6} {p.speed:>6} {p.media}"
    )


def render_interfaces_status(d: IosDevice) -> str:
    """Return ``show interfaces status`` of a switch, consistent with its configuration.

    Args:
        d: The switch.

    Returns:
        The command output.
    """
    header = "Port         Name               Status       Vlan       Duplex  Speed Type"
    rows = [_status_row(p) for p in d.interfaces if p.physical and p.short]
    return "\n" + "\n".join([header, *rows]) + "\n"
