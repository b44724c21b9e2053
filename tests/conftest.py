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
def zensical_flagship_site(tmp_path_factory) -> Path:
    """The shipped course built by `course build --zensical` (issue 17), once per test worker."""
    from tests.helpers import site_for

    return site_for("zensical", REPO, tmp_path_factory.mktemp("zensical-flagship") / "site")


@pytest.fixture(scope="session")
def flagship_server(flagship_site):
    with Server(flagship_site) as server:
        yield server


@pytest.fixture(scope="session")
def handbook_site(tmp_path_factory) -> Path:
    """The handbook for authors and HR (handbook.yml: the course plus the guide, HR and IT pages)."""
    out = tmp_path_factory.mktemp("handbook") / "site"
    return build_ok(REPO, out, config="handbook.yml")


@pytest.fixture(scope="session")
def handbook_server(handbook_site):
    with Server(handbook_site) as server:
        yield server


# Material's navigation.instant off and on (issue 10 item 4): browser tests of widgets take
# `instant` and open pages with tests.helpers.goto.
INSTANT_MODES = [pytest.param(False, id="instant-off"), pytest.param(True, id="instant-on")]


@pytest.fixture(scope="session")
def flagship_instant_server(tmp_path_factory):
    """The shipped course built with navigation.instant (a copy of the project: site_url differs)."""
    from tests.helpers import BuiltServer, make_project

    project = tmp_path_factory.mktemp("flagship-instant") / "p"
    project.mkdir()
    for folder in ("content", "quizzes"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    make_project(project)
    with BuiltServer(project, project / "site", instant=True) as server:
        yield server


@pytest.fixture(params=INSTANT_MODES)
def flagship_nav_server(request):
    """The flagship course served with navigation.instant off, then on."""
    return request.getfixturevalue("flagship_instant_server" if request.param else "flagship_server")


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium (through the browser, context or page fixture) is marked
    ``browser``, so ``make test-fast`` (``-m "not browser"``) leaves them all out."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
