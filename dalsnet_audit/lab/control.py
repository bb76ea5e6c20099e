"""Start, stop and inspect the lab's background process.

>>> snapshot, inventory = Path("snapshots/reference"), Path("inventory")
>>> state = lab_up(snapshot, inventory, Path("/tmp/lab"))  # doctest: +SKIP
>>> lab_status(Path("/tmp/lab"))["hosts"]  # doctest: +SKIP
46
>>> lab_down(Path("/tmp/lab"))  # doctest: +SKIP
True
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dalsnet_audit.lab.cli_common import HostFiles
from dalsnet_audit.lab.refnet import synthetic_configs
from dalsnet_audit.lab.refnet.plan import MUNICIPALITIES
from dalsnet_audit.lab.serve import STATE_FILE, load_hosts
from dalsnet_audit.lab.sshd import FAULTS, LOOPBACK

LOG_FILE = "lab.log"
_SERVE_MODULE = "dalsnet_audit.lab.serve"
# Our own children, so that stopping the lab also reaps them (no zombie left behind).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class LabError(RuntimeError):
    """The lab could not be started (the message ends with the tail of ``lab.log``)."""


@dataclass(frozen=True, slots=True)
class LabState:
    """A running lab.

    Attributes:
        pid: The background process.
        inventory: The served inventory directory (``state_dir/inventory``): hosts at
            127.0.0.1 on their own ports.
        snapshot: The snapshot the devices answer from.
        hosts: Number of hosts served (SSH and/or SNMP).
        ssh_ports: SSH port per host (IOS, ASA, Linux hosts).
        snmp_ports: SNMP agent port per host (hosts with an ``.snmprec``: the servers).
        state_dir: The state directory.
        known_hosts: ``state_dir/known_hosts`` with every host's key.
    """

    pid: int
    inventory: Path
    snapshot: Path
    hosts: int
    ssh_ports: dict[str, int]
    snmp_ports: dict[str, int]
    state_dir: Path
    known_hosts: Path

    @property
    def snmp_port(self) -> int | None:
        """The lowest SNMP agent port (each host has its own: see ``snmp_ports``)."""
        return min(self.snmp_ports.values(), default=None)

    @classmethod
    def from_state(cls, state_dir: Path, state: dict[str, Any]) -> LabState:
        """Build from the ``state.json`` the background process wrote.

        Args:
            state_dir: The state directory.
            state: The file's content.

        Returns:
            The lab state.
        """
        return cls(
            pid=int(state["pid"]),
            inventory=Path(state["inventory"]),
            snapshot=Path(state["snapshot"]),
            hosts=int(state["hosts"]),
            ssh_ports={str(k): int(v) for k, v in state["ssh_ports"].items()},
            snmp_ports={str(k): int(v) for k, v in state["snmp_ports"].items()},
            state_dir=state_dir,
            known_hosts=Path(state["known_hosts"]),
        )


def _read_state(state_dir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and is ours (its command line holds ``marker``), not a zombie."""
    child = _CHILDREN.get(pid)
    if child is not None and child.poll() is not None:
        _CHILDREN.pop(pid, None)
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z" and marker in cmdline


