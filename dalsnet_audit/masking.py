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
# a hash or key format (`md5`, `ascii`, `hex`), a side (`local`, `remote`). Greedy, but the
# regex backtracks: a keyword followed by a qualifier word and nothing else masks that word.
_QUALIFIER = (
    r"(?:\d{1,2}|level\s+\d{1,2}|md5|sha\d*|hmac-sha\S*|ascii|hex|aes(?:-\d+)?|des|3des"
    r"|plain|clear|local|remote)"
)
# A password or secret is the rest of its line (IOS allows spaces in a type-0 password); only
# the words the device writes after it stay visible.
_REST_KEYWORDS = (
    r"password|passwd|secret|ldap-login-password|login-password|area-password|domain-password"
    r"|auth-password|priv-password"
)
_REST_TAIL = r"(?P<tail>(?:\s+(?:encrypted|pbkdf2|nt-encrypted|privilege\s+\d+))*)\s*$"
_REST_SECRET = re.compile(
    rf"(?<![\w-])(?P<kw>{_REST_KEYWORDS})(?![\w-])"
    rf"(?P<type>(?:\s+{_QUALIFIER}(?=\s+\S))*)(?P<sp>\s+)"
    r"(?P<value>(?!(?:key-string|key|password|secret|community)(?!\S))\S.*?)" + _REST_TAIL,
    re.IGNORECASE,
)
# Keywords whose next word is a secret.
_TOKEN_SECRET = re.compile(
    r"(?<![\w-])(?P<kw>key|key-string|pre-shared-key|authentication-key|md5|server-key|psk"
    r"|wpa-psk|message-digest-key|password-encrypt|set-key|cak|authenticator|session-key)"
    r"(?![\w-])"
    rf"(?P<type>(?:\s+{_QUALIFIER}(?=\s+\S))*)(?P<sp>\s+)"
    r"(?P<value>(?!(?:key-string|key|password|secret|community|set-key)(?!\S))\S+)",
    re.IGNORECASE,
)
# A community is the very next word, whatever it looks like (`42`, `md5`).
# A quoted one (`"two words"`) is masked to its closing quote (or the line's end).
_COMMUNITY = re.compile(
    r'(?<![\w-])(?P<kw>community)(?P<type>)(?P<sp>\s+)(?P<value>"[^"]*(?:"|$)|\S+)',
    re.IGNORECASE,
)
# SNMPv3 user keys: `auth sha KEY`, `priv aes 128 KEY`.
_SNMP_USER_KEY = re.compile(
    r"(?P<kw>\b(?:auth|priv)\s+(?:md5|sha|sha-?\d+|des|3des|aes-?\d+|aes(?:\s+\d+)?)\s+)"
    r"(?P<value>\S+)",
    re.IGNORECASE,
)
# Words of `snmp-server host ADDR [vrf V] [informs|traps] [version 1|2c|3 [auth|noauth|priv]]`
# before the community (or v3 user); `community X` (ASA) is masked by its keyword.
_SNMP_HOST_SKIP = {"informs", "traps", "auth", "noauth", "priv"}
_SNMP_HOST_WITH_VALUE = {"vrf", "version", "udp-port"}
# First-hop redundancy in clear text: `standby [1] authentication X`, `vrrp 1 authentication
# text X`; NHRP: `ip nhrp authentication X`.
_FHRP_AUTH = re.compile(
    r"(?P<kw>\b(?:(?:standby|vrrp|glbp)(?:\s+\d+)?|nhrp)\s+authentication\s+(?:text\s+)?)"
    r"(?!md5\b)(?P<value>\S+)",
    re.IGNORECASE,
)
# Credentials in a URL: `ftp://user:PASSWORD@host`.
_URL_PASSWORD = re.compile(r"(?P<kw>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)(?P<value>[^@\s]+)(?=@)", re.I)
# A WEP key: `encryption [vlan N] key 1 size 128bit [0|7] KEY [transmit-key]`.
_WEP_KEY = re.compile(r"(?P<kw>\bkey\s+\d\s+size\s+\S+\s+(?:\d\s+)?)(?P<value>\S+)", re.I)
# Manual IPsec keys (`ospfv3 authentication ipsec spi 256 sha1 <hex>`): long hex strings.
_IPSEC_HEX = re.compile(r"\b[0-9A-Fa-f]{16,}\b")
# Placeholders our own remediation templates write where the operator fills in a secret.
_PLACEHOLDER = re.compile(r"<[a-z][a-z ]*>")
# Words that follow a keyword as part of a command, not as its secret (`crypto key generate`).
_COMMAND_WORDS = {"chain", "pubkey-chain", "config-key"}
# Words that follow `crypto key` as a command (`crypto key generate rsa`, `show crypto key
# mypubkey rsa`): only there, for `crypto isakmp key generate` sets a key called `generate`.
_CRYPTO_KEY_WORDS = {"generate", "zeroize", "storage", "mypubkey", "import", "export"}
_CRYPTO_KEY = re.compile(r"(?:^|\s)crypto\s+$", re.I)
# `Key name: <Default-RSA-Key>` of `show crypto key mypubkey rsa`: a line of its own.
_KEY_NAME = re.compile(r"\s*Key name:\s")
# C0 controls but tab and newline, DEL, C1 controls (CSI 0x9b opens escapes, too), and the
# Unicode format characters that reorder or break text (bidi overrides, line separators).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _keyword_masker(placeholders: bool):  # type: ignore[no-untyped-def]
    def mask(match: re.Match[str]) -> str:
        value = match.group("value")
        qualifiers = match.group("type") or ""
        keyword = match.group("kw").lower()
        if keyword == "key" and not qualifiers and value.isdigit() and len(value) == 1:
            return match.group(0)  # `key 1` of a key chain: a number, not a secret
        if value in _COMMAND_WORDS:
            return match.group(0)
        before = match.string[: match.start()]
        if keyword == "key" and value in _CRYPTO_KEY_WORDS and _CRYPTO_KEY.search(before):
            return match.group(0)
        if keyword == "key" and value == "name:" and _KEY_NAME.match(match.string):
            return match.group(0)
        if placeholders and _PLACEHOLDER.match(match.string, match.start("value")):
            return match.group(0)
        tail = match.groupdict().get("tail") or ""
        return f"{match.group('kw')}{qualifiers}{match.group('sp')}{MASK}{tail}"

    return mask


