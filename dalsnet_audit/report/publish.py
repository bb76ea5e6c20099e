"""Publish a run's reports as one set: a reader sees the previous set or the new one, never a mix.

`--out DIR` is a symbolic link to the current set, a directory beside it::

    reports/demo -> .demo.sets/20261126T020000Z-1a2b3c
    reports/.demo.sets/20261126T020000Z-1a2b3c/{report.html,report.json,...}
    reports/.demo.lock

A set is written into a staging directory, synced, renamed to its run id, and the link is
switched to it with one `rename(2)`: killed at any moment, `DIR` shows a whole set. The previous
set is kept (a reader that opened it keeps reading), older ones and the staging directories of
crashed runs are removed. A lock per `DIR` keeps two audits from publishing at once. A run
that asks for fewer formats shows only those: the set is new, nothing of the last one is left
beside it. A real directory from before (only reports in it) is taken over as the previous set.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from dalsnet_audit.errors import InputError
from dalsnet_audit.paths import is_safe_name

FILE_MODE = 0o644
KEEP_SETS = 2
# Set directories: a run id (`20261126T020000Z-1a2b3c`), `set`, `previous`, with a `.N` suffix.
_SET_NAME = re.compile(r"(?:\d{8}T\d{6}Z-[0-9a-f]+|set|previous)(?:\.\d+)?")
_STAGING = ".staging-"
_HELD: dict[Path, int] = {}


class OutDirBusyError(InputError):
    """Another audit is publishing into the same `--out` (exit 2: nothing was audited)."""


def sets_dir(out: Path) -> Path:
    """Where the sets of `out` live: `.<name>.sets` beside it."""
    return out.parent / f".{out.name}.sets"


def _lock_file(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _is_ours(out: Path) -> bool:
    """`out` is a link into its own sets directory."""
    if not out.is_symlink():
        return False
    target = (out.parent / out.readlink()).resolve()
    return target.parent == sets_dir(out).resolve()


def out_location(out: Path) -> Path:
    """The path to publish at: `out` made absolute, or where a link of the user's own points.

    A user's link is followed one step at a time (never through our own link, which
    `resolve()` would do), so the link, its target and the real path share one location, and
    so one lock and one sets directory.
    """
    where = Path(os.path.normpath(out.absolute()))
    for _ in range(40):
        if not where.is_symlink() or _is_ours(where):
            return where
        where = Path(os.path.normpath(where.parent / where.readlink()))
    raise InputError("--out", str(out), "too many levels of symbolic links")


def _report_file(name: str, names: frozenset[str]) -> bool:
    """A report of ours, or a temporary of the per-file writer of earlier versions."""
    return name in names or (name.startswith(".") and name.endswith(".tmp"))


def check_out(out: Path, names: frozenset[str]) -> None:
    """`out` can receive report sets; checked before anything is audited.

    Args:
        out: The `--out` directory.
        names: The report file names a set may hold.

    Raises:
        InputError: `out` is a file, the current directory, holds files that are not reports,
            has something else in the way of its sets or lock, or cannot be created.
    """
    where = out_location(out)
    if where == Path(where.anchor) or Path.cwd().resolve().is_relative_to(where.resolve()):
        raise InputError(
            "--out", str(out), "is the current directory or above it; give the reports their own"
        )
    for neighbour, kind in ((sets_dir(where), "directory"), (_lock_file(where), "file")):
        if neighbour.is_symlink() or (
            neighbour.exists() and (neighbour.is_dir() != (kind == "directory"))
        ):
            raise InputError(
                "--out", str(out), f"{neighbour} is in the way (it must be a {kind} of ours)"
            )
    if where.parent.is_dir() and not os.access(where.parent, os.W_OK | os.X_OK):
        # The sets, the lock and the link all live beside `out`.
        raise InputError("--out", str(out), f"{where.parent} is not writable")
    if _is_ours(where):
        return
    if where.exists() and not where.is_dir():
        raise InputError("--out", str(out), "is a file, not a directory")
    if where.is_dir():
        foreign = sorted(p.name for p in where.iterdir() if not _report_file(p.name, names))
        if foreign:
            raise InputError(
                "--out",
                str(out),
                f"holds files that are not reports ({', '.join(foreign[:5])}); "
                "give the reports a directory of their own",
            )
        return
    ancestor = where.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError("--out", str(out), f"cannot be created: {ancestor} is not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError("--out", str(out), f"cannot be created: {ancestor} is not writable")


@contextlib.contextmanager
def out_lock(out: Path) -> Iterator[None]:
    """Hold the lock of `out` (re-entrant within this process).

    The lock is an `flock` on `.<name>.lock` beside `out`: the kernel drops it when its holder
    dies, so a crashed audit never leaves a stale lock.

    Raises:
        OutDirBusyError: another process holds it.
    """
    where = out_location(out)
    path = _lock_file(where)
    key = path.absolute()
    if key in _HELD:
        yield
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(
            "--out", str(out), f"cannot take its lock {path}: {exc.strerror}"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip() or "?"
            raise OutDirBusyError(
                "--out", str(out), f"another audit (pid {holder}) is writing its reports here"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD[key] = fd
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


Content = bytes | Callable[[IO[bytes]], None]  # the bytes, or what writes them to a file


def publish(
    out: Path, contents: Mapping[str, Content], set_name: str, names: frozenset[str]
) -> Path:
    """Write `contents` as a new set and make `out` show it, in one step.

    Args:
        out: The `--out` directory (a link to the current set once published).
        contents: File name -> bytes of every file of the set, or a function that writes
            them to the open file (a report too large to hold).
        set_name: Name of the set's directory (the run id).
        names: Every report file name there is (what a directory taken over may hold).

    Returns:
        The set's directory.

    Raises:
        InputError: `out` holds files that are not reports.
        OutDirBusyError: another audit publishes into `out`.
        OSError: writing failed; `out` still shows the previous set.
    """
    where = out_location(out)
    with out_lock(out):
        sets = sets_dir(where)
        sets.mkdir(parents=True, exist_ok=True)
        _remove_stale(where, sets)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=sets))
        try:
            for name, data in contents.items():
                _write_synced(staging / name, data)
            staging.chmod(0o755)
            _sync(staging)
            final = _free_name(sets, set_name)
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if where.is_dir() and not where.is_symlink():
            _take_over(where, sets, names)
        _switch(where, final)
        _prune(sets, keep=final)
        return final


def _write_synced(path: Path, data: Content) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # whatever the umask
    with os.fdopen(fd, "wb") as handle:
        if callable(data):
            data(handle)
        else:
            handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _free_name(sets: Path, name: str) -> Path:
    base = name if is_safe_name(name) else "set"
    candidate, n = sets / base, 1
    while candidate.exists():
        n += 1
        candidate = sets / f"{base}.{n}"
    return candidate


def _take_over(where: Path, sets: Path, names: frozenset[str]) -> None:
    """Move a real report directory of an earlier version aside, as the previous set."""
    for path in where.iterdir():
        if not _report_file(path.name, names):
            raise InputError("--out", str(where), "holds files that are not reports")
    for path in where.iterdir():
        if path.name not in names:
            path.unlink(missing_ok=True)
    where.rename(_free_name(sets, "previous"))


def _switch(where: Path, final: Path) -> None:
    """Point `where` at `final` with one rename (a new link replaces the old one)."""
    link = where.parent / f".{where.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(final, where.parent))
    link.replace(where)
    _sync(where.parent)


def _remove_stale(where: Path, sets: Path) -> None:
    """Staging directories and links left by a crashed run (the lock is held: none is in use)."""
    for path in sets.glob(f"{_STAGING}*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in where.parent.glob(f".{where.name}.link-*"):
        path.unlink(missing_ok=True)


def _ours(path: Path) -> bool:
    """A set this module wrote: a run id, or an earlier version's reports taken over."""
    return path.is_dir() and not path.is_symlink() and _SET_NAME.fullmatch(path.name) is not None


def _prune(sets: Path, keep: Path) -> None:
    """Keep the current set and the one before it; remove older sets (only sets of ours)."""
    others = sorted(
        (p for p in sets.iterdir() if p != keep and _ours(p)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in others[KEEP_SETS - 1 :]:
        shutil.rmtree(path, ignore_errors=True)


def _sync(directory: Path) -> None:
    """Make the entries of `directory` durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
