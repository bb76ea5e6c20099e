"""What an IOS device does with a fix: its configuration merge and the commands it only runs.

`crypto key generate rsa ... modulus N` is entered in configuration mode but not stored: its
effect is the host key `show ip ssh` prints afterwards. The merge gives that output a key of
the generated size (a stand-in: the device draws its own key; its size is what rules read).
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import replace

from dalsnet_audit.model.raw import RawDevice, command_slug
from dalsnet_audit.parse.blocks import device_lines
from dalsnet_audit.platforms.merge import NEW_SECRET, MergeRules, generated_rsa_bits, merge

# A secret typed in a fix, as IOS then stores it (scrypt, type 9).
_TYPED_SECRET = re.compile(r"(?:algorithm-type scrypt )?secret <new secret>")
IOS_MERGE = MergeRules(
    syntax="ios",
    singletons=tuple(
        re.compile(p)
        for p in (
            r"ip ssh version",
            r"ip default-gateway",
            r"enable secret",
            r"ip ssh server algorithm (?:encryption|mac|kex)",
            r"ip ssh dh min size",
            r"ip http access-class",
            r"ip ssh source-interface",
            r"logging source-interface",
            r"ntp source",
            r"username \S+",
            r"hostname\b",
            r"crypto ipsec transform-set \S+",
        )
    ),
    end="end",
    executed=(re.compile(r"crypto key generate "),),
    continuations=(
        (
            re.compile(r"switchport trunk allowed vlan (?!add\b|remove\b|except\b)"),
            re.compile(r"switchport trunk allowed vlan add\b"),
        ),
    ),
    child_settings=tuple(
        re.compile(p)
        for p in (
            r"description\b",
            r"name\b",
            r"ip address (?!.*\bsecondary\b)",
            r"ip access-group \S+ (in|out)\b",
            r"ip vrf forwarding\b|vrf forwarding\b",
            r"switchport mode\b",
            r"switchport access vlan\b",
            r"switchport voice vlan\b",
            r"switchport trunk native vlan\b",
            r"switchport trunk allowed vlan (?!add\b|remove\b|except\b)",
            r"spanning-tree portfast\b",
            r"spanning-tree bpduguard\b",
            r"access-class \S+ (in|out)\b",
            r"ipv6 access-class \S+ (in|out)\b",
            r"transport input\b",
            r"transport output\b",
            r"exec-timeout\b",
            r"login authentication\b",
            r"login\b(?! authentication)",
            r"password\b",
            r"privilege level\b",
            r"tunnel protection\b",
            r"tunnel source\b",
            r"tunnel destination\b",
            r"tunnel mode\b",
            r"set transform-set\b",
            r"set ikev2-profile\b",
            r"set pfs\b",
            r"mode\b",
            r"prf\b",
            r"group (?=\d)",
            r"hash\b",
            r"lifetime\b",
            r"authentication (?:pre-share|rsa-sig|rsa-encr|ecdsa-sig)\b",  # an ISAKMP policy's
        )
    ),
    stored_form=lambda line: _TYPED_SECRET.sub("secret 9 $9$fixproof$StoredHash", line).replace(
        NEW_SECRET, "FixProofSecret"
    ),
)

_SHOW_IP_SSH = command_slug("show ip ssh")


def apply_ios_fix(raw: RawDevice, fix: str) -> RawDevice:
    """`raw` after `fix` is pasted in configuration mode."""
    assert raw.config is not None
    shows = dict(raw.shows)
    bits = generated_rsa_bits(fix)
    if bits is not None and _SHOW_IP_SSH in shows:
        shows[_SHOW_IP_SSH] = with_host_key(shows[_SHOW_IP_SSH], bits)
    if _SHOW_IP_SSH in shows:
        shows[_SHOW_IP_SSH] = with_algorithms(shows[_SHOW_IP_SSH], fix)
    return replace(raw, config=merge(raw.config, fix, IOS_MERGE), shows=shows)


_ALGORITHM = re.compile(r"ip ssh server algorithm (encryption|mac|kex) (.+)")
_SHOWN_AS = {
    "encryption": "Encryption Algorithms",
    "mac": "MAC Algorithms",
    "kex": "KEX Algorithms",
}


def with_algorithms(output: str, fix: str) -> str:
    """`show ip ssh` offering what `ip ssh server algorithm ...` lines of `fix` configure.

    IOS prints the configured lists (in their order) on its `... Algorithms:` lines.
    """
    shown: dict[str, str] = {}
    for line in fix.splitlines():
        match = _ALGORITHM.match(line.strip())
        if match:
            shown[_SHOWN_AS[match.group(1)]] = ",".join(match.group(2).split())
    if not shown:
        return output
    lines = []
    for line in device_lines(output):
        key = line.split(":", 1)[0].strip()
        lines.append(f"{key}:{shown[key]}" if key in shown else line)
    return "\n".join(lines) + "\n"


def with_host_key(output: str, bits: int) -> str:
    """`show ip ssh` with its RSA host key replaced by one of `bits` bits."""
    kept: list[str] = []
    label = "generated"
    in_key = False
    for line in device_lines(output):
        stripped = line.strip()
        if stripped.startswith("IOS Keys in SECSH format"):
            label = stripped.rsplit(":", 1)[-1].strip() or label
            in_key = True
        elif in_key and stripped and not stripped.startswith("Modulus Size"):
            continue
        elif not stripped.startswith("Modulus Size"):
            in_key = False
            kept.append(line)
    kept += [
        f"IOS Keys in SECSH format(ssh-rsa, base64 encoded): {label}",
        f"ssh-rsa {_stand_in_key(bits)}",
    ]
    return "\n".join(kept) + "\n"


def _stand_in_key(bits: int) -> str:
    """An `ssh-rsa` public key blob (RFC 4253 6.6) whose modulus has `bits` bits."""
    modulus = (1 << (bits - 1)) | 1
    fields = (b"ssh-rsa", (65537).to_bytes(3, "big"), b"\x00" + modulus.to_bytes(bits // 8, "big"))
    return base64.b64encode(b"".join(struct.pack(">I", len(f)) + f for f in fields)).decode()