def _mask_snmp_host(line: str) -> str:
    """The community (or v3 user) word of an `snmp-server host` line."""
    words = line.split()
    lowered = [word.lower() for word in words]
    try:
        start = next(
            i for i in range(len(words) - 1) if lowered[i : i + 2] == ["snmp-server", "host"]
        )
    except StopIteration:
        return line
    i = start + 3  # past the address
    if (
        i < len(words)
        and _looks_like_address(words[start + 3])
        and not _looks_like_address(words[start + 2])
    ):
        i += 1  # ASA: `snmp-server host IFNAME ADDR ...`
    while i < len(words):
        word = words[i].lower()
        if word in _SNMP_HOST_WITH_VALUE:
            i += 2
        elif word in _SNMP_HOST_SKIP or word in {"1", "2c", "3"}:
            i += 1
        else:
            break
    if i >= len(words) or words[i].lower() in {"community", "poll", "trap"}:
        return line
    index = _nth_word_start(line, i)
    quoted = re.match(r'"[^"]*(?:"|$)', line[index:])
    length = quoted.end() if quoted else len(words[i])
    return line[:index] + MASK + line[index + length :]


def _looks_like_address(word: str) -> bool:
    return bool(re.fullmatch(r"[\d.]+|[0-9A-Fa-f:]+:[0-9A-Fa-f:]*", word))


def _nth_word_start(line: str, n: int) -> int:
    return [m.start() for m in re.finditer(r"\S+", line)][n]


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
    if "\n" in line:
        return "\n".join(mask_line(part, placeholders=placeholders) for part in line.split("\n"))
    keep = lambda m: f"{m.group('kw')}{MASK}"  # noqa: E731 - one substitution, several regexes
    folded = " ".join(line.lower().split())
    if "snmp-server user" in folded:
        line = _SNMP_USER_KEY.sub(keep, line)
    if "snmp-server host" in folded:
        line = _mask_snmp_host(line)
    if "authentication" in folded:
        line = _FHRP_AUTH.sub(keep, line)
    if "ipsec spi" in folded:
        line = _IPSEC_HEX.sub(MASK, line)
    if "://" in line:
        line = _URL_PASSWORD.sub(keep, line)
    if "size" in folded:
        line = _WEP_KEY.sub(keep, line)
    masker = _MASK_TEMPLATE if placeholders else _MASK_DEVICE
    line = _COMMUNITY.sub(masker, line)
    line = _TOKEN_SECRET.sub(masker, line)
    return _REST_SECRET.sub(masker, line)


def mask_lines(lines: Iterable[str]) -> tuple[str, ...]:
    """Mask every line of `lines`; a line of an archived file stays that line.

    (`model.source.SourceLine.reading`; masking imports nothing of the product.)
    """
    masked = []
    for line in lines:
        reading = getattr(line, "reading", None)
        masked.append(reading(mask_line(line)) if reading else mask_line(line))
    return tuple(masked)


def clean_line(text: str) -> str:
    """One line for a report field: masked, then control characters (newlines too) shown.

    Masking reads the raw text, where a tab or a unit separator still separates words.
    """
    return neutralise(mask_line(text), keep_newlines=False)


def clean_text(text: str) -> str:
    """A message for a report or a log: every line masked, control characters neutralised.

    For texts that may quote device output: error messages, reasons, exception texts.
    """
    return "\n".join(neutralise(mask_line(line)) for line in text.split("\n"))


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
