"""Words masking lets through are let through only where they are commands, never as a key."""

from __future__ import annotations

import pytest

from dalsnet_audit.masking import MASK, mask_line


@pytest.mark.parametrize(
    "line",
    [
        "crypto isakmp key mypubkey address 1.2.3.4",
        "crypto isakmp key Name: address 0.0.0.0",
        "crypto isakmp key name: address 0.0.0.0",
        "crypto isakmp key generate address 1.1.1.1",
        "crypto isakmp key zeroize address 1.1.1.1",
    ],
)
def test_a_key_that_looks_like_a_command_word_is_masked(line):
    assert MASK in mask_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "show crypto key mypubkey rsa",
        "Key name: <Default-RSA-Key>",
        "crypto key generate rsa modulus 2048 noconfirm",
        "crypto key zeroize rsa",
        "key chain OSPF-KEYS",
    ],
)
def test_command_words_stay(line):
    assert mask_line(line) == line
