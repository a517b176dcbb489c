"""Scan-to-cart: choose the person once, scan many codes, confirm once.

A cart only collects: nothing is written until :meth:`confirm`, which records every
item in one transaction. Each scan says what it did (added, already in the cart, not
available and why, unknown code), so a hardware scanner can fire codes as fast as it
likes and the screen still shows every problem. Scanning a case adds the case and what
is in it; members that cannot go are reported, and the rest can still go.

:class:`CheckoutCart` hands items to one person; :class:`ReturnCart` takes them back,
with a condition and a note per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from app.custody import Custody, CustodyError, custody_of
from app.custody_actions import Return, check_in_items, check_out_items
from app.equipment import ItemScan, UnknownCode, resolve_code
from app.store import Store


@dataclass(frozen=True)
class ScanResult:
    """What one scan did to the cart."""

    code: str
    unknown: bool = False
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    refused: list[Custody] = field(default_factory=list)
    """Items that cannot take part (out to someone, in repair, missing, retired; or, on
    return, not out at all), with the custody that explains why."""


class _Cart:
    """The items scanned so far, in scan order; subclasses say which items may join."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._items: dict[str, None] = {}

    def _accepts(self, state: Custody) -> bool:
        raise NotImplementedError

    @property
    def item_ids(self) -> list[str]:
        return list(self._items)

    def scan(self, code: str) -> ScanResult:
        """Add what a scanned code names; an unknown code changes nothing."""
        resolved = resolve_code(self._store, code)
        if isinstance(resolved, UnknownCode):
            return ScanResult(resolved.code, unknown=True)
        if isinstance(resolved, ItemScan):
            ids = [resolved.item["id"]]
        else:
            ids = [resolved.case["id"], *(item["id"] for item in resolved.contents)]
        result = ScanResult(code.strip())
        for item_id in ids:
            if item_id in self._items:
                result.duplicates.append(item_id)
                continue
            state = custody_of(self._store, item_id)
            if self._accepts(state):
                self._items[item_id] = None
                result.added.append(item_id)
            else:
                result.refused.append(state)
        return result

    def remove(self, item_id: str) -> None:
        self._items.pop(item_id, None)

    def clear(self) -> None:
        self._items.clear()

    def _require_items(self) -> list[str]:
        if not self._items:
            raise CustodyError("The cart is empty: scan something first.")
        return self.item_ids


class CheckoutCart(_Cart):
    """Items going out to one person, due back at one time."""

    def __init__(
        self,
        store: Store,
        person_id: str,
        *,
        due_at: datetime | None = None,
        production_id: str | None = None,
    ) -> None:
        super().__init__(store)
        self.person_id = person_id
        self.due_at = due_at
        self.production_id = production_id

    def _accepts(self, state: Custody) -> bool:
        return state.in_store

    def confirm(self, *, at: datetime, note: str = "") -> list[str]:
        """Check everything out in one transaction and empty the cart.

        If another device took an item since it was scanned, nothing is recorded and
        the error names it; the cart keeps its items so it can be removed and retried.
        """
        events = check_out_items(
            self._store,
            self._require_items(),
            self.person_id,
            due_at=self.due_at,
            at=at,
            note=note,
            production_id=self.production_id,
        )
        self.clear()
        return events


class ReturnCart(_Cart):
    """Items coming back; each is "good" unless told otherwise."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._returns: dict[str, Return] = {}

    def _accepts(self, state: Custody) -> bool:
        return state.holder_id is not None

    def set_condition(self, item_id: str, condition: str, **details: Any) -> None:
        """Record ``condition`` and optionally ``note``, ``photo``, ``flag_repair``."""
        if item_id not in self._items:
            raise CustodyError("Scan the item before describing its condition.")
        self._returns[item_id] = replace(self.returned(item_id), condition=condition, **details)

    def returned(self, item_id: str) -> Return:
        return self._returns.get(item_id, Return(item_id))

    def remove(self, item_id: str) -> None:
        super().remove(item_id)
        self._returns.pop(item_id, None)

    def clear(self) -> None:
        super().clear()
        self._returns.clear()

    def confirm(self, *, at: datetime) -> list[str]:
        """Check everything in (damage recorded, repair flagged) in one transaction."""
        returns = [self.returned(item_id) for item_id in self._require_items()]
        events = check_in_items(self._store, returns, at=at)
        self.clear()
        return events


__all__ = ["CheckoutCart", "ReturnCart", "ScanResult"]
