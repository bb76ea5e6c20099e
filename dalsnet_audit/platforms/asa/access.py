"""ASA login, accounting, session and logging settings in the model's words.

ASA semantics (Cisco ASA Series Command Reference): SSH logins are authenticated by
`aaa authentication ssh console GROUP [LOCAL]` (without it the ASA 9.x refuses SSH logins);
commands are accounted by `aaa accounting command [privilege N] GROUP` and sessions by
`aaa accounting ssh console GROUP`; an idle SSH session closes after `ssh timeout` minutes
(default 5) and a console one after `console timeout` minutes (default 0: never); local
accounts lock after `aaa local authentication attempts max-fail N` failures, until cleared.
Nothing is sent to syslog servers before `logging enable` and a `logging trap` level; the
ASA logs logins (605004/605005, 611101/611102) at level informational, so they reach the
servers when the trap level is informational or debugging. `logging timestamp` stamps date and
time (`rfc5424`: ISO 8601 in UTC); no ASA timestamp carries milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dalsnet_audit.model.device import (
    AccountingPath,
    LoggingConfig,
    LoginLogging,
    LoginPath,
    LoginProtection,
    RemoteAccessVpn,
    SessionTimeout,
    Timestamps,
)
from dalsnet_audit.model.enums import syslog_severity

SSH_TIMEOUT_DEFAULT = 5 * 60
CONSOLE_TIMEOUT_DEFAULT = 0
LOGIN_MESSAGES_LEVEL = 6  # informational


def _methods(words: list[str]) -> tuple[str, ...]:
    return tuple("local" if word == "LOCAL" else word for word in words)


@dataclass
class AccessSettings:
    """Collects the lines of one ASA configuration that decide access and traceability."""

    ssh_login: LoginPath | None = None
    accounting: list[AccountingPath] = field(default_factory=list)
    ssh_timeout: SessionTimeout | None = None
    console_timeout: SessionTimeout | None = None
    protection: LoginProtection | None = None
    enabled_line: str | None = None
    trap: tuple[str, str] | None = None  # (level, line)
    timestamp_line: str | None = None
    host_interfaces: list[str] = field(default_factory=list)
    tunnel_types: dict[str, str] = field(default_factory=dict)  # name -> type line
    tunnel_auth: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)

    def read_tunnel_group(self, words: list[str], lines: tuple[str, ...]) -> None:
        """A `tunnel-group NAME type ...` line or `tunnel-group NAME general-attributes` block."""
        if len(words) < 3:
            return
        if words[2] == "type" and len(words) > 3 and words[3] == "remote-access":
            self.tunnel_types[words[1]] = lines[0]
        elif words[2] == "general-attributes":
            groups = tuple(
                child.split()[1]
                for child in lines[1:]
                if child.split()[:1] == ["authentication-server-group"] and len(child.split()) > 1
            )
            deciding = tuple(
                child for child in lines[1:] if "authentication-server-group" in child.split()[:1]
            )
            self.tunnel_auth[words[1]] = (groups, (lines[0], *deciding))

    def remote_access(self) -> tuple[RemoteAccessVpn, ...]:
        """The remote-access tunnel groups and the server groups that authenticate them."""
        vpns = []
        for name, type_line in self.tunnel_types.items():
            groups, lines = self.tunnel_auth.get(name, ((), ()))
            vpns.append(RemoteAccessVpn(name, groups, (type_line, *lines)))
        return tuple(vpns)

    def read(self, words: list[str], line: str) -> bool:
        """Take a line if it is one of these settings; returns whether it was."""
        if words[:4] == ["aaa", "authentication", "ssh", "console"] and len(words) > 4:
            self.ssh_login = LoginPath("ssh", _methods(words[4:]), (line,))
        elif words[:3] == ["aaa", "accounting", "command"] and len(words) > 3:
            self.accounting.append(AccountingPath("commands", (words[-1],), line))
        elif words[:4] == ["aaa", "accounting", "ssh", "console"] and len(words) > 4:
            self.accounting.append(AccountingPath("exec", (words[4],), line))
        elif words[:2] == ["ssh", "timeout"] and len(words) > 2 and words[2].isdigit():
            self.ssh_timeout = SessionTimeout("ssh", int(words[2]) * 60, (line,))
        elif words[:2] == ["console", "timeout"] and len(words) > 2 and words[2].isdigit():
            self.console_timeout = SessionTimeout("console", int(words[2]) * 60, (line,))
        elif (
            words[:5] == ["aaa", "local", "authentication", "attempts", "max-fail"]
            and len(words) > 5
        ):
            self.protection = LoginProtection(int(words[5]), None, None, line)
        else:
            return False
        return True

    def read_logging(self, words: list[str], line: str) -> None:
        """A `logging ...` line."""
        if words[1:2] == ["enable"]:
            self.enabled_line = line
        elif words[1:2] == ["trap"] and len(words) > 2:
            self.trap = (words[2], line)
        elif words[1:2] == ["timestamp"]:
            self.timestamp_line = line

    def login_paths(self) -> tuple[LoginPath, ...]:
        """SSH logins: the list of `aaa authentication ssh console`, else no method at all."""
        return (self.ssh_login or LoginPath("ssh", ()),)

    def session_timeouts(self) -> tuple[SessionTimeout, ...]:
        """SSH and console idle timeouts, the defaults where they are not set."""
        return (
            self.ssh_timeout or SessionTimeout("ssh", SSH_TIMEOUT_DEFAULT),
            self.console_timeout or SessionTimeout("console", CONSOLE_TIMEOUT_DEFAULT),
        )

    def logging(self, base: LoggingConfig) -> LoggingConfig:
        """`base` with what `logging enable`, `logging trap` and `logging timestamp` say."""
        level = self.trap[0] if self.trap else None
        severity = syslog_severity(level) if level else None
        logs_logins = (
            self.enabled_line is not None
            and severity is not None
            and severity >= LOGIN_MESSAGES_LEVEL
        )
        deciding = tuple(x for x in (self.enabled_line, self.trap[1] if self.trap else None) if x)
        return replace(
            base,
            enabled=self.enabled_line is not None,
            trap_level=level,
            timestamps=Timestamps(True, False, self.timestamp_line)
            if self.timestamp_line
            else None,
            logins=LoginLogging(logs_logins, logs_logins, deciding),
            host_interfaces=tuple(self.host_interfaces),
        )
