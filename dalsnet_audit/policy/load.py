"""Load `policies/*.yaml` into validated models; every problem names its file and key."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from dalsnet_audit.errors import PolicyError
from dalsnet_audit.input_files import read_yaml
from dalsnet_audit.policy.models import (
    AccessPolicy,
    AntivirusPolicy,
    CryptoPolicy,
    GoalsPolicy,
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
    "access": AccessPolicy,
    "goals": GoalsPolicy,
    "rules": RulesPolicy,
    "waivers": WaiverPolicy,
}


def validation_key(error: dict[str, Any]) -> str:
    """Dotted key of a pydantic error location (`roles.2.vlan`)."""
    return ".".join(str(part) for part in error["loc"]) or "(top level)"


# A cross-field check names its key first: "Value error, core.links 10.40.1.0/24 overlaps ...".
_CHECK_KEY = re.compile(r"Value error, (?P<key>[a-z_]+(?:\.[\w-]+)+)\s")


def _error_key(error: dict[str, Any]) -> str:
    """The dotted key of a validation error; a model-level check's own key when it names one."""
    match = _CHECK_KEY.match(str(error.get("msg", ""))) if not error["loc"] else None
    return match.group("key") if match else validation_key(error)


def _validate(path: Path, model: type[BaseModel], data: Any) -> BaseModel:
    if not isinstance(data, dict):
        raise PolicyError(str(path), None, "expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = dict(exc.errors()[0])
        raise PolicyError(str(path), _error_key(first), str(first["msg"])) from None


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
        data = read_yaml(path, PolicyError)
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
