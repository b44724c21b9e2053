"""Fixtures: Chromium through Playwright, and the flagship course built once per worker."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, Server, build_ok

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]


def chromium_executable() -> str | None:
    """Debian's Chromium when present (Playwright cannot download its own browser here)."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None  # Playwright's own browser, where it could be installed


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """What a page did that a test may want to assert on."""

    def __init__(self, page, allowed_origin_prefixes: tuple[str, ...] = ()):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on(
            "console", lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None
        )
        page.on("request", lambda req: self.requests.append(req.url))

    def foreign_requests(self, own_origin: str) -> list[str]:
        return [
            u
            for u in self.requests
            if not (u.startswith(own_origin) or u.startswith(("data:", "blob:", "about:")))
        ]


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.watch = PageWatch(p)
    yield p


@pytest.fixture(scope="session")
def flagship_site(tmp_path_factory) -> Path:
    """The shipped course, built once per test worker."""
    out = tmp_path_factory.mktemp("flagship") / "site"
    return build_ok(REPO, out)


@pytest.fixture(scope="session")
def flagship_server(flagship_site):
    with Server(flagship_site) as server:
        yield server


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium (through the browser, context or page fixture) is marked
    ``browser``, so ``make test-fast`` (``-m "not browser"``) leaves them all out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
