"""The Linux shell: what netmiko ``linux`` needs, answering from the snapshot.

Prompt ``user@host:~$ ``. ``uname -a`` is the agent's ``sysDescr`` from the host's
``.snmprec`` (net-snmp puts ``uname -a`` there) plus ``GNU/Linux``; ``cat /etc/os-release``
follows the inventory ``model`` (``Debian 12``); any command whose output the snapshot holds
(``show/<host>/<slug>.txt``, e.g. a ``dpkg-query``) prints that file; anything else is
``-bash: X: command not found``.
"""

from __future__ import annotations

from collections.abc import Callable

from dalsnet_audit.lab.cli_common import DeviceCli, HostFiles, Reply
from dalsnet_audit.lab.credentials import LabCredentials

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
DEFAULT_KERNEL = "6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)"
_DEBIAN = {"10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie"}
_UBUNTU = {"20.04": "focal", "22.04": "jammy", "24.04": "noble"}


def snmprec_value(snmprec: str, oid: str) -> str | None:
    """Return one value of an ``.snmprec`` file as text (hex values decoded).

    Args:
        snmprec: The file's text (``oid|tag|value`` lines).
        oid: The OID wanted.

    Returns:
        The value, or None when the file lacks the OID.
    """
    for line in snmprec.splitlines():
        found, _, rest = line.partition("|")
        if found == oid:
            tag, _, value = rest.partition("|")
            if tag.endswith("x"):
                return bytes.fromhex(value).decode("utf-8", "replace")
            return value
    return None


def os_release(model: str) -> str:
    """Return ``/etc/os-release`` for an inventory model such as ``Debian 12``.

    Args:
        model: Distribution and version.

    Returns:
        The file's text.
    """
    name, _, version = model.partition(" ")
    if name.lower() == "debian":
        code = _DEBIAN.get(version, "")
        return (
            f'PRETTY_NAME="Debian GNU/Linux {version} ({code})"\n'
            'NAME="Debian GNU/Linux"\n'
            f'VERSION_ID="{version}"\n'
            f'VERSION="{version} ({code})"\n'
            f"VERSION_CODENAME={code}\n"
            "ID=debian\n"
            'HOME_URL="https://www.debian.org/"\n'
            'SUPPORT_URL="https://www.debian.org/support"\n'
            'BUG_REPORT_URL="https://bugs.debian.org/"\n'
        )
    if name.lower() == "ubuntu":
        code = _UBUNTU.get(version, "")
        return (
            f'PRETTY_NAME="Ubuntu {version} LTS"\n'
            'NAME="Ubuntu"\n'
            f'VERSION_ID="{version}"\n'
            f'VERSION="{version} LTS ({code.title()})"\n'
            f"VERSION_CODENAME={code}\n"
            "ID=ubuntu\n"
            "ID_LIKE=debian\n"
        )
    return f'PRETTY_NAME="{model}"\nNAME="{name}"\nVERSION_ID="{version}"\nID={name.lower()}\n'


class LinuxCli(DeviceCli):
    """One shell session on a Linux server.

    Args:
        host: The host's snapshot files.
        credentials: The login user names the prompt.
        fault: ``drop`` aborts the connection half-way through the package list.
    """

    def __init__(
        self, host: HostFiles, credentials: LabCredentials, fault: str | None = None
    ) -> None:
        super().__init__(host, credentials)
        self.fault = fault

    @property
    def prompt(self) -> str:
        """``user@host:~$ ``."""
        return f"{self.credentials.username}@{self.host.name}:~$ "

    def _uname(self) -> str:
        descr = snmprec_value(self.host.snmprec or "", SYS_DESCR)
        if descr and descr.startswith("Linux "):
            return f"{descr} GNU/Linux"
        return f"Linux {self.host.name} {DEFAULT_KERNEL} x86_64 GNU/Linux"

    def handle(self, line: str) -> Reply:
        """Run one shell command.

        Args:
            line: The command line.

        Returns:
            Its output.
        """
        command = " ".join(line.split())
        if not command:
            return Reply()
        if command in ("exit", "logout"):
            return Reply(close=True)
        from_file = self.host.show(command)
        if from_file is not None:
            return Reply(
                output=from_file, drop=self.fault == "drop" and command.startswith("dpkg-query")
            )
        builtins: dict[str, Callable[[], str]] = {
            "uname -a": lambda: self._uname() + "\n",
            "uname": lambda: "Linux\n",
            "uname -r": lambda: self._uname().split()[2] + "\n",
            "hostname": lambda: f"{self.host.name}\n",
            "whoami": lambda: f"{self.credentials.username}\n",
            "cat /etc/os-release": lambda: os_release(
                str(self.host.data.get("model") or "Debian 12")
            ),
        }
        if command in builtins:
            return Reply(output=builtins[command]())
        word = command.split()[0]
        if word == "cat":
            return Reply(output=f"cat: {command.split()[-1]}: No such file or directory\n")
        return Reply(output=f"-bash: {word}: command not found\n")


def linux_session_factory(
    host: HostFiles, credentials: LabCredentials, fault: str | None
) -> Callable[[], DeviceCli]:
    """Return a factory of Linux shell sessions.

    Args:
        host: The host's snapshot files.
        credentials: The login user.
        fault: The host's fault mode; the shell handles ``drop`` (login faults live in the server).

    Returns:
        A callable creating one :class:`LinuxCli` per SSH session.
    """
    return lambda: LinuxCli(host, credentials, fault)
