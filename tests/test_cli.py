"""The command line's contract (interfaces.md): exit codes and messages that name file and key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dalsnet_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "snapshots" / "reference"
runner = CliRunner()


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    target = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", target)
    return target


def edit_hosts(inventory: Path, change) -> None:
    path = inventory / "hosts.yaml"
    hosts = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(hosts)
    path.write_text(yaml.safe_dump(hosts, allow_unicode=True), encoding="utf-8")


def audit(*args: str, out: Path, inventory: Path = ROOT / "inventory", snapshot: Path = SNAPSHOT):
    return runner.invoke(
        app,
        [
            "audit",
            "--inventory",
            str(inventory),
            "--policies",
            str(ROOT / "policies"),
            "--offline",
            str(snapshot),
            "--out",
            str(out),
            "--quiet",
            *args,
        ],
    )


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda h: h["mel-01-sw01"].pop("platform"), "mel-01-sw01.platform"),
        (lambda h: h["mel-01-sw01"].update(platform="junos"), "mel-01-sw01.platform"),
        (lambda h: h["aml-02-sw01"]["data"].pop("role"), "aml-02-sw01.data.role"),
        (lambda h: h["aml-02-sw01"]["data"].update(role="router"), "aml-02-sw01.data.role"),
        (
            lambda h: h["ben-01-fw01"]["data"].update(municipality="osl"),
            "ben-01-fw01.data.municipality",
        ),
        (lambda h: h["ded-02-sw02"]["data"].update(site=16), "ded-02-sw02.data.site"),
        (lambda h: h["ded-02-sw02"]["data"].pop("site"), "ded-02-sw02.data.site"),
        (lambda h: h["ded-02-sw02"]["data"].update(colour="red"), "ded-02-sw02.data.colour"),
        (lambda h: h["ben-01-rtr01"].update(data=5), "ben-01-rtr01.data"),
        (lambda h: h["ben-01-rtr01"].update(groups="bengtsfors"), "ben-01-rtr01.groups"),
        (
            lambda h: h["ben-01-rtr01"].update(groups=["bengtsforz", "router"]),
            "ben-01-rtr01.groups",
        ),
    ],
)
def test_malformed_inventory_exits_2_naming_host_and_key(inventory, tmp_path, change, key):
    edit_hosts(inventory, change)
    result = audit(out=tmp_path / "out", inventory=inventory)
    assert result.exit_code == 2, result.output
    assert "hosts.yaml" in result.output and key in result.output
    assert not (tmp_path / "out").exists(), "nothing is written for invalid input"


def test_missing_governance_field_is_a_finding_not_an_input_error(inventory, tmp_path):
    edit_hosts(inventory, lambda h: h["aml-02-sw01"]["data"].pop("system_owner"))
    result = audit("--format", "json", out=tmp_path / "out", inventory=inventory)
    assert result.exit_code == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    std = [f for f in report["findings"] if f["rule"] == "STD-004" and f["device"] == "aml-02-sw01"]
    assert [f["status"] for f in std] == ["fail"]


def test_broken_yaml_inventory_exits_2(inventory, tmp_path):
    (inventory / "groups.yaml").write_text("mellerud: [unclosed\n", encoding="utf-8")
    result = audit(out=tmp_path / "out", inventory=inventory)
    assert result.exit_code == 2
    assert "groups.yaml" in result.output


def test_malformed_policy_exits_2_naming_file_and_key(tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    path = policies / "plan.yaml"
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan["roles"][0]["vlan"] = "ten"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(
        app, ["validate", "--policies", str(policies), "--inventory", str(ROOT / "inventory")]
    )
    assert result.exit_code == 2
    assert "plan.yaml" in result.output and "roles.0.vlan" in result.output


@pytest.mark.parametrize(
    ("meta", "key"),
    [
        (None, "meta.json"),
        ('{"taken_at": "yesterday", "source": "manual"}', "taken_at"),
        ('{"taken_at": "2026-11-26T02:00:00Z", "source": "guess"}', "source"),
        ("{not json", "meta.json"),
    ],
)
def test_malformed_snapshot_exits_2(tmp_path, meta, key):
    snapshot = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, snapshot)
    if meta is None:
        (snapshot / "meta.json").unlink()
    else:
        (snapshot / "meta.json").write_text(meta, encoding="utf-8")
    result = audit(out=tmp_path / "out", snapshot=snapshot)
    assert result.exit_code == 2
    assert key in result.output


def test_host_without_data_is_not_audited_and_never_passes(tmp_path):
    snapshot = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, snapshot)
    (snapshot / "configs" / "mel-01-sw02.cfg").unlink()
    (snapshot / "snmp" / "aml-01-srv01.snmprec").write_text("", encoding="utf-8")
    (snapshot / "configs" / "ded-01-sw02.cfg").write_text(
        "garbage that is no config\n", encoding="utf-8"
    )
    result = audit("--format", "json", out=tmp_path / "out", snapshot=snapshot)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    status = {d["name"]: d for d in report["devices"]}
    assert status["mel-01-sw02"]["status"] == "no_data"
    assert "mel-01-sw02.cfg" in status["mel-01-sw02"]["error"]
    assert status["aml-01-srv01"]["status"] == "parse_error"
    assert status["ded-01-sw02"]["status"] == "parse_error"
    for name in ("mel-01-sw02", "aml-01-srv01", "ded-01-sw02"):
        verdicts = {f["status"] for f in report["findings"] if f["device"] == name}
        assert "pass" not in verdicts
        assert "error" in verdicts
    assert result.exit_code == 1  # planted failures still dominate


def test_only_unaudited_devices_give_exit_3(tmp_path):
    snapshot = tmp_path / "snap"
    shutil.copytree(SNAPSHOT, snapshot)
    (snapshot / "configs" / "mel-01-sw02.cfg").unlink()
    result = audit(
        "--filter",
        "name=mel-01-sw02,mel-01-rtr01",
        "--fail-on",
        "critical",
        out=tmp_path / "out",
        snapshot=snapshot,
    )
    assert result.exit_code == 3, result.output


def test_compliant_selection_exits_0(tmp_path):
    result = audit("--filter", "name=mel-01-rtr01", out=tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_filter_by_municipality_and_role(tmp_path):
    result = audit(
        "--filter",
        "municipality=aml",
        "--filter",
        "role=sw",
        "--format",
        "json",
        out=tmp_path / "out",
    )
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted(d["name"] for d in report["devices"]) == [
        "aml-01-sw01",
        "aml-01-sw02",
        "aml-02-sw01",
        "aml-02-sw02",
    ]
    assert result.exit_code == 1


def test_filter_with_unknown_key_exits_2(tmp_path):
    result = audit("--filter", "colour=red", out=tmp_path / "out")
    assert result.exit_code == 2 and "--filter" in result.output


def test_unknown_format_and_language_exit_2(tmp_path):
    assert audit("--format", "pdf", out=tmp_path / "a").exit_code == 2
    assert audit("--lang", "de", out=tmp_path / "b").exit_code == 2


def test_rules_lists_catalogue():
    result = runner.invoke(app, ["rules", "--json", "--policies", str(ROOT / "policies")])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    ids = {row["id"]: row for row in rows}
    assert (
        len(ids) == 40
        and ids["IP-001"]["implemented"]
        and ids["AV-001"]["implemented"]
        and ids["NET-001"]["implemented"]
    )
    assert all(row["implemented"] and row["platforms"] for row in rows)
    assert ids["LOG-001"]["platforms"] == ["asa", "ios", "linux"]
    assert ids["AAA-004"]["severity"] == "medium" and ids["AAA-004"]["section"] == "6.4"


def test_rules_show_standard_references_with_their_version():
    result = runner.invoke(app, ["rules", "--json", "--policies", str(ROOT / "policies")])
    ids = {row["id"]: row for row in json.loads(result.output)}
    timeout = ids["AAA-004"]["references"]
    assert {(r["benchmark"], r["version"], r["number"]) for r in timeout["cis"]} >= {
        ("CIS Cisco IOS 15 Benchmark", "v4.1.1", "1.2.10")
    }
    assert [r["id"] for r in timeout["stig"]][:1] == ["CISC-ND-000720"]
    assert all(r["version"] for r in timeout["stig"])
    assert ids["IP-001"]["references"] == {"cis": [], "stig": []}  # no standard checks the plan
    table = runner.invoke(
        app, ["rules", "--policies", str(ROOT / "policies")], env={"COLUMNS": "250"}
    )
    assert "CISC-ND-000720" in table.output and "v4.1.1: 1.2.10" in table.output


def test_validate_reference_inputs():
    result = runner.invoke(
        app,
        ["validate", "--inventory", str(ROOT / "inventory"), "--policies", str(ROOT / "policies")],
    )
    assert result.exit_code == 0
    assert "46 hosts" in result.output


def test_live_audit_without_credentials_exits_2_before_touching_the_network(tmp_path, monkeypatch):
    for var in ("DALSNET_USERNAME", "DALSNET_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    result = runner.invoke(
        app,
        [
            "audit",
            "--inventory",
            str(ROOT / "inventory"),
            "--policies",
            str(ROOT / "policies"),
            "--out",
            str(tmp_path / "out"),
            "--archive",
            str(tmp_path / "archive"),
        ],
    )
    assert result.exit_code == 2
    assert "DALSNET_USERNAME" in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "archive").exists()


def test_credentials_file_readable_by_others_is_refused(tmp_path, monkeypatch):
    creds = tmp_path / "creds"
    creds.write_text("DALSNET_USERNAME=u\nDALSNET_PASSWORD=p\n", encoding="utf-8")
    creds.chmod(0o644)
    monkeypatch.delenv("DALSNET_USERNAME", raising=False)
    result = runner.invoke(
        app,
        [
            "audit",
            "--inventory",
            str(ROOT / "inventory"),
            "--policies",
            str(ROOT / "policies"),
            "--credentials",
            str(creds),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "chmod 600" in result.output
