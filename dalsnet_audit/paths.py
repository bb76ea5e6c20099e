"""Paths built from outside data (host names, command slugs) never leave their root.

A host name comes from the inventory and becomes a file name in the snapshot, the archive and
the lab; a hostile or careless name (`../../etc/x`) must neither read nor write outside. Names
are checked on input (`is_safe_name`), and every path is checked again where it is used
(`inside`), after symlinks are resolved.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dalsnet_audit.errors import AuditError

# A letter or digit first, then letters, digits, `.`, `_`, `-`: a DNS-like device name, no
# separator, no leading dot, nothing a shell or a file system reads as special.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SAFE_NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit"


class PathEscapeError(AuditError):
    """A path built from outside data would leave the directory it belongs to."""


def is_safe_name(name: object) -> bool:
    """Whether `name` can be used as one file name component.

    >>> is_safe_name("ben-01-sw01"), is_safe_name("../../tmp/x"), is_safe_name(".hidden")
    (True, False, False)
    """
    return isinstance(name, str) and SAFE_NAME.fullmatch(name) is not None


def inside(root: Path, *parts: str) -> Path:
    """`root / parts`, proven to stay inside `root` once symlinks are resolved.

    Args:
        root: The directory the path belongs to.
        parts: Components taken from outside data.

    Returns:
        The joined path (not resolved, so messages show it as the user knows it).

    Raises:
        PathEscapeError: the path, or a symlink on it, leads outside `root`.
    """
    path = root.joinpath(*parts)
    base = root.resolve()
    target = path.resolve()
    if target != base and not target.is_relative_to(base):
        raise PathEscapeError(f"{path} leads outside {root}")
    return path


def write_text_atomic(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a synced temporary beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
