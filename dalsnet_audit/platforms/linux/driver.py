"""The Linux driver: SNMP (HOST-RESOURCES-MIB) completed by a Netmiko shell session."""

from __future__ import annotations

from typing import ClassVar

from dalsnet_audit.errors import NoDataError
from dalsnet_audit.model.device import ServerInfo
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.parse.snmprec import parse_server_snmp
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver
from dalsnet_audit.platforms.linux.parse import LINUX_COMMANDS, with_ssh_outputs


class LinuxDriver(PlatformDriver):
    """Linux: the SNMP agent for the system, the shell for packages, clamd and signatures."""

    family: ClassVar[str] = "server"
    platform: ClassVar[Platform] = Platform.LINUX
    plan: ClassVar[CollectPlan] = CollectPlan(
        ssh=Connection.NETMIKO,
        netmiko_type="linux",
        enable=False,
        config_command=None,
        commands=LINUX_COMMANDS,
        snmp=True,
    )

    def normalise(self, raw: RawDevice) -> ServerInfo:
        """The SNMP recording, completed by the shell's outputs."""
        if raw.snmprec is None:
            raise NoDataError("no SNMP data collected")
        return with_ssh_outputs(parse_server_snmp(raw.snmprec), raw.shows)
