"""Shared test helpers: make small course projects, build them, serve them, parse HTML."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

from bs4 import BeautifulSoup  # noqa: F401  (re-exported for tests)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}

BASE_MKDOCS = """\
site_name: {site_name}
docs_dir: content
use_directory_urls: false
theme:
  name: material
  custom_dir: site_overrides
  font: false
plugins:
  - search
  - offline
  - course:
      id: {course_id}
{plugin_extra}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - course
"""


def make_project(
    dest: Path,
    files: dict[str, str | bytes] | None = None,
    *,
    fixture: str | None = None,
    site_name: str = "Test course",
    course_id: str = "test-course",
    plugin_extra: str = "",
    mkdocs_yml: str | None = None,
) -> Path:
    """A course project in ``dest``: a fixture copied and/or ``files`` written (path -> text).

    site_overrides/ is linked from the repository so the project uses our real theme files.
    """
    dest.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(
            FIXTURES / fixture, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("site", "site.*")
        )
    for rel, content in (files or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if mkdocs_yml is not None:
        (dest / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    elif not (dest / "mkdocs.yml").exists():
        (dest / "mkdocs.yml").write_text(
            BASE_MKDOCS.format(site_name=site_name, course_id=course_id, plugin_extra=plugin_extra),
            encoding="utf-8",
        )
    (dest / "content").mkdir(exist_ok=True)
    (dest / "quizzes").mkdir(exist_ok=True)
    link = dest / "site_overrides"
    if not link.exists():
        link.symlink_to(REPO / "site_overrides", target_is_directory=True)
    return dest


def run(args: list[str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout, check=False
    )


def course(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return run([PYTHON, "-m", "builder.cli", *args], cwd=cwd, timeout=timeout)


def mkdocs_build(
    project: Path, site_dir: Path | None = None, timeout: float = 300, config: str = "mkdocs.yml"
) -> subprocess.CompletedProcess:
    args = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(project / config)]
    if site_dir is not None:
        args += ["-d", str(site_dir)]
    return run(args, cwd=project, timeout=timeout)


def build_ok(project: Path, site_dir: Path | None = None, config: str = "mkdocs.yml") -> Path:
    result = mkdocs_build(project, site_dir, config=config)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir or project / "site"


ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"  # made by `make zensical` (issue 17)


def zensical_build_ok(project: Path, site_dir: Path) -> Path:
    """``course build --zensical`` of ``project`` into ``site_dir`` (skips when Zensical is missing;
    ``make test`` installs it). The repository itself is built from a copy, so parallel workers
    never share Zensical's temporary files."""
    import pytest

    if not ZENSICAL.is_file():
        pytest.skip("Zensical is not installed (make zensical)")
    if project.resolve() == REPO:
        copy = site_dir.parent / "project"
        for name in ("content", "quizzes"):
            shutil.copytree(REPO / name, copy / name)
        shutil.copy2(REPO / "mkdocs.yml", copy / "mkdocs.yml")
        (copy / "site_overrides").symlink_to(REPO / "site_overrides", target_is_directory=True)
        project = copy
    env = {**os.environ, "ZENSICAL": str(ZENSICAL)}
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "-C", str(project), "build", "--zensical", "-o", str(site_dir)],
        capture_output=True, text=True, env=env, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"zensical build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


def site_for(builder: str, project: Path, site_dir: Path) -> Path:
    """The project built by ``builder`` ("mkdocs" or "zensical") into ``site_dir``."""
    return zensical_build_ok(project, site_dir) if builder == "zensical" else build_ok(project, site_dir)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    extra_headers: dict[str, str] = {}

    def translate_path(self, path: str) -> str:
        parsed = urllib.parse.urlsplit(path).path
        if not parsed.startswith(self.prefix):
            return str(Path(self.directory) / "__not_under_prefix__")
        return super().translate_path("/" + parsed[len(self.prefix) :])

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


class Server:
    """Serve a folder on 127.0.0.1 under ``prefix`` (e.g. /training/customer-care/)."""

    def __init__(self, directory: Path, prefix: str = "/", headers: dict[str, str] | None = None):
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = type("Handler", (_Handler,), {"prefix": prefix, "extra_headers": dict(headers or {})})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
        )
        self.prefix = prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{self.prefix}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ------------------------------------------------------------------ Material's instant navigation
