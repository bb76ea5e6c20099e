"""Live audit over real SSH and SNMP against the simulated Dalslandsnätet on 127.0.0.1."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from napalm import get_network_driver

from dalsnet_audit.audit import AuditOptions, run_audit
from dalsnet_audit.collect.snmp import SnmpAuthError, SnmpPoller, SnmpTarget, SnmpTimeoutError
from dalsnet_audit.collect.ssh import SshOptions
from dalsnet_audit.lab import LabState, lab_credentials, lab_down, lab_up
from dalsnet_audit.platforms.ios.napalm import DEFERRED_GETTERS

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
INVENTORY = ROOT / "inventory"

FAULTS = {
    "ben-01-sw01": "wrong_password",
    "ded-01-sw01": "hang",
    "fgl-01-sw01": "drop",
    "aml-01-sw01": "host_key_changed",
    "mel-01-srv01": "silent_snmp",
    "ben-01-srv02": "drop",
}
HEALTHY = ["ben-01-rtr01", "aml-02-sw01", "mel-01-srv02", "ded-01-fw01"]
TAKEN_AT = dt.datetime.fromisoformat(
    json.loads((SNAPSHOT / "meta.json").read_text())["taken_at"].replace("Z", "+00:00")
)
FAST = SshOptions(connect_timeout=4, command_timeout=4)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabState]:
    state_dir = tmp_path_factory.mktemp("lab-clean")
    state = lab_up(SNAPSHOT, INVENTORY, state_dir)
    try:
        yield state
    finally:
        lab_down(state_dir)


@pytest.fixture(scope="module")
def fault_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabState]:
    state_dir = tmp_path_factory.mktemp("lab-faults")
    state = lab_up(SNAPSHOT, INVENTORY, state_dir, faults=FAULTS, hosts=[*FAULTS, *HEALTHY])
    try:
        yield state
    finally:
        lab_down(state_dir)


def audit(tmp: Path, **kwargs):
    return run_audit(
        AuditOptions(policies=ROOT / "policies", out=tmp / "out", formats=("json",), **kwargs)
    )


def comparable(report: dict) -> list[tuple]:
    return sorted(
        (
            f["rule"],
            f["device"],
            f["status"],
            f["message"],
            tuple(f["evidence"]),
            # Each line's place in the archived file: the live run's archive is the snapshot.
            tuple((s["file"], s["line"]) if s else None for s in f.get("evidence_source", [])),
            f["expected"],
            f["actual"],
            f["remediation"],
        )
        for f in report["findings"]
    )


@pytest.fixture(scope="module")
def live_and_offline(lab: LabState, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("live")
    live = audit(
        tmp / "live",
        inventory=lab.inventory,
        archive=tmp / "archive",
        av_console=SNAPSHOT / "av" / "console.csv",
        as_of=TAKEN_AT,
        ssh=SshOptions(known_hosts=lab.known_hosts),
    )
    offline = audit(tmp / "offline", inventory=INVENTORY, offline=SNAPSHOT)
    return live, offline, tmp


def test_live_audit_of_the_lab_equals_offline_audit_rule_by_rule(live_and_offline):
    live, offline, _ = live_and_offline
    assert live.report["run"]["mode"] == "live"
    assert {d["name"]: d["status"] for d in live.report["devices"]} == {
        d["name"]: "audited" for d in offline.report["devices"]
    }
    assert comparable(live.report) == comparable(offline.report)
    assert live.exit_code == offline.exit_code == 1


def test_every_device_answered_as_itself(live_and_offline):
    """Several simulated devices on different ports (the nornir-napalm shared-extras trap)."""
    _, _, tmp = live_and_offline
    (archive,) = (tmp / "archive").iterdir()
    configs = sorted((archive / "configs").glob("*.cfg"))
    assert len(configs) == 34
    for path in configs:
        # The device's own configuration (a planted STD-003 device calls itself otherwise).
        served = (SNAPSHOT / "configs" / path.name).read_text()
        assert path.read_text().rstrip("\n") == served.rstrip("\n"), path.name
    for path in (archive / "snmp").glob("*.snmprec"):
        assert f"1.3.6.1.2.1.1.5.0|4|{path.stem}" in path.read_text()
    getters = json.loads((archive / "napalm" / "mel-02-sw01.json").read_text())
    assert getters["get_facts"]["hostname"] == "mel-02-sw01"
    assert "Vlan99" in getters["get_interfaces"]  # deferred getter, run on the recorded output
    assert set(getters) == {f"get_{name}" for name in DEFERRED_GETTERS if name != "config"}
    assert not [name for name, value in getters.items() if "error" in value], getters
    assert getters["get_vlans"]["20"]["name"] == "PED"


def test_the_archive_reaudits_offline_to_the_same_findings(live_and_offline, lab, tmp_path):
    live, _, tmp = live_and_offline
    (archive,) = (tmp / "archive").iterdir()
    meta = json.loads((archive / "meta.json").read_text())
    assert meta["source"] == "live"
    again = audit(tmp_path, inventory=lab.inventory, offline=archive)
    assert comparable(again.report) == comparable(live.report)


def test_fault_hosts_get_their_status_and_no_pass(fault_lab, tmp_path):
    outcome = audit(
        tmp_path,
        inventory=fault_lab.inventory,
        ssh=SshOptions(known_hosts=fault_lab.known_hosts, connect_timeout=4, command_timeout=4),
        archive=tmp_path / "a",
    )
    status = {d["name"]: (d["status"], d["error"]) for d in outcome.report["devices"]}
    assert status["ben-01-sw01"][0] == "auth_failed"
    assert status["ded-01-sw01"][0] == "timeout"
    assert status["fgl-01-sw01"][0] == "timeout"
    assert status["aml-01-sw01"][0] == "host_key_mismatch"
    assert status["mel-01-srv01"][0] == "timeout"
    assert status["ben-01-srv02"][0] == "timeout"  # Linux session cut in the package list
    for name in HEALTHY:
        assert status[name] == ("audited", None), name
    for name in FAULTS:
        assert status[name][1], f"{name} has a reason"
        verdicts = {f["status"] for f in outcome.report["findings"] if f["device"] == name}
        assert "pass" not in verdicts and "error" in verdicts, (name, verdicts)
    uncovered = {s["name"]: s["reasons"] for s in outcome.report["antivirus"]["uncovered"]}
    assert "mel-01-srv01" in uncovered  # SNMP silent: not covered, with the reason
    assert any("timeout" in reason for reason in uncovered["mel-01-srv01"])
    healthy_passes = [
        f for f in outcome.report["findings"] if f["device"] in HEALTHY and f["status"] == "pass"
    ]
    assert healthy_passes
    # The archive records the statuses; re-auditing it reproduces them.
    (archive,) = (tmp_path / "a").iterdir()
    again = audit(tmp_path / "again", inventory=fault_lab.inventory, offline=archive)
    assert {d["name"]: d["status"] for d in again.report["devices"]} == {
        k: v[0] for k, v in status.items()
    }


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_host(fault_lab, tmp_path):
    inventory = _one_unreachable_host(fault_lab, tmp_path, "ben-01-rtr01")
    outcome = audit(tmp_path, inventory=inventory, ssh=FAST, archive=None)
    (device,) = outcome.report["devices"]
    assert device["status"] == "unreachable" and "attempts" in device["error"]
    # Its site has no other network device: the site is not shown connected (NET-001, high).
    (site,) = [f for f in outcome.report["findings"] if f["rule"] == "NET-001"]
    assert site["status"] == "fail" and "ben-01" in site["message"]
    assert "ben-01-rtr01: unreachable" in site["evidence"]
    assert outcome.exit_code == 1
    others = [f for f in outcome.report["findings"] if f["rule"] != "NET-001"]
    assert {f["status"] for f in others} <= {"error", "not_applicable"}, others


def _one_unreachable_host(fault_lab, tmp_path: Path, name: str) -> Path:
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    for file in ("groups.yaml", "defaults.yaml", ".credentials"):
        (inventory / file).write_bytes((fault_lab.inventory / file).read_bytes())
    (inventory / ".credentials").chmod(0o600)
    hosts = yaml.safe_load((fault_lab.inventory / "hosts.yaml").read_text())
    hosts = {name: hosts[name]}
    hosts[name]["port"] = _closed_port()
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    return inventory


def test_stale_backup_of_an_unreachable_device(fault_lab, tmp_path):
    """Three nights ago the router was archived; tonight it does not answer (STD-005)."""
    inventory = _one_unreachable_host(fault_lab, tmp_path, "ben-01-rtr01")
    archive = tmp_path / "archive"
    night = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    old_run = archive / night.strftime("%Y%m%dT%H%M%SZ-aaaaaa")
    (old_run / "configs").mkdir(parents=True)
    (old_run / "configs" / "ben-01-rtr01.cfg").write_text(
        (SNAPSHOT / "configs" / "ben-01-rtr01.cfg").read_text()
    )
    (old_run / "meta.json").write_text(
        json.dumps({"taken_at": night.isoformat().replace("+00:00", "Z"), "source": "live"})
    )
    outcome = audit(tmp_path, inventory=inventory, ssh=FAST, archive=archive)
    (backup,) = [f for f in outcome.report["findings"] if f["rule"] == "STD-005"]
    assert backup["status"] == "fail" and backup["device"] == "ben-01-rtr01", backup
    assert "72 h" in backup["actual"] or "71 h" in backup["actual"], backup


def test_trust_on_first_use_records_keys_then_checks_them(fault_lab, tmp_path):
    known = tmp_path / "known_hosts"
    first = audit(
        tmp_path / "1",
        inventory=fault_lab.inventory,
        filters=("name=ben-01-rtr01,aml-02-sw01",),
        ssh=SshOptions(known_hosts=known, trust_on_first_use=True),
        archive=None,
    )
    assert {d["status"] for d in first.report["devices"]} == {"audited"}
    lines = known.read_text().splitlines()
    assert len(lines) == 2 and all(line.startswith("[127.0.0.1]:") for line in lines)
    second = audit(
        tmp_path / "2",
        inventory=fault_lab.inventory,
        filters=("name=ben-01-rtr01,aml-02-sw01",),
        ssh=SshOptions(known_hosts=known),
        archive=None,
    )
    assert {d["status"] for d in second.report["devices"]} == {"audited"}


def test_unknown_host_key_without_tofu_is_not_audited(fault_lab, tmp_path):
    known = tmp_path / "known_hosts"
    known.write_text("")
    outcome = audit(
        tmp_path,
        inventory=fault_lab.inventory,
        filters=("name=ben-01-rtr01",),
        ssh=SshOptions(known_hosts=known, connect_timeout=4, command_timeout=4),
        archive=None,
    )
    (device,) = outcome.report["devices"]
    # Not yet known is not changed: its own status, with the remedy in the reason.
    assert device["status"] == "host_key_unknown"
    assert "--trust-on-first-use" in device["error"] and "ssh-keyscan" in device["error"]


def test_deferred_getters_know_every_command_napalm_sends(lab):
    """Run NAPALM's getters live on a switch and a router: each sends only the commands
    recorded for it, so the replay in the pipeline sees what the live getter would."""
    creds = lab_credentials()
    hosts = yaml.safe_load((lab.inventory / "hosts.yaml").read_text())
    for name in ("mel-02-sw01", "ben-01-rtr01"):
        driver = get_network_driver("ios")(
            "127.0.0.1",
            creds.username,
            creds.password,
            optional_args={
                "port": hosts[name]["port"],
                "secret": creds.enable,
                "ssh_strict": False,
            },
        )
        driver.open()
        try:
            for getter, expected in DEFERRED_GETTERS.items():
                sent: list[str] = []
                send = driver._send_command
                driver._send_command = lambda command, send=send, sent=sent: (
                    sent.append(command) or send(command)
                )
                with contextlib.suppress(Exception):
                    driver.get_config(retrieve="running") if getter == "config" else getattr(
                        driver, f"get_{getter}"
                    )()
                driver._send_command = send
                if getter == "vlans" and name.endswith("rtr01"):
                    continue  # falls back to `show vlan brief`; the collector lets the getter ask
                assert sent == list(expected), (name, getter, sent)
        finally:
            driver.close()


def _server_target(lab: LabState, name: str, **overrides) -> SnmpTarget:
    creds = lab_credentials()
    hosts = yaml.safe_load((lab.inventory / "hosts.yaml").read_text())
    settings = {
        "host": "127.0.0.1",
        "port": hosts[name]["data"]["snmp"]["port"],
        "version": 3,
        "community": creds.snmp_community,
        "user": creds.snmp_user,
        "auth_key": creds.snmp_auth_key,
        "priv_key": creds.snmp_priv_key,
    }
    settings.update(overrides)
    return SnmpTarget(**settings)


def test_snmp_v2c_and_v3_read_the_same_agent(lab):
    with SnmpPoller() as poller:
        v3 = poller.poll(_server_target(lab, "aml-01-srv02"))
        v2c = poller.poll(_server_target(lab, "aml-01-srv02", version=2))
    assert "1.3.6.1.2.1.1.5.0|4|aml-01-srv02" in v3
    assert v2c == v3


def test_snmp_wrong_v3_key_is_an_auth_failure_and_wrong_community_a_timeout(lab):
    with SnmpPoller(timeout=1, retries=0) as poller:
        with pytest.raises(SnmpAuthError):
            poller.poll(_server_target(lab, "ded-01-srv01", auth_key="not-the-key-at-all"))
        with pytest.raises(SnmpTimeoutError):
            poller.poll(_server_target(lab, "ded-01-srv01", version=2, community="wrong-community"))


def test_the_gate_judges_a_device_live_against_the_recorded_network(lab, tmp_path):
    """`gate --host` without --config collects the device over SSH/SNMP from the lab."""
    from typer.testing import CliRunner  # noqa: PLC0415

    from dalsnet_audit.cli import app  # noqa: PLC0415

    history = str(tmp_path / "history.sqlite")
    audit(tmp_path / "night", inventory=INVENTORY, offline=SNAPSHOT, history=history)

    def gate(host: str):
        return CliRunner().invoke(
            app,
            [
                "gate", "--host", host, "--inventory", str(lab.inventory),
                "--history", history, "--known-hosts", str(lab.known_hosts), "--lang", "en",
            ],
        )  # fmt: skip

    clean = gate("aml-02-sw01")
    assert clean.exit_code == 0, clean.output
    planted = gate("ded-01-rtr01")  # logs to one syslog server only (LOG-001, high)
    assert planted.exit_code == 1, planted.output
    assert "LOG-001 ded-01-rtr01" in planted.output


def test_a_distributed_live_audit_equals_the_serial_one(lab: LabState, tmp_path: Path):
    """Two Dask workers, each collecting its shard of municipalities with its own Nornir and
    credentials over real SSH, give the findings of one machine."""
    pytest.importorskip("dask.distributed")
    common = {
        "inventory": lab.inventory,
        "archive": None,
        "av_console": SNAPSHOT / "av" / "console.csv",
        "as_of": TAKEN_AT,
        "ssh": SshOptions(known_hosts=lab.known_hosts),
    }
    serial = audit(tmp_path / "serial", **common)
    spread = audit(tmp_path / "spread", workers_local=2, **common)
    assert all(d["status"] == "audited" for d in spread.report["devices"])
    assert comparable(spread.report) == comparable(serial.report)
    assert spread.report["summary"] == serial.report["summary"]


def test_a_distributed_live_audit_that_would_archive_nothing_is_refused(lab: LabState, tmp_path):
    from dalsnet_audit.errors import InputError  # noqa: PLC0415

    with pytest.raises(InputError, match="--no-archive"):
        audit(tmp_path, inventory=lab.inventory, archive=tmp_path / "archive", workers_local=2)
