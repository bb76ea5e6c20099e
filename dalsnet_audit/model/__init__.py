"""The vendor-neutral model: device snapshots in, findings out."""

from dalsnet_audit.model.device import (
    SCHEMA_VERSION,
    CollectStatus,
    DeviceConfig,
    DeviceSnapshot,
    HostRecord,
    Interface,
    Platform,
)
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding, Message, Status

__all__ = [
    "NETWORK_WIDE",
    "SCHEMA_VERSION",
    "CollectStatus",
    "DeviceConfig",
    "DeviceSnapshot",
    "Finding",
    "HostRecord",
    "Interface",
    "Message",
    "Platform",
    "Status",
]
