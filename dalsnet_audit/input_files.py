"""Input files (inventory, policies, snapshot metadata) read strictly, every problem named.

A file that is missing, unreadable or not UTF-8 is an `InputError` naming it. YAML is read
with duplicate keys refused: PyYAML keeps the last of two equal keys without a word; in an
inventory that silently drops a host, in a policy a setting.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from dalsnet_audit.errors import InputError

# libyaml's parser when PyYAML has it; the constructor below is Python either way.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice."""

    def __init__(self, key: object, first_line: int, line: int) -> None:
        self.key = key
        self.first_line = first_line
        self.line = line
        where = f"line {line}" if first_line == line else f"lines {first_line} and {line}"
        super().__init__(None, None, f"{key!r} is given twice in one mapping ({where})")


class StrictLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """Safe loader that refuses a key given twice in one mapping, and keeps dates as text.

    PyYAML turns `2026-13-01` into a `ValueError` with no place in the file; kept as text, the
    models validate it and name the key.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Check for duplicate keys, then construct as the safe loader does."""
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    raise DuplicateKeyError(key, seen[key], line)
                seen[key] = line
            except TypeError:
                continue  # unhashable keys fail in the base constructor with its own message
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


# A file this large (an inventory of thousands of hosts) is parsed entry by entry: PyYAML holds
# the whole document's node graph while it builds it, some fifty times the text's size.
CHUNKED_FROM = 1_000_000  # characters
_TOP_KEY = re.compile(r"^(?![\s#\-]|\.\.\.|---)", re.MULTILINE)
_ANCHOR_OR_ALIAS = re.compile(r"(^|[\s\[{,:])[&*!][^\s]", re.MULTILINE)


def parse_yaml(
    text: str, path: Path, error: type[InputError] = InputError, chunked_from: int = CHUNKED_FROM
) -> Any:
    """Parse YAML `text` of `path`; syntax errors and duplicate keys become `error`.

    A large block mapping is parsed one top-level entry at a time, to the same result; a text
    that is not a plain block mapping (anchors, tags, several documents) or has an error is
    parsed whole, so that every error reads as before.

    Raises:
        InputError: (or the subclass `error`) naming the file, the key or line, and the problem.
    """
    if len(text) >= chunked_from:
        entries = _parse_entries(text, path, error)
        if entries is not None:
            return entries
    try:
        return yaml.load(text, Loader=StrictLoader)
    except DuplicateKeyError as exc:
        raise error(str(path), str(exc.key), str(exc.problem)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise error(str(path), where, f"invalid YAML: {exc}") from None
    except (ValueError, TypeError) as exc:
        raise error(str(path), None, f"invalid value: {exc}") from None


def _parse_entries(text: str, path: Path, error: type[InputError]) -> dict[Any, Any] | None:
    """A block mapping, entry by entry; None when the text is not one this can read alone."""
    if _ANCHOR_OR_ALIAS.search(text):
        return None
    starts = [m.start() for m in _TOP_KEY.finditer(text) if m.start() < len(text)]
    if not starts or (
        text[: starts[0]].strip(" \n")
        and not all(
            line.strip() in ("", "---") or line.lstrip().startswith("#")
            for line in text[: starts[0]].splitlines()
        )
    ):
        return None
    result: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    line, counted_to = 1, 0
    for i, start in enumerate(starts):
        line += text.count("\n", counted_to, start)  # counted on from the last entry
        counted_to = start
        chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        try:
            part = yaml.load(chunk, Loader=StrictLoader)
        except (yaml.YAMLError, ValueError, TypeError):
            return None  # parsed whole, the error is told with its place in the file
        if not isinstance(part, dict) or len(part) != 1:
            return None
        ((key, value),) = part.items()
        if key in result:
            raise error(str(path), str(key), str(DuplicateKeyError(key, lines[key], line).problem))
        result[key], lines[key] = value, line
    return result


def read_text(path: Path, error: type[InputError] = InputError) -> str:
    """The UTF-8 text of an input file.

    Raises:
        InputError: (or `error`) the file is missing, unreadable or not UTF-8.
    """
    if path.exists() and not path.is_file():
        raise error(str(path), None, "is not a regular file")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(str(path), None, "file is missing") from None
    except UnicodeDecodeError as exc:
        raise error(str(path), None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise error(str(path), None, f"cannot read: {exc.strerror}") from None


def read_yaml(path: Path, error: type[InputError] = InputError) -> Any:
    """Read and parse one YAML file; I/O, encoding and syntax problems become `error`.

    Raises:
        InputError: (or `error`) naming the file and what is wrong with it.
    """
    return parse_yaml(read_text(path, error), path, error)
