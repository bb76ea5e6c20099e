"""What an ASA does with a fix: its configuration merge and the commands it only runs.

`crypto key generate rsa modulus N` is not stored in the configuration: its effect is the key
`show crypto key mypubkey rsa` lists afterwards, whose `Modulus Size` the merge sets.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dalsnet_audit.model.raw import RawDevice, command_slug
from dalsnet_audit.platforms.merge import NEW_SECRET, MergeRules, generated_rsa_bits, merge

ASA_MERGE = MergeRules(
    syntax="asa",
    singletons=tuple(
        re.compile(p)
        for p in (
            r"ssh version",
            r"ssh cipher encryption",
            r"ssh cipher integrity",
            r"ssh key-exchange group",
            r"enable password",
            r"username \S+",
            r"hostname\b",
        )
    ),
    end=": end",
    executed=(re.compile(r"crypto key generate "),),
    child_settings=tuple(
        re.compile(p)
        for p in (
            r"protocol esp (encryption|integrity)\b",
            r"nameif\b",
            r"security-level\b",
            r"ip address\b",  # one per interface; `standby` is part of the same command
            r"description\b",
            r"vlan\b",
            r"management-only\b",
            r"prf\b",
            r"group (?=\d)",  # DH groups of an IKE policy, not `group-alias`/`group-url`
            r"lifetime\b",
            r"authentication-server-group\b",
        )
    ),
    # The ASA 9.16 stores a password typed in clear as a PBKDF2 hash.
    stored_form=lambda line: line.replace(
        "password <new secret>", "password $sha512$5000$fixproof$StoredHash pbkdf2"
    ).replace(NEW_SECRET, "FixProofSecret"),
)


_MYPUBKEY = command_slug("show crypto key mypubkey rsa")
_MODULUS = re.compile(r"^(\s*Modulus Size \(bits\):\s*)\d+", re.MULTILINE)


def apply_asa_fix(raw: RawDevice, fix: str) -> RawDevice:
    """`raw` after `fix` is pasted in configuration mode."""
    assert raw.config is not None
    shows = dict(raw.shows)
    bits = generated_rsa_bits(fix)
    if bits is not None and _MYPUBKEY in shows:
        # The default key pair is replaced; the ASA lists it with its new size.
        shows[_MYPUBKEY] = _MODULUS.sub(lambda m: f"{m.group(1)}{bits}", shows[_MYPUBKEY])
    return replace(raw, config=merge(raw.config, fix, ASA_MERGE), shows=shows)
