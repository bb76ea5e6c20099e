"""The IOS/IOS-XE command line: what NAPALM's ``ios`` driver and netmiko ``cisco_ios`` need.

Login lands at ``host>``; ``enable`` asks ``Password: `` (not echoed) and leads to ``host#``.
``show running-config``/``show startup-config`` print the snapshot's configuration; a show
command whose output the snapshot holds (``show/<host>/<slug>.txt``) prints that file; the
commands NAPALM's getters use beyond those are derived from the configuration
(:mod:`dalsnet_audit.lab.ios_derive`). Output modifiers ``| include``, ``| exclude``,
``| begin``, ``| section`` and ``| count`` work on every output. Anything else is answered with
``% Invalid input detected at '^' marker.``, which NAPALM relies on to fall back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from dalsnet_audit.lab.cli_common import (
    DeviceCli,
    HostFiles,
    Reply,
    apply_filters,
    invalid_input,
    match_words,
    split_pipes,
)
from dalsnet_audit.lab.credentials import LabCredentials
from dalsnet_audit.lab.ios_derive import IosDerived, show_vlan_id

# Canonical commands, in the order abbreviations are resolved ("show ip int" is ip, not ipv6).
IOS_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("show", "running-config"),
    ("show", "startup-config"),
    ("show", "version"),
    ("show", "hosts"),
    ("show", "ip", "interface", "brief"),
    ("show", "ip", "interface"),
    ("show", "ip", "ssh"),
    ("show", "ipv6", "interface", "brief"),
    ("show", "ipv6", "interface"),
    ("show", "interfaces", "status"),
    ("show", "interfaces"),
    ("show", "vlan", "brief"),
    ("show", "vlan", "all-ports"),
    ("show", "vlan", "id", "<arg>"),
    ("show", "vlan"),
    ("show", "snmp", "chassis"),
    ("show", "ntp", "associations"),
    ("show", "privilege"),
)
PRIVILEGED = frozenset({("show", "running-config"), ("show", "startup-config")})


def canonical(
    line: str, table: tuple[tuple[str, ...], ...]
) -> tuple[tuple[str, ...], list[str]] | None:
    """Resolve an abbreviated command against a command table.

    Args:
        line: The command without output modifiers.
        table: Canonical commands, first match wins.

    Returns:
        The canonical words and the ``<arg>`` values, or None.
    """
    words = line.split()
    for pattern in table:
        args = match_words(words, pattern)
        if args is not None:
            return pattern, args
    return None


class CiscoCli(DeviceCli):
    """Exec modes shared by IOS and ASA: user, privileged (``enable``) and configuration.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
        fault: The host's fault mode, if any (``drop`` is handled here).
    """

    commands: ClassVar[tuple[tuple[str, ...], ...]] = IOS_COMMANDS
    invalid_prefix: ClassVar[str] = ""

    def __init__(
        self, host: HostFiles, credentials: LabCredentials, fault: str | None = None
    ) -> None:
        super().__init__(host, credentials)
        self.fault = fault
        self.mode = "user"
        self.hostname = host.name

    @property
    def prompt(self) -> str:
        """``host>``, ``host#`` or ``host(config)#``."""
        return {"user": f"{self.hostname}>", "enable": f"{self.hostname}#"}.get(
            self.mode, f"{self.hostname}(config)#"
        )

    def handle(self, line: str) -> Reply:
        """Answer one line typed at the prompt.

        Args:
            line: The line without its line end.

        Returns:
            What to write back.
        """
        text = line.strip()
        if not text:
            return Reply()
        if self.mode == "config":
            return self._config_line(text)
        builtin = self._exec_builtin(text)
        return builtin if builtin is not None else self.show(text)

    def _exec_builtin(self, text: str) -> Reply | None:
        """Session commands: exit, enable, disable, configure terminal, terminal settings."""
        word = text.split(maxsplit=1)[0].lower()
        if word in ("exit", "logout", "quit"):
            return Reply(close=True)
        if len(word) >= 2 and "enable".startswith(word) and text.lower() == word:
            return Reply() if self.mode == "enable" else Reply(output="Password: ", secret=True)
        if word == "disable":
            self.mode = "user"
            return Reply()
        if text.lower().startswith(("conf t", "configure terminal", "config t", "configure t")):
            if self.mode != "enable":
                return Reply(output=self.invalid(text))
            self.mode = "config"
            return Reply(output="Enter configuration commands, one per line.  End with CNTL/Z.\n")
        return Reply() if word.startswith("term") else None

    def _config_line(self, text: str) -> Reply:
        if text in ("end", "exit") or text.startswith("end "):
            self.mode = "enable"
            return Reply()
        if text.startswith("do "):
            self.mode = "enable"
            try:
                return self.show(text[3:].strip())
            finally:
                self.mode = "config"
        return Reply()

    def handle_secret(self, line: str) -> Reply:
        """Check the ``enable`` secret.

        Args:
            line: The secret typed.

        Returns:
            Nothing on success (the prompt becomes ``host#``), ``% Bad secrets`` otherwise.
        """
        if line == self.credentials.enable:
            self.mode = "enable"
            return Reply()
        return Reply(output="% Bad secrets\n\n")

    def invalid(self, line: str) -> str:
        """IOS's answer to an unknown command.

        Args:
            line: The line typed.

        Returns:
            Caret line and message.
        """
        return invalid_input(self.prompt, line, prefix=self.invalid_prefix)

    def show(self, text: str) -> Reply:
        """Answer a command with optional output modifiers.

        Args:
            text: The line typed.

        Returns:
            The output, or the invalid-input message.
        """
        try:
            command, filters = split_pipes(text)
        except ValueError:
            return Reply(output=self.invalid(text))
        found = canonical(command, self.commands)
        output: str | None
        if found is None:
            output = self.host.show(" ".join(command.split()))
            is_config = False
        else:
            pattern, args = found
            if pattern in PRIVILEGED and self.mode == "user":
                return Reply(output=self.invalid(text))
            output = self.answer(pattern, args)
            is_config = pattern == ("show", "running-config")
        if output is None:
            return Reply(output=self.invalid(text))
        if filters:
            return Reply(output=apply_filters(output, filters))
        return Reply(output=output, drop=is_config and self.fault == "drop")

    def answer(self, pattern: tuple[str, ...], args: list[str]) -> str | None:
        """Output of a canonical command: the snapshot's file, the configuration, or derived.

        Args:
            pattern: Canonical command words.
            args: Values of its ``<arg>`` words.

        Returns:
            The output, or None when the device does not know the command.
        """
        if pattern in PRIVILEGED:
            return self.host.config
        if "<arg>" not in pattern:
            from_file = self.host.show(" ".join(pattern))
            if from_file is not None:
                return from_file
        return self.derived(pattern, args)

    def derived(self, pattern: tuple[str, ...], args: list[str]) -> str | None:
        """Output derived from the configuration (none on the base class).

        Args:
            pattern: Canonical command words.
            args: Values of its ``<arg>`` words.

        Returns:
            None.
        """
        return None


