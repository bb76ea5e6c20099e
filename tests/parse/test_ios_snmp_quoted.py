"""A quoted SNMP community with a space in it is one word: its second word is never read as
the community's ACL (it would then show, unmasked, in messages and fixes)."""

from __future__ import annotations

from dalsnet_audit.masking import mask_line
from dalsnet_audit.platforms.ios.parse import parse_ios


def _communities(line: str) -> list[tuple[str, str, str | None]]:
    config = parse_ios(f"hostname r\n{line}\nend\n")
    return [(c.name, c.mode, c.acl) for c in config.snmp.communities]


def test_a_quoted_community_is_one_word():
    assert _communities('snmp-server community "hemligt ord" RO') == [("hemligt ord", "ro", None)]
    assert _communities('snmp-server community "hemligt ord" RW 99') == [
        ("hemligt ord", "rw", "99")
    ]


def test_a_plain_community_is_read_as_before():
    assert _communities("snmp-server community s3cret RO SNMP-RO") == [("s3cret", "ro", "SNMP-RO")]


def test_the_quoted_community_is_masked_whole():
    shown = mask_line('snmp-server community "hemligt ord" RO')
    assert "hemligt" not in shown and "ord" not in shown.split()
