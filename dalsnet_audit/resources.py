"""Files the package carries: report templates, message catalogues, the reference inputs.

They live at the top of the repository (`templates/`, `inventory/`, `policies/`) and reach
the package as `dalsnet_audit/templates` and `dalsnet_audit/reference/{inventory,policies}`
(links in a checkout, copies in a wheel). They are found through `importlib.resources`, so an
installed wheel works from any directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "dalsnet_audit"


def package_dir(*parts: str) -> Path:
    """A directory the package carries, as a file-system path.

    Raises:
        FileNotFoundError: the installation lacks it (a broken or partial install).
    """
    traversable = resources.files(PACKAGE).joinpath(*parts)
    path = Path(str(traversable))
    if not path.is_dir():
        raise FileNotFoundError(f"the installed package has no {'/'.join(parts)} ({path})")
    return path


def templates_dir() -> Path:
    """Report templates, remediation templates and the message catalogues (`i18n/`)."""
    return package_dir("templates")


def reference_dir(name: str) -> Path:
    """The reference `inventory` or `policies` of Dalslandsnätet (what `init` writes)."""
    return package_dir("reference", name)
