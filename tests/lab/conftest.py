"""One lab for the whole session: the reference snapshot with a fault host of every kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dalsnet_audit.lab import LabCredentials, LabState, lab_credentials, lab_down, lab_up

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "snapshots" / "reference"
INVENTORY = ROOT / "inventory"

FAULTS = {
    "aml-02-sw01": "wrong_password",
    "aml-02-sw02": "hang",
    "fgl-02-sw01": "drop",
    "fgl-02-sw02": "host_key_changed",
    "aml-01-srv01": "silent_snmp",
}


@pytest.fixture(scope="session")
def creds() -> LabCredentials:
    return lab_credentials()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabState]:
    state_dir = tmp_path_factory.mktemp("lab")
    state = lab_up(SNAPSHOT, INVENTORY, state_dir, faults=FAULTS)
    try:
        yield state
    finally:
        lab_down(state_dir)
