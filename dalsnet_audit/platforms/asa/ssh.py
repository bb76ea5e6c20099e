"""ASA SSH settings in OpenSSH algorithm names, and the RSA key size the ASA shows.

Cipher and integrity levels, key exchange groups, and `show crypto key mypubkey rsa`.
The level expansions follow Cisco's ASA command reference for `ssh cipher encryption` and
`ssh cipher integrity` (9.x); `custom` lists are taken as written.
"""

from __future__ import annotations

import re

_ENCRYPTION_LEVELS: dict[str, tuple[str, ...]] = {
    "all": (
        "3des-cbc",
        "aes128-cbc",
        "aes192-cbc",
        "aes256-cbc",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
    ),
    "fips": ("aes128-cbc", "aes256-cbc", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"),
    "high": ("aes256-cbc", "aes256-ctr", "aes256-gcm@openssh.com"),
    "medium": ("aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr", "aes192-ctr", "aes256-ctr"),
    "low": (
        "3des-cbc",
        "aes128-cbc",
        "aes192-cbc",
        "aes256-cbc",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
    ),
}
_INTEGRITY_LEVELS: dict[str, tuple[str, ...]] = {
    "all": ("hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96", "hmac-sha2-256"),
    "fips": ("hmac-sha1", "hmac-sha2-256"),
    "high": ("hmac-sha2-256",),
    "medium": ("hmac-sha1", "hmac-sha1-96", "hmac-sha2-256"),
    "low": ("hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96", "hmac-sha2-256"),
}
# `ssh key-exchange group` keywords in OpenSSH names.
_KEX_GROUPS = {
    "dh-group1-sha1": "diffie-hellman-group1-sha1",
    "dh-group14-sha1": "diffie-hellman-group14-sha1",
    "dh-group14-sha256": "diffie-hellman-group14-sha256",
    "ecdh-group19": "ecdh-sha2-nistp256",
    "ecdh-group20": "ecdh-sha2-nistp384",
    "ecdh-group21": "ecdh-sha2-nistp521",
    "curve25519-sha256": "curve25519-sha256",
}
# ASA 9.x defaults when the command is absent: medium ciphers and integrity, DH group 14 SHA-1.
DEFAULT_ENCRYPTION = _ENCRYPTION_LEVELS["medium"]
DEFAULT_INTEGRITY = _INTEGRITY_LEVELS["medium"]
DEFAULT_KEX = ("diffie-hellman-group14-sha1",)
_MODULUS = re.compile(r"^\s*Modulus Size \(bits\):\s*(\d+)", re.MULTILINE)


def _expand(words: list[str], levels: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if not words:
        return ()
    if words[0] == "custom":
        return tuple(a for a in " ".join(words[1:]).strip('"').split(":") if a)
    return levels.get(words[0], tuple(words))


def ssh_ciphers(words: list[str]) -> tuple[str, ...]:
    """`ssh cipher encryption high|custom "a:b"` (words after `encryption`) as algorithms."""
    return _expand(words, _ENCRYPTION_LEVELS)


def ssh_macs(words: list[str]) -> tuple[str, ...]:
    """`ssh cipher integrity ...` (words after `integrity`) as algorithms."""
    return _expand(words, _INTEGRITY_LEVELS)


def ssh_kex(words: list[str]) -> tuple[str, ...]:
    """`ssh key-exchange group X` (words after `group`) as algorithms."""
    return tuple(_KEX_GROUPS.get(word, word) for word in words)


def rsa_modulus_bits(output: str) -> int | None:
    """The smallest `Modulus Size (bits)` of `show crypto key mypubkey rsa`, if any."""
    sizes = [int(size) for size in _MODULUS.findall(output)]
    return min(sizes) if sizes else None
