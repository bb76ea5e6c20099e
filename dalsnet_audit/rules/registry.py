"""The rule registry: every rule under its catalogue id, duplicates refused."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from dalsnet_audit.errors import AuditError
from dalsnet_audit.model.enums import Platform, Role

ALL_ROLES: tuple[Role, ...] = tuple(Role)
RuleFunction = Callable[..., None]


class RuleAlreadyRegistered(AuditError):  # noqa: N818 - nornir's PluginAlreadyRegistered
    """Two rules claim the same catalogue id."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A registered rule.

    Attributes:
        id: Catalogue id (`IP-001`).
        family: The id's prefix (`IP`).
        function: `fn(device, ctx, judge)` or, network-wide, `fn(devices, ctx, judge)`.
        scope: `device` or `network`.
        roles: Roles the rule applies to; others get `not_applicable`.
        platforms: Platforms the rule is implemented for; an applicable role on another
            platform gets `error` (never a silent pass).
        needs_data: False when the inventory alone decides (STD-004).
        rationale: The function's docstring.
    """

    id: str
    family: str
    function: RuleFunction
    scope: Literal["device", "network"]
    roles: tuple[str, ...]
    platforms: tuple[Platform, ...]
    needs_data: bool
    rationale: str


class RuleRegistry:
    """Rules by id, in registration order (nornir's `PluginRegister`, with duplicates refused)."""

    def __init__(self) -> None:
        self._rules: dict[str, RuleSpec] = {}

    def register(
        self,
        rule_id: str,
        *,
        scope: Literal["device", "network"] = "device",
        roles: tuple[str, ...] = ALL_ROLES,
        platforms: tuple[Platform, ...] = tuple(Platform),
        needs_data: bool = True,
    ) -> Callable[[RuleFunction], RuleFunction]:
        """Decorator registering a rule function under `rule_id`.

        Raises:
            RuleAlreadyRegistered: the id is taken.
        """

        def decorate(function: RuleFunction) -> RuleFunction:
            if rule_id in self._rules:
                raise RuleAlreadyRegistered(f"rule {rule_id} is already registered")
            self._rules[rule_id] = RuleSpec(
                id=rule_id,
                family=rule_id.split("-", 1)[0],
                function=function,
                scope=scope,
                roles=roles,
                platforms=platforms,
                needs_data=needs_data,
                rationale=inspect.cleandoc(function.__doc__ or ""),
            )
            return function

        return decorate

    def get(self, rule_id: str) -> RuleSpec:
        """The rule registered as `rule_id`."""
        return self._rules[rule_id]

    def all(self) -> list[RuleSpec]:
        """Every rule, sorted by id."""
        return sorted(self._rules.values(), key=lambda spec: _sort_key(spec.id))

    def ids(self) -> list[str]:
        """Every registered id, sorted."""
        return [spec.id for spec in self.all()]

    def __contains__(self, rule_id: Any) -> bool:
        return rule_id in self._rules


def _sort_key(rule_id: str) -> tuple[str, int]:
    family, _, number = rule_id.partition("-")
    return family, int(number) if number.isdigit() else 0


REGISTRY = RuleRegistry()
rule = REGISTRY.register
