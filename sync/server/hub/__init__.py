"""A base-camp hub: a sync server that relays its team's ops to an upstream server and
serves upstream's changes to its own devices (``crewkit-server hub``)."""

from __future__ import annotations

from .app import create_hub_app
from .relay import Relay
from .side import HubSide, hub_status

__all__ = ["HubSide", "Relay", "create_hub_app", "hub_status"]
