"""The live collector: Nornir's threaded runner over SSH (NAPALM, Netmiko) and SNMP (pysnmp)."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host

from dalsnet_audit.collect.base import RawDevice
from dalsnet_audit.collect.credentials import Credentials
from dalsnet_audit.collect.napalm_replay import submit_replays
from dalsnet_audit.collect.snmp import SnmpPoller
from dalsnet_audit.collect.ssh import SshOptions, collect_host, configure_connections
from dalsnet_audit.model.device import CollectStatus, DeviceSnapshot, HostRecord, Platform
from dalsnet_audit.parse.device import parse_device


class KnownHostsRecorder:
    """Trust on first use: remember the keys of hosts not yet in the known_hosts file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._new: list[str] = []

    def __call__(self, host: Host, key: Any) -> None:
        """Note `host`'s key (a paramiko `PKey`), keyed as OpenSSH does for its port."""
        if key is None:
            return
        entry = host.hostname if (host.port or 22) == 22 else f"[{host.hostname}]:{host.port}"
        with self._lock:
            self._new.append(f"{entry} {key.get_name()} {key.get_base64()}")

    def save(self) -> int:
        """Append the new keys to the file; returns how many were added."""
        existing = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        known = {" ".join(line.split()[:2]) for line in existing if line.strip()}
        added = [line for line in self._new if " ".join(line.split()[:2]) not in known]
        if added:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("\n".join([*existing, *added]) + "\n", encoding="utf-8")
            tmp.replace(self.path)
        return len(added)


class LiveCollector:
    """Collects every host through Nornir's threaded runner; one broken host stops nothing."""

    def __init__(self, nr: Nornir, creds: Credentials, options: SshOptions) -> None:
        self.nr = nr
        self.creds = creds
        self.options = options
        self.raws: dict[str, RawDevice] = {}
        self._executor: ProcessPoolExecutor | None = None
        self._replays: dict[str, Future[dict[str, Any]]] = {}
        configure_connections(nr, creds, options)

    def collect(self, hosts: list[HostRecord]) -> list[DeviceSnapshot]:
        """Collect, archive-ready (`self.raws`), and parse every host of `hosts`."""
        names = {host.name for host in hosts}
        selected = self.nr.filter(filter_func=lambda h: h.name in names)
        needs_snmp = any(h.platform in (Platform.LINUX, Platform.WINDOWS) for h in hosts)
        recorder = (
            KnownHostsRecorder(self.options.known_hosts)
            if self.options.trust_on_first_use and self.options.known_hosts
            else None
        )
        poller = SnmpPoller() if needs_snmp else None
        try:
            results = selected.run(
                task=collect_host,
                poller=poller,
                creds=self.creds,
                options=self.options,
                record_key=recorder,
            )
        finally:
            if poller is not None:
                poller.close()
        if recorder is not None:
            recorder.save()
        for host in hosts:
            multi = results.get(host.name)
            raw = multi[0].result if multi and isinstance(multi[0].result, RawDevice) else None
            if raw is None:
                error = str(multi[0].exception) if multi and multi[0].exception else "no result"
                raw = RawDevice(status=CollectStatus.UNREACHABLE, error=error)
            self.raws[host.name] = raw
        self._start_replays()
        return [parse_device(host, self.raws[host.name]) for host in hosts]

    def _start_replays(self) -> None:
        """Deferred NAPALM getters in a worker process, while this one parses and judges."""
        pending = {
            name: raw.commands
            for name, raw in self.raws.items()
            if raw.status is CollectStatus.AUDITED and raw.commands
        }
        if pending:
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            self._replays = submit_replays(self._executor, pending)

    def finish(self) -> dict[str, RawDevice]:
        """Wait for the deferred getters; the raw data of every host, ready to archive."""
        if self._executor is None:
            return self.raws
        try:
            for name, future in self._replays.items():
                raw = self.raws[name]
                self.raws[name] = replace(
                    raw, getters={**raw.getters, **future.result()}, commands={}
                )
        finally:
            self._executor.shutdown()
            self._executor = None
        return self.raws
