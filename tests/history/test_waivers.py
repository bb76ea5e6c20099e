"""Waivers as InSpec and CIS-CAT users expect them: active, expired, reopened by changed
evidence, unused, expiring soon, refused without an expiry; by host, pattern or scope."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from dalsnet_audit.audit import AuditOptions, run_audit
from dalsnet_audit.cli import app

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
NIGHT = dt.date(2026, 11, 26)  # the reference snapshot's night
runner = CliRunner()


def _waiver(**fields) -> dict:
    return {
        "rule": "SEG-005",
        "device": "ben-01-sw01",
        "justification": "port 40 is the spare uplink, moved in the Q1 refit",
        "approved_by": "IT-chef Bengtsfors",
        "expires": "2027-03-31",
        **fields,
    }


def _policies(tmp: Path, *waivers: dict) -> Path:
    policies = tmp / "policies"
    if not policies.exists():
        shutil.copytree(ROOT / "policies", policies)
    (policies / "waivers.yaml").write_text(yaml.safe_dump({"waivers": list(waivers)}))
    return policies


def _audit(tmp: Path, policies: Path, name: str, history: str | None = None, snapshot=SNAPSHOT):
    return run_audit(
        AuditOptions(
            inventory=ROOT / "inventory",
            policies=policies,
            offline=snapshot,
            out=tmp / name,
            formats=("json", "html", "md"),
            lang="en",
            history=history,
        )
    )


def _finding(outcome, rule: str, device: str) -> dict:
    (found,) = [
        f for f in outcome.report["findings"] if f["rule"] == rule and f["device"] == device
    ]
    return found


def test_an_active_waiver_waives_and_still_shows_the_finding(tmp_path):
    outcome = _audit(tmp_path, _policies(tmp_path, _waiver()), "out")
    finding = _finding(outcome, "SEG-005", "ben-01-sw01")
    assert finding["status"] == "waived"
    assert finding["evidence"][0] == "interface GigabitEthernet1/0/40"  # still evaluated
    assert finding["waiver"]["state"] == "active"
    assert finding["waiver"]["approved_by"] == "IT-chef Bengtsfors"
    html = outcome.files["html"].read_text(encoding="utf-8")
    assert "Waived until 2027-03-31 by IT-chef Bengtsfors" in html


def test_an_expired_waiver_no_longer_applies_and_says_so(tmp_path):
    outcome = _audit(tmp_path, _policies(tmp_path, _waiver(expires="2026-11-01")), "out")
    finding = _finding(outcome, "SEG-005", "ben-01-sw01")
    assert finding["status"] == "fail"
    assert finding["waiver"]["state"] == "expired"
    assert "expired on 2026-11-01" in outcome.files["html"].read_text(encoding="utf-8")
    assert [w["covers"] for w in outcome.report["waivers"]["expired"]] == ["ben-01-sw01"]


def test_a_waiver_reopens_when_the_evidence_changed_since_its_first_use(history_url, tmp_path):
    policies = _policies(tmp_path, _waiver())
    first = _audit(tmp_path, policies, "one", history_url)
    assert _finding(first, "SEG-005", "ben-01-sw01")["status"] == "waived"
    again = _audit(tmp_path, policies, "two", history_url)  # nothing changed: still waived
    assert _finding(again, "SEG-005", "ben-01-sw01")["status"] == "waived"

    changed = tmp_path / "night3"
    shutil.copytree(SNAPSHOT, changed)
    config = changed / "configs" / "ben-01-sw01.cfg"
    text = config.read_text(encoding="utf-8")
    # The same unused port, configured differently since the waiver was approved.
    port = text.index("interface GigabitEthernet1/0/40\n")
    at = text.index(" spanning-tree portfast\n", port)
    config.write_text(text[:at] + text[at + len(" spanning-tree portfast\n") :])
    third = _audit(tmp_path, policies, "three", history_url, snapshot=changed)
    finding = _finding(third, "SEG-005", "ben-01-sw01")
    assert finding["status"] == "fail", finding
    assert finding["waiver"]["state"] == "reopened"
    assert finding["waiver"]["approved_digest"] != finding["evidence_digest"]
    assert "the evidence changed" in third.files["html"].read_text(encoding="utf-8")
    # The diff names it: a finding that stopped being waived.
    result = runner.invoke(app, ["diff", "--history", history_url, "--json"])
    assert '"waivers_removed"' in result.output and "ben-01-sw01" in result.output


def test_unused_and_soon_expiring_waivers_are_listed(tmp_path):
    soon = (NIGHT + dt.timedelta(days=10)).isoformat()
    policies = _policies(
        tmp_path,
        _waiver(expires=soon),
        _waiver(rule="CRY-001", device="aml-02-sw01"),  # a clean switch: matches nothing
        _waiver(rule="SEG-005", device=None, scope={"municipality": "mel", "role": "sw"}),
    )
    outcome = _audit(tmp_path, policies, "out")
    waivers = outcome.report["waivers"]
    assert [(w["rule"], w["covers"]) for w in waivers["unused"]] == [
        ("CRY-001", "aml-02-sw01"),
        ("SEG-005", "municipality=mel, role=sw"),
    ]
    assert [(w["covers"], w["expires"], w["approved_by"]) for w in waivers["expiring"]] == [
        ("ben-01-sw01", soon, "IT-chef Bengtsfors")
    ]
    html = outcome.files["html"].read_text(encoding="utf-8")
    assert "Waivers expiring within 14 days" in html and "Waivers that matched nothing" in html


def test_a_pattern_and_a_scope_cover_the_devices_they_match(tmp_path):
    by_pattern = _audit(tmp_path, _policies(tmp_path, _waiver(device="ben-0?-sw0*")), "pattern")
    assert _finding(by_pattern, "SEG-005", "ben-01-sw01")["status"] == "waived"
    by_scope = _audit(
        tmp_path,
        _policies(tmp_path, _waiver(device=None, scope={"municipality": "ben", "site": 1})),
        "scope",
    )
    finding = _finding(by_scope, "SEG-005", "ben-01-sw01")
    assert (
        finding["status"] == "waived" and finding["waiver"]["covers"] == "municipality=ben, site=1"
    )
    # A scope that does not hold the device does not cover it.
    other = _audit(
        tmp_path,
        _policies(tmp_path, _waiver(device=None, scope={"municipality": "ben", "role": "rtr"})),
        "other",
    )
    assert _finding(other, "SEG-005", "ben-01-sw01")["status"] == "fail"


def test_a_waiver_without_expiry_is_refused_naming_file_and_key(tmp_path):
    waiver = _waiver()
    del waiver["expires"]
    policies = _policies(tmp_path, waiver)
    result = runner.invoke(app, ["validate", "--policies", str(policies)])
    assert result.exit_code == 2
    assert "waivers.yaml" in result.output and "waivers.0.expires" in result.output


def test_a_waiver_naming_both_or_neither_device_and_scope_is_refused(tmp_path):
    for waiver in (_waiver(scope={"role": "sw"}), _waiver(device=None)):
        policies = _policies(tmp_path, waiver)
        result = runner.invoke(app, ["validate", "--policies", str(policies)])
        assert result.exit_code == 2 and "waivers.yaml" in result.output, result.output
