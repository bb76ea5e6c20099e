"""`decide` and `ace_matches` on small hand-written ASA configurations in real syntax."""

from __future__ import annotations

import textwrap

from netaddr import IPAddress, IPNetwork

from dalsnet_audit.flow import FlowDecision, ace_matches, decide, route_interface
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.platforms.asa.parse import parse_asa

BASE = """\
: Saved
:
ASA Version 9.16(4)
!
hostname test-fw01
names
name 10.1.20.99 PRINTER
!
interface GigabitEthernet1/1
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.252
!
interface GigabitEthernet1/2
 nameif inside
 security-level 100
 ip address 10.1.10.1 255.255.255.0
!
interface GigabitEthernet1/3
 nameif dmz
 security-level 50
 ip address 10.1.20.1 255.255.255.0
!
interface GigabitEthernet1/4
 nameif dmz2
 security-level 50
 ip address 10.1.30.1 255.255.255.0
!
interface GigabitEthernet1/5
 shutdown
 nameif spare
 security-level 10
 ip address 10.1.40.1 255.255.255.0
!
interface Management1/1
 management-only
 nameif management
 security-level 100
 ip address 192.168.1.1 255.255.255.0
!
route inside 10.1.0.0 255.255.0.0 10.1.10.254 1
"""
DEFAULT_ROUTE = "route outside 0.0.0.0 0.0.0.0 203.0.113.1 1"

INSIDE = IPAddress("10.1.10.5")
DMZ = IPAddress("10.1.20.5")
DMZ2 = IPAddress("10.1.30.5")
INTERNET = IPAddress("198.51.100.7")


def asa(extra: str = "", default_route: bool = True) -> DeviceConfig:
    text = (
        BASE
        + (DEFAULT_ROUTE + "\n" if default_route else "")
        + textwrap.dedent(extra)
        + "\n: end\n"
    )
    return parse_asa(text)


def verdict(cfg: DeviceConfig, src: IPAddress, dst: IPAddress, proto: str, port: int | None) -> str:
    return decide(cfg, src, dst, proto, port).action


def test_routing_longest_match_connected_first() -> None:
    cfg = asa()
    assert cfg.firewall is not None
    found = route_interface(cfg.firewall, DMZ)  # 10.1.20.0/24 beats the route 10.1.0.0/16
    assert found is not None and (found.nameif, found.via) == ("dmz", "connected 10.1.20.0/24")
    routed = route_interface(cfg.firewall, IPAddress("10.1.99.9"))
    assert routed is not None and routed.nameif == "inside"
    default = route_interface(cfg.firewall, INTERNET)
    assert default is not None and default.nameif == "outside"
    # a shut-down interface's network is not connected: the /16 route wins
    spare = route_interface(cfg.firewall, IPAddress("10.1.40.9"))
    assert spare is not None and spare.nameif == "inside"


def test_no_ingress_or_egress_interface() -> None:
    cfg = asa(default_route=False)
    no_ingress = decide(cfg, IPAddress("172.16.0.5"), INSIDE, "tcp", 443)
    assert no_ingress == FlowDecision(
        "deny", None, None, None, "no interface or route holds 172.16.0.5"
    )
    no_egress = decide(cfg, INSIDE, INTERNET, "tcp", 443)
    assert (no_egress.action, no_egress.ingress, no_egress.egress) == ("deny", "inside", None)


def test_security_levels_without_access_lists() -> None:
    cfg = asa()
    down = decide(cfg, INSIDE, DMZ, "tcp", 80)
    assert (down.action, down.ingress, down.egress, down.line) == ("permit", "inside", "dmz", None)
    assert "higher to lower" in down.reason
    up = decide(cfg, INTERNET, DMZ, "tcp", 80)
    assert up.action == "deny" and "lower to higher" in up.reason
    assert verdict(cfg, DMZ, INTERNET, "udp", 53) == "permit"


def test_same_security_inter_interface() -> None:
    assert verdict(asa(), DMZ, DMZ2, "tcp", 443) == "deny"
    assert "inter-interface" in decide(asa(), DMZ, DMZ2, "tcp", 443).reason
    allowed = asa("same-security-traffic permit inter-interface\n")
    assert verdict(allowed, DMZ, DMZ2, "tcp", 443) == "permit"
    assert verdict(allowed, DMZ2, DMZ, "tcp", 443) == "permit"
    # the same-security check holds even when an access list permits the flow
    with_acl = asa(
        """\
        access-list DMZ-IN extended permit ip any any
        access-group DMZ-IN in interface dmz
        """
    )
    assert verdict(with_acl, DMZ, DMZ2, "tcp", 443) == "deny"


