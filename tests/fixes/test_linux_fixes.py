"""The Linux fixes of LOG-001 and LOG-002 write files that clear their findings.

A server's fix is a shell script, not configuration lines for a merge: here its file-writing
commands (`mkdir`, `printf ... > FILE`) run for real in bash, under a temporary root instead
of `/`; what they wrote is then shown the way the collector reads it (rsyslog's files after
`cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf`; timesyncd's drop-in, which overrides the
configured servers, as `SystemNTPServers`), the server is normalised and judged again, and the
finding must be gone with no new failure. What the daemons do after the restart (rsyslogd
sending, timesyncd reaching the servers) is outside a test; `NTPSynchronized` is left as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from dalsnet_audit.audit import load_policies
from dalsnet_audit.engine import judge_device
from dalsnet_audit.model.finding import Finding, Status
from dalsnet_audit.model.raw import RawDevice, command_slug
from dalsnet_audit.normalise import normalise
from dalsnet_audit.platforms.linux.timekeeping import RSYSLOG_CONF, TIMESYNC
from dalsnet_audit.report.build import render_remediation
from dalsnet_audit.resources import templates_dir
from dalsnet_audit.rules.context import RuleContext
from tests.reference_run import reference_run
from tests.rules.conftest import case_files
from tests.rules.conftest import device as case_device

ROOT = Path(__file__).resolve().parents[2]
RULES = ("LOG-001", "LOG-002")
WRITES = re.compile(r"^(mkdir|printf) ")


def _failures(findings: list[Finding]) -> Counter[tuple[str, str]]:
    return Counter(
        (f.rule, f.message.key) for f in findings if f.status in (Status.FAIL, Status.ERROR)
    )


def _run_writes(fix: str, root: Path) -> None:
    """Run the fix's file-writing lines under `root` (every `/etc/` becomes `root/etc/`)."""
    lines = [line for line in fix.splitlines() if WRITES.match(line)]
    assert lines, f"the fix writes no file:\n{fix}"
    script = "\n".join(line.replace("/etc/", f"{root}/etc/") for line in lines)
    (root / "etc" / "rsyslog.d").mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", "-euc", script], check=True, timeout=10)


def _shown_after(raw: RawDevice, root: Path) -> RawDevice:
    shows = dict(raw.shows)
    written = sorted((root / "etc" / "rsyslog.d").glob("*.conf"))
    if written:
        slug = command_slug(RSYSLOG_CONF)
        shows[slug] = shows.get(slug, "") + "".join(p.read_text() for p in written)
    drop_in = root / "etc" / "systemd" / "timesyncd.conf.d" / "90-dalslandsnatet.conf"
    if drop_in.exists():
        servers = re.search(r"^NTP=(.*)$", drop_in.read_text(), re.MULTILINE)
        assert servers, drop_in.read_text()
        slug = command_slug(TIMESYNC)
        shows[slug] = re.sub(
            r"^SystemNTPServers=.*$",
            f"SystemNTPServers={servers.group(1)}",
            shows[slug],
            flags=re.MULTILINE,
        )
    return RawDevice(config=raw.config, shows=shows, snmprec=raw.snmprec)


def _cases():
    run = reference_run()
    by_name = {d.host.name: d for d in run.devices}
    for finding in run.findings:
        device = by_name.get(finding.device)
        if (
            finding.rule in RULES
            and finding.status is Status.FAIL
            and device is not None
            and device.server is not None
            and not finding.message.key.endswith("not_synchronized")
        ):
            yield (
                f"reference-{finding.device}-{finding.message.key}",
                device.host,
                run.raws[device.host.name],
                finding,
                run.ctx,
            )
    policy = load_policies(ROOT / "policies")
    ctx = RuleContext.build(policy, dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC))
    for path in case_files():
        if path.parent.name not in RULES or "linux" not in path.stem:
            continue
        for spec in yaml.safe_load(path.read_text(encoding="utf-8"))["devices"]:
            device = case_device(spec)
            raw = RawDevice(
                config=None, shows=dict(spec.get("shows", {})), snmprec=spec.get("snmprec")
            )
            for finding in judge_device(device, ctx):
                if finding.rule in RULES and finding.status is Status.FAIL:
                    if finding.message.key.endswith("not_synchronized"):
                        continue
                    yield f"{path.stem}-{finding.message.key}", device.host, raw, finding, ctx


CASES = list(_cases())


def test_the_linux_cases_are_found():
    keys = {(c[3].rule, c[3].message.key) for c in CASES}
    assert keys == {("LOG-001", "LOG-001.server_missing"), ("LOG-002", "LOG-002.ntp_missing")}
    assert any(c[0].startswith("reference-fgl-01-srv02") for c in CASES)


@pytest.mark.parametrize(
    ("case_id", "host", "raw", "finding", "ctx"), CASES, ids=[c[0] for c in CASES]
)
def test_linux_fix_clears_its_finding(case_id, host, raw, finding, ctx, tmp_path):
    fix = render_remediation(finding, templates_dir())
    assert fix, f"{finding.rule} renders no fix"
    before = _failures(judge_device(normalise(host, raw), ctx))
    _run_writes(fix, tmp_path)
    fixed = normalise(host, _shown_after(raw, tmp_path))
    assert fixed.audited, fixed.error
    after = _failures(judge_device(fixed, ctx))
    kind = (finding.rule, finding.message.key)
    assert after[kind] < before[kind], f"{kind} still fails after its fix:\n{fix}"
    grown = sorted(k for k in after if after[k] > before[k])
    assert not grown, f"the fix makes new failures: {grown}"
