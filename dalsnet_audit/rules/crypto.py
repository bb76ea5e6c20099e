"""Encryption of the management plane and of IPsec (6.4 "Kryptering skall erbjudas")."""

from __future__ import annotations

import re

from netaddr import IPNetwork

from dalsnet_audit.model.device import DeviceConfig, DeviceSnapshot, Interface, Platform
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.firewall import sek_leaves_encrypted
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule

NETWORK_ROLES = ("rtr", "sw", "fw")
IOS = (Platform.IOS,)
IOS_ASA = (Platform.IOS, Platform.ASA)


def _outside_management(ctx: RuleContext, network: IPNetwork) -> bool:
    return not any(network in allowed for allowed in ctx.management_sources)


@rule("CRY-001", roles=NETWORK_ROLES, platforms=IOS_ASA)
def no_telnet(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """No terminal line accepts telnet, and SSH version 1 is off.

    Telnet and SSHv1 send administrator credentials in clear or breakable form across a
    network shared by five municipalities. On an ASA, telnet is allowed per network and
    interface (`telnet NET MASK IF`); any such line opens it.
    """
    config = device.config
    assert config is not None
    if ctx.answers(device).terminal_lines_required and not any(
        term.kind == "vty" for term in config.terminal_lines
    ):
        judge.error("no_vty")
        return
    for access in config.management_access:
        if access.protocol == "telnet":
            judge.fail(
                "telnet",
                line=access.line,
                evidence=[access.line],
                expected="no telnet; ssh from the management zone",
                actual=access.line,
                fix={
                    "line": access.line,
                    "sources": [str(net) for net in ctx.management_sources],
                },
            )
    for term in config.terminal_lines:
        if term.kind != "vty":
            continue
        name = term.lines[0] if term.lines else f"line vty {term.first} {term.last}"
        transport = term.transport_input
        if transport is None:
            judge.fail(
                "no_transport",
                line=name,
                evidence=term.lines[:1],
                expected="transport input ssh",
                actual="no transport input (platform default may accept telnet)",
                fix={"line": name},
            )
        elif "telnet" in transport or "all" in transport:
            judge.fail(
                "telnet",
                line=name,
                evidence=[name, *(x for x in term.lines if "transport input" in x)],
                expected="transport input ssh",
                actual="transport input " + " ".join(transport),
                fix={"line": name},
            )
    ssh = config.ssh
    if ssh.version is None or ssh.version < 2:
        judge.fail(
            "ssh_v1",
            evidence=[*ssh.lines[:3]] or ["(implicit: no SSH version set; the default accepts 1)"],
            expected="SSH version 2 only",
            actual="SSH 1.99 (version 1 accepted)"
            if ssh.version is None
            else f"SSH version {ssh.version}",
            fix={"ssh": True},
        )
    judge.pass_if_clean()


@rule("CRY-002", roles=NETWORK_ROLES, platforms=IOS_ASA)
def no_plain_http(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """No plain-HTTP management server, and no web management reachable beyond management.

    `ip http server` serves the device's web management unencrypted. An ASA's
    `http server enable` is HTTPS (ASDM); it is judged by who may reach it (`http NET MASK IF`).
    """
    http = device.config.http if device.config else None
    assert http is not None and device.config is not None
    if http.http and not ctx.answers(device).http_server_plain:
        # An HTTPS server (ASDM) is judged by who may reach it.
        for access in device.config.management_access:
            if access.protocol == "http" and _outside_management(ctx, access.network):
                judge.fail(
                    "asdm_open",
                    line=access.line,
                    evidence=[
                        *(x for x in http.lines if x.strip() == "http server enable"),
                        access.line,
                    ],
                    expected="http NET MASK mgmt (management zone and jump host only)",
                    actual=access.line,
                    fix={"line": access.line, "platform": "asa"},
                )
    elif http.http:
        judge.fail(
            "http_enabled",
            evidence=[line for line in http.lines if line.startswith("ip http server")]
            or ["(implicit: the HTTP server is on by default)"],
            expected="no ip http server",
            actual="ip http server",
            fix={},
        )
    judge.pass_if_clean()


@rule("CRY-003", roles=NETWORK_ROLES, platforms=IOS_ASA)
def snmp_secure(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """SNMP v1/v2c only read-only with a non-default community and an ACL; v3 authPriv if sensitive.

    A write community, a default community or an unrestricted agent lets anyone on the
    network read or change the device; communities cross the wire in clear text.
    """
    config = device.config
    assert config is not None
    defaults = {name.lower() for name in ctx.policy.crypto.snmp.default_communities}
    sensitive = device.host.sensitive
    for community in config.snmp.communities:
        problems = []
        if community.name.lower() in defaults:
            problems.append("default community")
        if community.mode == "rw":
            problems.append("write access (RW)")
        if community.acl is None and ctx.answers(device).snmp_community_acl:
            problems.append("no ACL")
        if sensitive:
            problems.append("SNMPv1/v2c on a sensitive device")
        if problems:
            judge.fail(
                "community",
                problems="; ".join(problems),
                evidence=[community.line],
                expected="SNMPv3 priv" if sensitive else "RO community with ACL, or SNMPv3 priv",
                actual="; ".join(problems),
                fix={
                    "line": community.line,
                    "sensitive": sensitive,
                    "acl_defined": "SNMP-MGMT" in config.acls,
                    "sources": [str(n) for n in ctx.management_sources],
                },
            )
    for group in config.snmp.groups:
        weak = group.version != "v3" or group.security_level != "priv"
        if weak and (sensitive or group.version != "v3"):
            judge.fail(
                "group",
                group=group.name,
                level=f"{group.version} {group.security_level or ''}".strip(),
                evidence=[group.line],
                expected="snmp-server group ... v3 priv",
                actual=f"{group.version} {group.security_level or ''}".strip(),
                fix={
                    "line": group.line,
                    "sensitive": sensitive,
                    "group": group.name,
                    "acl_defined": "SNMP-MGMT" in config.acls,
                    "sources": [str(n) for n in ctx.management_sources],
                },
            )
    judge.pass_if_clean()


@rule("CRY-004", roles=NETWORK_ROLES, platforms=IOS_ASA)
def password_storage(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Passwords are stored as type 8/9 secrets, never in clear text, type 7 or MD5.

    That holds for terminal lines too: a `line` password is always clear text or type 7.

    Type 7 is reversible and type 5 (MD5) is cracked in hours; a backup of the configuration
    must not hand out the keys of the network.
    """
    config = device.config
    assert config is not None
    strong = set(ctx.policy.crypto.passwords.strong_types)
    answers = ctx.answers(device)
    for enable in config.enable:
        if not answers.stored_as_hash(enable.kind) or enable.hash_type not in strong:
            judge.fail(
                "enable",
                kind=enable.kind,
                hash_type=enable.hash_type,
                evidence=[enable.line],
                expected=answers.strong_secret_example(),
                actual=f"enable {enable.kind}: hash type {enable.hash_type}",
                fix={"enable": True, "platform": device.host.platform.value},
            )
    for user in config.users:
        if not answers.stored_as_hash(user.kind) or user.hash_type not in strong:
            judge.fail(
                "user",
                user=user.username,
                kind=user.kind,
                hash_type=user.hash_type,
                evidence=[user.line],
                expected=answers.strong_secret_example(user.username),
                actual=f"{user.kind}: hash type {user.hash_type}",
                fix={
                    "user": user.username,
                    "privilege": user.privilege,
                    "platform": device.host.platform.value,
                },
            )
    for term in config.terminal_lines:
        if term.password_line is None:
            continue
        header = term.lines[0] if term.lines else f"line {term.kind} {term.first} {term.last}"
        judge.fail(
            "line_password",
            line=header,
            hash_type=term.password_type,
            evidence=[header, term.password_line],
            expected=f"{header}: no password (login through AAA or local secrets)",
            actual=f"line password of type {term.password_type}",
            fix={"header": header},
        )
    if not config.enable:
        judge.fail(
            "no_enable_secret",
            evidence=["(no enable secret)"],
            expected="enable secret 9",
            actual="no enable secret",
            fix={"enable": True, "platform": device.host.platform.value},
        )
    judge.pass_if_clean()


def _weak_tokens(algorithms: tuple[str, ...], forbidden: set[str]) -> list[str]:
    """Algorithms named weak, reading `esp-3des`, `esp-sha-hmac`, `sha` token by token.

    `null` integrity is what AES-GCM requires (GCM authenticates), so it is weak only
    where no GCM cipher is in the same proposal.
    """
    if any("gcm" in algorithm.lower() for algorithm in algorithms):
        algorithms = tuple(a for a in algorithms if a.lower() != "null")
    weak = []
    for algorithm in algorithms:
        tokens = set(re.split(r"[-_ ]", algorithm.lower()))
        if algorithm.lower() in forbidden or tokens & forbidden:
            weak.append(algorithm)
    return weak


def _is_sek(intf: Interface, ctx: RuleContext) -> bool:
    role = ctx.plan.roles_by_zone.get("sek")
    if role is None:
        return False
    if intf.vrf is not None and intf.vrf.upper() == role.name:
        return True
    return any(ctx.plan.zone_of(address.ip) == "sek" for address in intf.addresses)


def _between_municipalities(intf: Interface, ctx: RuleContext) -> bool:
    links = ctx.policy.plan.core.links
    return intf.kind == "tunnel" or any(address.ip in links for address in intf.addresses)


def _ipsec(ctx: RuleContext, config: DeviceConfig) -> dict[str, str | None]:
    """What a new IPsec profile can use on the device: a strong transform set, its IKEv2 profile.

    None where the device has none: the fix then defines the transform set, and names the
    IKEv2 profile (its identities and keys) as what a person must set up.
    """
    forbidden = {a.lower() for a in ctx.policy.crypto.ipsec.forbidden_algorithms}
    strong = [
        t.name for t in config.crypto.transform_sets if not _weak_tokens(t.transforms, forbidden)
    ]
    profiles = config.crypto.ikev2_profiles
    return {
        "transform_set": strong[0] if strong else None,
        "ikev2_profile": profiles[0] if profiles else None,
    }


@rule("CRY-005", roles=NETWORK_ROLES, platforms=IOS_ASA)
def sek_encrypted(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Confidential traffic (zone sek) that leaves a municipality is protected by IPsec.

    "Kryptering skall erbjudas för att möjliggöra överföring av sekretesskyddad information"
    (6.4): a tunnel or core link carrying the sek VRF needs `tunnel protection ipsec profile`
    or a crypto map, and the profile must exist. A firewall is asked flow by flow whether
    sek reaches another municipality other than through a crypto map.
    """
    config = device.config
    assert config is not None
    if config.firewall is not None:
        sek_leaves_encrypted(device, ctx, judge)
        return
    carriers = [i for i in config.interfaces if _is_sek(i, ctx) and _between_municipalities(i, ctx)]
    for intf in carriers:
        protection = intf.tunnel_protection or intf.crypto_map
        if protection is None:
            judge.fail(
                "clear",
                interface=intf.name,
                evidence=intf.lines,
                expected="tunnel protection ipsec profile <IKEv2 profile> (or a crypto map)",
                actual=f"{intf.name} carries sek between municipalities without IPsec",
                fix={
                    "interface": intf.name,
                    "profile": "DAL-SEK",
                    "kind": intf.kind,
                    **_ipsec(ctx, config),
                },
            )
        elif intf.tunnel_protection and intf.tunnel_protection not in config.crypto.ipsec_profiles:
            judge.fail(
                "missing_profile",
                interface=intf.name,
                profile=intf.tunnel_protection,
                evidence=[line for line in intf.lines if "protection" in line] or intf.lines[:1],
                expected=f"crypto ipsec profile {intf.tunnel_protection} defined",
                actual="profile not defined (no IPsec is negotiated)",
                fix={
                    "interface": intf.name,
                    "profile": intf.tunnel_protection,
                    "kind": intf.kind,
                    **_ipsec(ctx, config),
                },
            )
    if not carriers:
        judge.pass_if_clean("no_carrier")
        return
    judge.pass_if_clean(count=len(carriers))


@rule("CRY-006", roles=NETWORK_ROLES, platforms=IOS_ASA)
def ipsec_proposals(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """IKE and IPsec proposals use neither DES, 3DES, MD5, SHA-1 nor DH groups below 14.

    A tunnel is only as strong as the weakest proposal both ends accept; a legacy proposal
    left in the list lets confidential traffic (social services) be negotiated down.
    """
    config = device.config
    assert config is not None
    policy = ctx.policy.crypto.ipsec
    forbidden = {a.lower() for a in policy.forbidden_algorithms}
    for proposal in config.crypto.ike_proposals:
        weak = _weak_tokens(proposal.encryption + proposal.integrity, forbidden)
        groups = [
            g for g in proposal.groups if g < policy.min_dh_group or g in policy.forbidden_dh_groups
        ]
        if weak or groups:
            found = [*weak, *(f"group {g}" for g in groups)]
            judge.fail(
                "ike",
                proposal=proposal.name,
                weak=", ".join(found),
                evidence=proposal.lines,
                expected="AES-GCM/AES-CBC, SHA-256 or better, DH group >= 14",
                actual=", ".join(found),
                fix={
                    "proposal": proposal.name,
                    "version": proposal.version,
                    "lines": proposal.lines[:1],
                    # The weak sub-commands, removed by name: a new `encryption` line may add
                    # to the list rather than replace it.
                    "weak_lines": [
                        line.strip()
                        for line in proposal.lines[1:]
                        if set(line.lower().split()[1:]) & set(found)
                        or (line.split()[:1] == ["group"] and groups)
                        or line.split()[:1] == ["integrity"]  # AES-GCM takes none (IOS)
                    ],
                },
            )
    for transform in config.crypto.transform_sets:
        weak = _weak_tokens(transform.transforms, forbidden)
        if weak:
            judge.fail(
                "transform",
                transform_set=transform.name,
                weak=", ".join(weak),
                evidence=transform.lines[:1],
                expected="esp-gcm 256 or esp-aes 256 esp-sha256-hmac",
                actual=", ".join(weak),
                fix={"transform_set": transform.name},
            )
    judge.pass_if_clean(count=len(config.crypto.ike_proposals) + len(config.crypto.transform_sets))


# Words of the lines that set (or show) each kind of SSH algorithm, IOS and ASA alike.
_ALGORITHM_WORDS = {
    "ciphers": ("encryption",),
    "macs": ("mac", "integrity"),
    "kex": ("kex", "key-exchange"),
}


@rule("CRY-007", roles=NETWORK_ROLES, platforms=IOS_ASA)
def ssh_algorithms(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """SSH offers no weak cipher, MAC or key exchange, and its host key has at least 2048 bits.

    CBC ciphers, SHA-1 MACs, group-1 key exchange and short RSA keys are broken or breakable;
    the management plane of the whole region rides on them.
    """
    config = device.config
    assert config is not None
    ssh = config.ssh
    policy = ctx.policy.crypto.ssh
    checks = (
        ("ciphers", ssh.ciphers, policy.forbidden_ciphers),
        ("macs", ssh.macs, policy.forbidden_macs),
        ("kex", ssh.kex, policy.forbidden_kex),
    )
    unknown = [name for name, offered, _ in checks if offered is None]
    for name, offered, forbidden in checks:
        if offered is None:
            continue
        weak = [a for a in offered if a.lower() in {f.lower() for f in forbidden}]
        if weak:
            words = _ALGORITHM_WORDS[name]
            judge.fail(
                "weak_algorithms",
                kind=name,
                weak=", ".join(weak),
                evidence=[line for line in ssh.lines if any(w in line.lower() for w in words)][:4]
                or [f"(derived: no {name} configured; the platform's default offers them)"],
                expected=f"no {', '.join(forbidden[:4])}...",
                actual=", ".join(offered),
                fix={"kind": name, "offered": [a for a in offered if a not in weak]},
            )
    if ssh.dh_min_bits is not None and ssh.dh_min_bits < policy.min_dh_bits:
        judge.fail(
            "weak_dh",
            bits=ssh.dh_min_bits,
            evidence=[line for line in ssh.lines if "Diffie" in line or "dh min" in line],
            expected=f"ip ssh dh min size {policy.min_dh_bits}",
            actual=f"{ssh.dh_min_bits} bits",
            fix={"dh": policy.min_dh_bits},
        )
    if ssh.host_key_bits is None:
        unknown.append("host-key size")
    elif ssh.host_key_bits < policy.min_key_bits:
        judge.fail(
            "short_key",
            bits=ssh.host_key_bits,
            evidence=[
                line
                for line in ssh.lines
                if "host key" in line or line.strip().startswith("Modulus Size")
            ],
            expected=f"RSA key >= {policy.min_key_bits} bits",
            actual=f"{ssh.host_key_bits} bits",
            fix={"key_bits": policy.min_key_bits, "hostname": config.hostname or device.host.name},
        )
    if unknown:
        judge.error("unknown", what=", ".join(unknown))
    judge.pass_if_clean()
