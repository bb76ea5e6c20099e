"""The ASA parser on real device output (tests/fixtures/real/asa, provenance in SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from netaddr import IPAddress, IPNetwork

from dalsnet_audit.errors import ParseError
from dalsnet_audit.platforms.asa.parse import parse_asa, parse_asa_show_version

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "asa"


def read(case: str, name: str) -> str:
    return (REAL / case / name).read_text(encoding="utf-8")


def test_asa_9_0_interfaces_management_and_hashes():
    cfg = parse_asa(read("asa_9_0_3_fw_ciscoconfparse", "running_config.txt"))
    assert cfg.hostname == "fw"
    assert len(cfg.interfaces) == 11
    inside = next(i for i in cfg.interfaces if i.nameif == "INSIDE")
    assert (inside.name, inside.security_level, inside.addresses) == (
        "Vlan200",
        100,
        (IPNetwork("192.0.2.1/24"),),
    )
    outside = next(i for i in cfg.interfaces if i.nameif == "OUTSIDE")
    assert outside.security_level == 0 and outside.addresses == ()  # ip address dhcp
    assert cfg.http.http
    assert {(a.protocol, str(a.network), a.interface) for a in cfg.management_access} == {
        ("http", "192.0.2.0/24", "INSIDE"),
        ("ssh", "192.0.2.0/24", "INSIDE"),
        ("ssh", "10.0.0.0/8", "INSIDE"),
    }
    assert cfg.ssh.version == 2
    assert [(e.kind, e.hash_type) for e in cfg.enable] == [("password", "md5")]
    assert [(u.username, u.hash_type, u.privilege) for u in cfg.users] == [("mpenning", "md5", 15)]
    assert [c.name for c in cfg.snmp.communities] == ["public", "public"]


def test_asav_management_only_tacacs_logging():
    cfg = parse_asa(read("asav_9_7_1_jcy-fw-01_netutils", "running_config.txt"))
    assert cfg.hostname == "jcy-fw-01"
    (mgmt,) = cfg.interfaces
    assert mgmt.management_only and mgmt.nameif == "Management"
    assert mgmt.addresses == (IPNetwork("10.1.1.10/24"),)
    assert [(s.protocol, s.address) for s in cfg.aaa.servers] == [
        ("tacacs+", IPAddress("10.1.1.100"))
    ]
    assert cfg.logging.hosts == (IPAddress("10.1.1.20"),)
    assert cfg.ssh.kex == ("diffie-hellman-group1-sha1",)  # `ssh key-exchange group dh-group1-sha1`
    assert any(a.network == IPNetwork("0.0.0.0/0") for a in cfg.management_access)


@pytest.mark.parametrize(
    ("case", "model", "version"),
    [("asa5516_9_9_2_ntc", "ASA5516", "9.9(2)32"), ("asav10_9_5_2_ntc", "ASAv", "9.5(2)204")],
)
def test_asa_show_version(case, model, version):
    facts = parse_asa_show_version(read(case, "show_version.txt"))
    assert (facts.model, facts.os, facts.os_version) == (model, "ASA", version)


def test_ios_text_is_not_asa():
    with pytest.raises(ParseError):
        parse_asa("hostname sw\n!\ninterface Vlan1\nend\n")
