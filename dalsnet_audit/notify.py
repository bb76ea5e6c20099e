"""After a nightly run: a digest of new critical/high failures and waivers about to expire.

Off unless asked for (`--notify-email`, `--notify-webhook`). E-mail goes over SMTP with
STARTTLS (refused without it unless `DALSNET_SMTP_STARTTLS=no`), with the server and
credentials from the environment (`DALSNET_SMTP_HOST`, `_PORT` (587), `_USER`, `_PASSWORD`,
`_FROM`, `_CAFILE` for a private CA); the webhook gets the digest as a JSON POST. The digest
is built from the report, whose evidence is already masked; a notification that cannot be
delivered is reported (one line, the webhook's URL reduced to its host) and never changes
the audit's exit code.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import smtplib
import ssl
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

log = logging.getLogger(__name__)

NOTIFY_SEVERITIES = ("critical", "high")


@dataclass(frozen=True)
class NotifyOptions:
    """Where to send the digest; nothing is sent when both are empty."""

    email_to: tuple[str, ...] = ()
    webhook: str | None = None

    @property
    def wanted(self) -> bool:
        """Any channel configured."""
        return bool(self.email_to or self.webhook)


def digest(report: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the digest says, or None when there is nothing to say."""
    since = report.get("since_last") or {}
    new = [f for f in since.get("new", []) if f.get("severity") in NOTIFY_SEVERITIES]
    expiring = list((report.get("waivers") or {}).get("expiring", []))
    if not new and not expiring:
        return None
    run = report["run"]
    return {
        "run": run["id"],
        "started": run["started"],
        "exit_code": run["exit_code"],
        "compared_with": since.get("run_a"),
        "new_failures": [
            {k: f.get(k) for k in ("severity", "rule", "device", "message", "fingerprint")}
            for f in new
        ],
        "waivers_expiring": expiring,
    }


def _text(summary: Mapping[str, Any]) -> str:
    lines = [f"dalsnet-audit run {summary['run']} (exit {summary['exit_code']})", ""]
    if summary["new_failures"]:
        lines.append(f"New critical/high failures since run {summary['compared_with']}:")
        lines += [
            f"  [{f['severity']}] {f['rule']} {f['device']}: {f['message']}"
            for f in summary["new_failures"]
        ]
        lines.append("")
    if summary["waivers_expiring"]:
        lines.append("Waivers expiring within 14 days:")
        lines += [
            f"  {w['rule']} {w['covers']}: expires {w['expires']} (approved by {w['approved_by']})"
            for w in summary["waivers_expiring"]
        ]
    return "\n".join(lines) + "\n"


def send_email(summary: Mapping[str, Any], recipients: Sequence[str]) -> None:
    """Send the digest by SMTP with STARTTLS; settings from the environment."""
    host = os.environ.get("DALSNET_SMTP_HOST")
    if not host:
        raise RuntimeError("DALSNET_SMTP_HOST is not set")
    setting = os.environ.get("DALSNET_SMTP_PORT", "587")
    if not setting.isdigit():
        raise ValueError(f"DALSNET_SMTP_PORT is not a port number: {setting[:20]!r}")
    port = int(setting)
    message = EmailMessage()
    message["Subject"] = (
        f"dalsnet-audit {summary['run']}: {len(summary['new_failures'])} new critical/high, "
        f"{len(summary['waivers_expiring'])} waiver(s) expiring"
    )
    message["From"] = os.environ.get("DALSNET_SMTP_FROM", "dalsnet-audit@localhost")
    message["To"] = ", ".join(recipients)
    message.set_content(_text(summary))
    context = ssl.create_default_context(cafile=os.environ.get("DALSNET_SMTP_CAFILE"))
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        smtp.ehlo()
        if os.environ.get("DALSNET_SMTP_STARTTLS", "yes").lower() != "no":
            smtp.starttls(context=context)
            smtp.ehlo()
        user = os.environ.get("DALSNET_SMTP_USER")
        if user:
            smtp.login(user, os.environ.get("DALSNET_SMTP_PASSWORD", ""))
        smtp.send_message(message)


def post_webhook(summary: Mapping[str, Any], url: str) -> None:
    """POST the digest as JSON."""
    if not url.startswith(("http://", "https://")):
        raise RuntimeError("the webhook URL must be http:// or https://")
    request = urllib.request.Request(
        url,
        data=json.dumps(summary, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status >= 300:
            raise RuntimeError(f"the webhook answered HTTP {response.status}")


def _shown(url: str) -> str:
    """The webhook URL without what may be a secret: credentials, path tokens, the query."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or "?"
    except ValueError:
        return "(not a valid URL)"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ":?"
    return f"{parts.scheme}://{host}{port}/..."


# What a notification that cannot be delivered raises: the network and TLS (OSError), the
# SMTP dialogue, a bad setting (ValueError: `DALSNET_SMTP_PORT=abc`, an invalid URL).
_UNDELIVERED = (
    OSError,
    smtplib.SMTPException,
    http.client.HTTPException,  # a server answering garbage (BadStatusLine), an invalid URL
    RuntimeError,
    ValueError,
)


def notify(report: Mapping[str, Any], options: NotifyOptions) -> list[str]:
    """Send the digest where asked; what could not be delivered, one line each.

    The caller shows the lines; nothing here changes the audit's outcome.
    """
    if not options.wanted:
        return []
    summary = digest(report)
    if summary is None:
        return []
    problems = []
    if options.email_to:
        try:
            send_email(summary, options.email_to)
        except _UNDELIVERED as exc:
            problems.append(f"e-mail not sent: {type(exc).__name__}: {str(exc)[:200]}")
    if options.webhook:
        try:
            post_webhook(summary, options.webhook)
        except _UNDELIVERED as exc:
            # The exception's text may quote the URL in any form: only its type is shown.
            problems.append(f"webhook {_shown(options.webhook)} not called: {type(exc).__name__}")
    for problem in problems:
        log.debug("%s", problem)
    return problems
