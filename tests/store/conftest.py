from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import Store


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def store(store_dir: Path) -> Iterator[Store]:
    s = Store.open(store_dir)
    yield s
    s.close()
