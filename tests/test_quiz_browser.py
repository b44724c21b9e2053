"""The quiz in a real Chromium: answer right and wrong, feedback, score, data-state, retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import INSTANT_MODES
from tests.helpers import BuiltServer, Server, goto, make_project, site_for

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=[*INSTANT_MODES, pytest.param("zensical", id="zensical")])
def server(request, tmp_path_factory):
    """The fixture course under a sub-path: built by MkDocs with Material's navigation.instant off,
    then on, and built by Zensical (issue 17)."""
    tmp = tmp_path_factory.mktemp("quiz")
    project = make_project(tmp / "p", fixture="basic")
    if request.param == "zensical":
        site = site_for("zensical", project, tmp / "site-zensical")
        with Server(site, "/training/customer-care/") as s:
            s.site_dir, s.instant = site, False
            yield s
        return
    with BuiltServer(project, project / "site", "/training/customer-care/", instant=request.param) as s:
        yield s


@pytest.fixture(scope="module")
def site(server) -> Path:
    return server.site_dir


def order_answer(page, qid: str, correct: bool) -> None:
    """Pick positions by the item texts (the fixture's correct order is Listen, Apologise, Fix)."""
    wanted = ["Listen", "Apologise", "Fix"]
    selects = page.locator(f'[data-question="{qid}"] select')
    for i in range(selects.count()):
        text = page.locator(f'[data-question="{qid}"] .cq-order__text').nth(i).inner_text().strip()
        position = wanted.index(text) + 1
        if not correct:
            position = (position % 3) + 1
        selects.nth(i).select_option(str(position))


def answer_all_right(page) -> None:
    page.check('[data-question="first-response"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="1"]')
    page.check('[data-question="tf"] input[value="false"]')
    page.fill('[data-question="word"] input', "  LISTENING ")
    order_answer(page, "steps", correct=True)


def test_all_right_passes(page, server):
    goto(page, server, "index.html")
    quiz = page.locator('[data-quiz="sample"]')
    assert quiz.get_attribute("data-state") is None
    answer_all_right(page)
    page.click('button[data-action="check"]')
    assert quiz.get_attribute("data-state") == "passed"
    result = page.locator("[data-quiz-result]").inner_text()
    assert "5 out of 5" in result and "100%" in result and "75%" in result
    # per-option feedback for what was chosen, and the explanation
    assert page.locator('[data-question="first-response"] .cq-feedback').first.is_visible()
    assert (
        "Letting them vent lowers the heat" in page.locator('[data-question="first-response"]').inner_text()
    )
    assert page.locator('[data-question="first-response"] [data-explanation]').is_visible()
    assert page.locator('[data-question="tf"] p[data-verdict]').inner_text() == "Correct."
    # the result is announced and focused
    assert page.locator("[data-quiz-result]").get_attribute("aria-live") == "polite"
    assert page.evaluate("document.activeElement.hasAttribute('data-quiz-result')")
    assert page.watch.errors == []


def test_wrong_answers_fail_then_retry_passes(page, server):
    goto(page, server, "index.html")
    quiz = page.locator('[data-quiz="sample"]')
    page.check('[data-question="first-response"] input[value="1"]')
    page.check('[data-question="pick-two"] input[value="0"]')  # only one of two
    page.check('[data-question="tf"] input[value="true"]')
    page.fill('[data-question="word"] input', "shout")
    order_answer(page, "steps", correct=False)
    page.click('button[data-action="check"]')
    assert quiz.get_attribute("data-state") == "failed"
    assert "0 out of 5" in page.locator("[data-quiz-result]").inner_text()
    chosen_feedback = (
        page.locator('[data-question="first-response"] .cq-option').nth(1).locator(".cq-feedback")
    )
    assert chosen_feedback.is_visible()
    assert "angrier" in chosen_feedback.inner_text()
    # the feedback of options not chosen stays hidden
    assert (
        not page.locator('[data-question="first-response"] .cq-option')
        .nth(0)
        .locator(".cq-feedback")
        .is_visible()
    )
    assert page.locator('[data-question="tf"] p[data-verdict]').inner_text() == "Not quite."

    retry = page.locator('button[data-action="retry"]')
    assert retry.is_visible()
    retry.click()
    assert quiz.get_attribute("data-state") is None
    assert page.locator("[data-quiz-result]").inner_text() == ""
    assert not page.locator('[data-question="first-response"] input[value="1"]').is_checked()
    assert not page.locator(".cq-feedback:visible").count()
    answer_all_right(page)
    page.click('button[data-action="check"]')
    assert quiz.get_attribute("data-state") == "passed"


def test_partial_score_against_pass_mark(page, server):
    goto(page, server, "index.html")
    answer_all_right(page)
    page.fill('[data-question="word"] input', "argue")  # 4 of 5 = 80% >= 75%
    page.click('button[data-action="check"]')
    assert page.locator('[data-quiz="sample"]').get_attribute("data-state") == "passed"
    assert "4 out of 5 (80%)" in page.locator("[data-quiz-result]").inner_text()


def test_answered_event_for_progress_and_lms_glue(page, server):
    goto(page, server, "index.html")
    page.evaluate(
        "window.__events = []; document.addEventListener('course:answered', e => __events.push(e.detail))"
    )
    answer_all_right(page)
    page.click('button[data-action="check"]')
    events = page.evaluate("window.__events")
    assert len(events) == 1
    assert events[0]["quiz"] == "sample" and events[0]["percent"] == 100 and events[0]["passed"] is True


def test_enter_in_the_text_box_checks_instead_of_reloading(page, server):
    goto(page, server, "index.html")
    page.fill('[data-question="word"] input', "listen")
    page.press('[data-question="word"] input', "Enter")
    # the other questions are unanswered: the error summary, no attempt, no reload
    assert page.locator("[data-quiz-errors]").is_visible()
    assert page.locator('[data-quiz="sample"]').get_attribute("data-state") is None
    answer_all_right(page)
    page.fill('[data-question="word"] input', "shout")
    page.press('[data-question="word"] input', "Enter")
    assert page.locator('[data-quiz="sample"]').get_attribute("data-state") == "passed"
    assert page.url.endswith("index.html")


def test_no_request_leaves_the_site(page, server):
    origin = server.url.split("/training/")[0]
    goto(page, server, "index.html")
    page.wait_for_load_state("networkidle")
    goto(page, server, "other.html")
    page.wait_for_load_state("networkidle")
    assert page.watch.foreign_requests(origin) == []
    assert page.watch.errors == []


def test_flagship_makes_no_request_to_another_host(page, flagship_server):
    origin = flagship_server.url.rstrip("/")
    for path in ("index.html", "modules/02-not-personal.html", "practice/phone-call.html"):
        page.goto(flagship_server.url + path)
        page.wait_for_load_state("networkidle")
    assert page.watch.foreign_requests(origin) == []


def test_without_javascript_questions_are_readable(browser, server):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(server.url + "index.html")
        assert page.locator('[data-question="first-response"]').is_visible()
        assert page.locator(".cq-nojs").is_visible()
        assert not page.locator('button[data-action="check"]').is_visible()
    finally:
        ctx.close()
