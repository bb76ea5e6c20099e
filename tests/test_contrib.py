"""The shipped systemd units call the CLI with options it has, and treat verdicts as success."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from typer.testing import CliRunner

from dalsnet_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "contrib" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text().replace("\\\n", " "))
    return parser


def test_the_service_uses_only_options_the_audit_has():
    service = _unit("dalsnet-audit.service")["Service"]
    command = service["ExecStart"].split()
    assert command[0].endswith("/dalsnet-audit") and command[1] == "audit"
    help_text = CliRunner().invoke(app, ["audit", "--help"], env={"COLUMNS": "300"}).output
    options = [word for word in command[2:] if word.startswith("--")]
    assert options, command
    for option in options:
        assert re.search(rf"{re.escape(option)}\b", help_text), option
    assert set(service["SuccessExitStatus"].split()) == {"1", "3"}
    assert "--quiet" in options and "--log-json" in options


def test_the_timer_runs_nightly_and_catches_up():
    timer = _unit("dalsnet-audit.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* 02:00:00"
    assert timer["Persistent"] == "true"
