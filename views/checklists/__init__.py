"""The Checklists screen: the day's lists, ticking, sign-off (see ``screen``)."""

from views.checklists.screen import build_checklists

__all__ = ["build_checklists"]
