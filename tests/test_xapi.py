"""xAPI statements from the browser to a real LRS (issue 15): Ralph behind a same-origin proxy.

A quiz and a scenario played in Chromium leave the expected statements in Ralph (verbs, object ids,
results, order), each valid for Ralph's strict xAPI 1.0.3 statement model; statements wait in the
browser while the LRS is down and are stored exactly once later; without single sign-on the learner
gives name and email on the certificate page.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.helpers import build_ok, make_project, mkdocs_build
from tests.lrs import Ralph, SiteProxy, ralph_validate

pytestmark = pytest.mark.browser

ADL = "http://adlnet.gov/expapi/verbs/"
BASE = "https://courses.invalid/fixture"
EXT = "https://courses.invalid/xapi/extensions/"
SCENARIO = """\
kind: scenario
title: A late order
start: open
meters:
  calm: {label: Calm, start: 1, min: 0, max: 3}
nodes:
  open:
    speaker: Ms Lee
    text: "My order is late again!"
    choices:
      - {text: "Listen to her first", to: listened, effects: {calm: 1}, feedback: "Good."}
      - {text: "Tell her it is not your fault", to: lost, effects: {calm: -1}, feedback: "That backfires."}
  listened:
    speaker: Ms Lee
    text: "Thank you for hearing me out."
    choices:
      - {text: "Track the parcel with her", to: fixed, effects: {calm: 1}}
      - {text: "Read out the policy", to: lost, effects: {calm: -1}}
  fixed: {ending: success, text: "She is happy."}
  lost: {ending: failure, text: "She hangs up."}
"""
MKDOCS = """\
site_name: Fixture course
docs_dir: content
use_directory_urls: false
theme:
  name: material
  custom_dir: site_overrides
