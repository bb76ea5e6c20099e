"""The audit on Dask: the inventory in shards by municipality, each judged by a worker.

The coordinator (`audit --workers-local N` or `--scheduler tcp://HOST:8786`) splits the hosts
into shards, never splitting a municipality and balancing the shards by device count (the
largest municipality first onto the lightest shard, as SuzieQ's namespace chunker does). Each
shard is a plain job (host records, the rule context, where to read): a worker reads or
collects its hosts (live: its own Nornir from the plain inventory data, its own credentials;
connections are never pickled), judges each device's own rules and returns the compact facts
and findings (`judging.Judged`). The coordinator gathers them in inventory order, runs the
network-wide rules, writes the reports and records the run, as on one machine.

A worker that dies mid-shard: Dask gives the shard to another worker (and `retries` reruns a
shard that raised). A shard that still fails is never a silent gap: its hosts are not audited,
each rule says `error` naming the shard and why.

Workers can be pinned to shards with Dask resources (`pin=True`, one shard per municipality):
start the worker that reaches Mellerud's network with `--resources dalsnet-mel=1`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dalsnet_audit.errors import InputError
from dalsnet_audit.judging import Judged, Prepared, judge_hosts, prepare
from dalsnet_audit.model.device import CollectStatus, HostRecord
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.report.build import RowMaker
from dalsnet_audit.rules.context import RuleContext

RETRIES = 2  # a shard that raised is run again this often before it counts as failed
RESOURCE = "dalsnet-{}"  # the Dask resource of a municipality's worker


@dataclass(frozen=True)
class Shard:
    """Whole municipalities, and their hosts with their places in the inventory."""

    index: int
    municipalities: tuple[str, ...]
    hosts: tuple[tuple[int, HostRecord], ...]


@dataclass(frozen=True)
class ShardJob:
    """What a worker needs to judge a shard: plain data only (it is pickled to the worker)."""

    shard: Shard
    ctx: RuleContext
    offline: Path | None  # the snapshot to read; None: collect live
    live: LiveSpec | None = None
    make_row: RowMaker | None = None  # rows made on the worker (a large audit's spool)


@dataclass(frozen=True)
class LiveSpec:
    """A live shard: the inventory's plain data and how to reach the devices."""

    inventory: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]  # hosts, groups, defaults
    inventory_dir: Path  # where the credentials file is looked for (as on one machine)
    credentials: Path | None
    ssh: Any  # collect.ssh.SshOptions
    workers: int


def make_shards(hosts: list[HostRecord], count: int) -> list[Shard]:
    """`hosts` in at most `count` shards of whole municipalities, balanced by device count."""
    by_municipality: dict[str, list[tuple[int, HostRecord]]] = {}
    for order, host in enumerate(hosts):
        by_municipality.setdefault(host.municipality, []).append((order, host))
    count = max(1, min(count, len(by_municipality)))
    bins: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for municipality in sorted(by_municipality, key=lambda m: (-len(by_municipality[m]), m)):
        lightest = sizes.index(min(sizes))
        bins[lightest].append(municipality)
        sizes[lightest] += len(by_municipality[municipality])
    shards: list[Shard] = []
    for names in bins:
        if names:
            members = sorted(h for m in names for h in by_municipality[m])
            shards.append(Shard(len(shards), tuple(sorted(names)), tuple(members)))
    return shards


def judge_shard(job: ShardJob) -> list[Judged] | list[Prepared]:
    """On a worker: read or collect the shard's hosts and judge each device's own rules.

    With `make_row`, each host comes back prepared (its rows made and compressed for the way
    back, its passes counted): the rows are made in parallel and the coordinator receives a
    fraction.
    """
    hosts = [host for _, host in job.shard.hosts]
    if job.offline is not None:
        from dalsnet_audit.collect.offline import OfflineCollector  # noqa: PLC0415

        raw_of: Callable[[HostRecord], RawDevice] = OfflineCollector(job.offline).read
    else:
        assert job.live is not None
        raws = _collect_live(job.live, hosts)
        raw_of = lambda host: raws[host.name]  # noqa: E731
    judged = judge_hosts(job.shard.hosts, raw_of, job.ctx)
    if job.make_row is not None:
        return [prepare(item, job.make_row).packed() for item in judged]
    return list(judged)


