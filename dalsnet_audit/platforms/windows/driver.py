"""The Windows driver: SNMP only (HOST-RESOURCES-MIB)."""

from __future__ import annotations

from typing import ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import ServerInfo
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.parse.snmprec import parse_server_snmp
from dalsnet_audit.platforms.base import CollectPlan, PlatformDriver


class WindowsDriver(PlatformDriver):
    """Windows: what its SNMP agent says (system, addresses, software, processes)."""

    family: ClassVar[str] = "server"
    platform: ClassVar[Platform] = Platform.WINDOWS
    plan: ClassVar[CollectPlan] = CollectPlan(
        ssh=None, netmiko_type=None, enable=False, config_command=None, commands=(), snmp=True
    )

    def normalise(self, raw: RawDevice) -> ServerInfo:
        """The SNMP recording as the model."""
        if raw.snmprec is None:
            raise NoDataError("no SNMP data collected")
        return parse_server_snmp(raw.snmprec)
