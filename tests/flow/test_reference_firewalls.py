"""`decide` on the reference firewalls against the zone matrix of dalslandsnatet.md.

The reference network is generated (`python -m dalsnet_audit.lab.refnet`); `planted.yaml`
names the firewalls with a planted SEG-006 violation and lists acceptance flows, so these
tests follow the data instead of pinning its lines.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from netaddr import IPAddress

from dalsnet_audit.flow import decide
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.platforms.asa.parse import parse_asa

SNAPSHOT = Path(__file__).resolve().parents[2] / "snapshots" / "reference"
PLANTED: dict[str, Any] = yaml.safe_load((SNAPSHOT / "planted.yaml").read_text(encoding="utf-8"))
SEG_006 = {v["device"] for v in PLANTED["violations"] if v["rule"] == "SEG-006"}
MUNICIPALITIES = {"ben": 1, "ded": 2, "fgl": 3, "mel": 4, "aml": 5}
ROLE_BASE = {"adm": 0, "ped": 16, "tel": 32, "sek": 48, "gast": 64, "srv": 80, "mgmt": 240}
# Zone pairs the matrix allows (some or all services); every other pair of zones is denied.
ALLOWED = {
    ("adm", "srv"),
    ("ped", "srv"),
    ("tel", "srv"),
    ("sek", "srv"),
    ("srv", "adm"),
    ("srv", "ped"),
    ("srv", "tel"),
    ("srv", "sek"),
}
PROBES = [("tcp", 22), ("tcp", 80), ("tcp", 443), ("tcp", 445), ("udp", 53), ("udp", 5060),
          ("udp", 20000), ("udp", 161), ("icmp", 8)]  # fmt: skip


@cache
def firewall(device: str) -> DeviceConfig:
    return parse_asa((SNAPSHOT / "configs" / f"{device}.cfg").read_text(encoding="utf-8"))


def host(municipality: str, zone: str, last: int = 10) -> IPAddress:
    """A host of `zone` at site 1 of `municipality` (third octet = role base + site)."""
    return IPAddress(f"10.4{MUNICIPALITIES[municipality]}.{ROLE_BASE[zone] + 1}.{last}")


def forbidden_permits(municipality: str) -> list[tuple[str, str, str, int]]:
    """Flows between two local zones that the firewall permits and the matrix denies."""
    cfg = firewall(f"{municipality}-01-fw01")
    return [
        (src, dst, proto, port)
        for src in ROLE_BASE
        for dst in ROLE_BASE
        if src != dst and (src, dst) not in ALLOWED
        for proto, port in PROBES
        if decide(cfg, host(municipality, src), host(municipality, dst, 20), proto, port).action
        == "permit"
    ]


def test_ben_matrix_flows() -> None:
    cfg = firewall("ben-01-fw01")
    ped, adm, srv, gast = (host("ben", z) for z in ("ped", "adm", "srv", "gast"))
    ped_adm = decide(cfg, ped, adm, "tcp", 445)
    assert (ped_adm.action, ped_adm.ingress, ped_adm.egress) == ("deny", "ped", "adm")
    assert ped_adm.line is not None and ped_adm.line.startswith("access-list ACL-PED-IN ")
    web = decide(cfg, ped, srv, "tcp", 443)
    assert (web.action, web.ingress, web.egress) == ("permit", "ped", "srv")
    assert web.line is not None and web.line.startswith("access-list ACL-PED-IN extended permit")
    assert decide(cfg, ped, srv, "tcp", 22).action == "deny"
    adm_srv = decide(cfg, adm, srv, "tcp", 3389)
    assert (adm_srv.action, adm_srv.ingress, adm_srv.egress) == ("permit", "adm", "srv")
    gast_adm = decide(cfg, gast, adm, "tcp", 443)
    assert (gast_adm.action, gast_adm.ingress, gast_adm.egress) == ("deny", "gast", "adm")
    assert all(d.exact for d in (ped_adm, web, adm_srv, gast_adm))


def test_ben_shared_services_internet_and_jump_host() -> None:
    cfg = firewall("ben-01-fw01")
    gast = host("ben", "gast")
    dns = decide(cfg, gast, IPAddress("10.40.10.53"), "udp", 53)
    assert (dns.action, dns.egress) == ("permit", "wan")
    assert decide(cfg, gast, IPAddress("10.40.10.20"), "udp", 123).action == "deny"
    internet = decide(cfg, gast, IPAddress("192.0.2.80"), "tcp", 443)
    assert (internet.action, internet.egress) == ("permit", "outside")
    inbound = decide(cfg, IPAddress("192.0.2.80"), host("ben", "srv"), "tcp", 443)
    assert (inbound.action, inbound.ingress) == ("deny", "outside")
    jump = IPAddress("10.40.10.5")
    assert decide(cfg, jump, host("ben", "mgmt", 11), "tcp", 22).action == "permit"
    assert decide(cfg, jump, host("ben", "adm"), "tcp", 22).action == "deny"


@pytest.mark.parametrize(
    "municipality", sorted(m for m in MUNICIPALITIES if f"{m}-01-fw01" not in SEG_006)
)
def test_clean_firewalls_permit_nothing_the_matrix_denies(municipality: str) -> None:
    assert forbidden_permits(municipality) == []


@pytest.mark.parametrize("device", sorted(SEG_006))
def test_planted_seg_006_is_a_forbidden_permit(device: str) -> None:
    assert forbidden_permits(device.split("-", maxsplit=1)[0]) != []


@pytest.mark.parametrize("municipality", sorted(MUNICIPALITIES))
def test_ped_to_srv_is_web_only(municipality: str) -> None:
    cfg = firewall(f"{municipality}-01-fw01")
    ped, srv = host(municipality, "ped"), host(municipality, "srv")
    allowed = [
        (proto, port)
        for proto, port in PROBES
        if decide(cfg, ped, srv, proto, port).action == "permit"
    ]
    assert allowed == [("tcp", 80), ("tcp", 443)]


@pytest.mark.parametrize(
    "flow",
    PLANTED.get("flows", []),
    ids=lambda f: f"{f['device']}:{f['src']}->{f['dst']}:{f['proto']}/{f['port']}",
)
def test_planted_acceptance_flows(flow: dict[str, Any]) -> None:
    decision = decide(
        firewall(flow["device"]),
        IPAddress(flow["src"]),
        IPAddress(flow["dst"]),
        flow["proto"],
        flow["port"],
    )
    assert (decision.ingress, decision.action) == (flow["ingress"], flow["action"]), decision
