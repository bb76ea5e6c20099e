"""Real device outputs as cases: `tests/fixtures/real/<platform>/<case>/`, napalm-style.

Each case folder holds raw outputs (named by command slug, `running_config.txt` for the
configuration), `SOURCE.md` (where the output came from) and `expected.json`: what the parser
makes of every raw file, as a small JSON projection of the model. A new folder is a new test.

`python -m tests.parse.real_outputs --write CASE_DIR` writes `expected.json` from today's parser
for a new case; read it against the raw output before committing it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netutils.interface import canonical_interface_name

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.device import DeviceConfig, Facts
from dalsnet_audit.parse.textfsm import parse_show
from dalsnet_audit.platforms.asa.parse import parse_asa, parse_asa_show_version
from dalsnet_audit.platforms.ios.parse import parse_ios, parse_ios_show_version, parse_show_ip_ssh
from dalsnet_audit.platforms.linux.parse import parse_dpkg_query, parse_is_active

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
RAW_SUFFIX = ".txt"


def read(path: Path) -> str:
    """A raw output with its line endings as stored (some fixtures are CRLF)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _facts(facts: Facts) -> dict[str, Any]:
    return {"model": facts.model, "os": facts.os, "os_version": facts.os_version}


def _config(config: DeviceConfig) -> dict[str, Any]:
    return {
        "hostname": config.hostname,
        "interfaces": [
            {
                "name": i.name,
                "kind": i.kind,
                "addresses": [str(a) for a in i.addresses],
                "enabled": i.is_enabled,
                "vrf": i.vrf,
                "nameif": i.nameif,
            }
            for i in config.interfaces
        ],
        "users": [[u.username, u.privilege, u.kind.value, u.hash_type] for u in config.users],
        "enable": [[e.kind.value, e.hash_type] for e in config.enable],
        "snmp_communities": [[c.mode, c.acl] for c in config.snmp.communities],
        "vty": [
            [t.first, t.last, list(t.transport_input or ()), t.access_class_in]
            for t in config.terminal_lines
            if t.kind == "vty"
        ],
        "static_routes": [str(r.prefix) for r in config.static_routes],
        "ssh_version": config.ssh.version,
        "http": [config.http.http, config.http.https],
        "acls": sorted(config.acls),
        "firewall_acls": sorted(config.firewall.acls) if config.firewall else None,
    }


def _interface_status(text: str) -> dict[str, str | None]:
    """Each port's state as the audit reads it: the parser marks the configured interfaces."""
    names = [str(row["port"]) for row in parse_show("cisco_ios", "show interfaces status", text)]
    config = parse_ios(
        "hostname x\n!\n"
        + "".join(f"interface {canonical_interface_name(n)}\n!\n" for n in names)
        + "end\n",
        {"show_interfaces_status": text},
    )
    return {i.name: i.oper_status for i in config.interfaces}


# platform -> raw file stem -> what the parser makes of it
PROJECTIONS: dict[str, dict[str, Callable[[str], Any]]] = {
    "ios": {
        "running_config": lambda text: _config(parse_ios(text)),
        "show_version": lambda text: _facts(parse_ios_show_version(text)),
        "show_ip_ssh": lambda text: {
            "version": (ssh := parse_show_ip_ssh(text)).version,
            "ciphers": list(ssh.ciphers or ()),
            "macs": list(ssh.macs or ()),
            "kex": list(ssh.kex or ()),
            "host_key_bits": ssh.host_key_bits,
            "dh_min_bits": ssh.dh_min_bits,
        },
        "show_interfaces_status": _interface_status,
    },
    "asa": {
        "running_config": lambda text: _config(parse_asa(text)),
        "show_version": lambda text: _facts(parse_asa_show_version(text)),
    },
    "linux": {
        "dpkg_query__W": lambda text: {
            "count": len(packages := parse_dpkg_query(text)),
            "first": list(packages[:5]),
        },
        "systemctl_is_active_no_systemd": parse_is_active,
    },
}


def cases() -> list[Path]:
    """Every case folder that has an `expected.json`."""
    return sorted(path.parent for path in REAL.glob("*/*/expected.json"))


def _reading(projection: Callable[[str], Any], text: str) -> Any:
    """The projection, or the parser's refusal: an output it does not understand is an error."""
    try:
        return projection(text)
    except ParseError as exc:
        return {"parse_error": str(exc)}


def project(case: Path) -> dict[str, Any]:
    """What today's parser makes of every raw file of `case` that has a projection."""
    projections = PROJECTIONS[case.parent.name]
    return {
        raw.stem: _reading(projections[raw.stem], read(raw))
        for raw in sorted(case.glob(f"*{RAW_SUFFIX}"))
        if raw.stem in projections
    }


def main() -> None:
    """Write `expected.json` for the case folders given."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", nargs="+", type=Path, required=True)
    for case in parser.parse_args().write:
        text = json.dumps(project(case.resolve()), indent=2, ensure_ascii=False) + "\n"
        (case / "expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
