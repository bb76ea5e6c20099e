"""Each host's own known_hosts lines, so that a connection reads one host's keys, not all.

paramiko's `HostKeys.load` checks every line it reads against every line read before it, so
loading a known_hosts file of N devices costs O(N^2), and Netmiko loads it again for every
connection. At 200 devices that was more than half of the collecting process's time (py-spy,
`benchmarks/live.py`); at a few thousand it would be the whole night. The file is read once
per audit here, and each host is given a file holding only its own lines, in a private
temporary directory that is removed when the collection ends. What is accepted and refused
does not change: paramiko matches a host by its OpenSSH name (`host`, or `[host]:port` for
another port than 22), plainly or hashed, and so does the split. A line paramiko cannot read
(a marker such as `@revoked`, a broken key) now fails only the hosts it names, where it failed
every connection before.
"""

from __future__ import annotations

import binascii
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from paramiko.hostkeys import HostKeys

from dalsnet_audit.paths import inside

HASHED = "|1|"


def openssh_name(hostname: str, port: int | None) -> str:
    """The name a known_hosts line gives a host: `host`, or `[host]:port` off port 22.

    >>> openssh_name("10.0.0.1", 22), openssh_name("127.0.0.1", 30001)
    ('10.0.0.1', '[127.0.0.1]:30001')
    """
    return hostname if (port or 22) == 22 else f"[{hostname}]:{port}"


@dataclass(frozen=True, slots=True)
class KeyTarget:
    """A host to connect to: its inventory name (a safe file name), address and port."""

    name: str
    hostname: str
    port: int | None


@dataclass(frozen=True, slots=True)
class _Lines:
    """A known_hosts file read once: plain lines by the names they give, hashed lines apart."""

    by_name: dict[str, list[int]]
    hashed: list[tuple[int, str, str]]  # (line index, salt, name) of `|1|salt|hash` names
    lines: list[str]

    @classmethod
    def read(cls, path: Path) -> _Lines:
        lines: list[str] = []
        by_name: dict[str, list[int]] = {}
        hashed: list[tuple[int, str, str]] = []
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        for raw in text.splitlines():
            line = raw.strip()
            fields = line.split()
            if not line or line.startswith("#") or len(fields) < 3:
                continue  # paramiko skips these too
            # paramiko cannot read a marker line (@revoked, @cert-authority) and refuses the
            # whole file: the hosts it names keep it, so a revoked key is never accepted.
            names = fields[1] if line.startswith("@") else fields[0]
            index = len(lines)
            lines.append(line)
            for name in names.split(","):
                if name.startswith(HASHED):
                    parts = name.split("|")  # "", "1", salt, hash
                    hashed.append((index, parts[2] if len(parts) == 4 else "", name))
                else:
                    by_name.setdefault(name, []).append(index)
        return cls(by_name, hashed, lines)

    def of(self, name: str) -> list[str]:
        """The lines that name `name`, plainly or hashed, in the file's order."""
        indices = set(self.by_name.get(name, ()))
        for index, salt, hashed in self.hashed:
            if _hash_matches(name, salt, hashed):
                indices.add(index)
        return [self.lines[i] for i in sorted(indices)]


def _hash_matches(name: str, salt: str, hashed: str) -> bool:
    """Whether `hashed` (`|1|salt|hash`) names `name`; a line paramiko cannot read names all."""
    try:
        return bool(HostKeys.hash_host(name, salt) == hashed)
    except (binascii.Error, ValueError, TypeError):
        return True  # every host keeps it, and paramiko refuses it as it did the whole file


class HostKeyFiles:
    """One known_hosts file per host, cut from `source`, for the length of a `with` block."""

    def __init__(self, source: Path | None, targets: Iterable[KeyTarget]) -> None:
        """Files for `targets`, cut from `source` (None or missing: every file is empty)."""
        self.source = source
        self.targets = tuple(targets)
        self._dir: Path | None = None
        self._paths: dict[str, Path] = {}

    def __enter__(self) -> HostKeyFiles:
        self._dir = Path(tempfile.mkdtemp(prefix="dalsnet-known-hosts-"))  # mode 0700
        read = _Lines.read(self.source) if self.source is not None else _Lines({}, [], [])
        for target in self.targets:
            path = inside(self._dir, target.name)
            own = read.of(openssh_name(target.hostname, target.port))
            path.write_text("".join(f"{line}\n" for line in own), encoding="utf-8")
            self._paths[target.name] = path
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def path(self, name: str) -> Path:
        """The known_hosts file of host `name`."""
        return self._paths[name]
