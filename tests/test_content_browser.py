"""Issue 10 in Chromium: page names with spaces and non-ASCII letters get their visited tick,
embeds inside containers hold the tick back, widgets survive Material's instant navigation
(started on every page change, old ones released, no console error), and widgets lay out
right to left when theme.language is Hebrew or Arabic."""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path

import pytest
import yaml

from builder.manifest import read_manifest
from tests.conftest import INSTANT_MODES
from tests.helpers import BuiltServer, goto, make_project

pytestmark = pytest.mark.browser

QUIZ = yaml.safe_dump(
    {
        "kind": "quiz",
        "title": "Check",
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "prompt": "Pick",
                "options": [{"text": "Right", "correct": True, "feedback": "Yes."}, {"text": "Wrong"}],
            }
        ],
    }
)
SCENARIO = yaml.safe_dump(
    {
        "kind": "scenario",
        "title": "Talk",
        "start": "a",
        "nodes": {
            "a": {"text": "Hello", "choices": [{"text": "Greet", "to": "b", "feedback": "Nice."}]},
            "b": {"ending": "success", "text": "Done"},
        },
    }
)
NAMES = ["café", "my lesson", "日本語", "naïve/über page", "a+b & c"]


@pytest.fixture(scope="module", params=INSTANT_MODES)
def server(request, tmp_path_factory):
    files = {
        "content/index.md": "# Home\n\nStart here.\n\n::: quiz home-quiz\n",
        "content/other.md": "# Other\n\nNothing to do.\n",
        "content/boxed.md": '# Boxed\n\n!!! note "Try"\n\n    ::: quiz boxed-quiz\n\n=== "Practice"\n\n    ::: scenario talk\n',
        "content/progress.md": '# My progress\n\n<div data-module="cq-progress-page"></div>\n',
        "quizzes/home-quiz.yml": QUIZ,
        "quizzes/boxed-quiz.yml": QUIZ,
        "quizzes/talk.yml": SCENARIO,
    }
    for name in NAMES:
        files[f"content/{name}.md"] = f"# {name.split('/')[-1]}\n\nText of {name}.\n"
    project = make_project(tmp_path_factory.mktemp("content") / "p", files)
    cfg = project / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace(
            "  - md_in_html\n",
            "  - md_in_html\n  - pymdownx.superfences\n  - pymdownx.tabbed:\n      alternate_style: true\n",
        )
    )
    with BuiltServer(project, project / "site", "/training/", instant=request.param) as s:
        yield s


def state(page) -> dict:
    key = page.evaluate("window.CourseProgress.key")
    return json.loads(page.evaluate("k => localStorage.getItem(k)", key) or "{}")


def test_pages_with_spaces_and_non_ascii_names_get_their_tick(page, server):
    manifest = read_manifest(server.site_dir)
    urls = {p["url"] for p in manifest["pages"]}
    for name in NAMES:
        assert f"{name}.html" in urls  # the canonical form: decoded, NFC
    goto(page, server, "other.html")
    for name in NAMES:
        goto(page, server, f"{name}.html", start="other.html")
        page.wait_for_function("u => window.CourseProgress.load().pages[u] === 1", arg=f"{name}.html")
    visited = state(page)["pages"]
    for name in NAMES:
        assert visited.get(f"{name}.html") == 1, visited
    ticked = page.evaluate(
        "[...document.querySelectorAll('.md-nav--primary a.md-nav__link')].filter(a => a.querySelector('.cq-tick'))"
        ".map(a => decodeURIComponent(new URL(a.href).pathname))"
    )
    for name in NAMES:
        assert any(t.endswith(f"/{name}.html") for t in ticked), (name, ticked)
    assert page.watch.errors == []


def test_embeds_in_containers_hold_the_tick_back(page, server):
    goto(page, server, "boxed.html")
    page.wait_for_function("() => window.CourseProgress.load().pages['boxed.html'] === 1")
    assert page.evaluate("window.CourseProgress.pageDone('boxed.html')") is False
    box = page.locator('.admonition [data-quiz="boxed-quiz"]')
    box.locator('input[value="0"]').check()
    box.locator('button[data-action="check"]').click()
    assert page.evaluate("window.CourseProgress.pageDone('boxed.html')") is False  # the scenario is left
    page.locator('.tabbed-set label:has-text("Practice")').click()
    page.locator('[data-scenario="talk"] button[data-choice="0"]').click()
    page.wait_for_function("() => window.CourseProgress.pageDone('boxed.html')")
    # My progress lists both widgets of the page, found inside their containers
    goto(page, server, "progress.html")
    listing = page.locator('[data-module="cq-progress-page"]')
    listing.locator("text=Scenario: Talk").first.wait_for()
    assert listing.locator("text=Quiz: Check").count() >= 2  # the home page's and the boxed one
    assert page.watch.errors == []


def test_widgets_start_on_every_page_change_and_old_ones_are_released(page, server):
    goto(page, server, "index.html", start="other.html")
    for path in ("boxed.html", "progress.html", "index.html", "boxed.html", "other.html", "progress.html"):
        goto(page, server, path, start="other.html" if path == "index.html" else None)
        modules = page.evaluate("document.querySelectorAll('[data-module]').length")
        assert page.evaluate("window.Course.live()") == modules, path  # nothing of other pages kept
        for quiz in page.locator("[data-quiz]").all():
            assert quiz.locator('button[data-action="check"]').is_visible()
        for scenario in page.locator("[data-scenario]").all():
            assert scenario.locator("[data-player]").get_attribute("hidden") is None
    # the progress page listens for progress only while it is shown
    goto(page, server, "index.html", start="other.html")
    quiz = page.locator('[data-quiz="home-quiz"]')
    quiz.locator('input[value="0"]').check()
    quiz.locator('button[data-action="check"]').click()
    assert quiz.get_attribute("data-state") == "passed"
    assert page.watch.errors == []


