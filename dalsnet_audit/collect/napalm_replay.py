"""NAPALM getters with deferred parsing: commands sent in the session, getters run later.

The getter is napalm's own code, fed the recorded outputs by a replaying driver.

`get_config` (a regex pass over the whole configuration) and `get_interfaces` (one block of
`show interfaces` per port) are the two getters whose parsing costs more than their SSH round
trip; parsed in the collecting threads they hold the GIL that 50 sessions share
(benchmarks/live.py). Deferred, they run in a worker process beside the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from napalm.ios.ios import IOSDriver

DEFERRED_GETTERS: dict[str, tuple[str, ...]] = {
    "config": ("show running-config",),
    "interfaces": ("show interfaces",),
}


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
