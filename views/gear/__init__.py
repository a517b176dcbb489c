"""The Gear destination: find items, scan them out and in, settle conflicts, print labels."""

from views.gear.screen import gear_screen

__all__ = ["gear_screen"]
