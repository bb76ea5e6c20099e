"""The wheel carries what the tool needs at run time, and works installed, from anywhere.

Built with hatchling from this checkout; installed without its dependencies (they are in this
environment already) into a directory of its own, so nothing of the checkout is on the path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_CLI = "import sys; from dalsnet_audit.cli import app; sys.argv[0] = 'dalsnet-audit'; app()"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("dalsnet_audit-*.whl")
    return built


def test_the_wheel_carries_templates_catalogues_and_the_reference(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    repo_files = {
        f"dalsnet_audit/templates/{p.relative_to(ROOT / 'templates')}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert repo_files and repo_files <= names, sorted(repo_files - names)
    for name in ("inventory", "policies"):
        wanted = {f"dalsnet_audit/reference/{name}/{p.name}" for p in (ROOT / name).glob("*.yaml")}
        assert wanted and wanted <= names
    assert "dalsnet_audit/py.typed" in names
    assert any(n.startswith("dalsnet_audit/lab/refnet/templates/") for n in names)
    assert not any(n.startswith(("tests/", "snapshots/")) for n in names)


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


def _cli(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(installed))
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_installed_wheel_audits_and_renders_every_format_from_another_directory(
    installed: Path, tmp_path: Path
) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import dalsnet_audit; print(dalsnet_audit.__file__)"],
        env=dict(os.environ, PYTHONPATH=str(installed)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(installed)), where.stdout
    result = _cli(
        installed,
        tmp_path,
        "audit",
        "--offline",
        str(ROOT / "snapshots" / "reference"),
        "--inventory",
        str(ROOT / "inventory"),
        "--policies",
        str(ROOT / "policies"),
        "--out",
        "out",
        "--format",
        "html,md,json,junit,csv",
        "--quiet",
    )
    assert result.returncode == 1, result.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv",
        "junit.xml",
        "report.html",
        "report.json",
        "report.md",
    ]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["devices"]) == 46 and report["findings"]
    assert "Kommun" in (out / "report.html").read_text(encoding="utf-8")


def test_installed_init_writes_the_reference_inputs(installed: Path, tmp_path: Path) -> None:
    result = _cli(installed, tmp_path, "init", "site")
    assert result.returncode == 0, result.stderr
    for name in ("inventory", "policies"):
        written = sorted(p.name for p in (tmp_path / "site" / name).iterdir())
        assert written == sorted(p.name for p in (ROOT / name).iterdir())
    check = _cli(
        installed,
        tmp_path,
        "validate",
        "--inventory",
        "site/inventory",
        "--policies",
        "site/policies",
    )
    assert check.returncode == 0, check.stdout + check.stderr
