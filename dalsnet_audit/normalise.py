"""The one normalise step: a host's raw outputs into its `DeviceSnapshot`, live and offline alike.

Collectors deliver raw outputs and never parse; the platform's driver turns them into the
model. A host whose outputs are missing is `no_data`, one whose outputs the parser does not
understand `parse_error`: neither raises, neither is judged. The outputs are handed to the
driver as the snapshot files they are archived in, so that evidence carries line numbers.
"""

from __future__ import annotations

from dataclasses import replace

from dalsnet_audit.errors import NoDataError, ParseError
from dalsnet_audit.masking import clean_text
from dalsnet_audit.model.device import CollectStatus, DeviceConfig, DeviceSnapshot, HostRecord
from dalsnet_audit.model.raw import RawDevice
from dalsnet_audit.model.source import CONFIG_FILE, ArchivedText, show_file
from dalsnet_audit.platforms import DRIVERS


def normalise(host: HostRecord, raw: RawDevice) -> DeviceSnapshot:
    """The model of `host` from `raw`; never raises for the host's own data."""
    if raw.status is not CollectStatus.AUDITED:
        return DeviceSnapshot(host, raw.status, raw.error)
    try:
        model = DRIVERS.get(host.platform).normalise(archived(raw))
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


def archived(raw: RawDevice) -> RawDevice:
    """`raw` whose outputs know their snapshot files, so that their lines carry numbers.

    The archive writes the outputs verbatim to these files (`collect.archive`), and the
    offline reader reads them from there: a line number is one of the archived file.
    """
    return replace(
        raw,
        config=None if raw.config is None else ArchivedText(raw.config, CONFIG_FILE),
        shows={slug: ArchivedText(text, show_file(slug)) for slug, text in raw.shows.items()},
    )
