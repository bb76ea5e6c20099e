"""Identity and access (6.4: common identification, two-factor, uniform access routines)."""

from __future__ import annotations

from dalsnet_audit.model.device import DeviceConfig, DeviceSnapshot, LoginPath
from dalsnet_audit.model.enums import Platform
from dalsnet_audit.rules.context import RuleContext
from dalsnet_audit.rules.judge import Judge
from dalsnet_audit.rules.registry import rule
from dalsnet_audit.rules.shared_services import (
    GroupChoice,
    group_for,
    group_uses_only,
    shared,
    toward,
)

NETWORK_ROLES = ("rtr", "sw", "fw")
IOS_ASA = (Platform.IOS, Platform.ASA)
NOT_A_SERVER = frozenset({"local", "line", "enable", "none"})


def _config(device: DeviceSnapshot) -> DeviceConfig:
    assert device.config is not None
    return device.config


def _list_name(path: LoginPath) -> str:
    """The method list a vty range uses (`login authentication X`), else `default`."""
    for line in path.lines:
        words = line.split()
        if words[:2] == ["login", "authentication"] and len(words) > 2:
            return words[2]
    return "default"


def _login_fix(
    config: DeviceConfig, path: LoginPath, choice: GroupChoice, ctx: RuleContext, service: str
) -> dict[str, object]:
    allowed = shared(ctx, service)
    return {
        **choice.fix_vars(),
        "list_name": _list_name(path),
        "interface": toward(config, allowed[0]) if allowed else "",
    }


