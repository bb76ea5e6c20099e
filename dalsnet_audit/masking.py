"""Mask secrets (passwords, hashes, communities, keys) in configuration lines.

Every line that leaves the model as evidence goes through `mask_line`. Over-masking is
accepted; a secret in a report is not.
"""

from __future__ import annotations

import re

MASK = "******"

# Keywords whose next value is a secret, optionally preceded by a one-digit type (IOS 0/5/7/8/9).
_SECRET_KEYWORD = re.compile(
    r"(?<![\w-])(?P<kw>password|passwd|secret|key|key-string|community|pre-shared-key"
    r"|authentication-key|md5|server-key|psk)(?![\w-])"
    r"(?P<type>\s+\d)?(?=\s+\S)(?P<sp>\s+)(?P<value>\S+)",
    re.IGNORECASE,
)
# SNMPv3 user keys: `auth sha KEY`, `priv aes 128 KEY`.
_SNMP_USER_KEY = re.compile(
    r"(?P<kw>\b(?:auth|priv)\s+(?:md5|sha|sha-?\d+|des|3des|aes(?:\s+\d+)?)\s+)(?P<value>\S+)",
    re.IGNORECASE,
)


# Words that follow a keyword as part of a command, not as its secret (`crypto key generate`);
# `<...>` are placeholders of remediation templates (`secret <new secret>`).
_COMMAND_WORDS = {"generate", "zeroize", "chain", "pubkey-chain", "config-key", "storage"}


def _mask_keyword(match: re.Match[str]) -> str:
    value = match.group("value")
    type_digit = match.group("type") or ""
    if not type_digit and value.isdigit() and len(value) == 1:
        return match.group(0)
    if value.startswith("<") or value in _COMMAND_WORDS:
        return match.group(0)
    return f"{match.group('kw')}{type_digit}{match.group('sp')}{MASK}"


def mask_line(line: str) -> str:
    """Return `line` with every secret value replaced by `******`.

    >>> mask_line(" snmp-server community Dal5land RO SNMP-MGMT")
    ' snmp-server community ****** RO SNMP-MGMT'
    >>> mask_line("username breakglass privilege 15 secret 9 $9$abc")
    'username breakglass privilege 15 secret 9 ******'
    """
    if line.lstrip().startswith("snmp-server user"):
        line = _SNMP_USER_KEY.sub(lambda m: f"{m.group('kw')}{MASK}", line)
    return _SECRET_KEYWORD.sub(_mask_keyword, line)


def mask_lines(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Mask every line of `lines`."""
    return tuple(mask_line(line) for line in lines)