plugins:
  - search
  - offline
  - course:
      id: fixture
      completion:
        pass: [sample]
        finish: all
        assessment: sample
      xapi:
        endpoint: /xapi/
        identity: /xapi/me
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - course
"""
PAGES = {
    "content/practice.md": "# Practice\n\n::: scenario late-order\n",
    "content/completion.md": '# Certificate\n\n<div data-module="cq-completion"></div>\n',
    "quizzes/late-order.yml": SCENARIO,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xapi"), PAGES, fixture="basic", mkdocs_yml=MKDOCS)
    return build_ok(project)


@pytest.fixture(scope="module")
def ralph():
    lrs = Ralph()
    yield lrs
    lrs.close()


def learner(name: str) -> dict:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{name.lower()}@example.com"}


def stored(ralph: Ralph, who: dict) -> list[dict]:
    return ralph.statements(agent=json.dumps({"mbox": who["mbox"]}))


def drained(page) -> None:
    page.wait_for_function("() => window.CourseXapi && CourseXapi.queue().length === 0", timeout=40000)


def play_quiz(page, url: str) -> None:
    """4 of 5 right (80%, pass mark 75): the first question wrong with option 1."""
    page.goto(url + "index.html")
    quiz = page.locator('[data-quiz="sample"]')
    quiz.locator('[data-question="first-response"] input[value="1"]').check()
    quiz.locator('[data-question="pick-two"] input[value="0"]').check()
    quiz.locator('[data-question="pick-two"] input[value="1"]').check()
    quiz.locator('[data-question="tf"] input[value="false"]').check()
    quiz.locator('[data-question="word"] input').fill("Listen")
    order = page.evaluate(
        "() => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(JSON.parse("
        "document.querySelector('[data-quiz-key]').textContent)), c => c.charCodeAt(0)))).questions[4].order"
    )
    for shown, place in enumerate(order):  # displayed item `shown` belongs at `place`
        quiz.locator(f'[data-question="steps"] select[data-item="{shown}"]').select_option(str(place + 1))
    quiz.locator('button[data-action="check"]').click()


def follow(page, url: str, href: str) -> None:
    """To another course page as a learner does: through the navigation when the page is open (an
    address typed by hand ends the xAPI session), else by opening it."""
    if page.url.startswith(url):
        page.locator(f'.md-sidebar--primary a[href="{href}"]').first.click()
        page.wait_for_url(url + href)
    else:
        page.goto(url + href)


def play_scenario(page, url: str, choices: list[int]) -> None:
    follow(page, url, "practice.html")
    root = page.locator('[data-scenario="late-order"]')
    for index in choices:
        root.locator(f'button[data-choice="{index}"]').click()


def validate(statements: list[dict]) -> None:
    """Ralph's own xAPI 1.0.3 statement model (pydantic, unknown fields refused) and the spec's rules."""
    problems = ralph_validate(statements)
    assert not problems, problems
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    for s in statements:
        assert uuid.match(s["id"]), s["id"]
        assert s["verb"]["id"].startswith(ADL) and s["verb"]["display"]
        assert s["object"]["id"].startswith(BASE)
        assert s["context"]["registration"] and uuid.match(s["context"]["registration"])
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", s["timestamp"])
        result = s.get("result") or {}
        if "duration" in result:
            assert re.match(r"^PT(\d+H)?(\d+M)?\d+(\.\d+)?S$", result["duration"]), result["duration"]
        if "score" in result:
            assert -1 <= result["score"]["scaled"] <= 1
            assert result["score"]["min"] <= result["score"]["raw"] <= result["score"]["max"]
    assert len({s["id"] for s in statements}) == len(statements), "a statement was stored twice"
    sessions: dict[str, list[str]] = {}
    for s in statements:  # cmi5 9.3: initialized first, at most one terminated and it comes last
        sessions.setdefault(s["context"]["extensions"][EXT + "session"], []).append(
            s["verb"]["id"][len(ADL) :]
        )
    for session, verbs in sessions.items():
        assert verbs[0] == "initialized" and verbs.count("initialized") == 1, (session, verbs)
        assert verbs.count("terminated") <= 1 and "terminated" not in verbs[:-1], (session, verbs)


def wait_for_verb(ralph: Ralph, who: dict, verb: str, timeout: float = 10) -> dict:
    """The first stored statement with ``verb``, waiting up to ``timeout`` seconds for it."""
    import time

    end = time.monotonic() + timeout
    while True:
        found = [s for s in stored(ralph, who) if s["verb"]["id"] == ADL + verb]
        if found or time.monotonic() > end:
            assert found, f"no {verb} statement in the LRS after {timeout} s"
            return found[0]
        time.sleep(0.2)


def test_closing_the_tab_sends_terminated_at_once_and_once_per_session(site, ralph, browser):
    """A multi-page visit (links, back) is one session; closing the tab stores terminated in the LRS
    right away, as the session's last statement, without waiting for a next visit (cmi5 9.3.8)."""
    who = learner("Lena")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    with SiteProxy(site, ralph, learner=who) as proxy:
        page.goto(proxy.url + "index.html")
        drained(page)
        follow(page, proxy.url, "practice.html")
        page.locator('[data-scenario="late-order"] button[data-choice="0"]').click()
        follow(page, proxy.url, "completion.html")
        page.go_back()
        page.wait_for_url(proxy.url + "practice.html")
        drained(page)
        assert [s["verb"]["id"][len(ADL) :] for s in stored(ralph, who)] == [
            "initialized",
            "attempted",
            "answered",
        ]
        page.close()
        terminated = wait_for_verb(ralph, who, "terminated")
        got = stored(ralph, who)
        assert [s["verb"]["id"][len(ADL) :] for s in got] == [
            "initialized",
            "attempted",
            "answered",
            "terminated",
        ]
        assert got[-1]["id"] == terminated["id"] and terminated["object"]["id"] == BASE
        assert re.match(r"^PT", terminated["result"]["duration"])
        validate(got)
        # the statement also stayed queued until confirmed: the next visit sends it again, stored once
        later = ctx.new_page()
        later.goto(proxy.url + "index.html")
        drained(later)
        again = stored(ralph, who)
        assert [s["verb"]["id"][len(ADL) :] for s in again] == [
            "initialized", "attempted", "answered", "terminated", "initialized",
        ]  # fmt: skip
        validate(again)
    ctx.close()


