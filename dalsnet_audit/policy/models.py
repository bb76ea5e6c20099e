"""Validated, frozen models of `policies/*.yaml`.

Unknown keys are refused (`extra="forbid"`), prefixes are parsed with netaddr and must be
network addresses, and cross-field checks (overlapping blocks, duplicate VLANs) run on load.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, Literal

from netaddr import AddrFormatError, IPAddress, IPNetwork
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from dalsnet_audit.model.enums import Role as DeviceRole
from dalsnet_audit.model.enums import Severity

SEVERITY_ORDER: dict[str, int] = {severity.value: severity.rank for severity in Severity}


def _to_network(value: Any) -> IPNetwork:
    if isinstance(value, IPNetwork):
        return value
    try:
        net = IPNetwork(str(value))
    except (AddrFormatError, ValueError) as exc:
        raise ValueError(f"not an IPv4 prefix: {value!r}") from exc
    if "/" not in str(value):
        raise ValueError(f"prefix length missing: {value!r}")
    if net.ip != net.network:
        raise ValueError(f"{value} has host bits set; the network is {net.cidr}")
    return net


def _to_address(value: Any) -> IPAddress:
    try:
        return IPAddress(str(value))
    except (AddrFormatError, ValueError) as exc:
        raise ValueError(f"not an IPv4 address: {value!r}") from exc


Network = Annotated[IPNetwork, BeforeValidator(_to_network)]
Address = Annotated[IPAddress, BeforeValidator(_to_address)]


class Frozen(BaseModel):
    """Base of every policy model: immutable, strict about keys, netaddr types allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Municipality(Frozen):
    """One municipality (or the shared core) and its address block."""

    short: str = Field(pattern=r"^[a-z]{3}$")
    name: str
    # The name in a report language where it differs (`{en: "Dalslandsnätet (shared core)"}`).
    names: dict[str, str] = Field(default_factory=dict)
    code: str | None = None
    block: Network
    group: str

    def name_in(self, lang: str) -> str:
        """The name a report in `lang` shows."""
        return self.names.get(lang, self.name)


class CoreVlan(Frozen):
    """A VLAN of the shared core that is not a per-site role VLAN."""

    id: int = Field(ge=1, le=4094)
    name: str
    block: Network


class Core(Municipality):
    """The shared core 10.40.0.0/16 and its sub-blocks."""

    loopbacks: Network
    links: Network
    services: Network
    remote_access_pool: Network
    vlans: tuple[CoreVlan, ...] = ()


class Role(Frozen):
    """A role block inside every municipality (ADM, PED, ...)."""

    name: str = Field(pattern=r"^[A-Z]+$")
    role_base: int = Field(ge=0, le=255)
    prefixlen: int = Field(ge=16, le=24)
    vlan: int = Field(ge=2, le=4094)
    zone: str
    user_subnet: bool


class ParkingVlan(Frozen):
    """The VLAN unused ports and trunk natives live in."""

    id: int = Field(ge=2, le=4094)
    name: str


