"""The live collector: Nornir's threaded runner over SSH (NAPALM, Netmiko) and SNMP (pysnmp)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host

from dalsnet_audit.collect.base import RawDevice
from dalsnet_audit.collect.credentials import Credentials
from dalsnet_audit.collect.host_keys import HostKeyFiles, KeyTarget, openssh_name
from dalsnet_audit.collect.snmp import SnmpPoller
from dalsnet_audit.collect.ssh import (
    SshOptions,
    collect_host,
    configure_connections,
    known_hosts_source,
)
from dalsnet_audit.model.device import CollectStatus, HostRecord
from dalsnet_audit.platforms import DRIVERS


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
        entry = openssh_name(str(host.hostname), host.port)
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


OnCollected = Callable[[str, RawDevice], None]


class LiveCollector:
    """Collects every host through Nornir's threaded runner; one broken host stops nothing."""

    def __init__(self, nr: Nornir, creds: Credentials, options: SshOptions) -> None:
        self.nr = nr
        self.creds = creds
        self.options = options

    def collect_raw(
        self, hosts: list[HostRecord], on_collected: OnCollected | None = None
    ) -> dict[str, RawDevice]:
        """Collect every host of `hosts`; `on_collected(name, raw)` runs as each one ends."""
        names = {host.name for host in hosts}
        selected = self.nr.filter(filter_func=lambda h: h.name in names)
        needs_snmp = any(DRIVERS.get(h.platform).plan.snmp for h in hosts)
        recorder = (
            KnownHostsRecorder(self.options.known_hosts)
            if self.options.trust_on_first_use and self.options.known_hosts
            else None
        )
        delivered: set[str] = set()
        lock = threading.Lock()

        def deliver(name: str, raw: RawDevice) -> None:
            with lock:
                if name in delivered:
                    return
                delivered.add(name)
            if on_collected is not None:
                on_collected(name, raw)

        targets = [
            KeyTarget(host.name, str(host.hostname), host.port)
            for host in selected.inventory.hosts.values()
        ]
        poller = SnmpPoller() if needs_snmp else None
        try:
            with HostKeyFiles(known_hosts_source(self.options), targets) as key_files:
                configure_connections(selected, self.creds, self.options, key_files)
                results = selected.run(
                    task=collect_host,
                    poller=poller,
                    creds=self.creds,
                    options=self.options,
                    record_key=recorder,
                    on_collected=deliver,
                )
        finally:
            if poller is not None:
                poller.close()
        if recorder is not None:
            recorder.save()
        raws: dict[str, RawDevice] = {}
        for host in hosts:
            multi = results.get(host.name)
            raw = multi[0].result if multi and isinstance(multi[0].result, RawDevice) else None
            if raw is None:
                error = str(multi[0].exception) if multi and multi[0].exception else "no result"
                raw = RawDevice(status=CollectStatus.UNREACHABLE, error=error)
            raws[host.name] = raw
            deliver(host.name, raw)
        return raws
