"""The lab's SNMP side: ``snmpsim-command-responder`` serving each host's ``.snmprec``.

Each host gets its own SNMP engine on its own UDP port on 127.0.0.1, like a real agent: SNMPv2c
with the lab community and SNMPv3 authPriv (HMAC-SHA-96, AES-128) with the lab user, default
(empty) context. In snmpsim a data file's name is the v2c community and the v3 context, so each
engine's data directory holds the host's data twice (hard links): ``<community>.snmprec`` for
v2c (and v3 context ``<community>``), and ``self.snmprec``, which snmpsim selects for a v3
request with the empty context. One side effect: the community ``self`` is accepted too.
"""

from __future__ import annotations

import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dalsnet_audit.lab.credentials import LabCredentials

LOOPBACK = "127.0.0.1"
SYS_NAME = "1.3.6.1.2.1.1.5.0"


@dataclass(frozen=True, slots=True)
class SnmpAgent:
    """One host's agent.

    Attributes:
        name: Inventory host name.
        snmprec: The host's ``.snmprec`` file.
        port: UDP port on 127.0.0.1.
    """

    name: str
    snmprec: Path
    port: int


def free_udp_port(wanted: int = 0) -> socket.socket:
    """Bind a UDP socket on 127.0.0.1, to ``wanted`` if free, else to a free port.

    Args:
        wanted: Preferred port, 0 for any.

    Returns:
        The bound socket (close it right before the agent binds the port, or keep it to hold
        the port silently).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((LOOPBACK, wanted))
    except OSError:
        sock.bind((LOOPBACK, 0))
    return sock


def _link_or_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def snmpsim_command(
    agents: list[SnmpAgent], credentials: LabCredentials, work_dir: Path
) -> list[str]:
    """Lay out the data directories and return the ``snmpsim-command-responder`` command.

    Args:
        agents: The agents to serve, one SNMP engine each.
        credentials: Community, v3 user and keys.
        work_dir: ``state_dir/snmp``; ``data/<host>/`` and ``cache/`` are made below it.

    Returns:
        The command line (run with the lab's Python).
    """
    data_root = work_dir / "data"
    shutil.rmtree(data_root, ignore_errors=True)
    (work_dir / "cache").mkdir(parents=True, exist_ok=True)
    (work_dir / "variation").mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "snmpsim.commands.responder",
        f"--cache-dir={work_dir / 'cache'}",
        f"--variation-modules-dir={work_dir / 'variation'}",
        "--log-level=error",
    ]
    for agent in agents:
        data = data_root / agent.name
        data.mkdir(parents=True)
        community_file = data / f"{credentials.snmp_community}.snmprec"
        shutil.copyfile(agent.snmprec, community_file)
        _link_or_copy(community_file, data / "self.snmprec")
        command += [
            "--v3-engine-id=auto",
            f"--data-dir={data}",
            f"--agent-udpv4-endpoint={LOOPBACK}:{agent.port}",
            f"--v3-user={credentials.snmp_user}",
            f"--v3-auth-key={credentials.snmp_auth_key}",
            "--v3-auth-proto=SHA",
            f"--v3-priv-key={credentials.snmp_priv_key}",
            "--v3-priv-proto=AES",
        ]
    return command


def start_snmpsim(
    command: list[str], sink: Callable[[str], None] | None = None
) -> subprocess.Popen[bytes]:
    """Start snmpsim (it refuses to run as root unless ``SNMPSIM_ALLOW_ROOT`` is set).

    Args:
        command: From :func:`snmpsim_command`.
        sink: Receives each line snmpsim prints (the lab logs it, masked); dropped when None.

    Returns:
        The running process.
    """
    env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if sink else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env=env,
    )
    if sink is not None and process.stdout is not None:
        stream = process.stdout

        def pump() -> None:
            for raw in stream:
                sink(raw.decode("utf-8", errors="replace").rstrip())

        threading.Thread(target=pump, name="snmpsim-output", daemon=True).start()
    return process


def _ber_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _ber_length(len(value)) + value


def _ber_int(n: int) -> bytes:
    return _tlv(0x02, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))


def _ber_oid(oid: str) -> bytes:
    parts = [int(p) for p in oid.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        rest = part >> 7
        chunk = [part & 0x7F]
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        body += bytes(reversed(chunk))
    return _tlv(0x06, bytes(body))


def v2c_get_packet(community: str, oid: str, request_id: int) -> bytes:
    """Encode an SNMPv2c GetRequest for one OID.

    Args:
        community: Community string.
        oid: Dotted OID.
        request_id: PDU request id.

    Returns:
        The datagram.
    """
    varbind = _tlv(0x30, _ber_oid(oid) + b"\x05\x00")
    pdu = _tlv(0xA0, _ber_int(request_id) + _ber_int(0) + _ber_int(0) + _tlv(0x30, varbind))
    return _tlv(0x30, _ber_int(1) + _tlv(0x04, community.encode()) + pdu)


def wait_agents(
    ports: list[int],
    community: str,
    timeout: float,
    alive: subprocess.Popen[bytes] | None = None,
) -> list[int]:
    """Poll agents with SNMPv2c GETs of sysName.0 until each has answered.

    Args:
        ports: UDP ports on 127.0.0.1.
        community: The v2c community.
        timeout: Seconds to wait in all.
        alive: Stop early when this process exits.

    Returns:
        The ports that never answered (empty when all did).
    """
    waiting = set(ports)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        while waiting and time.monotonic() < deadline:
            if alive is not None and alive.poll() is not None:
                break
            for port in waiting:
                packet = v2c_get_packet(community, SYS_NAME, secrets.randbelow(2**31))
                sock.sendto(packet, (LOOPBACK, port))
            until = time.monotonic() + 0.3
            while (left := until - time.monotonic()) > 0:
                ready, _, _ = select.select([sock], [], [], left)
                if not ready:
                    break
                try:
                    _, (_, port) = sock.recvfrom(65535)
                except ConnectionRefusedError:
                    continue
                waiting.discard(port)
    return sorted(waiting)
