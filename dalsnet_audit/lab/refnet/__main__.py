"""Command line: ``python -m dalsnet_audit.lab.refnet --snapshot DIR --inventory DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dalsnet_audit.lab.refnet.build import write_reference


def main(argv: list[str] | None = None) -> int:
    """Write the reference inventory and snapshot.

    Args:
        argv: Arguments without the program name; default ``sys.argv[1:]``.

    Returns:
        Process exit code.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dalsnet_audit.lab.refnet",
        description="(Re)write the reference Dalslandsnätet inventory and snapshot.",
    )
    parser.add_argument("--snapshot", type=Path, default=Path("snapshots/reference"))
    parser.add_argument("--inventory", type=Path, default=Path("inventory"))
    args = parser.parse_args(argv)
    written = write_reference(args.snapshot, args.inventory)
    print(f"wrote {len(written)} files under {args.snapshot} and {args.inventory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
