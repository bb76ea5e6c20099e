"""Live benchmark: N simulated devices (default 200) audited over real SSH on 127.0.0.1.

Prints, in one run: the audit's wall time, devices per second and peak memory, then the
*collection floor* — a plain Netmiko script that opens one session per device and sends
exactly the commands the audit sends (recorded from the audit's own session to one device),
with the same concurrency, parsing nothing — and the ratio of the two. Plain Netmiko loads the
whole known_hosts file for every session; a second floor loads only each host's own lines, as
the audit does, so the audit is also compared with its own way of checking keys.
Run with `make bench-live` or `python benchmarks/live.py [--devices N] [--workers W]`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection

from dalsnet_audit.audit import AuditOptions, run_audit
from dalsnet_audit.collect.host_keys import HostKeyFiles, KeyTarget
from dalsnet_audit.collect.ssh import SshOptions
from dalsnet_audit.lab import lab_credentials, lab_down, lab_up_synthetic

ROOT = Path(__file__).resolve().parent.parent


def record_commands(inventory: Path, known_hosts: Path, out: Path) -> list[str]:
    """The commands one device receives from the audit, in order (wraps netmiko's send)."""
    sent: list[str] = []
    originals = {
        name: getattr(BaseConnection, name) for name in ("send_command", "send_command_timing")
    }

    def recording(name: str) -> Any:
        def wrapper(self: BaseConnection, command_string: str, *args: Any, **kwargs: Any) -> Any:
            sent.append(command_string)
            return originals[name](self, command_string, *args, **kwargs)

        return wrapper

    for name in originals:
        setattr(BaseConnection, name, recording(name))
    try:
        hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
        first = next(iter(hosts))
        run_audit(options(inventory, known_hosts, out, 1, (f"name={first}",)))
    finally:
        for name, original in originals.items():
            setattr(BaseConnection, name, original)
    return sent


def options(
    inventory: Path, known_hosts: Path, out: Path, workers: int, filters: tuple[str, ...] = ()
) -> AuditOptions:
    return AuditOptions(
        inventory=inventory,
        policies=ROOT / "policies",
        out=out / "reports",  # a directory of its own: the archive lives beside it
        formats=("json",),
        workers=workers,
        filters=filters,
        archive=out / "archive",
        ssh=SshOptions(known_hosts=known_hosts),
    )


def floor(
    inventory: Path,
    known_hosts: Path,
    commands: list[str],
    workers: int,
    split_keys: bool = False,
) -> tuple[float, int]:
    """Plain Netmiko: one session per device, the same commands, the same concurrency.

    Netmiko loads the whole known_hosts file for every session (paramiko's load is quadratic
    in its lines). With `split_keys`, each session loads only its host's lines, as the audit
    does (`collect/host_keys.py`): the floor of the audit's own way of checking keys.
    """
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    targets = [KeyTarget(name, h["hostname"], h["port"]) for name, h in hosts.items()]
    with HostKeyFiles(known_hosts, targets) as key_files:
        return _poll_all(hosts, known_hosts, commands, workers, key_files if split_keys else None)


def _poll_all(
    hosts: dict[str, Any],
    known_hosts: Path,
    commands: list[str],
    workers: int,
    key_files: HostKeyFiles | None,
) -> tuple[float, int]:
    creds = lab_credentials()

    def poll(name: str) -> int:
        conn = ConnectHandler(
            device_type="cisco_ios",
            host=hosts[name]["hostname"],
            port=hosts[name]["port"],
            username=creds.username,
            password=creds.password,
            secret=creds.enable,
            ssh_strict=True,
            system_host_keys=False,
            alt_host_keys=True,
            alt_key_file=str(key_files.path(name) if key_files else known_hosts),
            allow_agent=False,
            use_keys=False,
        )
        try:
            conn.enable()
            return sum(len(conn.send_command(command)) for command in commands)
        finally:
            conn.disconnect()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        received = sum(pool.map(poll, hosts))
    return time.perf_counter() - start, received


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="audit/floor pairs, alternated")
    args = parser.parse_args()
    walls: list[float] = []
    floors: list[float] = []
    split_floors: list[float] = []
    audited_counts: list[int] = []
    with tempfile.TemporaryDirectory(prefix="dalsnet-bench-") as tmp:
        state_dir = Path(tmp) / "lab"
        started = time.perf_counter()
        lab = lab_up_synthetic(args.devices, state_dir)
        print(f"lab: {lab.hosts} simulated devices up in {time.perf_counter() - started:.2f} s")
        try:
            commands = record_commands(lab.inventory, lab.known_hosts, Path(tmp) / "record")
            print(f"commands per device: {len(commands)}: {'; '.join(commands)}")
            for n in range(args.rounds):
                start = time.perf_counter()
                outcome = run_audit(
                    options(lab.inventory, lab.known_hosts, Path(tmp) / f"audit{n}", args.workers)
                )
                walls.append(time.perf_counter() - start)
                audited_counts.append(
                    sum(1 for d in outcome.report["devices"] if d["status"] == "audited")
                )
                floors.append(floor(lab.inventory, lab.known_hosts, commands, args.workers)[0])
                split_floors.append(
                    floor(lab.inventory, lab.known_hosts, commands, args.workers, True)[0]
                )
                print(
                    f"round {n + 1}: audit {walls[-1]:.2f} s ({audited_counts[-1]} audited), "
                    f"floor {floors[-1]:.2f} s, ratio {walls[-1] / floors[-1]:.2f}; "
                    f"floor with per-host keys {split_floors[-1]:.2f} s, "
                    f"ratio {walls[-1] / split_floors[-1]:.2f}"
                )
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        finally:
            lab_down(state_dir)
    wall = statistics.median(walls)
    print(
        f"live audit (median of {args.rounds}): {wall:.2f} s for {args.devices} devices, "
        f"{args.devices / wall:.1f} devices/s, {args.workers} workers"
    )
    print(
        f"peak memory (max RSS): audit process {peak_mb:.0f} MB (audits and floors), "
        f"largest child (pipeline worker or lab) {worker_mb:.0f} MB"
    )
    print(f"collection floor (median): {statistics.median(floors):.2f} s")
    print(f"floor with per-host keys (median): {statistics.median(split_floors):.2f} s")
    for label, bases in (("floor", floors), ("floor with per-host keys", split_floors)):
        ratios = [a / f for a, f in zip(walls, bases, strict=True)]
        print(
            f"ratio audit / {label}: median {statistics.median(ratios):.2f} "
            f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
    return 0 if all(count == args.devices for count in audited_counts) else 1


if __name__ == "__main__":
    sys.exit(main())
