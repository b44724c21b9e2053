"""Quizzes that remember, teach and forgive (issue 9, items 1-4 and 10; issue 10, item 5) in Chromium.

The fixture course: ``index.md`` embeds quiz ``sample`` (single, multiple, true/false, text, order;
default reveal rule: after 2 attempts or on a pass), ``other.md`` comes next in the navigation,
``reveal.md`` embeds quizzes with ``reveal: 1`` and ``reveal: never``, ``pinned.md`` a shuffled quiz
whose last option is pinned.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Server, build_ok, make_project
from tests.test_accessibility import PALETTES, answer_quiz, assert_no_violations, open_page, settle
from tests.test_quiz_browser import answer_all_right, order_answer

pytestmark = pytest.mark.browser

ONE_QUESTION = """\
kind: quiz
title: {title}
pass_mark: 100
reveal: {reveal}
questions:
  - id: pick
    type: multiple
    prompt: "Which two help?"
    options:
      - {{text: "Using their name", correct: true}}
      - {{text: "A specific apology", correct: true}}
      - {{text: "Blaming the warehouse"}}
"""

PINNED = """\
kind: quiz
title: Pinned
shuffle: true
questions:
  - id: p
    type: single
    prompt: "Which helps?"
    options:
      - {text: "Alpha", correct: true}
      - {text: "Bravo"}
      - {text: "Charlie"}
      - {text: "Delta"}
      - {text: "Echo"}
      - {text: "None of the above", pin: true}
"""

TYPED = """\
kind: quiz
title: Typed
questions:
  - {id: street, type: text, prompt: "German for street?", accept: ["Straße"]}
  - {id: contraction, type: text, prompt: "Short for do not?", accept: ["don't"]}
  - {id: greek, type: text, prompt: "Greek for way?", accept: ["ΟΔΟΣ"]}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(
        tmp_path_factory.mktemp("quiz-learning") / "p",
        fixture="basic",
        files={
            "quizzes/reveal-one.yml": ONE_QUESTION.format(title="Reveal at once", reveal=1),
            "quizzes/reveal-never.yml": ONE_QUESTION.format(title="Never reveal", reveal="never"),
            "quizzes/pinned.yml": PINNED,
            "content/reveal.md": "# Reveal\n\n::: quiz reveal-one\n\n::: quiz reveal-never\n",
            "content/pinned.md": "# Pinned\n\n::: quiz pinned\n",
            "quizzes/typed.yml": TYPED,
            "content/typed.md": "# Typed\n\n::: quiz typed\n",
        },
    )
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text() + "nav:\n  - index.md\n  - other.md\n  - reveal.md\n  - pinned.md\n  - typed.md\n",
        encoding="utf-8",
    )
    return build_ok(project)


@pytest.fixture(scope="module")
def server(site):
    with Server(site) as s:
        yield s


QUIZ = '[data-quiz="sample"]'


def answer_some_wrong(page) -> None:
    """Questions 1, 3 and 5 right; 2 (one of two right options plus a wrong one) and 4 wrong."""
    page.check('[data-question="first-response"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="2"]')
    page.check('[data-question="tf"] input[value="false"]')
    page.fill('[data-question="word"] input', "shout")
    order_answer(page, "steps", correct=True)


def verdicts(page, qid: str) -> list[str | None]:
    return page.locator(f'[data-question="{qid}"] .cq-option').evaluate_all(
        "els => els.map(e => e.getAttribute('data-verdict'))"
    )


def open_fresh(page, server, rel: str = "index.html") -> None:
    page.goto(server.url + rel)
    page.evaluate("localStorage.clear()")
    page.goto(server.url + rel)
    settle(page)


# ------------------------------------------------------------------ teach


