"""What only a hub's token may ask: the team's devices, registering devices paired at the
hub, and relaying its devices' ops (``403 not_a_hub`` for any other device)."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Request, Response

from sync import wire

from . import models
from .deps import AuthenticatedHub, Context
from .relay import merge_relay
from .routes import on_push_lane
from .storage import TeamDevice

router = APIRouter(prefix="/v1")


@router.get("/hub/devices", response_model=models.HubDevicesResponse)
def team_devices(hub: AuthenticatedHub, context: Context) -> dict[str, Any]:
    """Every device of the hub's team but hubs, revoked ones with ``revoked_ms``."""
    devices = [dataclasses.asdict(device) for device in context.storage.team_devices(hub.team_id)
               if device.role != wire.HUB_ROLE]
    return {"devices": devices, "server_time": context.clock()}


@router.post("/hub/devices", response_model=models.RegisterDevicesResponse)
def register_devices(body: models.RegisterDevicesRequest, hub: AuthenticatedHub,
                     context: Context) -> dict[str, Any]:
    """Register devices that paired at the hub into its team; idempotent per device."""
    refusals = context.storage.register_devices(hub.team_id, [
        TeamDevice(device.device_id, device.name, device.role, device.token_hash,
                   device.paired_ms) for device in body.devices])
    accepted, rejected = [], []
    for device, refusal in zip(body.devices, refusals, strict=True):
        if refusal is None:
            accepted.append(device.device_id)
        else:
            rejected.append({"device_id": device.device_id, "code": "device_exists",
                             "message": refusal})
    return {"accepted": accepted, "rejected": rejected}


@router.post("/relay", response_model=models.RelayResponse,
             openapi_extra={"requestBody": models.RELAY_REQUEST_BODY},
             responses={503: {"model": models.ErrorModel,
                              "description": "too many pushes waiting, or database down"}})
async def relay(request: Request, hub: AuthenticatedHub, context: Context) -> Response:
    """Merge ops the hub took from its devices, each checked as its origin's own push."""
    return await on_push_lane(request, context, hub.team_id,
                              lambda raw: merge_relay(raw, hub, context))
