"""Every closed vocabulary of the model, defined once.

String enums: a member equals its value (`Role.SW == "sw"`), so it reads and serialises as
the word the inventory, the policies and the reports use.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """Platforms of the inventory (Nornir/NAPALM names)."""

    IOS = "ios"
    ASA = "asa"
    LINUX = "linux"
    WINDOWS = "windows"


class Role(StrEnum):
    """A device's role in the plan (`data.role` of the inventory)."""

    RTR = "rtr"
    SW = "sw"
    FW = "fw"
    SRV = "srv"


class CollectStatus(StrEnum):
    """Outcome of collecting one host (suzieq's poller status, napalm's exceptions)."""

    AUDITED = "audited"
    UNREACHABLE = "unreachable"
    AUTH_FAILED = "auth_failed"
    TIMEOUT = "timeout"
    PARSE_ERROR = "parse_error"
    HOST_KEY_UNKNOWN = "host_key_unknown"
    HOST_KEY_MISMATCH = "host_key_mismatch"
    NO_DATA = "no_data"


class Status(StrEnum):
    """Verdict of one rule on one device."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


class Severity(StrEnum):
    """How serious a failure of a rule is (`rules.yaml`)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """1 (low) to 4 (critical), for comparing severities."""
        return list(Severity).index(self) + 1


class LinkState(StrEnum):
    """Operational state of a port (`show interfaces status`)."""

    CONNECTED = "connected"
    NOTCONNECT = "notconnect"
    DISABLED = "disabled"
    ERR_DISABLED = "err-disabled"
    INACTIVE = "inactive"
    MONITORING = "monitoring"
    OTHER = "other"


class SecretKind(StrEnum):
    """How a password is configured: `password` (reversible or clear) or `secret` (a hash)."""

    PASSWORD = "password"
    SECRET = "secret"


# Syslog severities by keyword (RFC 5424; IOS and ASA use these names, or the numbers).
SYSLOG_SEVERITIES: dict[str, int] = {
    "emergencies": 0,
    "alerts": 1,
    "critical": 2,
    "errors": 3,
    "warnings": 4,
    "notifications": 5,
    "informational": 6,
    "debugging": 7,
}


def syslog_severity(level: str) -> int | None:
    """The number of a syslog level keyword or digit (`informational` and `6` are 6)."""
    if level.isdigit():
        return int(level) if int(level) <= 7 else None
    return SYSLOG_SEVERITIES.get(level.lower())