class SharedServices(Frozen):
    """Addresses of the shared services in the core."""

    syslog: tuple[Address, ...]
    ntp: tuple[Address, ...]
    aaa: tuple[Address, ...]
    mfa: tuple[Address, ...]
    antivirus_console: tuple[Address, ...]
    dns: tuple[Address, ...]
    jump_host: tuple[Address, ...]

    def all(self) -> dict[str, tuple[IPAddress, ...]]:
        """Every service by name."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class Naming(Frozen):
    """Hostname conventions as regular expressions with named groups."""

    device: str
    core_device: str

    @field_validator("device", "core_device")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return pattern


class PlanPolicy(Frozen):
    """`plan.yaml`: the shared IP plan."""

    network: Network
    reserved: tuple[Network, ...] = ()
    sites_per_municipality: int = Field(ge=1, le=15)
    municipalities: tuple[Municipality, ...]
    core: Core
    roles: tuple[Role, ...]
    parking_vlan: ParkingVlan
    forbidden_vlans: tuple[int, ...] = ()
    voice_role: str
    shared_services: SharedServices
    naming: Naming

    @model_validator(mode="after")
    def _consistent(self) -> PlanPolicy:
        blocks: list[tuple[str, IPNetwork]] = [
            (f"municipalities.{m.short}.block", m.block) for m in self.municipalities
        ]
        blocks.append(("core.block", self.core.block))
        blocks += [(f"reserved.{i}", net) for i, net in enumerate(self.reserved)]
        for i, (key_a, net_a) in enumerate(blocks):
            if key_a.startswith(("municipalities", "core")) and net_a not in self.network:
                raise ValueError(f"{key_a} {net_a} lies outside network {self.network}")
            for key_b, net_b in blocks[i + 1 :]:
                if net_a in net_b or net_b in net_a:
                    raise ValueError(f"{key_a} {net_a} overlaps {key_b} {net_b}")
        shorts = [m.short for m in self.municipalities] + [self.core.short]
        if len(set(shorts)) != len(shorts):
            raise ValueError("municipalities: duplicate short name")
        for i, vlan in enumerate(self.forbidden_vlans):
            if vlan in {r.vlan for r in self.roles} | {self.parking_vlan.id}:
                raise ValueError(f"forbidden_vlans.{i} {vlan} is a VLAN of the plan")
        vlans = [r.vlan for r in self.roles] + [self.parking_vlan.id]
        vlans += [v.id for v in self.core.vlans]
        if len(set(vlans)) != len(vlans):
            raise ValueError("roles: the same VLAN id is used twice")
        bases = sorted((r.role_base, r.name, r.prefixlen) for r in self.roles)
        for (base_a, name_a, len_a), (base_b, name_b, _) in itertools.pairwise(bases):
            if base_a + 2 ** (24 - len_a) > base_b:
                raise ValueError(f"roles: {name_a} overlaps {name_b}")
        if self.voice_role not in {r.name for r in self.roles}:
            raise ValueError(f"voice_role {self.voice_role} is not a role")
        self._core_blocks_apart()
        return self

    def _core_blocks_apart(self) -> None:
        """The core's sub-blocks lie inside its block and apart from each other.

        A core VLAN may be the services block itself (the services' own VLAN), nothing else.
        """
        subs: list[tuple[str, IPNetwork]] = [
            (f"core.{key}", getattr(self.core, key))
            for key in ("loopbacks", "links", "services", "remote_access_pool")
        ]
        for key, sub in subs:
            if sub not in self.core.block:
                raise ValueError(f"{key} {sub} lies outside core.block {self.core.block}")
        for i, (key_a, net_a) in enumerate(subs):
            for key_b, net_b in subs[i + 1 :]:
                if _overlap(net_a, net_b):
                    raise ValueError(f"{key_a} {net_a} overlaps {key_b} {net_b}")
        vlans = [(f"core.vlans.{i}.block", v.block) for i, v in enumerate(self.core.vlans)]
        for i, (key_a, net_a) in enumerate(vlans):
            if net_a not in self.core.block:
                raise ValueError(f"{key_a} {net_a} lies outside core.block {self.core.block}")
            others = [s for s in subs if s[1] != net_a or s[0] != "core.services"]
            for key_b, net_b in others + vlans[i + 1 :]:
                if _overlap(net_a, net_b):
                    raise ValueError(f"{key_a} {net_a} overlaps {key_b} {net_b}")
        for name, addresses in self.shared_services.all().items():
            for j, address in enumerate(addresses):
                if address not in self.core.services:
                    raise ValueError(
                        f"shared_services.{name}.{j} {address} lies outside core.services "
                        f"{self.core.services}"
                    )


def _overlap(a: IPNetwork, b: IPNetwork) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)


class ServiceSpec(Frozen):
    """One protocol and port range of a named service."""

    proto: Literal["tcp", "udp", "icmp", "ip"]
    ports: str = Field(pattern=r"^\d+(-\d+)?$")

    @field_validator("ports")
    @classmethod
    def _port_range(cls, ports: str) -> str:
        low, _, high = ports.partition("-")
        first, last = int(low), int(high or low)
        if not 0 <= first <= last <= 65535:
            raise ValueError(f"{ports!r} is not a port range within 0..65535, low to high")
        return ports


class ZoneFlow(Frozen):
    """One allowed flow of the zone matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: str = Field(alias="from")
    destination: str = Field(alias="to")
    services: Literal["any"] | tuple[str, ...]
    encrypted_between_municipalities: bool = False


class ManagementAccess(Frozen):
    """Who may manage network devices."""

    zones: tuple[str, ...]
    shared_services: tuple[str, ...]


class ZonePolicy(Frozen):
    """`zones.yaml`: the ruleset between the logical networks (6.4)."""

    default: Literal["deny"]
    services: dict[str, tuple[ServiceSpec, ...]]
    allow: tuple[ZoneFlow, ...]
    management_access: ManagementAccess

    @model_validator(mode="after")
    def _services_known(self) -> ZonePolicy:
        for i, flow in enumerate(self.allow):
            if flow.services != "any":
                for name in flow.services:
                    if name not in self.services:
                        raise ValueError(f"allow.{i}.services: unknown service {name!r}")
        return self

    def allowed(self, source: str, destination: str) -> ZoneFlow | None:
        """The allow entry for a zone pair, or None when the matrix denies it."""
        for flow in self.allow:
            if flow.source == source and flow.destination == destination:
                return flow
        return None


class IpsecPolicy(Frozen):
    """Allowed IKE/IPsec proposals."""

    ike_versions: tuple[int, ...]
    forbidden_algorithms: tuple[str, ...]
    min_dh_group: int
    forbidden_dh_groups: tuple[int, ...]


class SshPolicy(Frozen):
    """SSH server requirements."""

    min_version: Literal[2]
    min_key_bits: int = Field(ge=1024)
    min_dh_bits: int
    forbidden_ciphers: tuple[str, ...]
    forbidden_macs: tuple[str, ...]
    forbidden_kex: tuple[str, ...]


class PasswordPolicy(Frozen):
    """Acceptable password storage types."""

    strong_types: tuple[str, ...] = Field(min_length=1)
    weak_types: tuple[str, ...]

    @model_validator(mode="after")
    def _apart(self) -> PasswordPolicy:
        both = sorted(set(self.strong_types) & set(self.weak_types))
        if both:
            raise ValueError(f"passwords.strong_types: {', '.join(both)} also in weak_types")
        return self


class SnmpPolicy(Frozen):
    """SNMP requirements."""

    default_communities: tuple[str, ...]
    sensitive_requires: Literal["v3-priv"]


class CryptoPolicy(Frozen):
    """`crypto.yaml`."""

    ipsec: IpsecPolicy
    ssh: SshPolicy
    passwords: PasswordPolicy
    snmp: SnmpPolicy


class ModelStandard(Frozen):
    """Approved models of a role with their minimum OS and end of support.

    A model matches a device's when the device's starts with it (`C9300` matches
    `C9300-48P`). An end-of-support date names where it was read and when.
    """

    models: tuple[Annotated[str, Field(min_length=2)], ...] = Field(min_length=1)
    os: Literal["IOS", "IOS-XE", "ASA", "any"]
    min_version: str | None = None
    end_of_support: dt.date | None = None
    end_of_support_source: str | None = None
    end_of_support_taken: dt.date | None = None

    @model_validator(mode="after")
    def _sourced(self) -> ModelStandard:
        if self.end_of_support is not None and (
            not self.end_of_support_source or self.end_of_support_taken is None
        ):
            raise ValueError("end_of_support needs end_of_support_source and end_of_support_taken")
        if self.min_version is not None and self.os == "any":
            raise ValueError("min_version needs an os family (IOS, IOS-XE, ASA)")
        return self

    def matches(self, model: str) -> bool:
        """Whether a device's model is one of these."""
        return any(model.upper().startswith(m.upper()) for m in self.models)


class StandardPolicy(Frozen):
    """`standard.yaml`: the common technical standard."""

    roles: dict[DeviceRole, tuple[ModelStandard, ...]]
    governance_fields: tuple[str, ...]
    config_backup_max_age_hours: int = Field(gt=0)


class AntivirusProduct(Frozen):
    """An approved antivirus product and the evidence that shows it."""

    name: str = Field(min_length=1)
    installed: tuple[Annotated[str, Field(min_length=1)], ...] = Field(min_length=1)
    processes: tuple[Annotated[str, Field(min_length=1)], ...]


class AntivirusPolicy(Frozen):
    """`antivirus.yaml`."""

    max_signature_age_days: int = Field(gt=0)
    products: tuple[AntivirusProduct, ...]

    @model_validator(mode="after")
    def _distinct(self) -> AntivirusPolicy:
        names = [product.name for product in self.products]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"products: {', '.join(twice)} listed twice")
        return self


