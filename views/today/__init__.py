"""The Today screen: the production's day as a timeline (see ``screen``)."""

from views.today.screen import build_today

__all__ = ["build_today"]