def test_quiz_and_scenario_statements_reach_ralph(site, ralph, browser):
    who = learner("Priya")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    with SiteProxy(site, ralph, learner=who) as proxy:
        play_quiz(page, proxy.url)
        drained(page)
        play_scenario(page, proxy.url, [0, 0])
        page.locator('[data-scenario="late-order"][data-ending="success"]').wait_for()
        drained(page)
        got = stored(ralph, who)
        verbs = [s["verb"]["id"][len(ADL) :] for s in got]
        objects = [s["object"]["id"][len(BASE) :] for s in got]
        assert verbs == ["initialized"] + ["answered"] * 5 + ["passed"] + [
            "attempted",
            "answered",
            "answered",
        ] + [
            "completed",
            "completed",
        ], verbs
        assert objects[:7] == [
            "",
            "/quiz/sample/question/first-response",
            "/quiz/sample/question/pick-two",
            "/quiz/sample/question/tf",
            "/quiz/sample/question/word",
            "/quiz/sample/question/steps",
            "/quiz/sample",
        ]
        assert objects[7:] == [
            "/scenario/late-order",
            "/scenario/late-order/node/open",
            "/scenario/late-order/node/listened",
            "/scenario/late-order",
            "",  # the course: quiz passed and every scenario finished
        ]
        answers = {o.rsplit("/", 1)[1]: s for o, s in zip(objects, got, strict=True) if "/question/" in o}
        assert [
            answers[q]["result"]["success"] for q in ("first-response", "pick-two", "tf", "word", "steps")
        ] == [
            False,
            True,
            True,
            True,
            True,
        ]
        assert answers["first-response"]["result"]["response"] == "1"
        assert answers["pick-two"]["result"]["response"] == "0[,]1"
        assert answers["tf"]["result"]["response"] == "false"
        assert answers["word"]["result"]["response"] == "Listen"
        assert answers["steps"]["result"]["response"] == "0[,]1[,]2"
        first = answers["first-response"]["object"]["definition"]
        assert first["interactionType"] == "choice"
        assert first["choices"][1]["description"]["en"] == "Tell them to calm down"
        assert answers["steps"]["object"]["definition"]["interactionType"] == "sequencing"
        assert all(
            a["context"]["contextActivities"]["parent"][0]["id"] == BASE + "/quiz/sample"
            for a in answers.values()
        )
        quiz = got[6]
        assert quiz["result"]["score"] == {"scaled": 0.8, "raw": 4, "min": 0, "max": 5}
        assert quiz["result"]["success"] is True and quiz["result"]["completion"] is True
        choice = got[8]
        assert choice["result"]["response"] == "0"
        assert choice["result"]["extensions"][EXT + "meters"] == {"calm": 2}
        assert choice["object"]["definition"]["choices"][0]["description"]["en"] == "Listen to her first"
        ending = got[10]
        assert ending["result"]["success"] is True
        assert ending["result"]["extensions"][EXT + "ending"] == "success"
        assert ending["result"]["extensions"][EXT + "meters"] == {"calm": 3}
        assert ending["result"]["extensions"][EXT + "path"] == [0, 0]
        attempt = {s["context"]["extensions"][EXT + "attempt"] for s in got[7:11]}
        assert len(attempt) == 1
        assert got[11]["result"]["completion"] is True and got[11]["result"]["score"]["scaled"] == 0.8
        assert all(s["actor"]["mbox"] == who["mbox"] for s in got)
        assert len({s["context"]["registration"] for s in got}) == 1
        # nothing but statements went to the LRS path, and no secret is in the site
        assert all(path.startswith("/xapi/statements") for _, path in proxy.requests)
        assert not any("not-a-real-secret" in p.read_text(errors="ignore") for p in site.rglob("*.js"))

        # the learner leaves for another site: terminated is sent then; the next visit is a new session
        page.goto("about:blank")
        terminated = wait_for_verb(ralph, who, "terminated")
        assert re.match(r"^PT", terminated["result"]["duration"])
        later = ctx.new_page()
        later.goto(proxy.url + "index.html")
        drained(later)
        more = stored(ralph, who)[len(got) :]
        assert [s["verb"]["id"][len(ADL) :] for s in more] == ["terminated", "initialized"]
        validate(got + more)
    ctx.close()


