"""The platform driver contract, in the manner of napalm's `NetworkDriver`.

A driver says what to collect from a device of its platform and over which connection, turns
the raw outputs into the vendor-neutral model (the normalise step), answers the questions
rules ask (`model.platform.PlatformAnswers`), and names where its remediation templates are
(`templates/remediation/<platform>/`, then its family's, then the common ones). Drivers hold no
state: one instance serves every host.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from dalsnet_audit.model.device import DeviceConfig, ServerInfo
from dalsnet_audit.model.enums import Platform, SecretKind
from dalsnet_audit.model.raw import RawDevice


class Connection(StrEnum):
    """How a session is opened."""

    NAPALM = "napalm"
    NETMIKO = "netmiko"


@dataclass(frozen=True, slots=True)
class CollectPlan:
    """What to collect from a device of the platform.

    Attributes:
        ssh: The SSH session's library, or None when the platform is read over SNMP only.
        netmiko_type: Netmiko's device type (nornir-netmiko maps only NAPALM's names).
        enable: The session enters privileged mode first.
        config_command: The command that prints the running configuration, if any.
        commands: Show commands the rules read besides the configuration.
        snmp: The device's SNMP agent is polled (servers).
        getter_commands: Commands NAPALM's getters send, recorded in the session and replayed
            by the driver later (`archive_getters`), so that no getter parses in the session.
    """

    ssh: Connection | None
    netmiko_type: str | None
    enable: bool
    config_command: str | None
    commands: tuple[str, ...]
    snmp: bool
    getter_commands: tuple[str, ...] = ()


class PlatformDriver(ABC):
    """One platform: collection, normalisation, answers, remediation."""

    platform: ClassVar[Platform]
    plan: ClassVar[CollectPlan]
    terminal_lines_required: ClassVar[bool] = False
    http_server_plain: ClassVar[bool] = False
    snmp_community_acl: ClassVar[bool] = False
    log_timestamp_msec: ClassVar[bool] = True

    @abstractmethod
    def normalise(self, raw: RawDevice) -> DeviceConfig | ServerInfo:
        """The raw outputs of one host as the model.

        Raises:
            NoDataError: the outputs the platform needs were not collected.
            ParseError: an output is not in a form the parser understands.
        """

    def apply_fix(self, raw: RawDevice, fix: str) -> RawDevice:
        """The device's outputs after `fix` is entered on it (the driver's own merge).

        The configuration is merged; a command the device runs rather than stores (a new
        host key) changes the show output that reports its effect.

        Raises:
            NotImplementedError: the platform has no configuration to merge into (servers).
            FixNotApplicable: the fix holds a placeholder a person must fill in.
        """
        raise NotImplementedError(f"{self.platform.value} has no configuration to merge into")

    def archive_getters(self, raw: RawDevice) -> dict[str, Any]:
        """Structured results kept beside the raw outputs in the archive (NAPALM getters)."""
        return {}

    def stored_as_hash(self, kind: SecretKind) -> bool:
        """`secret` is a hash; `password` is clear text or reversible (IOS semantics)."""
        return kind is SecretKind.SECRET

    def strong_secret_example(self, user: str | None = None) -> str:
        """A strongly hashed secret written the platform's way."""
        return f"username {user} secret 9" if user else "enable secret 9 (scrypt) or 8 (PBKDF2)"

    family: ClassVar[str] = "network"

    @property
    def remediation_dirs(self) -> tuple[str, ...]:
        """Where the platform's fixes are looked up under `remediation/`, first match wins.

        Its own syntax first, then what every platform of its family writes alike (network
        devices: `interface X` / ` ip address A M`), then what is no device's syntax at all.
        """
        return (self.platform.value, self.family, "common")
