"""Running the app under uvicorn: a server that, when told to stop, first answers the
long-polls it holds (``LiveTeams.close``), so stopping waits only for real work."""

from __future__ import annotations

import socket

import uvicorn
from fastapi import FastAPI

from .deps import ServerContext


class CrewkitServer(uvicorn.Server):
    def __init__(self, app: FastAPI, host: str, port: int, log_level: str = "info") -> None:
        super().__init__(uvicorn.Config(app, host=host, port=port, log_level=log_level))
        self.context: ServerContext = app.state.context

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.context.live.close()
        await super().shutdown(sockets)


def run(app: FastAPI, host: str, port: int) -> None:
    """Serve ``app`` until the process is told to stop (Ctrl-C, SIGTERM); exit with
    status 3, as uvicorn does, if it could not start (the port is taken)."""
    server = CrewkitServer(app, host, port)
    server.run()
    if not server.started:
        raise SystemExit(3)
