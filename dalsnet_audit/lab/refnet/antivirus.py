"""Antivirus evidence of the reference servers: Debian SSH outputs and the console's CSV export.

Linux servers answer ``dpkg-query -W``, ``systemctl is-active clamav-daemon``, ``sigtool --info
/var/lib/clamav/daily.cld``, ``uname -a`` and ``cat /etc/os-release`` as Debian 12 prints them;
the SNMP recording (``snmp.py``) lists the same packages and processes. The console export is
what a console writes: UTF-8 with a byte-order mark, ``;``-separated, CRLF, rows sorted by host
name as the console stores it (Windows names upper case, one Linux host by FQDN).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from dalsnet_audit.lab.refnet.model import ConsoleRow, Network, Server
from dalsnet_audit.lab.refnet.timekeeping import (
    render_rsyslog,
    render_show_timesync,
    render_timedatectl_show,
)

KERNEL = "6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)"
CONSOLE_HEADER = ("hostname", "product", "signature_date", "engine_version")
DEFENDER = ("Microsoft Defender Antivirus", "1.1.24090.11")
CLAMAV = ("ClamAV", "1.0.7")
CLAMAV_VERSION = "1.0.7+dfsg-1~deb12u1"
# Daily database 27467 was built on 2024-11-25; one daily build a day since.
_DAILY_EPOCH = (dt.date(2024, 11, 25), 27467, 2_070_241)


class Package(NamedTuple):
    """One installed Debian package."""

    name: str
    version: str
    arch: str
    essential: bool = False
    multiarch_same: bool = False


def _p(name: str, version: str, arch: str = "amd64", *flags: str) -> Package:
    return Package(name, version, arch, "essential" in flags, "same" in flags)


_UTIL_LINUX = "2.38.1-5+deb12u2"
_SYSTEMD = "252.30-1~deb12u2"
_GLIBC = "2.36-9+deb12u9"
_SSH = "1:9.2p1-2+deb12u3"
_SNMP = "5.9.3+dfsg-2"
_PAM = "1.5.2-6+deb12u1"
_SSL = "3.0.15-1~deb12u1"
_CURL = "7.88.1-10+deb12u8"
_DBUS = "1.14.10-1~deb12u1"
_NCURSES = "6.4-4"
_SHADOW = "1:4.13+dfsg1-1+b1"

BASE_PACKAGES: tuple[Package, ...] = (
    _p("adduser", "3.134", "all"),
    _p("apt", "2.6.1"),
    _p("base-files", "12.4+deb12u8", "amd64", "essential"),
    _p("base-passwd", "3.6.1", "amd64", "essential"),
    _p("bash", "5.2.15-2+b7", "amd64", "essential"),
    _p("bsdutils", "1:" + _UTIL_LINUX, "amd64", "essential"),
    _p("ca-certificates", "20230311", "all"),
    _p("chrony", "4.3-2+deb12u1"),
    _p("coreutils", "9.1-1", "amd64", "essential"),
    _p("cron", "3.0pl1-162"),
    _p("cron-daemon-common", "3.0pl1-162", "all"),
    _p("curl", _CURL),
    _p("dash", "0.5.12-2", "amd64", "essential"),
    _p("dbus", _DBUS),
    _p("dbus-bin", _DBUS),
    _p("dbus-daemon", _DBUS),
    _p("dbus-session-bus-common", _DBUS, "all"),
    _p("dbus-system-bus-common", _DBUS, "all"),
    _p("debconf", "1.5.82", "all"),
    _p("debian-archive-keyring", "2023.3+deb12u1", "all"),
    _p("debianutils", "5.7-0.5~deb12u1", "amd64", "essential"),
    _p("diffutils", "1:3.8-4", "amd64", "essential"),
    _p("dpkg", "1.21.22", "amd64", "essential"),
    _p("e2fsprogs", "1.47.0-2"),
    _p("findutils", "4.9.0-4", "amd64", "essential"),
    _p("gpgv", "2.2.40-1.1"),
    _p("grep", "3.8-5", "amd64", "essential"),
    _p("grub-common", "2.06-13+deb12u1"),
    _p("grub-pc", "2.06-13+deb12u1"),
    _p("gzip", "1.12-1", "amd64", "essential"),
    _p("hostname", "3.23+nmu1", "amd64", "essential"),
    _p("ifupdown", "0.8.41"),
    _p("init", "1.65.2"),
    _p("init-system-helpers", "1.65.2", "all", "essential"),
    _p("iproute2", "6.1.0-3"),
    _p("iputils-ping", "3:20221126-1+deb12u1"),
    _p("kmod", "30+20221128-1"),
    _p("less", "590-2.1~deb12u2"),
    _p("libacl1", "2.3.1-3", "amd64", "same"),
    _p("libattr1", "1:2.5.1-4", "amd64", "same"),
    _p("libblkid1", _UTIL_LINUX, "amd64", "same"),
    _p("libbz2-1.0", "1.0.8-5+b1", "amd64", "same"),
    _p("libc-bin", _GLIBC, "amd64", "essential"),
    _p("libc6", _GLIBC, "amd64", "same"),
    _p("libcap2", "1:2.66-4", "amd64", "same"),
    _p("libcrypt1", "1:4.4.33-2", "amd64", "same"),
    _p("libcurl4", _CURL, "amd64", "same"),
    _p("libdb5.3", "5.3.28+dfsg2-1", "amd64", "same"),
    _p("libgcrypt20", "1.10.1-3", "amd64", "same"),
    _p("libgnutls30", "3.7.9-2+deb12u3", "amd64", "same"),
    _p("libjson-c5", "0.16-2", "amd64", "same"),
    _p("libkmod2", "30+20221128-1", "amd64", "same"),
    _p("libltdl7", "2.4.7-7~deb12u1", "amd64", "same"),
    _p("liblzma5", "5.4.1-0.2", "amd64", "same"),
    _p("libmd0", "1.0.4-2", "amd64", "same"),
    _p("libmount1", _UTIL_LINUX, "amd64", "same"),
    _p("libncursesw6", _NCURSES, "amd64", "same"),
    _p("libpam-modules", _PAM, "amd64", "same"),
    _p("libpam-modules-bin", _PAM),
    _p("libpam-runtime", _PAM, "all"),
    _p("libpam-systemd", _SYSTEMD, "amd64", "same"),
    _p("libpam0g", _PAM, "amd64", "same"),
    _p("libpcre2-8-0", "10.42-1", "amd64", "same"),
    _p("libselinux1", "3.4-1+b6", "amd64", "same"),
    _p("libsensors5", "1:3.6.0-7.1", "amd64", "same"),
    _p("libsnmp-base", _SNMP, "all"),
    _p("libsnmp40", _SNMP, "amd64", "same"),
    _p("libssl3", _SSL, "amd64", "same"),
    _p("libsystemd-shared", _SYSTEMD),
    _p("libsystemd0", _SYSTEMD, "amd64", "same"),
    _p("libtinfo6", _NCURSES, "amd64", "same"),
    _p("libudev1", _SYSTEMD, "amd64", "same"),
    _p("libwrap0", "7.6.q-32", "amd64", "same"),
    _p("libxml2", "2.9.14+dfsg-1.3~deb12u1", "amd64", "same"),
    _p("libzstd1", "1.5.4+dfsg2-5", "amd64", "same"),
    _p("linux-image-6.1.0-27-amd64", "6.1.115-1"),
    _p("linux-image-amd64", "6.1.115-1"),
    _p("locales", _GLIBC, "all"),
    _p("login", _SHADOW, "amd64", "essential"),
    _p("logrotate", "3.21.0-1"),
    _p("mawk", "1.3.4.20200120-3.1"),
    _p("mount", _UTIL_LINUX),
    _p("nano", "7.2-1+deb12u1"),
    _p("ncurses-base", _NCURSES, "all"),
    _p("ncurses-bin", _NCURSES, "amd64", "essential"),
    _p("netbase", "6.4", "all"),
    _p("open-vm-tools", "2:12.2.0-1+deb12u2"),
    _p("openssh-client", _SSH),
    _p("openssh-server", _SSH),
    _p("openssh-sftp-server", _SSH),
    _p("openssl", _SSL),
    _p("passwd", _SHADOW),
    _p("perl-base", "5.36.0-7+deb12u1", "amd64", "essential"),
    _p("procps", "2:4.0.2-3"),
    _p("readline-common", "8.2-1.3", "all"),
    _p("rsyslog", "8.2302.0-1"),
    _p("sed", "4.9-1", "amd64", "essential"),
    _p("sensible-utils", "0.0.17+nmu1", "all"),
    _p("snmpd", _SNMP),
    _p("sudo", "1.9.13p3-1+deb12u1"),
    _p("systemd", _SYSTEMD),
    _p("systemd-sysv", _SYSTEMD),
    _p("sysvinit-utils", "3.06-4", "amd64", "essential"),
    _p("tar", "1.34+dfsg-1.2+deb12u1", "amd64", "essential"),
    _p("tzdata", "2024a-0+deb12u1", "all"),
    _p("udev", _SYSTEMD),
    _p("usrmerge", "37~deb12u1", "all"),
    _p("util-linux", _UTIL_LINUX, "amd64", "essential"),
    _p("wget", "1.21.3-1+b2"),
    _p("xz-utils", "5.4.1-0.2"),
    _p("zlib1g", "1:1.2.13.dfsg-1", "amd64", "same"),
)
CLAMAV_PACKAGES: tuple[Package, ...] = (
    _p("clamav", CLAMAV_VERSION),
    _p("clamav-base", CLAMAV_VERSION, "all"),
    _p("clamav-daemon", CLAMAV_VERSION),
    _p("clamav-freshclam", CLAMAV_VERSION),
    _p("libclamav11", CLAMAV_VERSION, "amd64", "same"),
    _p("libmspack0", "0.11-1", "amd64", "same"),
    _p("libtfm1", "0.13.1-1", "amd64", "same"),
)


def debian_packages(s: Server) -> list[Package]:
    """Return the server's installed packages in ``dpkg-query`` order (by name).

    Args:
        s: A Linux server.

    Returns:
        The packages; ClamAV's only where the product is installed.
    """
    packages = list(BASE_PACKAGES) + (list(CLAMAV_PACKAGES) if s.antivirus else [])
    return sorted(packages, key=lambda p: (p.name, p.arch))


def render_dpkg_query(s: Server) -> str:
    """Return ``dpkg-query -W``: ``${binary:Package}<TAB>${Version}`` per package.

    Args:
        s: A Linux server.

    Returns:
        The command output.
    """
    lines = [
        f"{p.name}:{p.arch}\t{p.version}" if p.multiarch_same else f"{p.name}\t{p.version}"
        for p in debian_packages(s)
    ]
    return "\n".join(lines) + "\n"


def render_is_active(s: Server) -> str:
    """Return ``systemctl is-active clamav-daemon``.

    Args:
        s: A Linux server.

    Returns:
        ``active`` or ``inactive`` (also for a unit that is not installed), newline-terminated.
    """
    return "active\n" if s.antivirus and s.engine_running else "inactive\n"


def _built(s: Server) -> dt.datetime:
    return dt.datetime.strptime(s.signatures_built, "%Y-%m-%d %H:%M")


def render_sigtool_info(s: Server) -> str:
    """Return ``sigtool --info /var/lib/clamav/daily.cld`` (a .cld prints no MD5 or signature).

    Args:
        s: A Linux server.

    Returns:
        The command output, or bash's answer where ClamAV is not installed.
    """
    if not s.antivirus:
        return "-bash: sigtool: command not found\n"
    built = _built(s)
    epoch, version0, sigs0 = _DAILY_EPOCH
    days = (built.date() - epoch).days
    return (
        "File: /var/lib/clamav/daily.cld\n"
        f"Build time: {built.strftime('%d %b %Y %H:%M')} +0000\n"
        f"Version: {version0 + days}\n"
        f"Signatures: {sigs0 + 173 * days}\n"
        "Functionality level: 90\n"
        "Builder: raynman\n"
        "Verification OK.\n"
    )


def render_uname(s: Server) -> str:
    """Return ``uname -a`` (the SNMP sysDescr plus ``GNU/Linux``).

    Args:
        s: A Linux server.

    Returns:
        The command output.
    """
    return f"Linux {s.name} {KERNEL} x86_64 GNU/Linux\n"


# What /etc/os-release says, by the release a reference server runs.
_OS_RELEASES = {
    "debian-12": ("Debian GNU/Linux", "debian", "12", "bookworm", "https://www.debian.org/"),
    "debian-11": ("Debian GNU/Linux", "debian", "11", "bullseye", "https://www.debian.org/"),
    "ubuntu-20.04": ("Ubuntu", "ubuntu", "20.04", "focal", "https://www.ubuntu.com/"),
}


def render_os_release(s: Server) -> str:
    """Return ``cat /etc/os-release`` of the server's release (Debian 12 unless planted).

    Args:
        s: A Linux server.

    Returns:
        The file's text.
    """
    name, distribution, version, codename, home = _OS_RELEASES[s.release]
    pretty = (
        f"Ubuntu {version}.6 LTS" if distribution == "ubuntu" else f"{name} {version} ({codename})"
    )
    return (
        f'PRETTY_NAME="{pretty}"\n'
        f'NAME="{name}"\n'
        f'VERSION_ID="{version}"\n'
        f'VERSION="{version} ({codename})"\n'
        f"VERSION_CODENAME={codename}\n"
        f"ID={distribution}\n"
        f'HOME_URL="{home}"\n'
        + (
            'SUPPORT_URL="https://www.debian.org/support"\n'
            'BUG_REPORT_URL="https://bugs.debian.org/"\n'
            if distribution == "debian"
            else 'SUPPORT_URL="https://help.ubuntu.com/"\n'
            'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
        )
    )


def linux_shows(s: Server) -> dict[str, str]:
    """Return command -> output for every SSH command a Linux server answers from the snapshot.

    Args:
        s: A Linux server.

    Returns:
        The outputs, by command.
    """
    return {
        "uname -a": render_uname(s),
        "cat /etc/os-release": render_os_release(s),
        "dpkg-query -W": render_dpkg_query(s),
        "systemctl is-active clamav-daemon": render_is_active(s),
        "sigtool --info /var/lib/clamav/daily.cld": render_sigtool_info(s),
        "cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf": render_rsyslog(s),
        "timedatectl show": render_timedatectl_show(s),
        "timedatectl show-timesync --all": render_show_timesync(s),
    }


def console_row(s: Server) -> ConsoleRow:
    """Return the console's row of a server.

    Args:
        s: A server the console lists.

    Returns:
        The row.
    """
    product, engine = DEFENDER if s.os == "windows" else CLAMAV
    return ConsoleRow((s.console_name or s.name, product, s.signatures_built[:10], engine))


def console_rows(net: Network) -> list[ConsoleRow]:
    """Return the export's data rows, sorted as the console sorts them (host name, any case).

    Args:
        net: The network.

    Returns:
        Rows of covered servers, console-only hosts and malformed rows.
    """
    rows = [console_row(s) for s in net.servers if s.in_console]
    rows += net.console_extra
    return sorted(rows, key=lambda r: r.cells[0].lower())


def console_csv(net: Network) -> str:
    """Return ``av/console.csv``.

    Args:
        net: The network.

    Returns:
        The file's text, starting with a byte-order mark, CRLF line ends.
    """
    lines = [";".join(CONSOLE_HEADER)] + [";".join(r.cells) for r in console_rows(net)]
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def console_bad_rows(net: Network) -> list[tuple[int, str, str]]:
    """Return the malformed rows of the export.

    Args:
        net: The network.

    Returns:
        (1-based line number in the file, the line, why it cannot be read) per bad row.
    """
    return [
        (number, ";".join(r.cells), r.bad)
        for number, r in enumerate(console_rows(net), start=2)
        if r.bad is not None
    ]
