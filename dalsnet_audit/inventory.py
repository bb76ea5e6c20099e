"""The Nornir inventory: SimpleInventory's files, read strictly once, validated, in `InitNornir`.

Structural fields (`platform`, `municipality`, `site`, `role`) are input: without them nothing
can be audited and loading fails (exit 2). Governance fields are what the audit checks (STD-004):
their absence is recorded, not refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from netaddr import AddrFormatError, IPAddress
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.filter import OR, F
from nornir.core.inventory import Group, Groups, Host, Hosts, Inventory, ParentGroups
from nornir.core.plugins.inventory import InventoryPluginRegister

# SimpleInventory's own builders: the plain inventory is built exactly as it builds its files.
from nornir.plugins.inventory.simple import _get_defaults, _get_inventory_element

from dalsnet_audit.errors import InventoryError
from dalsnet_audit.input_files import read_yaml
from dalsnet_audit.model.device import HostRecord, Platform, Role
from dalsnet_audit.paths import SAFE_NAME_RULE, is_safe_name
from dalsnet_audit.policy.models import Policy

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
FILTER_KEYS = ("municipality", "site", "role", "name", "platform")
_KNOWN_DATA = {
    "municipality",
    "site",
    "role",
    "system_owner",
    "operations",
    "service_agreement",
    "sensitive",
    "model",
    "snmp",
    "public_addresses",
    "allowed_roles",
}


def inventory_data(directory: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The hosts, groups and defaults of the SimpleInventory in `directory`, read strictly.

    Raises:
        InventoryError: a file is missing, not valid YAML, or not of SimpleInventory's shape.
    """
    contents: dict[str, Any] = {}
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        path = directory / name
        if not path.is_file():
            raise InventoryError(str(path), None, "file is missing")
        content = read_yaml(path, InventoryError)
        if content is not None and not isinstance(content, dict):
            raise InventoryError(str(path), None, "expected a mapping at the top level")
        contents[name] = content or {}
        entries = (content or {}).items() if name != "defaults.yaml" else [("defaults", content)]
        for key, value in entries:
            if name != "defaults.yaml" and value is not None and not isinstance(value, dict):
                raise InventoryError(str(path), str(key), "expected a mapping")
            if name == "hosts.yaml" and not (isinstance(key, str) and is_safe_name(key)):
                raise InventoryError(
                    str(path), str(key), f"not a safe host name ({SAFE_NAME_RULE})"
                )
            _check_shape(path, str(key), value or {})
    _check_groups(directory, contents["hosts.yaml"], contents["groups.yaml"])
    return contents["hosts.yaml"], contents["groups.yaml"], contents["defaults.yaml"]


def init_nornir(directory: Path, workers: int = 20) -> Nornir:
    """A Nornir on the SimpleInventory in `directory`, logging off, threaded runner.

    Raises:
        InventoryError: a file is missing or is not valid YAML / SimpleInventory.
    """
    hosts, groups, defaults = inventory_data(directory)
    try:
        return nornir_of(hosts, groups, defaults, workers)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InventoryError(
            str(directory / "hosts.yaml"), None, f"not a Nornir SimpleInventory: {exc}"
        ) from None


class PlainInventory:
    """A Nornir inventory plugin of SimpleInventory's shape, from data already read.

    The files are read once (strictly, `input_files`); a worker of the distributed audit
    builds its own Nornir from the plain data of its shard (connections are never pickled).
    """

    def __init__(
        self, hosts: dict[str, Any], groups: dict[str, Any], defaults: dict[str, Any]
    ) -> None:
        """The inventory of `hosts`, `groups` and `defaults` (SimpleInventory's files' data)."""
        self.hosts, self.groups, self.defaults = hosts, groups, defaults

    def load(self) -> Inventory:
        """The Nornir inventory, groups resolved as SimpleInventory resolves them."""
        defaults = _get_defaults(self.defaults or {})
        hosts = Hosts(
            (name, _get_inventory_element(Host, data or {}, name, defaults))
            for name, data in self.hosts.items()
        )
        groups = Groups(
            (name, _get_inventory_element(Group, data or {}, name, defaults))
            for name, data in self.groups.items()
        )
        for group in groups.values():
            # SimpleInventory's way: the names read are replaced by the groups they name.
            group.groups = ParentGroups([groups[g] for g in group.groups])  # type: ignore[index]
        for host in hosts.values():
            host.groups = ParentGroups([groups[g] for g in host.groups])  # type: ignore[index]
        return Inventory(hosts=hosts, groups=groups, defaults=defaults)


