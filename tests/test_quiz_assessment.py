"""Assessment HR can rely on (issue 13): pools, attempt limits, exam mode, time limits and results
review in Chromium; their validation as an author meets it.

The fixture course: ``pool.md`` embeds ``pool`` (6 true/false questions, draw 3, two attempts, exam
mode, pass mark 100), ``groups.md`` embeds ``groups`` (draw {a: 1, b: 2}), ``timed.md`` embeds
``timed`` (two questions, time_limit 1 minute). The flagship's final assessment is checked too.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from builder.cli import main as course_main
from tests.helpers import Server, build_ok, make_project
from tests.test_accessibility import answer_quiz, assert_no_violations, quiz_answers, settle

TF = '  - {{id: q{n}, type: true_false, prompt: "Statement {n} is true.", answer: true{group}, explanation: "Because {n}."}}\n'


def pool_quiz(header: str, n: int = 6, groups: str = "") -> str:
    body = "".join(
        TF.format(n=i, group=f", group: {groups[i - 1]}" if groups else "") for i in range(1, n + 1)
    )
    return f"kind: quiz\ntitle: Pool\n{header}questions:\n{body}"


POOL = pool_quiz("pass_mark: 100\ndraw: 3\nattempts: 2\nmode: exam\n")
GROUPS = pool_quiz("draw: {a: 1, b: 2}\n", n=5, groups="aabbb")
TIMED = pool_quiz("time_limit: 1\nattempts: 3\n", n=2)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(
        tmp_path_factory.mktemp("assessment") / "p",
        fixture="basic",
        files={
            "quizzes/pool.yml": POOL,
            "quizzes/groups.yml": GROUPS,
            "quizzes/timed.yml": TIMED,
            "content/pool.md": "# Pool\n\n::: quiz pool\n",
            "content/groups.md": "# Groups\n\n::: quiz groups\n",
            "content/timed.md": "# Timed\n\n::: quiz timed\n",
        },
    )
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text() + "nav:\n  - index.md\n  - other.md\n  - pool.md\n  - groups.md\n  - timed.md\n",
        encoding="utf-8",
    )
    return build_ok(project)


@pytest.fixture(scope="module")
def server(site):
    with Server(site) as s:
        yield s


def shown(page, quiz: str) -> list[str]:
    return page.locator(f'[data-quiz="{quiz}"]').evaluate(
        "el => [...el.querySelectorAll('[data-question]')].filter(f => !f.hidden).map(f => f.dataset.question)"
    )


def record(page, quiz: str) -> dict:
    return page.evaluate(f"CourseProgress.load().quizzes[{json.dumps(quiz)}]")


def seconds_left(root) -> int:
    """The countdown's figure, in seconds ("Time left: 1:19" -> 79)."""
    m, sec = root.locator("[data-quiz-clock]").text_content().rsplit(" ", 1)[1].split(":")
    return int(m) * 60 + int(sec)


def open_quiz(page, url: str) -> None:
    page.goto(url)
    settle(page)


# ------------------------------------------------------------------ authoring


