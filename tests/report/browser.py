"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven through Selenium.

Console messages and every network request are logged (Chrome's performance log), so a test
can fail on a console error or on any request that leaves the file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def require_chromium() -> None:
    """Skip, saying why, where Chromium or its driver is not installed."""
    if not CHROMIUM or not DRIVER:
        pytest.skip(
            "Chromium is not installed (Debian packages chromium, chromium-driver); "
            "`make test` installs them where it runs as root"
        )


@contextmanager
def chromium(width: int, height: int) -> Iterator[Any]:
    """A headless Chromium window of `width` x `height` CSS pixels."""
    from selenium import webdriver  # noqa: PLC0415 - only where Chromium is installed
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--metrics-recording-only",
        "--lang=sv-SE",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        # The viewport itself, not the window around it: what a reader of that size sees.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        driver.execute_cdp_cmd("Network.enable", {})
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """Console messages of level SEVERE (errors, failed loads)."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def requests(driver: Any) -> list[str]:
    """The URL of every request the page made (the page itself included)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
