"""What every simulated command line shares: replies, the host's files, pipes, abbreviations."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dalsnet_audit.lab.credentials import LabCredentials

IOS_INVALID_INPUT = "% Invalid input detected at '^' marker."
PIPE_FILTERS = ("include", "exclude", "begin", "section", "count")
# A pipe between spaces starts a filter; "a|b" inside a filter's regex is an alternation.
_PIPE = re.compile(r"\s+\|\s+")


@dataclass(frozen=True, slots=True)
class Reply:
    """The device's answer to one line of input.

    Attributes:
        output: Text written after the echoed line and before the next prompt.
        secret: The next line is a password: do not echo it.
        close: Close the session after writing ``output``.
        drop: Abort the connection half-way through ``output`` (the ``drop`` fault).
    """

    output: str = ""
    secret: bool = False
    close: bool = False
    drop: bool = False


@dataclass(slots=True)
class HostFiles:
    """One host of a snapshot: its inventory entry and the files the lab answers from.

    Attributes:
        name: Inventory host name.
        platform: ``ios``, ``asa``, ``linux`` or ``windows``.
        data: The host's inventory ``data``.
        config_path: ``configs/<host>.cfg``.
        show_dir: ``show/<host>/``.
        snmprec_path: ``snmp/<host>.snmprec``.
        root: The snapshot; nothing is served from outside it.
    """

    name: str
    platform: str
    data: dict[str, Any]
    config_path: Path
    show_dir: Path
    snmprec_path: Path
    root: Path | None = None
    _cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def in_snapshot(
        cls, snapshot: Path, name: str, platform: str, data: dict[str, Any]
    ) -> HostFiles:
        """Locate a host's files in a snapshot directory.

        Args:
            snapshot: Snapshot root.
            name: Inventory host name.
            platform: Inventory platform.
            data: Inventory ``data`` of the host.

        Returns:
            The host's files (read lazily).
        """
        return cls(
            name=name,
            platform=platform,
            data=data,
            config_path=snapshot / "configs" / f"{name}.cfg",
            show_dir=snapshot / "show" / name,
            snmprec_path=snapshot / "snmp" / f"{name}.snmprec",
            root=snapshot,
        )

    def escaping(self) -> list[Path]:
        """The host's paths that lead outside the snapshot (through a link or a name)."""
        paths = [self.config_path, self.snmprec_path, self.show_dir]
        if self.show_dir.is_dir():
            paths += sorted(self.show_dir.iterdir())
        return [path for path in paths if path.exists() and not self._inside(path)]

    def _inside(self, path: Path) -> bool:
        if self.root is None:
            return True
        return path.resolve().is_relative_to(self.root.resolve())

    def _read(self, key: str, path: Path) -> str | None:
        if key not in self._cache:
            if not self._inside(path):
                self._cache[key] = None  # never served from outside the snapshot
                return None
            try:
                self._cache[key] = path.read_bytes().decode("utf-8")
            except (FileNotFoundError, NotADirectoryError):
                self._cache[key] = None
        return self._cache[key]

    @property
    def config(self) -> str | None:
        """The running configuration, or None when the snapshot has none."""
        return self._read("config", self.config_path)

    @property
    def snmprec(self) -> str | None:
        """The ``.snmprec`` SNMP data, or None."""
        return self._read("snmprec", self.snmprec_path)

    def show(self, command: str) -> str | None:
        """Return the snapshot's output of a command, found by its slug.

        Args:
            command: E.g. ``show ip ssh``.

        Returns:
            The file's text, or None when the snapshot holds no such output.
        """
        name = command_slug(command)
        if not name.strip("_"):
            return None
        return self._read(f"show:{name}", self.show_dir / f"{name}.txt")


def command_slug(command: str) -> str:
    """Return the snapshot file stem of a command (``show ip ssh`` -> ``show_ip_ssh``).

    Args:
        command: The command as typed, whitespace-normalised.

    Returns:
        Non-alphanumerics replaced by ``_``, as in the snapshot layout.
    """
    return re.sub(r"[^0-9A-Za-z]", "_", command.strip())


