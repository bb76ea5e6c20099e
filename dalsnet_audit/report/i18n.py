"""Message catalogues for the reports, one per language.

Every ``templates/i18n/*.<lang>.yaml`` file is a nested mapping; all files of one language
are merged into one catalogue, so that report words (``ui.*.yaml``) and the engine's finding
messages (``findings.*.yaml``) can live in separate files. Keys are addressed with dots:
``ui.summary.title``.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import yaml

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "sv")


class _MessageFormatter(string.Formatter):
    """`str.format`, plus `{name:genitive}`: the Swedish genitive of a name.

    A name that ends in s, x or z takes none (Bengtsfors adressblock), any other an s
    (Färgelandas, Dals-Eds adressblock).
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "genitive":
            name = str(value)
            return name if name.lower().endswith(("s", "x", "z")) else f"{name}s"
        return str(super().format_field(value, format_spec))


_FORMATTER = _MessageFormatter()

Messages: TypeAlias = dict[str, Any]


class Catalogue:
    """The merged messages of one language.

    Attributes:
        lang: Language code, one of ``SUPPORTED_LANGUAGES``.
        templates_dir: The templates directory the catalogue was loaded from, if any.
    """

    def __init__(
        self, lang: str, messages: Mapping[str, Any], templates_dir: Path | None = None
    ) -> None:
        self.lang = check_language(lang)
        self.templates_dir = templates_dir
        self._messages: Messages = _normalise(messages, source="<messages>", path="")

    @classmethod
    def load(cls, templates_dir: Path, lang: str) -> Catalogue:
        """Load and merge every ``i18n/*.<lang>.yaml`` file under a templates directory.

        Args:
            templates_dir: The directory holding ``i18n/``.
            lang: Language code, ``en`` or ``sv``.

        Returns:
            The merged catalogue.

        Raises:
            ValueError: The language is not supported, no file exists for it, a file is not
                a mapping, or two files define the same key differently.
        """
        lang = check_language(lang)
        files = sorted((templates_dir / "i18n").glob(f"*.{lang}.yaml"))
        if not files:
            msg = f"no message catalogue for language {lang!r} in {templates_dir / 'i18n'}"
            raise ValueError(msg)
        merged: Messages = {}
        for file in files:
            _merge(merged, _read(file), source=str(file), path="")
        return cls(lang, merged, templates_dir)

    def t(self, key: str, **params: Any) -> str:
        """Translate a dotted key, filling ``str.format`` placeholders from ``params``.

        Args:
            key: Dotted key, e.g. ``ui.summary.title``.
            **params: Values for the message's ``{placeholders}``.

        Returns:
            The message in this catalogue's language.

        Raises:
            KeyError: The key is unknown, names a group rather than a message, or a
                placeholder has no value.
        """
        text = self._lookup(key)
        if not isinstance(text, str):
            msg = f"message key {key!r} is a group, not a message (lang {self.lang!r})"
            raise KeyError(msg)
        try:
            return _FORMATTER.format(text, **params) if params else text
        except (KeyError, IndexError) as exc:
            msg = f"message {key!r} (lang {self.lang!r}) needs parameter {exc}"
            raise KeyError(msg) from exc

    def has(self, key: str) -> bool:
        """Tell whether ``key`` names a message in this catalogue.

        Args:
            key: Dotted key.

        Returns:
            True when ``t(key)`` would find a message.
        """
        try:
            return isinstance(self._lookup(key), str)
        except KeyError:
            return False

    def keys(self, prefix: str = "") -> frozenset[str]:
        """List every message key, optionally only those under a dotted prefix.

        Args:
            prefix: A group such as ``ui``; empty for all keys.

        Returns:
            The dotted keys of all messages.
        """
        found = frozenset(_flatten(self._messages, ""))
        if not prefix:
            return found
        return frozenset(k for k in found if k == prefix or k.startswith(prefix + "."))

    def _lookup(self, key: str) -> Any:
        node: Any = self._messages
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                msg = f"unknown message key {key!r} for lang {self.lang!r}"
                raise KeyError(msg)
            node = node[part]
        return node


def check_language(lang: str) -> str:
    """Validate a report language code.

    Args:
        lang: Language code.

    Returns:
        The code unchanged.

    Raises:
        ValueError: The language is not one of ``SUPPORTED_LANGUAGES``.
    """
    if lang not in SUPPORTED_LANGUAGES:
        msg = (
            f"unsupported report language {lang!r}; choose one of {', '.join(SUPPORTED_LANGUAGES)}"
        )
        raise ValueError(msg)
    return lang


def _read(file: Path) -> Messages:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if data is None:
        return {}
    if not isinstance(data, dict):
        msg = f"{file}: a message catalogue must be a mapping, not {type(data).__name__}"
        raise ValueError(msg)
    return _normalise(data, source=str(file), path="")


def _normalise(data: Mapping[Any, Any], *, source: str, path: str) -> Messages:
    """Turn YAML keys into strings (``0:`` is an int in YAML) and leaves into text."""
    result: Messages = {}
    for raw_key, value in data.items():
        key = str(raw_key)
        where = f"{path}.{key}" if path else key
        if isinstance(value, Mapping):
            result[key] = _normalise(value, source=source, path=where)
        elif isinstance(value, str | int | float):
            result[key] = str(value)
        else:
            msg = f"{source}: message {where!r} must be text or a mapping"
            raise ValueError(msg)
    return result


def _merge(target: Messages, extra: Messages, *, source: str, path: str) -> None:
    for key, value in extra.items():
        where = f"{path}.{key}" if path else key
        if key not in target:
            target[key] = value
        elif isinstance(target[key], dict) and isinstance(value, dict):
            _merge(target[key], value, source=source, path=where)
        elif target[key] != value:
            msg = f"{source}: message {where!r} is already defined differently in another file"
            raise ValueError(msg)


def _flatten(node: Messages, prefix: str) -> Iterator[str]:
    for key, value in node.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, dotted)
        else:
            yield dotted
