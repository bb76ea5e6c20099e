r"""The lab's background process: SSH devices and SNMP agents for every host of an inventory.

Run by :func:`dalsnet_audit.lab.control.lab_up`, or in the foreground::

    python -m dalsnet_audit.lab.serve --snapshot snapshots/reference --inventory inventory \\
        --state-dir /tmp/lab [--host NAME ...] [--fault NAME=MODE ...] [--port-base N]

It writes ``state.json`` into the state directory once every SSH port listens and every SNMP
agent has answered, and removes it when it stops (SIGTERM or SIGINT).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import yaml

from dalsnet_audit.lab.cli_asa import asa_session_factory
from dalsnet_audit.lab.cli_common import DeviceCli, HostFiles
from dalsnet_audit.lab.cli_ios import ios_session_factory
from dalsnet_audit.lab.cli_linux import linux_session_factory
from dalsnet_audit.lab.credentials import LabCredentials, lab_credentials
from dalsnet_audit.lab.snmpd import (
    SnmpAgent,
    free_udp_port,
    snmpsim_command,
    start_snmpsim,
    wait_agents,
)
from dalsnet_audit.lab.sshd import (
    FAULTS,
    LOOPBACK,
    SshDevice,
    close_servers,
    known_hosts_line,
    load_host_key,
    start_ssh_servers,
)
from dalsnet_audit.masking import MaskingFormatter

log = logging.getLogger("dalsnet_audit.lab")

HOST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
STATE_FILE = "state.json"
PORTS_FILE = "ports.json"
CREDENTIALS_FILE = ".credentials"
SNMP_START_TIMEOUT = 60.0

SessionFactory = Callable[[HostFiles, LabCredentials, str | None], Callable[[], DeviceCli]]
_PERSONALITIES: dict[str, tuple[SessionFactory, str]] = {
    "ios": (ios_session_factory, "Cisco-1.25"),
    "asa": (asa_session_factory, "Cisco-1.25"),
    "linux": (linux_session_factory, "OpenSSH_9.2p1 Debian-2+deb12u3"),
}


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What to serve.

    Attributes:
        snapshot: Snapshot directory the devices answer from.
        inventory: Inventory directory (``hosts.yaml``, ``groups.yaml``, ``defaults.yaml``).
        state_dir: Where state, host keys, logs and the served inventory go.
        hosts: Serve only these hosts (all when empty).
        faults: Host name -> fault mode.
        port_base: First port to use (SSH ports first, then SNMP); None: ports of the last
            run when still free, else any free port.
    """

    snapshot: Path
    inventory: Path
    state_dir: Path
    hosts: tuple[str, ...] = ()
    faults: dict[str, str] = field(default_factory=dict)
    port_base: int | None = None


def load_hosts(inventory: Path) -> dict[str, dict[str, Any]]:
    """Read ``hosts.yaml`` of a Nornir SimpleInventory.

    Args:
        inventory: The inventory directory.

    Returns:
        Host name -> its entry.

    Raises:
        ValueError: The file is not a mapping of hosts.
    """
    path = inventory / "hosts.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise ValueError(f"{path}: expected a mapping of hosts")
    unsafe = [str(name) for name in content if not HOST_NAME.fullmatch(str(name))]
    if unsafe:
        # Host names become file names (host keys, snapshot files): no separator, no dot first.
        raise ValueError(f"{path}: {unsafe[0]!r} is not a safe host name")
    return {str(name): dict(entry or {}) for name, entry in content.items()}


