"""Where a Linux server sends its log and where it takes its time from.

rsyslog's configuration (`rsyslog.conf(5)`: legacy `selector @@host:port` forwarding and
RainerScript `action(type="omfwd" target=...)`), and systemd-timesyncd's state as
`timedatectl show` and `timedatectl show-timesync --all` print it (`key=value` lines).
Fixtures of real output are under tests/fixtures/real/linux (provenance in SOURCE.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.device import LogForward, ServerLogging, TimeSync
from dalsnet_audit.parse.blocks import device_lines

RSYSLOG_CONF = "cat /etc/rsyslog.conf /etc/rsyslog.d/*.conf"
TIMEDATECTL = "timedatectl show"
TIMESYNC = "timedatectl show-timesync --all"

_LEGACY = re.compile(
    r"^(?P<selector>\S+)\s+(?P<at>@@?)(?:\([^)]*\))?"
    r"(?P<target>\[[0-9A-Fa-f:.]+\]|[^\s:;]+)(?::(?P<port>\d+))?"
)
_ACTION = re.compile(r"\baction\s*\((?P<params>[^)]*)\)", re.DOTALL)
_PARAM = re.compile(r'(?P<key>[\w.]+)\s*=\s*"(?P<value>[^"]*)"')
_MISSING_FILE = re.compile(r"^cat: .*: No such file or directory$")
_FORWARDERS = {"omfwd": None, "omrelp": "relp"}
# Priorities at or below informational: a selector with one of them takes informational.
_INFORMATIONAL = {"*", "debug", "info"}


def _statements(text: str) -> Iterator[str]:
    """Logical statements: comments dropped, backslash continuations and open `action(` joined."""
    pending: list[str] = []
    for raw in device_lines(text):
        line = raw.strip()
        if not line or line.startswith("#") or _MISSING_FILE.match(line):
            continue
        pending.append(line.removesuffix("\\").strip())
        joined = " ".join(pending)
        if line.endswith("\\") or joined.count("(") > joined.count(")"):
            continue
        pending = []
        yield joined
    if pending:
        yield " ".join(pending)


def covers_informational(selector: str) -> bool:
    """Whether a selector passes every facility at informational and above.

    `*.*`, `*.info` or `*.debug` does, unless another part excludes a facility (`auth.none`);
    a RainerScript filter (`if ...`) or a property filter (`:msg, ...`) chooses messages and
    is not taken as all.
    """
    if selector.startswith(("if ", ":")):
        return False
    covered = False
    for part in selector.split(";"):
        facilities, _, priority = part.partition(".")
        if priority == "none":
            return False
        if facilities == "*" and priority in _INFORMATIONAL:
            covered = True
    return covered


def _forward(statement: str) -> LogForward | None:
    """The forwarding action of one statement, if it is one."""
    action = _ACTION.search(statement)
    if action is not None:
        params = {
            m.group("key").lower(): m.group("value") for m in _PARAM.finditer(action["params"])
        }
        kind = params.get("type", "").lower()
        if kind not in _FORWARDERS or "target" not in params:
            return None
        protocol = _FORWARDERS[kind] or params.get("protocol", "udp").lower()
        selector = statement[: action.start()].strip().removesuffix("then").strip() or "*.*"
        return LogForward(
            target=params["target"],
            protocol=_protocol(protocol, statement),
            selector=selector,
            line=statement,
            all_at_informational=covers_informational(selector),
        )
    legacy = _LEGACY.match(statement)
    if legacy is None:
        return None
    return LogForward(
        target=legacy["target"].strip("[]"),
        protocol="tcp" if legacy["at"] == "@@" else "udp",
        selector=legacy["selector"],
        line=statement,
        all_at_informational=covers_informational(legacy["selector"]),
    )


def _protocol(value: str, statement: str) -> Literal["udp", "tcp", "relp"]:
    if value in ("udp", "tcp", "relp"):
        return value  # type: ignore[return-value]
    raise ParseError(f"rsyslog: unknown forwarding protocol {value!r} in {statement[:60]!r}")


def parse_rsyslog(text: str) -> ServerLogging:
    """The forwarding actions of rsyslog's configuration files, as `cat` printed them.

    `cat`'s complaint about a file that does not exist (no `/etc/rsyslog.d/*.conf`, or no
    rsyslog at all) is skipped: what is not there forwards nothing.
    """
    forwards = tuple(f for s in _statements(text) if (f := _forward(s)) is not None)
    return ServerLogging(forwards=forwards, source=RSYSLOG_CONF)


def _properties(text: str, command: str) -> tuple[dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    lines: dict[str, str] = {}
    for line in device_lines(text):
        key, sep, value = line.strip().partition("=")
        if sep and re.fullmatch(r"[A-Za-z]+", key):
            values[key] = value
            lines[key] = line.strip()
    if not values:
        raise ParseError(f"{command}: no key=value line")
    return values, lines


# What timedatectl prints where it cannot ask systemd (PID 1 is not systemd, no D-Bus).
_NO_SYSTEMD = ("System has not been booted with systemd", "Failed to connect to bus")


def read_timesync(show: str, show_timesync: str) -> TimeSync | None:
    """`parse_timesync`, or None where timedatectl says it cannot reach systemd.

    Such a host's time synchronisation is unknown (it may run chrony or ntpd outside
    systemd); the rule says it was not read, never that it is fine.
    """
    if any(marker in text for text in (show, show_timesync) for marker in _NO_SYSTEMD):
        return None
    return parse_timesync(show, show_timesync)


def parse_timesync(show: str, show_timesync: str) -> TimeSync:
    """Whether the clock is in sync (`timedatectl show`) and the NTP servers it is set to use.

    The servers are systemd-timesyncd's configured (`SystemNTPServers`), per-link (DHCP,
    `LinkNTPServers`) and runtime ones; the fallback servers are not counted, they are what
    it uses when nobody configured any.

    Raises:
        ParseError: an output without `key=value` lines or without `NTPSynchronized`.
    """
    state, state_lines = _properties(show, TIMEDATECTL)
    if state.get("NTPSynchronized") not in ("yes", "no"):
        raise ParseError(f"{TIMEDATECTL}: no NTPSynchronized=yes|no line")
    sync, sync_lines = _properties(show_timesync, TIMESYNC)
    keys = ("SystemNTPServers", "LinkNTPServers", "RuntimeNTPServers")
    servers = tuple(dict.fromkeys(s for key in keys for s in sync.get(key, "").split()))
    evidence = [state_lines["NTPSynchronized"], *(sync_lines[k] for k in keys if k in sync_lines)]
    return TimeSync(
        servers=servers,
        synchronized=state["NTPSynchronized"] == "yes",
        lines=tuple(evidence),
        source=f"{TIMEDATECTL}; {TIMESYNC}",
    )