def test_statements_wait_while_the_lrs_is_down_and_are_stored_once(site, ralph, browser):
    who = learner("Kofi")
    ctx = browser.new_context()
    page = ctx.new_page()
    with SiteProxy(site, ralph, learner=who) as proxy:
        proxy.down = True
        play_quiz(page, proxy.url)
        page.wait_for_function("() => CourseXapi.queue().length >= 7")
        assert stored(ralph, who) == []
        queued = page.evaluate("() => CourseXapi.queue().map(s => s.id)")
        page.reload()  # a reload re-sends while the LRS is still down: nothing is lost
        page.wait_for_function("() => CourseXapi.queue().length >= 7")
        proxy.down = False
        page.evaluate("() => CourseXapi.flush()")
        drained(page)
        page.reload()  # and once more when everything was sent: nothing is sent twice
        page.evaluate("() => CourseXapi.flush()")
        got = stored(ralph, who)
        ids = [s["id"] for s in got]
        assert set(queued) <= set(ids)
        assert len(ids) == len(set(ids))
        # a reload is a new page load the page cannot tell from leaving: each ends a session
        records = [s for s in got if s["verb"]["id"][len(ADL) :] not in ("initialized", "terminated")]
        assert len(records) == 6
        validate(got)
    ctx.close()


def test_without_single_sign_on_the_certificate_page_asks_who(site, ralph, browser, tmp_path):
    who = learner("Aisha")
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    with SiteProxy(site, ralph, learner=None) as proxy:
        play_quiz(page, proxy.url)
        page.wait_for_function("() => CourseXapi.queue().length >= 7")
        page.wait_for_timeout(300)
        assert not any(m == "POST" for m, _ in proxy.requests), "statements went out without a learner"
        page.goto(proxy.url + "completion.html")
        form = page.locator("form.cq-xapi-id")
        form.wait_for()
        page.screenshot(path=str(tmp_path / "xapi-ask-390.png"), full_page=True)
        from tests.test_accessibility import assert_no_violations

        assert_no_violations(page, "the learning-record form", "form.cq-xapi-id")
        form.locator("button[type=submit]").click()
        assert "name" in form.locator("[role=status]").inner_text()
        form.get_by_label("Your name").fill(who["name"])
        form.get_by_label("Your work email").fill("not an email")
        form.locator("button[type=submit]").click()
        assert "email" in form.locator("[role=status]").inner_text()
        assert page.evaluate("document.activeElement.id") == "cq-xapi-email"
        form.get_by_label("Your work email").fill(who["mbox"][len("mailto:") :])
        form.locator("button[type=submit]").click()
        drained(page)
        got = stored(ralph, who)
        assert [s["verb"]["id"][len(ADL) :] for s in got][:7] == ["initialized"] + ["answered"] * 5 + [
            "passed"
        ]
        assert got[0]["actor"] == who
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(tmp_path / "xapi-ask-1280.png"), full_page=True)
    ctx.close()


def test_xapi_off_loads_nothing(tmp_path):
    project = make_project(tmp_path / "p", fixture="basic")
    site = build_ok(project)
    assert "xapi.js" not in (site / "index.html").read_text()
    assert not (site / "assets/course/manifest.js").read_text().count('"xapi"')


