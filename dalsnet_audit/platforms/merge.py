"""Apply a fix to a configuration the way an IOS-style CLI does: the driver's own merge.

A fix is what a technician pastes in configuration mode: top-level commands, indented
sub-commands under the block header they follow, `no ...` to remove, `!` comments. The merge
keeps the device's semantics that matter for re-auditing: `no X` removes the command (and a
block its children), a command of a singleton setting replaces the one it supersedes (`ip ssh
version 2` the `ip ssh version 1`), sub-commands replace the ones with the same keyword. What the
device stores differently from what is typed (a secret typed in clear is stored hashed) is the
driver's `stored_form`. The result is the configuration the device would then print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dalsnet_audit.masking import MASK
from dalsnet_audit.parse.blocks import Block, config_blocks

# What a person must choose in a fix; anything else in angle brackets is a defect of the fix.
# A new secret is typed in clear and stored by the driver's `stored_form`. A tunnel's peer, a
# free address and the name of what a person sets up (an IKEv2 profile with its identities
# and keys) are data a device rule cannot know: the person types them, and the merge refuses
# a fix until they have.
NEW_SECRET = "<new secret>"
PEER = re.compile(r"<peer: [^<>]+>")
FREE_ADDRESS = re.compile(r"<free address in ([0-9./]+)>")
NAME = re.compile(r"<name: [^<>]+>")
_PLACEHOLDER = re.compile(r"<[^<>]+>")


class FixNotApplicable(ValueError):  # noqa: N818 - reads as a verdict on the fix
    """The fix cannot be applied as it stands (a placeholder a person must fill in)."""


@dataclass
class _Node:
    header: str
    children: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MergeRules:
    """One platform's CLI semantics for the merge.

    Attributes:
        syntax: `ios` or `asa` (how blocks are cut, see `parse.blocks`).
        singletons: Patterns of commands the device keeps once (the match is the setting's
            key): a new one replaces the old, `ip ssh version 2` the `ip ssh version 1`.
        end: The configuration's last line (`end`, `: end`).
        stored_form: What the device stores for a typed command (hashes secrets).
        child_settings: Patterns of the sub-commands that are settings (one value, a new one
            replaces the old); any other sub-command is added beside the ones there.
        continuations: (setting, continuation) pairs: a setting that replaces a list also
            drops the lines that continued the old one (`switchport trunk allowed vlan add`).
        executed: Commands the device runs in configuration mode without storing them
            (`crypto key generate rsa`): the merge leaves them out of the configuration.
    """

    syntax: str
    singletons: tuple[re.Pattern[str], ...]
    end: str
    stored_form: Callable[[str], str] = lambda line: line
    executed: tuple[re.Pattern[str], ...] = ()
    child_settings: tuple[re.Pattern[str], ...] = ()
    continuations: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()


_RSA_GENERATE = re.compile(r"crypto key generate rsa\b.*?\bmodulus (\d+)")


def generated_rsa_bits(fix: str) -> int | None:
    """The modulus of the RSA key a fix generates (`crypto key generate rsa ... modulus N`)."""
    for line in fix.splitlines():
        match = _RSA_GENERATE.match(line.strip())
        if match:
            return int(match.group(1))
    return None


def _blocks(text: str, syntax: str) -> list[Block]:
    return config_blocks(text.replace("\r\n", "\n"), syntax)


def _fix_blocks(fix: str) -> list[_Node]:
    nodes: list[_Node] = []
    for raw in fix.splitlines():
        if not raw.strip() or raw.strip().startswith("!"):
            continue
        if _PLACEHOLDER.search(raw.replace(NEW_SECRET, "")):
            raise FixNotApplicable(f"a placeholder to fill in: {raw.strip()!r}")
        if raw.startswith(" ") and nodes:
            nodes[-1].children.append(raw.rstrip())
        else:
            nodes.append(_Node(raw.strip()))
    return nodes


def _same_setting(a: str, b: str, singletons: tuple[re.Pattern[str], ...]) -> bool:
    for pattern in singletons:
        match_a, match_b = pattern.match(a), pattern.match(b)
        if match_a and match_b and match_a.group(0) == match_b.group(0):
            return True
    return False


def _same_child(a: str, b: str, settings: tuple[re.Pattern[str], ...]) -> bool:
    """Two sub-commands set the same thing (the second replaces the first).

    Only what a platform's pattern names is a setting; its key is the pattern's groups (the
    direction of `ip access-group X in`), else the whole match. Any other sub-command is
    added beside the ones there (`ip helper-address`, a `secondary` address, `permit` lines).
    """
    for pattern in settings:
        match_a, match_b = pattern.match(a), pattern.match(b)
        if match_a or match_b:
            return bool(
                match_a
                and match_b
                and (match_a.groups() or match_a.group(0)) == (match_b.groups() or match_b.group(0))
            )
    return False


def _matches(header: str, target: str) -> bool:
    """`header` is the command `target` names; a masked secret (`******`) stands for its value.

    The fix names the configuration line by its masked form (a report never holds the secret);
    the technician types the real value where the mask is.
    """
    if MASK not in target:
        return header == target or header.startswith(target + " ")
    pattern = r"\s+".join(r"\S+" if word == MASK else re.escape(word) for word in target.split())
    return re.fullmatch(pattern + r"(?:\s.*)?", header) is not None


def _merge_children(node: _Node, children: list[str], rules: MergeRules) -> None:
    for child in children:
        text = child.strip()
        if text.startswith("no "):
            target = text[3:]
            node.children = [c for c in node.children if not _matches(c.strip(), target)]
            continue
        same = [
            i
            for i, c in enumerate(node.children)
            if c.strip() == text or _same_child(c.strip(), text, rules.child_settings)
        ]
        stored = rules.stored_form(child)
        for setting, continuation in rules.continuations:
            if setting.match(text):
                # The setting replaces the whole list, the lines that continued it too.
                node.children = [c for c in node.children if not continuation.match(c.strip())]
                same = [
                    i
                    for i, c in enumerate(node.children)
                    if c.strip() == text or _same_child(c.strip(), text, rules.child_settings)
                ]
        if same:
            node.children[same[0]] = stored
            for i in reversed(same[1:]):
                del node.children[i]
        else:
            node.children.append(stored)


def merge(config: str, fix: str, rules: MergeRules) -> str:
    """`config` after `fix` is entered in configuration mode.

    Raises:
        FixNotApplicable: the fix holds a placeholder other than a new secret.
    """
    nodes = [
        _Node(block.header, list(block.children))
        for block in _blocks(config, rules.syntax)
        if block.header.strip() not in (rules.end, "end", ": end")
    ]
    for change in _fix_blocks(fix):
        header = change.header
        if any(pattern.match(header) for pattern in rules.executed):
            continue
        if header.startswith("no ") and not change.children:
            target = header[3:]
            nodes = [node for node in nodes if not _matches(node.header, target)]
            continue
        existing = next((node for node in nodes if node.header == header), None)
        if existing is None:
            stored = rules.stored_form(header)
            existing = next(
                (n for n in nodes if _same_setting(n.header, stored, rules.singletons)), None
            )
            if existing is not None:
                existing.header = stored
            else:
                existing = _Node(stored)
                nodes.append(existing)
        _merge_children(existing, change.children, rules)
    lines: list[str] = []
    for node in nodes:
        lines.append(node.header)
        lines.extend(node.children)
    return "\n".join([*lines, rules.end]) + "\n"
