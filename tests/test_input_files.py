"""A large YAML file is parsed entry by entry, to the same data and the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dalsnet_audit.errors import InputError
from dalsnet_audit.input_files import StrictLoader, _parse_entries, parse_yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "name", ["inventory/hosts.yaml", "inventory/groups.yaml", "policies/plan.yaml"]
)
def test_entry_by_entry_gives_what_the_whole_parse_gives(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert _parse_entries(text, Path(name), InputError) is not None  # really entry by entry
    assert parse_yaml(text, Path(name), chunked_from=0) == yaml.load(text, Loader=StrictLoader)


def test_a_key_given_twice_is_named_with_both_lines():
    text = "a: 1\nb:\n  c: 2\n\n# note\nd: 4\na: 3\n"
    with pytest.raises(InputError, match=r"'a' is given twice in one mapping \(lines 1 and 7\)"):
        parse_yaml(text, Path("x.yaml"), chunked_from=0)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1}\nhost: *b\n",  # an alias across entries: parsed whole
        "- a\n- b\n",  # not a mapping
        "a: 1\n---\nb: 2\n",  # two documents
    ],
)
def test_what_cannot_be_read_entry_by_entry_is_parsed_whole(text):
    assert _parse_entries(text, Path("x.yaml"), InputError) is None


def test_an_error_reads_as_from_the_whole_parse():
    text = "a: 1\nb: [unclosed\nc: 3\n"
    with pytest.raises(InputError) as whole:
        parse_yaml(text, Path("x.yaml"))
    with pytest.raises(InputError) as chunked:
        parse_yaml(text, Path("x.yaml"), chunked_from=0)
    assert str(chunked.value) == str(whole.value)