@pytest.mark.parametrize(
    ("setting", "needle", "message"),
    [
        ("xapi: https://lrs.example.com/xapi/", "xapi:", "names another host"),
        ("xapi:\n        endpoint: /xapi", "endpoint:", "must end with '/'"),
        ("xapi:\n        endpont: /xapi/", "endpont:", "unknown setting 'endpont'"),
        (
            "xapi:\n        endpoint: /xapi/\n        activity_base: courses",
            "activity_base:",
            "activity_base must be",
        ),
    ],
)
def test_bad_xapi_setting_is_a_located_error(tmp_path, setting, needle, message):
    yml = MKDOCS.replace("xapi:\n        endpoint: /xapi/\n        identity: /xapi/me", setting)
    project = make_project(tmp_path / "p", PAGES, fixture="basic", mkdocs_yml=yml)
    result = mkdocs_build(project)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    # every mistake is reported, in line order (a misspelt endpoint is also a missing one)
    found = next(
        (m for m in re.finditer(r"mkdocs\.yml:(\d+): xapi: (.*)", out) if message in m.group(2)), None
    )
    assert found, out
    want = next(n for n, line in enumerate(yml.splitlines(), 1) if line.strip().startswith(needle))
    assert int(found.group(1)) == want
    assert "Traceback" not in out


def test_report_from_statements_the_browser_left_in_ralph(site, browser, tmp_path):
    """Three learners play in Chromium; `course report --lrs` reads Ralph and counts them right."""
    import os

    from tests.helpers import ENV, PYTHON, REPO
    from tests.lrs import PASSWORD, USER

    lrs = Ralph()  # its own LRS: the counts are this test's only
    try:
        plays = [("Ana", True, [0, 0]), ("Ben", True, [1]), ("Cy", False, [0])]
        for name, quiz, path in plays:
            ctx = browser.new_context()
            page = ctx.new_page()
            with SiteProxy(site, lrs, learner=learner(name)) as proxy:
                if quiz:
                    play_quiz(page, proxy.url)
                    drained(page)
                play_scenario(page, proxy.url, path)
                page.wait_for_timeout(100)
                drained(page)
            ctx.close()
        project = site.parent
        out = tmp_path / "report.html"
        env = {**ENV, "COURSE_LRS_AUTH": f"{USER}:{PASSWORD}", "PYTHONPATH": str(REPO)}
        result = subprocess.run(
            [PYTHON, "-m", "builder.cli", "report", "--lrs", lrs.url, "-o", str(out)],
            cwd=project, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "3 learners" in result.stderr
        from builder.records.analysis import CourseFiles, analyse

        data = analyse(lrs.statements(), CourseFiles.load(project, "fixture", "https://courses.invalid/"))
        (quiz,) = data["quizzes"]
        assert (quiz["learners"], quiz["attempts"], quiz["passed_learners"]) == (2, 2, 2)
        first = quiz["questions"][0]
        assert first["first_right_rate"] == 0 and first["wrong"][0][:2] == ("Tell them to calm down", 2)
        (scen,) = data["scenarios"]
        assert (scen["learners"], scen["attempts"], scen["finished"]) == (3, 3, 2)
        assert sorted((n, c) for n, _, c, _ in scen["endings"]) == [("fixed", 1), ("lost", 1)]
        assert [(n, c) for n, c, _ in scen["stops"]] == [("listened", 1)]
        page_text = out.read_text()
        assert "Tell them to calm down" in page_text and "listened" in page_text
        assert os.path.getsize(out) < 200_000
        # without the LRS key: a clear message, no traceback
        env.pop("COURSE_LRS_AUTH")
        denied = subprocess.run(
            [PYTHON, "-m", "builder.cli", "report", "--lrs", lrs.url, "-o", str(out)],
            cwd=project, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert (
            denied.returncode == 1 and "COURSE_LRS_AUTH" in denied.stderr and "Traceback" not in denied.stderr
        )
    finally:
        lrs.close()
