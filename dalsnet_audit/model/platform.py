"""What rules may ask a device's platform: the contract rules see, in the model's words.

Each platform driver (`dalsnet_audit.platforms`) answers it; the engine hands the answers to
rules through their context. A rule asks ("is this password stored as a hash?") instead of
branching on the platform's name, so a new platform is a new driver, not an edit of every rule.
"""

from __future__ import annotations

from typing import Protocol

from dalsnet_audit.model.enums import Platform, SecretKind


class PlatformAnswers(Protocol):
    """A platform's answers to the questions rules ask."""

    @property
    def platform(self) -> Platform:
        """The platform answering."""
        ...

    @property
    def terminal_lines_required(self) -> bool:
        """Remote management goes through `line vty` blocks (IOS).

        A configuration without one cannot be judged for telnet; a platform that opens
        management per network and interface (ASA `ssh NET MASK IF`) has none.
        """
        ...

    @property
    def http_server_plain(self) -> bool:
        """The HTTP server speaks plain HTTP (IOS `ip http server`; an ASA's is HTTPS)."""
        ...

    @property
    def snmp_community_acl(self) -> bool:
        """An SNMP community can (and must) be bound to an access list."""
        ...

    @property
    def log_timestamp_msec(self) -> bool:
        """Log timestamps can carry milliseconds (IOS `msec`; no ASA timestamp has them)."""
        ...

    @property
    def remediation_dirs(self) -> tuple[str, ...]:
        """The template directories of this platform's fixes, its own syntax first."""
        ...

    def stored_as_hash(self, kind: SecretKind) -> bool:
        """Whether a credential configured with keyword `kind` is stored as a one-way hash."""
        ...

    def strong_secret_example(self, user: str | None = None) -> str:
        """How a strongly hashed enable secret (or `user`'s) is written on this platform."""
        ...
