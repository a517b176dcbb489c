"""``crewkit-server serve --advertise``: announce the server's teams by mDNS while it runs.

Each team that has a paired device gets a ``_crewkit._tcp.local.`` service (see
``sync.discovery``); the list is read again every ``REFRESH_S`` seconds, so a team that
pairs its first device while the server runs is announced within that time. The
announcements go out on the interface the server listens on: ``--host 127.0.0.1`` is
heard on this machine only, ``--host 0.0.0.0`` on every network the machine is on.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sync.discovery import SERVICE_TYPE, Advertiser, Interfaces

from .storage import Storage

log = logging.getLogger("crewkit.server")
REFRESH_S = 30.0
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def announced_addresses(host: str) -> tuple[list[str], Interfaces]:
    """The addresses to announce for a server listening on ``host``, and the interfaces
    to announce them on."""
    from zeroconf import InterfaceChoice

    if host not in WILDCARDS:
        address = str(ipaddress.ip_address(socket.gethostbyname(host)))
        return [address], [address]
    import ifaddr  # zeroconf's own interface lister

    addresses = [str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
                 if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback]
    return addresses, InterfaceChoice.All


def _teams(storage: Storage) -> set[str]:
    return {d.team_id for d in storage.devices() if d.revoked_ms is None}


@contextmanager
def advertising(storage: Storage, host: str, port: int, name: str,
                refresh_s: float = REFRESH_S) -> Iterator[Advertiser]:
    """Announce ``storage``'s teams until the block ends, then withdraw them."""
    addresses, interfaces = announced_addresses(host)
    advertiser = Advertiser(name, port, addresses, interfaces)
    stop = threading.Event()

    def keep_announcing() -> None:
        while True:
            try:
                advertiser.advertise(_teams(storage))
            except Exception:  # a database hiccup must not end the announcements
                log.exception("could not refresh the teams announced by mDNS")
            if stop.wait(refresh_s):
                return

    thread = threading.Thread(target=keep_announcing, name="crewkit-mdns", daemon=True)
    thread.start()
    print(f"announcing {name} on {', '.join(addresses) or 'no address'} port {port} by mDNS"
          f" ({SERVICE_TYPE}), for each team with a paired device", file=sys.stderr, flush=True)
    try:
        yield advertiser
    finally:
        stop.set()
        thread.join()
        advertiser.close()
