"""Headless Chromium with the network cut off, for tests that look at published pages.

Debian's chromium (apt-get install chromium) driven by playwright-python; tests skip when either is
missing. Every request the page makes is recorded, and any that is not file:// is aborted.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # belt and braces besides the request interception below
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
]  # fmt: skip


def require_chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing (apt-get install -y chromium)")
    return pytest.importorskip("playwright.sync_api", reason="playwright-python not installed (pip install playwright)")


@contextmanager
def offline_browser():
    """(new_page, requests): new_page(width, height) opens a page; requests lists every URL asked for."""
    api = require_chromium()
    profile = tempfile.mkdtemp(prefix="gxbg-chromium-")
    requests: list[str] = []
    try:
        with api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                context.on("request", lambda request: requests.append(request.url))
                context.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort(),
                )
                yield context.new_page, requests
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def remote(requests: list[str]) -> list[str]:
    return [url for url in requests if not url.startswith(("file://", "data:", "about:"))]
