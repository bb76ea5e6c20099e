"""Evidence is the device's own lines, with their place in the archived file (platform issue, 2).

On the reference snapshot: every evidence line that names a place reads what that line of that
file reads (masked as the report masks it), and belongs to the finding's device; every line
that names none is derived, so it must not be a line of the device's configuration or show
outputs that lost its place.
"""

from __future__ import annotations

import pickle
from functools import cache
from pathlib import Path

import pytest

from dalsnet_audit.masking import mask_line
from dalsnet_audit.model.finding import NETWORK_WIDE, Finding
from dalsnet_audit.model.source import (
    CONFIG_FILE,
    ArchivedText,
    Citations,
    config_file,
    source_of,
)
from dalsnet_audit.platforms.ios.parse import parse_ios
from tests.reference_run import SNAPSHOT, reference_run


def _findings() -> list[Finding]:
    return reference_run().findings


@cache
def _lines(file: str) -> list[str]:
    return (SNAPSHOT / file).read_text(encoding="utf-8").splitlines()


def _evidence() -> list[tuple[Finding, str]]:
    return [(f, line) for f in _findings() for line in f.evidence]


def test_most_evidence_of_the_reference_has_a_place():
    placed = [line for f, line in _evidence() if source_of(line, f.device)]
    assert len(placed) > 50, len(placed)


@pytest.mark.parametrize(
    "finding, line",
    [
        pytest.param(*e, id=f"{e[0].rule}-{e[0].device}-{i}")
        for i, e in enumerate(_evidence())
        if source_of(e[1], e[0].device)
    ],
)
def test_a_placed_line_reads_what_its_file_reads(finding: Finding, line: str):
    place = source_of(line, finding.device)
    assert place is not None
    file, number = place
    raw = mask_line(_lines(file)[number - 1]).rstrip()
    if file == "av/console.csv":
        assert line == raw, (file, number, line)
    elif finding.device == NETWORK_WIDE:
        # A network-wide finding quotes each line after its device's name.
        host = Path(file).stem
        assert file == config_file(host), file
        assert line == f"{host}: {raw}", (file, number, line)
    else:
        assert file == config_file(finding.device) or file.startswith(f"show/{finding.device}/"), (
            file
        )
        assert line.strip() == raw.strip(), (file, number, line, raw)


def test_no_configuration_line_is_shown_as_derived():
    lost = []
    for finding, line in _evidence():
        if source_of(line, finding.device) or finding.device == NETWORK_WIDE:
            continue
        path = SNAPSHOT / config_file(finding.device)
        if not path.is_file():
            continue
        files = [config_file(finding.device)] + [
            str(p.relative_to(SNAPSHOT)) for p in (SNAPSHOT / "show" / finding.device).glob("*.txt")
        ]
        own = {mask_line(text).strip() for file in files for text in _lines(file)}
        if line.strip() in own - {""}:
            lost.append(f"{finding.rule} {finding.device}: {line!r}")
    assert lost == []


CONFIG = """hostname sw
!
interface Vlan10
 shutdown
!
interface Vlan20
 shutdown
end
"""


def _cited(config):
    citations = Citations(config.line_sources)
    return [
        source_of(citations.cite(line), "sw")
        for intf in config.interfaces
        for line in intf.lines
        if line.strip() == "shutdown"
    ]


def test_equal_lines_of_two_blocks_keep_their_own_numbers_also_after_pickling():
    config = parse_ios(ArchivedText(CONFIG, CONFIG_FILE))
    assert _cited(config) == [("configs/sw.cfg", 4), ("configs/sw.cfg", 7)]
    # The live pipeline pickles the model between processes: the places survive.
    assert _cited(pickle.loads(pickle.dumps(config))) == _cited(config)
    # An equal string the parser did not keep is derived.
    assert Citations(config.line_sources).cite(" shutdown") == " shutdown"
    assert source_of(Citations(config.line_sources).cite(" shutdown"), "sw") is None
