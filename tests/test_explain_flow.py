"""`explain-flow` answers the acceptance flows of planted.yaml with the line that decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dalsnet_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "snapshots" / "reference"
FLOWS = yaml.safe_load((SNAPSHOT / "planted.yaml").read_text(encoding="utf-8"))["flows"]
runner = CliRunner()


def explain(flow: dict, *extra: str):
    args = [
        "explain-flow",
        "--device",
        flow["device"],
        "--src",
        flow["src"],
        "--dst",
        flow["dst"],
        "--proto",
        flow["proto"],
        "--offline",
        str(SNAPSHOT),
        "--inventory",
        str(ROOT / "inventory"),
        "--policies",
        str(ROOT / "policies"),
        *extra,
    ]
    if flow.get("port") is not None:
        args += ["--port", str(flow["port"])]
    return runner.invoke(app, args)


@pytest.mark.parametrize(
    "flow",
    FLOWS,
    ids=lambda f: f"{f['device']}-{f['src']}-{f['dst']}-{f['proto']}{f.get('port') or ''}",
)
def test_flow_verdicts(flow):
    result = explain(flow, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["action"] == flow["action"]
    if flow.get("ingress"):
        assert answer["ingress"] == flow["ingress"]
    if flow.get("planted"):
        assert answer["line"] and answer["line"].startswith("access-list"), answer


def test_text_output_names_the_deciding_line():
    planted = next(f for f in FLOWS if f.get("planted") and f["device"] == "mel-01-fw01")
    result = explain(planted)
    assert result.exit_code == 0
    assert result.output.startswith("PERMIT")
    assert "decided by: access-list ACL-PED-IN extended permit tcp" in result.output


def test_not_a_firewall_exits_2():
    result = explain(
        {
            "device": "mel-01-sw01",
            "src": "10.44.17.10",
            "dst": "10.44.1.10",
            "proto": "tcp",
            "port": 22,
        }
    )
    assert result.exit_code == 2 and "not a firewall" in result.output


def test_tcp_without_port_exits_2():
    flow = {"device": "mel-01-fw01", "src": "10.44.17.10", "dst": "10.44.1.10", "proto": "tcp"}
    result = explain(flow)
    assert result.exit_code == 2 and "--port" in result.output
