"""The real interface: JupyterLab in headless Chromium runs lessons 01 and 02 (fast profile).

Run by ``make browser-test`` (and CI), not by ``make test``: it needs Chromium (Debian's
``chromium`` package at /usr/bin/chromium, or ``CHROMIUM=/path``) and Playwright's
Python package, which drives it over the DevTools protocol (no browser download).

For each lesson, a copy in a temporary folder is opened in a JupyterLab started from
this environment, every cell is run from the menu (Run > Run All Cells), and
the test checks what a learner would see: no error output, every plot rendered as an
image, and, in lesson 01, sliders that are widgets and redraw the plot when moved.
Screenshots go to ``$BROWSER_SCREENSHOTS`` (default: ``reports/screenshots/``, which
git ignores).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "reports" / "screenshots"))
TOKEN = "gan-lessons-browser-test"
RUN_TIMEOUT_S = int(os.environ.get("BROWSER_RUN_TIMEOUT", "240"))

# Playwright, Chromium and the `browser` fixture: conftest.py beside this file.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of lessons 01 and 02, in the fast profile."""
    folder = tmp_path_factory.mktemp("lab")
    # JupyterLab 4 renders only the cells in view by default; render them all, so that
    # every prompt and output is in the page to be checked.
    settings = tmp_path_factory.mktemp("settings") / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    for name in ("01_minimax_game.ipynb", "02_first_gan.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    port = _free_port()
    env = {**os.environ, "GAN_LESSONS_FAST": "1", "GAN_LESSONS_QUIET": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}",
         f"--LabApp.user_settings_dir={settings.parent.parent}",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"JupyterLab did not start: {server.stderr.read()[-2000:]}")
            time.sleep(0.5)
    yield base
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def _menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in the menu bar, then its entry labelled exactly ``item``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(f"^{re.escape(item)}$")).first.click()


def _run_all(page, base: str, name: str) -> None:
    # A workspace of its own, reset, so that no tab of another test's notebook is restored over this one.
    workspace = Path(name).stem
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}?reset&token={TOKEN}", wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    select_kernel = page.locator(".jp-Dialog button", has_text="Select")
    deadline = time.monotonic() + 60
    while not (idle.count() and not select_kernel.count()):  # the kernel has started
        if select_kernel.count():  # a reset workspace may ask which kernel to start: the notebook's own
            select_kernel.first.click()
        if time.monotonic() > deadline:
            raise AssertionError(f"{name}: the kernel did not start within 60 s")
        time.sleep(0.5)
    # The stored outputs (and their prompt numbers) go first, so that what is checked
    # below is what this run produced.
    _menu(page, "Edit", "Clear Outputs of All Cells")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    prompts: list[str] = []
    started = False
    for attempt in range(3):
        # A kernel that has just been chosen may still be connecting when the menu is
        # used, and then nothing runs: the run is asked for again if no cell starts.
        _menu(page, "Run", "Run All Cells")
        wait_start = time.monotonic()
        while time.monotonic() - wait_start < 20:
            prompts = [p.strip() for p in page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]
            if any(p != "[ ]:" for p in prompts):
                started = True
                break
            time.sleep(0.5)
        if started:
            break
    # Done when every code cell has a prompt number ("[*]" while queued or running).
    while started and time.monotonic() < deadline:
        prompts = [p.strip() for p in page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts) and idle.count():
            return
        time.sleep(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}_timeout.png"))
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    raise AssertionError(f"{name}: cells still running or never run after {RUN_TIMEOUT_S} s: {prompts}; "
                         f"error outputs: {[e[-400:] for e in errors][:2]}")


def _check_no_errors_and_plots(page, name: str) -> int:
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    error_texts = [text for text in errors.all_inner_texts() if "Traceback" in text or "Error" in text]
    assert not error_texts, f"{name}: error output in the page: {error_texts[0][:500]}"
    images = page.locator(".jp-RenderedImage img")
    count = images.count()
    assert count > 0, f"{name}: no plot rendered"
    widths = [images.nth(i).evaluate("img => img.naturalWidth") for i in range(count)]
    assert all(width > 0 for width in widths), f"{name}: an image failed to render: widths {widths}"
    return count


def test_lesson_02_runs_with_every_plot_rendered(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _run_all(page, lab, "02_first_gan.ipynb")
    plots = _check_no_errors_and_plots(page, "02_first_gan.ipynb")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "02_first_gan.png"), full_page=False)
    assert plots >= 3


def test_lesson_01_runs_and_its_sliders_redraw_the_plot(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _run_all(page, lab, "01_minimax_game.ipynb")
    _check_no_errors_and_plots(page, "01_minimax_game.ipynb")
    sliders = page.locator(".widget-slider, .jupyter-widget-slider, .widget-hslider")
    assert sliders.count() >= 1, "lesson 01 shows no slider widget"
    widget = sliders.first
    widget.scroll_into_view_if_needed()
    # The plot the slider drives is the image in the same widget box's output area.
    box = widget.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
    plot = box.locator("img").first
    plot.wait_for(timeout=30_000)
    before = plot.get_attribute("src")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "01_slider_before.png"))
    handle = widget.locator(".noUi-handle, .ui-slider-handle, [role='slider']").first
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    deadline = time.monotonic() + 30
    while plot.get_attribute("src") == before and time.monotonic() < deadline:
        time.sleep(0.5)
        plot = box.locator("img").first
    page.screenshot(path=str(SCREENSHOTS / "01_slider_after.png"))
    assert plot.get_attribute("src") != before, "moving the slider did not redraw the plot"
