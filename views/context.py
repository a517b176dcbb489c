"""What every screen receives when it builds its content.

Screens get one small object instead of reaching for globals, so a view test can
build any screen against a real store by constructing an ``AppContext`` itself.
The services from ``app/`` and the sync client are not built yet; until they are,
they travel in ``extras`` under a documented key, and get a typed field of their
own once they exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flet as ft


@dataclass
class AppContext:
    """The page a screen draws on, where the device's data lives, and the services."""

    page: ft.Page
    data_dir: Path
    extras: dict[str, Any] = field(default_factory=dict)
