"""The lab's SSH side: one asyncssh listener per device on 127.0.0.1.

Input is read raw and each line is echoed when it is handled. asyncssh's line editor echoes
keystrokes as they arrive instead, and under parallel load netmiko then reads ``sw#sw#`` as the
prompt (see ``shared/notes/lab-and-libraries.md``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from dalsnet_audit.lab.cli_common import DeviceCli, Reply
from dalsnet_audit.lab.credentials import LabCredentials

LOOPBACK = "127.0.0.1"
FAULTS = frozenset({"wrong_password", "hang", "drop", "silent_snmp", "host_key_changed"})
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SshDevice:
    """One simulated device behind one SSH port.

    Attributes:
        name: Inventory host name.
        new_session: Creates the command line of one session.
        host_key: The key the server presents.
        fault: The host's fault mode, if any.
        software: What the SSH version string names (``Cisco-1.25``, ``OpenSSH_9.2p1``).
    """

    name: str
    new_session: Callable[[], DeviceCli]
    host_key: asyncssh.SSHKey
    fault: str | None = None
    software: str = "Cisco-1.25"


def load_host_key(directory: Path, name: str) -> asyncssh.SSHKey:
    """Return the Ed25519 host key ``directory/name``, generating and saving it the first time.

    Args:
        directory: ``state_dir/hostkeys``.
        name: File name (host name, or ``<host>.changed`` for the changed-key fault).

    Returns:
        The private key.

    Raises:
        ValueError: ``name`` would lead outside ``directory``.
    """
    path = directory / name
    if path.parent.resolve() != directory.resolve() or path.is_symlink():
        raise ValueError(f"host key {name!r} would lie outside {directory}")
    if path.exists():
        return asyncssh.read_private_key(path)
    directory.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519", comment=name)
    key.write_private_key(path)
    path.chmod(0o600)
    return key


def known_hosts_line(port: int, key: asyncssh.SSHKey) -> str:
    """Return a ``known_hosts`` line for a key served on ``127.0.0.1:port``.

    Args:
        port: The SSH port.
        key: The host key (private or public).

    Returns:
        ``[127.0.0.1]:<port> <type> <base64>`` without a line end.
    """
    algorithm, blob = key.export_public_key("openssh").decode().split()[:2]
    return f"[{LOOPBACK}]:{port} {algorithm} {blob}"


class _Login(asyncssh.SSHServer):
    """Password authentication against the lab credentials (or refused, for the fault)."""

    def __init__(self, credentials: LabCredentials, fault: str | None) -> None:
        self._credentials = credentials
        self._fault = fault

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self._fault == "wrong_password":
            return False
        return username == self._credentials.username and password == self._credentials.password


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


async def _read(process: asyncssh.SSHServerProcess[str]) -> str:
    """Next chunk of input; '' at end of input. Window changes and breaks are ignored."""
    while True:
        try:
            return await process.stdin.read(4096)
        except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived, asyncssh.SignalReceived):
            continue


async def _write_reply(
    process: asyncssh.SSHServerProcess[str], cli: DeviceCli, reply: Reply
) -> bool:
    """Write a reply and the next prompt; return False when the session has ended."""
    if reply.drop:
        process.stdout.write(_crlf(reply.output[: len(reply.output) // 2]))
        with contextlib.suppress(Exception):
            await process.stdout.drain()
        conn = process.get_extra_info("connection")
        if conn is not None:
            conn.abort()
        return False
    process.stdout.write(_crlf(reply.output))
    if reply.close:
        process.exit(0)
        return False
    if not reply.secret:
        process.stdout.write(cli.prompt)
    return True


async def run_session(process: asyncssh.SSHServerProcess[str], device: SshDevice) -> None:
    """Serve one SSH session: a shell (prompt, echo, commands) or a single exec command.

    Args:
        process: The asyncssh session.
        device: The device it belongs to.
    """
    cli = device.new_session()
    try:
        if device.fault == "hang":
            if not process.command:
                process.stdout.write(_crlf(cli.banner()) + cli.prompt)
            while await _read(process):
                pass
            return
        if process.command:
            process.stdout.write(_crlf(cli.handle(process.command).output))
            process.exit(0)
            return
        process.stdout.write(_crlf(cli.banner()) + cli.prompt)
        await _shell(process, cli)
    except (asyncssh.Error, BrokenPipeError, ConnectionError):
        return
    finally:
        if not process.is_closing():
            process.exit(0)


async def _shell(process: asyncssh.SSHServerProcess[str], cli: DeviceCli) -> None:
    pending = ""
    secret = False
    skip_lf = False
    while True:
        data = await _read(process)
        if not data:
            return
        if skip_lf and data.startswith("\n"):
            data = data[1:]
        skip_lf = False
        pending += data
        while (found := _LINE_END.search(pending)) is not None:
            skip_lf = found.group() == "\r" and found.end() == len(pending)
            line, pending = pending[: found.start()], pending[found.end() :]
            if secret:
                secret = False
                process.stdout.write("\r\n")
                reply = cli.handle_secret(line)
            else:
                process.stdout.write(line + "\r\n")
                reply = cli.handle(line)
            if not await _write_reply(process, cli, reply):
                return
            secret = reply.secret


async def start_ssh_servers(
    devices: list[SshDevice], credentials: LabCredentials, ports: dict[str, int]
) -> tuple[dict[str, int], list[asyncssh.SSHAcceptor]]:
    """Start one listener per device on 127.0.0.1.

    Args:
        devices: The devices to serve.
        credentials: What password authentication accepts.
        ports: Wanted port per host; a host missing here, or whose port is taken, gets a free
            port from the kernel.

    Returns:
        The port of every device and the listeners (close them to stop).
    """
    served: dict[str, int] = {}
    acceptors: list[asyncssh.SSHAcceptor] = []
    for device in devices:
        wanted = ports.get(device.name, 0)
        acceptor = None
        for port in dict.fromkeys((wanted, 0)):
            try:
                acceptor = await _listen(device, credentials, port)
                break
            except OSError:
                continue
        if acceptor is None:
            raise OSError(f"cannot listen for {device.name}")
        acceptors.append(acceptor)
        served[device.name] = acceptor.get_port()
    return served, acceptors


async def _listen(
    device: SshDevice, credentials: LabCredentials, port: int
) -> asyncssh.SSHAcceptor:
    async def handle(process: asyncssh.SSHServerProcess[str]) -> None:
        await run_session(process, device)

    return await asyncssh.create_server(
        lambda: _Login(credentials, device.fault),
        LOOPBACK,
        port,
        server_host_keys=[device.host_key],
        process_factory=handle,
        line_editor=False,
        encoding="utf-8",
        server_version=device.software,
        reuse_address=True,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        login_timeout=30,
    )


async def close_servers(acceptors: list[asyncssh.SSHAcceptor]) -> None:
    """Stop listening and close the listeners.

    Args:
        acceptors: From :func:`start_ssh_servers`.
    """
    for acceptor in acceptors:
        acceptor.close()
    await asyncio.gather(*(a.wait_closed() for a in acceptors), return_exceptions=True)
