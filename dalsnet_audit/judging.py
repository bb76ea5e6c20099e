"""Devices judged one at a time, their full models let go: an audit whose memory stays flat.

Each host is read, parsed and judged by the device rules; what is kept of it is what the
network-wide rules read (`DeviceSnapshot.network_facts`) and its findings. The report rows of
its passes, errors and not-applicables are written to the spool at once
(`report.rows.FindingRows`) and kept only as counts for the tallies and the exit code
(`counted`; a server's antivirus verdicts as `Verdict`s, for the coverage); failures stay whole
until waivers and the network-wide rules have run. The distributed audit (`distributed`)
feeds its shards' results in the same way, so one machine and many give the same report.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from dalsnet_audit.engine import COVERAGE_RULES, judge_device, run_rules
from dalsnet_audit.model.device import DeviceSnapshot, HostRecord
from dalsnet_audit.model.finding import Finding, Status, Verdict
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.report.build import RowMaker
from dalsnet_audit.report.rows import FindingRows, encode_rows
from dalsnet_audit.rules.context import RuleContext


@dataclass(frozen=True, slots=True)
class Judged:
    """One host after its own rules: its place in the inventory, its compact facts, findings."""

    order: int
    device: DeviceSnapshot  # `network_facts()` of the parsed device
    findings: list[Finding]


def judge_hosts(
    hosts: Iterable[tuple[int, HostRecord]],
    raw_of: Callable[[HostRecord], RawDevice],
    ctx: RuleContext,
) -> Iterator[Judged]:
    """Read, parse and judge each host (those `ctx` selects); keep only its compact facts."""
    for order, host in hosts:
        device = normalise(host, raw_of(host))
        findings = judge_device(device, ctx) if ctx.is_selected(host.name) else []
        yield Judged(order, device.network_facts(), findings)


def held(finding: Finding | Verdict) -> bool:
    """Whether the finding's row waits for the end (made after waivers and network rules).

    A failure (a waiver may still cover it), a finding carrying details a report draws (a
    firewall's zone grid), or a server's antivirus error (the coverage quotes its reasons).
    """
    return (
        finding.status is Status.FAIL
        or finding.details is not None
        or (finding.status is Status.ERROR and finding.rule in COVERAGE_RULES)
    )


@dataclass(frozen=True, slots=True)
class Prepared:
    """A judged host reduced to what the coordinator keeps: its rows made, its passes counted."""

    order: int
    device: DeviceSnapshot
    rows: bytes  # `report.rows.encode_rows`: JSON lines, held rows marked
    count: int
    kept: list[Finding | Verdict]  # what waits for the end, and a server's antivirus verdicts
    counted: Counter[tuple[str, str, Status]]
    compressed: bool = False  # `rows` zlib-compressed, as a Dask worker sends them

    def packed(self) -> Prepared:
        """The same, its rows compressed for the way back from a worker."""
        return replace(self, rows=zlib.compress(self.rows, 1), compressed=True)


def prepare(judged: Judged, make_row: Callable[[Finding], dict[str, Any]]) -> Prepared:
    """The rows of a judged host's findings made now, held back where they must wait."""
    kept: list[Finding | Verdict] = []
    counted: Counter[tuple[str, str, Status]] = Counter()
    municipality = judged.device.host.municipality
    for finding in judged.findings:
        if held(finding):
            kept.append(finding)
        elif finding.rule in COVERAGE_RULES:  # antivirus coverage reads each server's
            kept.append(Verdict.of(finding))
        else:
            counted[(finding.rule, municipality, finding.status)] += 1
    rows, count = encode_rows(None if held(f) else make_row(f) for f in judged.findings)
    return Prepared(judged.order, judged.device, rows, count, kept, counted)


class JudgedNetwork:
    """The judged hosts gathered in inventory order, their passes' rows already spooled."""

    def __init__(self, rows: FindingRows | None = None, make_row: RowMaker | None = None) -> None:
        """Spool the rows to `rows` with `make_row`; without them keep every finding whole."""
        self.rows = rows
        self._make_row = make_row
        self._devices: dict[int, DeviceSnapshot] = {}
        self._findings: dict[int, list[Finding | Verdict]] = {}
        # Passes kept only as counts, by (rule, municipality, status), for the tallies.
        self.counted: Counter[tuple[str, str, Status]] = Counter()

    def add(self, judged: Judged) -> None:
        """One judged host (in any order: the distributed audit's shards finish as they do)."""
        if self.rows is None or self._make_row is None:
            self._devices[judged.order] = judged.device
            self._findings[judged.order] = list(judged.findings)
            return
        self.add_prepared(prepare(judged, self._make_row))

    def accept(self, item: Judged | Prepared) -> None:
        """A judged host, prepared or not (`distributed`)."""
        if isinstance(item, Prepared):
            self.add_prepared(item)
        else:
            self.add(item)

    def add_prepared(self, prepared: Prepared) -> None:
        """One judged host whose rows are made (here, or on a Dask worker)."""
        assert self.rows is not None
        self._devices[prepared.order] = prepared.device
        rows = zlib.decompress(prepared.rows) if prepared.compressed else prepared.rows
        self.rows.add_lines(prepared.order, rows, prepared.count)
        self._findings[prepared.order] = prepared.kept
        self.counted.update(prepared.counted)

    @property
    def make_row(self) -> RowMaker | None:
        """What makes a row of a finding, when the rows are spooled (a worker makes them too)."""
        return self._make_row

    @property
    def devices(self) -> list[DeviceSnapshot]:
        """Every host, in inventory order."""
        return [self._devices[order] for order in sorted(self._devices)]

    def finish(self, ctx: RuleContext) -> tuple[list[DeviceSnapshot], list[Finding]]:
        """Run the network-wide rules and the waivers; fill in the rows held back.

        Returns:
            The judged (selected) devices and every finding, in the order of the rows.
        """
        known = self.devices
        judged = [d for d in known if ctx.is_selected(d.host.name)]
        own = [f for order in sorted(self._findings) for f in self._findings[order]]
        findings = run_rules(judged, ctx, device_findings=own, network_view=known)  # type: ignore[arg-type]
        self._findings.clear()
        if self.rows is not None and self._make_row is not None:
            make_row = self._make_row
            self.rows.finish(
                (make_row(f) for f in findings[: len(own)] if not isinstance(f, Verdict)),
                (make_row(f) for f in findings[len(own) :]),
            )
        return judged, findings


__all__ = ["Judged", "JudgedNetwork", "Prepared", "held", "judge_hosts", "prepare"]
