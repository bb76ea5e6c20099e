"""RSA host keys for ``show ip ssh``, generated once and cached in ``ssh_host_keys.json``.

Key generation is not deterministic, so the public halves are stored in the package: rebuilding
the reference network reuses them and the committed output stays byte-identical. The private
halves are thrown away; nothing in the lab needs them.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_FILE = Path(__file__).with_name("ssh_host_keys.json")


def _new_public_key(bits: int) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )


def host_keys(wanted: dict[str, int], path: Path = KEY_FILE) -> dict[str, str]:
    """Return an OpenSSH ``ssh-rsa AAAA...`` public key per host, generating only missing ones.

    Args:
        wanted: Host name -> modulus size in bits.
        path: The cache file; rewritten only when a key had to be generated.

    Returns:
        Host name -> public key line.
    """
    cache: dict[str, dict[str, int | str]] = {}
    if path.exists():
        cache = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for host, bits in sorted(wanted.items()):
        entry = cache.get(host)
        if entry is None or entry.get("bits") != bits:
            cache[host] = {"bits": bits, "key": _new_public_key(bits)}
            changed = True
    if changed:
        path.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return {host: str(cache[host]["key"]) for host in wanted}
