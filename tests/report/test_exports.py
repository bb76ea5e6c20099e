"""The reference audit's exports as their readers open them: findings.csv in a Swedish Excel
(BOM, `;`), junit.xml in Jenkins (its XSD), report.sarif in code scanning (the 2.1.0 schema,
with fingerprints and baseline states from the history)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema

from tests.nights import ROOT, SNAPSHOT, audit_night, night_with_telnet
from tests.report.test_report_junit import assert_valid

SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


def _audit(tmp: Path, snapshot: Path, name: str, history: str, lang: str = "sv"):
    return audit_night(
        snapshot, tmp / name, history=history, lang=lang, formats=("json", "csv", "junit", "sarif")
    )


def test_reference_exports_open_right(tmp_path):
    history = str(tmp_path / "history.sqlite")
    first = _audit(tmp_path, SNAPSHOT, "one", history)
    second = _audit(tmp_path, night_with_telnet(tmp_path / "night2"), "two", history)
    report = second.report

    # CSV: what Python's csv (and Excel) reads with `;` after the BOM.
    raw = second.files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with second.files["csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == len(report["findings"])
    assert {r["run_id"] for r in rows} == {report["run"]["id"]}
    assert {r["taken_at"] for r in rows} == {report["run"]["taken_at"]}
    telnet = next(r for r in rows if r["rule"] == "CRY-001" and r["device"] == "aml-02-sw01")
    assert telnet["title"] and telnet["section"] and telnet["municipality"] == "aml"
    assert "ä" in "".join(r["title"] for r in rows)  # Swedish titles survive the round trip

    # JUnit: Jenkins' schema.
    assert_valid(second.files["junit"].read_text(encoding="utf-8"))

    # SARIF: the OASIS schema; fingerprints; new and unchanged against the night before.
    log = json.loads(second.files["sarif"].read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    (run,) = log["runs"]
    assert len(run["tool"]["driver"]["rules"]) == len(report["rules"])
    states = {
        (r["ruleId"], r["properties"]["device"]): r.get("baselineState")
        for r in run["results"]
        if r["kind"] == "fail"
    }
    assert states[("CRY-001", "aml-02-sw01")] == "new"
    # Every other failure was there the night before.
    assert set(states.values()) == {"new", "unchanged"}
    assert [k for k, v in states.items() if v == "new"] == [("CRY-001", "aml-02-sw01")]
    fingerprints = {r["partialFingerprints"]["dalsnetFinding/v1"] for r in run["results"]}
    assert fingerprints <= {f["fingerprint"] for f in report["findings"]}
    located = next(r for r in run["results"] if r["ruleId"] == "CRY-001")
    place = located["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"].startswith("configs/") and place["region"]["startLine"]
    # The first night had nothing to compare with: no baseline states at all.
    first_log = json.loads(first.files["sarif"].read_text(encoding="utf-8"))
    assert all("baselineState" not in r for r in first_log["runs"][0]["results"])
