"""The ASA driver: a Netmiko session in privileged mode, the ASA parser."""

from __future__ import annotations

import re
from typing import ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.enums import Platform, SecretKind
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms.asa.parse import parse_asa
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver
from dalsnet_audit.platforms.merge import NEW_SECRET, MergeRules, merge

ASA_MERGE = MergeRules(
    syntax="asa",
    singletons=tuple(
        re.compile(p)
        for p in (
            r"ssh version",
            r"ssh cipher encryption",
            r"ssh cipher integrity",
            r"ssh key-exchange group",
            r"enable password",
            r"username \S+",
        )
    ),
    end=": end",
    # The ASA 9.16 stores a password typed in clear as a PBKDF2 hash.
    stored_form=lambda line: line.replace(
        "password <new secret>", "password $sha512$5000$fixproof$StoredHash pbkdf2"
    ).replace(NEW_SECRET, "FixProofSecret"),
)


class AsaDriver(PlatformDriver):
    """ASA: management per network and interface, HTTPS only, PBKDF2 `password` hashes."""

    platform: ClassVar[Platform] = Platform.ASA
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

    def apply_fix(self, config: str, fix: str) -> str:
        """The running configuration after `fix` is pasted (see `platforms.merge`)."""
        return merge(config, fix, ASA_MERGE)

    def stored_as_hash(self, kind: SecretKind) -> bool:
        """The ASA writes every credential with `password`; the hash type says how it is kept."""
        return True

    def strong_secret_example(self, user: str | None = None) -> str:
        """`password <hash> pbkdf2`, the ASA's form of a strong hash."""
        return (
            f"username {user} password <hash> pbkdf2" if user else "enable password <hash> pbkdf2"
        )
