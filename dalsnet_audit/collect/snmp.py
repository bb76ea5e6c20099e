"""SNMP collection with pysnmp 7: one shared engine on one background event loop.

An `SnmpEngine` costs about 0.4 s of CPU to create; one per host made a nightly run of 100
servers take a minute (../shared/notes). Nornir's worker threads submit their polls to the
one loop with `asyncio.run_coroutine_threadsafe`. The result is written in snmpsim's
`.snmprec` format: the same text an offline snapshot holds, parsed by the same parser.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_walk_cmd,
    get_cmd,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)

from dalsnet_audit.errors import CollectError

T = TypeVar("T")

SYSTEM = [f"1.3.6.1.2.1.1.{n}.0" for n in range(1, 7)]
TABLES = [
    "1.3.6.1.2.1.2.2.1.2",  # IF-MIB ifDescr
    "1.3.6.1.2.1.2.2.1.3",  # ifType
    "1.3.6.1.2.1.2.2.1.8",  # ifOperStatus
    "1.3.6.1.2.1.4.20.1.1",  # IP-MIB ipAdEntAddr
    "1.3.6.1.2.1.4.20.1.2",  # ipAdEntIfIndex
    "1.3.6.1.2.1.4.20.1.3",  # ipAdEntNetMask
    "1.3.6.1.2.1.25.4.2.1.2",  # HOST-RESOURCES-MIB hrSWRunName
    "1.3.6.1.2.1.25.4.2.1.7",  # hrSWRunStatus
    "1.3.6.1.2.1.25.6.3.1.2",  # hrSWInstalledName
]
# snmprec type tags by ASN.1 class name (snmpsim's format).
_TAGS = {
    "Integer": "2",
    "Integer32": "2",
    "OctetString": "4",
    "ObjectIdentifier": "6",
    "IpAddress": "64",
    "Counter32": "65",
    "Gauge32": "66",
    "Unsigned32": "66",
    "TimeTicks": "67",
    "Counter64": "70",
}


class SnmpTimeoutError(CollectError):
    """No answer: host down, wrong community, or agent silent."""


class SnmpAuthError(CollectError):
    """The agent answered that our SNMPv3 credentials are wrong."""


@dataclass(frozen=True, slots=True, repr=False)
class SnmpTarget:
    """Where and how to poll one agent."""

    host: str
    port: int = 161
    version: int = 3
    community: str | None = None
    user: str | None = None
    auth_key: str | None = None
    priv_key: str | None = None
    context: str = ""

    def __repr__(self) -> str:
        return f"SnmpTarget({self.host}:{self.port} v{self.version} context={self.context!r})"


def _snmprec_line(oid: str, value: Any) -> str:
    kind = type(value).__name__
    tag = _TAGS.get(kind, "4")
    if tag == "4":
        raw = bytes(value.asOctets()) if hasattr(value, "asOctets") else str(value).encode()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return f"{oid}|4x|{raw.hex()}"
        if text.isprintable() and "|" not in text:
            return f"{oid}|4|{text}"
        return f"{oid}|4x|{raw.hex()}"
    if tag == "64":
        return f"{oid}|64|{value.prettyPrint()}"
    return f"{oid}|{tag}|{value.prettyPrint()}"


def _classify(indication: object) -> CollectError:
    text = str(indication)
    lowered = text.lower()
    if "digest" in lowered or "unknownusername" in lowered.replace(" ", "") or "decrypt" in lowered:
        return SnmpAuthError(f"SNMP: {text}")
    return SnmpTimeoutError(f"SNMP: {text}")


class SnmpPoller:
    """Polls agents on one shared engine running in a background thread's event loop."""

    def __init__(self, timeout: float = 2.0, retries: int = 1) -> None:
        self.timeout = timeout
        self.retries = retries
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="snmp", daemon=True)
        self._thread.start()
        self._engine: SnmpEngine = self._run(self._create_engine())

    async def _create_engine(self) -> SnmpEngine:
        return SnmpEngine()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        """Close the engine's transports, cancel what is pending, stop the loop and its thread."""
        self._run(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _shutdown(self) -> None:
        self._engine.close_dispatcher()
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def __enter__(self) -> SnmpPoller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poll(self, target: SnmpTarget, within: float | None = None) -> str:
        """The system group and the server tables of one agent, as `.snmprec` text.

        Args:
            target: The agent.
            within: Seconds the whole poll may take (the host's remaining time), if bounded.

        Raises:
            SnmpTimeoutError: no answer, or no complete answer `within` seconds.
            SnmpAuthError: SNMPv3 authentication or privacy failed.
        """
        if within is None:
            return self._run(self._poll(target))
        if within <= 0:
            raise SnmpTimeoutError("SNMP: no time left for this host")
        try:
            return self._run(asyncio.wait_for(self._poll(target), within))
        except TimeoutError:
            raise SnmpTimeoutError(f"SNMP: no complete answer within {within:.3g} s") from None

    def _auth(self, target: SnmpTarget) -> CommunityData | UsmUserData:
        if target.version == 3:
            return UsmUserData(
                target.user or "",
                authKey=target.auth_key,
                privKey=target.priv_key,
                authProtocol=usmHMACSHAAuthProtocol,
                privProtocol=usmAesCfb128Protocol,
            )
        return CommunityData(target.community or "", mpModel=1)

    async def _poll(self, target: SnmpTarget) -> str:
        auth = self._auth(target)
        transport = await UdpTransportTarget.create(
            (target.host, target.port), timeout=self.timeout, retries=self.retries
        )
        context = ContextData(contextName=target.context.encode())
        lines: dict[str, str] = {}
        error, status, _, binds = await get_cmd(
            self._engine, auth, transport, context, *(ObjectType(ObjectIdentity(o)) for o in SYSTEM)
        )
        if error:
            raise _classify(error)
        if status:
            raise SnmpTimeoutError(f"SNMP: {status.prettyPrint()}")
        for oid, value in binds:
            if type(value).__name__ not in {"NoSuchObject", "NoSuchInstance", "EndOfMibView"}:
                lines[str(oid)] = _snmprec_line(str(oid), value)
        for table in TABLES:
            async for error, status, _, rows in bulk_walk_cmd(
                self._engine,
                auth,
                transport,
                context,
                0,
                25,
                ObjectType(ObjectIdentity(table)),
                lexicographicMode=False,
            ):
                if error:
                    raise _classify(error)
                if status:
                    break
                for oid, value in rows:
                    lines[str(oid)] = _snmprec_line(str(oid), value)
        ordered = sorted(lines, key=lambda o: tuple(int(p) for p in o.split(".")))
        return "".join(lines[oid] + "\n" for oid in ordered)
