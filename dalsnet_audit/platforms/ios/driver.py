"""The IOS/IOS-XE driver: NAPALM's session, its getters' commands and ours, the IOS parser."""

from __future__ import annotations

from typing import Any, ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver
from dalsnet_audit.platforms.ios.fix import apply_ios_fix
from dalsnet_audit.platforms.ios.napalm import ARCHIVED_GETTERS, DEFERRED_GETTERS, replay_getters
from dalsnet_audit.platforms.ios.parse import parse_ios


class IosDriver(PlatformDriver):
    """IOS/IOS-XE: `line vty` management, `ip http server` in clear, type 8/9 secrets."""

    platform: ClassVar[Platform] = Platform.IOS
    plan: ClassVar[CollectPlan] = CollectPlan(
        ssh=Connection.NAPALM,
        netmiko_type="cisco_ios",
        enable=True,
        config_command="show running-config",
        commands=("show version", "show ip ssh", "show interfaces status"),
        snmp=False,
        getter_commands=tuple(c for commands in DEFERRED_GETTERS.values() for c in commands),
    )
    terminal_lines_required: ClassVar[bool] = True
    http_server_plain: ClassVar[bool] = True
    snmp_community_acl: ClassVar[bool] = True
    deferred_getters: ClassVar[dict[str, tuple[str, ...]]] = DEFERRED_GETTERS

    def normalise(self, raw: RawDevice) -> DeviceConfig:
        """The running configuration and show outputs as the model."""
        if raw.config is None:
            raise NoDataError("no configuration collected")
        return parse_ios(raw.config, raw.shows)

    def apply_fix(self, raw: RawDevice, fix: str) -> RawDevice:
        """The device after `fix` is pasted (see `platforms.merge`, `platforms.ios.fix`)."""
        return apply_ios_fix(raw, fix)

    def archive_getters(self, raw: RawDevice) -> dict[str, Any]:
        """NAPALM's getters run on the session's recorded outputs."""
        return replay_getters(raw.commands, ARCHIVED_GETTERS) if raw.commands else {}
