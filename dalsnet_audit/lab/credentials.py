"""Credentials the lab accepts: the same environment variables the audit reads.

Unset variables fall back to documented lab defaults, so ``dalsnet-audit lab up`` and a live
audit of the lab agree without any set-up:

=========================  ===================  ======================================
variable                   default              used for
=========================  ===================  ======================================
``DALSNET_USERNAME``       ``dalsnet``          SSH login
``DALSNET_PASSWORD``       ``dalsnet-lab``      SSH password
``DALSNET_ENABLE``         ``dalsnet-enable``   ``enable`` secret (IOS, ASA)
``DALSNET_SNMP_USER``      ``dalsnet``          SNMPv3 user (authPriv, SHA + AES-128)
``DALSNET_SNMP_AUTH_KEY``  ``dalsnet-auth-key`` SNMPv3 authentication pass phrase
``DALSNET_SNMP_PRIV_KEY``  ``dalsnet-priv-key`` SNMPv3 privacy pass phrase
``DALSNET_SNMP_COMMUNITY`` ``dalsnet-lab``      SNMPv2c community
=========================  ===================  ======================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

ENVIRONMENT: dict[str, tuple[str, str]] = {
    "username": ("DALSNET_USERNAME", "dalsnet"),
    "password": ("DALSNET_PASSWORD", "dalsnet-lab"),
    "enable": ("DALSNET_ENABLE", "dalsnet-enable"),
    "snmp_user": ("DALSNET_SNMP_USER", "dalsnet"),
    "snmp_auth_key": ("DALSNET_SNMP_AUTH_KEY", "dalsnet-auth-key"),
    "snmp_priv_key": ("DALSNET_SNMP_PRIV_KEY", "dalsnet-priv-key"),
    "snmp_community": ("DALSNET_SNMP_COMMUNITY", "dalsnet-lab"),
}
"""Field name -> (environment variable, lab default)."""


@dataclass(frozen=True, slots=True, repr=False)
class LabCredentials:
    """What the lab's SSH devices and SNMP agents accept.

    Attributes:
        username: SSH user name.
        password: SSH password.
        enable: Secret of the ``enable`` command.
        snmp_user: SNMPv3 user (authPriv, HMAC-SHA-96 and AES-128).
        snmp_auth_key: SNMPv3 authentication pass phrase (at least 8 characters).
        snmp_priv_key: SNMPv3 privacy pass phrase (at least 8 characters).
        snmp_community: SNMPv2c community.
    """

    username: str
    password: str
    enable: str
    snmp_user: str
    snmp_auth_key: str
    snmp_priv_key: str
    snmp_community: str

    def __repr__(self) -> str:
        return f"LabCredentials(username={self.username!r}, snmp_user={self.snmp_user!r})"

    def as_environment(self) -> dict[str, str]:
        """Return the credentials as ``DALSNET_*`` variables.

        Returns:
            Environment variable name -> value, for every field.
        """
        return {ENVIRONMENT[f.name][0]: getattr(self, f.name) for f in fields(self)}


def lab_credentials(environ: Mapping[str, str] | None = None) -> LabCredentials:
    """Read the lab credentials from the environment, with the lab defaults for unset ones.

    Args:
        environ: Environment to read; ``os.environ`` when omitted. Empty values count as unset.

    Returns:
        The credentials the lab accepts.

    Raises:
        ValueError: An SNMPv3 key is shorter than the 8 characters SNMPv3 requires.
    """
    env = os.environ if environ is None else environ
    values = {name: env.get(var) or default for name, (var, default) in ENVIRONMENT.items()}
    for name in ("snmp_auth_key", "snmp_priv_key"):
        if len(values[name]) < 8:
            raise ValueError(f"{ENVIRONMENT[name][0]} must be at least 8 characters (SNMPv3)")
    return LabCredentials(**values)
