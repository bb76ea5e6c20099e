"""Items 6-11 of the hardening issue: bad input exits 2 naming file and key, never a traceback.

And a broken file of one host is that host's status; the others are audited.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dalsnet_audit.parse.av_console import read_console

from .support import SNAPSHOT, audit_offline, cli, edit_yaml


def _refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)


# 6. Duplicate keys
def test_duplicate_host_in_hosts_yaml_exits_2_naming_it(inventory, tmp_path):
    path = inventory / "hosts.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("ben-01-rtr01:") : text.index("ben-01-fw01:")]
    path.write_text(text + block, encoding="utf-8")
    _refused(
        cli("validate", "--inventory", str(inventory)), "hosts.yaml", "ben-01-rtr01", "duplicate"
    )
    _refused(audit_offline(tmp_path / "out", inventory=inventory), "duplicate")


@pytest.mark.parametrize(
    ("file", "anchor", "extra"),
    [
        ("plan.yaml", "sites_per_municipality:", "sites_per_municipality: 3\n"),
        ("antivirus.yaml", "max_signature_age_days:", "max_signature_age_days: 300\n"),
        (
            "rules.yaml",
            "  IP-001:",
            "  IP-001: {severity: low, section: '5.2', title: {en: x, sv: y}}\n",
        ),
    ],
)
def test_duplicate_key_in_a_policy_exits_2(policies, file, anchor, extra):
    path = policies / file
    text = path.read_text(encoding="utf-8")
    assert anchor in text
    path.write_text(text + ("" if text.endswith("\n") else "\n") + extra, encoding="utf-8")
    key = anchor.strip().rstrip(":")
    _refused(cli("validate", "--policies", str(policies)), file, key, "duplicate")


# 7. rules.yaml against the registry and the catalogue
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_rules_yaml_without_an_implemented_rule_is_refused(policies, tmp_path, command):
    edit_yaml(policies / "rules.yaml", lambda d: d["rules"].pop("IP-004"))
    args = ["--policies", str(policies)]
    result = (
        cli("validate", *args)
        if command == "validate"
        else audit_offline(tmp_path / "out", policies=policies)
    )
    _refused(result, "rules.yaml", "rules.IP-004", "missing")


@pytest.mark.parametrize("command", ["validate", "audit", "rules"])
def test_rules_yaml_with_an_unknown_id_is_refused(policies, tmp_path, command):
    setting = {"severity": "low", "section": "5.2", "title": {"en": "x", "sv": "y"}}
    edit_yaml(policies / "rules.yaml", lambda d: d["rules"].update({"XYZ-999": setting}))
    if command == "audit":
        result = audit_offline(tmp_path / "out", policies=policies)
    else:
        result = cli(command, "--policies", str(policies))
    _refused(result, "rules.yaml", "rules.XYZ-999")


def test_a_standard_reference_without_its_version_is_refused(policies):
    def drop_version(data):
        data["rules"]["AAA-004"]["references"]["stig"][0].pop("version")

    edit_yaml(policies / "rules.yaml", drop_version)
    _refused(
        cli("validate", "--policies", str(policies)),
        "rules.yaml",
        "rules.AAA-004.references.stig.0.version",
        "required",
    )


def test_waiver_of_an_unknown_rule_is_refused(policies):
    waiver = {
        "rule": "IP-999",
        "device": "ben-01-sw01",
        "reason": "x",
        "approver": "y",
        "expires": "2027-01-01",
    }
    edit_yaml(policies / "waivers.yaml", lambda d: d.update(waivers=[waiver]))
    _refused(cli("validate", "--policies", str(policies)), "waivers.yaml", "waivers.0.rule")


# 8. Unreadable files and options
def test_meta_json_with_binary_content_exits_2(snapshot, tmp_path):
    (snapshot / "meta.json").write_bytes(b"\xff\xfe\x00\x01\x80binary")
    _refused(audit_offline(tmp_path / "out", snapshot=snapshot), "meta.json", "UTF-8")


def test_credentials_file_that_is_not_utf8_exits_2(inventory, tmp_path):
    creds = tmp_path / "creds"
    creds.write_bytes(b"DALSNET_USERNAME=a\nDALSNET_PASSWORD=\xe5\xe4\xf6\xff\n")
    creds.chmod(0o600)
    result = cli(
        "audit",
        "--inventory",
        str(inventory),
        "--credentials",
        str(creds),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        "--no-archive",
    )
    _refused(result, str(creds), "UTF-8")


def test_out_that_is_a_file_exits_2_before_auditing(tmp_path):
    target = tmp_path / "out"
    target.write_text("I am a file", encoding="utf-8")
    _refused(audit_offline(target), "--out", str(target))
    assert target.read_text(encoding="utf-8") == "I am a file"


def test_out_that_cannot_be_created_exits_2(tmp_path):
    parent = tmp_path / "file"
    parent.write_text("x", encoding="utf-8")
    _refused(audit_offline(parent / "out"), "--out")


def test_a_config_that_is_a_directory_is_that_hosts_no_data(snapshot, tmp_path):
    config = snapshot / "configs" / "ben-01-sw01.cfg"
    config.unlink()
    config.mkdir()
    result = audit_offline(tmp_path / "out", "--format", "json", snapshot=snapshot)
    assert result.exit_code in (1, 3), result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    status = {d["name"]: d["status"] for d in report["devices"]}
    assert status["ben-01-sw01"] == "no_data"
    assert sum(1 for s in status.values() if s == "audited") == len(status) - 1


# 9. The antivirus console export as Swedish Excel writes it
def test_console_export_in_cp1252_is_read_and_says_so(snapshot, tmp_path):
    path = snapshot / "av" / "console.csv"
    text = path.read_text(encoding="utf-8-sig").replace("\n", "\r\n", 1)
    text = (
        text.replace("hostname", "Datornamn", 1) + "åml-gammal;Sophos Endpoint;2026-11-25;1.2\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    export = read_console(path.read_bytes())
    assert export.encoding == "cp1252" and "cp1252" in export.label
    assert any(row.hostname == "åml-gammal" for row in export.rows)
    result = audit_offline(tmp_path / "out", "--format", "json", snapshot=snapshot)
    assert result.exit_code in (1, 3), result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    drift = [f for f in report["findings"] if f["rule"] == "AV-004" and f["status"] != "pass"]
    assert any("(cp1252)" in line for f in drift for line in f["evidence"])


def test_an_unterminated_quote_is_one_bad_row_not_the_rest():
    data = (
        b"hostname;product;signature_date\n"
        b'ben-01-srv01;"Sophos Endpoint;2026-11-25\n'
        b"ben-01-srv02;ClamAV;2026-11-25\n"
        b"mel-01-srv01;ClamAV;2026-11-24\n"
    )
    export = read_console(data)
    assert [row.hostname for row in export.rows] == ["ben-01-srv02", "mel-01-srv01"]
    assert export.problems == ((2, "a quote is not closed"),)


# 10. Overlaps inside the core's own blocks
@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("links", "10.40.0.128/25", "core.loopbacks"),
        ("remote_access_pool", "10.40.8.0/21", "core.services"),
    ],
)
def test_core_blocks_that_overlap_are_invalid(policies, key, value, named):
    edit_yaml(policies / "plan.yaml", lambda d: d["core"].update({key: value}))
    _refused(cli("validate", "--policies", str(policies)), "plan.yaml", named, "overlaps")


# 11. The lab's faults and the audit's known_hosts
def test_lab_fault_on_an_unknown_host_exits_2(tmp_path):
    state = tmp_path / "lab"
    try:
        result = cli("lab", "up", "--fault", "nohost=hang", "--state-dir", str(state))
    finally:
        cli("lab", "down", "--state-dir", str(state))  # a lab that started anyway is stopped
    _refused(result, "nohost")
    assert not (state / "state.json").exists()


def test_known_hosts_that_does_not_exist_exits_2_up_front(tmp_path):
    missing = tmp_path / "no_such_known_hosts"
    env = {"DALSNET_USERNAME": "a", "DALSNET_PASSWORD": "b"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = cli(
            "audit",
            "--known-hosts",
            str(missing),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--no-archive",
        )
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    _refused(result, "--known-hosts", str(missing))
    assert not (tmp_path / "out").exists()


def test_console_of_the_reference_is_utf8():
    assert read_console((SNAPSHOT / "av" / "console.csv").read_bytes()).encoding.startswith("utf-8")


def test_out_dir_untouched_on_refusal(tmp_path):
    # A refusal happens before anything is written, also when --out exists from before.
    out = tmp_path / "out"
    assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    before = sorted(p.name for p in out.iterdir())
    _refused(audit_offline(out, "--fail-on", "nonsense"), "--fail-on")
    assert sorted(p.name for p in out.iterdir()) == before
    _ = Path


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["core"]["vlans"][0].update(block="10.40.8.0/21"), "core.vlans.0.block"),
        (lambda d: d["shared_services"].update(dns=["10.40.1.53"]), "shared_services.dns.0"),
    ],
)
def test_core_vlans_and_shared_services_stay_in_their_blocks(policies, change, named):
    edit_yaml(policies / "plan.yaml", change)
    _refused(cli("validate", "--policies", str(policies)), "plan.yaml", named)


@pytest.mark.parametrize(
    ("file", "text", "key"),
    [
        ("zones.yaml", "allow:\n  - {from: gast, to: gast, services: any, to: srv}\n", "to"),
        ("rules.yaml", "rules: {IP-001: {severity: low, severity: high}}\n", "severity"),
    ],
)
def test_duplicate_keys_in_flow_style_are_refused(policies, file, text, key):
    path = policies / file
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original + "\nflow_check:\n" + "".join(f"  {line}\n" for line in text.splitlines()),
        encoding="utf-8",
    )
    result = cli("validate", "--policies", str(policies))
    _refused(result, file, key, "twice")


def test_duplicate_key_of_a_host_in_flow_style_exits_2(inventory):
    path = inventory / "hosts.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "zz-01-sw01: {hostname: a, hostname: b, platform: ios, groups: [amal, switch],"
        " data: {municipality: aml, site: 1, role: sw}}\n",
        encoding="utf-8",
    )
    _refused(cli("validate", "--inventory", str(inventory)), "hosts.yaml", "hostname", "twice")


def test_a_fifo_as_console_export_is_refused_not_waited_for(snapshot, tmp_path):
    console = snapshot / "av" / "console.csv"
    console.unlink()
    os.mkfifo(console)
    _refused(audit_offline(tmp_path / "out", snapshot=snapshot), "console.csv", "regular file")


def test_a_form_feed_inside_a_console_cell_keeps_the_rows_apart():
    export = read_console(
        b"hostname;product;signature_date\n"
        b"ben-01-srv01;Sophos\x0cEndpoint;2026-11-25\n"
        b"ben-01-srv02;ClamAV;2026-11-25\n"
    )
    assert [(row.hostname, row.line_number) for row in export.rows] == [
        ("ben-01-srv01", 2),
        ("ben-01-srv02", 3),
    ]
    assert export.problems == ()


@pytest.mark.parametrize(
    ("file", "change", "key"),
    [
        (
            "waivers.yaml",
            lambda d: d.update(
                waivers=[
                    {
                        "rule": "IP-001",
                        "device": "x",
                        "reason": "r",
                        "approver": "a",
                        "expires": "2026-13-01",
                    }
                ]
            ),
            "waivers.0.expires",
        ),
        (
            "zones.yaml",
            lambda d: d["services"].update(bad=[{"proto": "tcp", "ports": "99999"}]),
            "services.bad.0.ports",
        ),
        (
            "zones.yaml",
            lambda d: d["services"].update(bad=[{"proto": "udp", "ports": "53-1"}]),
            "services.bad.0.ports",
        ),
        (
            "antivirus.yaml",
            lambda d: d["products"][0].update(installed=[""]),
            "products.0.installed.0",
        ),
    ],
)
def test_impossible_values_in_policies_exit_2_naming_the_key(policies, file, change, key):
    edit_yaml(policies / file, change)
    _refused(cli("validate", "--policies", str(policies)), file, key)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            lambda h: h["ben-01-rtr01"]["data"].update(municipality=["ben"]),
            "ben-01-rtr01.data.municipality",
        ),
        (lambda h: h["ben-01-rtr01"]["data"].update(role={"a": 1}), "ben-01-rtr01.data.role"),
        (lambda h: h["ben-01-rtr01"].update(groups=[["bengtsfors"]]), "ben-01-rtr01.groups"),
        (
            lambda h: h["ben-01-rtr01"]["data"].update(public_addresses=5),
            "ben-01-rtr01.data.public_addresses",
        ),
        (
            lambda h: h["ben-01-rtr01"]["data"].update(allowed_roles=["sw", "router"]),
            "ben-01-rtr01.data.allowed_roles.1",
        ),
        (
            lambda h: h["ben-01-srv01"]["data"].update(snmp={"port": "x"}),
            "ben-01-srv01.data.snmp.port",
        ),
        (
            lambda h: h["ben-01-srv01"]["data"].update(snmp={"version": 7}),
            "ben-01-srv01.data.snmp.version",
        ),
        (lambda h: h["ben-01-srv01"]["data"].update(snmp=[1]), "ben-01-srv01.data.snmp"),
        (lambda h: h["ben-01-rtr01"]["data"].update(service_agreement="2024-02-30"), None),
    ],
)
def test_values_of_the_wrong_shape_in_the_inventory_exit_2(inventory, change, key):
    edit_yaml(inventory / "hosts.yaml", change)
    result = cli("validate", "--inventory", str(inventory))
    if key is None:  # a date-like text is text, not an error
        assert result.exit_code == 0, result.output
        return
    _refused(result, "hosts.yaml", key)


def test_meta_json_with_a_duplicate_key_exits_2(snapshot, tmp_path):
    path = snapshot / "meta.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{", '{"source": "manual", ', 1), encoding="utf-8"
    )
    _refused(audit_offline(tmp_path / "out", snapshot=snapshot), "meta.json", "source")


def test_av_console_with_offline_is_refused(tmp_path):
    result = audit_offline(tmp_path / "out", "--av-console", str(SNAPSHOT / "av" / "console.csv"))
    _refused(result, "--av-console", "live audits")


@pytest.mark.parametrize(
    "args",
    [("--out", "/proc/dalsnet-out"), ("--command-timeout", "inf"), ("--host-timeout", "1e308")],
)
def test_options_out_of_range_exit_2(tmp_path, args):
    result = cli(
        "audit", "--offline", str(SNAPSHOT), "--out", str(tmp_path / "out"), "--quiet", *args
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("file", "change", "key"),
    [
        ("crypto.yaml", lambda d: d["ssh"].update(min_key_bits=-1), "ssh.min_key_bits"),
        ("crypto.yaml", lambda d: d["ssh"].update(min_version=7), "ssh.min_version"),
        ("crypto.yaml", lambda d: d["passwords"].update(strong_types=[]), "passwords.strong_types"),
        (
            "crypto.yaml",
            lambda d: d["passwords"].update(weak_types=["9"]),
            "passwords.strong_types",
        ),
        ("plan.yaml", lambda d: d["naming"].update(core_device="(unclosed"), "naming.core_device"),
        ("plan.yaml", lambda d: d.update(forbidden_vlans=[10]), "forbidden_vlans.0"),
        ("antivirus.yaml", lambda d: d["products"].append(d["products"][0]), "products"),
    ],
)
def test_policy_values_that_would_judge_nothing_exit_2(policies, file, change, key):
    edit_yaml(policies / file, change)
    _refused(cli("validate", "--policies", str(policies)), file, key)


def _waiver(**overrides):
    waiver = {
        "rule": "CRY-001",
        "device": "fgl-01-fw01",
        "reason": "r",
        "approver": "a",
        "expires": "2027-01-01",
    }
    return {**waiver, **overrides}


@pytest.mark.parametrize(
    ("waivers", "key"),
    [
        ([_waiver(reason="")], "waivers.0.reason"),
        ([_waiver(approver="")], "waivers.0.approver"),
        ([_waiver(), _waiver(expires="2028-01-01")], "waivers.1"),
        ([_waiver(device="no-such-host")], "waivers.0.device"),
    ],
)
def test_waivers_nobody_approved_or_for_nothing_exit_2(policies, waivers, key):
    edit_yaml(policies / "waivers.yaml", lambda d: d.update(waivers=waivers))
    _refused(cli("validate", "--policies", str(policies)), "waivers.yaml", key)


@pytest.mark.parametrize(
    ("file", "change", "key"),
    [
        ("hosts.yaml", lambda h: h.update({12345: h.pop("ben-01-rtr01")}), "12345"),
        ("hosts.yaml", lambda h: h.update({None: h.pop("ben-01-rtr01")}), "None"),
        ("hosts.yaml", lambda h: h["ben-01-rtr01"].update(port="abc"), "ben-01-rtr01.port"),
        ("hosts.yaml", lambda h: h["ben-01-rtr01"].update(port=99999), "ben-01-rtr01.port"),
        (
            "hosts.yaml",
            lambda h: h["ben-01-rtr01"].update(hostname=["a", "b"]),
            "ben-01-rtr01.hostname",
        ),
        ("defaults.yaml", lambda d: d.update(port=[1]), "defaults.port"),
        (
            "groups.yaml",
            lambda g: (
                g["router"].update(groups=["switch"]),
                g["switch"].update(groups=["router"]),
            ),
            "groups include each other",
        ),
    ],
)
def test_inventory_shapes_that_crashed_exit_2(inventory, file, change, key):
    edit_yaml(inventory / file, change)
    _refused(cli("validate", "--inventory", str(inventory)), file, key)


def test_console_evidence_quotes_only_the_columns_the_audit_reads():
    export = read_console(
        b"hostname;product;signature_date;tamper_protection_password\n"
        b"aml-01-srv02;ClamAV;2026-11-18;TamperPw4\n"
    )
    (row,) = export.rows
    assert "TamperPw4" not in row.line and row.line == "aml-01-srv02;ClamAV;2026-11-18"
