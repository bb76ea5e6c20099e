"""Item 12 of the hardening issue: one report set at a time.

The out directory shows a whole set, the previous one or the new one, whenever it is read,
also when the writer is killed with SIGKILL in the middle of switching.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dalsnet_audit.report.publish import sets_dir

from .support import ROOT, audit_offline


def _run_id(out: Path) -> str:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))["run"]["id"]


def test_a_run_with_fewer_formats_leaves_only_its_own_files(tmp_path):
    out = tmp_path / "out"
    assert audit_offline(out, "--format", "html,json,csv,junit,md").exit_code in (1, 3)
    assert len(list(out.iterdir())) == 5
    assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]
    assert out.is_symlink()


def test_sets_are_kept_two_deep_and_no_temporaries_stay(tmp_path):
    out = tmp_path / "out"
    ids = []
    for _ in range(3):
        assert audit_offline(out, "--format", "json").exit_code in (1, 3)
        ids.append(_run_id(out))
    kept = sorted(p.name for p in sets_dir(out).iterdir())
    assert kept == sorted(ids[1:])
    # Beside the reports: their lock, their kept sets, and the history store (var/).
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".out.sets", "out", "var"]
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["history.sqlite"]


def test_a_second_audit_into_the_same_out_is_refused(tmp_path):
    out = tmp_path / "out"
    assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    before = _run_id(out)
    with (tmp_path / ".out.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = audit_offline(out, "--format", "json")
    assert result.exit_code == 2, result.output
    assert "another audit" in result.output
    assert _run_id(out) == before


_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
out, marker, snapshot = sys.argv[1:4]
real = Path.replace
def stalled(self, target):
    if ".link-" in self.name:
        Path(marker).write_text("switching")
        time.sleep(600)
    return real(self, target)
Path.replace = stalled
from dalsnet_audit.cli import app
sys.argv = ["dalsnet-audit", "audit", "--offline", snapshot, "--out", out,
            "--format", "json,html,csv", "--quiet"]
app()
"""


def test_killed_while_switching_the_old_set_stays_whole_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    assert audit_offline(out, "--format", "json,html,csv").exit_code in (1, 3)
    before = _run_id(out)
    files_before = sorted(p.name for p in out.iterdir())
    marker = tmp_path / "marker"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _KILLED_WRITER,
            str(out),
            str(marker),
            str(ROOT / "snapshots/reference"),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the writer never reached the switch"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(10)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert _run_id(out) == before, "the old set is still the one shown"
    assert sorted(p.name for p in out.iterdir()) == files_before
    assert list(tmp_path.glob(".out.link-*")), "the crash left its link behind"
    assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    assert _run_id(out) != before
    assert not list(tmp_path.glob(".out.link-*"))
    assert not list(sets_dir(out).glob(".staging-*"))


def test_a_report_directory_of_an_earlier_version_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text('{"run": {"id": "old"}}', encoding="utf-8")
    (out / "junit.xml").write_text("<testsuites/>", encoding="utf-8")
    (out / ".report.html.abc123.tmp").write_text("half", encoding="utf-8")
    assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    assert out.is_symlink() and sorted(p.name for p in out.iterdir()) == ["report.json"]
    (previous,) = [p for p in sets_dir(out).iterdir() if p.name.startswith("previous")]
    assert sorted(p.name for p in previous.iterdir()) == ["junit.xml", "report.json"]


def test_a_directory_with_other_files_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = audit_offline(out, "--format", "json")
    assert result.exit_code == 2 and "notes.txt" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_out_that_is_the_current_directory_is_refused_before_auditing(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for out in (Path(), work, tmp_path):
        result = audit_offline(out, "--format", "json")
        assert result.exit_code == 2 and "current directory" in result.output, result.output
    assert list(work.iterdir()) == []


def test_a_link_of_the_users_own_is_followed_once_and_shares_one_lock(tmp_path):
    target = tmp_path / "www" / "audit"
    target.mkdir(parents=True)
    link = tmp_path / "reports"
    link.symlink_to(target)
    for out in (link, link, target):
        assert audit_offline(out, "--format", "json").exit_code in (1, 3)
    sets = sorted(p.name for p in sets_dir(target).iterdir())
    assert len(sets) == 2 and all(not name.startswith(".") for name in sets)
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == [
        ".audit.lock",
        ".audit.sets",
        "audit",
        "var",  # one history beside the reports, whichever name led there
    ]
    assert (link / "report.json").is_file()


def test_something_in_the_way_of_the_sets_is_refused_before_auditing(tmp_path):
    (tmp_path / ".out.sets").write_text("not a directory", encoding="utf-8")
    result = audit_offline(tmp_path / "out", "--format", "json")
    assert result.exit_code == 2 and ".out.sets" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_directory_of_the_users_inside_the_sets_is_left_alone(tmp_path):
    notes = tmp_path / ".out.sets" / "my-notes"
    notes.mkdir(parents=True)
    (notes / "file.txt").write_text("keep", encoding="utf-8")
    for _ in range(3):
        assert audit_offline(tmp_path / "out", "--format", "json").exit_code in (1, 3)
    assert (notes / "file.txt").read_text(encoding="utf-8") == "keep"


def test_the_current_directory_through_a_linked_parent_is_refused(tmp_path, monkeypatch):
    work = tmp_path / "realparent" / "work"
    work.mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "lp").symlink_to(tmp_path / "realparent")
    monkeypatch.chdir(work)
    result = audit_offline(tmp_path / "other" / "lp" / "work", "--format", "json")
    assert result.exit_code == 2 and "current directory" in result.output, result.output
    assert list(work.iterdir()) == []
