"""The distributed audit gives the findings of one machine: on a LocalCluster of two worker
processes, and when one of them is killed in the middle of its shard."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from dalsnet_audit.audit import AuditOptions, AuditOutcome, run_audit
from dalsnet_audit.distributed import failed_shard, make_shards
from dalsnet_audit.model.device import HostRecord, Platform, Role
from tests.nights import ROOT, SNAPSHOT

distributed = pytest.importorskip("dask.distributed")


def _audit(out: Path, **dask: object) -> AuditOutcome:
    return run_audit(
        AuditOptions(
            inventory=ROOT / "inventory",
            policies=ROOT / "policies",
            offline=SNAPSHOT,
            out=out,
            formats=("json",),
            archive=None,
            **dask,  # type: ignore[arg-type]
        )
    )


def _findings(outcome: AuditOutcome) -> list[dict]:
    # Everything of every finding, in order, but the run it was first seen in (this run).
    return [{k: v for k, v in f.items() if k != "first_seen"} for f in outcome.report["findings"]]


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> AuditOutcome:
    return _audit(tmp_path_factory.mktemp("serial"))


@pytest.mark.parametrize("spool", [False, True], ids=["rows-in-memory", "rows-made-on-workers"])
def test_a_local_cluster_of_two_workers_gives_the_same_findings(serial, tmp_path, spool):
    spread = _audit(tmp_path, workers_local=2, spool_rows=spool)
    assert len(serial.report["findings"]) > 1000
    assert _findings(spread) == _findings(serial)
    assert spread.report["summary"] == serial.report["summary"]
    assert spread.report["devices"] == serial.report["devices"]


def test_a_worker_killed_mid_shard_gives_the_same_findings(serial, tmp_path):
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        outcome: list[AuditOutcome] = []
        audit = threading.Thread(
            target=lambda: outcome.append(_audit(tmp_path, scheduler=cluster.scheduler_address))
        )
        audit.start()
        killed = None
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:  # a worker is judging a shard right now: kill its process
                pids = client.run(os.getpid, workers=[busy[0]])
                killed = pids[busy[0]]
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.02)
        audit.join(timeout=120)
        assert killed is not None, "no shard was seen running"
        assert not audit.is_alive()
    (result,) = outcome
    assert all(d["status"] == "audited" for d in result.report["devices"])
    assert _findings(result) == _findings(serial)


def _host(name: str, municipality: str) -> HostRecord:
    return HostRecord(name, name, Platform.IOS, municipality, 1, Role.SW, (), False, {})


def test_shards_keep_municipalities_whole_and_balance_devices():
    sizes = {"aml": 5, "ben": 4, "ded": 3, "fgl": 2, "mel": 2}
    hosts = [_host(f"{m}-{i}", m) for m, n in sizes.items() for i in range(n)]
    shards = make_shards(hosts, 2)
    assert [sorted(s.municipalities) for s in shards] == [["aml", "fgl", "mel"], ["ben", "ded"]]
    assert [len(s.hosts) for s in shards] == [9, 7]
    # Every host once, with its place in the inventory.
    assert sorted(order for s in shards for order, _ in s.hosts) == list(range(len(hosts)))
    assert len(make_shards(hosts, 10)) == 5  # never more shards than municipalities


def test_a_failed_shard_is_never_a_silent_gap():
    from dalsnet_audit.audit import validate_inputs  # noqa: PLC0415
    from dalsnet_audit.rules.context import RuleContext  # noqa: PLC0415

    inputs = validate_inputs(AuditOptions(inventory=ROOT / "inventory", policies=ROOT / "policies"))
    ctx = RuleContext.build(inputs.policy, _now())
    (shard,) = make_shards([h for h in inputs.all_hosts if h.municipality == "mel"], 1)
    judged = list(failed_shard(shard, ctx, "KilledWorker: gone"))
    assert {j.device.host.name for j in judged} == {h.name for _, h in shard.hosts}
    assert all(not j.device.audited for j in judged)
    assert all("shard 0 (mel) failed: KilledWorker: gone" in (j.device.error or "") for j in judged)
    from dalsnet_audit.rules import REGISTRY  # noqa: PLC0415

    # Nothing read from the devices passes; only what the inventory alone says may (STD-004).
    needs_data = {spec.id for spec in REGISTRY.all() if spec.needs_data}
    passed = {f.rule for j in judged for f in j.findings if f.status.value == "pass"}
    assert not passed & needs_data
    assert any(f.status.value == "error" for j in judged for f in j.findings)


def _now():
    import datetime as dt  # noqa: PLC0415

    return dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)


def test_pinned_shards_run_on_the_worker_with_their_municipality(serial, tmp_path):
    """--pin-shards: one shard per municipality, run only where its resource is."""
    shorts = sorted({d["municipality"] for d in serial.report["devices"]})
    resources = {f"dalsnet-{short}": 1 for short in shorts}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
        resources=resources,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        pinned = _audit(tmp_path, scheduler=cluster.scheduler_address, pin_shards=True)
        ran = client.run_on_scheduler(
            lambda dask_scheduler: sorted(
                k for k in dask_scheduler.task_prefixes if k.startswith("dalsnet-shard")
            )
        )
    assert ran  # the shards ran there
    assert _findings(pinned) == _findings(serial)
