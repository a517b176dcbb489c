"""Finding a team's hub on the local network by mDNS / DNS-SD (``_crewkit._tcp.local.``).

A server run with ``crewkit-server serve --advertise`` announces one service per team it
holds, with the team id, its own name and its protocol and schema versions in the TXT
record. A device browses for services of its own team, asks each address for
``/v1/health`` and prefers the quickest hub that answers with its protocol; with none, it
keeps syncing with the server it was paired with.

TXT record (keys and values are UTF-8 text)::

    team=team-8eccef3e8bb05520   the team served (one service per team)
    name=Base camp laptop        the server's name, for people to tell hubs apart
    v=1                          sync protocol version (sync.wire.PROTOCOL_VERSION)
    schema=2                     collection schema version (sync.schema.SCHEMA_VERSION)
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import httpx
from zeroconf import InterfaceChoice, IPVersion, ServiceInfo, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from sync.schema import SCHEMA_VERSION
from sync.wire import PROTOCOL_VERSION

SERVICE_TYPE = "_crewkit._tcp.local."
TEAM_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")
#: DNS labels hold 63 bytes: the instance name is cut to fit.
MAX_INSTANCE_BYTES = 63
BROWSE_S = 2.0
PROBE_TIMEOUT_S = 1.5

#: Which network interfaces to use: every one, or the listed addresses ("127.0.0.1").
Interfaces = InterfaceChoice | Sequence[str]


@dataclass(frozen=True)
class Hub:
    """A server found on the network, serving ``team_id`` at ``addresses``:``port``."""

    team_id: str
    name: str
    version: int
    schema: int
    addresses: tuple[str, ...]
    port: int

    def urls(self) -> list[str]:
        return [f"http://[{a}]:{self.port}" if ":" in a else f"http://{a}:{self.port}"
                for a in self.addresses]


def txt_record(team_id: str, name: str) -> dict[str, str]:
    """The TXT record announcing ``team_id`` on the server called ``name``."""
    return {"team": team_id, "name": name, "v": str(PROTOCOL_VERSION),
            "schema": str(SCHEMA_VERSION)}


def hub_from_txt(properties: Mapping[bytes, bytes | None], addresses: Iterable[str],
                 port: int) -> Hub | None:
    """The hub a resolved service describes; None for a record that is not a Crewkit
    server's (a missing or malformed key, text that is not UTF-8)."""
    try:
        text = {key.decode(): value.decode() for key, value in properties.items()
                if value is not None}
        team, version, schema = text["team"], int(text["v"]), int(text["schema"])
    except (KeyError, ValueError):
        return None
    if not TEAM_ID.fullmatch(team) or not 0 < port < 65536:
        return None
    return Hub(team, text.get("name", ""), version, schema, tuple(addresses), port)


def instance_name(team_id: str, name: str) -> str:
    """The service's full name: the server's name and its team, cut to one DNS label."""
    label = f"{name} {team_id}".replace(".", " ").strip()
    while len(label.encode()) > MAX_INSTANCE_BYTES:
        name = name[:-1]
        label = f"{name.rstrip()} {team_id}".replace(".", " ").strip()
    return f"{label}.{SERVICE_TYPE}"


def _zeroconf_args(interfaces: Interfaces) -> dict[str, object]:
    if isinstance(interfaces, InterfaceChoice):
        return {"interfaces": interfaces}
    v6 = any(ipaddress.ip_address(a).version == 6 for a in interfaces)
    v4 = any(ipaddress.ip_address(a).version == 4 for a in interfaces)
    version = IPVersion.All if v4 and v6 else IPVersion.V6Only if v6 else IPVersion.V4Only
    return {"interfaces": list(interfaces), "ip_version": version}


