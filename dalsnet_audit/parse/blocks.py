"""Cisco-style configuration text as top-level blocks, via netutils' config parsers."""

from __future__ import annotations

from dataclasses import dataclass

from netutils.config.parser import ASAConfigParser, BaseSpaceConfigParser, IOSConfigParser


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level configuration line and every line indented under it."""

    header: str
    children: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """Header and children as the device prints them."""
        return (self.header, *self.children)

    def child_args(self, keyword: str) -> list[list[str]]:
        """Arguments of every direct child line starting with `keyword` (words after it)."""
        found = []
        size = len(keyword.split())
        for child in self.children:
            words = child.split()
            if " ".join(words[:size]) == keyword:
                found.append(words[size:])
        return found


_PARSERS: dict[str, type[BaseSpaceConfigParser]] = {"ios": IOSConfigParser, "asa": ASAConfigParser}


def config_blocks(text: str, syntax: str) -> list[Block]:
    """Split `text` into top-level blocks with netutils' parser for `syntax` (`ios`, `asa`)."""
    parser = _PARSERS[syntax](text)
    blocks: list[Block] = []
    children: dict[int, list[str]] = {}
    order: list[str] = []
    for line in parser.config_lines:
        if not line.parents:
            order.append(line.config_line)
            children[len(order) - 1] = []
        elif order:
            children[len(order) - 1].append(line.config_line)
    for index, header in enumerate(order):
        blocks.append(Block(header=header, children=tuple(children[index])))
    return blocks
