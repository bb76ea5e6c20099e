"""Change control: judge one device (live, or a candidate configuration) before it goes live.

The device is judged by every rule, and the network-wide ones (duplicate addresses and
overlaps, the zone matrix, sites) against the last audited state of the rest of the network:
the snapshot of the newest run in the history store, with the candidate in its place. Without
an audited state the gate cannot decide (exit 3) and says so; it never passes what it could
not compare.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dalsnet_audit.audit import AuditOptions, LoadedInputs, _audit_live, validate_inputs
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.engine import run_rules, summarise
from dalsnet_audit.errors import InputError
from dalsnet_audit.history import HistoryStore
from dalsnet_audit.model.device import DeviceSnapshot, HostRecord
from dalsnet_audit.model.enums import Platform, Role
from dalsnet_audit.model.finding import NETWORK_WIDE
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.policy.models import SEVERITY_ORDER
from dalsnet_audit.report.build import RunInfo, build_report
from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.context import RuleContext

PASS, BLOCKED, UNDECIDED = 0, 1, 3
WORDS = {PASS: "pass", BLOCKED: "blocked", UNDECIDED: "undecided"}
# Show outputs that describe a device's model and software, which its configuration does not.
HARDWARE_SHOWS = frozenset({"show_version"})


@dataclass(frozen=True)
class Candidate:
    """What the gate is asked to judge: an inventory host, or a new one described by flags."""

    host: str
    config: Path | None = None
    platform: str | None = None
    municipality: str | None = None
    site: int | None = None
    role: str | None = None


@dataclass
class GateVerdict:
    """The gate's answer: exit code, why, and the report of the one device."""

    exit_code: int
    reason: str
    report: dict[str, Any] = field(default_factory=dict)
    blocking: list[dict[str, Any]] = field(default_factory=list)


def _record(candidate: Candidate, inputs: LoadedInputs, path: str) -> HostRecord:
    """The inventory's record of the host, or one made from the flags for a new host."""
    known = {h.name: h for h in inputs.all_hosts}
    if candidate.host in known:
        return known[candidate.host]
    missing = [
        flag
        for flag, value in (
            ("--platform", candidate.platform),
            ("--municipality", candidate.municipality),
            ("--site", candidate.site),
            ("--role", candidate.role),
        )
        if value is None
    ]
    if candidate.config is None or missing:
        raise InputError(
            path,
            candidate.host,
            "is not in the inventory: give --config FILE and "
            + ", ".join(missing or ["--platform/--municipality/--site/--role"]),
        )
    try:
        platform, role = Platform(str(candidate.platform)), Role(str(candidate.role))
    except ValueError as exc:
        raise InputError("--platform/--role", None, str(exc)) from None
    shorts = {m.short for m in inputs.policy.plan.municipalities} | {inputs.policy.plan.core.short}
    if candidate.municipality not in shorts:
        raise InputError("--municipality", candidate.municipality, f"not one of {sorted(shorts)}")
    return HostRecord(
        name=candidate.host,
        hostname=candidate.host,
        platform=platform,
        municipality=str(candidate.municipality),
        site=candidate.site,
        role=role,
        groups=(),
        sensitive=False,
        governance={},
    )


@dataclass(frozen=True)
class NetworkState:
    """The rest of the network as the newest whole run saw it."""

    run_id: str
    devices: list[DeviceSnapshot]
    unseen: list[str]  # inventory hosts that run did not audit: the gate cannot see them
    raws: dict[str, RawDevice] = field(default_factory=dict)

    def hardware_of(self, host: str) -> dict[str, str]:
        """The outputs of `host` that describe its hardware and software (`show version`).

        A candidate configuration does not change them.
        """
        raw = self.raws.get(host)
        if raw is None or host in self.unseen:
            return {}
        return {k: v for k, v in raw.shows.items() if k in HARDWARE_SHOWS}


class NoNetworkStateError(Exception):
    """The history holds no run whose snapshot the gate can judge against."""


