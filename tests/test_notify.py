"""The nightly digest reaches a real SMTP server (STARTTLS, login) and a real HTTP endpoint,
both on 127.0.0.1; nothing is sent when there is nothing new, and a failed delivery never
changes the audit's exit code."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import shutil
import socket
import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from dalsnet_audit.cli import app
from tests.nights import ROOT, SNAPSHOT, night_with_telnet

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp.pem", directory / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp(tmp_path, monkeypatch) -> Iterator[_Inbox]:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"audit",
            b"mail-secret",
        )
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    for name, value in {
        "DALSNET_SMTP_HOST": "127.0.0.1",
        "DALSNET_SMTP_PORT": str(port),
        "DALSNET_SMTP_USER": "audit",
        "DALSNET_SMTP_PASSWORD": "mail-secret",
        "DALSNET_SMTP_FROM": "audit@dalsland.example",
        "DALSNET_SMTP_CAFILE": str(cert),
    }.items():
        monkeypatch.setenv(name, value)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()


def _audit(tmp: Path, snapshot: Path, policies: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "audit", "--offline", str(snapshot), "--inventory", str(ROOT / "inventory"),
            "--policies", str(policies), "--out", str(tmp / "reports"), "--format", "json",
            "--lang", "en", "-q", *extra,
        ],
    )  # fmt: skip


def _two_nights(tmp: Path) -> tuple[Path, Path]:
    """Policies with a waiver expiring within 14 days, and a second night with a new failure."""
    policies = tmp / "policies"
    shutil.copytree(ROOT / "policies", policies)
    waiver = {
        "rule": "SEG-005",
        "device": "ben-01-sw01",
        "justification": "spare uplink",
        "approved_by": "IT-chef Bengtsfors",
        "expires": "2026-12-01",
    }
    (policies / "waivers.yaml").write_text(yaml.safe_dump({"waivers": [waiver]}))
    return policies, night_with_telnet(tmp / "night2")


def assert_verdict(result, code: int) -> None:
    """The audit ended with its own exit code: not an exception (which also exits 1)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == code, result.output


def test_the_digest_is_mailed_over_starttls_and_posted(tmp_path, smtp, webhook):
    url, received = webhook
    policies, night = _two_nights(tmp_path)
    first = _audit(tmp_path, SNAPSHOT, policies, "--notify-email", "noc@dalsland.example",
                   "--notify-webhook", url)  # fmt: skip
    assert_verdict(first, 1)
    # The first night has nothing new to compare, but the waiver expires within 14 days.
    assert len(smtp.messages) == 1 and len(received) == 1
    second = _audit(tmp_path, night, policies, "--notify-email", "noc@dalsland.example",
                    "--notify-webhook", url)  # fmt: skip
    assert_verdict(second, 1)
    mail = message_from_bytes(smtp.messages[-1])
    body = mail.get_payload(decode=True).decode()
    assert mail["To"] == "noc@dalsland.example"
    assert "[critical] CRY-001 aml-02-sw01: line vty 0 4 accepts telnet." in body
    assert "SEG-005 ben-01-sw01: expires 2026-12-01 (approved by IT-chef Bengtsfors)" in body
    digest = received[-1]
    assert [(f["rule"], f["device"]) for f in digest["new_failures"]] == [
        ("CRY-001", "aml-02-sw01"),
        ("CRY-001", "aml-02-sw01"),
    ]
    assert digest["waivers_expiring"][0]["approved_by"] == "IT-chef Bengtsfors"
    assert "mail-secret" not in body and "mail-secret" not in json.dumps(digest)


def test_nothing_new_sends_nothing(tmp_path, smtp, webhook):
    url, received = webhook
    for _ in range(2):
        result = _audit(tmp_path, SNAPSHOT, ROOT / "policies", "--notify-email", "noc@x.example",
                        "--notify-webhook", url)  # fmt: skip
        assert_verdict(result, 1)
    assert smtp.messages == [] and received == []


def test_a_failed_delivery_is_reported_and_keeps_the_exit_code(tmp_path, monkeypatch):
    policies, _ = _two_nights(tmp_path)
    monkeypatch.setenv("DALSNET_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DALSNET_SMTP_PORT", str(_free_port()))  # nothing listens
    result = _audit(tmp_path, SNAPSHOT, policies, "--notify-email", "noc@x.example",
                    "--notify-webhook", f"http://127.0.0.1:{_free_port()}/hook")  # fmt: skip
    assert_verdict(result, 1)
    assert result.output.count("notify: e-mail not sent") == 1
    assert result.output.count("notify: webhook http://127.0.0.1:") == 1


@pytest.mark.parametrize(
    "url", ["http://user:hook-secret@127.0.0.1:99999/t0ken", "https://[::1/hook-secret"]
)
def test_bad_settings_are_reported_never_crash_and_never_show_a_secret(tmp_path, monkeypatch, url):
    policies, _ = _two_nights(tmp_path)
    monkeypatch.setenv("DALSNET_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DALSNET_SMTP_PORT", "submission")  # not a number
    result = _audit(tmp_path, SNAPSHOT, policies, "--notify-email", "noc@x.example",
                    "--notify-webhook", url)  # fmt: skip
    assert_verdict(result, 1)
    assert "e-mail not sent: ValueError: DALSNET_SMTP_PORT is not a port number" in result.output
    assert "webhook" in result.output and "not called" in result.output
    assert "hook-secret" not in result.output and "t0ken" not in result.output
    assert "Traceback" not in result.output


def test_the_run_log_line_is_json_with_counts_and_duration(tmp_path):
    result = _audit(tmp_path, SNAPSHOT, ROOT / "policies", "--log-json")
    line = json.loads(result.output.strip().splitlines()[-1])
    assert line["event"] == "audit_run" and line["devices"] == 46 and line["exit_code"] == 1
    assert line["findings"]["fail"] > 0 and line["duration_s"] >= 0
