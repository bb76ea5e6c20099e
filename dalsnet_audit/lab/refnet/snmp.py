"""SNMP recordings (snmpsim ``.snmprec``) of the reference servers.

Each line is ``OID|TYPE|VALUE`` (types: 2 Integer, 4 OctetString, 4x hex OctetString, 6 OID,
64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks), sorted by OID numerically, as snmpsim
requires. Covered: SNMPv2-MIB system group, IF-MIB ifTable (loopback and one NIC), IP-MIB
ipAddrTable and HOST-RESOURCES-MIB hrSWRunTable / hrSWInstalledTable.
"""

from __future__ import annotations

from dalsnet_audit.lab.refnet.antivirus import KERNEL, debian_packages
from dalsnet_audit.lab.refnet.model import Server

WINDOWS_DESCR = (
    "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - "
    "Software: Windows Version 6.3 (Build 20348 Multiprocessor Free)"
)
LINUX_DESCR = "Linux {name} " + KERNEL + " x86_64"

WINDOWS_OBJECT_ID = "1.3.6.1.4.1.311.1.1.3.1.2"
LINUX_OBJECT_ID = "1.3.6.1.4.1.8072.3.2.10"
WINDOWS_PROCESSES: tuple[tuple[int, str, int], ...] = (
    (1, "System Idle Process", 2),
    (4, "System", 2),
    (108, "Registry", 2),
    (392, "smss.exe", 2),
    (512, "csrss.exe", 2),
    (600, "wininit.exe", 2),
    (676, "services.exe", 2),
    (692, "lsass.exe", 2),
    (808, "svchost.exe", 2),
    (860, "svchost.exe", 2),
    (1032, "svchost.exe", 2),
    (1424, "spoolsv.exe", 2),
    (1680, "snmp.exe", 2),
    (2044, "MsMpEng.exe", 1),
    (2304, "vmtoolsd.exe", 2),
    (3312, "NisSrv.exe", 2),
    (3920, "WmiPrvSE.exe", 2),
)
LINUX_PROCESSES: tuple[tuple[int, str, int], ...] = (
    (1, "systemd", 2),
    (2, "kthreadd", 2),
    (412, "systemd-journal", 2),
    (455, "systemd-udevd", 2),
    (612, "cron", 2),
    (615, "dbus-daemon", 2),
    (622, "rsyslogd", 2),
    (630, "systemd-logind", 2),
    (688, "chronyd", 2),
    (702, "snmpd", 1),
    (745, "sshd", 2),
    (812, "clamd", 1),
    (815, "freshclam", 1),
    (901, "agetty", 2),
)
WINDOWS_SOFTWARE = (
    "Microsoft Defender Antivirus",
    "Microsoft Edge",
    "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33135",
    "VMware Tools",
)
# Processes and software that exist only where the antivirus product is installed / running.
AV_SOFTWARE = {"windows": ("Microsoft Defender Antivirus",), "linux": ()}
AV_PROCESSES = {"windows": ("MsMpEng.exe", "NisSrv.exe"), "linux": ("clamd", "freshclam")}
ENGINE_PROCESS = {"windows": "MsMpEng.exe", "linux": "clamd"}


def _text(oid: str, value: str) -> str:
    """Return an OctetString line; non-ASCII text (Å, ä, ö) goes hex-encoded as ``4x``."""
    if value.isascii():
        return f"{oid}|4|{value}"
    return f"{oid}|4x|{value.encode('utf-8').hex()}"


def _oid_key(line: str) -> tuple[int, ...]:
    return tuple(int(part) for part in line.split("|", 1)[0].split("."))


def _processes(s: Server) -> list[tuple[int, str, int]]:
    """HrSWRunTable rows: no antivirus processes without the product, no engine when stopped."""
    table = WINDOWS_PROCESSES if s.os == "windows" else LINUX_PROCESSES
    gone: set[str] = set() if s.antivirus else set(AV_PROCESSES[s.os])
    if not s.engine_running:
        gone.add(ENGINE_PROCESS[s.os])
    return [row for row in table if row[1] not in gone]