def _collect_live(spec: LiveSpec, hosts: list[HostRecord]) -> dict[str, RawDevice]:
    from dalsnet_audit.collect.credentials import resolve_credentials  # noqa: PLC0415
    from dalsnet_audit.collect.live import LiveCollector  # noqa: PLC0415
    from dalsnet_audit.inventory import nornir_of  # noqa: PLC0415

    all_hosts, groups, defaults = spec.inventory
    mine = {h.name: all_hosts[h.name] for h in hosts}
    nornir = nornir_of(mine, groups, defaults, spec.workers)
    creds = resolve_credentials(spec.inventory_dir, spec.credentials)
    return LiveCollector(nornir, creds, spec.ssh).collect_raw(hosts)


def failed_shard(shard: Shard, ctx: RuleContext, why: str) -> Iterator[Judged]:
    """The hosts of a shard no worker could judge: not audited, every rule an error saying so."""
    reason = f"shard {shard.index} ({', '.join(shard.municipalities)}) failed: {why}"
    raw = RawDevice(status=CollectStatus.UNREACHABLE, error=reason)
    yield from judge_hosts(shard.hosts, lambda _host: raw, ctx)


@contextmanager
def dask_client(scheduler: str | None, workers_local: int | None) -> Iterator[Any]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers_local`."""
    try:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the extra is part of the test install
        raise InputError(
            "--workers-local/--scheduler", None, "needs Dask: pip install 'dalsnet-audit[dask]'"
        ) from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise InputError(
                "--scheduler", scheduler, f"no Dask scheduler answers: {exc}"
            ) from None
        try:
            yield client
        finally:
            client.close()  # type: ignore[no-untyped-call]
        return
    for name in ("distributed", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)  # Dask's own chatter
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers_local or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.WARNING,
    )
    try:
        with Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
    finally:
        cluster.close()


def judge_distributed(
    client: Any,
    hosts: list[HostRecord],
    ctx: RuleContext,
    offline: Path | None,
    live: LiveSpec | None,
    add: Callable[[Judged | Prepared], None],
    *,
    pin: bool = False,
    run_id: str = "",
    make_row: RowMaker | None = None,
) -> list[str]:
    """Judge `hosts` on the client's workers; `add` each judged host as its shard comes back.

    Returns:
        What went wrong with shards that failed (their hosts are added as not audited).
    """
    from dask.distributed import as_completed  # noqa: PLC0415

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    municipalities = len({h.municipality for h in hosts})
    shards = make_shards(hosts, municipalities if pin else workers)
    futures = {}
    for shard in shards:
        job = ShardJob(shard, ctx, offline, live, make_row)
        resources = {RESOURCE.format(m): 1 for m in shard.municipalities} if pin else None
        future = client.submit(
            judge_shard,
            job,
            key=f"dalsnet-shard-{shard.index}-{run_id or dt.datetime.now(dt.UTC).timestamp()}",
            retries=RETRIES,
            resources=resources,
            pure=False,
        )
        futures[future.key] = (future, shard)
    problems = []
    for future in as_completed([f for f, _ in futures.values()]):  # type: ignore[no-untyped-call]
        shard = futures[future.key][1]
        try:
            judged = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost shard is reported, never silent
            why = f"{type(exc).__name__}: {exc}"
            problems.append(f"shard {shard.index} ({', '.join(shard.municipalities)}): {why}")
            judged = list(failed_shard(shard, ctx, why))
        for item in judged:
            add(item)
    return problems


__all__ = [
    "LiveSpec",
    "Shard",
    "ShardJob",
    "dask_client",
    "failed_shard",
    "judge_distributed",
    "judge_shard",
    "make_shards",
]
