"""Server data: snmpsim's recordings of real hosts (shipped in the snmpsim package,
`snmpsim/data/recorded/`), the Linux command parsers and the antivirus console export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import snmpsim
from netaddr import IPNetwork

from dalsnet_audit.errors import ParseError, SnapshotError
from dalsnet_audit.parse.av_console import parse_console_csv
from dalsnet_audit.parse.snmprec import parse_server_snmp
from dalsnet_audit.platforms.linux.parse import (
    parse_dpkg_query,
    parse_is_active,
    parse_sigtool_info,
    with_ssh_outputs,
)
from dalsnet_audit.platforms.linux.timekeeping import (
    covers_informational,
    parse_rsyslog,
    parse_timesync,
)

RECORDED = Path(snmpsim.__file__).parent / "data" / "recorded"


def recorded(name: str) -> str:
    return (RECORDED / f"{name}.snmprec").read_text(encoding="utf-8")


def test_real_windows_xp_walk():
    server = parse_server_snmp(recorded("winxp-full-walk"))
    assert server.facts.hostname == "CRAY"
    assert server.facts.os == "windows"
    (intf,) = server.interfaces  # 127.0.0.1 and 0.0.0.0 are not addresses of the host
    assert intf.addresses == (IPNetwork("192.168.1.9/24"),)
    assert len(server.installed_software) == 160
    assert "7-Zip 9.20" in server.installed_software
    assert server.installed_software[0].startswith("Windows Driver Package - Nokia")  # 4x, cp1252
    assert len(server.processes) == 33
    assert {p.state for p in server.processes} == {"running"}
    assert {"explorer.exe", "snmp.exe", "lsass.exe"} <= {p.name for p in server.processes}
    assert not any(
        "defender" in name.lower() or "MsMpEng" in name for name in server.installed_software
    )


def test_real_linux_walk():
    server = parse_server_snmp(recorded("linux-full-walk"))
    assert server.facts.hostname == "tt"
    assert server.facts.os == "linux"
    assert [(i.name, i.addresses) for i in server.interfaces] == [
        ("eth0", (IPNetwork("195.218.254.105/24"),))
    ]
    assert server.installed_software is None  # the agent has no hrSWInstalledTable
    states = [p.state for p in server.processes]
    assert len(states) == 165
    assert (states.count("runnable"), states.count("notRunnable"), states.count("running")) == (
        161,
        3,
        1,
    )
    assert server.processes[0].name == "init"


def test_snmprec_without_sysdescr_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_server_snmp("1.3.6.1.2.1.1.5.0|4|host\n")


def test_dpkg_query_and_service_state():
    packages = parse_dpkg_query(
        "adduser\t3.134\nclamav-daemon\t1.0.7+dfsg-1~deb12u1\nzlib1g:amd64\t1:1.2.13.dfsg-1\n"
    )
    assert packages == (
        "adduser 3.134",
        "clamav-daemon 1.0.7+dfsg-1~deb12u1",
        "zlib1g:amd64 1:1.2.13.dfsg-1",
    )
    assert parse_is_active("inactive\n") == "inactive"
    with pytest.raises(ParseError):
        parse_is_active("Unit clamav-daemon.service could not be found.\n")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Build time: 25 Nov 2026 08:28 +0000", dt.date(2026, 11, 25)),
        ("Build time: 14 Jun 2023 07-32 +0000", dt.date(2023, 6, 14)),  # the CVD header's form
    ],
)
def test_sigtool_info_build_time(line, date):
    built, version, evidence = parse_sigtool_info(
        f"File: /var/lib/clamav/daily.cld\n{line}\nVersion: 27467\n"
    )
    assert (built.date(), version, evidence) == (date, "27467", line)
    assert built.tzinfo is not None


def test_sigtool_without_build_time_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_sigtool_info("ERROR: Can't open file /var/lib/clamav/daily.cld\n")


def test_console_export_tolerant():
    text = (
        "\ufeffDatornamn,Signaturdatum,Produkt,Motorversion\n"
        "BEN-01-SRV01.dalsland.se,2026-11-25,Microsoft Defender Antivirus,1.1\n"
        "åmål-test,2026-11-25 08:00,ClamAV,1.0.7\n"
        "fgl-01-srv01,26/11/2026,Microsoft Defender Antivirus,1.1\n"
        "ded-99-srv01,ESET Server Security\n"
        "\n"
    )
    export = parse_console_csv(text)
    assert [(r.key, r.product, r.signature_date) for r in export.rows] == [
        ("ben-01-srv01", "Microsoft Defender Antivirus", dt.date(2026, 11, 25)),
        ("åmål-test", "ClamAV", dt.date(2026, 11, 25)),
    ]
    assert [number for number, _ in export.problems] == [4, 5]
    assert export.rows_for("ben-01-srv01")[0].line_number == 2


def test_console_export_semicolons_and_missing_columns():
    export = parse_console_csv("hostname;product\nmel-01-srv01;Sophos Endpoint\n")
    assert export.rows[0].signature_date is None
    with pytest.raises(SnapshotError) as info:
        parse_console_csv("name;date\nx;2026-01-01\n")
    assert "product" in str(info.value)


LINUX = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "linux" / "debian12_dev_machine"


def test_real_dpkg_query_output():
    packages = parse_dpkg_query((LINUX / "dpkg_query__W.txt").read_text(encoding="utf-8"))
    assert len(packages) == 826
    assert packages[0] == "adduser 3.134"
    assert any(p.startswith("libc6:amd64 ") for p in packages)


def test_real_systemctl_without_systemd_is_unknown_not_fatal():
    text = (LINUX / "systemctl_is_active_no_systemd.txt").read_text(encoding="utf-8")
    with pytest.raises(ParseError):
        parse_is_active(text)
    server = with_ssh_outputs(
        parse_server_snmp("1.3.6.1.2.1.1.1.0|4|Linux x 6.1.0 Debian x86_64\n"),
        {"systemctl_is_active_clamav_daemon": text},
    )
    assert [(s.name, s.state) for s in server.services] == [("clamav-daemon", "unknown")]


REAL_LINUX = LINUX.parent
RSYSLOG_SLUG = "cat__etc_rsyslog_conf__etc_rsyslog_d___conf"


def _linux(shows: dict[str, str]):
    return with_ssh_outputs(
        parse_server_snmp("1.3.6.1.2.1.1.1.0|4|Linux x 6.1.0 Debian x86_64\n"), shows
    )


def test_real_debian_rsyslog_conf_forwards_nothing():
    text = (REAL_LINUX / "debian12_rsyslog_package" / "cat_rsyslog_conf.txt").read_text()
    logging = parse_rsyslog(text)
    assert logging.forwards == ()
    assert logging.source == "cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf"


def test_real_debian_rsyslog_conf_with_a_forwarding_drop_in():
    text = (REAL_LINUX / "debian12_rsyslog_package" / "cat_rsyslog_conf.txt").read_text()
    text += '*.info;mail.none action(type="omfwd" target="10.40.10.11" port="514"\n'
    text += '       protocol="tcp")\nauth,authpriv.* @@[2001:db8::1]:10514\n'
    forwards = parse_rsyslog(text).forwards
    assert [(f.target, f.protocol, f.selector, f.all_at_informational) for f in forwards] == [
        ("10.40.10.11", "tcp", "*.info;mail.none", False),
        ("2001:db8::1", "tcp", "auth,authpriv.*", False),
    ]
    assert forwards[0].line.endswith('protocol="tcp")')


def test_real_machine_without_rsyslog_forwards_nothing():
    text = (LINUX / "cat_rsyslog_not_installed.txt").read_text()
    server = _linux({RSYSLOG_SLUG: text})
    assert server.logging is not None
    assert server.logging.forwards == ()


def test_real_timesync_from_the_fallback_pool_uses_no_configured_server():
    text = (REAL_LINUX / "archwiki_timesyncd" / "timedatectl_show_timesync___all.txt").read_text()
    sync = parse_timesync("NTP=yes\nNTPSynchronized=yes\n", text)
    assert sync.servers == ()  # the fallback pool is not counted as configured
    assert sync.synchronized
    assert "SystemNTPServers=" in sync.lines


def test_real_timedatectl_without_systemd_is_not_read_not_fatal():
    text = (LINUX / "timedatectl_show_no_systemd.txt").read_text()
    with pytest.raises(ParseError):
        parse_timesync(text, text)
    server = _linux({"timedatectl_show": text, "timedatectl_show_timesync___all": text})
    assert server.time_sync is None


@pytest.mark.parametrize(
    ("selector", "covered"),
    [
        ("*.*", True),
        ("*.info", True),
        ("*.debug", True),
        ("*.notice", False),
        ("*.=info", False),
        ("*.*;auth,authpriv.none", False),
        ("auth,authpriv.*", False),
        ("if $programname == 'sshd'", False),
        (':msg, contains, "x"', False),
    ],
)
def test_selector_takes_every_facility_at_informational(selector, covered):
    assert covers_informational(selector) is covered