class SessionPolicy(Frozen):
    """Idle management sessions (AAA-004)."""

    max_idle_minutes: int = Field(gt=0)


class LoginProtectionPolicy(Frozen):
    """Password-guessing protection (AAA-004): lock after a few failures, long enough."""

    max_attempts: int = Field(gt=0)
    min_block_seconds: int = Field(gt=0)
    block_seconds: int = Field(gt=0)  # what a fix proposes
    within_seconds: int = Field(gt=0)

    @model_validator(mode="after")
    def _fix_complies(self) -> LoginProtectionPolicy:
        if self.block_seconds < self.min_block_seconds:
            raise ValueError("login_protection.block_seconds is below min_block_seconds")
        return self


class BannerPolicy(Frozen):
    """The authorised-use banner (AAA-005)."""

    must_contain_any: tuple[Annotated[str, Field(min_length=3)], ...] = Field(min_length=1)
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _text_complies(self) -> BannerPolicy:
        if not any(phrase.lower() in self.text.lower() for phrase in self.must_contain_any):
            raise ValueError("banner.text contains none of banner.must_contain_any")
        return self


class ServerGroupNames(Frozen):
    """The names a fix gives the server groups it defines (the shared AAA and MFA servers)."""

    aaa: str = Field(pattern=r"^\S+$")
    mfa: str = Field(pattern=r"^\S+$")


