"""IOS login, accounting, session and logging settings in the model's words.

What a rule about identity or traceability reads is decided by several lines together on IOS
(a `line vty` block names a method list that an `aaa authentication login` line defines); the
model gets the outcome and the lines that decide it. IOS semantics (Cisco IOS Security
Command Reference): without `aaa new-model` a line authenticates with its own password
(`login`) or the local database (`login local`); with it, a line uses the list it names or
`default` (without a default list, the local database); `exec-timeout` is 10 minutes unless
set, `0 0` never times out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dalsnet_audit.model.device import (
    AaaMethodList,
    AccountingPath,
    LoginPath,
    LoginProtection,
    SessionTimeout,
    TerminalLine,
    Timestamps,
)

DEFAULT_EXEC_TIMEOUT = 600
_BLOCK_FOR = re.compile(r"login block-for (\d+) attempts (\d+) within (\d+)")
_SPECIAL = {"local": "local", "local-case": "local", "line": "line", "enable": "enable"}


def _methods(words: Iterable[str]) -> tuple[str, ...]:
    """`group X local` -> (X, local); `group tacacs+` -> (tacacs+,)."""
    methods: list[str] = []
    tokens = iter(words)
    for word in tokens:
        if word == "group":
            name = next(tokens, None)
            if name is not None:
                methods.append(name)
        elif word in _SPECIAL:
            methods.append(_SPECIAL[word])
        elif word == "none":
            methods.append("none")
    return tuple(methods)


def login_paths(
    terminal_lines: Iterable[TerminalLine], lists: Iterable[AaaMethodList], new_model: bool
) -> tuple[LoginPath, ...]:
    """How each vty range authenticates a login."""
    logins = {m.name: m for m in lists if m.service == "authentication" and m.kind == "login"}
    paths: list[LoginPath] = []
    for term in terminal_lines:
        if term.kind != "vty" or not term.lines:
            continue
        header = term.lines[0]
        if not new_model:
            local = any(line.strip() == "login local" for line in term.lines)
            decided = [line for line in term.lines[1:] if line.strip().startswith("login")]
            paths.append(LoginPath(header, ("local",) if local else ("line",), (header, *decided)))
            continue
        name = term.login_authentication or "default"
        named = [line for line in term.lines[1:] if line.strip().startswith("login authentication")]
        method_list = logins.get(name)
        if method_list is None:
            # No default list: IOS checks the local database; a named list that is not
            # defined lets nobody in.
            methods: tuple[str, ...] = ("local",) if name == "default" else ()
            paths.append(LoginPath(header, methods, (header, *named)))
            continue
        methods = _methods(method_list.methods)
        paths.append(LoginPath(header, methods, (header, *named, method_list.line)))
    return tuple(paths)


def accounting_paths(lists: Iterable[AaaMethodList]) -> tuple[AccountingPath, ...]:
    """The default accounting lists of exec sessions and commands that record something."""
    paths: list[AccountingPath] = []
    for method_list in lists:
        if method_list.service != "accounting" or method_list.name != "default":
            continue
        kind = method_list.kind.split()[0]
        if kind not in ("exec", "commands"):
            continue
        if not {"start-stop", "stop-only"} & set(method_list.methods):
            continue
        groups = tuple(m for m in _methods(method_list.methods) if m not in _SPECIAL.values())
        paths.append(AccountingPath(kind, groups, method_list.line))  # type: ignore[arg-type]
    return tuple(paths)


def session_timeouts(terminal_lines: Iterable[TerminalLine]) -> tuple[SessionTimeout, ...]:
    """The idle timeout of every console and vty range (IOS default: 10 minutes)."""
    timeouts: list[SessionTimeout] = []
    for term in terminal_lines:
        if term.kind not in ("con", "vty") or not term.lines:
            continue
        header = term.lines[0]
        setting = [line for line in term.lines[1:] if "exec-timeout" in line.split()[:2]]
        if term.exec_timeout_seconds is None:
            timeouts.append(SessionTimeout(header, DEFAULT_EXEC_TIMEOUT, ()))
        else:
            timeouts.append(SessionTimeout(header, term.exec_timeout_seconds, (header, *setting)))
    return tuple(timeouts)


def login_protection(line: str | None) -> LoginProtection | None:
    """`login block-for S attempts N within T`."""
    match = _BLOCK_FOR.match(line or "")
    if line is None or match is None:
        return None
    block, attempts, within = (int(x) for x in match.groups())
    return LoginProtection(attempts, within, block, line)


def timestamps(line: str | None) -> Timestamps | None:
    """`service timestamps log datetime [msec] ...`; `uptime` stamps no date."""
    if line is None:
        return None
    words = line.split()[3:]
    return Timestamps("datetime" in words, "datetime" in words and "msec" in words, line)
