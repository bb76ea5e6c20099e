"""`dalsnet-audit`: the command line (interfaces.md). Thin: parse options, call, print, exit."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dalsnet_audit import __version__
from dalsnet_audit.audit import (
    AuditOptions,
    load_policies,
    run_audit,
    validate_inputs,
)
from dalsnet_audit.collect.ssh import SshOptions
from dalsnet_audit.errors import InputError
from dalsnet_audit.history import HistoryStore, default_location
from dalsnet_audit.history.diff import config_changes, diff_reports
from dalsnet_audit.history.store import redacted
from dalsnet_audit.masking import MaskingFormatter, clean_text
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.notify import NotifyOptions, notify
from dalsnet_audit.paths import write_text_atomic
from dalsnet_audit.report.build import relocalise
from dalsnet_audit.report.csv_export import DELIMITERS
from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.junit import render_junit
from dalsnet_audit.report.publish import out_location
from dalsnet_audit.report.references import reference_labels
from dalsnet_audit.report.write import check_formats, write_reports
from dalsnet_audit.resources import reference_dir, templates_dir
from dalsnet_audit.rules import REGISTRY

EXIT_INVALID = 2

app = typer.Typer(
    help="Compliance audit of Dalslandsnätet against the Dalsland municipalities' IT strategy.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()


@app.callback()
def _main() -> None:
    """Library warnings (paramiko, netmiko, napalm) reach stderr masked, like every report."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter("%(name)s %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


InventoryOpt = Annotated[
    Path, typer.Option("--inventory", help="Nornir SimpleInventory directory.")
]
PoliciesOpt = Annotated[
    Path, typer.Option("--policies", help="Policy directory (policies/*.yaml).")
]


def _fail_input(exc: InputError) -> typer.Exit:
    err.print(
        f"[bold red]error:[/] {escape(clean_text(str(exc)))}", highlight=False, soft_wrap=True
    )
    return typer.Exit(EXIT_INVALID)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, str], Callable[[int], None]] | None]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:

        def factory(total: int, label: str) -> Callable[[int], None]:
            task = progress.add_task(label, total=total)
            return lambda step: progress.advance(task, step)

        yield factory


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        help="History store: a SQLite file or a postgresql:// URL "
        "(default: $DALSNET_HISTORY, else var/history.sqlite beside --out).",
    ),
]


