"""Exception hierarchy: one root, one subclass per input or stage that can fail."""

from __future__ import annotations


class AuditError(Exception):
    """Root of every error dalsnet-audit raises on purpose."""


class InputError(AuditError):
    """Invalid user input: nothing is audited, the CLI exits 2.

    Args:
        path: The file at fault.
        key: The key (dotted path) inside the file, if known.
        problem: What is wrong, in one sentence.
    """

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")


class InventoryError(InputError):
    """The Nornir inventory is malformed."""


class PolicyError(InputError):
    """A policy file is missing or malformed."""


class SnapshotError(InputError):
    """An offline snapshot is malformed (not: a host's data is missing, which is per host)."""


class HistoryError(InputError):
    """The history store cannot be opened, is locked by another audit, or lacks a run."""


class CollectError(AuditError):
    """Collecting one host failed; turned into a per-host status, never raised past the host."""


class ParseError(CollectError):
    """A parser did not understand a device's output."""


class NoDataError(CollectError):
    """The outputs a platform needs were not collected: the host is `no_data`."""
