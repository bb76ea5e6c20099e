"""Policies load into validated models; every mistake names its file and key (exit 2 input)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from netaddr import IPAddress

from dalsnet_audit.errors import PolicyError
from dalsnet_audit.policy import load_policy
from dalsnet_audit.policy.plan import AddressPlan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_reference_policies_load():
    policy = load_policy(ROOT / "policies")
    assert [m.short for m in policy.plan.municipalities] == ["ben", "ded", "fgl", "mel", "aml"]
    assert policy.digest.startswith("sha256:")
    assert policy.zones.allowed("ped", "adm") is None
    assert policy.zones.allowed("ped", "srv").services == ("web",)


def test_missing_file_is_an_error_not_an_empty_pass(policies: Path):
    (policies / "zones.yaml").unlink()
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.path.endswith("zones.yaml")
    assert "missing" in str(info.value)


def test_unknown_key_names_file_and_key(policies: Path):
    edit(policies / "plan.yaml", lambda d: d["roles"][1].update(colour="red"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.path.endswith("plan.yaml")
    assert info.value.key == "roles.1.colour"


def test_overlapping_municipality_blocks(policies: Path):
    edit(policies / "plan.yaml", lambda d: d["municipalities"][1].update(block="10.41.128.0/17"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert "overlaps" in str(info.value)
    assert "municipalities.ben.block" in str(info.value)


def test_bad_prefix_with_host_bits(policies: Path):
    edit(policies / "plan.yaml", lambda d: d["core"].update(services="10.40.10.1/24"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.key == "core.services"
    assert "host bits" in str(info.value)


def test_not_a_prefix(policies: Path):
    edit(policies / "plan.yaml", lambda d: d.update(network="10.40.0.0/33"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.key == "network"


def test_unknown_zone_in_matrix(policies: Path):
    edit(policies / "zones.yaml", lambda d: d["allow"][0].update(to="kitchen"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.key == "allow.0.to"


def test_bad_severity(policies: Path):
    edit(policies / "rules.yaml", lambda d: d["rules"]["IP-001"].update(severity="urgent"))
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.key == "rules.IP-001.severity"


def test_invalid_yaml_names_line(policies: Path):
    (policies / "crypto.yaml").write_text("ipsec: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(policies)
    assert info.value.path.endswith("crypto.yaml")
    assert "YAML" in str(info.value)


def test_address_plan_places_addresses():
    plan = AddressPlan(load_policy(ROOT / "policies").plan)
    place = plan.place(IPAddress("10.44.19.7"))
    assert (place.municipality, place.role.name, place.site) == ("mel", "PED", 3)
    assert plan.place(IPAddress("10.46.0.1")).in_plan is False  # reserved
    assert plan.place(IPAddress("192.168.1.1")).in_plan is False
    assert plan.place(IPAddress("10.40.1.5")).core_block == "links"
    assert str(plan.site_subnet("mel", plan.roles_by_name["PED"], 3)) == "10.44.19.0/24"
