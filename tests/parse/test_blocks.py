"""The block splitter gives netutils' structure on every real and reference configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from netutils.config.parser import ASAConfigParser, IOSConfigParser

from dalsnet_audit.parse.blocks import config_blocks, device_lines, last_line

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/*/running_config.txt")) + sorted(
    (ROOT / "snapshots" / "reference" / "configs").glob("*.cfg")
)


def netutils_blocks(text: str, syntax: str) -> list[tuple[str, str]]:
    parser = (IOSConfigParser if syntax == "ios" else ASAConfigParser)(text)
    blocks: list[list[str]] = []
    for line in parser.config_lines:
        if not line.parents:
            blocks.append([line.config_line])
        elif blocks:
            blocks[-1].append(line.config_line)
    return [(b[0], "\n".join(b[1:])) for b in blocks]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_blocks_as_netutils(path: Path):
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    syntax = "asa" if "ASA Version" in text[:2000] else "ios"
    # netutils rewrites a banner's `^CC` delimiter to `^C` in the header; we keep the text.
    mine = [
        (
            b.header.replace("^CC", "^C") if b.header.startswith("banner") else b.header,
            "\n".join(b.children),
        )
        for b in config_blocks(text, syntax)
    ]
    theirs = netutils_blocks(text, syntax)
    assert [h for h, _ in mine] == [h for h, _ in theirs]
    assert mine == theirs


def test_one_line_banner_and_multi_line_banner():
    text = (
        "hostname x\nbanner motd ^C Keep out ^C\nbanner login ^C\nEndast behörig\nanvändning\n^C\n"
        "line vty 0 4\n transport input ssh\n"
    )
    blocks = config_blocks(text, "ios")
    assert [b.header for b in blocks] == [
        "hostname x",
        "banner motd ^C Keep out ^C",
        "banner login ^C",
        "line vty 0 4",
    ]
    assert blocks[2].children == ("Endast behörig", "användning", "^C")


@pytest.mark.parametrize(
    "text",
    [
        "hostname a\nend\n",
        "hostname a\r\nend\r\n\r\n",
        "hostname a\nend  \n\n  \n",
        "hostname a\nend\u2028\n",
        ": end",
        "",
        "only one line",
    ],
)
def test_last_line_is_the_last_non_blank_device_line(text):
    kept = [line.strip() for line in device_lines(text) if line.strip()]
    assert last_line(text) == (kept[-1] if kept else "")


def test_last_line_on_every_real_and_reference_configuration():
    root = Path(__file__).resolve().parents[2]
    paths = [
        *(root / "snapshots/reference/configs").glob("*.cfg"),
        *(root / "tests/fixtures/real").glob("*/*/running_config.txt"),
    ]
    assert len(paths) > 40
    for path in paths:
        text = path.read_text(encoding="utf-8")
        kept = [line.strip() for line in device_lines(text) if line.strip()]
        assert last_line(text) == kept[-1], path


def test_block_line_numbers_also_where_a_comment_or_blank_sits_inside():
    text = (
        "hostname a\ninterface X\n description d\n!\n shutdown\n"
        "banner motd ^C\nhello\n\nworld ^C\nend\n"
    )
    blocks = {b.header: b for b in config_blocks(text, "ios")}
    assert list(blocks["hostname a"].numbers) == [1]
    assert list(blocks["interface X"].numbers) == [2, 3, 5]
    assert list(blocks["banner motd ^C"].numbers) == [6, 7, 9]
    lines = device_lines(text)
    for block in blocks.values():
        for number, line in zip(block.numbers, block.lines, strict=True):
            assert lines[number - 1].rstrip() == line