@app.command()
def audit(
    inventory: InventoryOpt = Path("inventory"),
    policies: PoliciesOpt = Path("policies"),
    out_dir: Annotated[Path, typer.Option("--out", help="Report directory.")] = Path("reports"),
    formats: Annotated[
        str, typer.Option("--format", help="Comma list of html,md,json,junit,csv,sarif.")
    ] = "html,json",
    csv_delimiter: Annotated[
        str | None,
        typer.Option(
            "--csv-delimiter", help="findings.csv separator (default: ';' in Swedish, else ',')."
        ),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="Exit 1 when a failure at or above this severity exists."),
    ] = "high",
    offline: Annotated[
        Path | None,
        typer.Option("--offline", help="Audit a snapshot directory instead of the network."),
    ] = None,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="KEY=VALUE[,VALUE] on municipality, site, role, name, platform; repeatable.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=500, help="Hosts collected in parallel.")
    ] = 50,
    credentials: Annotated[
        Path | None,
        typer.Option("--credentials", help="KEY=VALUE file of DALSNET_* secrets, mode 600."),
    ] = None,
    av_console: Annotated[
        Path | None,
        typer.Option(
            "--av-console", help="The antivirus console's CSV export of its agents (live audits)."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge ages (signatures, backups) as of this ISO time; "
            "default: now, or a snapshot's taken_at.",
        ),
    ] = None,
    known_hosts: Annotated[
        Path | None, typer.Option("--known-hosts", help="SSH host keys to check devices against.")
    ] = None,
    trust_on_first_use: Annotated[
        bool,
        typer.Option("--trust-on-first-use", help="Record keys of hosts not yet in --known-hosts."),
    ] = False,
    archive: Annotated[
        Path,
        typer.Option(
            "--archive", help="Where a live audit stores what it collected (a snapshot per run)."
        ),
    ] = Path("archive"),
    no_archive: Annotated[
        bool, typer.Option("--no-archive", help="Do not store the collected data.")
    ] = False,
    connect_timeout: Annotated[float, typer.Option("--connect-timeout", min=1, max=3600)] = 10.0,
    command_timeout: Annotated[float, typer.Option("--command-timeout", min=1, max=3600)] = 30.0,
    host_timeout: Annotated[
        float,
        typer.Option(
            "--host-timeout",
            min=1,
            max=86400,
            help="Most seconds one host may take, all attempts together (then: timeout).",
        ),
    ] = 180.0,
    lang: Annotated[str, typer.Option("--lang", help="Report language: sv or en.")] = "sv",
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
    templates: Annotated[Path | None, typer.Option("--templates", hidden=True)] = None,
    history: HistoryOpt = None,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not record this run in the history.")
    ] = False,
    keep_runs: Annotated[
        int | None,
        typer.Option("--keep-runs", min=1, help="Keep the newest N runs (and their archives)."),
    ] = None,
    notify_email: Annotated[
        str | None,
        typer.Option("--notify-email", help="Mail the digest to these addresses (comma list)."),
    ] = None,
    notify_webhook: Annotated[
        str | None, typer.Option("--notify-webhook", help="POST the digest as JSON here.")
    ] = None,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="The run's log line as JSON (for log shippers).")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Judge on the Dask cluster of this scheduler (tcp://HOST:8786)."
        ),
    ] = None,
    workers_local: Annotated[
        int | None,
        typer.Option("--workers-local", min=1, help="Judge on a local Dask cluster of N workers."),
    ] = None,
    pin_shards: Annotated[
        bool,
        typer.Option(
            "--pin-shards",
            help="One shard per municipality, on the worker with resource dalsnet-<short>.",
        ),
    ] = False,
) -> None:
    """Audit every device of the inventory, write the reports, record the run."""
    if scheduler is not None and workers_local is not None:
        raise _fail_input(
            InputError("--scheduler", scheduler, "give --scheduler or --workers-local, not both")
        )
    try:
        judged_at = dt.datetime.fromisoformat(as_of.replace("Z", "+00:00")) if as_of else None
    except ValueError:
        raise _fail_input(InputError("--as-of", as_of, "not an ISO-8601 time")) from None
    if judged_at is not None and judged_at.tzinfo is None:
        judged_at = judged_at.replace(tzinfo=dt.UTC)
    options = AuditOptions(
        inventory=inventory,
        policies=policies,
        out=out_dir,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        csv_delimiter=csv_delimiter,
        fail_on=fail_on,
        offline=offline,
        filters=tuple(filters or ()),
        workers=workers,
        lang=lang,
        templates=templates or templates_dir(),
        credentials=credentials,
        av_console=av_console,
        as_of=judged_at,
        archive=None if no_archive else archive,
        history=None if no_history else history or default_location(out_location(out_dir)),
        keep_runs=keep_runs,
        scheduler=scheduler,
        workers_local=workers_local,
        pin_shards=pin_shards,
        ssh=SshOptions(
            connect_timeout=connect_timeout,
            command_timeout=command_timeout,
            host_timeout=host_timeout,
            known_hosts=known_hosts,
            trust_on_first_use=trust_on_first_use,
        ),
    )
    notify_options = NotifyOptions(
        tuple(a.strip() for a in (notify_email or "").split(",") if a.strip()), notify_webhook
    )
    show = not quiet and sys.stderr.isatty()
    # A `kill` (SIGTERM, as systemd and cron stop a job) unwinds like an exception, so the
    # history's run lock and the report directory's lock are released on the way out.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with _progress(show) as progress:
            outcome = run_audit(options, progress)
    except InputError as exc:
        raise _fail_input(exc) from None
    for problem in notify(outcome.report, notify_options):
        err.print(f"notify: {problem}", highlight=False, markup=False, soft_wrap=True)
    if log_json:
        err.print(
            json.dumps(run_log_line(outcome.report)), highlight=False, markup=False, soft_wrap=True
        )
    if not quiet:
        summary = outcome.report["summary"]["by_status"]
        devices = outcome.report["devices"]
        audited = sum(1 for d in devices if d["status"] == "audited")
        out.print(
            f"{audited}/{len(devices)} devices audited; "
            + ", ".join(f"{k} {v}" for k, v in summary.items() if v)
            + f"; exit {outcome.exit_code}",
            highlight=False,
        )
        if outcome.report["run"]["mode"] == "live" and outcome.report["run"]["snapshot"]:
            out.print(
                f"archive: {outcome.report['run']['snapshot']}", highlight=False, soft_wrap=True
            )
        for fmt, path in outcome.files.items():
            out.print(f"{fmt}: {path.absolute()}", highlight=False, soft_wrap=True)
        if options.history:
            out.print(f"history: {redacted(options.history)}", highlight=False, soft_wrap=True)
    raise typer.Exit(outcome.exit_code)


