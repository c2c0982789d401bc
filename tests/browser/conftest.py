"""What both browser tests need: Playwright, Debian's Chromium, and one headless browser per module.

Chromium comes from the operating system (``apt-get install chromium``, or ``CHROMIUM=/path``);
Playwright downloads no browser. Without Playwright the tests are skipped with the install
command; without Chromium they fail, saying where it was expected.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[browser]' (Playwright)")
if not Path(CHROMIUM).exists():  # pragma: no cover - depends on the machine
    pytest.fail(f"expected Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=...)", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()
