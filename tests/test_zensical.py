"""The course under Zensical (issue 17 item 4): `course build --zensical` does the plugin's site-wide
work (checks, manifest, asset tags, no other host) without MkDocs plugins. The widgets themselves are
tested in Chromium on the Zensical build by test_quiz_browser.py and test_scenario_browser.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from builder.manifest import read_manifest
from tests.helpers import REPO, ZENSICAL, make_project, site_for


@pytest.fixture(scope="module")
def zsite(zensical_flagship_site):
    return zensical_flagship_site


def test_same_manifest_as_mkdocs(zsite, flagship_site):
    assert read_manifest(zsite) == read_manifest(flagship_site)


def test_widgets_stay_out_of_the_search_index(zsite):
    index = (zsite / "search.json").read_text(encoding="utf-8")
    feedback = "This takes the bait"  # an option's feedback in quizzes/quiz-02-not-personal.yml
    assert feedback in (REPO / "quizzes" / "quiz-02-not-personal.yml").read_text(encoding="utf-8")
    assert feedback not in index and "data-feedback" not in index
    assert "Handling" in index or "customer" in index  # the lessons are indexed


def test_nothing_from_another_host_and_assets_versioned(zsite):
    page = (zsite / "modules" / "02-not-personal.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)="(?:https?:)?//""", page)
    assert re.search(r'src="\.\./assets/course/quiz\.js\?v=[0-9a-f]{10}"', page)
    assert re.search(r'src="\.\./assets/course/storage\.js\?v=[0-9a-f]{10}"', page)  # in <head>
    assert not re.search(r'<script src="[^"]*scenario\.js', page)  # listed inert only (instant navigation)


def test_author_error_stops_the_build_and_keeps_the_last_site(tmp_path):
    if not ZENSICAL.is_file():
        pytest.skip("Zensical is not installed (make zensical)")
    project = make_project(tmp_path / "p", fixture="basic")
    site = site_for("zensical", project, tmp_path / "site")
    before = (site / "index.html").read_text(encoding="utf-8")
    quiz = next((project / "quizzes").glob("*.yml"))
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("pass_mark:", "pass_mrk:", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "builder.cli", "-C", str(project), "build", "--zensical", "-o", str(site)],
        capture_output=True, text=True, env={**os.environ, "ZENSICAL": str(ZENSICAL)}, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert re.search(rf"quizzes/{quiz.name}:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == before
    assert not list(project.glob(".site.zensical-*")) and not list(project.glob(".course-zensical-*"))


@pytest.mark.browser
def test_search_works_under_zensical(page, zsite):
    from tests.helpers import Server

    with Server(zsite) as server:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url + "index.html")
        page.wait_for_load_state("networkidle")
        page.locator(".md-search__button").first.click()
        page.wait_for_timeout(500)
        page.keyboard.type("apologise")
        # Zensical draws its search dialog in a shadow root: Playwright's locators look inside it
        page.get_by_text(re.compile(r"^\d+ results?$")).first.wait_for(timeout=15000)
        assert page.get_by_text(re.compile("Acknowledge and")).count() > 0