def test_same_security_intra_interface() -> None:
    hairpin = (INSIDE, IPAddress("10.1.99.9"), "tcp", 22)  # routed back out of inside
    refused = decide(asa(), *hairpin)
    assert (refused.action, refused.ingress, refused.egress) == ("deny", "inside", "inside")
    assert "intra-interface" in refused.reason
    assert decide(asa("same-security-traffic permit intra-interface\n"), *hairpin).action == (
        "permit"
    )


def test_management_only_interface_forwards_nothing() -> None:
    flow = decide(asa(), IPAddress("192.168.1.20"), DMZ, "tcp", 22)
    assert flow.action == "deny" and "management-only" in flow.reason


def test_first_match_wins_and_implicit_deny() -> None:
    cfg = asa(
        """\
        access-list DMZ-IN extended permit tcp host 10.1.20.5 any eq www
        access-list DMZ-IN extended deny tcp any any eq www
        access-list DMZ-IN extended permit tcp any any eq https
        access-group DMZ-IN in interface dmz
        """
    )
    first = decide(cfg, DMZ, INTERNET, "tcp", 80)
    assert first.action == "permit"
    assert first.line == "access-list DMZ-IN extended permit tcp host 10.1.20.5 any eq www"
    other = decide(cfg, IPAddress("10.1.20.6"), INTERNET, "tcp", 80)
    assert (other.action, other.line) == (
        "deny",
        "access-list DMZ-IN extended deny tcp any any eq www",
    )
    implicit = decide(cfg, DMZ, INTERNET, "udp", 53)
    assert (implicit.action, implicit.line) == ("deny", None)
    assert implicit.reason == "implicit deny at the end of access-list DMZ-IN (in on dmz)"
    # an access list replaces the security levels: dmz -> outside is no longer implicit
    assert verdict(cfg, DMZ, INTERNET, "tcp", 443) == "permit"


def test_deny_before_permit_and_name_alias() -> None:
    cfg = asa(
        """\
        access-list IN extended deny tcp any host 10.1.20.5 eq ssh log
        access-list IN extended deny tcp any host PRINTER eq 9100
        access-list IN extended permit ip 10.1.10.0 255.255.255.0 any
        access-group IN in interface inside
        """
    )
    ssh = decide(cfg, INSIDE, DMZ, "tcp", 22)
    assert (ssh.action, ssh.line) == (
        "deny",
        "access-list IN extended deny tcp any host 10.1.20.5 eq ssh log",
    )
    assert verdict(cfg, INSIDE, DMZ, "tcp", 80) == "permit"
    assert verdict(cfg, INSIDE, IPAddress("10.1.20.99"), "tcp", 9100) == "deny"
    assert verdict(cfg, INSIDE, IPAddress("10.1.20.98"), "tcp", 9100) == "permit"
    assert cfg.firewall is not None
    assert cfg.firewall.acls["IN"].entries[0].log


def test_object_group_nesting_and_ranges() -> None:
    cfg = asa(
        """\
        object network WEB1
         host 10.1.20.10
        object network WEB-RANGE
         range 10.1.20.5 10.1.20.12
        object network DMZ2-NET
         subnet 10.1.30.0 255.255.255.0
        object-group network WEB-HOSTS
         network-object object WEB1
         network-object object WEB-RANGE
        object-group network ALL-SERVERS
         description nested two deep
         group-object WEB-HOSTS
         network-object host 10.1.20.40
         network-object 10.1.20.64 255.255.255.192
        object-group network EVERYTHING
         group-object ALL-SERVERS
         network-object object DMZ2-NET
        access-list IN extended permit tcp 10.1.10.0 255.255.255.0 object-group EVERYTHING eq https
        access-group IN in interface inside
        """
    )
    assert cfg.firewall is not None
    objects = cfg.firewall.network_objects
    assert [str(n) for n in objects["WEB-RANGE"].addresses.networks] == [
        "10.1.20.5/32",
        "10.1.20.6/31",
        "10.1.20.8/30",
        "10.1.20.12/32",
    ]
    assert objects["EVERYTHING"].addresses.networks == (
        IPNetwork("10.1.20.10/32"),
        IPNetwork("10.1.20.5/32"),
        IPNetwork("10.1.20.6/31"),
        IPNetwork("10.1.20.8/30"),
        IPNetwork("10.1.20.12/32"),
        IPNetwork("10.1.20.40/32"),
        IPNetwork("10.1.20.64/26"),
        IPNetwork("10.1.30.0/24"),
    )
    for host, expected in [
        ("10.1.20.7", "permit"),
        ("10.1.20.10", "permit"),
        ("10.1.20.13", "deny"),
        ("10.1.20.40", "permit"),
        ("10.1.20.100", "permit"),
        ("10.1.20.200", "deny"),
        ("10.1.30.77", "permit"),
    ]:
        assert verdict(cfg, INSIDE, IPAddress(host), "tcp", 443) == expected, host


