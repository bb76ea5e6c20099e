"""One fix per device: the fixes of its failing findings merged, each line once.

Two rules may find the same line (CRY-002 and SEG-007 both remove an ASDM `http` line open to
the outside; CRY-003 and SEG-007 the same community). A technician pastes one text per device:
its fixes in rule order, a block header (`interface Vlan20`) once with the sub-commands of
every fix under it, an identical line or comment once. The order of first appearance is
kept, except that a `no X` of a block an earlier fix writes goes before that block (a fix that
deletes a list and writes it anew must not undo another's), and what one fix writes of an
object another fix removes is left out (the removal fixes both); what is merged is only text the
fixes share, so the result says no more than they do (tests/fixes proves it on the device:
applied, every fixable finding clears and nothing new fails).
"""

from __future__ import annotations

from collections.abc import Iterable


def _removal_wins(nodes: list[list[str]], writers: dict[int, set[int]]) -> list[list[str]]:
    """Drop what fixes write of an object another fix removes and does not write anew.

    `no username x` (one account too many) wins over a new secret for x: removing the account
    fixes both findings. A fix that deletes a list and writes it anew keeps it.
    """
    removed = [
        (node[0][3:], writers[id(node)])
        for node in nodes
        if len(node) == 1 and node[0].startswith("no ")
    ]
    return [
        node
        for node in nodes
        if node[0].startswith("no ")
        or not any(
            (node[0] == target or node[0].startswith(target + " "))
            and not (writers[id(node)] & removers)
            for target, removers in removed
        )
    ]


def device_plan(fixes: Iterable[str]) -> str | None:
    """The merged text of `fixes` (rendered remediations of one device), None if none."""
    nodes: list[list[str]] = []
    blocks: dict[str, list[str]] = {}
    writers: dict[int, set[int]] = {}  # id(node) -> the fixes that write it
    for number, fix in enumerate(fixes):
        current: list[str] | None = None
        for raw in fix.splitlines():
            line = raw.rstrip()
            if not line.strip():
                continue
            if line[0] in " \t" and current is not None:
                if line not in current[1:]:
                    current.append(line)
                continue
            existing = blocks.get(line)
            if existing is not None:
                current = existing
                writers[id(existing)].add(number)
                continue
            current = [line]
            removed = blocks.get(line[3:]) if line.startswith("no ") else None
            if removed is not None:
                # `no X` of a block an earlier fix writes (a fix that deletes and writes it
                # anew): the removal goes before the block, or it would undo it.
                nodes.insert(next(i for i, n in enumerate(nodes) if n is removed), current)
            else:
                nodes.append(current)
            blocks[line] = current
            writers[id(current)] = {number}
    if not nodes:
        return None
    nodes = _removal_wins(nodes, writers)
    # Removals first (as hier_config orders a remediation): a `no X` that names a masked or
    # partial line (`no snmp-server community ****** RO`) would also remove what another fix
    # writes, were it typed after it.
    removals = [n for n in nodes if len(n) == 1 and n[0].startswith("no ")]
    rest = [n for n in nodes if not (len(n) == 1 and n[0].startswith("no "))]
    return "\n".join(line for node in [*removals, *rest] for line in node) + "\n"
