"""The rule catalogue of `rules.md`: its ids are fixed, and `rules.yaml` must match it.

`rules.yaml` tunes severity, section and wording per id. An id it names that the catalogue
does not know is a typo or a rule of another tool; an implemented rule it does not name has no
severity to judge by. Both are refused before anything is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from dalsnet_audit.errors import PolicyError
from dalsnet_audit.policy.models import Policy

CATALOGUE: tuple[str, ...] = (
    *(f"IP-{n:03d}" for n in range(1, 7)),
    *(f"SEG-{n:03d}" for n in range(1, 8)),
    *(f"CRY-{n:03d}" for n in range(1, 8)),
    *(f"AV-{n:03d}" for n in range(1, 5)),
    *(f"LOG-{n:03d}" for n in range(1, 5)),
    *(f"AAA-{n:03d}" for n in range(1, 6)),
    *(f"STD-{n:03d}" for n in range(1, 6)),
    *(f"NET-{n:03d}" for n in range(1, 3)),
)


def check_rule_settings(policy: Policy, registered: Iterable[str], directory: Path) -> None:
    """`rules.yaml` and `waivers.yaml` name catalogue ids, and every implemented rule is set.

    Args:
        policy: The loaded policies.
        registered: Ids of the implemented rules.
        directory: The policy directory (for the messages).

    Raises:
        PolicyError: naming the file and the id at fault.
    """
    rules_file = str(directory / "rules.yaml")
    settings: Mapping[str, object] = policy.rules.rules
    known = set(CATALOGUE)
    for rule_id in settings:
        if rule_id not in known:
            raise PolicyError(rules_file, f"rules.{rule_id}", "not a rule id of the catalogue")
    for rule_id in registered:
        if rule_id not in settings:
            raise PolicyError(
                rules_file,
                f"rules.{rule_id}",
                "missing: the rule is implemented and needs its severity, section and title",
            )
    for i, goal in enumerate(policy.goals.goals):
        for j, rule_id in enumerate(goal.rules):
            if rule_id not in known:
                raise PolicyError(
                    str(directory / "goals.yaml"),
                    f"goals.{i}.rules.{j}",
                    f"{rule_id!r} is not a rule id of the catalogue",
                )
    for i, waiver in enumerate(policy.waivers.waivers):
        if waiver.rule not in known:
            raise PolicyError(
                str(directory / "waivers.yaml"),
                f"waivers.{i}.rule",
                f"{waiver.rule!r} is not a rule id of the catalogue",
            )
