"""Item 2 of the hardening issue: the lab's log never shows a secret the lab serves."""

from __future__ import annotations

import io
import logging
import sys
import time

from dalsnet_audit.lab import LabCredentials, LabState
from dalsnet_audit.lab.control import LOG_FILE
from dalsnet_audit.lab.serve import configure_logging, log
from dalsnet_audit.lab.snmpd import start_snmpsim


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


def test_what_snmpsim_prints_reaches_the_lab_log_masked() -> None:
    stream = io.StringIO()
    handler = configure_logging(stream, ["S3cr3t-Auth-Key"])
    try:
        printer = "print('--v3-auth-key=S3cr3t-Auth-Key snmp-server community Publ1c RO')"
        process = start_snmpsim(
            [sys.executable, "-c", printer], lambda line: log.warning("snmpsim: %s", line)
        )
        process.wait(10)
        deadline = time.monotonic() + 5
        while "snmpsim:" not in stream.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)  # the output reaches the log through a pump thread
    finally:
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    assert "snmpsim:" in text
    assert "S3cr3t-Auth-Key" not in text and "Publ1c" not in text