def test_verdicts_in_words_then_missed_after_two_attempts(page, server):
    open_fresh(page, server)
    quiz = page.locator(QUIZ)
    assert quiz.get_attribute("data-attempts") == "0"
    answer_some_wrong(page)
    page.click('button[data-action="check"]')
    assert quiz.get_attribute("data-state") == "failed" and quiz.get_attribute("data-attempts") == "1"
    # chosen and right / chosen and wrong; the right option not chosen is not given away yet
    assert verdicts(page, "pick-two") == ["correct", None, "incorrect"]
    assert verdicts(page, "first-response") == ["correct", None, None]
    tf = page.locator('[data-question="tf"] .cq-option')
    assert tf.nth(1).get_attribute("data-verdict") == "correct"
    # each verdict also in words and an icon, not by colour alone
    incorrect = page.locator('[data-question="pick-two"] .cq-option[data-verdict="incorrect"]')
    assert "Incorrect" in incorrect.locator("[data-option-verdict]").inner_text()
    assert incorrect.locator(".cq-verdict-icon").get_attribute("aria-hidden") == "true"
    # order items: each place marked
    items = page.locator('[data-question="steps"] .cq-order__item')
    assert items.evaluate_all("els => els.map(e => e.getAttribute('data-verdict'))") == ["correct"] * 3
    assert "Right place" in items.first.inner_text()
    assert "shown after 2 attempts" in page.locator("[data-quiz-result]").inner_text()

    # second attempt: the two wrong questions get another go and are wrong again -> revealed
    page.click('button[data-action="retry"]')
    page.check('[data-question="pick-two"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="2"]')
    page.fill('[data-question="word"] input', "argue")
    page.click('button[data-action="check"]')
    assert quiz.get_attribute("data-attempts") == "2"
    assert verdicts(page, "pick-two") == ["correct", "missed", "incorrect"]
    missed = page.locator('[data-question="pick-two"] .cq-option[data-verdict="missed"]')
    assert "Missed" in missed.inner_text()
    assert "An accepted answer: listen" in page.locator('[data-question="word"]').inner_text()
    assert "The right answers are shown" in page.locator("[data-quiz-result]").inner_text()
    assert page.watch.errors == []


