"""Learner progress in Chromium: recording, the My progress page, nav marks, storage faults,
export / import / reset, and the completion certificate (print media emulated)."""

from __future__ import annotations

import json
import re

import pytest

from builder.manifest import read_manifest
from tests.helpers import REPO

pytestmark = pytest.mark.browser

DRIVER = (REPO / "tests" / "js" / "driver.js").read_text(encoding="utf-8")
SCENARIOS = ["phone-call", "counter-return", "transferred-caller", "abusive-caller"]


@pytest.fixture(scope="module")
def key(flagship_site) -> str:
    return read_manifest(flagship_site)["storage_key"]


@pytest.fixture
def base(flagship_server) -> str:
    return flagship_server.url


def go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    page.add_script_tag(content=DRIVER)


def quiz(page, base: str, path: str, quiz_id: str, right: int | None = None) -> None:
    go(page, base + path)
    page.evaluate("([id, n]) => cqDriver.answerQuiz(id, n)", [quiz_id, right])


def scenario(page, base: str, name: str, want: str = "success", steps: int | None = None) -> None:
    go(page, base + f"practice/{name}.html")
    page.evaluate("([id, w, n]) => cqDriver.playScenario(id, w, n)", [f"practice-{name}", want, steps])


def stored(page, key: str):
    raw = page.evaluate("k => localStorage.getItem(k)", key)
    return json.loads(raw) if raw else None


def nav_mark(page, href: str) -> bool:
    """Is there a tick on the nav link to ``href`` (relative to the site root: use on root pages)?"""
    return page.locator(f'.md-nav--primary a.md-nav__link[href="{href}"] .cq-tick').count() > 0


def read_modules(page, base: str) -> None:
    """Open every module page: the flagship's completion rules ask for them to be read."""
    for url in read_manifest_urls(page, base):
        go(page, base + url)


def read_manifest_urls(page, base: str) -> list[str]:
    go(page, base + "index.html")
    return page.evaluate("COURSE_MANIFEST.completion.read || []")


def complete_course(page, base: str, assessment_right: int = 14) -> None:
    read_modules(page, base)
    quiz(page, base, "modules/09-final-assessment.html", "final-assessment", assessment_right)
    for name in SCENARIOS:
        scenario(page, base, name)


# ------------------------------------------------------------------ recording and display


def test_progress_survives_reload_and_shows_on_progress_page_and_nav(page, base, key):
    go(page, base + "index.html")
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    go(page, base + "modules/02-not-personal.html")
    quiz(page, base, "modules/03-always-the-customer.html", "quiz-03-always-the-customer", 2)
    scenario(page, base, "phone-call")
    scenario(page, base, "counter-return", steps=2)
    page.reload()

    data = stored(page, key)
    assert data["quizzes"]["quiz-01-welcome"]["passed"] is True
    assert data["quizzes"]["quiz-01-welcome"]["best"] == 100
    assert data["quizzes"]["quiz-03-always-the-customer"]["passed"] is False
    assert data["scenarios"]["practice-phone-call"]["best"] == "success"
    assert data["scenarios"]["practice-phone-call"]["done"] is True
    assert data["scenarios"]["practice-counter-return"]["done"] is False
    assert data["scenarios"]["practice-counter-return"]["steps"] == 2
    assert "modules/02-not-personal.html" in data["pages"]

    go(page, base + "progress.html")
    # a completed page: visited and its quiz passed -> a visible tick + "completed" for screen readers
    link = page.locator('.md-nav--primary a.md-nav__link[href="modules/01-welcome.html"]')
    assert link.locator(".cq-tick").is_visible()
    assert "completed" in link.inner_text()
    assert nav_mark(page, "practice/phone-call.html")
    assert not nav_mark(page, "modules/02-not-personal.html")  # visited, quiz not passed
    assert not nav_mark(page, "modules/03-always-the-customer.html")
    assert not nav_mark(page, "practice/counter-return.html")  # unfinished
    assert nav_mark(page, "index.html")  # a reading-only page counts once visited

    summary = page.locator(".cq-summary").inner_text()
    assert "Quizzes passed: 1 of 9" in summary and "Scenarios finished: 1 of 4" in summary
    # one story for the two page counts: what completion needs read, and every page's own state
    assert re.search(r"Required reading: \d+ of 9 pages read\.", summary), summary
    assert re.search(r"All course pages: \d+ of \d+ done \(opened, with any quiz or scenario", summary)
    assert "Pages to read" not in summary and "Pages complete" not in summary
    rows = page.locator("li.cq-page")
    welcome = rows.filter(has_text="Module 1: Welcome")
    assert "Done" in welcome.inner_text() and "Passed: best score 100%" in welcome.inner_text()
    third = rows.filter(has_text="Module 3:").inner_text()
    assert "Not passed yet: best score 33%" in third and "pass mark 75%" in third
    # what is left is linked
    assert rows.filter(has_text="Module 3:").locator("a", has_text="Quiz:").count() == 1
    assert "Not visited" in rows.filter(has_text="Module 4:").inner_text()
    assert "Finished: best outcome Success" in rows.filter(has_text="The phone call").inner_text()
    assert "In progress: 2 choices made" in rows.filter(has_text="The counter return").inner_text()
    assert page.locator(".cq-storage-notice:visible").count() == 0
    assert page.watch.errors == []