def test_service_groups_and_named_ports() -> None:
    cfg = asa(
        """\
        object service SSH-SVC
         service tcp destination eq ssh
        object-group service WEB-PORTS tcp
         port-object eq www
         port-object range 8080 8090
        object-group service MIXED
         service-object tcp destination eq https
         service-object udp destination eq domain
         service-object icmp echo
         service-object object SSH-SVC
        object-group service OUTER
         group-object MIXED
         service-object tcp-udp destination eq sip
        access-list IN extended permit tcp any host 10.1.20.5 object-group WEB-PORTS
        access-list IN extended permit object-group OUTER any host 10.1.20.6
        access-list IN extended permit tcp any host 10.1.20.7 gt 1023
        access-list IN extended permit udp any host 10.1.20.8 neq snmp
        access-list IN extended permit tcp any host 10.1.20.9 lt telnet
        access-list IN extended permit object SSH-SVC any host 10.1.20.10
        access-group IN in interface inside
        """
    )
    web, mixed, high, udp_not_snmp, low, ssh_host = (
        IPAddress(f"10.1.20.{n}") for n in range(5, 11)
    )
    cases = [
        (web, "tcp", 80, "permit"),
        (web, "tcp", 8085, "permit"),
        (web, "tcp", 8091, "deny"),
        (web, "udp", 80, "deny"),
        (mixed, "tcp", 443, "permit"),
        (mixed, "udp", 53, "permit"),
        (mixed, "tcp", 53, "deny"),
        (mixed, "icmp", 8, "permit"),
        (mixed, "icmp", 0, "deny"),
        (mixed, "tcp", 22, "permit"),
        (mixed, "udp", 5060, "permit"),
        (mixed, "tcp", 5060, "permit"),
        (high, "tcp", 1024, "permit"),
        (high, "tcp", 1023, "deny"),
        (udp_not_snmp, "udp", 161, "deny"),
        (udp_not_snmp, "udp", 162, "permit"),
        (low, "tcp", 22, "permit"),
        (low, "tcp", 23, "deny"),
        (ssh_host, "6", 22, "permit"),  # protocol by number
        (ssh_host, "tcp", None, "deny"),  # a port-constrained entry needs a port
    ]
    for dst, proto, port, expected in cases:
        assert verdict(cfg, INSIDE, dst, proto, port) == expected, (str(dst), proto, port)


def test_global_access_list_after_interface_list() -> None:
    only_global = asa(
        """\
        access-list GLOBAL extended permit tcp any host 10.1.10.5 eq https
        access-group GLOBAL global
        """
    )
    # the global list applies to every interface and replaces the security levels
    up = decide(only_global, DMZ, INSIDE, "tcp", 443)
    assert (up.action, up.reason) == ("permit", "permit by access-list GLOBAL (global)")
    down = decide(only_global, INSIDE, DMZ, "tcp", 80)
    assert (down.action, down.reason) == (
        "deny",
        "implicit deny at the end of access-list GLOBAL (global)",
    )
    both = asa(
        """\
        access-list DMZ-IN extended deny tcp any host 10.1.10.5 eq ssh
        access-list DMZ-IN extended permit udp any any eq ntp
        access-group DMZ-IN in interface dmz
        access-list GLOBAL extended permit tcp any host 10.1.10.5
        access-group GLOBAL global
        """
    )
    assert decide(both, DMZ, INSIDE, "tcp", 22).line == (
        "access-list DMZ-IN extended deny tcp any host 10.1.10.5 eq ssh"
    )
    assert decide(both, DMZ, INSIDE, "tcp", 443).reason == "permit by access-list GLOBAL (global)"
    assert verdict(both, DMZ, INSIDE, "udp", 53) == "deny"