# Browser tests run with navigation.instant off and on (issue 10 item 4): `serve_built(..., instant=True)`
# builds with the feature and a site_url matching the test server, and `goto` then reaches each
# page by a click that Material turns into an instant (no reload) page change.


def enable_instant(project: Path, site_url: str) -> None:
    """Turn on navigation.instant (and set site_url, which it needs) in ``project``'s mkdocs.yml."""
    import yaml

    cfg = project / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    features = list((data.get("theme") or {}).get("features") or [])
    lines = [line for line in text.splitlines() if not line.startswith("site_url:")]
    out = [f"site_url: {site_url}"]
    for line in lines:
        out.append(line)
        if line.startswith("theme:") and not features:
            out.append("  features:\n    - navigation.instant")
        elif line.strip() == "features:" and features:
            out.append("    - navigation.instant")
    cfg.write_text("\n".join(out) + "\n", encoding="utf-8")


class BuiltServer(Server):
    """A Server for a project built on entry (with navigation.instant when ``instant``)."""

    def __init__(self, project: Path, site_dir: Path, prefix: str = "/", instant: bool = False):
        site_dir.mkdir(parents=True, exist_ok=True)
        super().__init__(site_dir, prefix)
        self.project, self.site_dir, self.instant = project, site_dir, instant

    def __enter__(self) -> BuiltServer:
        super().__enter__()
        if self.instant:
            enable_instant(self.project, self.url)
        try:
            build_ok(self.project, self.site_dir)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self


def goto(page, server, path: str, instant: bool | None = None, start: str | None = None) -> None:
    """Open ``server.url + path``; with instant navigation, by a click from another page, and
    check that the page really changed without a reload."""
    instant = getattr(server, "instant", False) if instant is None else instant
    if not instant:
        page.goto(server.url + path)
        return
    start = start or ("index.html" if path != "index.html" else "other.html")
    page.goto(server.url + start)
    page.wait_for_load_state(
        "load"
    )  # Material's bundle has set up its click handling (a loaded CI box is slow)
    page.wait_for_function("() => window.Course && window.Course.started && window.document$")
    # Material intercepts a click only once it has the sitemap (instant/index.ts: combineLatestWith(
    # sitemap$)); a click before that is a full page load
    try:
        page.wait_for_function(
            "() => performance.getEntriesByType('resource')"
            ".some((e) => /sitemap\\.xml/.test(e.name) && e.responseEnd > 0)",
            timeout=5000,
        )
        page.wait_for_timeout(50)  # the sitemap is parsed after it arrives
    except PlaywrightTimeoutError:
        pass  # a site without a sitemap: Material falls back to an empty one
    page.evaluate(
        "window.__sameDocument = true; window.__oldContainer = document.querySelector('[data-md-component=container]')"
    )
    page.evaluate(
        """href => { const a = document.createElement('a'); a.href = href; a.textContent = 'go';
        (document.querySelector('article') || document.body).appendChild(a); a.click(); }""",
        server.url + urllib.parse.quote(path, safe="/"),  # as MkDocs writes page links
    )
    page.wait_for_function("p => decodeURIComponent(location.pathname).endsWith(p)", arg=path)
    # Material may change the address before it swaps the content in: wait for the new content
    page.wait_for_function(
        "() => { const c = document.querySelector('[data-md-component=container]');"
        " return c && c !== window.__oldContainer; }"
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-module]')].every(el => el.courseWidget)"
    )
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded: no instant navigation"


def built_page(md: Path | str) -> str:
    """Where the flagship build writes a docs-relative Markdown page: ``modules/x.md`` ->
    ``modules/x.html``; a translation ``modules/x.es.md`` -> ``es/modules/x.html`` (mkdocs-static-i18n)."""
    rel = Path(md).as_posix()
    stem, _, _ = rel.rpartition(".md")
    parts = stem.rsplit(".", 1)
    if len(parts) == 2 and len(parts[1]) == 2 and "/" not in parts[1]:
        return f"{parts[1]}/{parts[0]}.html"
    return stem + ".html"
