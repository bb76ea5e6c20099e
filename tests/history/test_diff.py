"""Two nights with a change between them: `diff`, the report's "new since the last run"
block and first-seen show exactly what changed (nightly operations issue, acceptance 1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from dalsnet_audit.cli import app
from tests.nights import SNAPSHOT, audit_night, copy_reference, edit

runner = CliRunner()


def _night(tmp: Path, snapshot: Path, history: str, name: str, lang: str = "en"):
    return audit_night(
        snapshot, tmp / name, history=history, lang=lang, formats=("json", "html", "md")
    )


def _changed_snapshot(tmp: Path) -> Path:
    """The reference, the next night: one violation fixed, one introduced, one device gone."""
    snapshot = copy_reference(tmp / "night2")
    configs = snapshot / "configs"
    # Fixed: ded-01-rtr01 now logs to both shared syslog servers (LOG-001).
    edit(
        configs / "ded-01-rtr01.cfg",
        "logging host 10.40.10.10\n",
        "logging host 10.40.10.10\nlogging host 10.40.10.11\n",
    )
    # Introduced: a clean switch stops logging failed logins (LOG-004).
    edit(configs / "aml-02-sw01.cfg", "login on-failure log\n", "")
    # Gone: mel-01-sw02 left no data tonight.
    (configs / "mel-01-sw02.cfg").unlink()
    shutil.rmtree(snapshot / "show" / "mel-01-sw02")
    return snapshot


def test_diff_shows_exactly_the_three_changes(history_url, tmp_path):
    first = _night(tmp_path, SNAPSHOT, history_url, "one")
    assert "since_last" not in first.report  # nothing recorded before it
    second = _night(tmp_path, _changed_snapshot(tmp_path), history_url, "two")

    result = runner.invoke(app, ["diff", "--history", history_url, "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert (changes["run_a"], changes["run_b"]) == (
        first.report["run"]["id"],
        second.report["run"]["id"],
    )
    assert [(f["rule"], f["device"]) for f in changes["new"]] == [("LOG-004", "aml-02-sw01")]
    assert [(f["rule"], f["device"]) for f in changes["resolved"]] == [("LOG-001", "ded-01-rtr01")]
    (gone,) = changes["unreachable"]
    assert (gone["device"], gone["status"]) == ("mel-01-sw02", "no_data")
    # What follows from it is listed with it: no configuration backup tonight (STD-005).
    assert [(f["rule"], f["device"]) for f in gone["failures"]] == [("STD-005", "mel-01-sw02")]
    assert changes["reachable"] == [] and changes["waivers_added"] == []
    assert all(len(f["fingerprint"]) == 16 for f in changes["new"] + changes["resolved"])
    # The configurations each night read, as unified diffs (mel-01-sw02 has none tonight).
    configs = changes["config_changes"]
    assert sorted(configs) == ["aml-02-sw01", "ded-01-rtr01"]
    assert "\n-login on-failure log\n" in configs["aml-02-sw01"]
    assert "\n+logging host 10.40.10.11\n" in configs["ded-01-rtr01"]

    # The same block opens the second night's report.
    since = second.report["since_last"]
    assert [(f["rule"], f["device"]) for f in since["new"]] == [("LOG-004", "aml-02-sw01")]
    html = second.files["html"].read_text(encoding="utf-8")
    block = html[html.index('<section id="since-last">') :]
    block = block[: block.index("</section>")]
    assert "New since the last run" in block
    assert "<td><code>aml-02-sw01</code></td><td>LOG-004</td>" in block
    assert "<td><code>ded-01-rtr01</code></td><td>LOG-001</td>" in block
    assert "<code>mel-01-sw02</code>" in block
    assert "New since the last run" in second.files["md"].read_text(encoding="utf-8")

    # An unchanged failure keeps the night it was first seen; the new one is tonight's.
    seen = {(f["rule"], f["device"]): f["first_seen"] for f in second.report["findings"]}
    assert seen[("CRY-001", "ben-01-sw01")]["run"] == first.report["run"]["id"]
    assert seen[("LOG-004", "aml-02-sw01")]["run"] == second.report["run"]["id"]

    # The reports say it too.
    first_run = first.report["run"]["id"]
    first_date = first.report["run"]["started"][:10]
    assert f"First seen {first_date} (run {first_run})" in html

    text = runner.invoke(app, ["diff", "--history", history_url])
    assert "new failures: 1" in text.output and "LOG-004 aml-02-sw01" in text.output
    assert "no longer audited: 1" in text.output and "mel-01-sw02 (no_data" in text.output


def test_report_re_renders_a_recorded_run_in_the_other_language(tmp_path):
    history = str(tmp_path / "history.sqlite")
    _night(tmp_path, SNAPSHOT, history, "zero", lang="sv")
    night = _night(tmp_path, _changed_snapshot(tmp_path), history, "one", lang="sv")
    (swedish,) = night.report["since_last"]["new"]
    result = runner.invoke(
        app,
        [
            "report",
            night.report["run"]["id"],
            "--history",
            history,
            "--out",
            str(tmp_path / "again"),
            "--format",
            "json,md",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    again = json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))
    message = {(f["rule"], f["device"]): f["message"] for f in again["findings"]}
    assert message[("LOG-004", "aml-02-sw01")] == "Failed logins are not logged."
    # The block "new since the last run" too: it was recorded in Swedish.
    (new,) = again["since_last"]["new"]
    assert new["message"] == message[("LOG-004", "aml-02-sw01")] != swedish["message"]
    assert again["run"]["id"] == night.report["run"]["id"] and again["run"]["lang"] == "en"


def test_diff_and_report_without_runs_exit_2(tmp_path):
    history = str(tmp_path / "history.sqlite")
    assert runner.invoke(app, ["diff", "--history", history]).exit_code == 2
    assert runner.invoke(app, ["report", "--history", history]).exit_code == 2