InventoryPluginRegister.register("DalsnetPlainInventory", PlainInventory)


def nornir_of(
    hosts: dict[str, Any], groups: dict[str, Any], defaults: dict[str, Any], workers: int = 20
) -> Nornir:
    """A Nornir (threaded runner, logging off) on an inventory's plain data."""
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={
            "plugin": "DalsnetPlainInventory",
            "options": {"hosts": hosts, "groups": groups, "defaults": defaults},
        },
        logging={"enabled": False},
    )


def _check_groups(directory: Path, hosts: dict[str, Any], groups: dict[str, Any]) -> None:
    """Every group a host or group names is defined in groups.yaml, and none includes itself."""
    for path, entries in ((directory / "hosts.yaml", hosts), (directory / "groups.yaml", groups)):
        for key, entry in entries.items():
            for group in (entry or {}).get("groups") or []:
                if group not in groups:
                    raise InventoryError(str(path), f"{key}.groups", f"unknown group {group!r}")
    done: set[str] = set()

    def visit(trail: list[str]) -> None:
        for parent in (groups.get(trail[-1]) or {}).get("groups") or []:
            if parent in trail:
                raise InventoryError(
                    str(directory / "groups.yaml"),
                    f"{trail[-1]}.groups",
                    f"groups include each other: {' -> '.join([*trail, parent])}",
                )
            if parent not in done:
                visit([*trail, parent])
        done.add(trail[-1])

    for start in groups:
        visit([start])


def _check_shape(path: Path, key: str, entry: dict[str, Any]) -> None:
    """`data` must be a mapping and `groups` a list, before Nornir reads them."""
    if entry.get("data") is not None and not isinstance(entry["data"], dict):
        raise InventoryError(str(path), f"{key}.data", "expected a mapping")
    port = entry.get("port")
    if port is not None and (
        isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535
    ):
        raise InventoryError(str(path), f"{key}.port", f"{port!r} is not a port 1..65535")
    if entry.get("hostname") is not None and not isinstance(entry["hostname"], str):
        raise InventoryError(str(path), f"{key}.hostname", "expected an address or a name")
    groups = entry.get("groups")
    if groups is not None and (
        not isinstance(groups, list) or not all(isinstance(g, str) for g in groups)
    ):
        raise InventoryError(str(path), f"{key}.groups", "expected a list of group names")
    data = entry.get("data") or {}
    for field in ("municipality", "role", "system_owner", "operations", "service_agreement"):
        value = data.get(field)
        if value is not None and not isinstance(value, str | int | float):
            raise InventoryError(str(path), f"{key}.data.{field}", "expected a single value")
    for field in ("public_addresses", "allowed_roles"):
        value = data.get(field)
        if value is not None and not isinstance(value, list):
            raise InventoryError(str(path), f"{key}.data.{field}", "expected a list")
    _check_snmp(path, key, data.get("snmp"))


def _check_snmp(path: Path, key: str, snmp: Any) -> None:
    """`data.snmp`: where and how a server's agent is polled."""
    if snmp is None:
        return
    where = f"{key}.data.snmp"
    if not isinstance(snmp, dict):
        raise InventoryError(str(path), where, "expected a mapping (port, version, context, host)")
    unknown = sorted(set(snmp) - {"port", "version", "context", "host"})
    if unknown:
        raise InventoryError(str(path), f"{where}.{unknown[0]}", "unknown key")
    port = snmp.get("port", 161)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise InventoryError(str(path), f"{where}.port", f"{port!r} is not a port 1..65535")
    if snmp.get("version", 3) not in (2, 3):
        raise InventoryError(str(path), f"{where}.version", "must be 2 (v2c) or 3")
    for field in ("context", "host"):
        if field in snmp and not isinstance(snmp[field], str):
            raise InventoryError(str(path), f"{where}.{field}", "expected text")


def _require(path: str, name: str, data: dict[str, Any], key: str) -> Any:
    if data.get(key) in (None, ""):
        raise InventoryError(path, f"{name}.data.{key}", "required field is missing")
    return data[key]


