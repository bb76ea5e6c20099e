"""Real clients against the lab: NAPALM and netmiko over SSH, pysnmp over SNMPv3."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
import yaml
from napalm import get_network_driver
from netmiko import ConnectHandler
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    get_cmd,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)

from dalsnet_audit.lab import LabCredentials, LabState
from tests.lab.conftest import FAULTS, SNAPSHOT

NAPALM_HEADER = re.compile(
    r"^(Building configuration.*|Current configuration :.*|! Last configuration change at.*"
    r"|! NVRAM config last updated at.*)$",
    re.M,
)
SYS_NAME = "1.3.6.1.2.1.1.5.0"


def snapshot_config(host: str) -> str:
    return (SNAPSHOT / "configs" / f"{host}.cfg").read_text(encoding="utf-8")


def napalm_ios(lab: LabState, creds: LabCredentials, host: str) -> Any:
    driver = get_network_driver("ios")
    return driver(
        "127.0.0.1",
        creds.username,
        creds.password,
        timeout=10,
        optional_args={"port": lab.ssh_ports[host], "secret": creds.enable},
    )


@pytest.mark.parametrize("host", ["ben-01-sw01", "mel-01-rtr01"])
def test_napalm_getters_answer_as_the_device(
    lab: LabState, creds: LabCredentials, host: str
) -> None:
    device = napalm_ios(lab, creds, host)
    device.open()
    try:
        facts = device.get_facts()
        config = device.get_config(retrieve="running")
        interfaces = device.get_interfaces()
        addresses = device.get_interfaces_ip()
        vlans = device.get_vlans()
        snmp = device.get_snmp_information()
        users = device.get_users()
        ntp = device.get_ntp_servers()
        shows = device.cli(["show ip ssh", "show interfaces status", "show version"])
    finally:
        device.close()
    assert facts["hostname"] == host
    assert facts["fqdn"] == f"{host}.dalsland.se"
    assert facts["serial_number"] not in ("", "Unknown")
    assert facts["model"] != "Unknown"
    assert facts["interface_list"] == list(interfaces)
    expected = NAPALM_HEADER.sub("", snapshot_config(host)).strip()
    assert config["running"] == expected
    assert any(i["is_up"] for i in interfaces.values())
    assert addresses and all("ipv4" in a for a in addresses.values())
    assert snmp["location"] != "unknown" and snmp["chassis_id"] == facts["serial_number"]
    assert "breakglass" in users
    assert ntp
    version = (SNAPSHOT / "show" / host / "show_version.txt").read_text(encoding="utf-8")
    assert shows["show version"].strip() == version.strip()
    assert shows["show ip ssh"].startswith("SSH Enabled")
    if host.endswith("sw01"):
        assert "Gi1/0/1" in shows["show interfaces status"]
        assert 10 in {int(v) for v in vlans} and vlans["10"]["interfaces"]
    else:
        assert "% Invalid input detected" in shows["show interfaces status"]
        assert vlans == {}


def test_napalm_interfaces_follow_the_config(lab: LabState, creds: LabCredentials) -> None:
    device = napalm_ios(lab, creds, "mel-01-rtr01")
    device.open()
    try:
        interfaces = device.get_interfaces()
        addresses = device.get_interfaces_ip()
    finally:
        device.close()
    config = snapshot_config("mel-01-rtr01")
    for name, intf in interfaces.items():
        block = config.split(f"\ninterface {name}\n", 1)[1].split("\n!", 1)[0]
        assert intf["is_enabled"] == ("\n shutdown" not in f"\n{block}")
        described = re.search(r"^ description (.+)$", block, re.M)
        assert intf["description"] == (described.group(1) if described else "")
    for name, families in addresses.items():
        for ip in families["ipv4"]:
            assert f"\ninterface {name}\n" in config and f" ip address {ip} " in config


def test_asa_running_config_equals_snapshot(lab: LabState, creds: LabCredentials) -> None:
    host = "ben-01-fw01"
    conn = ConnectHandler(
        device_type="cisco_asa",
        host="127.0.0.1",
        port=lab.ssh_ports[host],
        username=creds.username,
        password=creds.password,
        secret=creds.enable,
    )
    try:
        assert conn.find_prompt() == f"{host}#"
        config = conn.send_command("show running-config")
        version = conn.send_command("show version")
        invalid = conn.send_command("show nonsense")
    finally:
        conn.disconnect()
    assert config.strip() == snapshot_config(host).strip()
    assert "Cisco Adaptive Security Appliance Software" in version
    assert "% Invalid input detected" in invalid


def test_linux_shell(lab: LabState, creds: LabCredentials) -> None:
    host = "ben-01-srv02"
    conn = ConnectHandler(
        device_type="linux",
        host="127.0.0.1",
        port=lab.ssh_ports[host],
        username=creds.username,
        password=creds.password,
    )
    try:
        uname = conn.send_command("uname -a")
        hostname = conn.send_command("hostname")
        release = conn.send_command("cat /etc/os-release")
        missing = conn.send_command("frobnicate --now")
    finally:
        conn.disconnect()
    assert uname.startswith(f"Linux {host} ") and uname.endswith("GNU/Linux")
    assert hostname == host
    assert 'VERSION_ID="12"' in release
    assert "frobnicate: command not found" in missing


def test_served_inventory_points_at_the_lab(lab: LabState) -> None:
    hosts = yaml.safe_load((lab.inventory / "hosts.yaml").read_text(encoding="utf-8"))
    assert len(hosts) == lab.hosts == 46
    for name, entry in hosts.items():
        assert entry["hostname"] == "127.0.0.1"
        if name in lab.ssh_ports:
            assert entry["port"] == lab.ssh_ports[name]
        if entry["platform"] in ("linux", "windows"):
            assert entry["data"]["snmp"] == {
                "port": lab.snmp_ports[name],
                "version": 3,
                "context": "",
            }
    assert (lab.inventory / "groups.yaml").exists() and (lab.inventory / "defaults.yaml").exists()
    assert (lab.inventory / ".credentials").stat().st_mode & 0o077 == 0
    lines = lab.known_hosts.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(lab.ssh_ports)


async def _snmp_get(
    engine: SnmpEngine, auth: UsmUserData | CommunityData, port: int, timeout: float = 2.0
) -> tuple[Any, list[str]]:
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=timeout, retries=0)
    error, status, _, binds = await get_cmd(
        engine, auth, target, ContextData(), ObjectType(ObjectIdentity(SYS_NAME))
    )
    assert not status
    return error, [str(value) for _, value in binds]


def _usm(creds: LabCredentials) -> UsmUserData:
    return UsmUserData(
        creds.snmp_user,
        creds.snmp_auth_key,
        creds.snmp_priv_key,
        authProtocol=usmHMACSHAAuthProtocol,
        privProtocol=usmAesCfb128Protocol,
    )


def test_snmp_v3_each_server_answers_as_itself(lab: LabState, creds: LabCredentials) -> None:
    async def poll() -> dict[str, tuple[Any, list[str]]]:
        engine = SnmpEngine()
        return {
            host: await _snmp_get(engine, _usm(creds), port)
            for host, port in lab.snmp_ports.items()
            if FAULTS.get(host) != "silent_snmp"
        }

    answers = asyncio.run(poll())
    assert len(answers) == 11
    for host, (error, values) in answers.items():
        assert error is None, host
        assert values == [host]


def test_snmp_v2c_community(lab: LabState, creds: LabCredentials) -> None:
    async def poll() -> tuple[tuple[Any, list[str]], tuple[Any, list[str]]]:
        engine = SnmpEngine()
        port = lab.snmp_ports["mel-01-srv01"]
        good = await _snmp_get(engine, CommunityData(creds.snmp_community, mpModel=1), port)
        bad = await _snmp_get(engine, CommunityData("not-the-community", mpModel=1), port, 0.5)
        return good, bad

    good, bad = asyncio.run(poll())
    assert good == (None, ["mel-01-srv01"])
    assert bad[0] is not None and "timeout" in str(bad[0]).lower()
