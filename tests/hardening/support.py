"""Helpers of the hardening tests: spoil a YAML file, run the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner, Result

from dalsnet_audit.cli import app

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
runner = CliRunner()


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cli(*args: str) -> Result:
    return runner.invoke(app, list(args))


def audit_offline(
    out: Path,
    *args: str,
    inventory: Path = ROOT / "inventory",
    policies: Path = ROOT / "policies",
    snapshot: Path = SNAPSHOT,
) -> Result:
    return cli(
        "audit",
        "--inventory",
        str(inventory),
        "--policies",
        str(policies),
        "--offline",
        str(snapshot),
        "--out",
        str(out),
        "--quiet",
        *args,
    )
