"""Every failure reaches the client as ``{"error": code, "message": text}`` with a 4xx/5xx.

Handlers cover our own errors, FastAPI's validation errors, Starlette's 404/405 and any
unexpected exception (logged here, never sent: a stack trace helps an attacker, not a
crew member). The body-size guard sits in front of the app so an oversized request is
refused before it is buffered.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.wire import ERROR_STATUS

from .storage import DatabaseUnavailable

log = logging.getLogger("crewkit.server")
#: What a request gets while the database does not answer, and when to try again.
DATABASE_DOWN = ("database_unavailable", "the database is not answering; try again shortly")
RETRY_AFTER_S = 5


class ApiError(HTTPException):
    """A refusal with a protocol error code (see ``sync.wire.ERROR_STATUS``)."""

    def __init__(self, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(ERROR_STATUS[code], message, headers)
        self.code = code


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": code, "message": message}).encode()


def _describe(errors: list[Any]) -> tuple[str, str]:
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return "malformed_json", "the body is not valid JSON: " + str(first.get("ctx", {}).get(
            "error", "syntax error"))
    where = ".".join(str(part) for part in first.get("loc", ()))
    return "invalid_request", f"{where}: {first.get('msg', 'invalid value')}"


METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed(request: Request) -> list[str]:
    """Every method some route of the app takes on this request's path."""
    routes = request.app.router.routes
    return [method for method in METHODS
            if any(route.matches({**request.scope, "method": method})[0] is Match.FULL
                   for route in routes)]


def install_error_handlers(app: FastAPI) -> None:
    def respond(status: int, code: str, message: str, headers: Any = None) -> JSONResponse:
        return JSONResponse({"error": code, "message": message}, status, headers)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        default = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        code = getattr(exc, "code", default or "invalid_request")
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if code == "not_found" and not isinstance(exc, ApiError):
            message = f"no such endpoint: {request.method} {request.url.path}"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the methods of the first route on the path it tried.
            headers["Allow"] = ", ".join(_allowed(request))
        return respond(exc.status_code, code, message, headers)

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return respond(400, *_describe(list(exc.errors())))

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable on %s %s", request.method, request.url.path)
        return respond(503, *DATABASE_DOWN, {"Retry-After": str(RETRY_AFTER_S)})

    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(500, "internal_error", "the server failed; the request may be retried")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(DatabaseUnavailable, unavailable)
    app.add_exception_handler(Exception, crashed)


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__("body_too_large", f"the request body is larger than {limit} bytes")


class BodyLimit:
    """ASGI middleware refusing bodies over ``limit_for(path)`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        refusal = None
        if declared is not None and not declared.isdigit():
            refusal = 400, error_body("invalid_request", "Content-Length is not a number")
        elif declared is not None and int(declared) > limit:
            refusal = 413, error_body("body_too_large",
                                      f"the request body is larger than {limit} bytes")
        if refusal:
            await send({"type": "http.response.start", "status": refusal[0],
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": refusal[1]})
            return
        received = 0

        async def counting_receive() -> Message:
            # Raised inside the app's body read, so FastAPI's handlers turn it into a 413.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)