def test_outbound_access_list() -> None:
    cfg = asa(
        """\
        access-list DMZ-OUT extended deny tcp any host 10.1.20.5 eq telnet
        access-list DMZ-OUT extended permit tcp any any eq www
        access-group DMZ-OUT out interface dmz
        """
    )
    telnet = decide(cfg, INSIDE, DMZ, "tcp", 23)
    assert (telnet.action, telnet.line) == (
        "deny",
        "access-list DMZ-OUT extended deny tcp any host 10.1.20.5 eq telnet",
    )
    assert "out on dmz" in telnet.reason
    www = decide(cfg, INSIDE, DMZ, "tcp", 80)
    assert www.action == "permit" and "higher to lower" in www.reason
    assert www.line == "access-list DMZ-OUT extended permit tcp any any eq www"
    ssh = decide(cfg, INSIDE, DMZ, "tcp", 22)
    assert (ssh.action, ssh.line) == ("deny", None)
    assert "implicit deny at the end of access-list DMZ-OUT (out on dmz)" in ssh.reason
    # outbound lists only apply to their egress interface
    assert verdict(cfg, INSIDE, DMZ2, "tcp", 22) == "permit"


def test_inactive_entry_is_ignored() -> None:
    cfg = asa(
        """\
        access-list IN extended deny tcp any any eq www inactive
        access-list IN extended permit ip any any
        access-group IN in interface inside
        """
    )
    assert cfg.firewall is not None
    entry = cfg.firewall.acls["IN"].entries[0]
    assert entry.inactive and entry.exact
    assert not ace_matches(entry, INSIDE, DMZ, "tcp", 80)
    flow = decide(cfg, INSIDE, DMZ, "tcp", 80)
    assert (flow.action, flow.line) == ("permit", "access-list IN extended permit ip any any")


def test_inexact_entries() -> None:
    cfg = asa(
        """\
        object network CLOUD
         fqdn v4 api.example.com
        access-list IN extended deny ip any object-group NEVER-DEFINED
        access-list IN extended permit tcp any object CLOUD eq https
        access-list IN extended deny ip any any
        access-group IN in interface inside
        access-list DMZ-IN extended permit tcp any any eq https time-range WORKDAYS
        access-group DMZ-IN in interface dmz
        """
    )
    assert cfg.firewall is not None
    assert not cfg.firewall.network_objects["CLOUD"].addresses.exact
    assert "undefined network object NEVER-DEFINED" in cfg.firewall.problems
    deny, permit, _ = cfg.firewall.acls["IN"].entries
    assert not deny.exact and not permit.exact
    # an inexact deny does not match, an inexact permit does
    assert not ace_matches(deny, INSIDE, INTERNET, "tcp", 443)
    assert ace_matches(permit, INSIDE, INTERNET, "tcp", 443)
    flow = decide(cfg, INSIDE, INTERNET, "tcp", 443)
    assert (flow.action, flow.line, flow.exact) == (
        "permit",
        "access-list IN extended permit tcp any object CLOUD eq https",
        False,
    )
    # what the resolved parts rule out stays ruled out
    assert not ace_matches(permit, INSIDE, INTERNET, "udp", 53)
    assert (
        decide(cfg, INSIDE, INTERNET, "udp", 53).line == "access-list IN extended deny ip any any"
    )
    # a time-range is not always in force: the permit counts, inexactly
    timed = decide(cfg, DMZ, INTERNET, "tcp", 443)
    assert (timed.action, timed.exact) == ("permit", False)


def test_interface_endpoint_and_exact_decisions() -> None:
    cfg = asa(
        """\
        access-list OUTSIDE-IN extended permit tcp any interface outside eq https
        access-list OUTSIDE-IN extended permit tcp any4 host 10.1.20.5 eq https
        access-group OUTSIDE-IN in interface outside
        """
    )
    assert cfg.firewall is not None
    entry = cfg.firewall.acls["OUTSIDE-IN"].entries[0]
    assert entry.destination.networks == (IPNetwork("203.0.113.2/32"),)
    assert ace_matches(entry, INTERNET, IPAddress("203.0.113.2"), "tcp", 443)
    assert not ace_matches(entry, INTERNET, DMZ, "tcp", 443)
    flow = decide(cfg, INTERNET, DMZ, "tcp", 443)
    assert (flow.action, flow.ingress, flow.egress, flow.exact) == (
        "permit",
        "outside",
        "dmz",
        True,
    )
