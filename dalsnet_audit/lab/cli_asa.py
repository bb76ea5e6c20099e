"""The ASA command line: what netmiko ``cisco_asa`` needs.

Like IOS (``host>``, ``enable``, ``host#``, configuration mode for ``terminal width``), plus
``show curpriv`` and ``terminal pager 0``. ``show running-config`` prints the snapshot's
configuration; other show commands print the snapshot's files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from dalsnet_audit.lab.cli_common import DeviceCli, HostFiles, Reply
from dalsnet_audit.lab.cli_ios import CiscoCli
from dalsnet_audit.lab.credentials import LabCredentials

ASA_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("show", "running-config"),
    ("show", "startup-config"),
    ("show", "version"),
    ("show", "curpriv"),
    ("show", "hostname"),
)


class AsaCli(CiscoCli):
    """One session on an ASA.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
        fault: The host's fault mode, if any.
    """

    commands: ClassVar[tuple[tuple[str, ...], ...]] = ASA_COMMANDS
    invalid_prefix: ClassVar[str] = "ERROR: "

    def __init__(
        self, host: HostFiles, credentials: LabCredentials, fault: str | None = None
    ) -> None:
        super().__init__(host, credentials, fault)
        for line in (host.config or "").splitlines():
            if line.startswith("hostname "):
                self.hostname = line.split()[1]
                break

    def handle_secret(self, line: str) -> Reply:
        """Check the ``enable`` password.

        Args:
            line: The password typed.

        Returns:
            Nothing on success, ``Invalid password`` otherwise.
        """
        if line == self.credentials.enable:
            self.mode = "enable"
            return Reply()
        return Reply(output="Invalid password\n")

    def derived(self, pattern: tuple[str, ...], args: list[str]) -> str | None:
        """``show curpriv`` and ``show hostname``.

        Args:
            pattern: Canonical command words.
            args: Values of its ``<arg>`` words.

        Returns:
            The output, or None.
        """
        if pattern == ("show", "curpriv"):
            level, mode = (15, "P_PRIV") if self.mode != "user" else (1, "P_UNPR")
            return (
                f"Username : enable_{level}\n"
                f"Current privilege level : {level}\n"
                f"Current Mode/s : {mode}\n"
            )
        if pattern == ("show", "hostname"):
            return f"{self.hostname}\n"
        return None


def asa_session_factory(
    host: HostFiles, credentials: LabCredentials, fault: str | None
) -> Callable[[], DeviceCli]:
    """Return a factory of ASA sessions.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
        fault: The host's fault mode, if any.

    Returns:
        A callable creating one :class:`AsaCli` per SSH session.
    """
    return lambda: AsaCli(host, credentials, fault)
