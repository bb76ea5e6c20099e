"""Every real-output case folder is a test: the parser's reading equals its `expected.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .real_outputs import PROJECTIONS, RAW_SUFFIX, REAL, cases, project


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "real_case" in metafunc.fixturenames:
        found = cases()
        metafunc.parametrize("real_case", found, ids=[f"{p.parent.name}/{p.name}" for p in found])


def test_real_output_reads_as_expected(real_case: Path) -> None:
    expected = json.loads((real_case / "expected.json").read_text(encoding="utf-8"))
    assert project(real_case) == expected


def test_every_real_output_has_its_source_and_its_expectation() -> None:
    for case in sorted(p for p in REAL.glob("*/*") if p.is_dir()):
        assert (case / "SOURCE.md").is_file(), f"{case}: where did it come from?"
        raws = [p.stem for p in case.glob(f"*{RAW_SUFFIX}")]
        readable = [stem for stem in raws if stem in PROJECTIONS.get(case.parent.name, {})]
        if readable:
            assert (case / "expected.json").is_file(), f"{case}: no expected.json"
