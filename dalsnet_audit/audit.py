"""The audit pipeline: inventory -> collect -> model -> rules -> findings -> reports."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nornir.core import Nornir

from dalsnet_audit.collect.archive import write_snapshot
from dalsnet_audit.collect.backups import archive_backups, snapshot_backups
from dalsnet_audit.collect.credentials import resolve_credentials
from dalsnet_audit.collect.live import LiveCollector
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.collect.ssh import SshOptions
from dalsnet_audit.distributed import LiveSpec, dask_client, judge_distributed
from dalsnet_audit.engine import run_rules, summarise
from dalsnet_audit.errors import InputError, PolicyError
from dalsnet_audit.history import HistoryStore
from dalsnet_audit.inventory import apply_filters, inventory_data, load_inventory, parse_filters
from dalsnet_audit.judging import JudgedNetwork, judge_hosts
from dalsnet_audit.model.device import DeviceSnapshot, HostRecord
from dalsnet_audit.model.finding import Finding
from dalsnet_audit.model.raw import CONSOLE_FILE, RawDevice
from dalsnet_audit.parse.av_console import decode_console, read_console
from dalsnet_audit.pipeline import DevicePipeline
from dalsnet_audit.platforms import DRIVERS
from dalsnet_audit.policy import Policy, load_policy
from dalsnet_audit.policy.models import SEVERITY_ORDER
from dalsnet_audit.report.build import RowMaker, RunInfo, build_report
from dalsnet_audit.report.csv_export import DELIMITERS
from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.publish import check_out, out_lock
from dalsnet_audit.report.rows import FindingRows, json_chunks
from dalsnet_audit.report.write import FILE_NAMES, check_formats, write_reports
from dalsnet_audit.resources import templates_dir
from dalsnet_audit.rules import REGISTRY
from dalsnet_audit.rules.catalogue import check_rule_settings
from dalsnet_audit.rules.context import RuleContext

ProgressFactory = Callable[[int, str], Callable[[int], None]]


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditOptions:
    """What the `audit` command was asked to do."""

    inventory: Path = Path("inventory")
    policies: Path = Path("policies")
    out: Path = Path("reports")
    formats: tuple[str, ...] = ("html", "json")
    csv_delimiter: str | None = None  # findings.csv separator; by default from the language
    fail_on: str = "high"
    offline: Path | None = None
    filters: tuple[str, ...] = ()
    workers: int = 50
    lang: str = "sv"
    templates: Path = field(default_factory=templates_dir)
    credentials: Path | None = None
    av_console: Path | None = None
    as_of: dt.datetime | None = None
    archive: Path | None = Path("archive")
    ssh: SshOptions = field(default_factory=SshOptions)
    history: str | None = None  # SQLite path or postgresql:// URL; None records nothing
    keep_runs: int | None = None  # prune the history (and those runs' archives) to N runs
    spool_rows: bool | None = None  # finding rows on disk; by default from SPOOL_FROM devices
    # The distributed audit (opt-in): a Dask scheduler's address, or a LocalCluster's size.
    scheduler: str | None = None
    workers_local: int | None = None
    pin_shards: bool = False  # one shard per municipality, on the worker with its resource

    @property
    def distributed(self) -> bool:
        """Whether the devices are judged by Dask workers."""
        return self.scheduler is not None or self.workers_local is not None


@dataclass
class AuditOutcome:
    """A finished audit: the report dict, the files written, the exit code."""

    report: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """Exit code of `interfaces.md` (0, 1 or 3; 2 never gets this far)."""
        return int(self.report["run"]["exit_code"])


@dataclass(frozen=True)
class LoadedInputs:
    """Validated inventory and policies, before anything touches the network."""

    policy: Policy
    hosts: list[HostRecord]
    nornir: Nornir
    inventory_names: frozenset[str]
    all_hosts: list[HostRecord]
    filtered: bool

    @property
    def selected(self) -> frozenset[str] | None:
        """The hosts a `--filter` selected, or None when there is no filter."""
        return frozenset(h.name for h in self.hosts) if self.filtered else None


def load_policies(directory: Path) -> Policy:
    """The policies of `directory`, checked against the rule catalogue and the registry.

    Raises:
        PolicyError: a file is missing or malformed, or `rules.yaml` does not fit the rules.
    """
    policy = load_policy(directory)
    check_rule_settings(policy, REGISTRY.ids(), directory)
    return policy


def _check_live_options(options: AuditOptions) -> None:
    """What a live audit needs before it touches the network.

    Raises:
        InputError: `--known-hosts` names no file (every host would fail its key check).
    """
    known = options.ssh.known_hosts
    if known is None:
        return
    if known.exists() and not known.is_file():
        raise InputError("--known-hosts", str(known), "is not a file")
    if not known.exists() and not options.ssh.trust_on_first_use:
        raise InputError(
            "--known-hosts",
            str(known),
            "does not exist (add --trust-on-first-use to record the keys of new devices)",
        )


def validate_inputs(options: AuditOptions) -> LoadedInputs:
    """Load and validate policies, inventory, filters, formats and language.

    Raises:
        InputError: anything is invalid; nothing has been audited.
    """
    if options.fail_on not in SEVERITY_ORDER:
        raise InputError("--fail-on", options.fail_on, f"not one of {', '.join(SEVERITY_ORDER)}")
    try:
        check_formats(options.formats)
        Catalogue.load(options.templates, options.lang)
    except ValueError as exc:
        raise InputError("--format/--lang", None, str(exc)) from None
    if options.csv_delimiter is not None and options.csv_delimiter not in DELIMITERS:
        raise InputError(
            "--csv-delimiter", options.csv_delimiter, f"not one of {', '.join(DELIMITERS)}"
        )
    check_out(options.out, frozenset(FILE_NAMES.values()))
    if options.offline is not None and options.av_console is not None:
        raise InputError(
            "--av-console",
            str(options.av_console),
            "is for live audits; an offline audit reads the snapshot's av/console.csv",
        )
    if options.offline is None:
        _check_live_options(options)
        if options.distributed and options.archive is not None:
            # The workers keep what they collected; an archive without it would look whole.
            raise InputError(
                "--workers-local/--scheduler",
                None,
                "a distributed live audit does not archive its outputs yet: add --no-archive",
            )
    policy = load_policies(options.policies)
    nr, every = load_inventory(options.inventory, policy, options.workers)
    for i, waiver in enumerate(policy.waivers.waivers):
        # A host name must be one; a pattern or scope that matches nothing is listed unused.
        if (
            waiver.device is not None
            and not waiver.is_pattern
            and waiver.device not in nr.inventory.hosts
        ):
            raise PolicyError(
                str(options.policies / "waivers.yaml"),
                f"waivers.{i}.device",
                f"{waiver.device!r} is not a host of the inventory {options.inventory}",
            )
    records = every
    filters = parse_filters(options.filters)
    if filters:
        selected = set(apply_filters(nr, filters).inventory.hosts)
        records = [r for r in every if r.name in selected]
        if not records:
            raise InputError("--filter", ", ".join(options.filters), "selects no host")
    return LoadedInputs(
        policy, records, nr, frozenset(nr.inventory.hosts), every, filtered=bool(filters)
    )


def _audit_live(
    options: AuditOptions, inputs: LoadedInputs, ctx: RuleContext, progress: ProgressFactory | None
) -> tuple[list[DeviceSnapshot], list[Finding], dict[str, RawDevice]]:
    """Collect over SSH/SNMP while a worker process parses and judges each finished host."""
    creds = resolve_credentials(options.inventory, options.credentials)
    if options.ssh.trust_on_first_use and options.ssh.known_hosts is None:
        raise InputError("--trust-on-first-use", None, "needs --known-hosts FILE to record keys in")
    records = {host.name: host for host in inputs.hosts}
    tick = progress(len(records), "hosts") if progress else None
    with DevicePipeline(ctx) as pipeline:

        def collected(name: str, raw: RawDevice) -> None:
            pipeline.submit(records[name], raw)
            if tick is not None:
                tick(1)

        live = LiveCollector(inputs.nornir, creds, options.ssh)
        raws = live.collect_raw(inputs.hosts, on_collected=collected)
        processed = pipeline.results(inputs.hosts)
    devices = [item.device for item in processed]
    findings = run_rules(
        devices, ctx, device_findings=[f for item in processed for f in item.findings]
    )
    archived = {
        item.device.host.name: replace(
            raws[item.device.host.name],
            getters={**raws[item.device.host.name].getters, **item.getters},
            commands={},
        )
        for item in processed
    }
    return devices, findings, archived


def _read_console(path: Path | None) -> bytes | None:
    if path is None:
        return None
    if path.exists() and not path.is_file():
        raise InputError(str(path), None, "the antivirus console export is not a regular file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            str(path), None, f"cannot read the antivirus console export: {exc.strerror}"
        ) from None


def _snapshot_name(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _run_id(started: dt.datetime) -> str:
    return f"{started.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def run_audit(options: AuditOptions, progress: ProgressFactory | None = None) -> AuditOutcome:
    """Audit the selected hosts and write the reports.

    Raises:
        InputError: invalid inventory, policy, snapshot or options (exit 2).
    """
    started = dt.datetime.now(dt.UTC)
    inputs = validate_inputs(options)
    store = HistoryStore(options.history) if options.history else None
    try:
        # One audit at a time per --out, and one recording at a time per history: a second
        # one is refused before it touches the network.
        with out_lock(options.out), store.lock() if store else nullcontext():
            outcome = _audit_and_report(options, inputs, started, progress, store)
            if store is not None and options.keep_runs is not None:
                _prune(store, options.keep_runs, options.archive)
            return outcome
    finally:
        if store is not None:
            store.dispose()


def _prune(store: HistoryStore, keep: int, archive: Path | None) -> None:
    """Keep the newest `keep` runs; remove the archives of the others (only inside `archive`)."""
    root = archive.resolve() if archive is not None else None
    for path in store.prune(keep):
        directory = Path(path).resolve()
        if root is not None and directory.parent == root and directory.is_dir():
            shutil.rmtree(directory)


def _judge_on_dask(
    options: AuditOptions,
    inputs: LoadedInputs,
    ctx: RuleContext,
    network: JudgedNetwork,
    run_id: str,
) -> None:
    """Judge the hosts on Dask workers (`distributed`).

    A shard that failed is logged; its hosts are not audited and their rules say why.
    """
    live = None
    if options.offline is None:
        live = LiveSpec(
            inventory_data(options.inventory),
            options.inventory,
            options.credentials,
            options.ssh,
            options.workers,
        )
    with dask_client(options.scheduler, options.workers_local) as client:
        problems = judge_distributed(
            client,
            inputs.all_hosts if options.offline is not None else inputs.hosts,
            ctx,
            options.offline,
            live,
            network.accept,
            pin=options.pin_shards,
            run_id=run_id,
            make_row=network.make_row,
        )
    for problem in problems:
        log.error("distributed audit: %s", problem)


# From this many devices on, the report's finding rows are spooled to disk (`report.rows`):
# below it they are a list, as fast and as small as it matters.
SPOOL_FROM = 500


def _network(
    options: AuditOptions, inputs: LoadedInputs, run_id: str, started: dt.datetime
) -> JudgedNetwork:
    """Where the judged hosts gather: rows spooled for a large audit, held for a small one."""
    spool = (
        options.spool_rows
        if options.spool_rows is not None
        else (len(inputs.all_hosts) >= SPOOL_FROM)
    )
    if not spool:
        return JudgedNetwork()
    catalogue = Catalogue.load(options.templates, options.lang)
    return JudgedNetwork(
        FindingRows(),
        RowMaker.of(run_id, started, inputs.policy, catalogue, options.templates),
    )


def _audit_and_report(
    options: AuditOptions,
    inputs: LoadedInputs,
    started: dt.datetime,
    progress: ProgressFactory | None,
    store: HistoryStore | None = None,
) -> AuditOutcome:
    run_id = _run_id(started)
    archived: Path | None = None
    approved = store.waiver_evidence() if store is not None else {}
    offline_meta = None
    if options.offline is not None:
        offline = OfflineCollector(options.offline)
        offline_meta = offline.meta
        ctx = RuleContext.build(
            inputs.policy,
            options.as_of or offline.meta.as_of,
            read_console(offline.console_data) if offline.console_data else None,
            inputs.inventory_names,
            inputs.selected,
            DRIVERS.all(),
        )
        # A --filter narrows what is judged, not what is known: network-wide rules judge the
        # selection against every device of the snapshot.
        ctx = replace(
            ctx, backups=snapshot_backups(options.offline, offline.meta), waiver_evidence=approved
        )
        network = _network(options, inputs, run_id, started)
        if options.distributed:
            _judge_on_dask(options, inputs, ctx, network, run_id)
        else:
            tick = progress(len(inputs.hosts), "rules") if progress else None
            for judged in judge_hosts(enumerate(inputs.all_hosts), offline.read, ctx):
                network.add(judged)
                if tick is not None and judged.findings:
                    tick(1)
        devices, findings = network.finish(ctx)
    else:
        console_data = _read_console(options.av_console)
        # Errors name the file given; evidence names it as the archive stores it.
        console = (
            replace(read_console(console_data, str(options.av_console)), source=CONSOLE_FILE)
            if console_data
            else None
        )
        console_text = decode_console(console_data)[0] if console_data else None
        as_of = options.as_of or started
        # The drivers' answers travel with the context: the pipeline's worker then judges
        # every device with one context, not a copy per device.
        ctx = RuleContext.build(
            inputs.policy, as_of, console, inputs.inventory_names, inputs.selected, DRIVERS.all()
        )
        ctx = replace(ctx, waiver_evidence=approved)
        if options.archive is not None:
            # This run archives what it audits; earlier runs hold the rest (STD-005).
            ctx = replace(ctx, backups=archive_backups(options.archive), archiving=True)
        network = None
        if options.distributed:
            network = _network(options, inputs, run_id, started)
            _judge_on_dask(options, inputs, ctx, network, run_id)
            devices, findings = network.finish(ctx)
            raws: dict[str, RawDevice] = {}
        else:
            devices, findings, raws = _audit_live(options, inputs, ctx, progress)
        if options.archive is not None:
            extra = {"run_id": run_id, "as_of": as_of.isoformat()}
            archived = write_snapshot(options.archive / run_id, raws, started, extra, console_text)
    catalogue = Catalogue.load(options.templates, options.lang)
    specs = REGISTRY.all()
    result = summarise(
        devices,
        findings,
        inputs.policy,
        options.fail_on,
        sorted({s.family for s in specs}),
        network.counted if network is not None else None,
    )
    report = build_report(
        RunInfo(
            id=run_id,
            started=started,
            finished=dt.datetime.now(dt.UTC),
            inventory=str(options.inventory),
            mode="offline" if options.offline is not None else "live",
            snapshot=_snapshot_name(options.offline or archived),
            fail_on=options.fail_on,
            as_of=ctx.as_of,
            taken_at=offline_meta.taken_at if offline_meta is not None else started,
            filters=tuple(options.filters),
        ),
        result,
        specs,
        inputs.policy,
        catalogue,
        options.templates,
        network.rows if network is not None else None,
    )
    if store is not None:
        store.annotate(report)
    files = write_reports(
        report,
        options.out,
        options.formats,
        options.templates,
        lang=options.lang,
        csv_delimiter=options.csv_delimiter,
    )
    if store is not None:
        # The snapshot this run read or wrote: `diff` compares configurations, `gate` judges
        # against it.
        text = "".join(json_chunks(report)) if isinstance(report["findings"], FindingRows) else None
        store.record(report, archived or options.offline, text)
    return AuditOutcome(report, files)