def test_best_result_is_kept_and_retries_are_counted(page, base, key):
    quiz(page, base, "modules/02-not-personal.html", "quiz-02-not-personal", 6)
    page.evaluate("cqDriver.answerQuiz('quiz-02-not-personal', 1)")
    record = stored(page, key)["quizzes"]["quiz-02-not-personal"]
    assert record["best"] == 100 and record["passed"] is True and record["n"] == 2
    scenario(page, base, "abusive-caller", "success")
    page.evaluate("cqDriver.playScenario('practice-abusive-caller', 'failure')")
    record = stored(page, key)["scenarios"]["practice-abusive-caller"]
    assert record["best"] == "success" and record["done"] is True
    assert page.watch.errors == []


def test_changed_quiz_keeps_old_result_flagged_and_unknown_ids_are_ignored(page, base, key):
    seeded = {
        "pages": {"modules/01-welcome.html": 1, "gone/page.html": 1},
        "quizzes": {
            "quiz-01-welcome": {"best": 100, "passed": True, "v": "0ld0ld0ld0", "n": 1, "t": 1},
            "no-such-quiz": {"best": 100, "passed": True, "v": "x", "n": 1},
        },
        "scenarios": {"retired-scenario": {"best": "success", "done": True, "v": "y"}},
    }
    page.add_init_script(seed(key, json.dumps(seeded)))
    go(page, base + "progress.html")
    row = page.locator("li.cq-page", has_text="Module 1: Welcome").inner_text()
    assert "from an earlier version of this quiz" in row and "Passed" in row
    assert "no-such-quiz" not in page.content() and "retired" not in page.content()
    # a new attempt on the changed quiz replaces the old result
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome", 4)
    record = stored(page, key)["quizzes"]["quiz-01-welcome"]
    assert record["best"] == 67 and record["v"] != "0ld0ld0ld0"
    assert page.watch.errors == []


# ------------------------------------------------------------------ storage faults

BLOCKED = """Object.defineProperty(window, 'localStorage', {configurable: true,
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
FULL = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"""


def seed(key: str, value: str) -> str:
    """Put ``value`` under the progress key once per tab, before the course's scripts run."""
    return (
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem({json.dumps(key)}, {json.dumps(value)}); }}"
    )


def assert_course_still_works(page, base: str) -> None:
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    assert page.locator('[data-quiz="quiz-01-welcome"][data-state="passed"]').count() == 1
    assert page.evaluate("CourseProgress.quizPassed('quiz-01-welcome')") is True  # in memory
    scenario(page, base, "phone-call")
    assert page.locator('[data-scenario="practice-phone-call"][data-ending="success"]').count() == 1
    go(page, base + "progress.html")
    assert page.locator(".cq-summary").is_visible()


@pytest.mark.parametrize(
    "script, words",
    [(BLOCKED, "not letting this course save"), (FULL, "storage for this site is full")],
    ids=["disabled", "full"],
)
def test_storage_disabled_or_full_keeps_everything_working(page, base, script, words):
    page.add_init_script(script)
    assert_course_still_works(page, base)
    go(page, base + "modules/02-not-personal.html")
    notice = page.locator(".cq-storage-notice")
    assert notice.is_visible() and notice.get_attribute("role") == "status"
    assert words in notice.inner_text() and "will not be saved" in notice.inner_text()
    assert page.watch.errors == []


