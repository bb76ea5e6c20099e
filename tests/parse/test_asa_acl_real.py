"""ASA objects, access lists and bindings on real configurations (tests/fixtures/real/asa)."""

from __future__ import annotations

from pathlib import Path

import pytest
from netaddr import IPAddress, IPNetwork

from dalsnet_audit.flow import decide
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.firewall import FirewallPolicy, PortRange
from dalsnet_audit.platforms.asa.parse import parse_asa

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "asa"
FW = "asa_9_0_3_fw_ciscoconfparse"
ASAV = "asav_9_7_1_jcy-fw-01_netutils"


def load(case: str) -> DeviceConfig:
    return parse_asa((REAL / case / "running_config.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fw() -> DeviceConfig:
    return load(FW)


@pytest.fixture(scope="module")
def policy(fw: DeviceConfig) -> FirewallPolicy:
    assert fw.firewall is not None
    return fw.firewall


def nets(policy: FirewallPolicy, name: str) -> list[str]:
    return [str(n) for n in policy.network_objects[name].addresses.networks]


def test_access_lists_in_order_with_their_sizes(policy: FirewallPolicy) -> None:
    assert {name: (acl.kind, len(acl.entries)) for name, acl in policy.acls.items()} == {
        "SPLIT_TUNNEL_NETS": ("standard", 1),
        "NO_SSLVPN_NAT": ("extended", 1),
        "INSIDE_in": ("extended", 13),
        "ANY": ("extended", 2),
        "VOIP": ("extended", 2),
        "MAINTENANCE": ("extended", 1),
        "OUTSIDE_in": ("extended", 4),
    }
    # remarks stay in the lines for evidence but are no entries
    assert (
        policy.acls["SPLIT_TUNNEL_NETS"].lines[0].startswith("access-list SPLIT_TUNNEL_NETS remark")
    )


def test_access_groups_routes_and_same_security(policy: FirewallPolicy) -> None:
    assert [(g.acl, g.direction, g.interface) for g in policy.access_groups] == [
        ("OUTSIDE_in", "in", "OUTSIDE"),
        ("INSIDE_in", "in", "INSIDE"),
    ]
    assert policy.bound("in", "INSIDE") == "INSIDE_in"
    assert policy.bound("global", None) is None
    assert [(r.interface, str(r.prefix), str(r.next_hop)) for r in policy.routes] == [
        ("INSIDE", "10.0.0.0/8", "192.0.2.2")
    ]
    assert not policy.same_security_inter and not policy.same_security_intra
    assert sorted(policy.interfaces) == ["INSIDE", "OUTSIDE"]
    assert policy.connected("INSIDE") == (IPNetwork("192.0.2.0/24"),)
    assert policy.connected("OUTSIDE") == ()  # ip address dhcp setroute


def test_network_objects_resolved_and_nested(policy: FirewallPolicy) -> None:
    # `name 192.0.2.13 Machine01` is an alias; `object network Machine01` is another thing
    assert nets(policy, "Machine01") == ["192.0.2.5/32"]
    assert nets(policy, "MACHINE01_addrs") == ["192.0.2.5/32"]
    assert nets(policy, "AS19679_Dropbox__108-160-160-0__20") == ["108.160.160.0/20"]
    assert nets(policy, "DROPBOX_AS19679") == ["108.160.160.0/20", "199.47.216.0/22"]
    google_talk = policy.network_objects["GoogleTalk"]
    assert google_talk.kind == "object-group" and google_talk.addresses.exact
    assert len(google_talk.addresses.networks) == 11
    assert IPNetwork("74.125.135.125/32") in google_talk.addresses.networks
    assert nets(policy, "INSIDE_addrs") == ["192.0.2.0/24", "10.0.0.0/8"]
    assert nets(policy, "ANY_addrs") == ["0.0.0.0/0"]
    assert len(policy.network_objects["Facebook_addrs"].addresses.networks) == 15
    empty = policy.network_objects["ANY"].addresses  # `object-group network ANY`, no members
    assert empty.networks == () and empty.exact and not empty.any
    # the second `object network obj_any` block (its nat) does not erase the subnet
    assert nets(policy, "obj_any") == ["0.0.0.0/0"]
    assert policy.network_objects["obj_any"].lines[-1].strip().startswith("nat (INSIDE,OUTSIDE)")


def test_service_groups_and_named_ports(policy: FirewallPolicy) -> None:
    def summary(name: str) -> list[tuple[str, tuple[PortRange, ...] | None]]:
        return [(s.protocol, s.destination_ports) for s in policy.service_objects[name].services]

    assert summary("GOOGLE_svc") == [
        ("tcp", (PortRange(80, 80),)),  # www
        ("tcp", (PortRange(443, 443),)),  # https
        ("tcp", (PortRange(5228, 5228),)),
        ("tcp", (PortRange(5222, 5222),)),
        ("tcp", (PortRange(587, 587),)),
    ]
    assert summary("WEB_svc") == [
        ("tcp", (PortRange(21, 21),)),  # ftp
        ("tcp", (PortRange(80, 80),)),
        ("tcp", (PortRange(443, 443),)),
        ("icmp", None),
    ]
    assert summary("DNS_svc") == [("udp", (PortRange(53, 53),)), ("tcp", (PortRange(53, 53),))]
    assert summary("WHOIS_svc") == [("tcp", (PortRange(43, 43),))]
    assert summary("GoogleTalkPorts")[2] == ("udp", (PortRange(19302, 19309),))
    test_ports = policy.service_objects["TEST_PORTS"]  # object-group service TEST_PORTS tcp
    assert test_ports.protocol == "tcp"
    assert summary("TEST_PORTS") == [("tcp", (PortRange(53, 53),)), ("tcp", (PortRange(25, 25),))]
    assert all(s.exact for s in policy.service_objects.values())


def test_inside_in_entries(policy: FirewallPolicy) -> None:
    entries = policy.acls["INSIDE_in"].entries
    first = entries[0]
    assert first.line == (
        "access-list INSIDE_in extended deny object-group SKYPE_svc "
        "object-group INSIDE_addrs object-group ANY_addrs log disable"
    )
    assert (first.action, first.log, first.exact) == ("deny", False, True)
    assert [(s.protocol, s.destination_ports) for s in first.services] == [
        ("udp", (PortRange(5555, 5555),))
    ]
    path_trace = entries[3]  # ... object-group IP_SLA_PathTrace_svc any host 4.2.2.2 log
    assert path_trace.source.any and path_trace.log
    assert path_trace.destination.networks == (IPNetwork("4.2.2.2/32"),)
    assert [e.action for e in entries] == ["deny"] + ["permit"] * 11 + ["deny"]
    # TSUNAMI_addrs is referenced by two entries but never defined
    assert [e.exact for e in entries].count(False) == 2
    assert not entries[10].exact and not entries[10].source.exact
    assert "undefined network object TSUNAMI_addrs" in policy.problems
    assert not any(e.inactive for e in entries)


def test_outside_in_icmp_types_and_standard_acl(policy: FirewallPolicy) -> None:
    entries = policy.acls["OUTSIDE_in"].entries
    assert [(s.protocol, s.destination_ports) for e in entries[1:3] for s in e.services] == [
        ("icmp", (PortRange(3, 3),)),  # unreachable
        ("icmp", (PortRange(11, 11),)),  # time-exceeded
    ]
    assert entries[0].source.networks == (IPNetwork("4.2.2.2/32"),)
    (split,) = policy.acls["SPLIT_TUNNEL_NETS"].entries
    assert split.destination.networks == (IPNetwork("192.0.2.0/24"),)


def test_flows_on_the_real_asa(fw: DeviceConfig) -> None:
    inside_host = IPAddress("192.0.2.50")
    # the default route comes from DHCP (setroute), so the configuration routes nothing out
    internet = decide(fw, inside_host, IPAddress("8.8.8.8"), "udp", 53)
    assert (internet.action, internet.ingress, internet.egress) == ("deny", "INSIDE", None)
    # 10.0.0.0/8 is routed back out of INSIDE: needs same-security-traffic intra-interface
    hairpin = decide(fw, inside_host, IPAddress("10.1.2.3"), "tcp", 22)
    assert (hairpin.action, hairpin.ingress, hairpin.egress) == ("deny", "INSIDE", "INSIDE")
    assert "intra-interface" in hairpin.reason


def test_asav_has_no_access_lists_and_a_management_only_interface() -> None:
    cfg = load(ASAV)
    assert cfg.firewall is not None
    assert cfg.firewall.acls == {} and cfg.firewall.access_groups == ()
    assert [(r.interface, str(r.prefix)) for r in cfg.firewall.routes] == [
        ("Management", "0.0.0.0/0")
    ]
    flow = decide(cfg, IPAddress("10.1.1.5"), IPAddress("8.8.8.8"), "tcp", 443)
    assert flow.action == "deny" and "management-only" in flow.reason