def run_check(tmp_path, capsys, quiz: str) -> tuple[int, str]:
    project = make_project(
        tmp_path / "p", {"content/index.md": "# L\n\n::: quiz q\n", "quizzes/q.yml": textwrap.dedent(quiz)}
    )
    code = course_main(["-C", str(project), "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def test_check_rejects_a_draw_larger_than_its_pool_at_its_line(tmp_path, capsys):
    code, out = run_check(tmp_path, capsys, pool_quiz("draw: 9\n", n=4))
    assert code != 0
    assert "quizzes/q.yml:3:" in out and "draw: 9 is more than the 4 questions" in out


def test_check_rejects_group_draws_it_cannot_fill(tmp_path, capsys):
    code, out = run_check(tmp_path, capsys, pool_quiz("draw:\n  a: 3\n  c: 1\n", n=4, groups="aabb"))
    assert code != 0
    assert "quizzes/q.yml:4: draw: 3 from group 'a' is more than its 2 questions" in out
    assert "quizzes/q.yml:5: draw: group 'c' has no questions" in out
    assert "'q3' is in no group that draw: names" in out  # a warning at the question


@pytest.mark.parametrize(
    "header, words",
    [
        ("attempts: 0\n", "attempts"),
        ("mode: test\n", "mode"),
        ("time_limit: soon\n", "time_limit"),
        ("draw: 0\n", "draw"),
    ],
)
def test_bad_assessment_fields_are_located(tmp_path, capsys, header, words):
    code, out = run_check(tmp_path, capsys, pool_quiz(header, n=2))
    assert code != 0
    assert "quizzes/q.yml:3:" in out and words in out, out


def test_json_schema_has_the_assessment_fields(tmp_path):
    out = tmp_path / "s.json"
    assert course_main(["schema", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for name in ("draw", "attempts", "mode", "time_limit", "group"):
        assert f'"{name}"' in text


def test_flagship_final_assessment_is_a_pool_twice_its_draw():
    import yaml

    data = yaml.safe_load((Path(__file__).parent.parent / "quizzes/final-assessment.yml").read_text("utf-8"))
    assert len(data["questions"]) >= 2 * data["draw"]
    assert data["attempts"] >= 2 and data["mode"] == "exam"


# ------------------------------------------------------------------ pools, attempts, exam mode


pytest_browser = pytest.mark.browser


@pytest_browser
def test_pool_draw_kept_across_reload_new_per_attempt_exam_held_then_locked(server, page):
    url = server.url + "pool.html"
    open_quiz(page, url)
    root = page.locator('[data-quiz="pool"]')
    first = shown(page, "pool")
    assert len(first) == 3
    assert root.get_attribute("data-attempts-left") == "2" and root.get_attribute("data-attempts") == "0"
    assert root.locator(".cq-question__number").first.text_content() == "Question 1 of 3."
    open_quiz(page, url)
    assert shown(page, "pool") == first  # the same draw after a reload
    assert record(page, "pool")["d"] == [int(q[1:]) - 1 for q in first]

    answer_quiz(page, '[data-quiz="pool"]', right=False)
    assert root.get_attribute("data-state") == "failed" and root.get_attribute("data-attempts-left") == "1"
    assert root.get_attribute("data-held") is not None
    # exam mode: the score only; no verdicts, feedback, explanations or review
    assert root.locator("[data-verdict]:visible, [data-explanation]:visible").count() == 0
    assert root.locator(".cq-option[data-verdict]").count() == 0
    result = root.locator("[data-quiz-result]").text_content()
    assert "You scored 0 out of 3" in result and "1 attempt left" in result
    assert "look at again" not in result and root.locator("[data-quiz-review]:visible").count() == 0
    assert_no_violations(page, "exam mode, feedback held", '[data-quiz="pool"]')

    draws = {tuple(first)}
    root.locator('button[data-action="retry"]').click()
    second = shown(page, "pool")
    assert len(second) == 3 and tuple(second) not in draws  # a new draw for the new attempt
    answer_quiz(page, '[data-quiz="pool"]', right=False)
    # out of attempts: locked, with verdicts and the review
    assert root.get_attribute("data-locked") is not None and root.get_attribute("data-attempts-left") == "0"
    assert root.get_attribute("data-held") is None
    assert (
        root.locator('button[data-action="retry"]:visible, button[data-action="retake"]:visible').count() == 0
    )
    assert root.locator('button[data-action="check"]:visible').count() == 0
    assert "used all 2 attempts" in root.locator("[data-quiz-result]").text_content()
    review = root.locator("[data-quiz-review]")
    assert review.locator("[data-review-question]").count() == 3
    item = review.locator("[data-review-question]").first
    assert item.get_attribute("data-verdict") == "incorrect"
    assert "Your answer: False" in item.text_content() and "Because" in item.text_content()
    assert_no_violations(page, "locked quiz with review", '[data-quiz="pool"]')

    open_quiz(page, url)  # still locked after a reload; Start again is gone for good
    assert root.get_attribute("data-locked") is not None
    assert root.locator("[data-quiz-review] [data-review-question]").count() == 3
    page.evaluate("document.querySelector('[data-quiz=\"pool\"]').courseWidget.retake()")
    assert root.get_attribute("data-attempts-left") == "0"
    assert not page.watch.errors


@pytest_browser
def test_progress_reset_is_the_way_to_new_attempts(server, page):
    url = server.url + "pool.html"
    open_quiz(page, url)
    for _ in range(2):
        answer_quiz(page, '[data-quiz="pool"]', right=False)
        page.evaluate("document.querySelector('[data-quiz=\"pool\"]').courseWidget.retry()")
    assert page.locator('[data-quiz="pool"]').get_attribute("data-locked") is not None
    page.evaluate("CourseProgress.reset()")  # what My progress's "Reset" does
    open_quiz(page, url)
    root = page.locator('[data-quiz="pool"]')
    assert root.get_attribute("data-attempts-left") == "2" and root.get_attribute("data-locked") is None


@pytest_browser
def test_pass_in_exam_mode_shows_verdicts_and_review(server, page):
    open_quiz(page, server.url + "pool.html")
    answer_quiz(page, '[data-quiz="pool"]', right=True)
    root = page.locator('[data-quiz="pool"]')
    assert root.get_attribute("data-state") == "passed" and root.get_attribute("data-held") is None
    assert root.locator(".cq-option[data-verdict='correct']").count() == 3
    assert [i.get_attribute("data-verdict") for i in root.locator("[data-review-question]").all()] == [
        "correct"
    ] * 3


@pytest_browser
def test_group_draw_takes_the_count_from_each_group(server, page):
    for _ in range(3):
        open_quiz(page, server.url + "groups.html")
        ids = shown(page, "groups")
        page.evaluate("localStorage.clear()")
        assert len([i for i in ids if i in ("q1", "q2")]) == 1
        assert len([i for i in ids if i in ("q3", "q4", "q5")]) == 2


# ------------------------------------------------------------------ time limit


@pytest_browser
def test_time_limit_countdown_warning_extend_and_time_up(server, page):
    page.clock.install()
    open_quiz(page, server.url + "timed.html")
    root = page.locator('[data-quiz="timed"]')
    assert root.get_attribute("data-time-limit") == "60"
    assert root.locator("[data-question]:visible").count() == 0  # the attempt starts on request
    start = root.locator('button[data-action="start"]')
    assert "1 minute" in start.text_content()
    start.click()
    assert root.locator("[data-question]:visible").count() == 2
    assert 57 <= seconds_left(root) <= 60  # (the page's clock runs in real time between steps)
    live = root.locator("[data-quiz-timer-announce]")
    assert live.get_attribute("aria-live") == "polite"
    root.locator('[data-question="q1"] input[value="true"]').check()

    page.clock.run_for(31_000)
    assert 25 <= seconds_left(root) <= 29
    assert "30 seconds left" in live.text_content()
    page.clock.run_for(10_000)  # 20 seconds before the end: the warning, with a way to extend
    warning = root.locator("[data-quiz-timer-warning]")
    assert warning.is_visible() and "Give me more time" in warning.text_content()
    assert warning.text_content() in live.text_content()
    assert_no_violations(page, "time limit warning", '[data-quiz="timed"]')
    root.locator('button[data-action="extend"]').click()
    assert 75 <= seconds_left(root) <= 79
    assert "Time extended" in live.text_content() and not warning.is_visible()
    assert record(page, "timed")["x"] == 1

    page.reload()  # the deadline is kept: a reload does not restart the clock (real time passes meanwhile)
    settle(page)
    assert 60 <= seconds_left(root) <= 79
    page.clock.run_for(80_000)  # time is up: the answers so far are checked as an attempt
    assert root.get_attribute("data-state") == "failed"
    assert root.get_attribute("data-attempts") == "1" and root.get_attribute("data-attempts-left") == "2"
    assert "Time is up" in root.locator("[data-quiz-result]").text_content()
    assert "You scored 1 out of 2" in root.locator("[data-quiz-result]").text_content()
    assert root.locator("[data-quiz-timer]").is_hidden()
    root.locator('button[data-action="retry"]').click()  # the next attempt waits for Start again
    assert root.locator('button[data-action="start"]').is_visible()
    assert not page.watch.errors


@pytest_browser
def test_time_limit_by_keyboard(server, page):
    from tests.test_keyboard import press, tab_until

    page.clock.install()
    open_quiz(page, server.url + "timed.html")
    info = tab_until(page, lambda i: i["action"] == "start", limit=200)
    info = press(page, "Enter")
    assert info["quiz"] == "timed" and info["question"] == "q1", info
    page.clock.run_for(41_000)
    info = tab_until(page, lambda i: i["action"] == "extend", limit=20, shift=True)
    info = press(page, "Enter")
    assert info["quiz"] == "timed" and info["action"] != "extend", info  # focus back in the quiz
    assert 75 <= seconds_left(page.locator('[data-quiz="timed"]')) <= 79


# ------------------------------------------------------------------ the flagship


@pytest_browser
def test_flagship_final_assessment_pooled_limited_exam(flagship_server, page):
    url = flagship_server.url + "modules/09-final-assessment.html"
    sel = '[data-quiz="final-assessment"]'
    open_quiz(page, url)
    root = page.locator(sel)
    total = root.evaluate("el => el.courseWidget.all.length")
    draws = []
    for attempt in range(3):
        ids = shown(page, "final-assessment")
        assert len(ids) == 16 and total >= 32
        draws.append(tuple(ids))
        answer_quiz(page, sel, right=False)
        left = 2 - attempt
        assert root.get_attribute("data-attempts-left") == str(left)
        if left:
            assert root.get_attribute("data-held") is not None
            assert root.locator(".cq-option[data-verdict], .cq-order__item[data-verdict]").count() == 0
            assert root.locator("[data-explanation]:visible, [data-feedback]:visible").count() == 0
            root.locator('button[data-action="retry"]').click()
    assert len(set(draws)) == 3  # a different draw on each attempt
    assert root.get_attribute("data-locked") is not None and root.get_attribute("data-held") is None
    assert root.locator("[data-quiz-review] [data-review-question]").count() == 16
    assert root.locator("[data-explanation]:visible").count() == 16
    assert_no_violations(page, "final assessment locked", sel)
    assert not page.watch.errors


@pytest_browser
def test_flagship_final_assessment_retry_by_keyboard(flagship_server, page):
    from tests.test_keyboard import answer_by_keyboard, press, tab_until

    page.goto(flagship_server.url + "modules/09-final-assessment.html")
    settle(page)
    info = tab_until(page, lambda i: i["quiz"] == "final-assessment" and i["question"] is not None, limit=300)
    info = answer_by_keyboard(page, "final-assessment", right=False, info=info)
    assert info["result"]
    info = tab_until(page, lambda i: i["action"] == "retry", limit=5, shift=True)
    info = press(page, "Enter")
    assert info["quiz"] == "final-assessment" and info["question"], info
    assert len(quiz_answers(page, '[data-quiz="final-assessment"]', True)) == 16


@pytest_browser
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_the_new_states(flagship_server, page, width, tmp_path_factory):
    out = Path("/tmp") / "assess-shots"
    out.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    open_quiz(page, flagship_server.url + "modules/09-final-assessment.html")
    sel = '[data-quiz="final-assessment"]'
    answer_quiz(page, sel, right=False)
    page.locator(f"{sel} [data-quiz-result]").screenshot(path=str(out / f"held-{width}.png"))
    for _ in range(2):
        page.locator(f'{sel} button[data-action="retry"]').click()
        answer_quiz(page, sel, right=False)
    page.locator(f"{sel} [data-quiz-review]").screenshot(path=str(out / f"review-{width}.png"))


def test_check_warns_when_reveal_comes_after_the_last_attempt(tmp_path, capsys):
    code, out = run_check(tmp_path, capsys, pool_quiz("attempts: 1\n", n=2))
    assert code == 0
    assert "quizzes/q.yml:3:" in out and "reveal: 2 is more than attempts: 1" in out
