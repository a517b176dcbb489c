"""A data folder the app cannot open: the browser shows why, in one sentence."""

from __future__ import annotations

import re
from pathlib import Path

from views.unavailable import TITLE


def test_a_data_folder_that_cannot_be_opened_is_explained(
    tmp_path: Path, serve_crewkit, open_app, screenshot
) -> None:
    (tmp_path / "blocked").write_text("a file where the data folder should be")
    page = open_app(url=serve_crewkit("blocked"))
    page.get_by_text(TITLE, exact=True).wait_for()
    sentence = re.compile(r"Crewkit cannot open its data folder .*blocked: that path is a file")
    page.get_by_text(sentence).wait_for()
    screenshot(page, "unavailable")
