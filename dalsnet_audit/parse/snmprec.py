"""snmpsim `.snmprec` recordings (`OID|TYPE|VALUE`) and what a server's MIBs say in them."""

from __future__ import annotations

import re

from netaddr import IPNetwork

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.device import Facts, Interface, Process, ServerInfo
from dalsnet_audit.parse.blocks import device_lines

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_DESCR = "1.3.6.1.2.1.2.2.1.2."
IP_AD_ENT_IF_INDEX = "1.3.6.1.2.1.4.20.1.2."
IP_AD_ENT_NET_MASK = "1.3.6.1.2.1.4.20.1.3."
HR_SW_RUN_NAME = "1.3.6.1.2.1.25.4.2.1.2."
HR_SW_INSTALLED_NAME = "1.3.6.1.2.1.25.6.3.1.2."

HR_SW_RUN_STATUS = "1.3.6.1.2.1.25.4.2.1.7."
# hrSWRunStatus: running(1), runnable(2), notRunnable(3), invalid(4).
RUN_STATES = {"1": "running", "2": "runnable", "3": "notRunnable", "4": "invalid"}


def _decode_octets(raw: bytes) -> str:
    """Octet strings as text: UTF-8, else Windows-1252 (real Windows agents send it)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in oid.split("."))


def read_snmprec(text: str) -> dict[str, str]:
    """Values of a `.snmprec` file by OID, hex-encoded octet strings decoded.

    Raises:
        ParseError: a line is not `OID|TYPE|VALUE`.
    """
    values: dict[str, str] = {}
    for number, line in enumerate(device_lines(text), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|", 2)
        if len(parts) != 3 or not re.fullmatch(r"[0-9.]+", parts[0]):
            raise ParseError(f"snmprec line {number}: not OID|TYPE|VALUE")
        oid, tag, value = parts
        if tag.endswith("x"):
            try:
                raw = bytes.fromhex(value)
            except ValueError as exc:
                raise ParseError(f"snmprec line {number}: bad hex value") from exc
            # 64x is an IpAddress in hex (recorded walks); 4x an octet string.
            value = ".".join(str(b) for b in raw) if tag == "64x" else _decode_octets(raw)
        values[oid] = value
    return dict(sorted(values.items(), key=lambda item: _oid_key(item[0])))


def _column(values: dict[str, str], prefix: str) -> dict[str, str]:
    return {oid[len(prefix) :]: value for oid, value in values.items() if oid.startswith(prefix)}


def os_from_descr(descr: str) -> tuple[str | None, str | None]:
    """OS family and version from sysDescr (Windows build numbers, Linux distribution)."""
    if "Windows" in descr:
        build = re.search(r"Build (\d+)", descr)
        names = {"17763": "Windows Server 2019", "20348": "Windows Server 2022"}
        return "windows", names.get(
            build.group(1), f"Windows build {build.group(1)}"
        ) if build else None
    if descr.startswith("Linux"):
        for pattern, name in ((r"Debian", "Debian"), (r"Ubuntu", "Ubuntu"), (r"\.el(\d+)", "RHEL")):
            if re.search(pattern, descr):
                return "linux", name
        return "linux", None
    return None, None


def parse_server_snmp(text: str) -> ServerInfo:
    """System group, addresses and software of a server's SNMP recording.

    Raises:
        ParseError: the recording lacks sysDescr (nothing to identify the host).
    """
    values = read_snmprec(text)
    descr = values.get(SYS_DESCR)
    if not descr:
        raise ParseError("SNMP: no sysDescr")
    os_family, os_name = os_from_descr(descr)
    if_names = _column(values, IF_DESCR)
    masks = _column(values, IP_AD_ENT_NET_MASK)
    by_if: dict[str, list[IPNetwork]] = {}
    for address, if_index in _column(values, IP_AD_ENT_IF_INDEX).items():
        if address.startswith(("127.", "0.")):
            continue
        mask = masks.get(address, "255.255.255.255")
        by_if.setdefault(if_index, []).append(IPNetwork(f"{address}/{mask}"))
    interfaces = tuple(
        Interface(
            name=if_names.get(index, f"ifIndex {index}"),
            kind="physical",
            description=None,
            is_enabled=True,
            addresses=tuple(nets),
            lines=tuple(f"ipAdEntAddr {net.ip}/{net.prefixlen} ifIndex {index}" for net in nets),
        )
        for index, nets in sorted(by_if.items())
    )
    return ServerInfo(
        facts=Facts(
            hostname=values.get(SYS_NAME),
            os=os_family,
            os_version=os_name,
            model=os_name,
            source="SNMP sysDescr",
            hostname_source="SNMP sysName",
        ),
        interfaces=interfaces,
        installed_software=tuple(_column(values, HR_SW_INSTALLED_NAME).values())
        if _column(values, HR_SW_INSTALLED_NAME)
        else None,
        processes=_processes(values),
    )


def _processes(values: dict[str, str]) -> tuple[Process, ...] | None:
    names = _column(values, HR_SW_RUN_NAME)
    if not names:
        return None
    states = _column(values, HR_SW_RUN_STATUS)
    return tuple(
        Process(name, RUN_STATES.get(states.get(index, ""), "unknown"), "SNMP hrSWRunTable")
        for index, name in names.items()
    )
