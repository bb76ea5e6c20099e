from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from dalsnet_audit.report import publish as publish_module
from dalsnet_audit.report import write as write_module
from dalsnet_audit.report.write import FILE_NAMES, write_reports


def test_writes_exactly_the_requested_files(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "20261126"
    written = write_reports(report, out, ["html", "json"], templates_dir)
    assert written == {"html": out / "report.html", "json": out / "report.json"}
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == report
    assert '<html lang="sv">' in (out / "report.html").read_text(encoding="utf-8")


def test_all_formats(report: dict[str, Any], templates_dir: Path, tmp_path: Path) -> None:
    written = write_reports(report, tmp_path, FILE_NAMES, templates_dir, lang="en")
    assert {p.name for p in written.values()} == set(FILE_NAMES.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES.values())
    ET.parse(written["junit"])
    assert "## Compliance by municipality" in written["md"].read_text(encoding="utf-8")
    text = written["json"].read_text(encoding="utf-8")
    assert "Åmål" in text  # ensure_ascii off
    assert text.startswith('{\n  "run"')  # indent 2, keys not sorted


def test_unknown_format_is_named(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="pdf"):
        write_reports(report, tmp_path / "out", ["html", "pdf"], templates_dir)
    assert not (tmp_path / "out").exists()


def test_rendering_error_leaves_out_dir_untouched(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise RuntimeError("template exploded")

    monkeypatch.setattr(write_module, "render_html", broken)
    with pytest.raises(RuntimeError, match="template exploded"):
        write_reports(report, tmp_path, ["json", "csv", "html"], templates_dir)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"


def test_bad_report_writes_nothing(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path
) -> None:
    del report["run"]["id"]
    with pytest.raises(Exception, match="id"):
        write_reports(report, tmp_path, ["json", "html"], templates_dir)
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_reports_and_no_temp_files(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "report.json").write_text("previous", encoding="utf-8")
    calls = {"n": 0}
    real_fsync = publish_module.os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(publish_module.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_reports(report, tmp_path, ["json", "csv"], templates_dir)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "previous"
    assert not list(publish_module.sets_dir(tmp_path).glob(".staging-*"))


def test_replaces_previous_reports(
    report: dict[str, Any], templates_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "findings.csv").write_text("old", encoding="utf-8")
    write_reports(report, tmp_path, ["csv"], templates_dir)
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8-sig").startswith("run_id;")
    assert (tmp_path / "findings.csv").stat().st_mode & 0o777 == 0o644


def test_unsupported_language(report: dict[str, Any], templates_dir: Path, tmp_path: Path) -> None:
    report["run"]["lang"] = "no"
    with pytest.raises(ValueError, match="no"):
        write_reports(report, tmp_path, ["md"], templates_dir)
    assert list(tmp_path.iterdir()) == []
