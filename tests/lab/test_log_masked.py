"""Item 2 of the hardening issue: the lab's log never shows a secret the lab serves."""

from __future__ import annotations

from dalsnet_audit.lab import LabCredentials, LabState
from dalsnet_audit.lab.control import LOG_FILE


def test_the_lab_log_holds_no_secret(lab: LabState, creds: LabCredentials) -> None:
    log = (lab.state_dir / LOG_FILE).read_text(encoding="utf-8", errors="replace")
    assert "lab up" in log
    for secret in (
        creds.password,
        creds.enable,
        creds.snmp_auth_key,
        creds.snmp_priv_key,
        creds.snmp_community,
    ):
        assert secret not in log
