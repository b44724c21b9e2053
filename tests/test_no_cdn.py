"""No CDN, ever (issue 11 item 8).

Every page of the built flagship course, and of a course that uses Material features known to load
from other hosts, is crawled in Chromium with every other host blocked: no request may leave the
site. Settings that would load from another host are refused by check and build at their line;
a vendored copy (Mermaid inside the project) is served from the site itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import BASE_MKDOCS, Server, course, make_project, mkdocs_build


def crawl(context, server: Server, site: Path) -> tuple[list[str], list[str], int]:
    """Visit every page of ``site``; (requests to other hosts, page errors, pages visited)."""
    own = server.url.split("/", 3)[:3]
    own_origin = "/".join(own)
    foreign: list[str] = []

    def gate(route):
        url = route.request.url
        if url.startswith((own_origin + "/", "data:", "blob:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    for rel in pages:
        page.goto(server.url + rel, wait_until="load")
        page.wait_for_timeout(150)  # the theme's own scripts start after load
    # search (a worker) and the palette toggle fetch too
    page.goto(server.url + "index.html")
    page.keyboard.press("/")
    page.keyboard.type("customer")
    page.wait_for_timeout(500)
    return foreign, errors, len(pages)


def test_no_page_of_the_flagship_requests_another_host(context, flagship_site):
    with Server(flagship_site, prefix="/training/care/") as server:
        foreign, errors, visited = crawl(context, server, flagship_site)
    assert visited >= 20
    assert foreign == []
    assert errors == []


FEATURES_PAGE = """\
# Diagrams and code

A diagram written as HTML, which the theme would hand to Mermaid:

<pre class="mermaid">graph TD; A-->B</pre>

A plain code block named mermaid:

```mermaid
graph LR; C-->D
```

```python
print("copy me")
```
"""


def features_yml(extra: str = "", fences: str = "") -> str:
    yml = BASE_MKDOCS.format(site_name="Features", course_id="features", plugin_extra="")
    yml = yml.replace(
        "  font: false\n", "  font: false\n  features:\n    - content.code.copy\n    - navigation.instant\n"
    )
    return yml + "  - pymdownx.superfences" + fences + "\n" + extra


def test_features_that_would_load_from_a_cdn_load_nothing(context, tmp_path):
    proj = make_project(tmp_path / "p", {"content/index.md": FEATURES_PAGE}, mkdocs_yml=features_yml())
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    with Server(proj / "site") as server:
        foreign, errors, _ = crawl(context, server, proj / "site")
    assert foreign == []  # Material would fetch https://unpkg.com/mermaid@11/dist/mermaid.min.js
    assert errors == []


MERMAID_FENCE = """:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format"""

VENDORED = """\
window.mermaid = { initialize() {}, render: (id, text) =>
  Promise.resolve({ svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>vendored</text></svg>' }) };
"""


def test_a_vendored_mermaid_is_served_from_the_site(context, tmp_path):
    page_md = "# Diagram\n\n```mermaid\ngraph TD; A-->B\n```\n"
    proj = make_project(
        tmp_path / "p",
        {"content/index.md": page_md, "content/js/mermaid.min.js": VENDORED},
        mkdocs_yml=features_yml("extra_javascript:\n  - js/mermaid.min.js\n", MERMAID_FENCE),
    )
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    with Server(proj / "site") as server:
        foreign, errors, _ = crawl(context, server, proj / "site")
        page = context.new_page()
        page.goto(server.url + "index.html")
        page.wait_for_selector("div.mermaid")  # drawn by the vendored copy
    assert foreign == [] and errors == []


REFUSED = [
    ("mermaid-recipe", "", MERMAID_FENCE, "- name: mermaid", "unpkg.com"),
    ("mathjax-recipe", "extra_javascript:\n  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js\n", "",
     "unpkg.com/mathjax", "another host"),
    ("katex-css", "extra_css:\n  - //cdn.jsdelivr.net/npm/katex/dist/katex.min.css\n", "", "katex.min.css",
     "another host"),
    ("web-font", "", "", "  font:", "Google Fonts"),
    ("analytics", "extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n", "", "analytics:",
     "Google Analytics"),
    ("github-repo", "repo_url: https://github.com/example/course\n", "", "repo_url", "GitHub"),
    ("emoji-images", "  - pymdownx.emoji\n", "", "pymdownx.emoji", "CDN"),
]  # fmt: skip


@pytest.mark.parametrize("case, extra, fences, needle, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_settings_that_load_from_another_host_are_refused_at_their_line(
    tmp_path, case, extra, fences, needle, words
):
    yml = features_yml(extra if not extra.startswith("  - ") else "", fences)
    if extra.startswith("  - "):
        yml = yml.replace("  - pymdownx.superfences\n", "  - pymdownx.superfences\n" + extra)
    if case == "web-font":
        yml = yml.replace("  font: false\n", "  font:\n    text: Roboto\n")
    proj = make_project(tmp_path / "p", {"content/index.md": "# Hi\n"}, mkdocs_yml=yml)
    line = next(n for n, text in enumerate(yml.splitlines(), 1) if needle in text)
    check = course("check", cwd=proj)
    assert check.returncode == 1
    found = re.search(rf"^mkdocs\.yml:{line}: (.*)$", check.stdout, re.M)
    assert found and words in found.group(1), check.stdout
    build = mkdocs_build(proj)
    assert build.returncode != 0 and f"mkdocs.yml:{line}: " in build.stderr
    assert not (proj / "site").exists()
