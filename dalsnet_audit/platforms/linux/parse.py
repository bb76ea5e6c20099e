"""Linux command outputs: package lists, service state, ClamAV's signature database.

Fixtures of real output are under tests/fixtures/real/linux (provenance in SOURCE.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Final

from dalsnet_audit.errors import ParseError
from dalsnet_audit.model.device import ServerInfo, ServiceState, SignatureInfo
from dalsnet_audit.model.raw import command_slug
from dalsnet_audit.parse.blocks import device_lines
from dalsnet_audit.platforms.linux.timekeeping import (
    RSYSLOG_CONF,
    TIMEDATECTL,
    TIMESYNC,
    parse_rsyslog,
    read_timesync,
)

# The SSH commands the collectors send to Linux servers, by purpose.
DPKG = "dpkg-query -W"
RPM = "rpm -qa"
CLAMD_ACTIVE = "systemctl is-active clamav-daemon"
SIGTOOL_CLD = "sigtool --info /var/lib/clamav/daily.cld"
SIGTOOL_CVD = "sigtool --info /var/lib/clamav/daily.cvd"
OS_RELEASE = "cat /etc/os-release"
LINUX_COMMANDS: Final = (
    "uname -a",
    OS_RELEASE,
    DPKG,
    RPM,
    CLAMD_ACTIVE,
    SIGTOOL_CLD,
    SIGTOOL_CVD,
    RSYSLOG_CONF,
    TIMEDATECTL,
    TIMESYNC,
)

_SERVICE_STATES = {
    "active",
    "inactive",
    "failed",
    "activating",
    "deactivating",
    "reloading",
    "unknown",
}
_BUILD_TIME = re.compile(r"^Build time:\s*(?P<when>.+?)\s*$", re.MULTILINE)
_VERSION = re.compile(r"^Version:\s*(?P<version>\S+)\s*$", re.MULTILINE)


def parse_dpkg_query(output: str) -> tuple[str, ...]:
    """`dpkg-query -W`: one `package<TAB>version` line per package -> `package version`."""
    packages = []
    for line in device_lines(output):
        name, sep, version = line.partition("\t")
        if sep and name and " " not in name:
            packages.append(f"{name} {version}".strip())
    if not packages:
        raise ParseError("dpkg-query -W: no package line")
    return tuple(packages)


def parse_rpm_qa(output: str) -> tuple[str, ...]:
    """`rpm -qa`: one `name-version-release.arch` per line."""
    packages = tuple(
        line.strip() for line in device_lines(output) if re.match(r"^\S+-\S+-\S+$", line.strip())
    )
    if not packages:
        raise ParseError("rpm -qa: no package line")
    return packages


def parse_is_active(output: str) -> str:
    """`systemctl is-active UNIT`: its one-word state."""
    state = device_lines(output.strip())[-1].strip() if output.strip() else ""
    if state not in _SERVICE_STATES:
        raise ParseError(f"systemctl is-active: unexpected output {state[:40]!r}")
    return state


def parse_sigtool_info(output: str) -> tuple[dt.datetime, str | None, str]:
    """`sigtool --info daily.cld|cvd`: build time (UTC), database version and evidence line.

    A build time without an offset is taken as UTC.

    Raises:
        ParseError: no `Build time:` line, or one in a form sigtool does not print.
    """
    match = _BUILD_TIME.search(output)
    if match is None:
        raise ParseError("sigtool --info: no 'Build time' line")
    when = match.group("when")
    for pattern in ("%d %b %Y %H:%M %z", "%d %b %Y %H-%M %z", "%d %b %Y %H:%M"):
        try:
            built = dt.datetime.strptime(when, pattern)
        except ValueError:
            continue
        version = _VERSION.search(output)
        built = built.replace(tzinfo=dt.UTC) if built.tzinfo is None else built.astimezone(dt.UTC)
        return built, version.group("version") if version else None, match.group(0)
    raise ParseError(f"sigtool --info: unreadable build time {when!r}")


# os-release ID -> the name the standard (policies/standard.yaml) gives the distribution.
_DISTRIBUTIONS = {"debian": "Debian", "ubuntu": "Ubuntu", "rhel": "RHEL"}
_OS_RELEASE_LINE = re.compile(r'^([A-Z_]+)=("?)(.*)\2$')


def parse_os_release(text: str) -> tuple[str, str, str]:
    """(model, version, line) of `/etc/os-release` (os-release(5)): `Debian 12`, `12`, its line.

    The model is the distribution as the standard names it and its `VERSION_ID`; the line is
    `PRETTY_NAME`, the evidence.

    Raises:
        ParseError: no `ID` or `VERSION_ID`.
    """
    fields: dict[str, str] = {}
    lines: dict[str, str] = {}
    for line in device_lines(text):
        match = _OS_RELEASE_LINE.match(line.strip())
        if match:
            fields[match.group(1)] = match.group(3)
            lines[match.group(1)] = line
    if "ID" not in fields or "VERSION_ID" not in fields:
        raise ParseError("os-release without ID or VERSION_ID")
    name = _DISTRIBUTIONS.get(fields["ID"], fields.get("NAME", fields["ID"]))
    evidence = lines.get("PRETTY_NAME", lines["VERSION_ID"])
    return f"{name} {fields['VERSION_ID']}", fields["VERSION_ID"], evidence


def with_ssh_outputs(server: ServerInfo, shows: dict[str, str]) -> ServerInfo:
    """`server` completed with what SSH showed (packages, clamd state, signature date).

    Outputs that are absent or say the command does not exist leave the field as it was;
    an output in an unexpected form raises, so the host is `parse_error`, never silently blank.

    Raises:
        ParseError: an output the parsers do not understand.
    """

    def output(command: str, missing_files_allowed: bool = False) -> str | None:
        text = shows.get(command_slug(command))
        if (
            text is None
            or "command not found" in text
            or ("No such file" in text and not missing_files_allowed)
            or "ERROR" in text[:200]
        ):
            return None
        return text

    packages, package_source = server.packages, server.package_source
    if (text := output(DPKG)) is not None:
        packages, package_source = parse_dpkg_query(text), DPKG
    elif (text := output(RPM)) is not None:
        packages, package_source = parse_rpm_qa(text), RPM
    services = list(server.services)
    if (text := output(CLAMD_ACTIVE)) is not None:
        try:
            state = parse_is_active(text)
        except ParseError:
            # No systemd (a container), or a unit it does not know: the state is unknown.
            state = "unknown"
        services.append(ServiceState("clamav-daemon", state, CLAMD_ACTIVE))
    signatures = list(server.signatures)
    for command in (SIGTOOL_CLD, SIGTOOL_CVD):
        if (text := output(command)) is not None:
            built, version, line = parse_sigtool_info(text)
            signatures.append(
                SignatureInfo("ClamAV", built.date(), version, command, line, built_at=built)
            )
            break
    facts = server.facts
    if (text := output(OS_RELEASE)) is not None:
        model, version, line = parse_os_release(text)
        facts = replace(facts, model=model, os_version=version, source=OS_RELEASE)
    logging = server.logging
    if (text := output(RSYSLOG_CONF, missing_files_allowed=True)) is not None:
        logging = parse_rsyslog(text)
    time_sync = server.time_sync
    show, show_timesync = output(TIMEDATECTL), output(TIMESYNC)
    if show is not None and show_timesync is not None:
        time_sync = read_timesync(show, show_timesync)
    return replace(
        server,
        logging=logging,
        time_sync=time_sync,
        facts=facts,
        packages=packages,
        package_source=package_source,
        services=tuple(services),
        signatures=tuple(signatures),
    )
