"""NAPALM getters with deferred parsing: commands sent in the session, getters run later.

The getter is napalm's own code, fed the recorded outputs by a replaying driver.

Parsed in the collecting threads, the getters hold the GIL that 50 sessions share
(`get_config`'s regex pass over the configuration and `get_interfaces` alone cost more than
their round trips; benchmarks/live.py). Deferred, they run in a worker process beside the
rules, on exactly the text the session returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from napalm.ios.ios import IOSDriver

# The commands each getter of napalm's IOS driver sends (pinned by tests/live against the lab).
DEFERRED_GETTERS: dict[str, tuple[str, ...]] = {
    "facts": ("show version", "show hosts", "show ip interface brief"),
    "config": ("show running-config",),
    "interfaces": ("show interfaces",),
    "interfaces_ip": ("show ip interface", "show ipv6 interface"),
    "vlans": ("show vlan all-ports",),
    "snmp_information": ("show run | include snmp-server", "show snmp chassis"),
    "users": ("show run | section username",),
    "ntp_servers": ("show run | include ntp server",),
}

# The running configuration is archived as itself (`configs/<host>.cfg`): napalm's `get_config`
# would only copy it (at 6 ms a device, the dearest getter), so it is sent, never replayed.
ARCHIVED_GETTERS: tuple[str, ...] = tuple(name for name in DEFERRED_GETTERS if name != "config")


class _ReplayDriver(IOSDriver):  # type: ignore[misc]
    """NAPALM's IOS driver answering `_send_command` from recorded outputs."""

    def __init__(self, outputs: Mapping[str, str]) -> None:
        super().__init__("replay", "", "")
        self._outputs = outputs

    def _send_command(self, command: str | list[str]) -> str:
        for candidate in [command] if isinstance(command, str) else command:
            if candidate not in self._outputs:
                raise KeyError(f"{candidate!r} was not collected")
            output = self._outputs[candidate]
            if "% Invalid" not in output:
                break
        return str(self._send_command_postprocess(output))


def replay_getters(outputs: Mapping[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    """Run the getters `names` on recorded outputs; a failing getter records its error."""
    driver = _ReplayDriver(outputs)
    results: dict[str, Any] = {}
    for name in names:
        try:
            if name == "config":
                results[name] = driver.get_config(retrieve="running")
            else:
                results[name] = getattr(driver, f"get_{name}")()
        except Exception as exc:  # noqa: BLE001 - a getter napalm cannot parse is recorded, not fatal
            results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return results
