"""A small but realistic finished report, as the engine hands it to the report writers."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

DANGEROUS = '<script>alert("x")</script> & <b>fet</b>'

_STATUSES = ("pass", "fail", "error", "not_applicable", "waived")


def _counts(findings: list[dict[str, Any]], keep: Any) -> dict[str, int]:
    return {s: sum(1 for f in findings if keep(f) and f["status"] == s) for s in _STATUSES}


def _score(counts: dict[str, int]) -> float:
    decided = counts["pass"] + counts["fail"] + counts["error"]
    return round(counts["pass"] / decided, 4) if decided else 0.0


def _finding(
    rule: str, device: str, status: str, severity: str, message: str, **extra: Any
) -> dict[str, Any]:
    finding: dict[str, Any] = {
        "rule": rule,
        "device": device,
        "status": status,
        "severity": severity,
        "family": rule.split("-", maxsplit=1)[0],
        "message": message,
        "evidence": [],
        "expected": None,
        "actual": None,
        "remediation": None,
    }
    finding.update(extra)
    return finding


def build_report() -> dict[str, Any]:
    """Build the report; tests get a fresh deep copy each time."""
    municipalities = [
        {"short": "ben", "name": "Bengtsfors", "code": "1460"},
        {"short": "ded", "name": "Dals-Ed", "code": "1438"},
        {"short": "fgl", "name": "Färgelanda", "code": "1439"},
        {"short": "mel", "name": "Mellerud", "code": "1461"},
        {"short": "aml", "name": "Åmål", "code": "1492"},
        {"short": "dal", "name": "Dalslandsnätet (gemensam kärna)", "code": None},
    ]
    devices = [
        {
            "name": "ben-01-rtr01",
            "municipality": "ben",
            "site": "ben-01",
            "role": "rtr",
            "platform": "ios",
            "status": "audited",
            "error": None,
        },
        {
            "name": "ded-01-srv01",
            "municipality": "ded",
            "site": "ded-01",
            "role": "srv",
            "platform": "linux",
            "status": "auth_failed",
            "error": "SSH-inloggning nekades för kontot audit",
        },
        {
            "name": "fgl-01-rtr01",
            "municipality": "fgl",
            "site": "fgl-01",
            "role": "rtr",
            "platform": "ios",
            "status": "audited",
            "error": None,
        },
        {
            "name": "mel-02-sw01",
            "municipality": "mel",
            "site": "mel-02",
            "role": "sw",
            "platform": "ios",
            "status": "unreachable",
            "error": "TCP 22: anslutningen nekades",
        },
        {
            "name": "aml-01-fw01",
            "municipality": "aml",
            "site": "aml-01",
            "role": "fw",
            "platform": "asa",
            "status": "audited",
            "error": None,
        },
        {
            "name": "dal-00-rtr01",
            "municipality": "dal",
            "site": "dal-00",
            "role": "rtr",
            "platform": "ios",
            "status": "audited",
            "error": None,
        },
    ]
    rules = [
        {
            "id": "IP-001",
            "family": "IP",
            "severity": "high",
            "section": "5.2",
            "title": "Adress utanför IP-planen",
            "rationale": "Gemensam IP-plan enligt 5.2.",
        },
        {
            "id": "IP-004",
            "family": "IP",
            "severity": "critical",
            "section": "5.2",
            "title": "Dubbla adresser eller överlappande nät",
            "rationale": "Överlapp bryter routningen.",
        },
        {
            "id": "CRY-002",
            "family": "CRY",
            "severity": "high",
            "section": "6.4",
            "title": "Okrypterad HTTP-hantering",
            "rationale": "Kryptering skall erbjudas.",
        },
        {
            "id": "LOG-001",
            "family": "LOG",
            "severity": "high",
            "section": "6.4",
            "title": "Loggar skickas inte till båda syslog-servrarna",
            "rationale": "Spårbarhet skall vara införd.",
        },
        {
            "id": "AV-001",
            "family": "AV",
            "severity": "critical",
            "section": "6.4",
            "title": "Antivirus saknas",
            "rationale": "All utrustning som riskerar att smittas skall ha skydd.",
        },
        {
            "id": "AAA-005",
            "family": "AAA",
            "severity": "low",
            "section": "6.4",
            "title": "Inloggningsbanner saknas",
            "rationale": "Behörig användning ska framgå.",
        },
        {
            "id": "STD-003",
            "family": "STD",
            "severity": "low",
            "section": "5.2",
            "title": "Värdnamnet följer inte namnstandarden",
            "rationale": "Gemensam standard.",
        },
    ]
    findings = [
        _finding("IP-001", "ben-01-rtr01", "pass", "high", "Alla adresser ligger i 10.40.0.0/13."),
        _finding(
            "IP-001",
            "fgl-01-rtr01",
            "fail",
            "high",
            "Loopback10 har adressen 192.168.50.1, utanför Dalslandsnätets plan",
            evidence=["interface Loopback10", " ip address 192.168.50.1 255.255.255.0"],
            evidence_source=[
                {"file": "configs/fgl-01-rtr01.cfg", "line": 41},
                {"file": "configs/fgl-01-rtr01.cfg", "line": 42},
            ],
            expected="address inside 10.40.0.0/13",
            actual="192.168.50.1",
            remediation="interface Loopback10\n no ip address\n",
        ),
        _finding(
            "CRY-002",
            "aml-01-fw01",
            "fail",
            "high",
            DANGEROUS,
            evidence=["http server enable", "http 0.0.0.0 0.0.0.0 outside", "banner `x` | y"],
            expected="ingen http-server",
            actual="http server enable",
            remediation="no http server enable\n",
        ),
        _finding(
            "AAA-005",
            "aml-01-fw01",
            "fail",
            "low",
            "Banner saknas | ingen text om behörig användning",
            evidence=["```", "! no banner"],
            expected=None,
            actual=None,
            remediation=None,
        ),
        _finding(
            "IP-004",
            "*",
            "fail",
            "critical",
            "10.41.0.1 används av både fgl-01-rtr01 och dal-00-rtr01",
            evidence=[
                "fgl-01-rtr01: interface Vlan10 ip 10.41.0.1/24",
                "dal-00-rtr01: interface Gi0/1 ip 10.41.0.1/30",
            ],
            expected="unik adress",
            actual="10.41.0.1 (2 enheter)",
            remediation=None,
        ),
        _finding(
            "LOG-001",
            "dal-00-rtr01",
            "error",
            "high",
            "Konfigurationen kunde inte tolkas: okänd plattform",
        ),
        _finding("LOG-001", "mel-02-sw01", "error", "high", "Enheten ej nåbar"),
        _finding("AV-001", "ded-01-srv01", "error", "critical", "Inloggning misslyckades"),
        _finding("AV-001", "ben-01-rtr01", "not_applicable", "critical", "Gäller endast servrar"),
        _finding(
            "STD-003",
            "dal-00-rtr01",
            "waived",
            "low",
            "Undantag W-7 till 2026-12-31 (godkänt av nätansvarig)",
        ),
        _finding("STD-003", "fgl-01-rtr01", "pass", "low", "Värdnamnet följer standarden"),
    ]
    device_municipality = {d["name"]: d["municipality"] for d in devices}
    by_municipality = {}
    for m in municipalities:
        short = m["short"]
        counts = _counts(findings, lambda f, s=short: device_municipality.get(f["device"]) == s)
        mine = [d for d in devices if d["municipality"] == short]
        by_municipality[short] = {
            **counts,
            "score": _score(counts),
            "devices": len(mine),
            "audited": sum(1 for d in mine if d["status"] == "audited"),
        }
    by_family = {}
    for family in sorted({r["family"] for r in rules}):
        counts = _counts(findings, lambda f, fam=family: f["family"] == fam)
        by_family[family] = {**counts, "score": _score(counts)}
    by_status = _counts(findings, lambda f: True)
    return {
        "run": {
            "id": "20261126T020000Z-ab12cd",
            "started": "2026-11-26T02:00:00Z",
            "finished": "2026-11-26T02:04:31Z",
            "tool_version": "0.1.0",
            "inventory": "inventory",
            "policies_digest": "sha256:3f2a9c",
            "mode": "offline",
            "snapshot": "snapshots/reference",
            "lang": "sv",
            "fail_on": "high",
            "exit_code": 1,
        },
        "municipalities": municipalities,
        "rules": rules,
        "devices": devices,
        "findings": findings,
        "summary": {
            "by_status": by_status,
            "by_municipality": by_municipality,
            "by_family": by_family,
            "score": _score(by_status),
        },
    }


_REPORT = build_report()


@pytest.fixture
def report() -> dict[str, Any]:
    """A fresh copy of the sample report."""
    return copy.deepcopy(_REPORT)


@pytest.fixture
def dangerous_message() -> str:
    """The HTML-dangerous message of the CRY-002 finding."""
    return DANGEROUS


@pytest.fixture
def templates_dir() -> Path:
    """The repository's templates directory."""
    return TEMPLATES_DIR
