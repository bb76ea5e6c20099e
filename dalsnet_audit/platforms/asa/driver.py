"""The ASA driver: a Netmiko session in privileged mode, the ASA parser."""

from __future__ import annotations

from typing import ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.enums import Platform, SecretKind
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms.asa.fix import apply_asa_fix
from dalsnet_audit.platforms.asa.parse import parse_asa
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver


class AsaDriver(PlatformDriver):
    """ASA: management per network and interface, HTTPS only, PBKDF2 `password` hashes."""

    platform: ClassVar[Platform] = Platform.ASA
    log_timestamp_msec: ClassVar[bool] = False  # `logging timestamp [rfc5424]`: whole seconds
    plan: ClassVar[CollectPlan] = CollectPlan(
        ssh=Connection.NETMIKO,
        netmiko_type="cisco_asa",
        enable=True,
        config_command="show running-config",
        commands=("show version", "show crypto key mypubkey rsa"),
        snmp=False,
    )

    def normalise(self, raw: RawDevice) -> DeviceConfig:
        """The running configuration and show outputs as the model."""
        if raw.config is None:
            raise NoDataError("no configuration collected")
        return parse_asa(raw.config, raw.shows)

    def apply_fix(self, raw: RawDevice, fix: str) -> RawDevice:
        """The device after `fix` is pasted (see `platforms.merge`, `platforms.asa.fix`)."""
        return apply_asa_fix(raw, fix)

    def stored_as_hash(self, kind: SecretKind) -> bool:
        """The ASA writes every credential with `password`; the hash type says how it is kept."""
        return True

    def strong_secret_example(self, user: str | None = None) -> str:
        """`password <hash> pbkdf2`, the ASA's form of a strong hash."""
        return (
            f"username {user} password <hash> pbkdf2" if user else "enable password <hash> pbkdf2"
        )
