"""Per-question records in the LMS (issue 13, item 5): each answered question of a checked attempt is
one cmi.interactions.n record in scorm-again's SCORM 1.2 and SCORM 2004 runtimes, in each edition's
formats and element limits, and none of it goes into suspend_data."""

from __future__ import annotations

import re

import pytest

from tests.test_accessibility import QUIZ_KEY_JS, answer_quiz
from tests.test_scorm import STUDENT, course_frame, launch, lms, visit  # noqa: F401  (fixture)
from tests.test_scorm2004 import LEARNER, lms2004  # noqa: F401  (fixture)
from tests.test_scorm2004 import launch as launch2004

pytestmark = pytest.mark.browser

SEL = '[data-quiz="final-assessment"]'
TYPE = {
    "single": "choice",
    "multiple": "choice",
    "true_false": "true-false",
    "text": "fill-in",
    "order": "sequencing",
}


def records(values: dict) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for k, v in values.items():
        m = re.match(r"cmi\.interactions\.(\d+)\.(\w+)$", k)
        if m:
            out.setdefault(int(m.group(1)), {})[m.group(2)] = v
    return out


def answer(page, url: str, right: bool):
    frame = visit(page, url, "modules/09-final-assessment.html")
    answer_quiz(frame, SEL, right=right)  # with the mouse-free helpers: change events, so latency is known
    key = frame.locator(SEL).evaluate(QUIZ_KEY_JS)
    shown = frame.locator(SEL).evaluate(
        "el => [...el.querySelectorAll('[data-question]')].map(f => f.dataset.question)"
    )
    return {q["id"]: q for q in key["questions"] if q["id"] in shown}


def test_scorm12_one_interaction_per_answered_question(page, lms):  # noqa: F811
    launch(page, lms, cmi={"core": dict(STUDENT)})
    asked = answer(page, lms, right=False)
    got = page.evaluate("lmsValues")
    recs = records(got)
    assert len(recs) == len(asked) == 16
    count = page.evaluate("API.LMSGetValue('cmi.interactions._count')")
    assert count == "16"
    for rec in recs.values():
        quiz, qid = rec["id"].split(".", 1)
        assert quiz == "final-assessment" and qid in asked
        q = asked[qid]
        assert rec["type"] == TYPE[q["type"]]
        assert rec["result"] == "wrong"
        response = rec["student_response"]
        if q["type"] in ("single", "multiple"):
            assert re.fullmatch(r"[a-z](,[a-z])*", response), response
        elif q["type"] == "true_false":
            assert response == ("f" if q["answer"] else "t")
        elif q["type"] == "order":
            assert re.fullmatch(r"[a-z](,[a-z])+", response) and response != ",".join(
                "abcdefghij"[: len(q["order"])]
            )
        else:
            assert response == "not the answer" and len(response) <= 255
        assert re.fullmatch(r"\d{4}:\d\d:\d\d\.\d\d", rec["latency"]), rec
        assert re.fullmatch(r"\d\d:\d\d:\d\d", rec["time"]), rec
    # the records stay out of suspend_data
    assert "final-assessment." not in got["cmi.suspend_data"] and "wrong" not in got["cmi.suspend_data"]

    # a second attempt adds its own records after the first
    frame = course_frame(page)
    frame.locator(f'{SEL} button[data-action="retry"]').click()
    answer_quiz(frame, SEL, right=True)
    recs = records(page.evaluate("lmsValues"))
    assert len(recs) == 32
    assert {recs[n]["result"] for n in range(16, 32)} == {"correct"}


def test_scorm2004_one_interaction_per_answered_question(page, lms2004):  # noqa: F811
    launch2004(page, lms2004, cmi={**LEARNER})
    asked = answer(page, lms2004, right=True)
    got = page.evaluate("lmsValues")
    recs = records(got)
    assert len(recs) == 16
    assert page.evaluate("API_1484_11.GetValue('cmi.interactions._count')") == "16"
    for n, rec in recs.items():
        qid = rec["id"].split(".", 1)[1]
        q = asked[qid]
        assert rec["type"] == TYPE[q["type"]] and rec["result"] == "correct"
        stored = page.evaluate(f"API_1484_11.GetValue('cmi.interactions.{n}.learner_response')")
        assert stored == rec["learner_response"]
        if q["type"] in ("single", "multiple"):
            assert rec["learner_response"] == "[,]".join("abcdefghij"[i] for i in sorted(q["correct"]))
        elif q["type"] == "true_false":
            assert rec["learner_response"] == str(q["answer"]).lower()
        elif q["type"] == "order":
            assert rec["learner_response"] == "[,]".join("abcdefghij"[: len(q["order"])])
        else:
            assert rec["learner_response"] == q["accept"][0]
        assert 0 < len(rec["description"]) <= 250
        assert re.fullmatch(r"PT\d+H\d+M\d+(\.\d{1,2})?S", rec["latency"]), rec
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", rec["timestamp"]), rec
    assert "final-assessment." not in got["cmi.suspend_data"]


def test_a_learners_own_reset_keeps_attempts_used_in_an_lms(page, lms):  # noqa: F811
    """Issue 13 item 2: in an LMS only HR's reset of the learner's record gives attempts back."""
    launch(page, lms, cmi={"core": dict(STUDENT)})
    answer(page, lms, right=False)
    frame = course_frame(page)
    frame.evaluate("CourseProgress.reset()")
    kept = frame.evaluate("CourseProgress.load().quizzes['final-assessment']")
    assert kept["n"] == 1 and kept["best"] < 80 and "a" not in kept
    assert frame.evaluate("Object.keys(CourseProgress.load().pages).length") == 0
    frame.goto(frame.url)
    frame = course_frame(page)
    frame.wait_for_function("() => document.querySelector('[data-quiz=\"final-assessment\"]').courseWidget")
    assert frame.locator(SEL).get_attribute("data-attempts-left") == "2"
