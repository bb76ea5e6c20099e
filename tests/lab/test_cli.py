"""The simulated command lines without SSH: modes, abbreviations, pipes, derived outputs."""

from __future__ import annotations

from dalsnet_audit.lab.cli_asa import AsaCli
from dalsnet_audit.lab.cli_common import HostFiles, apply_filters, split_pipes
from dalsnet_audit.lab.cli_ios import IosCli
from dalsnet_audit.lab.cli_linux import LinuxCli
from dalsnet_audit.lab.credentials import lab_credentials
from tests.lab.conftest import SNAPSHOT

CREDS = lab_credentials({})


def host(name: str, platform: str, **data: str) -> HostFiles:
    return HostFiles.in_snapshot(SNAPSHOT, name, platform, dict(data))


def enabled_ios(name: str = "ben-01-sw01") -> IosCli:
    cli = IosCli(host(name, "ios"), CREDS)
    assert cli.prompt == f"{name}>"
    assert cli.handle("en").secret
    assert cli.handle_secret("wrong").output.startswith("% Bad secrets")
    assert cli.prompt == f"{name}>"
    cli.handle("enable")
    cli.handle_secret(CREDS.enable)
    assert cli.prompt == f"{name}#"
    return cli


def test_pipes_keep_regex_alternation() -> None:
    assert split_pipes("sh run | i ntp|logging") == ("sh run", [("include", "ntp|logging")])
    assert split_pipes("show run | section line | exclude exec") == (
        "show run",
        [("section", "line"), ("exclude", "exec")],
    )
    text = "line con 0\n exec-timeout 5 0\nline vty 0 4\n transport input ssh\nntp server 1.2.3.4\n"
    assert apply_filters(text, [("section", "^line vty")]) == "line vty 0 4\n transport input ssh\n"
    assert apply_filters(text, [("begin", "vty"), ("count", "ssh")]) == (
        "Number of lines which match regexp = 1\n"
    )


def test_ios_privilege_abbreviations_and_invalid_input() -> None:
    user = IosCli(host("ben-01-sw01", "ios"), CREDS)
    assert "% Invalid input detected" in user.handle("show running-config").output
    cli = enabled_ios()
    assert cli.handle("sh run | i ^hostname").output == "hostname ben-01-sw01\n"
    assert cli.handle("show ip int br").output.startswith("Interface ")
    assert "% Invalid input detected at '^' marker." in cli.handle("show bogus").output
    assert cli.handle("terminal length 0").output == ""
    assert cli.handle("exit").close


def test_ios_router_has_no_vlan_database() -> None:
    cli = enabled_ios("ben-01-rtr01")
    assert "% Invalid input detected" in cli.handle("show vlan brief").output
    assert "Internet address is 10.40.0.11/32" in cli.handle("show ip interface").output


def test_asa_and_linux() -> None:
    asa = AsaCli(host("ben-01-fw01", "asa"), CREDS)
    assert "Current privilege level : 1" in asa.handle("show curpriv").output
    assert asa.handle("show bogus").output.splitlines()[1].startswith("ERROR: % Invalid input")
    linux = LinuxCli(host("ben-01-srv02", "linux", model="Debian 12"), CREDS)
    assert linux.prompt == "dalsnet@ben-01-srv02:~$ "
    assert linux.handle("uname -a").output.startswith("Linux ben-01-srv02 6.1.0-27-amd64")
    assert linux.handle("ls -l").output == "-bash: ls: command not found\n"
