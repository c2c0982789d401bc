"""The course's website (``make site``) in headless Chromium: lessons with typeset equations and figures.

Run by ``make browser-test`` (and CI, after ``make site``). The built site (_build/site/html) is
served from 127.0.0.1 and every request for another host is refused, so the pages must work
offline: MathJax comes from the site itself. If the site has not been built, or a file it is made
from is newer, this test builds it (``python tools/site.py build``) and fails if that fails. Screenshots go to
``$BROWSER_SCREENSHOTS`` (default: ``reports/screenshots/``, which git ignores).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "reports" / "screenshots"))
# A page and its MathJax load in about a second on an idle machine; a machine shared with training jobs needs more.
PAGE_TIMEOUT_MS = int(os.environ.get("BROWSER_PAGE_TIMEOUT", "120")) * 1000

# Playwright, Chromium and the `browser` fixture: conftest.py beside this file.

# tools/site.py is loaded under another name: "site" is a module of the standard library.
_spec = importlib.util.spec_from_file_location("course_site", ROOT / "tools" / "site.py")
course_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_site)

LESSONS = course_site.lessons()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    """The built site served on 127.0.0.1; built first if it is missing or older than a file it is made from."""
    html = course_site.HTML
    inputs = [ROOT / name for name in ("README.md", "pyproject.toml", "tools/site.py", "tools/course_map.py")]
    inputs += [ROOT / path for path in course_site.site_files()] + [ROOT / "reports" / "cpu.json"]
    index = html / "index.html"
    if not index.exists() or max(path.stat().st_mtime for path in inputs) > index.stat().st_mtime:
        result = subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), "build"], cwd=ROOT,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, (f"the site was not built and building it failed (`make site` installs the docs "
                                        f"extra it needs):\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _open_offline(browser, url: str):
    """A page that may load only from 127.0.0.1; returns it and the list of refused addresses."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    refused: list[str] = []

    def route(route_request):
        address = route_request.request.url
        if urlparse(address).hostname in {"127.0.0.1", None} or address.startswith(("data:", "blob:")):
            route_request.continue_()
        else:
            refused.append(address)
            route_request.abort()

    page.route("**/*", route)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url, wait_until="load")
    return page, refused, failed


def _typeset(page) -> dict:
    """Waits until MathJax has typeset the page; returns counts of math elements and rendered formulas."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.evaluate("""() => ({
        math: document.querySelectorAll('span.math, div.math').length,
        typeset: document.querySelectorAll('span.math mjx-container, div.math mjx-container').length,
        errors: document.querySelectorAll('mjx-merror').length,
    })""")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_lesson_page_shows_typeset_equations_and_every_figure_offline(site, browser, lesson):
    page, refused, failed = _open_offline(browser, f"{site}/notebooks/{lesson.stem}.html")
    notebook = nbformat.read(lesson, as_version=4)
    if course_site.has_math(notebook):
        math = _typeset(page)
        assert math["math"] > 0, f"{lesson.stem}: no math on the page"
        assert math["typeset"] == math["math"], f"{lesson.stem}: MathJax typeset {math['typeset']} of {math['math']} formulas"
        assert math["errors"] == 0, f"{lesson.stem}: {math['errors']} formulas with TeX errors"
    if lesson.stem.startswith("01_"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"site_{lesson.stem}_top.png"))
        page.locator("div.math").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"site_{lesson.stem}_equation.png"))
    images = page.locator(".cell_output img")
    if images.count():
        # Scrolled into view, so that a browser that loads images lazily loads them all.
        images.last.scroll_into_view_if_needed()
    widths = [images.nth(i).evaluate("img => img.complete ? img.naturalWidth : -1") for i in range(images.count())]
    assert len(widths) == course_site.image_outputs(notebook), f"{lesson.stem}: {len(widths)} figures on the page"
    assert all(width > 0 for width in widths), f"{lesson.stem}: a figure did not render: natural widths {widths}"
    box = page.locator(".admonition", has_text="Measured run time")
    assert box.count() == 1, f"{lesson.stem}: no run-time box"
    assert box.locator("a[href*='mybinder.org']").count() and box.locator("a[href*='colab.research.google.com']").count()
    assert refused == [], f"{lesson.stem}: the page asked the network for {refused[:3]}"
    assert failed == [], f"{lesson.stem}: requests failed: {failed[:3]}"
    if lesson.stem.startswith("01_"):
        images.first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"site_{lesson.stem}_figure.png"))
    page.close()


def test_landing_page_shows_the_course_map_and_leads_to_every_lesson(site, browser):
    page, refused, failed = _open_offline(browser, f"{site}/index.html")
    rows = page.locator("table tbody tr")
    assert rows.count() == len(LESSONS), f"course map has {rows.count()} rows, there are {len(LESSONS)} lessons"
    hrefs = page.locator("table tbody tr td:nth-child(2) a.internal").evaluate_all("links => links.map(a => a.href)")
    assert sorted(urlparse(href).path for href in hrefs) == [f"/notebooks/{lesson.stem}.html" for lesson in LESSONS]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "site_index.png"))
    assert refused == [] and failed == [], f"network requests {refused[:3]}, failed {failed[:3]}"
    page.close()
