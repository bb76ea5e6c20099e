"""Credentials for live collection: from the environment or a protected file, never the repo."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from dalsnet_audit.errors import InputError
from dalsnet_audit.input_files import read_text

# Environment variable of every field.
ENVIRONMENT = {
    "username": "DALSNET_USERNAME",
    "password": "DALSNET_PASSWORD",
    "enable": "DALSNET_ENABLE",
    "snmp_user": "DALSNET_SNMP_USER",
    "snmp_auth_key": "DALSNET_SNMP_AUTH_KEY",
    "snmp_priv_key": "DALSNET_SNMP_PRIV_KEY",
    "snmp_community": "DALSNET_SNMP_COMMUNITY",
}
# A file beside the inventory that `dalsnet-audit lab up` writes for the inventory it serves.
INVENTORY_FILE = ".credentials"


@dataclass(frozen=True, slots=True, repr=False)
class Credentials:
    """Login and SNMP secrets. `repr` shows which are set, never their values."""

    username: str | None = None
    password: str | None = None
    enable: str | None = None
    snmp_user: str | None = None
    snmp_auth_key: str | None = None
    snmp_priv_key: str | None = None
    snmp_community: str | None = None

    def __repr__(self) -> str:
        present = [f.name for f in fields(self) if getattr(self, f.name)]
        return f"Credentials(set={present})"

    def merged(self, other: Credentials) -> Credentials:
        """Fields of `self`, completed by `other` where `self` has none."""
        return Credentials(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Credentials:
        """Read `DALSNET_*` keys of an environment-like mapping."""
        return cls(**{name: values.get(var) or None for name, var in ENVIRONMENT.items()})

    @classmethod
    def from_file(cls, path: Path) -> Credentials:
        """Read a `KEY=VALUE` file of `DALSNET_*` keys that only its owner may read.

        Raises:
            InputError: the file is missing, readable by others, or malformed.
        """
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise InputError(str(path), None, "credentials file is missing") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InputError(
                str(path),
                None,
                f"credentials file is readable by others (mode {mode & 0o777:o}); chmod 600",
            )
        text = read_text(path)
        values: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            key, sep, value = text.partition("=")
            if not sep or key.strip() not in ENVIRONMENT.values():
                raise InputError(str(path), f"line {number}", "expected DALSNET_*=value")
            values[key.strip()] = value.strip().strip("'\"")
        return cls.from_mapping(values)


def resolve_credentials(
    inventory: Path, explicit: Path | None = None, environ: Mapping[str, str] | None = None
) -> Credentials:
    """Credentials for a live audit, from the first source that has each value.

    Order: `--credentials FILE`, the environment, then a protected `.credentials` file beside
    the inventory (what `dalsnet-audit lab up` writes for the inventory it serves).

    Raises:
        InputError: no username/password from any source, or a file is unsafe.
    """
    environ = os.environ if environ is None else environ
    creds = Credentials.from_mapping(environ)
    if explicit is not None:
        creds = Credentials.from_file(explicit).merged(creds)
    beside = inventory / INVENTORY_FILE
    if beside.exists():
        creds = creds.merged(Credentials.from_file(beside))
    if not creds.username or not creds.password:
        raise InputError(
            "credentials",
            None,
            "no login credentials: set DALSNET_USERNAME and DALSNET_PASSWORD, "
            "or use --credentials FILE",
        )
    return creds