def _log_tail(state_dir: Path, lines: int = 20) -> str:
    try:
        text = (state_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((LOOPBACK, port)) == 0


def _check_served(
    snapshot: Path, inventory: Path, faults: dict[str, str], hosts: list[str]
) -> None:
    """What the lab is asked to serve exists, is safe to name, and lies inside the snapshot.

    Raises:
        LabError: an unknown fault mode or host, an unreadable inventory, or a snapshot file
            that leads outside the snapshot (the lab reads nothing from outside it).
    """
    unknown = {mode for mode in faults.values() if mode not in FAULTS}
    if unknown:
        raise LabError(f"unknown fault modes {sorted(unknown)}; known: {sorted(FAULTS)}")
    try:
        entries = load_hosts(inventory)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise LabError(f"cannot serve the inventory {inventory}: {exc}") from None
    for name, entry in entries.items():
        files = HostFiles.in_snapshot(snapshot, name, str(entry.get("platform", "")), {})
        outside = files.escaping()
        if outside:
            raise LabError(f"{outside[0]} leads outside the snapshot {snapshot}; not served")
    for label, names in (("--fault", list(faults)), ("--host", hosts)):
        missing = sorted(set(names) - set(entries))
        if missing:
            raise LabError(f"{label}: {', '.join(missing)} not in {inventory / 'hosts.yaml'}")


def lab_up(
    snapshot: Path,
    inventory: Path,
    state_dir: Path,
    faults: dict[str, str] | None = None,
    hosts: list[str] | None = None,
    *,
    port_base: int | None = None,
    timeout: float = 90.0,
) -> LabState:
    """Start the lab in the background and wait until every device answers.

    The process is detached (its own session; it outlives the caller) and logs to
    ``state_dir/lab.log``. When it is up, ``state_dir`` holds ``state.json``, the served
    inventory ``inventory/`` (with a ``.credentials`` file, mode 600), ``known_hosts`` and the
    persistent host keys ``hostkeys/``.

    Args:
        snapshot: Snapshot to serve (``configs/``, ``show/``, ``snmp/``).
        inventory: Inventory directory whose hosts are served.
        state_dir: Where state, keys, logs and the served inventory go.
        faults: Host name -> fault mode (``wrong_password``, ``hang``, ``drop``,
            ``silent_snmp``, ``host_key_changed``).
        hosts: Serve only these hosts.
        port_base: Use consecutive ports from here (SSH, then SNMP); by default the ports of
            the previous run in ``state_dir`` when free, else free ports from the kernel.
        timeout: Seconds to wait for the lab to come up.

    Returns:
        The running lab.

    Raises:
        LabError: A lab already runs in ``state_dir``, a fault mode is unknown, or the lab did
            not come up in time.
    """
    faults = dict(faults or {})
    _check_served(snapshot, inventory, faults, hosts or [])
    state_dir.mkdir(parents=True, exist_ok=True)
    if lab_status(state_dir) is not None:
        raise LabError(f"a lab already runs in {state_dir}; stop it with lab_down first")
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        _SERVE_MODULE,
        "--snapshot",
        str(snapshot.resolve()),
        "--inventory",
        str(inventory.resolve()),
        "--state-dir",
        str(state_dir.resolve()),
    ]
    for host in hosts or []:
        command += ["--host", host]
    for host, mode in faults.items():
        command += ["--fault", f"{host}={mode}"]
    if port_base is not None:
        command += ["--port-base", str(port_base)]
    with (state_dir / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    _CHILDREN[process.pid] = process
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _read_state(state_dir)
        if state is not None and state.get("pid") == process.pid:
            lab = LabState.from_state(state_dir, state)
            closed = [h for h, port in lab.ssh_ports.items() if not _accepts(port)]
            if closed:
                _stop(process.pid, state)
                raise LabError(f"SSH ports of {closed} do not accept connections")
            return lab
        if process.poll() is not None:
            _CHILDREN.pop(process.pid, None)
            raise LabError(
                f"the lab exited with status {process.returncode}:\n{_log_tail(state_dir)}"
            )
        time.sleep(0.05)
    _stop(process.pid, _read_state(state_dir) or {})
    raise LabError(f"the lab did not come up within {timeout:.0f} s:\n{_log_tail(state_dir)}")


def _stop(pid: int, state: dict[str, Any], grace: float = 10.0) -> None:
    """SIGTERM the lab, then SIGKILL its process group (snmpsim included) after ``grace``."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _alive(pid, _SERVE_MODULE) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid, _SERVE_MODULE):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(5)
    snmpsim = state.get("snmpsim_pid")
    if isinstance(snmpsim, int) and _alive(snmpsim, "snmpsim"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(snmpsim, signal.SIGKILL)


def lab_down(state_dir: Path) -> bool:
    """Stop the lab running in ``state_dir`` (and its snmpsim process).

    Args:
        state_dir: The lab's state directory.

    Returns:
        True when a running lab was stopped, False when none was running.
    """
    state = _read_state(state_dir)
    if state is None:
        return False
    pid = int(state.get("pid", 0))
    running = pid > 0 and _alive(pid, _SERVE_MODULE)
    if running:
        _stop(pid, state)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    return running


def lab_status(state_dir: Path) -> dict[str, Any] | None:
    """Describe the lab running in ``state_dir``.

    Args:
        state_dir: The lab's state directory.

    Returns:
        ``{"inventory", "snapshot", "hosts", "pid", "ssh_ports", "snmp_ports",
        "known_hosts", "log"}``, or None when no lab runs there.
    """
    state = _read_state(state_dir)
    if state is None or not _alive(int(state.get("pid", 0)), _SERVE_MODULE):
        return None
    return {
        "inventory": state["inventory"],
        "snapshot": state["snapshot"],
        "hosts": state["hosts"],
        "pid": state["pid"],
        "ssh_ports": state["ssh_ports"],
        "snmp_ports": state["snmp_ports"],
        "known_hosts": state["known_hosts"],
        "log": str(state_dir / LOG_FILE),
    }


def write_synthetic(n: int, target: Path, seed: int = 0) -> tuple[Path, Path]:
    """Write a snapshot and an inventory of ``n`` generated IOS-XE switches.

    Hosts are named ``mmm-ss-swNN`` as :func:`dalsnet_audit.lab.refnet.synthetic_configs`
    yields them; their ``data`` holds municipality, site and role parsed from the name and the
    municipality's governance fields.

    Args:
        n: Number of switches.
        target: Directory; ``snapshot/`` and ``inventory/`` are written below it.
        seed: Variation seed of the generator.

    Returns:
        The snapshot and inventory directories.
    """
    snapshot, inventory = target / "snapshot", target / "inventory"
    (snapshot / "configs").mkdir(parents=True, exist_ok=True)
    inventory.mkdir(parents=True, exist_ok=True)
    by_short = {m.short: m for m in MUNICIPALITIES}
    hosts: dict[str, Any] = {}
    for name, text in synthetic_configs(n, seed):
        (snapshot / "configs" / f"{name}.cfg").write_text(text, encoding="utf-8")
        short, site, _ = name.split("-")
        m = by_short[short]
        hosts[name] = {
            "hostname": f"{name}.dalsland.se",
            "port": 22,
            "platform": "ios",
            "groups": [m.group, "switch"],
            "data": {
                "municipality": short,
                "site": int(site),
                "role": "sw",
                "system_owner": m.owner,
                "operations": f"IT-enheten {m.name}",
                "service_agreement": f"DA-{m.year}-01",
                "sensitive": False,
            },
        }
    groups: dict[str, Any] = {m.group: {"data": {"municipality": m.short}} for m in MUNICIPALITIES}
    groups["switch"] = {"data": {}}
    header = f"# Synthetic Dalslandsnätet ({n} switches, seed {seed}) for benchmarks.\n---\n"
    for file_name, content in (
        ("hosts.yaml", hosts),
        ("groups.yaml", groups),
        ("defaults.yaml", {"port": 22, "data": {}}),
    ):
        text = header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        (inventory / file_name).write_text(text, encoding="utf-8")
    meta = {
        "taken_at": "2026-11-26T02:00:00Z",
        "source": "manual",
        "generator": "synthetic_configs",
    }
    (snapshot / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return snapshot, inventory


def lab_up_synthetic(
    n: int,
    state_dir: Path,
    faults: dict[str, str] | None = None,
    *,
    seed: int = 0,
    port_base: int | None = None,
    timeout: float = 90.0,
) -> LabState:
    """Serve ``n`` generated IOS-XE switches (for benchmarks).

    Writes ``state_dir/synthetic/snapshot`` and ``state_dir/synthetic/inventory`` first
    (:func:`write_synthetic`), then starts the lab on them.

    Args:
        n: Number of switches.
        state_dir: The lab's state directory.
        faults: Host name -> fault mode.
        seed: Variation seed of the generator.
        port_base: As for :func:`lab_up`.
        timeout: As for :func:`lab_up`.

    Returns:
        The running lab.
    """
    snapshot, inventory = write_synthetic(n, state_dir / "synthetic", seed)
    return lab_up(snapshot, inventory, state_dir, faults, port_base=port_base, timeout=timeout)
