"""Items 3-5 of the hardening issue: no pass for a future date, a partial view or no data.

The rule-level cases live beside the other rule cases (tests/fixtures/rules/AV-003/error_future_*,
IP-00x/error_server_without_address_table.yaml); here the audit as a whole.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dalsnet_audit.engine import run_rules
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.policy import load_policy
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.ages import FutureDateError, days_old
from dalsnet_audit.rules.context import RuleContext

from .support import ROOT, audit_offline


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _network(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule and f["device"] == "*"]


def test_filter_judges_a_duplicate_against_the_whole_snapshot(tmp_path):
    out = tmp_path / "out"
    result = audit_offline(out, "--format", "json", "--filter", "name=aml-01-sw02")
    assert result.exit_code == 1, result.output
    report = _report(out)
    assert [d["name"] for d in report["devices"]] == ["aml-01-sw02"]
    (finding,) = _network(report, "IP-004")
    assert finding["status"] == "fail"
    assert "aml-01-sw01" in finding["message"] and "aml-01-sw02" in finding["message"]


def test_filter_reports_only_conflicts_that_concern_the_selection(tmp_path):
    out = tmp_path / "out"
    assert audit_offline(out, "--format", "json", "--filter", "name=ben-01-sw01").exit_code != 2
    (finding,) = _network(_report(out), "IP-004")
    assert finding["status"] == "pass"
    everything = tmp_path / "all"
    audit_offline(everything, "--format", "json")
    assert any(f["status"] == "fail" for f in _network(_report(everything), "IP-004"))


def test_a_live_partial_view_is_not_a_pass():
    from tests.rules.conftest import device  # noqa: PLC0415

    policy = load_policy(ROOT / "policies")
    switch = device(
        {
            "name": "aml-01-sw02",
            "config": "hostname aml-01-sw02\n!\ninterface Vlan99\n"
            " ip address 10.45.241.12 255.255.255.0\nend\n",
        }
    )
    ctx = RuleContext.build(
        policy,
        dt.datetime(2026, 11, 26, tzinfo=dt.UTC),
        inventory_names=frozenset({"aml-01-sw01", "aml-01-sw02"}),
        selected=frozenset({"aml-01-sw02"}),
    )
    findings = run_rules([switch], ctx, rules=[REGISTRY.get("IP-004")])
    assert [(f.status.value, f.message.key) for f in findings] == [("error", "IP-004.incomplete")]
    assert "aml-01-sw01" in findings[0].message.params["devices"]


def test_days_old_refuses_a_future_date():
    as_of = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)
    assert days_old(dt.date(2026, 11, 26), as_of) == 0
    with pytest.raises(FutureDateError):
        days_old(dt.date(2099, 12, 31), as_of)


def test_future_console_dates_in_the_snapshot_are_errors_not_passes(snapshot, tmp_path):
    path = snapshot / "av" / "console.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].lower().split(";")
    column = next(i for i, cell in enumerate(header) if "date" in cell or "signatur" in cell)
    changed, dated = [lines[0]], set()
    for line in lines[1:]:
        cells = line.split(";")
        if len(cells) > column and cells[column][:4].isdigit():
            cells[column] = "2099-12-31"
            dated.add(cells[0].lower().split(".")[0])
        changed.append(";".join(cells))
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    audit_offline(out, "--format", "json", snapshot=snapshot)
    av3 = [f for f in _report(out)["findings"] if f["rule"] == "AV-003" and f["device"] in dated]
    assert av3 and not [f for f in av3 if f["status"] == "pass"]
    assert any("2099-12-31" in line for f in av3 for line in f["evidence"])


def test_a_server_without_address_table_makes_ip_rules_errors(snapshot, tmp_path):
    path = snapshot / "snmp" / "ben-01-srv01.snmprec"
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("1.3.6.1.2.1.4.20.")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    audit_offline(out, "--format", "json", snapshot=snapshot)
    report = _report(out)
    mine = {
        f["rule"]: f["status"]
        for f in report["findings"]
        if f["device"] == "ben-01-srv01" and f["rule"] in ("IP-001", "IP-002")
    }
    assert mine == {"IP-001": "error", "IP-002": "error"}
    assert all(f["status"] != "pass" for f in _network(report, "IP-004"))
    _ = normalise, RawDevice


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\r"])
def test_a_line_separator_inside_a_description_does_not_end_the_interface(
    snapshot, tmp_path, separator
):
    path = snapshot / "configs" / "ded-01-rtr01.cfg"
    text = path.read_text(encoding="utf-8")
    assert " description SEK krypterad till" in text
    path.write_text(
        text.replace(
            " description SEK krypterad till", f" description SEK krypterad{separator}till", 1
        ),
        encoding="utf-8",
        newline="",
    )
    out = tmp_path / "out"
    audit_offline(out, "--format", "json", "--filter", "name=ded-01-rtr01", snapshot=snapshot)
    cry5 = [f for f in _report(out)["findings"] if f["rule"] == "CRY-005"]
    assert cry5 and all(f["status"] == "fail" for f in cry5), cry5
