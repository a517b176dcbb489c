"""Browsing the local network for base-camp hubs (mDNS, ``_crewkit._tcp.local.``) while the
app runs: the sync engine's ``HubFinder``.

Zeroconf works on threads of its own: the browser and the resolving of each service run
there, and opening and closing (which bind sockets and say goodbye) are run off the
event loop. Where zeroconf cannot be imported or cannot open the network (a platform
without multicast), ``available`` turns False and the engine syncs with the server alone.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync.discovery import Hub, Interfaces

log = logging.getLogger(__name__)

RESOLVE_TIMEOUT_MS = 3000


class HubBrowser:
    """Every Crewkit server announced on the network, by service name, kept current."""

    def __init__(self, interfaces: Interfaces | None = None) -> None:
        self.available = True
        self.interfaces = interfaces
        self._lock = threading.Lock()
        self._hubs: dict[str, Hub] = {}
        self._zeroconf: Any = None
        self._browser: Any = None

    def hubs(self, team_id: str) -> Sequence[Hub]:
        with self._lock:
            return [hub for hub in self._hubs.values() if hub.team_id == team_id]

    async def start(self, on_change: Callable[[], None]) -> None:
        """Start browsing; ``on_change`` is called (on zeroconf's thread) when a hub
        appears, changes or leaves."""
        if self._zeroconf is not None:
            return
        try:
            self._zeroconf, self._browser = await asyncio.to_thread(self._open, on_change)
        except ImportError:
            self.available = False
        except OSError as error:  # no multicast-capable network here
            log.warning("cannot look for hubs on this network: %s", error)
            self.available = False

    async def close(self) -> None:
        browser, zeroconf = self._browser, self._zeroconf
        self._browser = self._zeroconf = None
        if zeroconf is not None:
            await asyncio.to_thread(_close, browser, zeroconf)
        with self._lock:
            self._hubs.clear()

    def _open(self, on_change: Callable[[], None]) -> tuple[Any, Any]:
        from zeroconf import InterfaceChoice, ServiceBrowser, ServiceStateChange, Zeroconf

        from sync import discovery

        interfaces = InterfaceChoice.All if self.interfaces is None else self.interfaces
        zeroconf = Zeroconf(**discovery._zeroconf_args(interfaces))  # type: ignore[arg-type]

        def on_service(zeroconf: Zeroconf, service_type: str, name: str,
                       state_change: ServiceStateChange) -> None:
            hub = None
            if state_change is not ServiceStateChange.Removed:
                info = zeroconf.get_service_info(service_type, name, RESOLVE_TIMEOUT_MS)
                if info is not None and info.properties:
                    hub = discovery.hub_from_txt(info.properties, info.parsed_addresses(),
                                                 info.port or 0)
            with self._lock:
                changed = self._hubs.get(name) != hub
                if hub is None:
                    self._hubs.pop(name, None)
                else:
                    self._hubs[name] = hub
            if changed:
                on_change()

        try:
            browser = ServiceBrowser(zeroconf, discovery.SERVICE_TYPE, handlers=[on_service])
        except Exception:
            zeroconf.close()
            raise
        return zeroconf, browser


def _close(browser: Any, zeroconf: Any) -> None:
    if browser is not None:
        browser.cancel()
    zeroconf.close()
