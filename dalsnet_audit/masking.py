r"""Make text from devices safe to show: secrets masked, control characters neutralised.

Every text that leaves the model for a report or a log goes through here: evidence lines
(`mask_line`), and error messages, reasons and exception texts (`clean_text`). Over-masking is
accepted; a secret in a report is not. Device output may also carry ANSI escape sequences and
other control characters, which would repaint a terminal, break a Markdown table or hide text
in a CSV cell: they are shown as visible escapes (`\\x1b`) instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "******"

# Words between a keyword and its secret that qualify the secret: an IOS type digit (0/5/7/8/9),
# a hash or key format (`md5`, `ascii`, `hex`). Greedy, but the regex backtracks: a keyword
# followed by a qualifier word and nothing else masks that word.
_QUALIFIER = (
    r"(?:\d{1,2}|level\s+\d{1,2}|md5|sha\d*|hmac-sha\S*|ascii|hex|aes(?:-\d+)?|des|3des"
    r"|plain|clear)"
)
# Keywords whose next value is a secret.
_SECRET_KEYWORD = re.compile(
    r"(?<![\w-])(?P<kw>password|passwd|secret|key|key-string|community|pre-shared-key"
    r"|authentication-key|md5|server-key|psk|wpa-psk|message-digest-key|password-encrypt"
    r"|ldap-login-password|login-password)(?![\w-])"
    rf"(?P<type>(?:\s+{_QUALIFIER}(?=\s+\S))*)(?P<sp>\s+)"
    r"(?P<value>(?!(?:key-string|key|password|secret|community)(?!\S))\S+)",
    re.IGNORECASE,
)
# SNMPv3 user keys: `auth sha KEY`, `priv aes 128 KEY`.
_SNMP_USER_KEY = re.compile(
    r"(?P<kw>\b(?:auth|priv)\s+(?:md5|sha|sha-?\d+|des|3des|aes-?\d+|aes(?:\s+\d+)?)\s+)"
    r"(?P<value>\S+)",
    re.IGNORECASE,
)
# The community (or v3 user) of a trap receiver: `snmp-server host ADDR [traps] [version 2c] X`.
_SNMP_HOST = re.compile(
    r"(?P<kw>\bsnmp-server\s+host\s+(?:[A-Za-z][\w-]*\s+)?\d+\.\d+\.\d+\.\d+"
    r"(?:\s+(?:informs|traps))?(?:\s+version\s+(?:1|2c|3(?:\s+(?:auth|noauth|priv))?))?\s+)"
    r"(?P<value>(?!(?:community|udp-port|version|poll|trap)(?!\S))\S+)",
    re.IGNORECASE,
)
# First-hop redundancy in clear text: `standby 1 authentication X`, `vrrp 1 authentication text X`.
_FHRP_AUTH = re.compile(
    r"(?P<kw>\b(?:standby|vrrp|glbp)\s+\d+\s+authentication\s+(?:text\s+)?)(?!md5\b)(?P<value>\S+)",
    re.IGNORECASE,
)
# Placeholders our own remediation templates write where the operator fills in a secret.
_PLACEHOLDER = re.compile(r"<[a-z][a-z ]*>")
# Words that follow a keyword as part of a command, not as its secret (`crypto key generate`).
_COMMAND_WORDS = {"generate", "zeroize", "chain", "pubkey-chain", "config-key", "storage"}
# C0 controls but tab and newline, DEL, C1 controls (CSI 0x9b opens escapes, too), and the
# Unicode format characters that reorder or break text (bidi overrides, line separators).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _keyword_masker(placeholders: bool):  # type: ignore[no-untyped-def]
    def mask(match: re.Match[str]) -> str:
        value = match.group("value")
        qualifiers = match.group("type") or ""
        if not qualifiers and value.isdigit() and len(value) == 1:
            return match.group(0)  # `key 1` of a key chain: a number, not a secret
        if value in _COMMAND_WORDS:
            return match.group(0)
        if placeholders and _PLACEHOLDER.match(match.string, match.start("value")):
            return match.group(0)
        return f"{match.group('kw')}{qualifiers}{match.group('sp')}{MASK}"

    return mask


_MASK_DEVICE = _keyword_masker(placeholders=False)
_MASK_TEMPLATE = _keyword_masker(placeholders=True)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: str, *, keep_newlines: bool = True) -> str:
    r"""Show control characters (ANSI escapes among them) as visible `\xNN` escapes.

    >>> neutralise("\x1b[31mred\x1b[0m")
    '\\x1b[31mred\\x1b[0m'
    """
    text = _CONTROL.sub(_escape, text)
    return text if keep_newlines else text.replace("\n", "\\n")


def mask_line(line: str, *, placeholders: bool = False) -> str:
    """Return `line` with every secret value replaced by `******`.

    Args:
        line: A configuration line, or any text that may quote one.
        placeholders: Keep `<new secret>`-style placeholders (our remediation templates).

    >>> mask_line(" snmp-server community Dal5land RO SNMP-MGMT")
    ' snmp-server community ****** RO SNMP-MGMT'
    >>> mask_line("username breakglass privilege 15 secret 9 $9$abc")
    'username breakglass privilege 15 secret 9 ******'
    >>> mask_line("ntp authentication-key 1 md5 0822455D0A16 7")
    'ntp authentication-key 1 md5 ****** 7'
    """
    keep = lambda m: f"{m.group('kw')}{MASK}"  # noqa: E731 - one substitution, three regexes
    if "snmp-server user" in line:
        line = _SNMP_USER_KEY.sub(keep, line)
    if "snmp-server host" in line:
        line = _SNMP_HOST.sub(keep, line)
    if "authentication" in line:
        line = _FHRP_AUTH.sub(keep, line)
    return _SECRET_KEYWORD.sub(_MASK_TEMPLATE if placeholders else _MASK_DEVICE, line)


def mask_lines(lines: Iterable[str]) -> tuple[str, ...]:
    """Mask every line of `lines`."""
    return tuple(mask_line(line) for line in lines)


def clean_line(text: str) -> str:
    """One line for a report field: masked, control characters (newlines too) neutralised."""
    return mask_line(neutralise(text, keep_newlines=False))


def clean_text(text: str) -> str:
    """A message for a report or a log: every line masked, control characters neutralised.

    For texts that may quote device output: error messages, reasons, exception texts.
    """
    return "\n".join(mask_line(neutralise(line)) for line in text.split("\n"))


class MaskingFormatter(logging.Formatter):
    """A log formatter that cleans every record (`clean_text`) and hides known secret values.

    Args:
        fmt: The format, as for `logging.Formatter`.
        secrets: Exact values to hide wherever they appear (the credentials in use).
    """

    def __init__(self, fmt: str | None = None, secrets: Iterable[str | None] = ()) -> None:
        super().__init__(fmt)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record, cleaned."""
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return clean_text(text)
