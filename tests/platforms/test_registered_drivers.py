"""The driver registry's contents are pinned (nornir's tests/core/test_registered_plugins.py)."""

from __future__ import annotations

import pytest

from dalsnet_audit.model.enums import Platform
from dalsnet_audit.platforms import DRIVERS, DriverAlreadyRegisteredError, DriverRegistry
from dalsnet_audit.platforms.asa.driver import AsaDriver
from dalsnet_audit.platforms.base import Connection, PlatformDriver
from dalsnet_audit.platforms.ios.driver import IosDriver
from dalsnet_audit.platforms.linux.driver import LinuxDriver
from dalsnet_audit.platforms.windows.driver import WindowsDriver


def test_registered_drivers():
    assert {platform: type(driver) for platform, driver in DRIVERS.all().items()} == {
        Platform.IOS: IosDriver,
        Platform.ASA: AsaDriver,
        Platform.LINUX: LinuxDriver,
        Platform.WINDOWS: WindowsDriver,
    }


def test_every_platform_has_a_driver():
    assert set(DRIVERS.all()) == set(Platform)


def test_a_second_driver_for_a_platform_is_refused():
    registry = DriverRegistry()
    registry.register(IosDriver())
    with pytest.raises(DriverAlreadyRegisteredError):
        registry.register(IosDriver())


@pytest.mark.parametrize("driver", DRIVERS.all().values(), ids=lambda d: d.platform.value)
def test_collect_plans_are_whole(driver: PlatformDriver):
    plan = driver.plan
    assert plan.ssh is not None or plan.snmp, "a platform is read over something"
    if plan.ssh is Connection.NETMIKO:
        assert plan.netmiko_type
    if plan.getter_commands:
        assert plan.ssh is Connection.NAPALM
