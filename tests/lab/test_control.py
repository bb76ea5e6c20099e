"""Starting and stopping the lab: state, persistent host keys, nothing left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from napalm import get_network_driver

from dalsnet_audit.lab import (
    LabCredentials,
    LabError,
    lab_credentials,
    lab_down,
    lab_status,
    lab_up,
    lab_up_synthetic,
)
from tests.lab.conftest import INVENTORY, SNAPSHOT


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def test_up_status_down_restart(tmp_path: Path) -> None:
    hosts = ["ben-01-sw02", "ben-01-srv01"]
    state = lab_up(SNAPSHOT, INVENTORY, tmp_path, hosts=hosts)
    status = lab_status(tmp_path)
    assert status is not None
    assert status["pid"] == state.pid and status["hosts"] == 2
    assert set(state.ssh_ports) == {"ben-01-sw02"} and set(state.snmp_ports) == {"ben-01-srv01"}
    with pytest.raises(LabError):
        lab_up(SNAPSHOT, INVENTORY, tmp_path, hosts=hosts)
    known_hosts = state.known_hosts.read_text(encoding="utf-8")
    snmpsim = __import__("json").loads((tmp_path / "state.json").read_text())["snmpsim_pid"]
    assert lab_down(tmp_path) is True
    assert lab_status(tmp_path) is None
    assert not _running(state.pid) and not _running(snmpsim)
    assert lab_down(tmp_path) is False

    again = lab_up(SNAPSHOT, INVENTORY, tmp_path, hosts=hosts)
    try:
        assert again.pid != state.pid
        assert again.ssh_ports == state.ssh_ports
        assert again.known_hosts.read_text(encoding="utf-8") == known_hosts
    finally:
        lab_down(tmp_path)
    assert not _running(again.pid)


def test_unknown_fault_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LabError):
        lab_up(SNAPSHOT, INVENTORY, tmp_path, faults={"ben-01-sw01": "melt"})


def test_synthetic_switches(tmp_path: Path) -> None:
    state = lab_up_synthetic(6, tmp_path)
    creds = lab_credentials()
    try:
        hosts = yaml.safe_load((state.inventory / "hosts.yaml").read_text(encoding="utf-8"))
        assert len(hosts) == state.hosts == 6
        name = "mel-01-sw01"
        assert hosts[name]["data"]["municipality"] == "mel" and hosts[name]["data"]["site"] == 1
        assert hosts[name]["data"]["role"] == "sw" and hosts[name]["platform"] == "ios"
        device = get_network_driver("ios")(
            "127.0.0.1",
            creds.username,
            creds.password,
            optional_args={"port": state.ssh_ports[name], "secret": creds.enable},
        )
        device.open()
        try:
            facts = device.get_facts()
            interfaces = device.get_interfaces()
        finally:
            device.close()
        assert facts["hostname"] == name and facts["model"] != "Unknown"
        assert len(interfaces) > 10
    finally:
        lab_down(tmp_path)


def test_credentials_from_environment() -> None:
    default = lab_credentials({})
    assert default == LabCredentials(
        "dalsnet",
        "dalsnet-lab",
        "dalsnet-enable",
        "dalsnet",
        "dalsnet-auth-key",
        "dalsnet-priv-key",
        "dalsnet-lab",
    )
    custom = lab_credentials({"DALSNET_PASSWORD": "s3cret", "DALSNET_SNMP_COMMUNITY": ""})
    assert custom.password == "s3cret" and custom.snmp_community == "dalsnet-lab"
    assert "s3cret" not in repr(custom)
    assert custom.as_environment()["DALSNET_PASSWORD"] == "s3cret"
    with pytest.raises(ValueError, match="8 characters"):
        lab_credentials({"DALSNET_SNMP_AUTH_KEY": "short"})
    assert os.environ.get("DALSNET_NOT_SET") is None
