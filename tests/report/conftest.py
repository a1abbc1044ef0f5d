from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.browser import launch_browser
from tests.report.fixture_store import build_fixture_store, open_fixture


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_store(tmp_path_factory.mktemp("report_fixture"))


@pytest.fixture(scope="session")
def fixture_report(fixture_dir: Path) -> Path:
    from sitroom.report import render_report

    store = open_fixture(fixture_dir)
    try:
        path = fixture_dir / "report.html"
        path.write_text(render_report(store), encoding="utf-8")
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope: Playwright's sync API allows one running instance, and tests/web has its own.
    yield from launch_browser()
