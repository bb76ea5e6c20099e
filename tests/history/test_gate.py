"""The change-control gate: a candidate judged with the last audited state of the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml
from typer.testing import CliRunner

from dalsnet_audit.cli import app
from dalsnet_audit.history import HistoryStore
from tests.nights import ROOT, SNAPSHOT, audit_night, copy_reference

CLEAN = SNAPSHOT / "configs" / "aml-02-sw01.cfg"  # a compliant switch of the reference
NEW_HOST = ["--platform", "ios", "--municipality", "aml", "--site", "2", "--role", "sw"]
runner = CliRunner()


def gate(history: str, *args: str):
    return runner.invoke(
        app,
        [
            "gate",
            "--inventory",
            str(ROOT / "inventory"),
            "--policies",
            str(ROOT / "policies"),
            "--history",
            history,
            "--lang",
            "en",
            *args,
        ],
    )


@pytest.fixture
def audited(history_url, tmp_path) -> str:
    """A history holding one audited night of the reference network."""
    audit_night(SNAPSHOT, tmp_path / "reports", history=history_url)
    return history_url


def test_with_an_empty_history_the_gate_cannot_decide_and_says_why(history_url):
    result = gate(history_url, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 3, result.output
    assert "UNDECIDED" in result.output
    assert "no audited state of the whole network" in result.output
    assert "no run recorded" in result.output


def test_a_clean_candidate_passes(audited):
    result = gate(audited, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS: aml-02-sw01")


def test_a_candidate_with_a_used_address_and_telnet_is_blocked_naming_both(audited, tmp_path):
    candidate = tmp_path / "aml-02-sw03.cfg"
    text = CLEAN.read_text(encoding="utf-8")
    assert " transport input ssh\n" in text
    candidate.write_text(
        text.replace(" transport input ssh\n", " transport input telnet ssh\n").replace(
            "hostname aml-02-sw01\n", "hostname aml-02-sw03\n"
        ),
        encoding="utf-8",
    )
    junit = tmp_path / "gate.xml"
    result = gate(
        audited,
        "--host", "aml-02-sw03", "--config", str(candidate), *NEW_HOST,
        "--junit", str(junit), "--change-id", "CHG-4711",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.output.startswith("BLOCKED: aml-02-sw03 (change CHG-4711)")
    assert "CRY-001 aml-02-sw03: line vty 0 4 accepts telnet." in result.output
    assert "transport input telnet ssh" in result.output  # the line, with its number
    # The address is in use on the audited aml-02-sw01: both are named.
    assert "IP-004 *: 10.45.2.1 is used on several interfaces: aml-02-sw01 Vlan10, aml-02-sw03" in (
        result.output
    )
    assert "fix:" in result.output and " transport input ssh" in result.output

    xml = JUnitXml.fromfile(str(junit))
    failed = [
        case.name
        for suite in xml
        for case in suite
        if any(isinstance(r, Failure) for r in case.result)
    ]
    assert any("CRY-001" in name for name in failed) and any("IP-004" in name for name in failed)

    store = HistoryStore(audited)
    (verdict,) = store.gate_verdicts()
    store.dispose()
    assert (verdict["host"], verdict["change_id"], verdict["exit_code"]) == (
        "aml-02-sw03",
        "CHG-4711",
        1,
    )


def test_a_new_host_without_its_description_is_bad_input(audited):
    result = gate(audited, "--host", "aml-02-sw09", "--config", str(CLEAN))
    assert result.exit_code == 2
    assert "--platform" in result.output and "aml-02-sw09" in result.output


def _audit(history: str, out: Path, snapshot: Path = SNAPSHOT, *filters: str) -> str:
    return audit_night(snapshot, out, history=history, filters=filters).report["run"]["id"]


def test_a_filtered_run_is_not_the_network_the_gate_judges_against(history_url, tmp_path):
    # Only a run narrowed to one switch: the rest of the network was not seen, never a pass.
    narrow = _audit(history_url, tmp_path / "a", SNAPSHOT, "name=ben-01-sw01")
    result = gate(history_url, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 3, result.output
    assert f"run {narrow} did not audit 44 host(s)" in result.output
    # A whole night before it is what the gate uses, though a narrower run came later.
    whole = _audit(history_url, tmp_path / "b")
    _audit(history_url, tmp_path / "c", SNAPSHOT, "name=ben-01-sw01")
    result = gate(history_url, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 0, result.output
    assert f"(network of run {whole})" in result.output


def test_the_gate_finds_the_snapshot_from_another_directory(tmp_path, monkeypatch):
    history = str(tmp_path / "history.sqlite")
    monkeypatch.chdir(ROOT)
    _audit(history, tmp_path / "reports", Path("snapshots/reference"))  # a relative path
    monkeypatch.chdir(tmp_path)
    result = gate(history, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text", ["", "\x00\x01 not a configuration \xff\n" * 3])
def test_an_empty_or_garbage_candidate_is_bad_input(audited, tmp_path, text):
    candidate = tmp_path / "candidate.cfg"
    candidate.write_text(text, encoding="utf-8")
    result = gate(audited, "--host", "aml-02-sw01", "--config", str(candidate))
    assert result.exit_code == 2, result.output
    assert str(candidate) in result.output.replace("\n", "")


def test_a_rule_at_or_above_fail_on_the_gate_cannot_judge_makes_it_undecided(history_url, tmp_path):
    """The last audit did not read the switch's model (no `show version`): from a configuration
    alone STD-002 (high) cannot be judged, and the gate says so instead of passing."""
    night = copy_reference(tmp_path / "night")
    (night / "show" / "aml-02-sw01" / "show_version.txt").unlink()
    _audit(history_url, tmp_path / "a", night)
    result = gate(history_url, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 3, result.output
    assert result.output.startswith("UNDECIDED: aml-02-sw01")
    assert "could not be judged (STD-002" in result.output


def test_a_configuration_candidate_is_judged_with_the_model_the_last_audit_read(audited):
    """STD-002 is judged (not undecided) for a known switch: its model is the one audited."""
    result = gate(audited, "--host", "aml-02-sw01", "--config", str(CLEAN))
    assert result.exit_code == 0, result.output
    verdicts = HistoryStore(audited)
    try:
        recorded = verdicts.gate_verdicts()
    finally:
        verdicts.dispose()
    assert [(v["host"], v["exit_code"]) for v in recorded] == [("aml-02-sw01", 0)]


def test_an_undecided_gate_writes_its_junit_and_records_its_verdict(history_url, tmp_path):
    junit = tmp_path / "gate.xml"
    result = gate(
        history_url, "--host", "aml-02-sw01", "--config", str(CLEAN), "--junit", str(junit),
        "--change-id", "CHG-7",
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    xml = JUnitXml.fromfile(str(junit))
    cases = [case for suite in xml for case in suite if suite.name == "dalsnet-audit.gate"]
    assert [(c.classname, c.name) for c in cases] == [("aml.aml-02-sw01", "verdict")]
    assert cases[0].result and cases[0].result[0].type == "undecided"
    from lxml import etree  # noqa: PLC0415

    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "schemas" / "jenkins-junit-10.xsd")))
    assert schema.validate(etree.parse(str(junit))), schema.error_log
    store = HistoryStore(history_url)
    try:
        recorded = store.gate_verdicts()
    finally:
        store.dispose()
    assert [(v["host"], v["exit_code"], v["change_id"]) for v in recorded] == [
        ("aml-02-sw01", 3, "CHG-7")
    ]
