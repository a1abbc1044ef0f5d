"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by Playwright.

Never `playwright install`: the browser is the system one, so tests skip cleanly without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")

# Runs before the page's own scripts; Playwright injects it outside the page's CSP.
WATCH_SCRIPT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def launch_browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """Everything a page did that a test may want to deny: requests, failures, dialogs, errors."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watched_page(browser: Any, allowed_prefix: str, offline: bool = True) -> tuple[Any, Watch]:
    """A new page whose every request is recorded; anything not under `allowed_prefix` is aborted
    (and recorded in `blocked`), so nothing can leave the machine even if the page tried."""
    context = browser.new_context(offline=offline, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch()
    page.add_init_script(WATCH_SCRIPT)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(allowed_prefix):
            r.continue_()
        else:
            watch.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: watch.requests.append(req.url))
    page.on("requestfailed", lambda req: watch.failed.append(f"{req.url} {req.failure}"))
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    return page, watch


def opened_report(browser: Any, report: Path, timeout_ms: int = 30_000) -> tuple[Any, Watch]:
    """A watched page (offline, nothing but the file itself) that has opened the report and run
    its script to the end. The caller closes page.context."""
    url = report.as_uri()
    page, watch = watched_page(browser, allowed_prefix=url, offline=True)
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=timeout_ms)
    return page, watch


def violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__violations"))


def save_screenshot(page: Any, tmp_path: Path, name: str) -> list[Path]:
    """Full-page PNG in the test's tmp dir and, if SITROOM_SCREENSHOT_DIR is set, there too."""
    paths = [tmp_path / name]
    if os.environ.get("SITROOM_SCREENSHOT_DIR"):
        target = Path(os.environ["SITROOM_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        paths.append(target / name)
    for path in paths:
        page.screenshot(path=str(path), full_page=True)
    return paths
