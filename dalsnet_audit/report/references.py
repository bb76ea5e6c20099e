"""Short labels of the hardening-standard references a rule carries (`rules.yaml`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReferenceLabel:
    """One reference as shown: which standard, release and item, and the item's title."""

    label: str
    title: str


def reference_labels(
    references: Mapping[str, Any] | None, translate: Callable[[str], str | None] | None = None
) -> tuple[ReferenceLabel, ...]:
    """The CIS items, then the STIG ids, of one rule's `references` (report.json form).

    Each label names the benchmark or guide and its version with the number, because the
    numbers change between releases; `translate` puts a version's words (`release of ...`)
    in the report's language.
    """
    if not references:
        return ()

    def version(text: str) -> str:
        return (translate(text) if translate else None) or text

    cis = tuple(
        ReferenceLabel(
            f"{ref['benchmark']} {version(ref['version'])}: {ref['number']}", ref["title"]
        )
        for ref in references.get("cis") or ()
    )
    stig = tuple(
        ReferenceLabel(f"{ref['guide']} {version(ref['version'])}: {ref['id']}", ref["title"])
        for ref in references.get("stig") or ()
    )
    return cis + stig