def _network_state(store: HistoryStore, inputs: LoadedInputs, candidate: str) -> NetworkState:
    """The newest run that judged the whole inventory, its snapshot normalised again.

    A run narrowed by `--filter` (or older than hosts the inventory has since gained) is used
    only when no whole one is left, and then the hosts it did not judge are `unseen`; a run
    whose snapshot is gone is passed over.

    Raises:
        NoNetworkStateError: no run with a snapshot; its message says why.
    """
    wanted = {h.name for h in inputs.all_hosts} - {candidate}
    passed_over: list[str] = []
    narrow: tuple[str, Path, set[str]] | None = None
    for run in store.runs():
        report = store.report(run.id)
        where = run.archive or report["run"].get("snapshot")
        if not where or not Path(where).is_dir():
            passed_over.append(f"the snapshot of run {run.id} ({where or 'none'}) is gone")
            continue
        audited = {d["name"] for d in report["devices"] if d["status"] == "audited"}
        judged = {d["name"] for d in report["devices"]}
        if wanted <= judged:
            return _state(run.id, Path(where), audited, wanted, inputs)
        narrow = narrow or (run.id, Path(where), audited)
    if narrow is not None:
        return _state(*narrow, wanted, inputs)
    raise NoNetworkStateError("; ".join(passed_over[:3]) or "no run recorded")


def _state(
    run_id: str, where: Path, audited: set[str], wanted: set[str], inputs: LoadedInputs
) -> NetworkState:
    raws = OfflineCollector(where).collect_raw(inputs.all_hosts)
    devices = [normalise(h, raws[h.name]) for h in inputs.all_hosts]
    return NetworkState(run_id, devices, sorted(wanted - audited), raws)


def run_gate(
    options: AuditOptions, candidate: Candidate, history: str, change_id: str | None
) -> GateVerdict:
    """Judge the candidate; record the verdict (with `change_id`) in the history.

    Raises:
        InputError: bad inventory, policy, flags or history (exit 2).
    """
    started = dt.datetime.now(dt.UTC)
    run_id = f"gate-{started.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
    inputs = validate_inputs(options)
    host = _record(candidate, inputs, str(options.inventory / "hosts.yaml"))
    store = HistoryStore(history)
    try:
        try:
            state = _network_state(store, inputs, host.name)
        except NoNetworkStateError as why:
            verdict = GateVerdict(
                UNDECIDED,
                f"no audited state of the whole network in the history {store.location} "
                f"({why.args[0]}): run `dalsnet-audit audit` first; the network-wide rules "
                "cannot be judged without it",
                _empty_report(run_id, started, options.fail_on),
            )
        else:
            verdict = _judge(options, inputs, host, candidate, state, started, run_id)
        verdict.report["gate"] = {
            "host": host.name,
            "municipality": host.municipality,
            "verdict": WORDS[verdict.exit_code],
            "reason": verdict.reason,
        }
        store.record_gate(verdict.report, verdict.exit_code, host.name, change_id)
        return verdict
    finally:
        store.dispose()


