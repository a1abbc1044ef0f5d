from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.browser import launch_browser
from tests.report.fixture_store import build_fixture_store


@pytest.fixture()
def fixture_dir(tmp_path: Path) -> Path:
    """A fresh store per test: some tests check that nothing changed it."""
    return build_fixture_store(tmp_path / "out")


@pytest.fixture(scope="module")
def shared_fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_store(tmp_path_factory.mktemp("web_fixture"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_browser()