def _wanted_ports(
    config: ServeConfig, ssh_hosts: list[str], snmp_hosts: list[str]
) -> tuple[dict[str, int], dict[str, int]]:
    if config.port_base is not None:
        ssh = {name: config.port_base + i for i, name in enumerate(ssh_hosts)}
        base = config.port_base + len(ssh_hosts)
        return ssh, {name: base + i for i, name in enumerate(snmp_hosts)}
    try:
        previous = json.loads((config.state_dir / PORTS_FILE).read_text(encoding="utf-8"))
        return dict(previous.get("ssh", {})), dict(previous.get("snmp", {}))
    except (OSError, ValueError):
        return {}, {}


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def write_served_inventory(
    config: ServeConfig,
    entries: dict[str, dict[str, Any]],
    ssh_ports: dict[str, int],
    snmp_ports: dict[str, int],
    credentials: LabCredentials,
) -> Path:
    """Write the inventory the lab serves: every host at 127.0.0.1 on its own ports.

    Each host's ``hostname`` becomes ``127.0.0.1``, its ``port`` its SSH port (hosts without
    SSH, i.e. Windows, keep theirs), and ``data.snmp`` ``{port, version: 3, context: ""}``
    when it has an SNMP agent. ``groups.yaml`` and ``defaults.yaml`` are copied. A
    ``.credentials`` file (mode 600) holds the lab credentials for the collector.

    Args:
        config: What is served.
        entries: Served hosts' original inventory entries.
        ssh_ports: SSH port per host.
        snmp_ports: SNMP port per host.
        credentials: The lab credentials.

    Returns:
        The served inventory directory, ``state_dir/inventory``.
    """
    target = config.state_dir / "inventory"
    target.mkdir(parents=True, exist_ok=True)
    hosts: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        served = dict(entry)
        served["hostname"] = LOOPBACK
        if name in ssh_ports:
            served["port"] = ssh_ports[name]
        data = dict(served.get("data") or {})
        if name in snmp_ports:
            data["snmp"] = {"port": snmp_ports[name], "version": 3, "context": ""}
        served["data"] = data
        hosts[name] = served
    header = (
        f"# Served by the dalsnet-audit lab from {config.inventory}; rewritten at start.\n---\n"
    )
    (target / "hosts.yaml").write_text(
        header + yaml.safe_dump(hosts, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for name in ("groups.yaml", "defaults.yaml"):
        source = config.inventory / name
        text = source.read_text(encoding="utf-8") if source.exists() else "---\n{}\n"
        (target / name).write_text(text, encoding="utf-8")
    lines = [f"{key}={value}" for key, value in credentials.as_environment().items()]
    _write_private(
        target / CREDENTIALS_FILE, "# dalsnet-audit lab credentials\n" + "\n".join(lines) + "\n"
    )
    return target


class Lab:
    """The running lab: SSH listeners, the snmpsim process and the ports held for faults.

    Args:
        config: What to serve.
    """

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.credentials = lab_credentials()
        self.acceptors: list[Any] = []
        self.snmpsim: subprocess.Popen[bytes] | None = None
        self.held: list[socket.socket] = []

    async def start(self) -> dict[str, Any]:
        """Start everything and write the served inventory, ``known_hosts`` and ``state.json``.

        Returns:
            The state written.

        Raises:
            RuntimeError: An SNMP agent did not come up.
        """
        config = self.config
        entries = load_hosts(config.inventory)
        if config.hosts:
            unknown = sorted(set(config.hosts) - set(entries))
            if unknown:
                raise ValueError(f"hosts not in the inventory: {', '.join(unknown)}")
            entries = {name: entries[name] for name in config.hosts}
        files = {
            name: HostFiles.in_snapshot(
                config.snapshot, name, str(entry.get("platform", "")), dict(entry.get("data") or {})
            )
            for name, entry in entries.items()
        }
        ssh_hosts = [n for n, f in files.items() if f.platform in _PERSONALITIES]
        snmp_hosts = [n for n, f in files.items() if f.snmprec_path.is_file()]
        want_ssh, want_snmp = _wanted_ports(config, ssh_hosts, snmp_hosts)

        keys_dir = config.state_dir / "hostkeys"
        devices: list[SshDevice] = []
        known_keys = {}
        for name in ssh_hosts:
            factory, software = _PERSONALITIES[files[name].platform]
            fault = config.faults.get(name)
            known_keys[name] = load_host_key(keys_dir, name)
            served_key = (
                load_host_key(keys_dir, f"{name}.changed")
                if fault == "host_key_changed"
                else known_keys[name]
            )
            devices.append(
                SshDevice(
                    name, factory(files[name], self.credentials, fault), served_key, fault, software
                )
            )
        ssh_ports, self.acceptors = await start_ssh_servers(devices, self.credentials, want_ssh)

        snmp_ports = await asyncio.to_thread(self._start_snmp, files, snmp_hosts, want_snmp)

        served = write_served_inventory(config, entries, ssh_ports, snmp_ports, self.credentials)
        known_hosts = config.state_dir / "known_hosts"
        known_hosts.write_text(
            "".join(f"{known_hosts_line(ssh_ports[n], known_keys[n])}\n" for n in ssh_hosts),
            encoding="utf-8",
        )
        (config.state_dir / PORTS_FILE).write_text(
            json.dumps({"ssh": ssh_ports, "snmp": snmp_ports}, indent=1) + "\n", encoding="utf-8"
        )
        state = {
            "pid": os.getpid(),
            "snmpsim_pid": self.snmpsim.pid if self.snmpsim else None,
            "snapshot": str(config.snapshot.resolve()),
            "inventory": str(served.resolve()),
            "source_inventory": str(config.inventory.resolve()),
            "hosts": len(entries),
            "ssh_ports": ssh_ports,
            "snmp_ports": snmp_ports,
            "known_hosts": str(known_hosts.resolve()),
            "faults": dict(config.faults),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        tmp = config.state_dir / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
        tmp.replace(config.state_dir / STATE_FILE)
        return state

    def _start_snmp(
        self, files: dict[str, HostFiles], snmp_hosts: list[str], wanted: dict[str, int]
    ) -> dict[str, int]:
        ports: dict[str, int] = {}
        agents: list[SnmpAgent] = []
        released: list[socket.socket] = []
        for name in snmp_hosts:
            sock = free_udp_port(wanted.get(name, 0))
            ports[name] = sock.getsockname()[1]
            if self.config.faults.get(name) == "silent_snmp":
                self.held.append(sock)
            else:
                released.append(sock)
                agents.append(SnmpAgent(name, files[name].snmprec_path, ports[name]))
        if not agents:
            for sock in released:
                sock.close()
            return ports
        command = snmpsim_command(agents, self.credentials, self.config.state_dir / "snmp")
        for sock in released:
            sock.close()
        self.snmpsim = start_snmpsim(command, lambda line: log.warning("snmpsim: %s", line))
        missing = wait_agents(
            [a.port for a in agents],
            self.credentials.snmp_community,
            SNMP_START_TIMEOUT,
            self.snmpsim,
        )
        if missing:
            raise RuntimeError(f"SNMP agents did not answer on ports {missing}")
        return ports

    async def stop(self) -> None:
        """Stop snmpsim and the SSH listeners; remove ``state.json``."""
        if self.snmpsim is not None and self.snmpsim.poll() is None:
            self.snmpsim.terminate()
            try:
                self.snmpsim.wait(5)
            except subprocess.TimeoutExpired:
                self.snmpsim.kill()
                self.snmpsim.wait()
        await close_servers(self.acceptors)
        for sock in self.held:
            sock.close()
        state = self.config.state_dir / STATE_FILE
        with contextlib.suppress(OSError, ValueError):
            if json.loads(state.read_text(encoding="utf-8")).get("pid") == os.getpid():
                state.unlink()


async def serve(config: ServeConfig) -> int:
    """Run the lab until SIGTERM or SIGINT.

    Args:
        config: What to serve.

    Returns:
        The exit status: 0 after a clean stop, 1 when the lab could not start.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    lab = Lab(config)
    try:
        state = await lab.start()
    except Exception:
        log.exception("lab failed to start")
        await lab.stop()
        return 1
    log.info(
        "lab up: pid %s, %d hosts, %d SSH ports, %d SNMP agents",
        state["pid"],
        state["hosts"],
        len(state["ssh_ports"]),
        len(state["snmp_ports"]),
    )
    await stop.wait()
    log.info("lab stopping")
    await lab.stop()
    log.info("lab stopped")
    return 0


def _parse_faults(values: list[str]) -> dict[str, str]:
    faults: dict[str, str] = {}
    for value in values:
        host, sep, mode = value.partition("=")
        if not sep or mode not in FAULTS:
            raise argparse.ArgumentTypeError(
                f"--fault {value}: expected HOST=MODE, MODE one of {sorted(FAULTS)}"
            )
        faults[host] = mode
    return faults


def configure_logging(stream: TextIO, secrets: list[str]) -> logging.Handler:
    """Log to `stream`, every line masked as the reports are and the secrets in use hidden.

    Returns:
        The handler installed on the root logger.
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        MaskingFormatter("%(asctime)s %(name)s %(levelname)s %(message)s", secrets)
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


def _secrets() -> list[str]:
    """The secret values the lab serves (user names are not secret, and name the logger)."""
    try:
        creds = lab_credentials()
    except ValueError:
        return []
    return [
        creds.password,
        creds.enable,
        creds.snmp_auth_key,
        creds.snmp_priv_key,
        creds.snmp_community,
    ]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point of the background process.

    Args:
        argv: Arguments (``sys.argv[1:]`` when None).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m dalsnet_audit.lab.serve", description=__doc__)
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--inventory", type=Path, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument(
        "--host", action="append", default=[], help="serve only this host (repeatable)"
    )
    parser.add_argument("--fault", action="append", default=[], help="HOST=MODE (repeatable)")
    parser.add_argument("--port-base", type=int, default=None)
    args = parser.parse_args(argv)
    configure_logging(sys.stderr, _secrets())
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    args.state_dir.mkdir(parents=True, exist_ok=True)
    config = ServeConfig(
        snapshot=args.snapshot,
        inventory=args.inventory,
        state_dir=args.state_dir,
        hosts=tuple(args.host),
        faults=_parse_faults(args.fault),
        port_base=args.port_base,
    )
    return asyncio.run(serve(config))


if __name__ == "__main__":
    sys.exit(main())
