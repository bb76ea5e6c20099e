"""Each fault mode behaves as a broken device would."""

from __future__ import annotations

import asyncio
import time

import paramiko
import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout
from pysnmp.hlapi.v3arch.asyncio import SnmpEngine

from dalsnet_audit.lab import LabCredentials, LabState
from tests.lab.conftest import FAULTS, SNAPSHOT
from tests.lab.test_devices import _snmp_get, _usm


def fault_host(mode: str) -> str:
    return next(host for host, m in FAULTS.items() if m == mode)


def test_wrong_password_is_refused(lab: LabState, creds: LabCredentials) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        ConnectHandler(
            device_type="cisco_ios",
            host="127.0.0.1",
            port=lab.ssh_ports[fault_host("wrong_password")],
            username=creds.username,
            password=creds.password,
        )


def test_hang_times_out(lab: LabState, creds: LabCredentials) -> None:
    start = time.monotonic()
    with pytest.raises(ReadTimeout):
        ConnectHandler(
            device_type="cisco_ios",
            host="127.0.0.1",
            port=lab.ssh_ports[fault_host("hang")],
            username=creds.username,
            password=creds.password,
            read_timeout_override=1,
        )
    assert time.monotonic() - start < 15


def _shell(lab: LabState, creds: LabCredentials, host: str) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        "127.0.0.1",
        port=lab.ssh_ports[host],
        username=creds.username,
        password=creds.password,
        allow_agent=False,
        look_for_keys=False,
    )
    return client


def test_drop_closes_the_connection_inside_the_config(lab: LabState, creds: LabCredentials) -> None:
    host = fault_host("drop")
    client = _shell(lab, creds, host)
    try:
        channel = client.invoke_shell()
        channel.sendall(
            f"terminal length 0\nenable\n{creds.enable}\nshow running-config\n".encode()
        )
        received = b""
        channel.settimeout(10)
        while chunk := channel.recv(65536):
            received += chunk
        transport = client.get_transport()
        assert transport is None or not transport.is_active() or channel.closed
    finally:
        client.close()
    text = received.decode("utf-8", "replace").replace("\r\n", "\n")
    config = (SNAPSHOT / "configs" / f"{host}.cfg").read_text(encoding="utf-8")
    body = text.split("show running-config\n", 1)[1]
    assert body.startswith("Building configuration...")
    assert config.startswith(body) and len(body) < len(config)


def test_drop_fails_a_netmiko_session(lab: LabState, creds: LabCredentials) -> None:
    conn = ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=lab.ssh_ports[fault_host("drop")],
        username=creds.username,
        password=creds.password,
        secret=creds.enable,
        read_timeout_override=1,
    )
    conn.enable()
    with pytest.raises((ReadTimeout, OSError, EOFError)):
        conn.send_command("show running-config")
    assert not conn.is_alive()
    conn.disconnect()


def test_host_key_changed_differs_from_known_hosts(lab: LabState, creds: LabCredentials) -> None:
    known = paramiko.HostKeys(str(lab.known_hosts))
    for host, expect_match in ((fault_host("host_key_changed"), False), ("ben-01-sw01", True)):
        client = _shell(lab, creds, host)
        try:
            transport = client.get_transport()
            assert transport is not None
            served = transport.get_remote_server_key()
        finally:
            client.close()
        entry = known.lookup(f"[127.0.0.1]:{lab.ssh_ports[host]}")
        assert entry is not None
        assert (entry[served.get_name()] == served) is expect_match, host


def test_host_key_changed_is_rejected_by_a_strict_client(
    lab: LabState, creds: LabCredentials
) -> None:
    client = paramiko.SSHClient()
    client.load_host_keys(str(lab.known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    with pytest.raises(paramiko.BadHostKeyException):
        client.connect(
            "127.0.0.1",
            port=lab.ssh_ports[fault_host("host_key_changed")],
            username=creds.username,
            password=creds.password,
            allow_agent=False,
            look_for_keys=False,
        )
    client.close()


def test_silent_snmp_times_out(lab: LabState, creds: LabCredentials) -> None:
    async def poll() -> object:
        error, _ = await _snmp_get(
            SnmpEngine(), _usm(creds), lab.snmp_ports[fault_host("silent_snmp")], 0.5
        )
        return error

    error = asyncio.run(poll())
    assert error is not None and "timeout" in str(error).lower()
