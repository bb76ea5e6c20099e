"""Each host's own known_hosts lines: the same keys accepted and refused as the whole file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from paramiko import ECDSAKey
from paramiko.hostkeys import HostKeys, InvalidHostKey

from dalsnet_audit.collect.host_keys import HostKeyFiles, KeyTarget, openssh_name
from dalsnet_audit.paths import PathEscapeError

TARGETS = [
    KeyTarget("sw-plain", "127.0.0.1", 30001),
    KeyTarget("sw-port22", "10.0.0.5", 22),
    KeyTarget("sw-listed", "127.0.0.1", 30002),
    KeyTarget("sw-hashed", "127.0.0.1", 30003),
    KeyTarget("sw-absent", "127.0.0.1", 30004),
    KeyTarget("sw-two-keys", "127.0.0.1", 30005),
]


def _key_line(names: str, key: object) -> str:
    return f"{names} {key.get_name()} {key.get_base64()}"  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def keys() -> dict[str, object]:
    return {name: ECDSAKey.generate() for name in ("a", "b", "c", "d", "e", "f")}


@pytest.fixture
def known_hosts(tmp_path: Path, keys: dict[str, object]) -> Path:
    hashed = HostKeys.hash_host("[127.0.0.1]:30003")
    path = tmp_path / "known_hosts"
    path.write_text(
        "\n".join(
            [
                "# a comment, then a blank line",
                "",
                _key_line("[127.0.0.1]:30001", keys["a"]),
                _key_line("10.0.0.5", keys["b"]),
                _key_line("other.example,[127.0.0.1]:30002", keys["c"]),
                _key_line(hashed, keys["d"]),
                _key_line("[127.0.0.1]:30005", keys["e"]),
                _key_line("[127.0.0.1]:30005", keys["f"]),
                _key_line("@revoked [127.0.0.1]:30001", keys["f"]),
                "[127.0.0.1]:30001 truncated-line",
            ]
        )
        + "\n"
    )
    return path


def _whole_file(path: Path) -> HostKeys:
    keys = HostKeys()
    keys.load(str(path))
    return keys


def test_each_host_sees_exactly_what_the_whole_file_says(known_hosts: Path) -> None:
    readable = known_hosts.with_name("readable")
    readable.write_text(
        "".join(line + "\n" for line in known_hosts.read_text().splitlines() if "@" not in line)
    )
    whole = _whole_file(readable)
    with HostKeyFiles(known_hosts, TARGETS) as files:
        for target in TARGETS:
            if target.name == "sw-plain":
                continue  # named by the @revoked line: see the test below
            name = openssh_name(target.hostname, target.port)
            own = _whole_file(files.path(target.name))
            expected = whole.lookup(name)
            found = own.lookup(name)
            assert (dict(found) if found else None) == (dict(expected) if expected else None), (
                target.name
            )


def test_a_revoked_key_fails_only_the_host_it_names(known_hosts: Path) -> None:
    """paramiko cannot read `@revoked`: it refuses the file, so that host is never accepted."""
    with pytest.raises(InvalidHostKey):
        _whole_file(known_hosts)
    with HostKeyFiles(known_hosts, TARGETS) as files:
        with pytest.raises(InvalidHostKey):
            _whole_file(files.path("sw-plain"))
        assert _whole_file(files.path("sw-listed")).lookup("[127.0.0.1]:30002")


def test_a_host_is_given_its_own_keys_only(known_hosts: Path, keys: dict[str, object]) -> None:
    with HostKeyFiles(known_hosts, TARGETS) as files:
        plain = files.path("sw-plain").read_text()
        assert plain.splitlines() == [
            _key_line("[127.0.0.1]:30001", keys["a"]),
            _key_line("@revoked [127.0.0.1]:30001", keys["f"]),
        ]
        assert files.path("sw-absent").read_text() == ""
        assert len(files.path("sw-hashed").read_text().splitlines()) == 1
        assert len(files.path("sw-two-keys").read_text().splitlines()) == 2


def test_a_changed_key_is_still_refused(known_hosts: Path, keys: dict[str, object]) -> None:
    with HostKeyFiles(known_hosts, TARGETS) as files:
        own = _whole_file(files.path("sw-port22"))
        assert own.check("10.0.0.5", keys["b"])  # type: ignore[arg-type]
        assert not own.check("10.0.0.5", keys["a"])  # type: ignore[arg-type]
        assert not own.check("[127.0.0.1]:30001", keys["a"])  # type: ignore[arg-type]


def test_files_are_private_and_removed(known_hosts: Path) -> None:
    with HostKeyFiles(known_hosts, TARGETS) as files:
        directory = files.path("sw-plain").parent
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert not directory.exists()


def test_no_source_gives_empty_files(tmp_path: Path) -> None:
    with HostKeyFiles(tmp_path / "missing", TARGETS[:1]) as files:
        assert files.path("sw-plain").read_text() == ""


def test_a_name_that_leaves_the_directory_is_refused(known_hosts: Path) -> None:
    with (
        pytest.raises(PathEscapeError),
        HostKeyFiles(known_hosts, [KeyTarget("../x", "127.0.0.1", 1)]),
    ):
        pass


def test_an_unreadable_hashed_name_is_left_to_paramiko_for_every_host(
    tmp_path: Path, keys: dict[str, object]
) -> None:
    path = tmp_path / "known_hosts"
    path.write_text(_key_line("|1|not*base64|xyz", keys["a"]) + "\n")
    with HostKeyFiles(path, TARGETS[:2]) as files:
        for target in TARGETS[:2]:
            assert files.path(target.name).read_text() == path.read_text()