@pytest.mark.parametrize(
    "value",
    ["{not json", "[1, 2, 3]", '"just a string"', "x" * 600_000],
    ids=["invalid-json", "array", "string", "huge"],
)
def test_unreadable_progress_is_not_overwritten_and_reset_recovers(page, base, key, value):
    page.add_init_script(seed(key, value))
    assert_course_still_works(page, base)
    assert "could not be read" in page.locator(".cq-storage-notice").inner_text()
    assert page.evaluate("k => localStorage.getItem(k)", key) == value  # never overwritten
    page.get_by_role("button", name="Reset my progress…").click()
    page.get_by_role("button", name="Yes, delete my progress").click()
    assert page.locator(".cq-storage-notice:visible").count() == 0
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    assert stored(page, key)["quizzes"]["quiz-01-welcome"]["passed"] is True
    assert page.watch.errors == []


def test_hostile_values_are_dropped_and_nothing_is_polluted(page, base, key):
    hostile = {
        "__proto__": {"polluted": "yes"},
        "constructor": {"prototype": {"polluted": "yes"}},
        "pages": {"__proto__": {"polluted": "yes"}, "index.html": 1, "../../etc/passwd": 1},
        "quizzes": {
            "quiz-01-welcome": {"best": "100", "passed": "true"},
            "quiz-02-not-personal": {"best": 1e308, "passed": True},
            "quiz-03-always-the-customer": {"best": 80, "passed": True, "v": ["x"], "n": -5, "t": "soon"},
            "__proto__": {"best": 100, "passed": True},
        },
        "scenarios": {"practice-phone-call": {"best": "<img src=x onerror=alert(1)>", "done": True}},
        "name": {"toString": "boom"},
        "completed": "yesterday",
    }
    page.add_init_script(seed(key, json.dumps(hostile)))
    go(page, base + "progress.html")
    assert page.evaluate("({}).polluted === undefined && Object.prototype.polluted === undefined")
    state = page.evaluate("CourseProgress.state")
    assert list(state["quizzes"]) == ["quiz-03-always-the-customer"]
    assert state["quizzes"]["quiz-03-always-the-customer"] == {
        "best": 80,
        "passed": True,
        "v": "",
        "n": 1,
        "t": 0,
    }
    assert state["scenarios"] == {} and state["name"] == "" and state["completed"] == 0
    assert set(state["pages"]) <= {"index.html", "progress.html"}
    assert page.locator("img[src=x]").count() == 0
    # the cleaned record is what gets saved from now on
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    saved = stored(page, key)
    assert "__proto__" not in saved["quizzes"] and "constructor" not in saved
    assert page.watch.errors == []


# ------------------------------------------------------------------ export, import, reset


