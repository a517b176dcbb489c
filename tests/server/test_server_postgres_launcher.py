"""``bench.postgres``: the one launcher of throwaway PostgreSQL servers (bench and tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.postgres import PostgresUnavailable, find_bin_dir, throwaway_postgres


def test_missing_binaries_name_the_package_to_install(tmp_path: Path) -> None:
    unavailable = pytest.raises(PostgresUnavailable, match="apt-get install postgresql")
    with unavailable, throwaway_postgres(root=tmp_path):
        pass


def test_the_newest_installed_version_is_used(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "initdb").touch()
    assert find_bin_dir(tmp_path) == tmp_path / "15" / "bin"
