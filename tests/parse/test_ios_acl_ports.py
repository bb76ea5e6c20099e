"""IOS extended lists read their ports: a port-limited entry matches only its ports.

Real output: tests/fixtures/real/ios/router_12_4_ciscoconfparse_s01 (ciscoconfparse's
`sample_01.ios`, see its SOURCE.md): `eq www`, `eq 1415`, a source port (`eq ntp`) before the
destination, and a `deny ... eq www` above `permit ip any any`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from netaddr import IPAddress

from dalsnet_audit.flow.acl import first_match
from dalsnet_audit.model.acl import PortRange
from dalsnet_audit.platforms.ios.parse import parse_ios

CONFIG = (
    Path(__file__).resolve().parents[1]
    / "fixtures/real/ios/router_12_4_ciscoconfparse_s01/running_config.txt"
).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def acls():
    return parse_ios(CONFIG).acls


def test_destination_and_source_ports_are_read(acls):
    ext_in = acls["EXT_IN"].entries
    assert ext_in[0].services[0].destination_ports == (PortRange(1415, 1415),)
    ntp = next(e for e in ext_in if "eq ntp" in e.line)
    assert ntp.services[0].source_ports == (PortRange(123, 123),)
    assert ntp.services[0].destination_ports is None
    assert ntp.line == " permit udp host 1.1.1.1 eq ntp any"  # the device's own line


def test_first_match_honours_the_port(acls):
    outside, inside = IPAddress("198.51.100.7"), IPAddress("207.46.248.10")
    web = first_match(acls["ETH0_0_IN"], outside, inside, "tcp", 80)
    assert web.entry is not None and web.entry.action == "deny"
    # Another port of the same protocol passes the port-limited deny: the permit decides.
    ssh = first_match(acls["ETH0_0_IN"], outside, inside, "tcp", 22)
    assert ssh.entry is not None and ssh.entry.action == "permit"
    assert first_match(acls["EXT_IN"], outside, inside, "tcp", 1415).entry.action == "permit"
    # Port 22 passes both `eq 1415` and `eq 1416`: the list's own `deny tcp any any log` decides.
    other = first_match(acls["EXT_IN"], outside, inside, "tcp", 22).entry
    assert other is not None and other.line.split() == ["deny", "tcp", "any", "any", "log"]


@pytest.mark.parametrize(
    ("line", "ports", "exact"),
    [
        (" permit tcp any any eq www 443", (PortRange(80, 80), PortRange(443, 443)), True),
        (" permit tcp any any range 1024 65535", (PortRange(1024, 65535),), True),
        (" permit udp any any gt 1023", (PortRange(1024, 65535),), True),
        (" deny tcp any any neq 22", (PortRange(0, 21), PortRange(23, 65535)), True),
        (" permit tcp any any established", None, False),
        (" permit tcp any any eq some-unknown-name", None, False),
        # Words after the ports narrow the entry in ways the model does not hold.
        (" permit tcp any any eq www msrpc", (PortRange(80, 80),), False),
        (" deny tcp any any eq 22 dscp ef", (PortRange(22, 22),), False),
        (" deny tcp any any eq 22 log", (PortRange(22, 22),), True),
        (" permit tcp any any match-any +ack +rst", None, False),
        (" deny icmp any any echo", (PortRange(8, 8),), True),
        (" deny icmp any any port-unreachable", None, False),
        (" deny icmp any any 3 3", (PortRange(3, 3),), False),
        (" permit tcp any any lt 0", None, False),
        (" permit tcp any any gt 65535", None, False),
        (" permit tcp any any range 443 80", None, False),
        (" 10 dynamic LOCK permit ip any any", None, False),
        (" evaluate REFLECTED", None, False),
    ],
)
def test_port_operators(line, ports, exact):
    config = parse_ios(f"hostname r\nip access-list extended T\n{line}\nend\n")
    (entry,) = config.acls["T"].entries
    assert entry.services[0].destination_ports == ports
    assert entry.exact is exact
