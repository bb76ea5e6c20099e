"""The values catalogue: English values rules write, put in Swedish template by template."""

from __future__ import annotations

import pytest

from dalsnet_audit.report.values import ValueCatalogue
from dalsnet_audit.resources import templates_dir


@pytest.fixture(scope="module")
def sv() -> ValueCatalogue:
    return ValueCatalogue.load(templates_dir(), "sv")


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        # SEG-006's expected value: a placeholder of one part must not swallow the "; " joins.
        (
            "gast -> adm: denied; gast -> ped: denied; gast -> shared: only dns",
            "gast -> adm: spärrat; gast -> ped: spärrat; gast -> shared: endast dns",
        ),
        # A placeholder holding a ", " list is read whole.
        ("roles adm, ped", "roller adm, ped"),
        ("switchport trunk allowed vlan <list>, native VLAN 999",
         "switchport trunk allowed vlan <lista>, native VLAN 999"),
        ("never", "aldrig"),
        ("ciphers, host-key size", "chiffer, värdnyckelns storlek"),
        ("2 columns, expected 4", "2 kolumner, 4 väntade"),
        ("no configuration in snapshot (configs/x.cfg)",
         "ingen konfiguration i ögonblicksbilden (configs/x.cfg)"),
        ("TimeoutError: timed out (after 2 attempts)", "TimeoutError: timed out (efter 2 försök)"),
        # Configuration text no template matches is shown as written.
        ("ip ssh version 2", "ip ssh version 2"),
    ],
)  # fmt: skip
def test_values_read_in_swedish(sv, english, swedish):
    assert sv.translate(english) == swedish


def test_english_needs_no_catalogue():
    en = ValueCatalogue.load(templates_dir(), "en")
    assert en.translate("never") == "never"


def test_fix_comment_lines_are_translated_and_commands_kept(sv):
    fix = "! gast -> adm: denied\nno ip http server"
    assert sv.comments(fix) == "! gast -> adm: spärrat\nno ip http server"
