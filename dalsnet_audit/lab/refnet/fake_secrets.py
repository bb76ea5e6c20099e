"""Deterministic, distinctive fake secrets for the reference network.

Every string here looks like what a Cisco device prints (scrypt type 9 hashes, type 7 and
type 6 keys, ASA PBKDF2 hashes) but is derived from a label with SHA-256, so rebuilding the
reference network yields the same bytes. Each string carries a marker (``dalHASH``, ``dalPSK``)
or is long random hex, so a test can scan reports for it without false matches. The
:class:`SecretBook` remembers every secret handed out; ``planted.yaml`` lists them.
"""

from __future__ import annotations

import hashlib

_CRYPT64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_HEX = "0123456789ABCDEF"
_TYPE6 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz^_`[]"


def derive(label: str, length: int, alphabet: str) -> str:
    """Return ``length`` characters of ``alphabet`` derived from ``label``.

    Args:
        label: Seed text; equal labels give equal output.
        length: Number of characters wanted.
        alphabet: Characters to draw from.

    Returns:
        A pseudo-random but reproducible string.

    Example:
        >>> derive("x", 4, "ab") == derive("x", 4, "ab")
        True
    """
    out: list[str] = []
    counter = 0
    while len(out) < length:
        digest = hashlib.sha256(f"{label}#{counter}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in digest)
        counter += 1
    return "".join(out[:length])


class SecretBook:
    """Hands out fake secrets and remembers each one, in order of first use."""

    def __init__(self) -> None:
        """Create an empty book."""
        self._seen: dict[str, None] = {}

    def _keep(self, secret: str) -> str:
        self._seen.setdefault(secret, None)
        return secret

    def remember(self, secret: str) -> str:
        """Record a literal secret (community string, clear-text password) and return it.

        Args:
            secret: The secret as it appears in a configuration.

        Returns:
            The same string.
        """
        return self._keep(secret)

    def type9(self, label: str) -> str:
        """Return an IOS scrypt (type 9) hash such as ``$9$dalHASH...$...``.

        Args:
            label: What the hash belongs to, e.g. ``"ben-01-sw01/enable"``.

        Returns:
            The hash without the leading ``9 ``.
        """
        salt = "dalHASH" + derive(label + "/salt", 7, _CRYPT64)
        return self._keep(f"$9${salt}${derive(label, 43, _CRYPT64)}")

    def type7(self, label: str) -> str:
        """Return an IOS type 7 string (two decimal digits, then hex).

        Args:
            label: What the key belongs to.

        Returns:
            The reversible-looking key text.
        """
        offset = int(derive(label + "/off", 2, "0123456789")) % 16
        return self._keep(f"{offset:02d}{derive(label, 30, _HEX)}")

    def type6(self, label: str) -> str:
        """Return an IOS type 6 (AES) encrypted pre-shared key.

        Args:
            label: What the key belongs to.

        Returns:
            The encrypted key text as ``show running-config`` prints it.
        """
        return self._keep(f"dalPSK{derive(label, 28, _TYPE6)}AAB")

    def pbkdf2(self, label: str) -> str:
        """Return an ASA PBKDF2 (sha512) password hash.

        Args:
            label: What the hash belongs to.

        Returns:
            ``$sha512$5000$<salt>$<hash>`` with base64 fields.
        """
        salt = "dalHASH" + derive(label + "/salt", 15, _BASE64) + "=="
        return self._keep(f"$sha512$5000${salt}${derive(label, 22, _BASE64)}==")

    def colon_hex(self, label: str, octets: int = 20) -> str:
        """Return an ASA ``encrypted`` SNMPv3 key, colon-separated hex starting ``da:15``.

        Args:
            label: What the key belongs to.
            octets: Number of octets.

        Returns:
            The key text.
        """
        body = derive(label, 2 * (octets - 2), _HEX.lower())
        pairs = ["da", "15"] + [body[i : i + 2] for i in range(0, len(body), 2)]
        return self._keep(":".join(pairs))

    def forget(self, secret: str) -> None:
        """Drop a secret that a later edit removed from every configuration.

        Args:
            secret: The secret to drop; unknown secrets are ignored.
        """
        self._seen.pop(secret, None)

    def all(self) -> list[str]:
        """Return every secret handed out, in order of first use.

        Returns:
            The secrets.
        """
        return list(self._seen)