def run_log_line(report: dict[str, Any]) -> dict[str, object]:
    """One structured line per run: counts and duration (journald, log shippers)."""
    run = report["run"]
    devices = report["devices"]
    started = dt.datetime.fromisoformat(run["started"])
    finished = dt.datetime.fromisoformat(run["finished"])
    return {
        "event": "audit_run",
        "run": run["id"],
        "mode": run["mode"],
        "exit_code": run["exit_code"],
        "devices": len(devices),
        "audited": sum(1 for d in devices if d["status"] == "audited"),
        "findings": dict(report["summary"]["by_status"]),
        "new_failures": len((report.get("since_last") or {}).get("new", [])),
        "duration_s": round((finished - started).total_seconds(), 3),
    }


def _history(history: str | None, out_dir: Path = Path("reports")) -> HistoryStore:
    try:
        return HistoryStore(history or default_location(out_location(out_dir)))
    except InputError as exc:
        raise _fail_input(exc) from None


def _two_runs(store: HistoryStore, run_a: str | None, run_b: str | None) -> tuple[str, str]:
    recorded = [r.id for r in store.runs()]
    if run_a and run_b:
        return run_a, run_b
    if run_a:  # one run given: it against the run before it
        if run_a not in recorded or recorded.index(run_a) + 1 >= len(recorded):
            raise _fail_input(InputError(store.location, run_a, "no earlier run to compare with"))
        return recorded[recorded.index(run_a) + 1], run_a
    if len(recorded) < 2:
        raise _fail_input(
            InputError(store.location, None, f"{len(recorded)} run(s) recorded; diff needs two")
        )
    return recorded[1], recorded[0]


