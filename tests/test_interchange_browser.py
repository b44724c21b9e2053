"""Imported files work in Chromium (issue 16, "Done when"): the worked Twine story, imported with
``course import twine``, plays to every one of its endings; the worked GIFT bank, imported with
``course import gift``, can be answered and marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.course import Course
from tests.helpers import FIXTURES, Server, build_ok, course, make_project
from tests.test_accessibility import answer_quiz
from tests.test_scenario_paths import offered, start_state, walk

pytestmark = pytest.mark.browser

SID, QID = "charged-twice", "irate-customers"
OUTCOME = {"success": "Success", "partial": "Partial success", "failure": "Failure"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("interchange") / "p",
        files={
            "content/index.md": f"# Imported\n\n::: scenario {SID}\n",
            "content/bank.md": f"# Question bank\n\n::: quiz {QID}\n",
            "content/moodle.md": "# From Moodle\n\n::: quiz service-desk\n",
            "content/qti.md": "# From QTI\n\n::: quiz front-desk\n",
        },
    )
    for fmt, src, out in (
        ("twine", "charged-twice.twee", SID),
        ("gift", "irate-customers.gift", QID),
        ("moodle-xml", "service-desk.moodle.xml", "service-desk"),
        ("qti", "front-desk-qti/assessmentTest.xml", "front-desk"),
    ):
        result = course(
            "import", fmt, str(FIXTURES / "interchange" / src), "-o", f"quizzes/{out}.yml", cwd=root
        )
        assert result.returncode == 0, result.stderr
    check = course("check", "-q", cwd=root)
    assert check.returncode == 0, check.stdout + check.stderr
    return root


@pytest.fixture(scope="module")
def server(project):
    with Server(build_ok(project)) as s:
        yield s


def test_imported_story_plays_to_every_ending(page, server, project):
    model = Course.load(project).items[SID].model
    found = walk(model)
    assert found["problems"] == []
    endings = found["endings"]  # ending node -> a path of choice indexes that reaches it
    assert set(endings) == {k for k, n in model.nodes.items() if n.ending}
    assert {model.nodes[k].ending for k in endings} == {"success", "partial", "failure"}
    names = list((model.meters or {}).keys())
    for ending, path in endings.items():
        page.goto(server.url + "index.html")
        root = page.locator(f'[data-scenario="{SID}"]')
        root.locator("[data-node]").wait_for()
        restart = root.locator('[data-action="restart"]')
        if restart.is_enabled():
            restart.click()
        node, values = start_state(model)
        assert root.locator("[data-node]").get_attribute("data-node") == node
        for index in path:
            step = {i: (to, after) for i, to, after in offered(model, node, values)}
            root.locator(f'button[data-choice="{index}"]').click()
            node, values = step[index]
            root.locator(f'[data-node="{node}"]').wait_for()
            for name, value in zip(names, values, strict=True):
                assert root.locator(f'[data-meter="{name}"]').get_attribute("data-value") == str(value)
        outcome = model.nodes[ending].ending
        assert root.get_attribute("data-ending") == outcome
        assert f"Outcome: {OUTCOME[outcome]}" in root.locator("[data-node]").inner_text()
        recap = root.locator("[data-recap-list] > li")
        assert recap.count() == len(path)
        # each recap line has the feedback that came from the "Feedback:" paragraph of the passage
        node = start_state(model)[0]
        for i, index in enumerate(path):
            choice = model.nodes[node].choices[index]
            assert choice.feedback and choice.feedback[:30] in recap.nth(i).inner_text()
            node = choice.to
    # the speaker and mood from the tag convention are shown
    page.goto(server.url + "index.html")
    page.locator(f'[data-scenario="{SID}"] [data-node]').wait_for()
    restart = page.locator(f'[data-scenario="{SID}"] [data-action="restart"]')
    if restart.is_enabled():
        restart.click()
    text = page.locator(f'[data-scenario="{SID}"] [data-node]').inner_text()
    assert "Ms Adeyemi" in text and "furious" in text
    assert page.watch.errors == []


def test_imported_bank_is_answered_and_marked(page, server, project):
    model = Course.load(project).items[QID].model
    page.goto(server.url + "bank.html")
    quiz = page.locator(f'[data-quiz="{QID}"]')
    quiz.wait_for()
    for q in model.questions:
        box = quiz.locator(f'[data-question="{q.id}"]')
        if q.type in ("single", "multiple"):
            for i, option in enumerate(q.options):
                if option.correct:
                    box.locator(f'input[value="{i}"]').check()
        elif q.type == "true_false":
            box.locator(f'input[value="{str(q.answer).lower()}"]').check()
        elif q.type == "text":
            box.locator("input").fill(q.accept[-1].upper())
    page.click(f'[data-quiz="{QID}"] button[data-action="check"]')
    assert quiz.get_attribute("data-state") == "passed"
    n = len(model.questions)
    assert f"{n} out of {n}" in page.locator("[data-quiz-result]").inner_text()
    # the escaped GIFT characters reach the learner as text
    assert 'Which reply uses the "I=we" rule {own the problem}?' in quiz.inner_text()
    assert page.watch.errors == []


@pytest.mark.parametrize("page_name, quiz_id", [("moodle", "service-desk"), ("qti", "front-desk")])
def test_imported_moodle_and_qti_banks_are_answered_and_marked(page, server, project, page_name, quiz_id):
    """`course import moodle-xml` and `course import qti` give quizzes that work: every type,
    order questions included, answered right passes."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + f"{page_name}.html")
    quiz = page.locator(f'[data-quiz="{quiz_id}"]')
    quiz.wait_for()
    model = Course.load(project).items[quiz_id].model
    for q in model.questions:
        assert quiz.locator(f'[data-question="{q.id}"]').count() == 1
    start = quiz.locator('button[data-action="start"]')
    if model.time_limit:  # the QTI test's timeLimits became a time limit: the learner starts the clock
        start.click()
    answer_quiz(page, f'[data-quiz="{quiz_id}"]', right=True)
    assert quiz.get_attribute("data-state") == "passed"
    shots = Path(project) / "shots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{quiz_id}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / f"{quiz_id}-390.png"), full_page=True)
    assert page.watch.errors == []
