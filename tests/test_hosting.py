"""Hosting without an LMS: the built site from file://, from a sub-path of a plain web server, and
reproducible builds (two builds of the same sources are byte-identical)."""

from __future__ import annotations

import filecmp

import pytest

from tests.helpers import REPO, Server, build_ok

DRIVER = (REPO / "tests" / "js" / "driver.js").read_text(encoding="utf-8")


def open_page(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    page.add_script_tag(content=DRIVER)


def search(page, words: str) -> str:
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(words, delay=20)
    page.wait_for_function(
        "() => /\\d+ matching document/.test(document.querySelector('.md-search-result__meta').textContent)",
        timeout=15000,
    )
    return page.locator(".md-search-result__list").inner_text()


def use_the_course(page, base: str) -> None:
    """Quiz, scenario (clicking a real choice), progress page, nav marks and search."""
    open_page(page, base + "modules/04-feelings-first.html")
    page.evaluate("cqDriver.answerQuiz('quiz-04-feelings-first')")
    assert page.locator('[data-quiz="quiz-04-feelings-first"][data-state="passed"]').count() == 1
    assert (
        "You scored 6 out of 6"
        in page.locator('[data-quiz="quiz-04-feelings-first"] [data-quiz-result]').inner_text()
    )

    open_page(page, base + "practice/counter-return.html")
    root = page.locator('[data-scenario="practice-counter-return"]')
    root.locator("button[data-choice]").first.click()
    page.wait_for_function("() => CourseProgress.state.scenarios['practice-counter-return']")
    page.evaluate("cqDriver.playScenario('practice-counter-return', 'success')")
    assert root.get_attribute("data-ending") == "success"

    open_page(page, base + "progress.html")
    summary = page.locator(".cq-summary").inner_text()
    assert "Quizzes passed: 1 of 9" in summary and "Scenarios finished: 1 of 4" in summary
    assert page.locator('.md-nav--primary a[href="modules/04-feelings-first.html"] .cq-tick').count() == 1
    assert page.locator('.md-nav--primary a[href="practice/counter-return.html"] .cq-tick').count() == 1
    # the links on the progress page work from here
    page.locator("li.cq-page > a", has_text="Module 5:").first.click()
    page.wait_for_url("**/modules/05-acknowledge-apologise.html")

    results = search(page, "apologise")
    assert "Acknowledge and apologise" in results
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base)


@pytest.mark.browser
def test_works_from_disk_with_file_urls(page, flagship_site):
    base = flagship_site.resolve().as_uri() + "/"
    use_the_course(page, base)
    assert [u for u in page.watch.requests if not u.startswith("file://")] == []
    assert page.watch.errors == []


@pytest.mark.browser
def test_works_from_a_sub_path_of_a_plain_web_server(page, flagship_site):
    with Server(flagship_site, prefix="/training/customer-care/") as server:
        assert server.url.endswith("/training/customer-care/")
        use_the_course(page, server.url)
        # the folder URL itself serves the home page, and progress still knows where it is
        open_page(page, server.url)
        assert page.evaluate("CourseProgress.urlOf(location.href)") == "index.html"
        assert page.watch.foreign_requests(server.url) == []  # nothing outside the sub-path, no other host
    assert page.watch.errors == []


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path):
    first = build_ok(REPO, tmp_path / "one")
    second = build_ok(REPO, tmp_path / "two")
    files_one = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert files_one == files_two
    for must in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "search/search_index.js",
                 "assets/course/manifest.js"):  # fmt: skip
        assert must in files_one
    differ = [f for f in files_one if not filecmp.cmp(first / f, second / f, shallow=False)]
    assert differ == []


def test_hosting_page_covers_the_three_routes():
    text = (REPO / "content" / "hr" / "hosting.md").read_text(encoding="utf-8")
    for phrase in (
        "sub-folder",
        "file://",
        "course package --scorm",
        "cmi.core.lesson_status",
        "mastery score",
    ):
        assert phrase in text, phrase