class AccessPolicy(Frozen):
    """`access.yaml`: identity, access and traceability (6.4)."""

    max_local_accounts: int = Field(ge=0)
    session: SessionPolicy
    login_protection: LoginProtectionPolicy
    banner: BannerPolicy
    accounting_privilege: int = Field(ge=0, le=15)
    server_groups: ServerGroupNames


class LocalizedText(Frozen):
    """A text in both report languages."""

    en: str
    sv: str


class Goal(Frozen):
    """A measurable goal of the IT strategy and the rules that check it."""

    id: str = Field(min_length=1)
    section: str = Field(min_length=1)
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)
    rules: tuple[str, ...]
    unchecked: LocalizedText | None = None

    @model_validator(mode="after")
    def _says_why_unchecked(self) -> Goal:
        if not self.rules and self.unchecked is None:
            raise ValueError(f"goal {self.id}: no rule checks it; say why (unchecked)")
        return self


class GoalsPolicy(Frozen):
    """`goals.yaml`: the strategy's goals."""

    goals: tuple[Goal, ...] = Field(min_length=1)


class CisReference(Frozen):
    """A CIS Benchmark recommendation a rule checks (numbers change between versions)."""

    benchmark: str = Field(min_length=1)
    version: str = Field(min_length=1)
    number: str = Field(pattern=r"^\d+(\.\d+)*$")
    title: str = Field(min_length=1)
    level: int | None = Field(default=None, ge=1, le=2)
    url: str | None = None


class StigReference(Frozen):
    """A DISA STIG rule a rule checks, with the guide and release it was taken from."""

    guide: str = Field(min_length=1)
    version: str = Field(min_length=1)
    id: str = Field(pattern=r"^[A-Z]+-[A-Z]+-\d{6}$")
    title: str = Field(min_length=1)
    url: str | None = None
    note: str | None = None