def test_order_item_in_the_wrong_place_says_so(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    order_answer(page, "steps", correct=False)
    page.click('button[data-action="check"]')
    items = page.locator('[data-question="steps"] .cq-order__item')
    assert items.evaluate_all("els => els.map(e => e.getAttribute('data-verdict'))") == ["incorrect"] * 3
    assert "Wrong place" in items.first.inner_text()


def test_reveal_rule_at_once_and_never(page, server):
    open_fresh(page, server, "reveal.html")
    for quiz_id, after_one in (("reveal-one", "missed"), ("reveal-never", None)):
        quiz = page.locator(f'[data-quiz="{quiz_id}"]')
        quiz.locator('input[value="0"]').check()
        quiz.locator('button[data-action="check"]').click()
        assert quiz.get_attribute("data-state") == "failed"
        options = quiz.locator(".cq-option")
        assert options.nth(1).get_attribute("data-verdict") == after_one, quiz_id
    never = page.locator('[data-quiz="reveal-never"]')
    for _ in range(3):  # never means never, however many attempts
        never.locator('button[data-action="retry"]').click()
        never.locator('input[value="2"]').check()
        never.locator('button[data-action="check"]').click()
        assert never.locator('[data-verdict="missed"]').count() == 0
    assert never.get_attribute("data-attempts") == "4"


# ------------------------------------------------------------------ forgive


def test_unanswered_check_shows_the_error_summary_and_counts_no_attempt(page, server):
    open_fresh(page, server)
    page.evaluate("window.__answered = 0; document.addEventListener('course:answered', () => __answered++)")
    quiz = page.locator(QUIZ)
    page.check('[data-question="first-response"] input[value="0"]')
    page.click('button[data-action="check"]')
    summary = page.locator("[data-quiz-errors]")
    assert summary.is_visible() and summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.hasAttribute('data-quiz-errors')")
    links = summary.locator("a")
    assert links.count() == 4  # questions 2-5
    assert quiz.get_attribute("data-state") is None and quiz.get_attribute("data-attempts") == "0"
    assert page.evaluate("window.__answered") == 0
    assert verdicts(page, "first-response") == [None, None, None]
    # each link leads to its question's first control
    links.nth(2).click()
    assert page.evaluate("document.activeElement.closest('[data-question]').dataset.question") == "word"
    assert page.locator('[data-question="word"] [data-question-error]').is_visible()
    page.fill('[data-question="word"] input', "listen")  # answered: its own message goes
    assert not page.locator('[data-question="word"] [data-question-error]').is_visible()
    assert page.locator('[data-question="tf"] [data-question-error]').is_visible()
    assert_no_violations(page, "quiz error summary", QUIZ)


def test_an_order_place_used_twice_is_no_answer(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    selects = page.locator('[data-question="steps"] select')
    for i in range(3):
        selects.nth(i).select_option("1")
    page.click('button[data-action="check"]')
    summary = page.locator("[data-quiz-errors]")
    assert summary.is_visible()
    assert "1st place is given to more than one item" in summary.inner_text()
    assert page.locator(QUIZ).get_attribute("data-attempts") == "0"
    order_answer(page, "steps", correct=True)
    page.click('button[data-action="check"]')
    assert not summary.is_visible()
    assert page.locator(QUIZ).get_attribute("data-state") == "passed"


def test_try_again_keeps_right_answers_locked_and_clears_wrong_ones(page, server):
    open_fresh(page, server)
    answer_some_wrong(page)
    page.click('button[data-action="check"]')
    page.click('button[data-action="retry"]')
    right = page.locator('[data-question="first-response"] input[value="0"]')
    assert right.is_checked() and right.is_disabled()
    assert page.locator('[data-question="tf"] input[value="false"]').is_checked()
    assert page.locator('[data-question="first-response"] p[data-verdict]').inner_text() == "Correct."
    # the wrong questions are empty and open again
    assert not page.locator('[data-question="pick-two"] input:checked').count()
    assert page.locator('[data-question="pick-two"] input').first.is_enabled()
    assert page.locator('[data-question="word"] input').input_value() == ""
    assert page.locator(QUIZ).get_attribute("data-attempts") == "1"
    # focus on the first question to answer again
    assert page.evaluate("document.activeElement.closest('[data-question]').dataset.question") == "pick-two"
    assert_no_violations(page, "quiz after Try again", QUIZ)
    page.check('[data-question="pick-two"] input[value="0"]')
    page.check('[data-question="pick-two"] input[value="1"]')
    page.fill('[data-question="word"] input', "Listening!")
    page.click('button[data-action="check"]')
    assert page.locator(QUIZ).get_attribute("data-state") == "passed"
    assert "5 out of 5" in page.locator("[data-quiz-result]").inner_text()


def test_retake_starts_afresh(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    page.click('button[data-action="check"]')
    page.click('button[data-action="retake"]')
    quiz = page.locator(QUIZ)
    assert quiz.get_attribute("data-state") is None and quiz.get_attribute("data-attempts") == "0"
    assert not page.locator(f"{QUIZ} input:checked").count()
    assert page.locator(f"{QUIZ} input:disabled, {QUIZ} select:disabled").count() == 0
    assert page.locator(f"{QUIZ} [data-verdict]:not([data-verdict=''])").count() == 0
    assert page.locator("[data-quiz-result]").inner_text() == ""
    page.reload()
    settle(page)
    assert page.locator(QUIZ).get_attribute("data-state") is None


def test_retake_by_keyboard(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    page.click('button[data-action="check"]')
    assert page.evaluate("document.activeElement.hasAttribute('data-quiz-result')")
    for _ in range(4):  # back from the result to the buttons
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.dataset.action") == "retake":
            break
    assert page.evaluate("document.activeElement.dataset.action") == "retake"
    page.keyboard.press("Enter")
    assert page.locator(QUIZ).get_attribute("data-state") is None
    assert (
        page.evaluate("document.activeElement.closest('[data-question]').dataset.question")
        == "first-response"
    )
    page.keyboard.press("Space")
    assert page.locator('[data-question="first-response"] input:checked').count() == 1


# ------------------------------------------------------------------ result where the learner is


def test_result_is_focused_in_view_with_a_link_to_the_next_page(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    page.click('button[data-action="check"]')
    result = page.locator("[data-quiz-result]")
    assert page.evaluate("document.activeElement.hasAttribute('data-quiz-result')")
    box = result.bounding_box()
    assert 0 <= box["y"] and box["y"] + 20 <= page.viewport_size["height"], box
    nxt = result.locator("a[data-quiz-next]")
    assert "Other page" in nxt.inner_text()
    nxt.click()
    page.wait_for_url("**/other.html")
    assert page.watch.errors == []


def test_no_next_link_before_a_pass(page, server):
    open_fresh(page, server)
    answer_some_wrong(page)
    page.click('button[data-action="check"]')
    assert page.locator("[data-quiz-result] a[data-quiz-next]").count() == 0


# ------------------------------------------------------------------ remember


def test_answers_in_progress_survive_a_reload(page, server):
    open_fresh(page, server)
    page.check('[data-question="pick-two"] input[value="1"]')
    page.fill('[data-question="word"] input', "Listen")
    page.locator('[data-question="steps"] select').nth(0).select_option("2")
    page.reload()  # at once: nothing typed is lost
    settle(page)
    assert page.locator('[data-question="pick-two"] input[value="1"]').is_checked()
    assert page.locator('[data-question="word"] input').input_value() == "Listen"
    assert page.locator('[data-question="steps"] select').nth(0).input_value() == "2"
    assert page.locator(QUIZ).get_attribute("data-state") is None


def test_a_checked_quiz_shows_its_last_result_when_the_learner_comes_back(page, server):
    open_fresh(page, server)
    answer_some_wrong(page)
    page.click('button[data-action="check"]')
    before = page.locator("[data-quiz-result]").inner_text()
    page.goto(server.url + "other.html")
    page.go_back()
    settle(page)
    quiz = page.locator(QUIZ)
    assert quiz.get_attribute("data-state") == "failed"
    assert quiz.get_attribute("data-attempts") == "1"
    assert page.locator("[data-quiz-result]").inner_text() == before
    assert verdicts(page, "pick-two") == ["correct", None, "incorrect"]
    assert page.locator('[data-question="pick-two"] input[value="2"]').is_checked()
    assert page.locator('button[data-action="retry"]').is_visible()
    # Try again after coming back keeps the right answers, also across a reload
    page.click('button[data-action="retry"]')
    page.reload()
    settle(page)
    assert page.locator('[data-question="first-response"] input[value="0"]').is_disabled()
    assert page.locator('[data-question="pick-two"] input').first.is_enabled()
    assert page.locator(QUIZ).get_attribute("data-attempts") == "1"


def test_kept_in_the_progress_record_of_this_quiz_version(page, server):
    open_fresh(page, server)
    answer_all_right(page)
    page.click('button[data-action="check"]')
    record = page.evaluate("CourseProgress.load().quizzes.sample")
    version = page.locator(QUIZ).get_attribute("data-version")
    assert record["v"] == version and record["best"] == 100 and record["st"] == "passed"
    assert record["c"] == 1 and len(record["a"]) == 5
    # a record of another version is not applied to this one
    page.evaluate(
        """() => { const k = CourseProgress.key, s = JSON.parse(localStorage.getItem(k));
                   s.quizzes.sample.v = 'old'; localStorage.setItem(k, JSON.stringify(s)); }"""
    )
    page.reload()
    settle(page)
    assert page.locator(QUIZ).get_attribute("data-state") is None
    assert not page.locator(f"{QUIZ} input:checked").count()


# ------------------------------------------------------------------ phone and touch


WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll('.cq-quiz, .cq-quiz *'))
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("width", [320, 390])
def test_order_question_readable_on_a_phone(browser, server, width):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(server.url + "index.html")
        settle(page)
        for i in range(3):
            item = page.locator('[data-question="steps"] .cq-order__item').nth(i)
            text = item.locator(".cq-order__text").bounding_box()
            select = item.locator("select").bounding_box()
            label = item.locator(".cq-order__label").bounding_box()
            assert select["y"] >= text["y"] + text["height"] - 1, "the place sits below the item's text"
            assert select["width"] >= 0.8 * label["width"], "the place drop-down takes the row"
            assert text["width"] >= 0.8 * label["width"], "the text takes the row"
        wide = page.evaluate(WIDER_THAN_SCREEN)
        assert not wide, f"wider than the screen: {wide}"
        answer_some_wrong(page)
        page.click('button[data-action="check"]')
        page.screenshot(path=str(Path("/tmp") / f"quiz-{width}-checked.png"), full_page=True)
    finally:
        ctx.close()


def test_hover_styles_only_where_hover_is_possible(page, server):
    page.goto(server.url + "index.html")
    loose = page.evaluate(
        """() => {
      const out = [];
      const walk = (rules, inHover) => { for (const r of rules) {
        if (r.media) walk(r.cssRules, inHover || /hover:\\s*hover/.test(r.conditionText || r.media.mediaText));
        else if (r.selectorText && /:hover/.test(r.selectorText) && !inHover) out.push(r.selectorText);
      } };
      for (const s of document.styleSheets) {
        if ((s.href || '').indexOf('assets/course/course.css') === -1) continue;  // the quiz's styles
        walk(s.cssRules, false);
      }
      return out;
    }"""
    )
    assert loose == [], f"hover styles outside @media (hover: hover): {loose}"


@pytest.mark.parametrize("width", [390, 1280])
def test_back_to_top_button_never_covers_a_quiz(page, flagship_server, width):
    """The flagship turns Material's navigation.top on."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(flagship_server.url + "modules/01-welcome.html")
    settle(page)
    quiz = page.locator("[data-quiz]")
    shown = 0
    box = quiz.bounding_box()
    for start in range(0, int(box["height"]), 300):  # scroll through the quiz, then up a little
        page.evaluate("y => scrollTo(0, y)", box["y"] + start + 400)
        page.mouse.wheel(0, -200)  # Material shows its button when scrolling up
        page.wait_for_timeout(300)
        top = page.locator(".md-top")
        if not top.count() or not top.is_visible():
            continue
        shown += 1
        b, q = top.bounding_box(), quiz.bounding_box()
        overlap = b["x"] < q["x"] + q["width"] and q["x"] < b["x"] + b["width"]
        overlap = overlap and b["y"] < q["y"] + q["height"] and q["y"] < b["y"] + b["height"]
        assert not overlap, (b, q)
    assert shown or width < 1220, "on a wide screen the button is still offered"


# ------------------------------------------------------------------ pinned options


def test_pinned_option_stays_last_under_shuffle(page, server):
    open_fresh(page, server, "pinned.html")
    seen = set()
    for _ in range(6):
        texts = page.locator('[data-quiz="pinned"] .cq-option__text').all_inner_texts()
        assert texts[-1] == "None of the above"
        seen.add(tuple(texts))
        page.reload()
        settle(page)
    assert len(seen) > 1, "the other options do shuffle"


# ------------------------------------------------------------------ accessibility of new states


@pytest.mark.parametrize("scheme", PALETTES)
def test_new_quiz_states_have_no_axe_violations(flagship_server, page, scheme):
    """The flagship's module 1 quiz: error summary, failed twice (answers revealed), passed with
    the link to the next page; both palettes."""
    open_page(page, flagship_server.url, "modules/01-welcome.html", scheme)
    page.evaluate("localStorage.removeItem(CourseProgress.key)")
    open_page(page, flagship_server.url, "modules/01-welcome.html", scheme)
    quiz = page.locator("[data-quiz]")
    quiz.locator('button[data-action="check"]').click()
    assert quiz.locator("[data-quiz-errors]").is_visible()
    assert_no_violations(page, f"quiz error summary ({scheme})", "[data-quiz]")
    answer_quiz(page, "[data-quiz]", right=False)
    quiz.locator('button[data-action="retry"]').click()
    answer_quiz(page, "[data-quiz]", right=False)
    assert quiz.get_attribute("data-attempts") == "2"
    assert quiz.locator('[data-verdict="missed"]').count()
    assert_no_violations(page, f"quiz failed twice, answers shown ({scheme})", "[data-quiz]")
    page.screenshot(path=f"/tmp/quiz-1280-revealed-{scheme}.png", full_page=True)
    quiz.locator('button[data-action="retake"]').click()
    answer_quiz(page, "[data-quiz]", right=True)
    assert quiz.locator("[data-quiz-result] a[data-quiz-next]").count() == 1
    assert_no_violations(page, f"quiz passed with the next link ({scheme})", "[data-quiz]")
    page.screenshot(path=f"/tmp/quiz-1280-passed-{scheme}.png")


# ------------------------------------------------------------------ typed answers (issue 10, item 1)


@pytest.mark.parametrize(
    ("street", "contraction", "greek"),
    [("Straße", "don’t", "οδος"), ("STRASSE.", "DON'T!", "Οδός"), ("  strasse ", "“don't”", "ὁδός")],
)
def test_typed_answers_are_normalised_like_the_build(page, server, street, contraction, greek):
    open_fresh(page, server, "typed.html")
    page.fill('[data-question="street"] input', street)
    page.fill('[data-question="contraction"] input', contraction)
    page.fill('[data-question="greek"] input', greek)
    page.click('[data-quiz="typed"] button[data-action="check"]')
    marks = page.locator('[data-quiz="typed"] p[data-verdict]').all_inner_texts()
    right = [True, True, greek != "ὁδός" and greek != "Οδός"]  # accents count: only case and forms fold
    assert marks == ["Correct." if r else "Not quite." for r in right]


def test_export_and_import_carry_the_answers(page, server):
    open_fresh(page, server)
    answer_some_wrong(page)
    page.click('button[data-action="check"]')
    saved = page.evaluate("JSON.parse(JSON.stringify(CourseProgress.load()))")
    assert saved["quizzes"]["sample"]["st"] == "failed"
    page.evaluate("localStorage.clear()")
    page.reload()
    settle(page)
    assert page.locator(QUIZ).get_attribute("data-state") is None
    page.evaluate("data => CourseProgress.merge(data)", saved)  # what the import button does
    page.reload()
    settle(page)
    assert page.locator(QUIZ).get_attribute("data-state") == "failed"
    assert verdicts(page, "pick-two") == ["correct", None, "incorrect"]


def test_my_progress_does_not_count_a_quiz_only_started(page, server):
    open_fresh(page, server)
    page.check('[data-question="pick-two"] input[value="1"]')
    page.wait_for_timeout(400)
    record = page.evaluate("CourseProgress.load().quizzes.sample")
    assert record["n"] == 0 and record["best"] is None
    assert page.evaluate("CourseProgress.quizPassed('sample')") is False
    assert page.evaluate("CourseProgress.status().assessment.best") is None