class IosCli(CiscoCli):
    """One session on an IOS/IOS-XE device.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
        fault: The host's fault mode, if any.
        derived: The device's derived outputs, shared by its sessions.
    """

    def __init__(
        self,
        host: HostFiles,
        credentials: LabCredentials,
        fault: str | None = None,
        derived: IosDerived | None = None,
    ) -> None:
        super().__init__(host, credentials, fault)
        self._derived = derived or IosDerived(host)
        self.hostname = self._derived.config.hostname

    def derived(self, pattern: tuple[str, ...], args: list[str]) -> str | None:
        """Outputs derived from the configuration (``show interfaces``, ``show vlan``, ...).

        Args:
            pattern: Canonical command words.
            args: Values of its ``<arg>`` words.

        Returns:
            The output, or None (routers have no VLAN database).
        """
        if pattern[:2] == ("show", "vlan") and not self._derived.config.is_switch:
            return None
        if pattern == ("show", "vlan", "id", "<arg>"):
            return show_vlan_id(self._derived, int(args[0])) if args[0].isdigit() else None
        if pattern == ("show", "privilege"):
            return f"Current privilege level is {15 if self.mode != 'user' else 1}\n"
        return self._derived.cached(" ".join(pattern))


def ios_session_factory(
    host: HostFiles, credentials: LabCredentials, fault: str | None
) -> Callable[[], DeviceCli]:
    """Return a factory of IOS sessions sharing one device's derived outputs.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
        fault: The host's fault mode, if any.

    Returns:
        A callable creating one :class:`IosCli` per SSH session.
    """
    shared: list[IosDerived] = []

    def new_session() -> DeviceCli:
        if not shared:
            shared.append(IosDerived(host))
        return IosCli(host, credentials, fault, shared[0])

    return new_session
