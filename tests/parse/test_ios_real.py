"""The IOS parser on real device output (tests/fixtures/real/, provenance in each SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from netaddr import IPAddress, IPNetwork

from dalsnet_audit.errors import ParseError
from dalsnet_audit.platforms.ios.parse import parse_ios, parse_ios_show_version, parse_show_ip_ssh

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "ios"


def read(case: str, name: str) -> str:
    with (REAL / case / name).open(encoding="utf-8", newline="") as handle:
        return handle.read()  # line endings as stored (one fixture is CRLF)


def config(case: str):
    return parse_ios(read(case, "running_config.txt"))


def test_cat6500_switchports_snmp_and_secrets():
    cfg = config("cat6500_12_1_switch_ciscoconfparse_s04")  # CRLF line endings
    assert cfg.hostname == "Foo"
    assert len(cfg.interfaces) == 38
    access = [i for i in cfg.interfaces if i.switchport is not None]
    assert len(access) == 34
    counts: dict[int, int] = {}
    for intf in access:
        counts[intf.switchport.access_vlan] = counts.get(intf.switchport.access_vlan, 0) + 1
    assert counts == {100: 7, 101: 8, 102: 8, 103: 6, 105: 2, 1: 3}
    assert sum(1 for i in cfg.interfaces if not i.is_enabled) == 11
    vlan1 = cfg.interface("Vlan1")
    assert vlan1 is not None and vlan1.addresses == (IPNetwork("172.24.8.2/24"),)
    assert [(e.kind, e.hash_type) for e in cfg.enable] == [("secret", "5")]
    assert [(u.username, u.kind, u.hash_type) for u in cfg.users] == [("root", "password", "7")]
    assert [(c.name, c.mode, c.acl) for c in cfg.snmp.communities] == [
        ("public1", "ro", None),
        ("private1", "rw", None),
        ("public2", "ro", None),
        ("private2", "rw", None),
    ]
    assert cfg.aaa.new_model
    assert not cfg.http.http
    vtys = [t for t in cfg.terminal_lines if t.kind == "vty"]
    assert [(t.first, t.last, t.transport_input) for t in vtys] == [(0, 4, None), (5, 15, None)]


def test_fe24_switch_trunks_and_indented_interfaces():
    cfg = config("fe24_switch_12_0_ciscoconfparse_s02")
    trunks = [i.name for i in cfg.interfaces if i.switchport and i.switchport.mode == "trunk"]
    assert trunks == ["GigabitEthernet0/1", "GigabitEthernet0/2"]
    vlan24 = cfg.interface("VLAN24")
    assert vlan24 is not None and vlan24.addresses == (IPNetwork("172.24.24.101/23"),)
    assert vlan24.kind == "svi" and vlan24.vlan == 24
    assert {(c.mode, c.acl) for c in cfg.snmp.communities} == {("ro", None), ("rw", None)}
    con = next(t for t in cfg.terminal_lines if t.kind == "con")
    assert con.transport_input == ("none",)


def test_router_http_server_telnet_vty_and_login_block():
    cfg = config("router_12_4_ciscoconfparse_s01")
    assert cfg.http.http and not cfg.http.https and cfg.http.access_class == "99"
    assert [(c.mode, c.acl) for c in cfg.snmp.communities] == [("rw", "99")]
    assert cfg.acls["99"].entries[0].source.networks == (IPNetwork("172.16.1.0/24"),)
    vty = next(t for t in cfg.terminal_lines if t.kind == "vty")
    assert vty.transport_input == ("telnet", "ssh")
    assert vty.exec_timeout_seconds == 15 * 60
    assert vty.access_class_in is None
    assert cfg.login_block_for == "login block-for 30 attempts 5 within 15"
    assert cfg.ssh.version is None
    assert cfg.interface("Loopback0").addresses == (IPNetwork("172.16.0.1/32"),)
    assert cfg.interface("Dialer1").addresses == ()


def test_csr_vrf_and_cleartext_passwords():
    cfg = config("csr1000v_15_5_ipvrf_napalm")
    assert cfg.hostname == "CSR1"
    assert cfg.vrfs == ("MGMT",)
    assert cfg.interface("GigabitEthernet1").vrf == "MGMT"
    assert [(e.kind, e.hash_type) for e in cfg.enable] == [("password", "0")]
    assert [(u.username, u.privilege, u.kind, u.hash_type) for u in cfg.users] == [
        ("cisco", 15, "password", "0")
    ]
    assert cfg.ip_routing  # a router: no switchport anywhere


def test_isr2811_building_configuration_header_and_transport_all():
    cfg = config("isr2811_15_1_pyntc")
    assert cfg.hostname == "rtr2811"
    assert len(cfg.interfaces) == 2
    vty = next(t for t in cfg.terminal_lines if t.kind == "vty")
    assert vty.transport_input == ("all",)
    assert not cfg.aaa.new_model
    assert [u.username for u in cfg.users] == ["cisco", "ntc"]


def test_csr_ipsec_isakmp_transform_sets_and_tunnels():
    cfg = config("csr1000v_16_4_exitgw_ipsec_pybatfish")
    isakmp = [p for p in cfg.crypto.ike_proposals if p.version == 1]
    assert [(p.name, p.encryption, p.integrity, p.groups) for p in isakmp] == [
        ("isakmp policy 200", ("aes",), ("sha",), (2,)),
        ("isakmp policy 201", ("aes",), ("sha",), (2,)),
    ]
    assert len(cfg.crypto.transform_sets) == 4
    assert all(t.transforms == ("esp-aes", "esp-sha-hmac") for t in cfg.crypto.transform_sets)
    tunnels = [i for i in cfg.interfaces if i.kind == "tunnel"]
    assert len(tunnels) == 4 and all(t.tunnel_protection for t in tunnels)
    assert cfg.interface("GigabitEthernet3").addresses == (IPNetwork("147.75.69.27/31"),)
    assert cfg.ssh.version == 2
    assert cfg.http.http and cfg.http.https


@pytest.mark.parametrize(
    ("case", "model", "os_name", "version"),
    [
        ("c3750g_15_0_2_se11_pyntc", "WS-C3750G-48PS", "IOS", "15.0(2)SE11"),
        ("c9500_16_9_3_ntc", "C9500-40X", "IOS-XE", "16.9.3"),
        ("c881_15_4_2t_ntc", "C881-K9", "IOS", "15.4(2)T"),
    ],
)
def test_show_version(case, model, os_name, version):
    facts = parse_ios_show_version(read(case, "show_version.txt"))
    assert (facts.model, facts.os, facts.os_version) == (model, os_name, version)


def test_show_version_rejects_other_output():
    with pytest.raises(ParseError):
        parse_ios_show_version("% Invalid input detected at '^' marker.\n")


def test_show_ip_ssh_iosxe():
    ssh = parse_show_ip_ssh(read("cat9k_show_ip_ssh_genie", "show_ip_ssh.txt"))
    assert ssh.version == 2
    assert ssh.host_key_bits == 2048
    assert ssh.dh_min_bits == 2048
    assert "aes256-ctr" in ssh.ciphers and not any("cbc" in c for c in ssh.ciphers)
    assert ssh.kex[0] == "curve25519-sha256"


def test_show_ip_ssh_key_size_from_blob_when_no_modulus_line():
    text = read("cat9k_show_ip_ssh_genie", "show_ip_ssh.txt").replace(
        "Modulus Size : 2048 bits\n", ""
    )
    assert parse_show_ip_ssh(text).host_key_bits == 2048


def test_show_interfaces_status_sets_oper_status():
    text = read("intstatus_mixed_ntc", "show_interfaces_status.txt")
    cfg = parse_ios(
        "hostname sw\n!\ninterface GigabitEthernet1/0/16\n switchport mode access\n!\n"
        "interface GigabitEthernet1/0/17\n switchport mode access\n!\nend\n",
        {"show_interfaces_status": text},
    )
    assert cfg.interface("GigabitEthernet1/0/16").oper_status == "err-disabled"
    assert cfg.interface("GigabitEthernet1/0/17").oper_status == "disabled"


def test_not_a_config_is_a_parse_error():
    with pytest.raises(ParseError):
        parse_ios("this is not a configuration\n")


def test_static_route_next_hop():
    cfg = config("cat6500_12_1_switch_ciscoconfparse_s04")
    assert any(r.next_hop == IPAddress("172.24.8.1") for r in cfg.static_routes)
