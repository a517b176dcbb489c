"""Data that cannot be opened shows the store's sentence instead of the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store import Store
from views.main import open_app
from views.unavailable import TITLE


async def shown(ui, data_dir: Path) -> list[str]:
    start = open_app(data_dir)
    ui.page.controls.clear()
    await start(ui.page)
    ui.assert_no_crash()
    return ui.texts(ui.page)


async def test_a_data_folder_that_is_a_file_shows_why(tmp_path: Path, empty_ui, capsys) -> None:
    (tmp_path / "file").write_text("x")
    texts = await shown(empty_ui, tmp_path / "file" / "data")
    sentence = f"Crewkit cannot open its data folder {tmp_path / 'file' / 'data'}: "
    assert TITLE in texts
    assert [t for t in texts if t.startswith(sentence) and t.endswith(".")]
    assert f"crewkit: {sentence}" in capsys.readouterr().err


@pytest.mark.parametrize("damage", [b"[1, 2, 3]", b'{"_store": {"state": "x"}}'])
async def test_damaged_data_opens_the_app_and_says_so(
    tmp_path: Path, empty_ui, capsys, damage: bytes
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "crewkit.json").write_bytes(damage)
    texts = await shown(empty_ui, tmp_path / "data")
    assert TITLE not in texts
    assert "crewkit: The database file was damaged" in capsys.readouterr().err


async def test_a_data_folder_in_use_shows_why(tmp_path: Path, empty_ui) -> None:
    other = Store.open(tmp_path / "data")
    try:
        texts = await shown(empty_ui, tmp_path / "data")
    finally:
        other.close()
    assert TITLE in texts and any("is in use by another Crewkit" in t for t in texts)
