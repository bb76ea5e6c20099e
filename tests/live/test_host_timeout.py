"""Item 13 of the hardening issue: a hanging device costs at most about --host-timeout.

Against the lab's `hang` host (it logs in, prints its prompt, then answers nothing) with a
command timeout far above the host timeout: unbounded, one host takes two attempts of two
command timeouts each (over 4 x 30 s here); bounded, it is a timeout soon after 6 s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dalsnet_audit.audit import AuditOptions, run_audit
from dalsnet_audit.collect.snmp import SnmpPoller, SnmpTarget, SnmpTimeoutError
from dalsnet_audit.collect.ssh import SshOptions
from dalsnet_audit.lab import LabState, lab_credentials, lab_down, lab_up

ROOT = Path(__file__).resolve().parents[2]
HOST_TIMEOUT = 6.0
COMMAND_TIMEOUT = 30.0


@pytest.fixture(scope="module")
def hang_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabState]:
    state_dir = tmp_path_factory.mktemp("lab-hang")
    state = lab_up(
        ROOT / "snapshots" / "reference",
        ROOT / "inventory",
        state_dir,
        faults={"ded-01-sw01": "hang", "ded-01-fw01": "hang", "ded-01-srv01": "silent_snmp"},
        hosts=["ded-01-sw01", "ded-01-fw01", "ded-02-sw01", "ded-01-srv01"],
    )
    try:
        yield state
    finally:
        lab_down(state_dir)


def test_a_hanging_host_is_a_timeout_within_the_host_timeout(hang_lab, tmp_path):
    started = time.monotonic()
    outcome = run_audit(
        AuditOptions(
            inventory=hang_lab.inventory,
            policies=ROOT / "policies",
            out=tmp_path / "out",
            formats=("json",),
            archive=None,
            ssh=SshOptions(
                known_hosts=hang_lab.known_hosts,
                connect_timeout=5,
                command_timeout=COMMAND_TIMEOUT,
                host_timeout=HOST_TIMEOUT,
            ),
        )
    )
    elapsed = time.monotonic() - started
    status = {d["name"]: (d["status"], d["error"]) for d in outcome.report["devices"]}
    for name in ("ded-01-sw01", "ded-01-fw01"):
        assert status[name][0] == "timeout", status[name]
        assert "--host-timeout 6 s" in status[name][1]
    assert status["ded-02-sw01"] == ("audited", None)
    # Well below one command timeout: the bound, not the per-command timeouts, decided.
    assert elapsed < COMMAND_TIMEOUT, elapsed
    print(f"audit with two hanging hosts: {elapsed:.1f} s (host timeout {HOST_TIMEOUT:g} s)")


def test_an_snmp_poll_is_bounded_by_the_time_the_host_has_left(hang_lab):
    creds = lab_credentials()
    target = SnmpTarget(
        host="127.0.0.1",
        port=hang_lab.snmp_ports["ded-01-srv01"],
        version=2,
        community=creds.snmp_community,
        user=None,
        auth_key=None,
        priv_key=None,
        context="",
    )
    # Unbounded, this poller waits 4 x 5 s for the silent agent.
    with SnmpPoller(timeout=5, retries=3) as poller:
        started = time.monotonic()
        with pytest.raises(SnmpTimeoutError, match=r"within 1\.5 s"):
            poller.poll(target, within=1.5)
        elapsed = time.monotonic() - started
    assert elapsed < 5, elapsed
