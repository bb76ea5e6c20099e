"""Standard and governance (3.3, 5.2 common standard; 7.1.3, 7.1.6 roles)."""

from __future__ import annotations

from dalsnet_audit.model.device import DeviceSnapshot
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule


@rule("STD-004", needs_data=False)
def governance_recorded(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Every device has a system owner, an operations responsible and a service agreement.

    The strategy names a systemägare (7.1.6) and a driftansvarig (7.1.3) for every system and
    asks for service agreements for all IT systems (6.4); the inventory is where they are kept.
    A missing field fails even when the device could not be audited.
    """
    missing = [name for name, value in device.host.governance.items() if value is None]
    if missing:
        judge.fail(
            "missing",
            fields=", ".join(missing),
            evidence=[
                f"inventory/hosts.yaml: {device.host.name}.data.{name}: (missing)"
                for name in missing
            ],
            expected=", ".join(device.host.governance),
            actual="missing: " + ", ".join(missing),
            fix={"host": device.host.name, "fields": missing},
        )
    if not device.audited and not missing:
        # The inventory alone says the records are complete, but a device that was not
        # audited gets no `pass` from anything (rules.md: never pass for what was not seen).
        judge.error("not_audited", status=device.status.value, reason=device.error or "")
        return
    judge.pass_if_clean()
