"""Join links (``crewkit://join?server=URL&code=CODE``), read the same way by a device
pairing with a server or a hub and by a hub joining the company server.

The link is checked before anything goes on the network, so a mistyped or foreign QR
code gets a precise message rather than a connection error. Nothing here imports the
device's store or UI libraries: the server reads links too.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

JOIN_SCHEME = "crewkit"
JOIN_HOST = "join"


class PairingFailed(ValueError):
    """The join link is not valid, or the server refused it; ``str()`` says which."""


@dataclass(frozen=True)
class JoinLink:
    server: str
    code: str


def parse_join_link(uri: str) -> JoinLink:
    """Validate a join link and return its server URL (no trailing slash) and code."""
    text = uri.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() != JOIN_SCHEME or parts.netloc.lower() != JOIN_HOST:
        raise PairingFailed(f"not a Crewkit join link (expected crewkit://join?…): {text[:60]!r}")
    query = parse_qs(parts.query, keep_blank_values=True)
    for name in ("server", "code"):
        values = query.get(name, [])
        if len(values) != 1 or not values[0].strip():
            raise PairingFailed(f"the join link needs exactly one non-empty {name!r} parameter")
    server, code = query["server"][0].strip().rstrip("/"), query["code"][0].strip()
    target = urlsplit(server)
    if target.scheme not in ("http", "https") or not target.hostname:
        raise PairingFailed(f"the join link's server must be an http(s) URL, not {server!r}")
    if target.query or target.fragment:
        raise PairingFailed(f"the join link's server URL must not carry a query: {server!r}")
    return JoinLink(server, code)
