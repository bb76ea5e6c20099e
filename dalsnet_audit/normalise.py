"""The one normalise step: a host's raw outputs into its `DeviceSnapshot`, live and offline alike.

Collectors deliver raw outputs and never parse; the platform's driver turns them into the
model. A host whose outputs are missing is `no_data`, one whose outputs the parser does not
understand `parse_error`: neither raises, neither is judged.
"""

from __future__ import annotations

from dalsnet_audit.errors import NoDataError, ParseError
from dalsnet_audit.masking import clean_text
from dalsnet_audit.model.device import CollectStatus, DeviceConfig, DeviceSnapshot, HostRecord
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.platforms import DRIVERS


def normalise(host: HostRecord, raw: RawDevice) -> DeviceSnapshot:
    """The model of `host` from `raw`; never raises for the host's own data."""
    if raw.status is not CollectStatus.AUDITED:
        return DeviceSnapshot(host, raw.status, raw.error)
    try:
        model = DRIVERS.get(host.platform).normalise(raw)
    except NoDataError as exc:
        return DeviceSnapshot(host, CollectStatus.NO_DATA, str(exc))
    except ParseError as exc:
        # The reason may quote the line the parser rejected: masked at the source.
        return DeviceSnapshot(
            host, CollectStatus.PARSE_ERROR, clean_text(f"{host.platform.value} parser: {exc}")
        )
    if isinstance(model, DeviceConfig):
        return DeviceSnapshot(host, CollectStatus.AUDITED, None, config=model)
    return DeviceSnapshot(host, CollectStatus.AUDITED, None, server=model)
