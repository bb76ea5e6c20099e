"""Every rule on its fixture cases: failing and passing, with the message keys that say why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dalsnet_audit.rules import REGISTRY

from .conftest import CASES, case_files, judge_case


@pytest.mark.parametrize("path", case_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_rule_case(path: Path, policy):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    findings = judge_case(path, policy)
    expect = case["expect"]
    device = expect.get("device", case["devices"][0]["name"])
    mine = [f for f in findings if f.device == device]
    assert mine, f"no finding for {device}: {findings}"
    assert sorted({f.status.value for f in mine}) == sorted(expect["statuses"]), [
        (f.status.value, f.message.key, f.message.params) for f in mine
    ]
    keys = {f.message.key.split(".", 1)[1] for f in mine}
    assert expect.get("keys"), "a case says why it passes or fails: expect.keys"
    assert set(expect["keys"]) <= keys, keys
    for text in expect.get("evidence_contains", []):
        assert any(text in line for f in mine for line in f.evidence), [f.evidence for f in mine]
    for text in expect.get("evidence_lacks", []):
        assert not any(text in line for f in findings for line in f.evidence)
    if "count" in expect:
        assert sum(1 for f in mine if f.status.value == "fail") == expect["count"]


def test_every_rule_has_failing_and_passing_cases():
    seen: dict[str, set[str]] = {}
    for path in case_files():
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        seen.setdefault(path.parent.name, set()).update(case["expect"]["statuses"])
    for rule_id in REGISTRY.ids():
        assert {"pass", "fail"} <= seen.get(rule_id, set()), (
            f"{rule_id}: cases cover {seen.get(rule_id)}"
        )


def test_case_folders_name_registered_rules():
    assert {p.name for p in CASES.iterdir() if p.is_dir()} <= set(REGISTRY.ids())
