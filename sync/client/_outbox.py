"""Reading and settling the store's outbox and pending-blob table.

The outbox is the device's promise that nothing is lost: an op leaves it only when the
server has acknowledged it. A rejected op stays, marked with the server's code and
message, so the user can see it (and retry it); it is never silently dropped. Each
settlement is one store transaction, so a crash leaves every op either pending (and
harmlessly replayed, since the server deduplicates) or settled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from app.store import BLOBS, OUTBOX
from sync import wire

if TYPE_CHECKING:
    from app.store import Store, Transaction

PENDING, REJECTED = "pending", "rejected"
TEAM_CHANGED = "team_changed"  # the device's own code: the op was made for another team
#: An op a hub accepted that the company server then refused (it came back in a pull).
UPSTREAM = "upstream"


@dataclass(frozen=True)
class RejectedOp:
    """An op the server refused, kept on the device for the user to see."""

    op_id: str
    coll: str
    id: str
    code: str
    message: str
    #: Refused by the company server after a hub had accepted it.
    upstream: bool = False


def pending_ops(store: Store, limit: int) -> list[wire.Op]:
    """The oldest ``limit`` pending ops, in creation order, as they go on the wire."""
    found = _with_status(store, PENDING).items()
    return [
        {"op_id": op_id, "coll": doc["coll"], "id": doc["id"], "hlc": doc["hlc"],
         "set": doc["set"], "delete": doc["delete"]}
        for op_id, doc in islice(found, limit)
    ]


def outbox_counts(store: Store) -> tuple[int, int]:
    """How many ops are (pending, rejected)."""
    statuses = [doc.get("status") for doc in store.private(OUTBOX).values()]
    return statuses.count(PENDING), statuses.count(REJECTED)


def settle(store: Store, acked: Iterable[str], rejected: Iterable[wire.Rejection]) -> int:
    """Forget acknowledged ops and mark rejected ones, in one transaction; return how
    many ops were settled. Ids the device never sent (or already settled) are ignored."""
    outbox = store.private(OUTBOX)
    settled = 0
    with store.transaction() as tx:
        for op_id in acked:
            if op_id in outbox:
                tx.put_private(OUTBOX, op_id, None)
                settled += 1
        for rejection in rejected:
            doc = outbox.get(rejection.get("op_id") or "")
            if doc is not None and doc.get("status") == PENDING:
                marked = _rejected(doc, rejection["code"], rejection["message"])
                tx.put_private(OUTBOX, rejection["op_id"], marked)  # type: ignore[arg-type]
                settled += 1
    return settled


def reject_from_upstream(store: Store, rejections: Iterable[Any]) -> int:
    """Mark the ops the company server refused (reported back by a hub's pull) rejected,
    in one transaction; return how many changed. An op still pending becomes rejected;
    one already acknowledged (by the hub) comes back into the outbox as rejected, from
    the op the hub reports; one already marked so is left alone. Malformed entries are
    skipped."""
    outbox = store.private(OUTBOX)
    changed = 0
    with store.transaction() as tx:
        for rejection in rejections:
            doc = _upstream_rejection(outbox, rejection)
            if doc is None:
                continue
            op_id = rejection["op"]["op_id"]
            tx.put_private(OUTBOX, op_id, doc)
            outbox[op_id] = doc
            changed += 1
    return changed


def _upstream_rejection(outbox: dict[str, dict[str, Any]], rejection: Any) -> dict[str, Any] | None:
    """The outbox entry that records ``rejection``, or None if it is already recorded or
    is not a rejection of one of this device's ops."""
    try:
        op, code, message = rejection["op"], str(rejection["code"]), str(rejection["message"])
        op_id = op["op_id"]
        doc = outbox.get(op_id) or {"coll": str(op["coll"]), "id": str(op["id"]),
                                     "hlc": str(op["hlc"]), "set": dict(op.get("set") or {}),
                                     "delete": bool(op.get("delete", False))}
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(op_id, str) or (doc.get("status") == REJECTED and doc.get(UPSTREAM)):
        return None
    return {**_rejected(doc, code, message), UPSTREAM: True}


def hold_for_team_change(store: Store, tx: Transaction) -> int:
    """On joining another team, hold every pending op as rejected (inside ``tx``, the
    pairing's transaction) instead of pushing it into a team it was not made for.
    The ops stay visible; "retry" sends them to the new team deliberately."""
    held = _with_status(store, PENDING)
    message = "made while this device was in another team; retry to send it to this one"
    for op_id, doc in held.items():
        tx.put_private(OUTBOX, op_id, _rejected(doc, TEAM_CHANGED, message))
    return len(held)


def _rejected(doc: dict[str, Any], code: str, message: str) -> dict[str, Any]:
    return {**doc, "status": REJECTED, "code": code, "message": message}


def rejected_ops(store: Store) -> list[RejectedOp]:
    return [
        RejectedOp(op_id, doc["coll"], doc["id"], doc.get("code", ""), doc.get("message", ""),
                   bool(doc.get(UPSTREAM)))
        for op_id, doc in _with_status(store, REJECTED).items()
    ]


def retry_rejected(store: Store) -> int:
    """Put every rejected op back in the queue (after the cause was fixed, e.g. a role
    change or a corrected clock); return how many."""
    again = _with_status(store, REJECTED)
    with store.transaction() as tx:
        for op_id, doc in again.items():
            fresh = {k: v for k, v in doc.items() if k not in ("code", "message", UPSTREAM)}
            tx.put_private(OUTBOX, op_id, {**fresh, "status": PENDING})
    return len(again)


def pending_blobs(store: Store) -> list[str]:
    return list(_with_status(store, PENDING, table=BLOBS))


def forget_blob(store: Store, sha256: str) -> None:
    """The server has the blob: stop tracking it (the file itself stays on the device)."""
    with store.transaction() as tx:
        tx.put_private(BLOBS, sha256, None)


def _with_status(store: Store, status: str, table: str = OUTBOX) -> dict[str, dict[str, Any]]:
    return {k: doc for k, doc in store.private(table).items() if doc.get("status") == status}
