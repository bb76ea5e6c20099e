"""The simulated Dalslandsnätet: SSH devices and SNMP agents on 127.0.0.1 serving a snapshot.

Public API: :func:`lab_up`, :func:`lab_up_synthetic`, :func:`lab_down`, :func:`lab_status`,
:class:`LabState`, :class:`LabError`, :func:`lab_credentials`, :class:`LabCredentials`,
``FAULTS``. The reference network generator lives in :mod:`dalsnet_audit.lab.refnet`.

Names are imported on first use, so that importing :mod:`dalsnet_audit.lab.refnet` (or the
CLI) does not load asyncssh.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dalsnet_audit.lab.control import (
        LabError,
        LabState,
        lab_down,
        lab_status,
        lab_up,
        lab_up_synthetic,
        write_synthetic,
    )
    from dalsnet_audit.lab.credentials import LabCredentials, lab_credentials
    from dalsnet_audit.lab.sshd import FAULTS

_WHERE = {
    "LabError": "control",
    "LabState": "control",
    "lab_down": "control",
    "lab_status": "control",
    "lab_up": "control",
    "lab_up_synthetic": "control",
    "write_synthetic": "control",
    "LabCredentials": "credentials",
    "lab_credentials": "credentials",
    "FAULTS": "sshd",
}

__all__ = [
    "FAULTS",
    "LabCredentials",
    "LabError",
    "LabState",
    "lab_credentials",
    "lab_down",
    "lab_status",
    "lab_up",
    "lab_up_synthetic",
    "write_synthetic",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"dalsnet_audit.lab.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
