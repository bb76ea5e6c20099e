"""OS versions compare within their family, and only there (model/version.py).

Real version strings: the `show version` fixtures under tests/fixtures/real (their SOURCE.md
names each one's origin): IOS `15.0(2)SE11` (pyntc), `15.4(2)T` (ntc-templates), IOS-XE
`16.9.3`, `03.06.05E`, ASA `9.5(2)204`, `9.9(2)32`.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dalsnet_audit.model.version import OsVersion, VersionError, parse_version

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


def _real_versions() -> list[str]:
    found = set()
    for path in REAL.glob("*/*/expected.json"):
        text = path.read_text(encoding="utf-8")
        for key, value in _pairs(json.loads(text)):
            if key == "os_version" and value:
                found.add(value)
    return sorted(found)


def _pairs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _pairs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _pairs(item)


FAMILY_OF = {"15.0(2)SE11": "ios", "15.4(2)T": "ios", "16.9.3": "ios-xe", "03.06.05E": "ios-xe"}


@pytest.mark.parametrize("text", _real_versions())
def test_every_real_version_reads(text):
    family = FAMILY_OF.get(text, "asa")
    assert isinstance(parse_version(family, text), OsVersion)


def test_the_trains_of_the_issue():
    assert parse_version("ios-xe", "17.09.04a") == parse_version("ios-xe", "17.9.4a")
    assert parse_version("ios-xe", "17.9.4") < parse_version("ios-xe", "17.9.4a")
    assert parse_version("ios-xe", "17.9.4a") < parse_version("ios-xe", "17.9.5")
    assert parse_version("ios-xe", "17.9.5") < parse_version("ios-xe", "17.12.1")
    assert parse_version("ios", "15.2(4)E10") < parse_version("ios", "15.2(7)E3")
    assert parse_version("ios", "15.2(7)E3") < parse_version("ios", "15.2(7)E11")
    assert parse_version("asa", "9.16(4)") < parse_version("asa", "9.16(4)12")
    assert parse_version("asa", "9.16(4)12") < parse_version("asa", "9.18(1)")
    assert str(parse_version("ios-xe", "03.06.05E")) == "3.6.5E"


def test_different_families_and_trains_do_not_compare():
    with pytest.raises(VersionError):
        _ = parse_version("ios", "15.2(7)E3") < parse_version("ios", "15.2(4)M11")
    with pytest.raises(VersionError):
        _ = parse_version("ios-xe", "17.9.4") < parse_version("asa", "9.16(4)")
    assert parse_version("ios", "15.2(7)E3") != parse_version("ios", "15.2(7)M3")


@pytest.mark.parametrize(
    ("family", "text"),
    [
        ("ios", "15.2"),
        ("ios", "17.9.4"),
        ("ios-xe", "15.2(7)E3"),
        ("asa", "9.16"),
        ("asa", ""),
        ("ios", "15.2(7)E3 beta"),
        ("junos", "21.4R3"),
    ],
)
def test_a_text_no_family_reads_is_an_error(family, text):
    with pytest.raises(VersionError):
        parse_version(family, text)


numbers = st.integers(min_value=0, max_value=99)
letters = st.sampled_from(["", "a", "b", "c"])


@given(st.tuples(numbers, numbers, numbers, letters), st.tuples(numbers, numbers, numbers, letters))
def test_ios_xe_orders_as_its_numbers_then_its_rebuild_letter(a, b):
    def text(v, pad):
        return ".".join(f"{n:02d}" if pad else str(n) for n in v[:3]) + v[3]

    va, vb = parse_version("ios-xe", text(a, True)), parse_version("ios-xe", text(b, False))
    ka, kb = (*a[:3], "0" + a[3]), (*b[:3], "0" + b[3])
    assert (va < vb) == (ka < kb)
    assert (va == vb) == (ka == kb)
    assert parse_version("ios-xe", text(a, False)) == va  # zero padding is only printing


@given(
    st.tuples(numbers, numbers, numbers, st.integers(0, 30)),
    st.tuples(numbers, numbers, numbers, st.integers(0, 30)),
)
def test_ios_and_asa_order_as_their_numbers(a, b):
    ios = [parse_version("ios", f"{v[0]}.{v[1]}({v[2]})E{v[3] or ''}") for v in (a, b)]
    asa = [parse_version("asa", f"{v[0]}.{v[1]}({v[2]}){v[3] or ''}") for v in (a, b)]
    assert (ios[0] < ios[1]) == (a < b) == (asa[0] < asa[1])
    assert sorted([ios[1], ios[0]]) == sorted(ios)


@given(st.lists(st.tuples(numbers, numbers, numbers, letters), min_size=1, max_size=8))
def test_the_order_is_total_within_a_family(versions):
    parsed = [parse_version("ios-xe", f"{a}.{b}.{c}{d}") for a, b, c, d in versions]
    ordered = sorted(parsed)
    assert all(x <= y for x, y in pairwise(ordered))
