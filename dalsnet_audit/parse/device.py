"""Platform dispatch: raw outputs of one host into its `DeviceSnapshot`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dalsnet_audit.errors import ParseError
from dalsnet_audit.masking import clean_text
from dalsnet_audit.model.device import (
    CollectStatus,
    DeviceConfig,
    DeviceSnapshot,
    HostRecord,
    Platform,
)
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.parse.asa import parse_asa
from dalsnet_audit.parse.ios import parse_ios
from dalsnet_audit.parse.linux import with_ssh_outputs
from dalsnet_audit.parse.snmprec import parse_server_snmp

CONFIG_PARSERS: dict[Platform, Callable[[str, Mapping[str, str]], DeviceConfig]] = {
    Platform.IOS: parse_ios,
    Platform.ASA: parse_asa,
}


def parse_device(host: HostRecord, raw: RawDevice) -> DeviceSnapshot:
    """Parse `raw`; a parser failure makes the host `parse_error`, never raises."""
    if raw.status is not CollectStatus.AUDITED:
        return DeviceSnapshot(host, raw.status, raw.error)
    try:
        if host.platform in CONFIG_PARSERS:
            if raw.config is None:
                return DeviceSnapshot(host, CollectStatus.NO_DATA, "no configuration collected")
            config = CONFIG_PARSERS[host.platform](raw.config, raw.shows)
            return DeviceSnapshot(host, CollectStatus.AUDITED, None, config=config)
        if raw.snmprec is None:
            return DeviceSnapshot(host, CollectStatus.NO_DATA, "no SNMP data collected")
        server = parse_server_snmp(raw.snmprec)
        if host.platform is Platform.LINUX:
            server = with_ssh_outputs(server, raw.shows)
        return DeviceSnapshot(host, CollectStatus.AUDITED, None, server=server)
    except ParseError as exc:
        # The reason may quote the line the parser rejected: masked at the source.
        return DeviceSnapshot(
            host, CollectStatus.PARSE_ERROR, clean_text(f"{host.platform.value} parser: {exc}")
        )
