"""Item 1 of the hardening issue: a host name never becomes a path outside its root."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from dalsnet_audit.collect.archive import write_snapshot
from dalsnet_audit.collect.offline import OfflineCollector
from dalsnet_audit.lab import LabError, lab_up
from dalsnet_audit.lab.sshd import load_host_key
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.paths import PathEscapeError, inside, is_safe_name

from .support import SNAPSHOT, audit_offline, cli, edit_yaml

EVIL = "../../../../tmp/x/evil"


def _rename_host(inventory: Path, old: str, new: str) -> None:
    edit_yaml(inventory / "hosts.yaml", lambda hosts: hosts.__setitem__(new, hosts.pop(old)))


@pytest.mark.parametrize("name", [EVIL, "/etc/passwd", "a/b", ".hidden", "..", "sw 01", ""])
def test_unsafe_host_name_is_refused_by_validate_naming_the_host(inventory, name):
    _rename_host(inventory, "ben-01-sw01", name)
    result = cli("validate", "--inventory", str(inventory))
    assert result.exit_code == 2, result.output
    assert "hosts.yaml" in result.output and "safe host name" in result.output
    if name:
        assert name in result.output


def test_offline_audit_of_an_unsafe_host_reads_nothing_outside(inventory, tmp_path):
    outside = tmp_path / "x"
    outside.mkdir()
    (outside / "evil.cfg").write_text("hostname evil\nend\n", encoding="utf-8")
    name = os.path.relpath(outside / "evil", SNAPSHOT / "configs")
    _rename_host(inventory, "ben-01-sw01", name)
    result = audit_offline(tmp_path / "out", inventory=inventory)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()


def test_a_symlink_out_of_the_snapshot_is_no_data_not_judged(snapshot, tmp_path):
    secret = tmp_path / "elsewhere.cfg"
    secret.write_text((SNAPSHOT / "configs" / "ben-01-sw01.cfg").read_text(), encoding="utf-8")
    link = snapshot / "configs" / "ben-01-sw01.cfg"
    link.unlink()
    link.symlink_to(secret)
    result = audit_offline(tmp_path / "out", "--format", "json", snapshot=snapshot)
    assert result.exit_code in (1, 3), result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    device = next(d for d in report["devices"] if d["name"] == "ben-01-sw01")
    assert device["status"] == "no_data"
    assert "outside the snapshot" in device["error"]
    mine = [f for f in report["findings"] if f["device"] == "ben-01-sw01"]
    assert mine and all(f["status"] in ("error", "not_applicable") for f in mine)


def test_inside_resolves_and_checks(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    assert inside(root, "configs", "a.cfg") == root / "configs" / "a.cfg"
    with pytest.raises(PathEscapeError):
        inside(root, "..", "x")
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(PathEscapeError):
        inside(root, "link", "x")
    assert is_safe_name("ben-01-sw01") and not is_safe_name(EVIL)


def test_archive_refuses_to_write_outside(tmp_path):
    archive = tmp_path / "archive"
    raws = {"../../escaped": RawDevice(config="hostname x\nend\n")}
    with pytest.raises(PathEscapeError):
        write_snapshot(archive / "run1", raws, dt.datetime.now(dt.UTC))
    assert not (tmp_path / "escaped.cfg").exists()
    assert not list(archive.glob("*")), "no half archive is left behind"


def test_offline_reader_refuses_a_host_record_with_an_unsafe_name(snapshot):
    from dataclasses import replace  # noqa: PLC0415

    from dalsnet_audit.model.device import HostRecord, Platform  # noqa: PLC0415

    host = HostRecord(
        name="../configs/ben-01-sw01",
        hostname="x",
        platform=Platform.IOS,
        municipality="ben",
        site=1,
        role="sw",
        groups=(),
        sensitive=False,
        governance={},
        public_addresses=(),
        allowed_roles=None,
    )
    raw = OfflineCollector(snapshot).collect_raw([replace(host)])[host.name]
    assert raw.status.value == "no_data" and raw.config is None


def test_lab_refuses_an_unsafe_host_name_before_starting(inventory, tmp_path):
    _rename_host(inventory, "ben-01-sw01", EVIL)
    with pytest.raises(LabError, match="safe host name"):
        lab_up(SNAPSHOT, inventory, tmp_path / "state")
    assert not Path("/tmp/x/evil").exists()


def test_lab_host_key_stays_in_its_directory(tmp_path):
    keys = tmp_path / "hostkeys"
    with pytest.raises(ValueError, match="outside"):
        load_host_key(keys, "../../stolen")
    assert not (tmp_path / "stolen").exists()


def test_the_lab_serves_nothing_from_outside_the_snapshot(snapshot, tmp_path):
    outside = tmp_path / "outside.cfg"
    outside.write_text((SNAPSHOT / "configs" / "ben-01-sw01.cfg").read_text(), encoding="utf-8")
    link = snapshot / "configs" / "ben-01-sw01.cfg"
    link.unlink()
    link.symlink_to(outside)
    with pytest.raises(LabError, match="leads outside the snapshot"):
        lab_up(snapshot, SNAPSHOT.parent.parent / "inventory", tmp_path / "state")
    assert not (tmp_path / "state" / "state.json").exists()
