"""Where a device syncs: its paired server, or a base-camp hub of its team, each with a cursor.

A device paired with the company server may sync with any hub of its team on the same
token. Each endpoint numbers the team's changes in its own order, so the device keeps a
pull cursor **per endpoint URL** (``sync.cursors``), and what it last synced with each
(``sync.endpoint_syncs``), both in the store's meta. A hub address the person typed or
scanned is kept as ``sync.hub_address``.

Stores written before hubs kept one cursor (``sync.cursor``), for the paired server:
:func:`migrate_cursor` moves it to that server's entry, once, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ._pairing import CURSOR, CURSORS, SERVER

if TYPE_CHECKING:
    from app.store import Store

ENDPOINT_SYNCS = "sync.endpoint_syncs"
HUB_ADDRESS = "sync.hub_address"

HUB, SERVER_KIND = "hub", "server"
SERVER_NAME = "Company server"
#: A hub address may come as a link: ``crewkit://hub?url=http://10.0.0.2:8765``.
HUB_LINK_HOST = "hub"


class BadHubAddress(ValueError):
    """The text is not a hub address; ``str()`` says what was expected."""


@dataclass(frozen=True)
class Endpoint:
    """One place the device syncs with: ``kind`` is "hub" or "server"."""

    kind: str
    url: str
    name: str
    #: When the device last finished a round with it (ms since the epoch), if ever.
    last_sync_ms: int | None = None


@dataclass(frozen=True)
class HubSeen:
    """A hub the device knows of (found by mDNS or typed), as its last health check saw it.

    ``usable`` is False with ``note`` saying why (no answer, another team, not a hub,
    refused this device). ``upstream``, ``relay_waiting`` and ``last_upstream_ms`` are
    the hub's own report of its link to the company server.
    """

    url: str
    name: str
    source: str  # "found" (mDNS) or "typed"
    usable: bool
    note: str = ""
    upstream: str | None = None
    relay_waiting: int | None = None
    last_upstream_ms: int | None = None


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def parse_hub_address(text: str) -> str:
    """A typed or scanned hub address as a URL with no trailing slash.

    Accepts ``http://host:port`` (what a hub's QR code holds) or the link
    ``crewkit://hub?url=http://host:port``; anything else raises BadHubAddress.
    """
    value = text.strip()
    if not value:
        raise BadHubAddress("Type the hub's address, e.g. http://192.168.1.20:8765")
    parts = urlsplit(value)
    if parts.scheme.lower() == "crewkit":
        if parts.netloc.lower() != HUB_LINK_HOST:
            raise BadHubAddress("That is a Crewkit link but not a hub's (crewkit://hub?url=…)")
        urls = parse_qs(parts.query).get("url", [])
        if len(urls) != 1:
            raise BadHubAddress("A hub link needs exactly one url= parameter")
        value, parts = urls[0].strip(), urlsplit(urls[0].strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadHubAddress(
            f"A hub address is an http:// or https:// URL such as http://192.168.1.20:8765, "
            f"not {value[:60]!r}"
        )
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        raise BadHubAddress(f"The port in {value[:60]!r} is not a valid port number") from None
    if parts.query or parts.fragment or parts.path.strip("/"):
        raise BadHubAddress(f"A hub address is just scheme, host and port: {value[:60]!r}")
    return normalise_url(f"{parts.scheme}://{parts.netloc}")


def migrate_cursor(store: Store) -> bool:
    """Move a pre-hub store's single cursor to its paired server's entry (once, keeping
    its value); True if there was one to move."""
    old, server = store.meta(CURSOR), store.meta(SERVER)
    if old is None or store.meta(CURSORS) is not None:
        return False
    cursors = {normalise_url(server): old} if server else {}
    with store.transaction(remote=True) as tx:
        tx.set_meta(CURSORS, cursors)
        tx.put_private("_meta", CURSOR, None)
    return True


def cursor_of(store: Store, url: str) -> int:
    """The device's pull cursor at the endpoint ``url`` (0 if it never pulled there)."""
    return int((store.meta(CURSORS) or {}).get(normalise_url(url), 0))


def cursor_meta(store: Store, url: str, cursor: int) -> dict[str, Any]:
    """The meta write that moves the cursor at ``url`` to ``cursor``."""
    return {CURSORS: {**(store.meta(CURSORS) or {}), normalise_url(url): cursor}}


def synced_meta(store: Store, endpoint: Endpoint, at_ms: int) -> dict[str, Any]:
    """The meta write that records a finished round with ``endpoint``."""
    known = dict(store.meta(ENDPOINT_SYNCS) or {})
    known[normalise_url(endpoint.url)] = {"kind": endpoint.kind, "name": endpoint.name,
                                          "ms": at_ms}
    return {ENDPOINT_SYNCS: known}


def known_endpoints(store: Store) -> tuple[Endpoint, ...]:
    """Every endpoint the device has finished a round with, the paired server first."""
    server = normalise_url(store.meta(SERVER) or "")
    found = [Endpoint(doc.get("kind", HUB), url, doc.get("name", ""), doc.get("ms"))
             for url, doc in (store.meta(ENDPOINT_SYNCS) or {}).items()]
    if server and server not in {e.url for e in found}:
        found.append(Endpoint(SERVER_KIND, server, SERVER_NAME))
    return tuple(sorted(found, key=lambda e: (e.url != server, e.kind, e.name, e.url)))
