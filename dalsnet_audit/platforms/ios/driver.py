"""The IOS/IOS-XE driver: NAPALM's session, its getters' commands and ours, the IOS parser."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver
from dalsnet_audit.platforms.ios.napalm import DEFERRED_GETTERS, replay_getters
from dalsnet_audit.platforms.ios.parse import parse_ios
from dalsnet_audit.platforms.merge import NEW_SECRET, MergeRules, merge

# A secret typed in a fix, as IOS then stores it (scrypt, type 9).
_TYPED_SECRET = re.compile(r"(?:algorithm-type scrypt )?secret <new secret>")
IOS_MERGE = MergeRules(
    syntax="ios",
    singletons=tuple(
        re.compile(p)
        for p in (
            r"ip ssh version",
            r"enable secret",
            r"ip ssh server algorithm (?:encryption|mac|kex)",
            r"ip ssh dh min size",
            r"ip http access-class",
            r"ip ssh source-interface",
            r"logging source-interface",
            r"ntp source",
            r"username \S+",
            r"crypto ipsec transform-set \S+",
        )
    ),
    end="end",
    stored_form=lambda line: _TYPED_SECRET.sub("secret 9 $9$fixproof$StoredHash", line).replace(
        NEW_SECRET, "FixProofSecret"
    ),
)


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

    def apply_fix(self, config: str, fix: str) -> str:
        """The running configuration after `fix` is pasted (see `platforms.merge`)."""
        return merge(config, fix, IOS_MERGE)

    def archive_getters(self, raw: RawDevice) -> dict[str, Any]:
        """NAPALM's getters run on the session's recorded outputs."""
        return replay_getters(raw.commands, tuple(DEFERRED_GETTERS)) if raw.commands else {}
