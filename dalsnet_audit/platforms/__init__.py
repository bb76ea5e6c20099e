"""Platform drivers (`base.PlatformDriver`), one package each, registered in `DRIVERS`."""

from dalsnet_audit.platforms.asa.driver import AsaDriver
from dalsnet_audit.platforms.base import CollectPlan, Connection, PlatformDriver
from dalsnet_audit.platforms.ios.driver import IosDriver
from dalsnet_audit.platforms.linux.driver import LinuxDriver
from dalsnet_audit.platforms.registry import DriverAlreadyRegisteredError, DriverRegistry
from dalsnet_audit.platforms.windows.driver import WindowsDriver

DRIVERS = DriverRegistry()
for _driver in (IosDriver(), AsaDriver(), LinuxDriver(), WindowsDriver()):
    DRIVERS.register(_driver)

__all__ = [
    "DRIVERS",
    "CollectPlan",
    "Connection",
    "DriverAlreadyRegisteredError",
    "DriverRegistry",
    "PlatformDriver",
]
