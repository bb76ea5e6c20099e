"""The values rules write (a finding's expected and actual text), in the report's language.

Rules write these values in English, like a gettext message id with its values filled in:
`at most 1 local account(s)`. `templates/i18n/values/<lang>.yaml` maps each English template
(`at most {count} local account(s)`) to the language's text (`högst {count} lokala konton`);
the values in braces are carried over. A value joined from parts with "; " or ", " is
translated part by part; a text no template matches is shown as written (it is configuration
text: a command, an address, a line). English needs no file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_SEPARATORS = ("; ", ", ")
_COMMENT = re.compile(r"^(\s*[!#]\s*)(\S.*)$")


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    target: str
    literal: int  # characters outside placeholders: the more, the more specific


def _compile(source: str, target: str) -> _Template:
    parts, position, literal = [], 0, 0
    for match in _PLACEHOLDER.finditer(source):
        parts.append(re.escape(source[position : match.start()]))
        literal += match.start() - position
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(source[position:]))
    literal += len(source) - position
    return _Template(re.compile("".join(parts), re.DOTALL), target, literal)


class ValueCatalogue:
    """English value templates and their text in one language."""

    def __init__(self, lang: str, entries: dict[str, str]) -> None:
        self.lang = lang
        self._words = {k: v for k, v in entries.items() if not _PLACEHOLDER.search(k)}
        self._templates = sorted(
            (_compile(k, v) for k, v in entries.items() if _PLACEHOLDER.search(k)),
            key=lambda t: -t.literal,
        )

    @classmethod
    def load(cls, templates_dir: Path, lang: str) -> ValueCatalogue:
        """The catalogue of `lang` (empty for English or a language without a file).

        Raises:
            ValueError: the file is not a mapping of strings.
        """
        return _load(templates_dir.resolve(), lang)

    def translate(self, text: str | None) -> str | None:
        """`text` in the catalogue's language, as far as a template matches it.

        A value joined with "; " is read part by part unless one template matches it whole
        without a placeholder spanning a "; " (`{a} -> {b}: only {services}` must not swallow
        `gast -> adm: denied; gast -> ped: ...`); ", " joins are tried after whole templates,
        since a placeholder often holds a list (`roles {roles}`).
        """
        if not text or not (self._words or self._templates):
            return text
        steps = (((", ",), "; "), (_SEPARATORS, ", "))
        for across, separator in steps:
            whole = self._one(text, across)
            if whole is not None:
                return whole
            if separator in text:
                parts = text.split(separator)
                shown = [self.translate(part) or part for part in parts]
                if shown != parts:
                    return separator.join(shown)
        return text

    def comments(self, text: str | None) -> str | None:
        """A fix (configuration or shell text) with its comment lines (`!`, `#`) translated."""
        if not text or not (self._words or self._templates):
            return text
        lines = []
        for line in text.split("\n"):
            comment = _COMMENT.match(line)
            shown = self._one(comment.group(2), _SEPARATORS) if comment else None
            lines.append(comment.group(1) + shown if comment and shown is not None else line)
        return "\n".join(lines)

    def _one(self, text: str, across: tuple[str, ...] = ()) -> str | None:
        """The text of the one word or template matching `text` whole.

        `across`: the separators a placeholder's value may hold (others make the match fail).
        """
        if text in self._words:
            return self._words[text]
        barred = [s for s in _SEPARATORS if s not in across]
        for template in self._templates:
            match = template.pattern.fullmatch(text)
            if match and not any(s in v for v in match.groupdict().values() for s in barred):
                values = {k: self._words.get(v, v) for k, v in match.groupdict().items()}
                return template.target.format(**values)
        return None


@functools.cache
def _load(templates_dir: Path, lang: str) -> ValueCatalogue:
    path = templates_dir / "i18n" / "values" / f"{lang}.yaml"
    if not path.is_file():
        return ValueCatalogue(lang, {})
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        msg = f"{path}: not a mapping of English text to {lang} text"
        raise ValueError(msg)
    return ValueCatalogue(lang, data)


Translate = Callable[[str | None], str | None]

__all__ = ["Translate", "ValueCatalogue"]
