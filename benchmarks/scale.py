"""Scale benchmark: the audit at 1,000 and 10,000 generated devices, on one machine and on Dask.

Prints numbers, it asserts nothing. Each measured audit runs in a process of its own, so the
peak memory (max RSS) of every process is its own:

* offline: a generated snapshot of N IOS switches (`lab.control.write_synthetic`) audited
  serially and on a `LocalCluster` of 2 worker processes: time per device, peak RSS of the
  audit process and of each Dask worker;
* live (`--live N`, default 1,000; `--live 0` skips it): N simulated devices in the lab, audited
  over SSH: time, devices per second, peak RSS of the audit (and its parsing worker) and of the
  lab, and the ratio to the plain Netmiko collection floor of `benchmarks/live.py`.

Run with `make bench-scale` or `python benchmarks/scale.py [--sizes 1000,10000] [--live N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _hwm_mb(pid: int) -> float:
    """Peak RSS (VmHWM) of a running process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# Children: one measured audit each, a JSON line on stdout -----------------------------------


def child_offline(snapshot: Path, inventory: Path, out: Path, workers: int) -> dict[str, Any]:
    from dalsnet_audit.audit import AuditOptions, run_audit  # noqa: PLC0415

    options = AuditOptions(
        inventory=inventory, policies=ROOT / "policies", offline=snapshot, out=out,
        formats=("json",), archive=None,
    )  # fmt: skip
    worker_mb: list[float] = []
    start = time.perf_counter()
    if workers:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415

        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            outcome = run_audit(replace(options, scheduler=cluster.scheduler_address))
            wall = time.perf_counter() - start
            worker_mb = sorted(client.run(_maxrss_mb).values())
    else:
        outcome = run_audit(options)
        wall = time.perf_counter() - start
    return _measured(outcome.report, wall) | {"worker_mb": worker_mb}


def child_live(inventory: Path, known_hosts: Path, out: Path, workers: int) -> dict[str, Any]:
    from dalsnet_audit.audit import AuditOptions, run_audit  # noqa: PLC0415
    from dalsnet_audit.collect.ssh import SshOptions  # noqa: PLC0415

    start = time.perf_counter()
    outcome = run_audit(
        AuditOptions(
            inventory=inventory, policies=ROOT / "policies", out=out / "reports",
            formats=("json",), workers=workers, archive=out / "archive",
            ssh=SshOptions(known_hosts=known_hosts),
        )
    )  # fmt: skip
    wall = time.perf_counter() - start
    return _measured(outcome.report, wall) | {"pipeline_worker_mb": _children_mb()}


def _measured(report: dict[str, Any], wall: float) -> dict[str, Any]:
    """What every child reports: time, devices, findings, its own peak memory."""
    devices = report["devices"]
    return {
        "wall": wall,
        "devices": len(devices),
        "audited": sum(1 for d in devices if d["status"] == "audited"),
        "findings": len(report["findings"]),
        "coordinator_mb": _maxrss_mb(),
    }


def _run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"child {args[0]} failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# Parent -------------------------------------------------------------------------------------


def offline(sizes: list[int], tmp: Path) -> list[dict[str, Any]]:
    from dalsnet_audit.lab.control import write_synthetic  # noqa: PLC0415

    rows = []
    for n in sizes:
        started = time.perf_counter()
        snapshot, inventory = write_synthetic(n, tmp / f"n{n}")
        print(f"generated {n} devices in {time.perf_counter() - started:.0f} s", flush=True)
        for workers in (0, 2):
            result = _run_child(
                "offline", str(snapshot), str(inventory), str(tmp / f"out{n}-{workers}"),
                str(workers),
            )  # fmt: skip
            result |= {"n": n, "mode": "serial" if not workers else f"LocalCluster({workers})"}
            rows.append(result)
            workers_shown = ", ".join(f"{mb:.0f}" for mb in result["worker_mb"]) or "-"
            print(
                f"offline {n:>6} {result['mode']:<16} {result['wall']:7.1f} s  "
                f"{1000 * result['wall'] / n:6.2f} ms/device  "
                f"coordinator {result['coordinator_mb']:5.0f} MB  workers [{workers_shown}] MB  "
                f"({result['audited']}/{result['devices']} audited, {result['findings']} findings)",
                flush=True,
            )
    return rows


def live(n: int, workers: int, tmp: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import live as live_bench  # noqa: PLC0415

    from dalsnet_audit.lab import lab_down, lab_up_synthetic  # noqa: PLC0415

    state = tmp / "lab"
    started = time.perf_counter()
    lab = lab_up_synthetic(n, state)
    print(f"lab: {lab.hosts} simulated devices up in {time.perf_counter() - started:.0f} s")
    try:
        commands = live_bench.record_commands(lab.inventory, lab.known_hosts, tmp / "record")
        audit = _run_child("live", str(lab.inventory), str(lab.known_hosts), str(tmp / "live"),
                           str(workers))  # fmt: skip
        floor, _ = live_bench.floor(lab.inventory, lab.known_hosts, commands, workers, True)
        lab_mb = _hwm_mb(lab.pid)
    finally:
        lab_down(state)
    result = audit | {"n": n, "floor": floor, "lab_mb": lab_mb}
    print(
        f"live {n} devices: audit {audit['wall']:.1f} s ({n / audit['wall']:.1f} devices/s, "
        f"{audit['audited']}/{audit['devices']} audited); plain Netmiko floor (per-host keys) "
        f"{floor:.1f} s; ratio {audit['wall'] / floor:.2f}; peak RSS: audit "
        f"{audit['coordinator_mb']:.0f} MB, its parsing worker {audit['pipeline_worker_mb']:.0f} "
        f"MB, lab {lab_mb:.0f} MB",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="offline device counts")
    parser.add_argument("--live", type=int, default=1000, help="live devices (0: skip)")
    parser.add_argument("--workers", type=int, default=50, help="SSH sessions at once (live)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "offline":
            result = child_offline(Path(rest[0]), Path(rest[1]), Path(rest[2]), int(rest[3]))
        else:
            result = child_live(Path(rest[0]), Path(rest[1]), Path(rest[2]), int(rest[3]))
        print(json.dumps(result))
        return 0
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="dalsnet-scale-") as name:
        tmp = Path(name)
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        rows = offline(sizes, tmp)
        serial = {r["n"]: r for r in rows if r["mode"] == "serial"}
        if len(serial) > 1:
            small, large = min(serial), max(serial)
            print(
                f"peak RSS {large} / {small} devices (serial): "
                f"{serial[large]['coordinator_mb'] / serial[small]['coordinator_mb']:.2f}x; "
                f"time per device {large} / {small}: "
                f"{(serial[large]['wall'] / large) / (serial[small]['wall'] / small):.2f}x"
            )
        if args.live:
            live(args.live, args.workers, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