def test_export_import_and_reset(page, base, key, browser, tmp_path):
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    scenario(page, base, "phone-call", "partial")
    go(page, base + "progress.html")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my progress").click()
    download = info.value
    assert re.fullmatch(r"irate-customers-progress-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    exported = tmp_path / "progress.json"
    download.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "course-progress" and data["course"] == "irate-customers"
    assert data["progress"]["quizzes"]["quiz-01-welcome"]["passed"] is True

    # another browser: load the file there
    other = browser.new_context()
    try:
        p2 = other.new_page()
        errors: list[str] = []
        p2.on("pageerror", lambda exc: errors.append(str(exc)))
        p2.goto(base + "progress.html")
        assert "Quizzes passed: 0 of 9" in p2.locator(".cq-summary").inner_text()
        wrong = tmp_path / "wrong.json"
        wrong.write_text('{"hello": "world"}', encoding="utf-8")
        p2.set_input_files("#cq-import-file", str(wrong))
        p2.wait_for_function(
            "() => /not a progress file/.test(document.querySelector('.cq-progress__msg').textContent)"
        )
        other_course = tmp_path / "other.json"
        other_course.write_text(json.dumps({**data, "course": "another-course"}), encoding="utf-8")
        p2.set_input_files("#cq-import-file", str(other_course))
        p2.wait_for_function(
            "() => /different course/.test(document.querySelector('.cq-progress__msg').textContent)"
        )
        p2.set_input_files("#cq-import-file", str(exported))
        p2.wait_for_function(
            "() => /Progress loaded/.test(document.querySelector('.cq-progress__msg').textContent)"
        )
        summary = p2.locator(".cq-summary").inner_text()
        assert "Quizzes passed: 1 of 9" in summary and "Scenarios finished: 1 of 4" in summary
        assert (
            json.loads(p2.evaluate("k => localStorage.getItem(k)", key))["scenarios"]["practice-phone-call"][
                "best"
            ]
            == "partial"
        )
        assert errors == []
    finally:
        other.close()

    # reset asks first; cancel keeps everything
    page.get_by_role("button", name="Reset my progress…").click()
    confirm = page.locator(".cq-confirm")
    assert confirm.is_visible() and "cannot undo" in confirm.inner_text()
    page.get_by_role("button", name="Cancel").click()
    assert confirm.is_hidden() and stored(page, key)["quizzes"]
    page.get_by_role("button", name="Reset my progress…").click()
    page.get_by_role("button", name="Yes, delete my progress").click()
    assert "Quizzes passed: 0 of 9" in page.locator(".cq-summary").inner_text()
    assert "has been reset" in page.locator(".cq-progress__msg").inner_text()
    page.reload()
    assert "Quizzes passed: 0 of 9" in page.locator(".cq-summary").inner_text()
    assert not nav_mark(page, "modules/01-welcome.html")
    assert page.watch.errors == []


# ------------------------------------------------------------------ completion and certificate


def test_completion_page_lists_what_is_missing(page, base):
    quiz(page, base, "modules/09-final-assessment.html", "final-assessment", 8)
    scenario(page, base, "phone-call")
    go(page, base + "completion.html")
    text = page.locator(".cq-completion").inner_text()
    assert "not completed the course yet" in text
    items = page.locator("[data-requirements] > li")
    assert items.count() == 5  # the final assessment and four scenarios
    assessment = items.filter(has_text="Final assessment")
    assert (
        "Not passed yet: best score 50%" in assessment.inner_text()
        and "pass mark 80%" in assessment.inner_text()
    )
    assert assessment.locator("a").get_attribute("href").endswith("modules/09-final-assessment.html")
    done = items.filter(has_text="The blender that quit after a week")
    assert done.locator(".cq-tick").count() == 1
    left = items.filter(has_text="The caller who swears at you")
    assert left.locator("a").get_attribute("href").endswith("practice/abusive-caller.html")
    assert page.locator(".cq-certificate").is_hidden()
    assert page.watch.errors == []


def test_certificate_prints_name_date_score_and_version(page, base, tmp_path):
    page.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    complete_course(page, base, assessment_right=14)  # 14 of 16 = 88%
    go(page, base + "completion.html")
    assert "you have completed" in page.locator("[data-when=complete] .cq-completion__lead").inner_text()
    page.get_by_role("button", name="Print certificate").click()
    assert "Type your name first" in page.locator(".cq-cert-form").inner_text()
    assert page.evaluate("window.__printed") is None
    page.get_by_label("Your name, as it should appear on the certificate").fill("Priya Natarajan")
    page.get_by_role("button", name="Print certificate").click()
    assert page.evaluate("window.__printed") == 1

    cert = page.locator(".cq-certificate")
    text = cert.inner_text()
    assert "Priya Natarajan" in text and "Handling irate customers" in text
    assert "88%" in text and "2026.11" in text and "Learning and Development" in text
    assert re.search(r"\b20\d\d\b", text)  # the completion date

    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "certificate-print.png"), full_page=True)
    assert cert.is_visible()
    h1 = page.locator("h1").bounding_box()
    assert h1 is None or h1["width"] <= 1  # still there for screen readers, not printed
    for hidden in (".md-header", ".md-sidebar--primary", ".cq-cert-form", ".md-footer", ".admonition"):
        assert page.locator(hidden).first.is_hidden(), hidden
    box = cert.bounding_box()
    assert box and box["width"] > 600  # the whole page width, not the screen column
    page.emulate_media(media="screen")

    # the name is remembered for next time
    page.reload()
    assert (
        page.get_by_label("Your name, as it should appear on the certificate").input_value()
        == "Priya Natarajan"
    )
    go(page, base + "progress.html")
    assert "You have completed the course" in page.locator(".cq-summary").inner_text()
    assert page.watch.errors == []