def _software(s: Server) -> list[tuple[str, int]]:
    """HrSWInstalledTable (name, type) rows.

    Windows: the programs list. Debian: net-snmp's ``swinst_apt`` names every dpkg package
    ``package_version_arch``, type operatingSystem(2) when Essential, else application(4).
    """
    if s.os == "windows":
        gone = () if s.antivirus else AV_SOFTWARE["windows"]
        return [(name, 4) for name in WINDOWS_SOFTWARE if name not in gone]
    return [(f"{p.name}_{p.version}_{p.arch}", 2 if p.essential else 4) for p in debian_packages(s)]


def snmprec(s: Server) -> str:
    """Return the ``.snmprec`` text of a server.

    Args:
        s: The server.

    Returns:
        Lines sorted by OID, ending with a newline.
    """
    windows = s.os == "windows"
    nic = 6 if windows else 2
    rec: list[str] = [
        f"1.3.6.1.2.1.1.1.0|4|{WINDOWS_DESCR if windows else LINUX_DESCR.format(name=s.name)}",
        f"1.3.6.1.2.1.1.2.0|6|{WINDOWS_OBJECT_ID if windows else LINUX_OBJECT_ID}",
        f"1.3.6.1.2.1.1.3.0|67|{s.uptime_ticks}",
        _text("1.3.6.1.2.1.1.4.0", s.contact),
        f"1.3.6.1.2.1.1.5.0|4|{s.name}",
        _text("1.3.6.1.2.1.1.6.0", s.location),
        f"1.3.6.1.2.1.1.7.0|2|{76 if windows else 72}",
        "1.3.6.1.2.1.2.1.0|2|2",
    ]
    interfaces = (
        (
            1,
            "Software Loopback Interface 1" if windows else "lo",
            24,
            1500 if windows else 65536,
            1073741824 if windows else 10000000,
            "",
        ),
        (nic, "vmxnet3 Ethernet Adapter" if windows else "ens192", 6, 1500, 1000000000, s.mac),
    )
    for index, descr, if_type, mtu, speed, mac in interfaces:
        base = "1.3.6.1.2.1.2.2.1"
        rec += [
            f"{base}.1.{index}|2|{index}",
            f"{base}.2.{index}|4|{descr}",
            f"{base}.3.{index}|2|{if_type}",
            f"{base}.4.{index}|2|{mtu}",
            f"{base}.5.{index}|66|{speed}",
            f"{base}.6.{index}|4x|{mac}" if mac else f"{base}.6.{index}|4|",
            f"{base}.7.{index}|2|1",
            f"{base}.8.{index}|2|1",
            f"{base}.10.{index}|65|{(index * 7919 + s.uptime_ticks) % 4294967295}",
            f"{base}.16.{index}|65|{(index * 104729 + s.uptime_ticks // 3) % 4294967295}",
        ]
    for addr, index, mask in (("127.0.0.1", 1, "255.0.0.0"), (s.address, nic, s.netmask)):
        rec += [
            f"1.3.6.1.2.1.4.20.1.1.{addr}|64|{addr}",
            f"1.3.6.1.2.1.4.20.1.2.{addr}|2|{index}",
            f"1.3.6.1.2.1.4.20.1.3.{addr}|64|{mask}",
        ]
    for pid, name, status in _processes(s):
        run_type = 2 if pid in (1, 4) and windows else 4
        rec += [
            f"1.3.6.1.2.1.25.4.2.1.1.{pid}|2|{pid}",
            f"1.3.6.1.2.1.25.4.2.1.2.{pid}|4|{name}",
            f"1.3.6.1.2.1.25.4.2.1.6.{pid}|2|{run_type}",
            f"1.3.6.1.2.1.25.4.2.1.7.{pid}|2|{status}",
        ]
    for index, (name, sw_type) in enumerate(_software(s), start=1):
        rec += [
            f"1.3.6.1.2.1.25.6.3.1.1.{index}|2|{index}",
            f"1.3.6.1.2.1.25.6.3.1.2.{index}|4|{name}",
            f"1.3.6.1.2.1.25.6.3.1.4.{index}|2|{sw_type}",
        ]
    return "\n".join(sorted(rec, key=_oid_key)) + "\n"