@app.command()
def diff(
    run_a: Annotated[
        str | None, typer.Argument(help="The earlier run (default: the one before the last).")
    ] = None,
    run_b: Annotated[str | None, typer.Argument(help="The later run (default: the last).")] = None,
    history: HistoryOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """What changed between two recorded runs: failures, reachability, waivers, configurations."""
    store = _history(history)
    try:
        first, second = _two_runs(store, run_a, run_b)
        before, after = store.report(first), store.report(second)
        # Devices the earlier run did not audit: compared with the last run that did.
        earlier = store.last_audited(before["run"]["started"])
        last_status = store.last_status(before["run"]["started"])
        archives = {r.id: r.archive for r in store.runs()}
    except InputError as exc:
        raise _fail_input(exc) from None
    finally:
        store.dispose()
    changes = diff_reports(before, after, earlier, last_status)
    archive_a, archive_b = archives.get(first), archives.get(second)
    changes["config_changes"] = config_changes(
        Path(archive_a) if archive_a else None,
        Path(archive_b) if archive_b else None,
        [d["name"] for d in after["devices"]],
    )
    if as_json:
        out.print_json(json.dumps(changes, ensure_ascii=False))
        return
    out.print(f"{first} -> {second}", highlight=False)
    for title, key in (("new failures", "new"), ("resolved failures", "resolved")):
        rows = changes[key]
        out.print(f"{title}: {len(rows)}", highlight=False)
        for row in rows:
            out.print(
                f"  [{row['severity']}] {row['rule']} {row['device']}: {row['message']}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )
    for title, key in (("no longer audited", "unreachable"), ("audited again", "reachable")):
        rows = changes[key]
        out.print(f"{title}: {len(rows)}", highlight=False)
        for row in rows:
            detail = f" ({row['status']}: {row['error']})" if row.get("status") else ""
            out.print(f"  {row['device']}{detail}", highlight=False, markup=False, soft_wrap=True)
            for failure in row.get("failures", []):
                out.print(
                    f"    and so fails {failure['rule']}: {failure['message']}",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
    for title, key in (("waived since", "waivers_added"), ("no longer waived", "waivers_removed")):
        if changes[key]:
            out.print(f"{title}: {len(changes[key])}", highlight=False)
            for row in changes[key]:
                out.print(f"  {row['rule']} {row['device']}", highlight=False, markup=False)
    out.print(f"configuration changes: {len(changes['config_changes'])}", highlight=False)
    for text in changes["config_changes"].values():
        out.print(text, highlight=False, markup=False, soft_wrap=True, end="")


@app.command()
def report(
    run: Annotated[str | None, typer.Argument(help="A recorded run (default: the last).")] = None,
    history: HistoryOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Report directory.")] = Path("reports"),
    formats: Annotated[
        str, typer.Option("--format", help="Comma list of html,md,json,junit,csv,sarif.")
    ] = "html,json",
    csv_delimiter: Annotated[
        str | None,
        typer.Option(
            "--csv-delimiter", help="findings.csv separator (default: ';' in Swedish, else ',')."
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: sv or en.")] = "sv",
) -> None:
    """Re-render the reports of a recorded run, in any format and language."""
    store = _history(history, out_dir)
    try:
        recorded = [r.id for r in store.runs()]
        if not recorded:
            raise InputError(store.location, None, "no run recorded yet")
        chosen = run or recorded[0]
        data = store.report(chosen)
        wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
        try:
            check_formats(wanted)
            catalogue = Catalogue.load(templates_dir(), lang)
        except ValueError as exc:
            raise InputError("--format/--lang", None, str(exc)) from None
    except InputError as exc:
        raise _fail_input(exc) from None
    finally:
        store.dispose()
    if csv_delimiter is not None and csv_delimiter not in DELIMITERS:
        raise _fail_input(InputError("--csv-delimiter", csv_delimiter, f"not one of {DELIMITERS}"))
    files = write_reports(
        relocalise(data, catalogue),
        out_dir,
        wanted,
        templates_dir(),
        lang=lang,
        csv_delimiter=csv_delimiter,
    )
    for fmt, path in files.items():
        out.print(f"{fmt}: {path.absolute()}", highlight=False, soft_wrap=True)


@app.command()
def gate(
    host: Annotated[str, typer.Option("--host", help="The device to judge (inventory name).")],
    config: Annotated[
        Path | None, typer.Option("--config", help="A candidate configuration file to judge.")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="New host: ios, asa...")
    ] = None,
    municipality: Annotated[str | None, typer.Option("--municipality")] = None,
    site: Annotated[int | None, typer.Option("--site")] = None,
    role: Annotated[str | None, typer.Option("--role", help="New host: rtr, sw, fw, srv.")] = None,
    inventory: InventoryOpt = Path("inventory"),
    policies: PoliciesOpt = Path("policies"),
    history: HistoryOpt = None,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Write the verdict as JUnit XML.")
    ] = None,
    change_id: Annotated[
        str | None, typer.Option("--change-id", help="The change recorded with the verdict.")
    ] = None,
    fail_on: Annotated[str, typer.Option("--fail-on")] = "high",
    lang: Annotated[str, typer.Option("--lang", help="Language: sv or en.")] = "sv",
    credentials: Annotated[Path | None, typer.Option("--credentials")] = None,
    known_hosts: Annotated[Path | None, typer.Option("--known-hosts")] = None,
) -> None:
    """Change control: judge one device before it goes live (0 pass, 1 blocked, 3 undecided)."""
    from dalsnet_audit.gate import Candidate, run_gate  # noqa: PLC0415 - keeps the CLI light

    options = AuditOptions(
        inventory=inventory,
        policies=policies,
        fail_on=fail_on,
        lang=lang,
        credentials=credentials,
        archive=None,
        ssh=SshOptions(known_hosts=known_hosts),
    )
    candidate = Candidate(host, config, platform, municipality, site, role)
    if config is not None and not config.is_file():
        raise _fail_input(InputError(str(config), None, "no such file"))
    try:
        verdict = run_gate(
            options,
            candidate,
            history or default_location(out_location(Path("reports"))),
            change_id,
        )
    except InputError as exc:
        raise _fail_input(exc) from None
    word = {0: "PASS", 1: "BLOCKED", 3: "UNDECIDED"}[verdict.exit_code]
    change = f" (change {change_id})" if change_id else ""
    out.print(
        f"{word}: {host}{change}: {verdict.reason}", highlight=False, markup=False, soft_wrap=True
    )
    for finding in verdict.blocking:
        out.print(
            f"  [{finding['severity']}] {finding['rule']} {finding['device']}: "
            f"{finding['message']}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        places = finding.get("evidence_source") or []
        for i, line in enumerate(finding.get("evidence", [])[:3]):
            place = places[i] if i < len(places) and places[i] else None
            where = f"line {place['line']}: " if place and "line" in place else ""
            out.print(f"      {where}{line}", highlight=False, markup=False, soft_wrap=True)
        if finding.get("remediation"):
            out.print("      fix:", highlight=False)
            for line in str(finding["remediation"]).splitlines():
                out.print(f"        {line}", highlight=False, markup=False, soft_wrap=True)
    if junit is not None:  # every verdict, an undecided one too: a pipeline reads it
        write_text_atomic(junit, render_junit(verdict.report))
        out.print(f"junit: {junit.absolute()}", highlight=False, soft_wrap=True)
    raise typer.Exit(verdict.exit_code)


@app.command()
def rules(
    policies: PoliciesOpt = Path("policies"),
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    lang: Annotated[str, typer.Option("--lang")] = "en",
) -> None:
    """List the rule catalogue: ids, severities, strategy sections, implemented or not."""
    try:
        policy = load_policies(policies)
    except InputError as exc:
        raise _fail_input(exc) from None
    rows = [
        {
            "id": rule_id,
            "severity": setting.severity,
            "section": setting.section,
            "title": setting.title.sv if lang == "sv" else setting.title.en,
            "implemented": rule_id in REGISTRY,
            "platforms": sorted(p.value for p in _implemented_platforms(rule_id)),
            "enabled": setting.enabled,
            "references": setting.references.model_dump(mode="json", exclude_none=True),
        }
        for rule_id, setting in policy.rules.rules.items()
    ]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "severity", "section", "title", "implemented", "standards")
    for row, setting in zip(rows, policy.rules.rules.values(), strict=True):
        references = setting.references.model_dump(mode="json", exclude_none=True)
        table.add_row(
            str(row["id"]),
            str(row["severity"]),
            str(row["section"]),
            str(row["title"]),
            "yes" if row["implemented"] else "no",
            "\n".join(ref.label for ref in reference_labels(references)),
        )
    out.print(table)


def _implemented_platforms(rule_id: str) -> tuple[Platform, ...]:
    return REGISTRY.get(rule_id).platforms if rule_id in REGISTRY else ()


@app.command()
def validate(
    inventory: InventoryOpt = Path("inventory"),
    policies: PoliciesOpt = Path("policies"),
    filters: Annotated[list[str] | None, typer.Option("--filter")] = None,
) -> None:
    """Check inventory and policy files without touching the network."""
    try:
        inputs = validate_inputs(
            AuditOptions(inventory=inventory, policies=policies, filters=tuple(filters or ()))
        )
    except InputError as exc:
        raise _fail_input(exc) from None
    out.print(
        f"ok: {len(inputs.hosts)} hosts, policies {inputs.policy.digest[:19]}", highlight=False
    )


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to write inventory/ and policies/.")],
) -> None:
    """Write the reference inventory/ and policies/ to DIR as a starting point for a new site."""
    targets = {name: directory / name for name in ("inventory", "policies")}
    for target in targets.values():
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise _fail_input(
                InputError(str(target), None, "exists and is not empty; not overwritten")
            )
    if directory.exists() and not directory.is_dir():
        raise _fail_input(InputError(str(directory), None, "is not a directory"))
    for name, target in targets.items():
        shutil.copytree(reference_dir(name), target, dirs_exist_ok=True)
        out.print(f"wrote {target}/", highlight=False, soft_wrap=True)
    out.print(
        "next: edit them for your network, then: dalsnet-audit validate "
        f"--inventory {targets['inventory']} --policies {targets['policies']}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


lab_app = typer.Typer(
    help="The simulated Dalslandsnätet on 127.0.0.1 (SSH devices and SNMP agents)."
)
app.add_typer(lab_app, name="lab")
StateOpt = Annotated[
    Path, typer.Option("--state-dir", help="Where the running lab keeps its state.")
]


def _require_lab() -> None:
    """The lab's libraries are the `[lab]` extra; without them, say so and exit 2."""
    missing = [name for name in ("asyncssh", "snmpsim") if importlib.util.find_spec(name) is None]
    if missing:
        err.print(
            f"[bold red]error:[/] the lab needs {', '.join(missing)}: "
            "pip install 'dalsnet-audit[lab]'",
            highlight=False,
        )
        raise typer.Exit(EXIT_INVALID)


@lab_app.command("up")
def lab_up_command(
    snapshot: Annotated[Path, typer.Option("--snapshot")] = Path("snapshots/reference"),
    inventory: InventoryOpt = Path("inventory"),
    state_dir: StateOpt = Path(".lab"),
    faults: Annotated[
        list[str] | None,
        typer.Option(
            "--fault", help="HOST=MODE: wrong_password, hang, drop, silent_snmp, host_key_changed."
        ),
    ] = None,
    synthetic: Annotated[
        int | None, typer.Option("--synthetic", min=1, help="Serve N generated switches instead.")
    ] = None,
) -> None:
    """Start the lab in the background and print the inventory it serves."""
    _require_lab()
    from dalsnet_audit.lab import LabError, lab_up, lab_up_synthetic  # noqa: PLC0415 - asyncssh only for the lab

    fault_map: dict[str, str] = {}
    for item in faults or []:
        host, sep, mode = item.partition("=")
        if not sep:
            raise _fail_input(InputError("--fault", item, "expected HOST=MODE"))
        fault_map[host] = mode
    try:
        if synthetic:
            state = lab_up_synthetic(synthetic, state_dir, faults=fault_map)
        else:
            state = lab_up(snapshot, inventory, state_dir, faults=fault_map)
    except LabError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INVALID) from None
    out.print(f"lab up: {state.hosts} hosts, pid {state.pid}", highlight=False)
    out.print(f"known_hosts: {state.known_hosts.resolve()}", highlight=False, soft_wrap=True)
    out.print(f"inventory: {state.inventory.resolve()}", highlight=False, soft_wrap=True)


@lab_app.command("down")
def lab_down_command(state_dir: StateOpt = Path(".lab")) -> None:
    """Stop the lab."""
    _require_lab()
    from dalsnet_audit.lab import lab_down  # noqa: PLC0415 - asyncssh only for the lab

    out.print("lab down" if lab_down(state_dir) else "no lab running", highlight=False)


@lab_app.command("status")
def lab_status_command(
    state_dir: StateOpt = Path(".lab"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show whether the lab runs, and what it serves; exit 1 when it does not run."""
    _require_lab()
    from dalsnet_audit.lab import lab_status  # noqa: PLC0415 - asyncssh only for the lab

    status = lab_status(state_dir)
    if as_json:
        shown = (
            {k: status[k] for k in ("inventory", "snapshot", "hosts", "pid")} if status else None
        )
        print(json.dumps(shown))
    elif status is None:
        out.print("no lab running", highlight=False)
    else:
        out.print(
            f"running: pid {status['pid']}, {status['hosts']} hosts, "
            f"inventory {status['inventory']}",
            highlight=False,
            soft_wrap=True,
        )
    if status is None:
        raise typer.Exit(1)


@app.command("explain-flow")
def explain_flow(
    device: Annotated[str, typer.Option("--device", help="Firewall (inventory name).")],
    src: Annotated[str, typer.Option("--src", help="Source address.")],
    dst: Annotated[str, typer.Option("--dst", help="Destination address.")],
    proto: Annotated[str, typer.Option("--proto", help="tcp, udp or icmp.")],
    port: Annotated[int | None, typer.Option("--port", min=0, max=65535)] = None,
    offline: Annotated[
        Path | None,
        typer.Option("--offline", help="Snapshot; default: the newest run under --archive."),
    ] = None,
    archive: Annotated[Path, typer.Option("--archive")] = Path("archive"),
    inventory: InventoryOpt = Path("inventory"),
    policies: PoliciesOpt = Path("policies"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Would the firewall permit this flow? The verdict and the line that decides it."""
    from dalsnet_audit.explain import explain  # noqa: PLC0415 - keeps the CLI's import light

    try:
        result = explain(inventory, policies, offline, archive, device, src, dst, proto, port)
    except InputError as exc:
        raise _fail_input(exc) from None
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    out.print(
        f"{result['action'].upper()}: {result['device']} {proto} {src} -> {dst}"
        + (f" port {port}" if port is not None else ""),
        highlight=False,
    )
    out.print(
        f"  ingress {result['ingress'] or '?'} -> egress {result['egress'] or '?'}", highlight=False
    )
    out.print(
        f"  decided by: {result['line'] or '(implicit) ' + result['reason']}",
        highlight=False,
        soft_wrap=True,
    )
    out.print(f"  snapshot: {result['snapshot']}", highlight=False, soft_wrap=True)
