"""Show-command parsing with ntc-templates' TextFSM templates, with errors of our own.

ntc-templates' `parse_output` re-reads its index and recompiles the template on every call
(about 3.5 ms for a `show version`); the template of each (platform, command) is located
once through the same index and kept, so a nightly run of hundreds of devices pays once.
"""

from __future__ import annotations

import io
import os
from functools import cache
from pathlib import Path
from typing import Any

import ntc_templates
import textfsm
from textfsm import clitable

from dalsnet_audit.errors import ParseError


def _template_dir() -> str:
    """ntc-templates' own rule: `NTC_TEMPLATES_DIR`, else the templates inside the package."""
    return os.environ.get("NTC_TEMPLATES_DIR") or str(
        Path(ntc_templates.__file__).parent / "templates"
    )


@cache
def _template(platform: str, command: str) -> str:
    directory = _template_dir()
    table = clitable.CliTable("index", directory)
    row = table.index.GetRowMatch({"Command": command, "Platform": platform})
    if not row:
        raise ParseError(f"{command}: ntc-templates has no template for {platform}")
    name = str(table.index.index[row]["Template"]).split(":")[0]
    return (Path(directory) / name).read_text(encoding="utf-8")


def parse_show(platform: str, command: str, output: str) -> list[dict[str, Any]]:
    """Rows of `command`'s output on `platform` (ntc-templates names, e.g. `cisco_ios`).

    Raises:
        ParseError: ntc-templates has no template or the template rejects the text.
    """
    try:
        fsm = textfsm.TextFSM(io.StringIO(_template(platform, command)))
        rows: list[dict[str, Any]] = fsm.ParseTextToDicts(output)
    except (textfsm.TextFSMError, textfsm.TextFSMTemplateError) as exc:
        raise ParseError(f"{command}: {exc}") from exc
    return [{key.lower(): value for key, value in row.items()} for row in rows]