@rule("AAA-001", roles=NETWORK_ROLES, platforms=IOS_ASA)
def login_uses_common_identity(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Remote logins are checked first against the common identity system; local only after.

    One identification system for the whole region (6.4) means the shared AAA servers decide
    who may log in to a device, and a person who leaves is removed once. A local account is
    only the fallback for when the servers cannot be reached; `none` would let anyone in then.
    Sensitive devices use the MFA server (see AAA-003). The console is a physical path and
    may stay local.
    """
    config = _config(device)
    service = "mfa" if device.host.sensitive else "aaa"
    allowed = shared(ctx, service)
    choice = group_for(config, ctx, service)
    if not config.aaa.logins:
        judge.error("no_login_path")
        return
    for path in config.aaa.logins:
        fix = _login_fix(config, path, choice, ctx, service)
        evidence = list(path.lines) or [f"({path.where}: no login method configured)"]
        first = path.methods[0] if path.methods else None
        if first is None:
            key = "no_method"
        elif first in NOT_A_SERVER:
            key = "local_first"
        elif not group_uses_only(config, first, allowed):
            common = group_uses_only(config, first, shared(ctx, "aaa"))
            key = "not_mfa" if device.host.sensitive and common else "not_shared"
        elif "none" in path.methods[1:]:
            key = "none_fallback"
        else:
            continue
        judge.fail(
            key,
            where=path.where,
            first=first or "-",
            evidence=evidence,
            expected=f"group {choice.name}, then local",
            actual=" ".join(path.methods) or "no method",
            fix=fix,
        )
    judge.pass_if_clean(group=choice.name)


@rule("AAA-002", roles=NETWORK_ROLES, platforms=IOS_ASA)
def one_break_glass_account(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """At most one local (break-glass) account, and never a reversible password.

    Local accounts live outside the common identity system: nobody removes them when a person
    leaves, and they are shared. One is allowed, for when the AAA servers cannot be reached;
    its credential is a one-way hash, never a clear-text or type 7 `password` anyone who sees
    the configuration can read back.
    """
    config = _config(device)
    answers = ctx.answers(device)
    most = ctx.policy.access.max_local_accounts
    users = list(config.users)
    if len(users) > most:
        extra = users[most:]
        judge.fail(
            "too_many",
            count=len(users),
            allowed=most,
            evidence=[user.line for user in users],
            expected=f"at most {most} local account(s)",
            actual=", ".join(user.username for user in users),
            fix={"remove": [user.username for user in extra], "user": None},
        )
    for user in users[:most]:
        if not answers.stored_as_hash(user.kind) or user.hash_type in ("0", "7", "none"):
            judge.fail(
                "reversible",
                user=user.username,
                evidence=[user.line],
                expected="a one-way hash (" + answers.strong_secret_example(user.username) + ")",
                actual=f"{user.kind} type {user.hash_type}",
                fix={"remove": [], "user": user.username, "privilege": user.privilege or 15},
            )
    judge.pass_if_clean(count=len(users))


@rule("AAA-003", roles=NETWORK_ROLES, platforms=IOS_ASA)
def sensitive_requires_mfa(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """A device marked sensitive requires the two-factor (MFA) RADIUS server for login.

    The strategy asks for two-factor authentication for sensitive systems (6.4). A device is
    sensitive when the inventory says so (`data.sensitive`); every remote login path must then
    go to the MFA server first, with a local account only as the break-glass fallback.
    """
    if not device.host.sensitive:
        judge.not_applicable("not_sensitive")
        return
    config = _config(device)
    mfa = shared(ctx, "mfa")
    choice = group_for(config, ctx, "mfa")
    if not config.aaa.logins:
        judge.error("no_login_path")
        return
    for path in config.aaa.logins:
        first = path.methods[0] if path.methods else None
        if first is not None and group_uses_only(config, first, mfa):
            continue
        judge.fail(
            "no_mfa",
            where=path.where,
            evidence=list(path.lines) or [f"({path.where}: no login method configured)"],
            expected=f"group {choice.name} ({', '.join(map(str, mfa))}) first",
            actual=" ".join(path.methods) or "no method",
            fix=_login_fix(config, path, choice, ctx, "mfa"),
        )
    judge.pass_if_clean(group=choice.name)


@rule("AAA-004", roles=NETWORK_ROLES, platforms=IOS_ASA)
def sessions_and_guessing(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """Idle sessions close within the policy's limit, and repeated failed logins are blocked.

    An administrator's session left open on an unattended screen is an open door; a login
    that can be tried without limit invites password guessing. Both are uniform access
    routines of 6.4 (the limits are in `policies/access.yaml`).
    """
    config = _config(device)
    access = ctx.policy.access
    limit = access.session.max_idle_minutes * 60
    for timeout in config.session_timeouts:
        if 0 < timeout.seconds <= limit:
            continue
        shown = "never" if timeout.seconds == 0 else f"{timeout.seconds // 60} min"
        judge.fail(
            "never" if timeout.seconds == 0 else "timeout",
            where=timeout.where,
            minutes=shown,
            evidence=list(timeout.lines) or [f"({timeout.where}: platform default, {shown})"],
            expected=f"at most {access.session.max_idle_minutes} min",
            actual=shown,
            fix={"where": timeout.where, "minutes": access.session.max_idle_minutes},
        )
    protection = config.login_protection
    policy = access.login_protection
    wanted = {
        "protect": True,
        "attempts": min(policy.max_attempts, 3),
        "block": policy.block_seconds,
        "within": policy.within_seconds,
    }
    if protection is None:
        judge.fail(
            "no_protection",
            evidence=["(no login block-for / lockout after failed logins)"],
            expected=f"block after at most {policy.max_attempts} failures",
            actual="none",
            fix=wanted,
        )
    elif protection.attempts > policy.max_attempts or (
        protection.block_seconds is not None and protection.block_seconds < policy.min_block_seconds
    ):
        judge.fail(
            "weak_protection",
            evidence=[protection.line],
            expected=(
                f"at most {policy.max_attempts} attempts, "
                f"blocked at least {policy.min_block_seconds} s"
            ),
            actual=protection.line,
            fix=wanted,
        )
    judge.pass_if_clean()


@rule("AAA-005", roles=NETWORK_ROLES, platforms=IOS_ASA)
def authorised_use_banner(device: DeviceSnapshot, ctx: RuleContext, judge: Judge) -> None:
    """A login banner says that only authorised use is allowed.

    The banner tells whoever connects that access is restricted and monitored; without it a
    prosecution for unauthorised access is harder, and users are not told their actions are
    logged. Accepted wording is in `policies/access.yaml`.
    """
    config = _config(device)
    policy = ctx.policy.access.banner
    phrases = [phrase.lower() for phrase in policy.must_contain_any]
    texts = {kind: text for kind, text in config.banners.items() if kind in ("login", "motd")}
    if any(phrase in text.lower() for text in texts.values() for phrase in phrases):
        judge.pass_if_clean()
        return
    first_lines = [
        f"banner {kind}: {text.splitlines()[0] if text else ''}" for kind, text in texts.items()
    ]
    judge.fail(
        "wording" if texts else "no_banner",
        evidence=first_lines or ["(no login or motd banner)"],
        expected=" / ".join(policy.must_contain_any),
        actual="; ".join(first_lines) or "none",
        fix={"text": policy.text, "replace": "login" in texts},
    )
