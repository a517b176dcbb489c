"""Request and response bodies as pydantic models: they parse requests and feed OpenAPI.

Requests are strict (no "1" for 1, no 1 for "1"): a client's type bug should be a clear
400, not silently coerced. Ops stay untyped here because each op is judged on its own
(``ops.check_op``) and a bad one is rejected alone instead of failing the whole push.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sync.schema import SCHEMA_VERSION

ID = r"^[A-Za-z0-9._~-]{1,128}$"
SHA256 = r"^[0-9a-f]{64}$"
#: The largest integer every JSON reader holds exactly (a double's 53 bits).
MAX_JSON_INT = 2**53 - 1
#: Devices in one ``POST /v1/hub/devices``.
MAX_REGISTERED_DEVICES = 1000


def json_integer(value: Any) -> Any:
    """JSON has one kind of number: 2.0 is the integer 2 (but "2" is still refused)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class HubHealth(BaseModel):
    team_id: str
    name: str = Field(description="the team's name")
    upstream: Literal["linked", "unreachable", "revoked", "none"]
    relay_waiting: int = Field(description="ops waiting to be relayed upstream")
    last_upstream_ms: int | None = Field(description="last exchange with upstream")


class Health(BaseModel):
    status: str
    version: int = Field(description="sync protocol version")
    schema_version: int = Field(alias="schema", description="collection schema version")
    server_time: int = Field(description="server clock, epoch milliseconds")
    hub: HubHealth | None = Field(default=None, description="only on a base-camp hub")


class Named(Strict):
    """A body naming a device: 1-200 printable characters."""

    name: str = Field(min_length=1, max_length=200,
                      json_schema_extra={"pattern": "^[^\\u0000-\\u001f\\u007f]*$"})

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        # PostgreSQL text cannot hold NUL. (A lone surrogate never gets here: a strict
        # ``str`` refuses one while parsing.)
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise ValueError("a device name cannot contain control characters such as NUL")
        return name


class PairRequest(Named):
    invite: str = Field(max_length=64)
    device_id: str = Field(pattern=ID)
    hub: bool = Field(default=False, description="pair a base-camp hub (with a coordinator"
                      " or hub invite)")


class PairResponse(BaseModel):
    token: str = Field(description="bearer token; shown only in this response")
    team_id: str
    role: str
    team_name: str = Field(description="the team's name (a hub names its team so)")


class Batch(Strict):
    """What a push and a relay share: the sending device, its schema, and the ops."""

    device_id: str
    # Not enforced here: an unsupported schema gets its own code (unsupported_schema).
    schema_version: int = Field(alias="schema",
                                json_schema_extra={"minimum": 1, "maximum": SCHEMA_VERSION})
    ops: list[Any]

    @field_validator("schema_version", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        return json_integer(value)


class PushRequest(Batch):
    ops: list[Any] = Field(description='[{"op_id", "coll", "id", "hlc", "set", "delete"}]')


class RelayRequest(Batch):
    ops: list[Any] = Field(description='[{"origin", "op_id", "coll", "id", "hlc", "set",'
                           ' "delete"}]: each op as its origin device pushed it to the hub')


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """A body as OpenAPI documents it: push and relay routes read the body themselves, on
    a push thread (``sync.server.push``), so FastAPI does not derive it from a parameter."""
    return {"required": True, "content": {"application/json": {"schema": model.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}")}}}


PUSH_REQUEST_BODY = _body(PushRequest)
RELAY_REQUEST_BODY = _body(RelayRequest)


class RejectionModel(BaseModel):
    op_id: str | None
    code: str
    message: str


class PushResponse(BaseModel):
    acked: list[str]
    rejected: list[RejectionModel]
    server_time: int


class RelayedAckModel(BaseModel):
    origin: str
    op_id: str


class RelayRejectionModel(BaseModel):
    origin: str | None
    op_id: str | None
    code: str
    message: str


class RelayResponse(BaseModel):
    acked: list[RelayedAckModel]
    rejected: list[RelayRejectionModel]
    server_time: int


class HubDeviceModel(BaseModel):
    device_id: str
    name: str
    role: str
    token_hash: str = Field(description="sha256 hex of the device's bearer token")
    paired_ms: int
    revoked_ms: int | None


class HubDevicesResponse(BaseModel):
    devices: list[HubDeviceModel]
    server_time: int


class RegisteredDevice(Named):
    device_id: str = Field(pattern=ID)
    role: Literal["coordinator", "crew"]
    token_hash: str = Field(pattern=SHA256, description="sha256 hex of the device's token")
    paired_ms: int = Field(ge=0, le=MAX_JSON_INT)

    @field_validator("paired_ms", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        return json_integer(value)


class RegisterDevicesRequest(Strict):
    devices: list[RegisteredDevice] = Field(max_length=MAX_REGISTERED_DEVICES)


class DeviceRejectionModel(BaseModel):
    device_id: str
    code: str
    message: str


class RegisterDevicesResponse(BaseModel):
    accepted: list[str]
    rejected: list[DeviceRejectionModel]


class ChangeModel(BaseModel):
    coll: str
    id: str
    fields: dict[str, Any]
    hlc: dict[str, str]
    deleted: bool
    seq: int


class PulledRejectionModel(BaseModel):
    op: dict[str, Any] = Field(description="the op as the device pushed it")
    code: str
    message: str


class PullResponse(BaseModel):
    changes: list[ChangeModel]
    cursor: int
    more: bool
    rejected: list[PulledRejectionModel] | None = Field(
        default=None, description="only from a hub: this device's ops the upstream server"
        " refused, numbered after cursor up to the answer's cursor")
    server_time: int


class BlobStored(BaseModel):
    sha256: str
    size: int


class ErrorModel(BaseModel):
    error: str
    message: str
