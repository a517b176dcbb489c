"""``crewkit-server``: serve the sync endpoint and manage teams, invites and devices.

    crewkit-server [--data DIR] serve [--host 127.0.0.1] [--port 8765] [--public-url URL]
                                     [--advertise] [--name NAME]
    crewkit-server [--data DIR] invite --team NAME --role coordinator|crew|hub [--json]
                                      [--png FILE] [--server-url URL] [--expires 7d]
    crewkit-server [--data DIR] devices [--json]
    crewkit-server [--data DIR] revoke DEVICE_ID
    crewkit-server [--data DIR] release DEVICE_ID
    crewkit-server [--data DIR] hub [--join LINK | --team NAME] [--name NAME]
                                   [--host 0.0.0.0] [--port 8765] [--public-url URL]
                                   [--no-advertise]
    crewkit-server [--data DIR] status [--json]

Storage is SQLite under ``--data`` unless ``CREWKIT_DATABASE_URL`` names a PostgreSQL
database; blobs always live in ``DIR/blobs``. Management commands talk to storage
directly, so they work while a server is running against the same data.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import socket
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from app.hlc import wall_ms
from sync.wire import HUB_ROLE, ROLES

from .auth import new_invite_code, secret_hash
from .storage import INVITE_TTL_MS, Storage, open_storage

if TYPE_CHECKING:
    from fastapi import FastAPI

DEFAULT_DATA = "./crewkit-server-data"
DEFAULT_URL = "http://127.0.0.1:8765"
#: Where ``serve`` records the address devices reach it at, for ``invite`` to put in links.
URL_FILE = "server-url"
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def served_url(host: str, port: int, public_url: str | None) -> str | None:
    """The address to put in join links: the public URL if given, else the one served on
    (None when serving on every interface, where no single address is known)."""
    if public_url:
        return public_url.rstrip("/")
    if host in WILDCARD_HOSTS:
        return None
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _invite_url(args: argparse.Namespace) -> str:
    if args.server_url:
        return str(args.server_url).rstrip("/")
    recorded = Path(args.data) / URL_FILE
    if recorded.is_file():
        return recorded.read_text(encoding="utf-8").strip()
    print(f"No address recorded by `crewkit-server serve` in {args.data}; the link guesses"
          f" {DEFAULT_URL}. Pass --server-url URL (or serve with --public-url URL) to set it.",
          file=sys.stderr)
    return DEFAULT_URL


def join_uri(server_url: str, code: str) -> str:
    return "crewkit://join?" + urlencode({"server": server_url, "code": code}, safe=":/")


def _serve(args: argparse.Namespace, storage: Storage) -> int:
    from .app import create_app

    return _serve_app(args, storage, create_app(storage, Path(args.data) / "blobs"))


def _serve_app(args: argparse.Namespace, storage: Storage, app: FastAPI) -> int:
    from .serving import run  # only serving needs uvicorn

    Path(args.data).mkdir(parents=True, exist_ok=True)
    recorded = Path(args.data) / URL_FILE
    url = served_url(args.host, args.port, args.public_url)
    if url:
        recorded.write_text(url + "\n", encoding="utf-8")
    else:
        recorded.unlink(missing_ok=True)
    announcing: AbstractContextManager[object] = nullcontext()
    if args.advertise:
        from .advertising import advertising  # zeroconf is only needed to announce

        announcing = advertising(storage, args.host, args.port, args.name)
    with announcing:
        run(app, args.host, args.port)
    return 0


DURATION = re.compile(r"([1-9][0-9]{0,4})([mhd])")
UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000}


def duration_ms(text: str) -> int:
    """``30m``, ``12h`` or ``7d`` in milliseconds (argparse type)."""
    found = DURATION.fullmatch(text.strip())
    if not found:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration such as 30m, 12h or 7d")
    return int(found.group(1)) * UNIT_MS[found.group(2)]


def _hub_refuses_invite(storage: Storage, team: str, role: str) -> str | None:
    """Why a hub makes no such invite: it serves one team, and relays no other hub."""
    link = storage.hub_link()
    if link is None:
        return None
    if team != link.team_name:
        return f"this hub serves team {link.team_name!r} only; invite into that team"
    if role == HUB_ROLE:
        return "a hub invites devices, not other hubs; invite hubs at the company server"
    return None


def _invite(args: argparse.Namespace, storage: Storage) -> int:
    import qrcode

    refused = _hub_refuses_invite(storage, args.team, args.role)
    if refused:
        print(f"crewkit-server invite: {refused}", file=sys.stderr)
        return 1
    code = new_invite_code()
    now = wall_ms()
    expires_ms = now + args.expires
    team_id = storage.create_invite(args.team, args.role, secret_hash(code), now, expires_ms)
    uri = join_uri(_invite_url(args), code)
    if args.png:
        qrcode.make(uri).save(args.png)
    if args.json:
        print(json.dumps({"code": code, "uri": uri, "team_id": team_id, "role": args.role,
                          "expires_ms": expires_ms}))
        return 0
    expires = datetime.fromtimestamp(expires_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Invite for team {args.team!r} ({team_id}) as {args.role}: single use,"
          f" expires {expires}.")
    print(f"Code: {code}")
    print(f"URI:  {uri}")
    qr = qrcode.QRCode(border=2)
    qr.add_data(uri)
    qr.print_ascii(out=sys.stdout, invert=True)
    if args.png:
        print(f"QR code written to {args.png}")
    return 0


def _devices(args: argparse.Namespace, storage: Storage) -> int:
    devices = storage.devices()
    if args.json:
        print(json.dumps([dataclasses.asdict(d) for d in devices]))
        return 0
    if not devices:
        print("No paired devices. Pair one with: crewkit-server invite --team NAME --role crew")
    for d in devices:
        state = "revoked" if d.revoked_ms is not None else "active"
        print(f"{d.device_id}  {d.name!r}  team={d.team_name} ({d.team_id})  {d.role}  {state}")
    return 0


def _revoke(args: argparse.Namespace, storage: Storage) -> int:
    if storage.revoke(args.device_id, wall_ms()):
        print(f"Revoked {args.device_id}: its token no longer works; an invite of its team"
              " can pair it again (`release` it to let another team's invite pair it).")
        return 0
    print(f"No active device {args.device_id!r} (see: crewkit-server devices)", file=sys.stderr)
    return 1


def _release(args: argparse.Namespace, storage: Storage) -> int:
    if storage.release(args.device_id):
        print(f"Released {args.device_id}: an invite of any team can now pair it.")
        return 0
    print(f"No revoked device {args.device_id!r}; revoke it first (see: crewkit-server"
          " devices)", file=sys.stderr)
    return 1


def _hub(args: argparse.Namespace, storage: Storage) -> int:
    import asyncio

    from sync.links import PairingFailed

    from .hub import create_hub_app
    from .hub.joining import join_upstream
    from .storage import HubLinkError

    try:
        if args.team:
            storage.start_hub_team(args.team, wall_ms())
        elif args.join:
            asyncio.run(join_upstream(storage, args.join, args.name, wall_ms()))
    except (PairingFailed, HubLinkError) as refused:
        print(f"crewkit-server hub: {refused}", file=sys.stderr)
        return 1
    link = storage.hub_link()
    if link is None:
        print("This data directory holds no hub yet: pair it with an invite of the company"
              " server (crewkit-server hub --join 'crewkit://join?…'), or start a team of"
              " its own (crewkit-server hub --team NAME).", file=sys.stderr)
        return 1
    app = create_hub_app(storage, Path(args.data) / "blobs")
    if link.upstream_url is None:
        print(f"Hub of team {link.team_name!r} ({link.team_id}), no upstream: invite devices"
              f" with crewkit-server --data {args.data} invite --team {link.team_name!r}")
    else:
        state = asyncio.run(app.state.relay.run_once())
        said = f" ({app.state.relay.last_error})" if app.state.relay.last_error else ""
        print(f"Hub of team {link.team_name!r} ({link.team_id}), upstream {link.upstream_url}:"
              f" {state}{said}", flush=True)
    return _serve_app(args, storage, app)


def _status(args: argparse.Namespace, storage: Storage) -> int:
    from .hub import hub_status

    status = hub_status(storage)
    if args.json:
        print(json.dumps(status))
        return 0 if status else 1
    if status is None:
        print("This server is not a hub (see: crewkit-server hub --help).")
        return 1
    last = status["last_upstream_ms"]
    when = ("never" if last is None else
            datetime.fromtimestamp(last / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
    print(f"Hub of team {status['name']!r} ({status['team_id']})")
    print(f"Upstream: {status['upstream']}; last exchange {when}")
    print(f"Waiting to be relayed upstream: {status['relay_waiting']} op(s)")
    if status["upstream"] == "revoked":
        print("The upstream server revoked this hub: pair it again with"
              " crewkit-server hub --join LINK (a new hub invite).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crewkit-server", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help=f"data directory: SQLite database and blobs (default {DEFAULT_DATA})")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sync endpoint")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--public-url", metavar="URL",
                       help="the URL devices reach this server at, recorded for invite links"
                            " (default http://HOST:PORT)")
    serve.add_argument("--advertise", action="store_true",
                       help="announce this server's teams by mDNS (_crewkit._tcp) on the"
                            " networks it listens on, so devices on the Wi-Fi find it")
    serve.add_argument("--name", default=socket.gethostname()[:40],
                       help="the name announced with --advertise (default: the host name)")
    serve.set_defaults(run=_serve)
    invite = commands.add_parser("invite", help="create a single-use invite to pair a device")
    invite.add_argument("--team", required=True, help="team name (created if new)")
    invite.add_argument("--role", required=True, choices=ROLES,
                        help="hub: pairs a base-camp hub (crewkit-server hub --join)")
    invite.add_argument("--json", action="store_true",
                        help='print one JSON object'
                             ' {"code", "uri", "team_id", "role", "expires_ms"}')
    invite.add_argument("--png", metavar="FILE", help="also write the QR code as a PNG image")
    invite.add_argument("--expires", metavar="DURATION", type=duration_ms,
                        default=INVITE_TTL_MS,
                        help="how long the invite stays usable: 30m, 12h, 7d (default 7d)")
    invite.add_argument("--server-url", metavar="URL",
                        help="the URL devices reach this server at (default: the one"
                             f" `serve` recorded, else {DEFAULT_URL})")
    invite.set_defaults(run=_invite)
    devices = commands.add_parser("devices", help="list paired devices")
    devices.add_argument("--json", action="store_true", help="print a JSON array")
    devices.set_defaults(run=_devices)
    revoke = commands.add_parser("revoke", help="revoke a device's token")
    revoke.add_argument("device_id", metavar="DEVICE_ID")
    revoke.set_defaults(run=_revoke)
    release = commands.add_parser(
        "release", help="let a revoked device pair into another team (forgets the device)")
    release.add_argument("device_id", metavar="DEVICE_ID")
    release.set_defaults(run=_release)
    hub = commands.add_parser(
        "hub", help="run a base-camp hub: serve the location's network and relay upstream")
    joined = hub.add_mutually_exclusive_group()
    joined.add_argument("--join", metavar="LINK",
                        help="pair the hub with the company server: a crewkit://join link of"
                             " a hub or coordinator invite (crewkit-server invite --role hub)")
    joined.add_argument("--team", metavar="NAME",
                        help="a team of the hub's own, with no upstream (joinable later)")
    hub.add_argument("--name", default=socket.gethostname()[:40],
                     help="the hub's name upstream and in mDNS (default: the host name)")
    hub.add_argument("--host", default="0.0.0.0")
    hub.add_argument("--port", type=int, default=8765)
    hub.add_argument("--public-url", metavar="URL",
                     help="the URL devices reach the hub at, recorded for invite links")
    hub.add_argument("--no-advertise", dest="advertise", action="store_false",
                     help="do not announce the hub by mDNS (_crewkit._tcp)")
    hub.set_defaults(run=_hub)
    status = commands.add_parser("status", help="show a hub's team, upstream and relay queue")
    status.add_argument("--json", action="store_true",
                        help='print {"team_id", "name", "upstream", "relay_waiting",'
                             ' "last_upstream_ms"} (null if this server is no hub)')
    status.set_defaults(run=_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    storage = open_storage(Path(args.data))
    try:
        return int(args.run(args, storage))
    finally:
        storage.close()


if __name__ == "__main__":
    sys.exit(main())