def match_words(typed: list[str], pattern: tuple[str, ...]) -> list[str] | None:
    """Match typed words against a command pattern, accepting unique-prefix abbreviations.

    Args:
        typed: The words typed, e.g. ``["sh", "vlan", "id", "10"]``.
        pattern: Canonical words; ``"<arg>"`` matches any one word.

    Returns:
        The words matched by ``<arg>`` placeholders, or None when the pattern does not match.
    """
    if len(typed) != len(pattern):
        return None
    args: list[str] = []
    for word, canonical in zip(typed, pattern, strict=True):
        if canonical == "<arg>":
            args.append(word)
        elif not canonical.startswith(word.lower()):
            return None
    return args


def split_pipes(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Split ``command | filter arg | ...`` into the command and its output filters.

    Args:
        line: The line as typed.

    Returns:
        The command and a list of (filter, argument) with filter names expanded.

    Raises:
        ValueError: A filter is unknown.
    """
    command, *pipes = _PIPE.split(line)
    filters: list[tuple[str, str]] = []
    for pipe in pipes:
        word, _, arg = pipe.strip().partition(" ")
        matches = [f for f in PIPE_FILTERS if word and f.startswith(word.lower())]
        if len(matches) != 1:
            raise ValueError(pipe)
        filters.append((matches[0], arg.strip()))
    return command.strip(), filters


def apply_filters(text: str, filters: list[tuple[str, str]]) -> str:
    r"""Apply IOS output modifiers (``include``, ``exclude``, ``begin``, ``section``, ``count``).

    Args:
        text: Command output, ``\\n`` line ends.
        filters: From :func:`split_pipes`.

    Returns:
        The filtered output.
    """
    for name, arg in filters:
        try:
            pattern = re.compile(arg)
        except re.error:
            pattern = re.compile(re.escape(arg))
        lines = text.splitlines()
        if name == "include":
            lines = [x for x in lines if pattern.search(x)]
        elif name == "exclude":
            lines = [x for x in lines if not pattern.search(x)]
        elif name == "begin":
            start = next((i for i, x in enumerate(lines) if pattern.search(x)), len(lines))
            lines = lines[start:]
        elif name == "section":
            lines = _sections(lines, pattern)
        else:
            lines = [
                f"Number of lines which match regexp = {sum(1 for x in lines if pattern.search(x))}"
            ]
        text = "\n".join(lines) + ("\n" if lines else "")
    return text


def _sections(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Lines matching ``pattern`` with every more-indented line that follows them."""
    out: list[str] = []
    depth: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if depth is not None and indent > depth and line.strip():
            out.append(line)
            continue
        depth = None
        if pattern.search(line):
            out.append(line)
            depth = indent
    return out


def invalid_input(prompt: str, line: str, *, prefix: str = "") -> str:
    """Return IOS's answer to a command it does not know, caret under the first bad word.

    Args:
        prompt: The prompt the line was typed at (the caret is offset by its length).
        line: The line as typed.
        prefix: Text before the message (``ERROR: `` on an ASA).

    Returns:
        The caret line and the ``% Invalid input detected`` message.
    """
    words = line.split()
    offset = line.find(words[1]) if len(words) > 1 else line.find(words[0]) if words else 0
    return f"{' ' * (len(prompt) + max(offset, 0))}^\n{prefix}{IOS_INVALID_INPUT}\n\n"


class DeviceCli(ABC):
    """One interactive session's command line; one instance per SSH session.

    Args:
        host: The host's snapshot files.
        credentials: What ``enable`` accepts.
    """

    def __init__(self, host: HostFiles, credentials: LabCredentials) -> None:
        self.host = host
        self.credentials = credentials

    @property
    @abstractmethod
    def prompt(self) -> str:
        """The prompt shown now (depends on the mode)."""

    @abstractmethod
    def handle(self, line: str) -> Reply:
        """Answer one line typed at the prompt.

        Args:
            line: The line without its line end.

        Returns:
            What to write back.
        """

    def handle_secret(self, line: str) -> Reply:
        """Answer a line typed at a ``Password:`` prompt (not echoed).

        Args:
            line: The secret typed.

        Returns:
            What to write back.
        """
        return Reply()

    def banner(self) -> str:
        """Text shown before the first prompt.

        Returns:
            The login banner (empty by default).
        """
        return ""
