"""The countdown of a timed quiz stays in view on a long quiz (issue 13 item 4, in Chromium).

The fixture course: ``long.md`` embeds ``long``, twelve true/false questions with long prompts and a
time limit of 5 minutes, followed by a screenful of text so the quiz scrolls away at the end. The
countdown (``[data-quiz-timer]``) sticks under Material's header while the quiz is on screen, never
covers the header or the question that focus moves to, and its live region speaks only at thresholds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Server, build_ok, make_project
from tests.test_accessibility import assert_no_violations, settle

PROMPT = "Statement {n} is true, and it is long enough to wrap over several lines on a phone screen " * 2
QUESTION = '  - {{id: q{n}, type: true_false, prompt: "{prompt}", answer: true}}\n'
LONG = "kind: quiz\ntitle: Long timed quiz\ntime_limit: 5\nquestions:\n" + "".join(
    QUESTION.format(n=n, prompt=PROMPT.format(n=n).strip()) for n in range(1, 13)
)
AFTER = "\n\n".join(f"Closing paragraph {n}, after the quiz." for n in range(1, 40))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(
        tmp_path_factory.mktemp("sticky") / "p",
        fixture="basic",
        files={
            "quizzes/long.yml": LONG,
            "content/long.md": f"# Long\n\nIntro.\n\n::: quiz long\n\n{AFTER}\n",
        },
    )
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text() + "nav:\n  - index.md\n  - other.md\n  - long.md\n", encoding="utf-8"
    )
    with Server(build_ok(project)) as s:
        yield s


BOXES = """sel => {
  const box = el => { if (!el) return null; const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  return {timer: box(document.querySelector(sel)), header: box(document.querySelector('.md-header')),
          vh: window.innerHeight};
}"""


def boxes(page) -> dict:
    return page.evaluate(BOXES, '[data-quiz="long"] [data-quiz-timer]')


def start(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.clock.install()
    page.goto(url)
    settle(page)
    page.locator('[data-quiz="long"] button[data-action="start"]').click()


@pytest.mark.parametrize("width", [1280, 390])
def test_countdown_stays_in_view_below_the_header_on_a_long_quiz(server, page, width):
    start(page, server.url + "long.html", width)
    root = page.locator('[data-quiz="long"]')
    last = root.locator('[data-question="q12"]')
    last.scroll_into_view_if_needed()
    last.locator('input[value="true"]').check()
    b = boxes(page)
    assert page.evaluate("window.scrollY") > 1000  # the quiz really scrolled
    assert 0 <= b["timer"]["top"] and b["timer"]["bottom"] <= b["vh"], b  # in the viewport
    assert b["timer"]["top"] >= b["header"]["bottom"] - 0.5, b  # below Material's header, not over it
    assert root.locator("[data-quiz-clock]").is_visible()
    assert "Time left: " in root.locator("[data-quiz-clock]").text_content()

    # the question that focus moves to is not hidden under the countdown
    first = root.locator('[data-question="q1"] input[value="true"]')
    first.focus()
    q = root.locator('[data-question="q1"] .cq-question__text').bounding_box()
    t = boxes(page)["timer"]
    assert q["y"] >= t["bottom"] - 0.5, (q, t)

    # the warning (with its button) sticks too, and still leaves the question below it
    page.clock.run_for(250_000)
    assert root.locator("[data-quiz-timer-warning]").is_visible()
    last.scroll_into_view_if_needed()
    b = boxes(page)
    assert b["header"]["bottom"] - 0.5 <= b["timer"]["top"] and b["timer"]["bottom"] <= b["vh"], b
    assert root.locator('button[data-action="extend"]').is_visible()
    last.locator('input[value="true"]').focus()
    q = last.locator(".cq-question__text").bounding_box()
    assert q["y"] >= boxes(page)["timer"]["bottom"] - 0.5
    assert_no_violations(page, f"sticky countdown at {width}", '[data-quiz="long"]')

    shots = Path("/tmp") / "timer-shots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"sticky-warning-{width}.png"))

    # after the quiz, the countdown goes with it: once scrolled past, it is out of view
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    b = boxes(page)
    assert b["timer"]["bottom"] < b["header"]["bottom"] + 1, b
    assert not page.watch.errors


def test_countdown_speaks_only_at_thresholds(server, page):
    start(page, server.url + "long.html", 1280)
    root = page.locator('[data-quiz="long"]')
    live = root.locator("[data-quiz-timer-announce]")
    clock = root.locator("[data-quiz-clock]")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    assert clock.get_attribute("aria-live") is None and clock.get_attribute("role") is None
    assert root.locator("[data-quiz-timer]").get_attribute("aria-live") is None
    said = []
    for _ in range(20):  # 20 seconds: the clock changes every second, the live region does not
        page.clock.run_for(1_000)
        said.append(live.text_content())
    assert len(set(said)) == 1, said
    page.clock.run_for(140_000)  # half the time gone (2:30): one announcement, then quiet again
    assert live.text_content() != said[-1] and "minutes left" in live.text_content()
    said = live.text_content()
    page.clock.run_for(5_000)
    assert live.text_content() == said
    page.screenshot(path="/tmp/timer-shots/sticky-start-1280.png")