def _judge(
    options: AuditOptions,
    inputs: LoadedInputs,
    host: HostRecord,
    candidate: Candidate,
    state: NetworkState,
    started: dt.datetime,
    run_id: str,
) -> GateVerdict:
    """The candidate judged by every rule, with the rest of the network as `state` saw it."""
    ctx = RuleContext.build(
        inputs.policy,
        started,
        None,
        inputs.inventory_names | {host.name},
        frozenset({host.name}),
        DRIVERS.all(),
    )
    # The candidate's configuration is in hand: it counts as backed up now (STD-005).
    ctx = replace(ctx, backups={host.name: started})
    if candidate.config is not None:
        text = candidate.config.read_text(encoding="utf-8", errors="replace")
        # Its model and software are those the last audit read (a configuration does not
        # change them); a new host has none, and the rules that need them cannot decide.
        device = normalise(host, RawDevice(config=text, shows=state.hardware_of(host.name)))
        if not device.audited or not text.strip():
            raise InputError(
                str(candidate.config),
                None,
                f"not a {host.platform.value} configuration that can be judged: "
                f"{device.error or 'the file is empty'}",
            )
        findings = None
    else:
        live = replace(options, filters=(f"name={host.name}",), archive=None)
        devices, judged, _ = _audit_live(live, validate_inputs(live), ctx, None)
        device = devices[0]
        # Its own rules as the live audit judged them; the network-wide ones below, with the
        # rest of the network (the live audit of one host saw only itself).
        own = {spec.id for spec in REGISTRY.all() if spec.scope == "device"}
        findings = [f for f in judged if f.rule in own]
    view = [d for d in state.devices if d.host.name != host.name] + [device]
    if findings is None:
        findings = run_rules([device], ctx, network_view=view)
    else:
        findings = run_rules([device], ctx, device_findings=findings, network_view=view)
    findings = [f for f in findings if f.device in (host.name, NETWORK_WIDE)]
    result = summarise(
        [device],
        findings,
        inputs.policy,
        options.fail_on,
        sorted({s.family for s in REGISTRY.all()}),
    )
    report = build_report(
        RunInfo(
            id=run_id,
            started=started,
            finished=dt.datetime.now(dt.UTC),
            inventory=str(options.inventory),
            mode="gate",
            snapshot=state.run_id,
            fail_on=options.fail_on,
            as_of=started,
        ),
        result,
        REGISTRY.all(),
        inputs.policy,
        Catalogue.load(options.templates, options.lang),
        options.templates,
    )
    return _verdict(report, device, options.fail_on, state)


def _empty_report(run_id: str, started: dt.datetime, fail_on: str) -> dict[str, Any]:
    """The report of a gate that judged nothing: its run, no devices, no findings."""
    return {
        "run": {
            "id": run_id,
            "started": started.isoformat(),
            "finished": dt.datetime.now(dt.UTC).isoformat(),
            "mode": "gate",
            "snapshot": None,
            "fail_on": fail_on,
        },
        "devices": [],
        "rules": [],
        "findings": [],
    }


def _verdict(
    report: dict[str, Any], device: DeviceSnapshot, fail_on: str, state: NetworkState
) -> GateVerdict:
    if not device.audited:
        return GateVerdict(
            UNDECIDED, f"{device.host.name} could not be read: {device.error}", report
        )
    floor = SEVERITY_ORDER[fail_on]
    blocking = [
        f
        for f in report["findings"]
        if f["status"] == "fail" and SEVERITY_ORDER[f["severity"]] >= floor
    ]
    if blocking:
        return GateVerdict(
            BLOCKED,
            f"{len(blocking)} failure(s) at or above {fail_on}, judged with the network of "
            f"run {state.run_id}",
            report,
            blocking,
        )
    undecided = [f for f in report["findings"] if f["status"] == "error"]
    serious = [f for f in undecided if SEVERITY_ORDER[f["severity"]] >= floor]
    if serious:
        return GateVerdict(
            UNDECIDED,
            f"nothing at or above {fail_on} fails, but {len(serious)} rule(s) at or above it "
            f"could not be judged ({_rules(serious)}): judge the device live (without "
            "--config) or give it what they need",
            report,
            serious,
        )
    if state.unseen:
        shown = ", ".join(state.unseen[:5]) + (" ..." if len(state.unseen) > 5 else "")
        return GateVerdict(
            UNDECIDED,
            f"nothing at or above {fail_on} fails, but run {state.run_id} did not audit "
            f"{len(state.unseen)} host(s) ({shown}): the network-wide rules could not compare "
            "with them",
            report,
        )
    below = f"; not judged, below {fail_on}: {_rules(undecided)}" if undecided else ""
    return GateVerdict(
        PASS,
        f"nothing at or above {fail_on} fails (network of run {state.run_id}){below}",
        report,
    )


def _rules(findings: list[dict[str, Any]]) -> str:
    """`STD-002 (the device did not say its model.)`, one per rule."""
    seen: dict[str, str] = {}
    for finding in findings:
        seen.setdefault(finding["rule"], str(finding.get("message") or ""))
    return "; ".join(f"{rule} ({message})" for rule, message in seen.items())


__all__ = [
    "BLOCKED",
    "PASS",
    "UNDECIDED",
    "Candidate",
    "GateVerdict",
    "NoNetworkStateError",
    "run_gate",
]
