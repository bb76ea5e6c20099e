"""History stores to test against: a SQLite file, and a real PostgreSQL server on 127.0.0.1.

The PostgreSQL server is Debian's `postgresql` (`initdb` and `pg_ctl` in a temporary
directory, trust authentication on loopback, a free port); without it installed those tests
are skipped and say why. As root, the server runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bin() -> Path | None:
    """PostgreSQL's binaries: $DALSNET_PG_BIN if set, else `pg_ctl` on PATH or Debian's."""
    if "DALSNET_PG_BIN" in os.environ:
        chosen = Path(os.environ["DALSNET_PG_BIN"])
        return chosen if (chosen / "pg_ctl").is_file() else None
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the session, on 127.0.0.1 only; stopped afterwards."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL is not installed (Debian package postgresql); "
            "`make test` installs it where it runs as root"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server")
    base = Path(tempfile.mkdtemp(prefix="dalsnet-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "dalsnet",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={base}"
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        yield f"postgresql://dalsnet@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty history store of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "var" / "history.sqlite")
        return
    server: str = request.getfixturevalue("postgres_url")
    database = f"h{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = _admin(server)
    admin(f'CREATE DATABASE "{database}"')
    try:
        yield server.rsplit("/", 1)[0] + f"/{database}"
    finally:
        admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _admin(server: str):
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need it

    def run(sql: str) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql)

    return run
