"""Configuration changes between two runs' archives: volatile lines ignored, secrets masked."""

from __future__ import annotations

from pathlib import Path

from dalsnet_audit.history.diff import config_changes

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "snapshots" / "reference" / "configs" / "ded-01-rtr01.cfg"


def _archive(base: Path, name: str, text: str) -> Path:
    (base / name / "configs").mkdir(parents=True)
    (base / name / "configs" / "ded-01-rtr01.cfg").write_text(text, encoding="utf-8")
    return base / name


def test_a_changed_line_is_a_masked_unified_diff(tmp_path):
    text = REFERENCE.read_text(encoding="utf-8")
    before = _archive(tmp_path, "night1", "! Last configuration change at 01:00:00\n" + text)
    after = _archive(
        tmp_path,
        "night2",
        "! Last configuration change at 23:59:59\n"
        + text.replace(
            "logging host 10.40.10.10\n",
            "logging host 10.40.10.10\nsnmp-server community Hemligt123 RW\n",
        ),
    )
    (change,) = config_changes(before, after, ["ded-01-rtr01"]).values()
    assert "+snmp-server community ****** RW" in change
    assert "Hemligt123" not in change
    assert "Last configuration change" not in change  # volatile: not a change
    assert change.startswith("--- night1/ded-01-rtr01.cfg\n+++ night2/ded-01-rtr01.cfg\n")


def test_only_volatile_lines_changed_is_no_change(tmp_path):
    text = REFERENCE.read_text(encoding="utf-8")
    before = _archive(tmp_path, "a", "ntp clock-period 36028797018963968\n" + text)
    after = _archive(tmp_path, "b", "ntp clock-period 36028797018963971\n" + text)
    assert config_changes(before, after, ["ded-01-rtr01"]) == {}


def test_a_host_name_that_leaves_configs_is_not_read(tmp_path):
    before = _archive(tmp_path, "a", "hostname x\n")
    after = _archive(tmp_path, "b", "hostname y\n")
    (tmp_path / "a" / "secret.cfg").write_text("a\n")
    (tmp_path / "b" / "secret.cfg").write_text("b\n")
    assert config_changes(before, after, ["../secret"]) == {}
    assert list(config_changes(before, after, ["ded-01-rtr01"])) == ["ded-01-rtr01"]
