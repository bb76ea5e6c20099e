"""Load `policies/*.yaml` into validated models; every problem names its file and key."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dalsnet_audit.errors import PolicyError
from dalsnet_audit.policy.models import (
    AntivirusPolicy,
    CryptoPolicy,
    PlanPolicy,
    Policy,
    RulesPolicy,
    StandardPolicy,
    WaiverPolicy,
    ZonePolicy,
)

POLICY_FILES: dict[str, type[BaseModel]] = {
    "plan": PlanPolicy,
    "zones": ZonePolicy,
    "crypto": CryptoPolicy,
    "standard": StandardPolicy,
    "antivirus": AntivirusPolicy,
    "rules": RulesPolicy,
    "waivers": WaiverPolicy,
}


def read_yaml(path: Path, error: type[PolicyError] = PolicyError) -> Any:
    """Read one YAML file, turning I/O and syntax problems into `error`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(str(path), None, "file is missing") from None
    except OSError as exc:
        raise error(str(path), None, f"cannot read: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise error(str(path), where, f"invalid YAML: {exc}") from None


def validation_key(error: dict[str, Any]) -> str:
    """Dotted key of a pydantic error location (`roles.2.vlan`)."""
    return ".".join(str(part) for part in error["loc"]) or "(top level)"


def _validate(path: Path, model: type[BaseModel], data: Any) -> BaseModel:
    if not isinstance(data, dict):
        raise PolicyError(str(path), None, "expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise PolicyError(str(path), validation_key(dict(first)), first["msg"]) from None


def load_policy(directory: Path) -> Policy:
    """Load and validate every policy file of `directory`.

    Raises:
        PolicyError: a file is missing, is not YAML, or fails validation.
    """
    if not directory.is_dir():
        raise PolicyError(str(directory), None, "policy directory does not exist")
    digest = hashlib.sha256()
    parts: dict[str, BaseModel] = {}
    for name, model in POLICY_FILES.items():
        path = directory / f"{name}.yaml"
        data = read_yaml(path)
        digest.update(path.read_bytes())
        parts[name] = _validate(path, model, data)
    plan = parts["plan"]
    rules = parts["rules"]
    assert isinstance(plan, PlanPolicy)
    assert isinstance(rules, RulesPolicy)
    _check_cross_file(directory, plan, parts["zones"], rules)
    return Policy(digest=f"sha256:{digest.hexdigest()}", **parts)


def _check_cross_file(
    directory: Path, plan: PlanPolicy, zones: BaseModel, rules: RulesPolicy
) -> None:
    assert isinstance(zones, ZonePolicy)
    known = {role.zone for role in plan.roles} | {"shared"}
    for i, flow in enumerate(zones.allow):
        for side, zone in (("from", flow.source), ("to", flow.destination)):
            if zone not in known:
                raise PolicyError(
                    str(directory / "zones.yaml"), f"allow.{i}.{side}", f"unknown zone {zone!r}"
                )
    for i, zone in enumerate(zones.management_access.zones):
        if zone not in known:
            raise PolicyError(
                str(directory / "zones.yaml"),
                f"management_access.zones.{i}",
                f"unknown zone {zone!r}",
            )
    services = set(plan.shared_services.all())
    for i, name in enumerate(zones.management_access.shared_services):
        if name not in services:
            raise PolicyError(
                str(directory / "zones.yaml"),
                f"management_access.shared_services.{i}",
                f"unknown shared service {name!r}",
            )
