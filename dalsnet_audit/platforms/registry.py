"""The driver registry: one driver per platform, duplicates refused (nornir's `PluginRegister`)."""

from __future__ import annotations

from dalsnet_audit.errors import AuditError
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.platforms.base import PlatformDriver


class DriverAlreadyRegisteredError(AuditError):
    """Two drivers claim the same platform."""


class DriverRegistry:
    """Drivers by platform."""

    def __init__(self) -> None:
        self._drivers: dict[Platform, PlatformDriver] = {}

    def register(self, driver: PlatformDriver) -> PlatformDriver:
        """Add `driver` under its platform.

        Raises:
            DriverAlreadyRegisteredError: the platform has a driver already.
        """
        if driver.platform in self._drivers:
            msg = f"a driver for {driver.platform.value} is registered already"
            raise DriverAlreadyRegisteredError(msg)
        self._drivers[driver.platform] = driver
        return driver

    def get(self, platform: Platform) -> PlatformDriver:
        """The driver of `platform`."""
        return self._drivers[platform]

    def all(self) -> dict[Platform, PlatformDriver]:
        """Every driver by platform."""
        return dict(self._drivers)

    def __contains__(self, platform: object) -> bool:
        return platform in self._drivers