def host_record(nr: Nornir, name: str, policy: Policy, path: str) -> HostRecord:
    """Validate one Nornir host into a `HostRecord`.

    Raises:
        InventoryError: a structural field is missing or wrong (names host and key).
    """
    host = nr.inventory.hosts[name]
    data: dict[str, Any] = dict(host.items())
    unknown = sorted(set(host.data) - _KNOWN_DATA)
    if unknown:
        raise InventoryError(path, f"{name}.data.{unknown[0]}", "unknown key")
    if not host.platform:
        raise InventoryError(path, f"{name}.platform", "required field is missing")
    try:
        platform = Platform(host.platform)
    except ValueError:
        choices = ", ".join(p.value for p in Platform)
        raise InventoryError(
            path, f"{name}.platform", f"{host.platform!r} is not one of {choices}"
        ) from None
    municipality = _require(path, name, data, "municipality")
    shorts = {m.short for m in policy.plan.municipalities}
    known = shorts | {policy.plan.core.short}
    if municipality not in known:
        raise InventoryError(
            path,
            f"{name}.data.municipality",
            f"{municipality!r} is not one of {', '.join(sorted(known))}",
        )
    site_value = _require(path, name, data, "site")
    site = _site(path, name, municipality, site_value, policy)
    role = _require(path, name, data, "role")
    if role not in ROLES:
        raise InventoryError(
            path, f"{name}.data.role", f"{role!r} is not one of {', '.join(ROLES)}"
        )
    sensitive = data.get("sensitive", False)
    if not isinstance(sensitive, bool):
        raise InventoryError(path, f"{name}.data.sensitive", "must be true or false")
    if not host.hostname:
        raise InventoryError(path, f"{name}.hostname", "required field is missing")
    public = []
    for i, value in enumerate(data.get("public_addresses") or ()):
        try:
            public.append(IPAddress(str(value)))
        except (AddrFormatError, ValueError):
            raise InventoryError(
                path, f"{name}.data.public_addresses.{i}", f"{value!r} is not an address"
            ) from None
    allowed = data.get("allowed_roles")
    for i, value in enumerate(allowed or ()):
        if value not in ROLES:
            raise InventoryError(
                path,
                f"{name}.data.allowed_roles.{i}",
                f"{value!r} is not one of {', '.join(ROLES)}",
            )
    governance = {
        field: (str(data[field]) if data.get(field) not in (None, "") else None)
        for field in policy.standard.governance_fields
    }
    return HostRecord(
        name=name,
        hostname=str(host.hostname),
        platform=platform,
        municipality=str(municipality),
        site=site,
        role=Role(role),
        groups=tuple(group.name for group in host.groups),
        sensitive=sensitive,
        governance=dict(governance),
        public_addresses=tuple(public),
        allowed_roles=tuple(str(r) for r in allowed) if allowed else None,
    )


def _site(path: str, name: str, municipality: str, value: Any, policy: Policy) -> int | None:
    if municipality == policy.plan.core.short:
        if value != "core":
            raise InventoryError(path, f"{name}.data.site", "core devices have site: core")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InventoryError(path, f"{name}.data.site", f"{value!r} is not a site number")
    if not 1 <= value <= policy.plan.sites_per_municipality:
        raise InventoryError(
            path,
            f"{name}.data.site",
            f"{value} is outside 1..{policy.plan.sites_per_municipality}",
        )
    return value


def load_inventory(
    directory: Path, policy: Policy, workers: int = 20
) -> tuple[Nornir, list[HostRecord]]:
    """Load, validate and return the Nornir object with one record per host.

    Raises:
        InventoryError: anything structural is wrong; nothing is audited.
    """
    nr = init_nornir(directory, workers)
    path = str(directory / "hosts.yaml")
    if not nr.inventory.hosts:
        raise InventoryError(path, None, "no hosts")
    records = [host_record(nr, name, policy, path) for name in nr.inventory.hosts]
    return nr, records


def parse_filters(expressions: Iterable[str]) -> dict[str, list[str]]:
    """`["municipality=mel,aml", "role=sw"]` as `{"municipality": ["mel", "aml"], ...}`.

    Raises:
        InventoryError: an expression is not `key=value` with a known key.
    """
    filters: dict[str, list[str]] = {}
    for expression in expressions:
        key, sep, values = expression.partition("=")
        key = key.strip()
        if not sep or key not in FILTER_KEYS or not values:
            raise InventoryError(
                "--filter",
                expression,
                f"expected NAME=VALUE[,VALUE] with NAME one of {', '.join(FILTER_KEYS)}",
            )
        filters.setdefault(key, []).extend(v.strip() for v in values.split(",") if v.strip())
    return filters


def apply_filters(nr: Nornir, filters: dict[str, list[str]]) -> Nornir:
    """Nornir's own filtering: AND across keys, OR across the values of one key."""
    for key, values in filters.items():
        condition: F | OR | None = None
        for value in values:
            typed: Any = int(value) if key == "site" and value.isdigit() else value
            term = F(**{key: typed})
            condition = term if condition is None else condition | term
        if condition is not None:
            nr = nr.filter(condition)
    return nr