class Advertiser:
    """Announces a server's teams on the network until closed (blocking calls: run it
    off the event loop)."""

    def __init__(self, name: str, port: int, addresses: Sequence[str],
                 interfaces: Interfaces = InterfaceChoice.All) -> None:
        self.name = name
        self.port = port
        self.addresses = [ipaddress.ip_address(a).packed for a in addresses]
        self._zeroconf = Zeroconf(**_zeroconf_args(interfaces))  # type: ignore[arg-type]
        self._services: dict[str, ServiceInfo] = {}

    @property
    def teams(self) -> set[str]:
        return set(self._services)

    def advertise(self, team_ids: Iterable[str]) -> None:
        """Announce exactly ``team_ids``: new ones are registered, dropped ones withdrawn."""
        wanted = set(team_ids)
        for team_id in sorted(set(self._services) - wanted):
            self._zeroconf.unregister_service(self._services.pop(team_id))
        for team_id in sorted(wanted - set(self._services)):
            info = ServiceInfo(SERVICE_TYPE, instance_name(team_id, self.name),
                               addresses=self.addresses, port=self.port,
                               properties=txt_record(team_id, self.name))
            self._zeroconf.register_service(info, allow_name_change=True)
            self._services[team_id] = info

    def close(self) -> None:
        """Withdraw every announcement (a goodbye, so browsers forget it now) and stop."""
        self.advertise(())
        self._zeroconf.close()


async def browse(team_id: str, *, seconds: float = BROWSE_S,
                 interfaces: Interfaces = InterfaceChoice.All) -> list[Hub]:
    """Hubs of ``team_id`` that answer on the network within ``seconds``."""
    names: set[str] = set()

    def on_change(zeroconf: Zeroconf, service_type: str, name: str,
                  state_change: ServiceStateChange) -> None:
        if state_change is not ServiceStateChange.Removed:
            names.add(name)

    zeroconf = AsyncZeroconf(**_zeroconf_args(interfaces))  # type: ignore[arg-type]
    browser = AsyncServiceBrowser(zeroconf.zeroconf, SERVICE_TYPE, handlers=[on_change])
    try:
        await asyncio.sleep(seconds)
        infos = [AsyncServiceInfo(SERVICE_TYPE, name) for name in sorted(names)]
        await asyncio.gather(*(info.async_request(zeroconf.zeroconf, 1000) for info in infos))
    finally:
        await browser.async_cancel()
        await zeroconf.async_close()
    hubs = [hub_from_txt(info.properties, info.parsed_addresses(), info.port or 0)
            for info in infos if info.properties]
    return [hub for hub in hubs if hub is not None and hub.team_id == team_id]


Probe = Callable[[str], Awaitable[float | None]]


def health_probe(transport: httpx.AsyncBaseTransport | None = None,
                 timeout_s: float = PROBE_TIMEOUT_S) -> Probe:
    """A probe: the seconds ``GET url/v1/health`` took, or None unless it answered ``ok``
    in this device's protocol version."""

    async def probe(url: str) -> float | None:
        started = time.monotonic()
        try:
            async with httpx.AsyncClient(base_url=url, transport=transport,
                                         timeout=timeout_s) as client:
                answer = await client.get("/v1/health")
                body = answer.json()
        except (httpx.HTTPError, ValueError):
            return None
        if (answer.status_code != 200 or not isinstance(body, dict)
                or body.get("status") != "ok" or body.get("version") != PROTOCOL_VERSION):
            return None
        return time.monotonic() - started

    return probe


async def choose_hub(hubs: Iterable[Hub], probe: Probe) -> str | None:
    """The URL of the hub address that answers ``probe`` quickest; None if none does.
    Hubs speaking another protocol version are not asked."""
    urls = [url for hub in hubs if hub.version == PROTOCOL_VERSION for url in hub.urls()]
    answers = await asyncio.gather(*(probe(url) for url in urls))
    reachable = sorted((seconds, url) for url, seconds in zip(urls, answers, strict=True)
                       if seconds is not None)
    return reachable[0][1] if reachable else None
