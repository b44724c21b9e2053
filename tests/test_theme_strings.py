"""Strings from mkdocs.yml reach the theme escaped, or are refused at their line (issue 11 item 7).

A quote in ``site_name`` used to end our header's ``aria-label``; ``<`` started tags; a control
character made the pages (and imsmanifest.xml) malformed while the build reported success.
"""

from __future__ import annotations

import json
import re

import pytest

from builder.manifest import read_manifest
from tests.helpers import BASE_MKDOCS, course, make_project, mkdocs_build, soup

NAME = 'Tom\'s "best" <b>course</b> & co'
DESCRIPTION = 'A "quoted" <i>description</i> </title><script>alert(1)</script>'
AUTHOR = "L&D <team>"
TOGGLE = 'Dark "mode" <em>'


def hostile_yml() -> str:
    yml = BASE_MKDOCS.format(site_name=json.dumps(NAME), course_id="hostile", plugin_extra="")
    yml = yml.replace(
        "docs_dir: content\n",
        f"docs_dir: content\nsite_description: {json.dumps(DESCRIPTION)}\nsite_author: {json.dumps(AUTHOR)}\n"
        'copyright: "© <a href=\\"javascript:alert(1)\\" onclick=\\"x()\\">Us</a> <script>alert(2)</script>'
        ' <a href=\\"https://example.org/\\">Legal</a>"\n',
    )
    return yml.replace(
        "  font: false\n",
        f"  font: false\n  palette:\n    - scheme: default\n      toggle:\n        icon: material/brightness-7\n"
        f"        name: {json.dumps(TOGGLE)}\n    - scheme: slate\n      toggle:\n"
        f"        icon: material/brightness-4\n        name: Light\n",
    )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    proj = make_project(
        tmp_path_factory.mktemp("strings") / "p",
        {"content/index.md": "# Welcome\n\nHello.\n", "content/other.md": "# Other\n\nMore.\n"},
        mkdocs_yml=hostile_yml(),
    )
    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    return proj / "site"


def test_every_page_carries_the_settings_as_text_not_markup(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 3  # index, other, 404
    for path in pages:
        page = soup(path)
        logo = page.select_one("header .md-logo")
        assert logo["aria-label"] == NAME and logo["title"] == NAME, path.name
        assert page.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == NAME
        assert NAME in page.title.get_text()
        assert page.find("meta", attrs={"name": "description"})["content"] == DESCRIPTION
        assert page.find("meta", attrs={"name": "author"})["content"] == AUTHOR
        assert not page.select("header b, nav b, header em, head i")  # nothing from the settings became a tag
        assert [s for s in page.find_all("script") if "alert" in (s.string or "")] == []
        toggles = [i.get("aria-label") for i in page.select("input[name=__palette]")]
        assert TOGGLE in toggles
        copyright_ = page.select_one(".md-copyright__highlight")
        links = copyright_.find_all("a")
        assert [a.get("href") for a in links] == [None, "https://example.org/"]
        assert not copyright_.find("script") and not any(a.get("onclick") for a in links)


def test_the_manifest_keeps_the_plain_title(hostile_site):
    manifest = read_manifest(hostile_site)
    assert manifest["title"] == NAME and manifest["description"] == DESCRIPTION


@pytest.mark.parametrize(
    "setting, needle",
    [
        ('site_name: "Bell\\a course"', "Bell"),
        ('site_description: "C1 \\x85 control"', "C1"),
        ("nav:\n  - Home: index.md\n  - '<b>Bold</b>': other.md", "<b>Bold</b>"),
        ('site_url: "https://example.org/x\\" onmouseover=\\"y"', "site_url"),
    ],
    ids=["bell-in-site-name", "c1-in-description", "markup-in-nav-title", "quote-in-site-url"],
)
def test_bad_settings_are_located_errors_in_check_build_and_package(tmp_path, setting, needle):
    yml = BASE_MKDOCS.format(site_name="Fine", course_id="fine", plugin_extra="") + setting + "\n"
    proj = make_project(
        tmp_path / "p", {"content/index.md": "# Hi\n", "content/other.md": "# Other\n"}, mkdocs_yml=yml
    )
    line = next(n for n, text in enumerate(yml.splitlines(), 1) if needle in text)
    check = course("check", cwd=proj)
    assert check.returncode == 1 and re.search(rf"^mkdocs\.yml:{line}: ", check.stdout, re.M), check.stdout
    build = mkdocs_build(proj)
    assert build.returncode != 0 and f"mkdocs.yml:{line}: " in build.stderr
    assert "Traceback" not in build.stderr
    package = course("package", "--scorm", "c.zip", cwd=proj)
    assert package.returncode != 0 and not (proj / "c.zip").exists()