class StandardReferences(Frozen):
    """The external hardening standards that cover what a rule checks."""

    cis: tuple[CisReference, ...] = ()
    stig: tuple[StigReference, ...] = ()


class RuleSetting(Frozen):
    """Tunable settings of one catalogue rule."""

    severity: Severity
    section: str
    title: LocalizedText
    enabled: bool = True
    references: StandardReferences = StandardReferences()


class RulesPolicy(Frozen):
    """`rules.yaml`: severities, wording and switches of the catalogue."""

    rules: dict[str, RuleSetting]

    @field_validator("rules")
    @classmethod
    def _ids(cls, rules: dict[str, RuleSetting]) -> dict[str, RuleSetting]:
        for rule_id in rules:
            if not rule_id.replace("-", "").isalnum() or "-" not in rule_id:
                raise ValueError(f"{rule_id!r} is not a rule id like IP-001")
        return rules


class WaiverScope(Frozen):
    """Which devices a waiver covers when it names no device: all that match every key."""

    municipality: str | None = None
    site: int | None = None
    role: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> WaiverScope:
        if self.municipality is None and self.site is None and self.role is None:
            raise ValueError("a scope names a municipality, a site or a role")
        return self


PATTERN_CHARS = frozenset("*?[")


class Waiver(Frozen):
    """An approved exception to one rule on a device, a name pattern, or a scope.

    `justification` and `approved_by` are the contract's names (interfaces.md); files written
    for earlier versions may still say `reason` and `approver`.
    """

    rule: str
    device: str | None = Field(default=None, min_length=1)  # a host name or a pattern (`ben-*`)
    scope: WaiverScope | None = None
    justification: str = Field(
        min_length=1, validation_alias=AliasChoices("justification", "reason")
    )
    approved_by: str = Field(min_length=1, validation_alias=AliasChoices("approved_by", "approver"))
    expires: dt.date

    @model_validator(mode="after")
    def _names_what_it_covers(self) -> Waiver:
        if (self.device is None) == (self.scope is None):
            raise ValueError("a waiver names either a device (or a pattern) or a scope")
        return self

    @property
    def is_pattern(self) -> bool:
        """The device is a name pattern (fnmatch: `*`, `?`, `[...]`), not one host."""
        return self.device is not None and bool(PATTERN_CHARS & set(self.device))

    @property
    def covers(self) -> str:
        """What it covers, as the report says it: a name, a pattern or a scope."""
        if self.device is not None:
            return self.device
        assert self.scope is not None
        parts = self.scope.model_dump(exclude_none=True)
        return ", ".join(f"{k}={v}" for k, v in parts.items())

    @property
    def key(self) -> str:
        """Its identity: what it waives, for how long, and who approved it.

        A waiver approved again (new date or approver) is a new waiver: the evidence it
        approves is recorded afresh on its first use.
        """
        return f"{self.rule}|{self.covers}|{self.expires.isoformat()}|{self.approved_by}"


class WaiverPolicy(Frozen):
    """`waivers.yaml`."""

    waivers: tuple[Waiver, ...] = ()

    @model_validator(mode="after")
    def _one_per_rule_and_device(self) -> WaiverPolicy:
        seen: dict[tuple[str, str], int] = {}
        for i, waiver in enumerate(self.waivers):
            key = (waiver.rule, waiver.covers)
            if key in seen:
                raise ValueError(
                    f"waivers.{i} waives {waiver.rule} on {waiver.covers} again "
                    f"(waivers.{seen[key]} already does)"
                )
            seen[key] = i
        return self


class Policy(Frozen):
    """Every policy file, loaded and validated."""

    plan: PlanPolicy
    zones: ZonePolicy
    crypto: CryptoPolicy
    standard: StandardPolicy
    antivirus: AntivirusPolicy
    access: AccessPolicy
    goals: GoalsPolicy
    rules: RulesPolicy
    waivers: WaiverPolicy
    digest: str
