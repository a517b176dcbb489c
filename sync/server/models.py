"""Request and response bodies as pydantic models: they parse requests and feed OpenAPI.

Requests are strict (no "1" for 1, no 1 for "1"): a client's type bug should be a clear
400, not silently coerced. Ops stay untyped here because each op is judged on its own
(``ops.check_op``) and a bad one is rejected alone instead of failing the whole push.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sync.schema import SCHEMA_VERSION

ID = r"^[A-Za-z0-9._~-]{1,128}$"


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Health(BaseModel):
    status: str
    version: int = Field(description="sync protocol version")
    schema_version: int = Field(alias="schema", description="collection schema version")
    server_time: int = Field(description="server clock, epoch milliseconds")


class PairRequest(Strict):
    invite: str = Field(max_length=64)
    device_id: str = Field(pattern=ID)
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


class PairResponse(BaseModel):
    token: str = Field(description="bearer token; shown only in this response")
    team_id: str
    role: str


class PushRequest(Strict):
    device_id: str
    # Not enforced here: an unsupported schema gets its own code (unsupported_schema).
    schema_version: int = Field(alias="schema",
                                json_schema_extra={"minimum": 1, "maximum": SCHEMA_VERSION})
    ops: list[Any] = Field(description='[{"op_id", "coll", "id", "hlc", "set", "delete"}]')

    @field_validator("schema_version", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        # JSON has one kind of number: 2.0 is the integer 2 (but "2" is still refused).
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


#: The push body as OpenAPI documents it: the route reads the body itself, on a push
#: thread (``sync.server.push``), so FastAPI does not derive it from a parameter.
PUSH_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {"application/json": {"schema": PushRequest.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}")}},
}


class RejectionModel(BaseModel):
    op_id: str | None
    code: str
    message: str


class PushResponse(BaseModel):
    acked: list[str]
    rejected: list[RejectionModel]
    server_time: int


class ChangeModel(BaseModel):
    coll: str
    id: str
    fields: dict[str, Any]
    hlc: dict[str, str]
    deleted: bool
    seq: int


class PullResponse(BaseModel):
    changes: list[ChangeModel]
    cursor: int
    more: bool
    server_time: int


class BlobStored(BaseModel):
    sha256: str
    size: int


class ErrorModel(BaseModel):
    error: str
    message: str
