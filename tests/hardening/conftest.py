"""Copies of the reference inventory, policies and snapshot that a test may spoil."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import ROOT, SNAPSHOT


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    target = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", target)
    return target


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    target = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT, target)
    return target
