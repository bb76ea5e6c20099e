"""`explain-flow`: one flow through one firewall, from a snapshot or the newest archived run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netaddr import AddrFormatError, IPAddress

from dalsnet_audit.audit import load_policies
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.errors import InputError
from dalsnet_audit.flow import decide
from dalsnet_audit.inventory import load_inventory
from dalsnet_audit.masking import clean_text
from dalsnet_audit.model.device import Platform
from dalsnet_audit.normalise import normalise

PROTOCOLS = ("tcp", "udp", "icmp")


def newest_run(archive: Path) -> Path:
    """The newest snapshot under the archive (run ids sort by time).

    Raises:
        InputError: the archive holds no run.
    """
    runs = (
        sorted(p for p in archive.glob("*") if (p / "meta.json").is_file())
        if archive.is_dir()
        else []
    )
    if not runs:
        raise InputError(
            str(archive), None, "no audited run in the archive; give --offline SNAPSHOT"
        )
    return runs[-1]


def _address(option: str, value: str) -> IPAddress:
    try:
        return IPAddress(value)
    except (AddrFormatError, ValueError):
        raise InputError(option, value, "not an IPv4 address") from None


def explain(
    inventory: Path,
    policies: Path,
    snapshot: Path | None,
    archive: Path,
    device: str,
    src: str,
    dst: str,
    proto: str,
    port: int | None,
) -> dict[str, Any]:
    """Decide one flow on one firewall as its configuration says.

    Raises:
        InputError: unknown device, a device that is no audited firewall, bad addresses.
    """
    if proto not in PROTOCOLS:
        raise InputError("--proto", proto, f"not one of {', '.join(PROTOCOLS)}")
    if proto in ("tcp", "udp") and port is None:
        raise InputError("--port", None, f"a {proto} flow needs a destination port")
    source, destination = _address("--src", src), _address("--dst", dst)
    policy = load_policies(policies)
    _, hosts = load_inventory(inventory, policy)
    host = next((h for h in hosts if h.name == device), None)
    if host is None:
        raise InputError("--device", device, "not in the inventory")
    if host.platform is not Platform.ASA:
        raise InputError("--device", device, f"is {host.platform.value}, not a firewall (asa)")
    root = snapshot or newest_run(archive)
    snap = normalise(host, OfflineCollector(root).collect_raw([host])[host.name])
    if snap.config is None:
        raise InputError(
            str(root), device, f"not audited there: {snap.status.value} {snap.error or ''}"
        )
    decision = decide(snap.config, source, destination, proto, port)
    return {
        "device": device,
        "snapshot": str(root),
        "src": src,
        "dst": dst,
        "proto": proto,
        "port": port,
        "action": decision.action,
        "ingress": decision.ingress,
        "egress": decision.egress,
        "line": clean_text(decision.line) if decision.line else None,
        "reason": clean_text(decision.reason),
    }
