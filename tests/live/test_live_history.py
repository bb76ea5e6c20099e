"""Two live nights against the lab, recorded in the history: `diff` shows the configuration
that changed between the two runs' archives, and `--keep-runs` prunes a run with its archive."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from dalsnet_audit.cli import app
from dalsnet_audit.history import HistoryStore
from dalsnet_audit.lab import lab_down, lab_up

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
HOSTS = ["ded-01-rtr01", "aml-02-sw01"]
runner = CliRunner()


def _night(snapshot: Path, tmp: Path, history: str, *extra: str):
    """Serve `snapshot` (two hosts), audit it live with an archive, stop the lab."""
    state_dir = tmp / "lab"
    state = lab_up(snapshot, ROOT / "inventory", state_dir, hosts=HOSTS)
    try:
        return runner.invoke(
            app,
            [
                "audit", "--inventory", str(state.inventory), "--policies", str(ROOT / "policies"),
                "--out", str(tmp / "reports"), "--archive", str(tmp / "archive"),
                "--history", history, "--known-hosts", str(state.known_hosts),
                "--format", "json", "-q", *extra,
            ],
        )  # fmt: skip
    finally:
        lab_down(state_dir)


def test_live_nights_diff_their_configurations_and_keep_runs_prunes(tmp_path):
    history = str(tmp_path / "history.sqlite")
    snapshot = tmp_path / "served"
    shutil.copytree(SNAPSHOT, snapshot)
    assert _night(snapshot, tmp_path, history).exit_code == 1
    # Between the nights someone fixes ded-01-rtr01's logging and changes its enable secret.
    config = snapshot / "configs" / "ded-01-rtr01.cfg"
    text = config.read_text(encoding="utf-8")
    assert "logging host 10.40.10.10\n" in text
    secret_line = next(line for line in text.splitlines() if line.startswith("enable secret 9 "))
    secret = secret_line.split()[3]
    text = text.replace(
        "logging host 10.40.10.10\n", "logging host 10.40.10.10\nlogging host 10.40.10.11\n"
    )
    config.write_text(
        text.replace(secret_line, secret_line.replace(secret, "$9$N3wS3cretHash")), encoding="utf-8"
    )
    second = _night(snapshot, tmp_path, history)
    assert second.exit_code == 1, second.output

    result = runner.invoke(app, ["diff", "--history", history, "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert [(f["rule"], f["device"]) for f in changes["resolved"]] == [("LOG-001", "ded-01-rtr01")]
    assert list(changes["config_changes"]) == ["ded-01-rtr01"]
    change = changes["config_changes"]["ded-01-rtr01"]
    assert "\n+logging host 10.40.10.11\n" in change
    # The changed secret shows as its line removed and added, masked both times.
    masked = secret_line.replace(secret, "******")
    assert f"\n-{masked}\n" in change and f"\n+{masked}\n" in change
    assert secret not in change and "$9$N3wS3cretHash" not in change

    store = HistoryStore(history)
    first_run, second_run = [r.id for r in reversed(store.runs())]
    archives = {r.id: Path(r.archive) for r in store.runs()}
    store.dispose()
    assert all(path.is_absolute() and path.is_dir() for path in archives.values())
    # A third night with --keep-runs 2 drops the first run and the archive it wrote.
    assert _night(snapshot, tmp_path, history, "--keep-runs", "2").exit_code == 1
    store = HistoryStore(history)
    kept = [r.id for r in store.runs()]
    store.dispose()
    assert len(kept) == 2 and first_run not in kept and second_run in kept
    assert not archives[first_run].exists() and archives[second_run].is_dir()
