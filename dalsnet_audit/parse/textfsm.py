"""Show-command parsing through ntc-templates (TextFSM), with errors of our own."""

from __future__ import annotations

from typing import Any

from ntc_templates.parse import parse_output

from dalsnet_audit.errors import ParseError


def parse_show(platform: str, command: str, output: str) -> list[dict[str, Any]]:
    """Rows of `command`'s output on `platform` (ntc-templates names, e.g. `cisco_ios`).

    Raises:
        ParseError: ntc-templates has no template or the template rejects the text.
    """
    try:
        rows: list[dict[str, Any]] = parse_output(platform=platform, command=command, data=output)
    except Exception as exc:  # ntc-templates raises bare Exception / TextFSM errors
        raise ParseError(f"{command}: {exc}") from exc
    return rows
