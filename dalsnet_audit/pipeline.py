"""The live pipeline: each device parsed and judged in a worker process as its session ends.

The other sessions are still running meanwhile.
The collecting process is bound by its GIL (paramiko and Netmiko in 50 threads); the machine's
other core mostly waits. Parsing, the device rules and NAPALM's deferred getters go there:
the audit then takes about as long as collecting alone (benchmarks/live.py).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from dalsnet_audit.engine import judge_device
from dalsnet_audit.model.device import CollectStatus, DeviceSnapshot, HostRecord
from dalsnet_audit.model.finding import Finding
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.rules.context import RuleContext

_CONTEXT: RuleContext | None = None


def _init(ctx: RuleContext) -> None:
    global _CONTEXT  # noqa: PLW0603 - one context per worker process, set once
    _CONTEXT = ctx


def _ready() -> bool:
    return _CONTEXT is not None


@dataclass(frozen=True, slots=True)
class Processed:
    """One device, parsed and judged; the deferred getters' results for the archive."""

    device: DeviceSnapshot
    findings: list[Finding]
    getters: dict[str, Any] = field(default_factory=dict)


def process_device(host: HostRecord, raw: RawDevice) -> Processed:
    """Parse, judge and run the deferred getters of one host (in a worker process)."""
    assert _CONTEXT is not None
    device = normalise(host, raw)
    getters = (
        DRIVERS.get(host.platform).archive_getters(raw)
        if raw.status is CollectStatus.AUDITED
        else {}
    )
    return Processed(device, judge_device(device, _CONTEXT), getters)


class DevicePipeline:
    """A worker process, forked before any collecting thread starts, fed one host at a time."""

    def __init__(self, ctx: RuleContext) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init,
            initargs=(ctx,),
        )
        self._executor.submit(_ready).result()  # fork now, while this process has one thread
        self._futures: dict[str, Future[Processed]] = {}

    def submit(self, host: HostRecord, raw: RawDevice) -> None:
        """Hand a collected host to the worker (thread-safe)."""
        self._futures[host.name] = self._executor.submit(process_device, host, raw)

    def results(self, hosts: list[HostRecord]) -> list[Processed]:
        """Wait for every host of `hosts`, in their order."""
        return [self._futures[host.name].result() for host in hosts]

    def close(self) -> None:
        """Stop the worker."""
        self._executor.shutdown(cancel_futures=True)

    def __enter__(self) -> DevicePipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
