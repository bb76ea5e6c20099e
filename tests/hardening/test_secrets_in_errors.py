"""Item 2 and 14 of the hardening issue: what leaves for a report or a log is masked and clean.

Secrets are planted in lines the parsers reject, so they travel through the device's `error`,
and ANSI escapes in lines that become evidence; every report format is then searched.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from dalsnet_audit.collect.ssh import classify
from dalsnet_audit.masking import MaskingFormatter, clean_line, clean_text, mask_line

from .support import audit_offline

FORMATS = "html,md,json,junit,csv"
FILES = ("report.html", "report.md", "report.json", "junit.xml", "findings.csv")
# (host, a line its parser rejects, the secret it carries)
REJECTED = [
    (
        "ben-01-sw01",
        "username admin privilege fifteen secret 9 $9$nhEmQVczB7$X.HsgL6x1il0R",
        "nhEmQVczB7",
    ),
    ("ben-02-sw01", "username ops privilege high password <clear> privilege 15", "<clear>"),
    ("ded-01-sw01", "username ops2 privilege x password 0 Hunter2Hunter2", "Hunter2Hunter2"),
    (
        "ben-01-fw01",
        "username fwadmin password AsaSecret99 pbkdf2 privilege fifteen",
        "AsaSecret99",
    ),
]


def _plant(snapshot: Path, host: str, line: str) -> None:
    path = snapshot / "configs" / f"{host}.cfg"
    text = path.read_text(encoding="utf-8")
    end = "\n: end" if "ASA Version" in text[:2000] else "\nend"
    head, sep, tail = text.rpartition(end)
    path.write_text(f"{head}\n{line}{sep}{tail}", encoding="utf-8")


def _outputs(out: Path) -> dict[str, str]:
    return {name: (out / name).read_text(encoding="utf-8") for name in FILES}


@pytest.fixture
def planted(snapshot: Path, tmp_path: Path) -> dict[str, str]:
    for host, line, _ in REJECTED:
        _plant(snapshot, host, line)
    # ANSI escapes and other controls in a line that becomes evidence (the SNMP location).
    _plant(
        snapshot,
        "mel-01-sw01",
        "line vty 5 15\n transport input telnet\x1b[2J\x1b[31m\x07\u202e\u2028\x85",
    )
    # Valid lines the masking once missed, all of them evidence of some rule.
    _plant(snapshot, "ben-02-sw02", "enable secret level 15 5 $1$dalW$LEAKLEVELHASH")
    _plant(
        snapshot, "aml-02-sw02", "username tekniker privilege 15 password 0 Sommar 2007 LEAKSPACEPW"
    )
    _plant(snapshot, "fgl-02-sw01", "line vty 5 15\n password Vinter LEAKVTYPW")
    result = audit_offline(tmp_path / "out", "--format", FORMATS, snapshot=snapshot)
    assert result.exit_code in (1, 3), result.output
    return _outputs(tmp_path / "out")


def test_rejected_lines_make_parse_errors(planted):
    report = json.loads(planted["report.json"])
    status = {d["name"]: d for d in report["devices"]}
    for host, _, _ in REJECTED:
        assert status[host]["status"] == "parse_error"
        assert "cannot read" in status[host]["error"]


PLANTED_VALID = [
    ("ben-02-sw02", "", "LEAKLEVEL"),
    ("aml-02-sw02", "", "LEAKSPACEPW"),
    ("fgl-02-sw01", "", "LEAKVTYPW"),
]


@pytest.mark.parametrize(("host", "line", "secret"), [*REJECTED, *PLANTED_VALID])
def test_no_secret_of_a_planted_line_in_any_report(planted, host, line, secret):
    for name, text in planted.items():
        assert secret not in text, f"{secret} leaked into {name}"


def test_no_control_character_in_any_report(planted):
    for name, text in planted.items():
        bad = sorted(
            {
                c
                for c in text
                if (ord(c) < 32 and c not in "\r\n\t")
                or 0x7F <= ord(c) < 0xA0
                or c in "\u202e\u2028"
            }
        )
        assert not bad, f"control characters {bad!r} in {name}"
    assert "\\x1b[2J" in planted["report.json"], "the escape is shown, not dropped"


def test_exception_texts_are_masked():
    try:
        try:
            raise ValueError(
                "Pattern not detected in output: 'snmp-server community S3cretComm RO'"
            )
        except ValueError as inner:
            raise RuntimeError("napalm failed") from inner
    except RuntimeError as exc:
        _, reason = classify(exc)
    assert "S3cretComm" not in reason and "******" in reason


def test_log_records_are_masked_and_known_secrets_hidden():
    formatter = MaskingFormatter("%(message)s", secrets=["lab-password-x"])
    record = logging.LogRecord(
        "lab",
        logging.ERROR,
        __file__,
        1,
        "login with %s; %s",
        ("lab-password-x", "enable secret 5 $1$abc\x1b[0m"),
        None,
    )
    text = formatter.format(record)
    assert "lab-password-x" not in text and "$1$abc" not in text and "\x1b" not in text


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("username privilege password <clear> privilege 15", "<clear>"),
        ("ntp authentication-key 1 md5 0822455D0A16 7", "0822455D0A16"),
        ("wpa-psk ascii 0 WifiSecret", "WifiSecret"),
        ("cannot read 'username privilege secret 9 $9$abc': bad", "$9$abc"),
        ("enable secret level 15 5 $1$dalW$LEAKLEVELHASH", "LEAKLEVELHASH"),
        ("enable password level 15 EnablePw1", "EnablePw1"),
        ("snmp-server user u g v3 auth sha AuthK1 priv aes256 PrivK1", "PrivK1"),
        ("snmp-server user u g v3 auth sha AuthK2 priv aes-256 PrivK2", "PrivK2"),
        ("key config-key password-encrypt MasterK3", "MasterK3"),
        ("ldap-login-password LdapPw4", "LdapPw4"),
        ("snmp-server host 10.1.1.1 version 2c TrapComm5", "TrapComm5"),
        ("standby 1 authentication HsrpPw6", "HsrpPw6"),
        ("standby 1 authentication md5 key-string 7 HsrpKey7", "HsrpKey7"),
        ("username t privilege 15 password 0 Sommar 2007 LeakSpacePw", "LeakSpacePw"),
        (" password Vinter LeakVtyPw", "LeakVtyPw"),
        ("snmp-server community 42 RO", " 42 "),
        ("snmp-server community md5 RO ACL", "md5"),
        ("snmp-server host 10.1.1.1 vrf MGMT version 2c Leak16", "Leak16"),
        ("snmp-server host nms.dalsland.se version 2c LeakHostName", "LeakHostName"),
        ("snmp-server host 2001:db8::1 LeakV6", "LeakV6"),
        ("pre-shared-key local LeakLocal", "LeakLocal"),
        (" ip nhrp authentication NhrpLeak", "NhrpLeak"),
        (
            " ipv6 ospf authentication ipsec spi 256 sha1 0123456789ABCDEF0123456789ABCDEF",
            "0123456789ABCDEF",
        ),
        (" standby authentication HsrpNoGroup", "HsrpNoGroup"),
        (
            "cannot read 'username t privilege fifteen password\t0\tSommarLeakTab': x",
            "SommarLeakTab",
        ),
        ("snmp-server community\x1fN0rdV4stLeak1F RO", "N0rdV4stLeak1F"),
        (
            " encryption vlan 10 key 1 size 128bit 0 9f8e7d6c5b4a39281706f5e4d3 transmit-key",
            "9f8e7d6c",
        ),
        (" encryption key 2 size 40bit 7 WepKeyLeak2 transmit-key", "WepKeyLeak2"),
        (" path ftp://backup:FtpPassLeak@10.0.0.5/$h", "FtpPassLeak"),
        (" enrollment url http://u:UrlPwLeak@ca/", "UrlPwLeak"),
        (" area-password IsisAreaLeak", "IsisAreaLeak"),
        (" domain-password IsisDomainLeak", "IsisDomainLeak"),
        ("snmp-server\thost 10.1.1.1 version 2c TabHostLeak", "TabHostLeak"),
        ("SNMP-SERVER  HOST 10.1.1.1 CaseHostLeak", "CaseHostLeak"),
        ("snmp-server  user u g v3 auth sha A priv aes 128 SpacedPrivLeak", "SpacedPrivLeak"),
        (" psk set-key ascii 0 PskLeak", "PskLeak"),
        (" cak 0 CakLeak", "CakLeak"),
        (" set session-key inbound esp 256 cipher AAAA authenticator AuthLeak", "AuthLeak"),
        (" auth-password sha AuthPwLeak", "AuthPwLeak"),
    ],
)
def test_mask_line_forms_that_leaked(line, secret):
    assert secret not in mask_line(line)
    assert secret not in clean_text(line)
    assert secret not in clean_line(line)


def test_one_line_fields_show_newlines_and_bidi_controls_as_escapes():
    assert clean_line("a\nb\u202ec") == "a\\nb\\u202ec"


def test_placeholders_of_our_templates_are_kept_only_when_asked():
    assert mask_line("username x secret <new secret>", placeholders=True).endswith("<new secret>")
    assert "<new" not in mask_line("username x secret <new secret>")