def test_answer_key_survives_instant_navigation(page, server):
    goto(page, server, "index.html", start="other.html")
    key = page.locator('[data-quiz="home-quiz"] script[data-quiz-key]')
    assert key.get_attribute("type") == "application/json"
    assert json.loads(key.text_content())  # base64 text, decoded by the widget
    data = page.locator("[data-scenario] script[data-scenario-data]")
    assert data.count() == 0
    goto(page, server, "boxed.html")
    assert page.locator("script[data-scenario-data]").get_attribute("type") == "application/json"
    assert page.locator("template[data-course-script]").count() == 0
    assert page.watch.errors == []


@pytest.fixture(scope="module", params=["he", "ar"])
def rtl_server(request, tmp_path_factory):
    files = {
        "content/index.md": "# בית\n\n::: quiz rtl-quiz\n\n::: scenario talk\n",
        "quizzes/rtl-quiz.yml": yaml.safe_dump(
            {
                "kind": "quiz",
                "title": "בדיקה",
                "questions": [
                    {
                        "id": "q1",
                        "type": "single",
                        "prompt": "מה עושים כשהלקוח כועס?",
                        "options": [
                            {"text": "מקשיבים (עד הסוף).", "correct": True, "feedback": "נכון! ככה."},
                            {"text": "Tell them to calm down.", "feedback": "לא."},
                        ],
                    }
                ],
            },
            allow_unicode=True,
        ),
        "quizzes/talk.yml": SCENARIO,
    }
    project = make_project(tmp_path_factory.mktemp("rtl") / "p", files)
    cfg = project / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text().replace("  font: false\n", f"  font: false\n  language: {request.param}\n")
    )
    with BuiltServer(project, project / "site") as s:
        yield s


def test_widgets_lay_out_right_to_left(page, rtl_server):
    page.goto(rtl_server.url + "index.html")
    assert page.evaluate("document.body.dir") == "rtl"  # Material sets it from theme.language
    quiz = page.locator('[data-quiz="rtl-quiz"]')
    quiz.locator('input[value="0"]').check()
    quiz.locator('button[data-action="check"]').click()
    feedback = quiz.locator(".cq-feedback").first
    style = feedback.evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderRightWidth, s.borderLeftWidth, s.direction]; }"
    )
    assert style == ["3px", "0px", "rtl"], style  # the rule on the start side: right in RTL
    # the English option keeps its own direction inside the RTL page
    dirs = quiz.locator(".cq-option__text").evaluate_all("els => els.map(e => getComputedStyle(e).direction)")
    assert dirs == ["rtl", "ltr"], dirs
    scenario = page.locator('[data-scenario="talk"]')
    scenario.locator('button[data-choice="0"]').click()
    coach = scenario.locator(".cq-coach")
    box = coach.bounding_box()
    root = scenario.bounding_box()
    # indented from the inline start, which is the right
    left_gap = box["x"] - root["x"]
    right_gap = root["x"] + root["width"] - (box["x"] + box["width"])
    assert right_gap > left_gap + 20, (left_gap, right_gap)
    assert page.watch.errors == []


def test_rtl_screenshots(page, rtl_server, tmp_path):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(rtl_server.url + "index.html")
        page.evaluate("localStorage.clear()")  # start the scenario again, not resumed at its ending
        page.reload()
        quiz = page.locator('[data-quiz="rtl-quiz"]')
        quiz.locator('input[value="0"]').check()
        quiz.locator('button[data-action="check"]').click()
        page.locator('[data-scenario="talk"] button[data-choice="0"]').click()
        folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)  # to look at them: SCREENSHOT_DIR=...
        shot = folder / f"rtl-{rtl_server.site_dir.parent.parent.name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 1000


def test_directory_urls_with_non_ascii_names_get_their_tick(page, tmp_path):
    files = {"content/index.md": "# Home\n", "content/other.md": "# Other\n"}
    for name in NAMES:
        files[f"content/{name}.md"] = f"# {name}\n\nText.\n"
    project = make_project(tmp_path / "p", files)
    cfg = project / "mkdocs.yml"
    # (Material's offline plugin would turn directory URLs off again)
    cfg.write_text(
        cfg.read_text()
        .replace("use_directory_urls: false", "use_directory_urls: true")
        .replace("  - offline\n", "")
    )
    with BuiltServer(project, project / "site") as server:
        urls = {p["url"] for p in read_manifest(server.site_dir)["pages"]}
        assert {f"{n}/" for n in NAMES} <= urls, urls
        for name in NAMES:
            page.goto(server.url + urllib.parse.quote(f"{name}/"))
            page.wait_for_function("u => window.CourseProgress.load().pages[u] === 1", arg=f"{name}/")
        page.goto(server.url)
        page.wait_for_function("() => window.CourseProgress.load().pages[''] === 1")
        assert page.watch.errors == []
