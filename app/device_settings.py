"""Settings that belong to this device, not to the crew: kept with the device's data
but never synced, so each phone or laptop remembers its own choices across restarts."""

from __future__ import annotations

from app.store import Store

OPEN_PRODUCTION = "open_production"


def remembered_production(store: Store) -> str | None:
    """The production this device had open when it was last used, if any."""
    value = store.meta(OPEN_PRODUCTION)
    return value if isinstance(value, str) else None


def remember_production(store: Store, production_id: str | None) -> None:
    """Note which production this device has open, to reopen it on the next start."""
    if remembered_production(store) == production_id:
        return
    with store.transaction() as tx:
        tx.set_meta(OPEN_PRODUCTION, production_id)
