"""Offline benchmark: audit 2,000 generated configurations of the reference kind.

Prints, in one run: the audit's time per device (parse + every rule, network-wide ones
included), the process's peak memory, the time ciscoconfparse2 takes only to *parse* the same
configurations, and the ratio of the two. Run with `make bench` or
`python benchmarks/offline.py [--devices N] [--repeat R]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

from ciscoconfparse2 import CiscoConfParse

from dalsnet_audit.engine import run_rules
from dalsnet_audit.lab.refnet import synthetic_configs
from dalsnet_audit.model.device import HostRecord, Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.normalise import normalise
from dalsnet_audit.policy import load_policy
from dalsnet_audit.rules.context import RuleContext

ROOT = Path(__file__).resolve().parent.parent


def host_for(name: str) -> HostRecord:
    short, site, _ = name.split("-")
    return HostRecord(
        name=name,
        hostname=f"{name}.dalsland.se",
        platform=Platform.IOS,
        municipality=short,
        site=int(site),
        role="sw",
        groups=(),
        sensitive=False,
        governance={"system_owner": "x", "operations": "y", "service_agreement": "DA-1"},
    )


def audit(configs: list[tuple[str, str]], ctx: RuleContext) -> int:
    devices = [normalise(host_for(name), RawDevice(config=text)) for name, text in configs]
    return len(run_rules(devices, ctx))


def ccp2_parse(configs: list[tuple[str, str]]) -> int:
    return sum(len(CiscoConfParse(text.splitlines(), syntax="ios").objs) for _, text in configs)


def timed(function, *args) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    configs = list(synthetic_configs(args.devices))
    lines = [text.count("\n") for _, text in configs]
    policy = load_policy(ROOT / "policies")
    ctx = RuleContext.build(policy, dt.datetime.now(dt.UTC))
    print(
        f"{len(configs)} configurations, {statistics.mean(lines):.0f} lines on average "
        f"(min {min(lines)}, max {max(lines)}); best of {args.repeat} runs"
    )

    audit_runs = [timed(audit, configs, ctx) for _ in range(args.repeat)]
    audit_best = min(t for t, _ in audit_runs)
    findings = audit_runs[0][1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ccp2_runs = [timed(ccp2_parse, configs) for _ in range(args.repeat)]
    ccp2_best = min(t for t, _ in ccp2_runs)

    per_device = audit_best / len(configs) * 1000
    ccp2_per_device = ccp2_best / len(configs) * 1000
    print(
        f"dalsnet-audit  parse + all rules: {audit_best:7.2f} s  {per_device:6.2f} ms/device"
        f"  ({findings} findings)"
    )
    print(f"peak memory (max RSS, after the audit runs): {peak_mb:.0f} MB")
    print(f"ciscoconfparse2 parse only:       {ccp2_best:7.2f} s  {ccp2_per_device:6.2f} ms/device")
    print(f"ratio audit / ciscoconfparse2 parse: {audit_best / ccp2_best:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
