"""Real headless Chromium (Debian's /usr/bin/chromium through Playwright, no browser download).

These tests are part of the normal suite. They are skipped only with KG_SKIP_BROWSER=1
(CI never sets it); a missing Chromium or Playwright is a failure, not a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.support import CHROMIUM_ARGS, chromium_path, skip_requested


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if skip_requested():
        pytest.skip("KG_SKIP_BROWSER=1: browser tests skipped on request")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a set-up error, reported as a failure
        pytest.fail("the Python package 'playwright' is required for the browser tests (dev extra)")
    executable = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()
