"""Issue 9 item 8 (one progress story: [data-course-percent], the `read` completion rule, the
home page's [data-action="resume"], certificate messages), issue 11 item 6 (a reset or import in
one tab is never undone by another) and issue 9 item 6's `course check` warning on meter starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.manifest import read_manifest
from tests.helpers import Server, build_ok, course, make_project
from tests.test_progress_browser import DRIVER, SCENARIOS, go, quiz, scenario, stored
from tests.test_progress_config import failing_build, line_of, project

# ------------------------------------------------------------------ the read rule (build time)


def test_read_rule_resolves_globs_in_navigation_order(tmp_path):
    proj = project(tmp_path, "      completion:\n        pass: all\n        read: ['*.md', practice.md]\n")
    manifest = read_manifest(build_ok(proj))
    # every page the globs match, in nav order, without the progress and completion tools
    assert manifest["completion"]["read"] == ["index.html", "other.html", "practice.html"]


def test_read_all_and_no_read(tmp_path):
    proj = project(tmp_path / "a", "      completion:\n        read: all\n")
    assert read_manifest(build_ok(proj))["completion"]["read"] == [
        "index.html",
        "other.html",
        "practice.html",
    ]
    proj = project(tmp_path / "b", "      completion:\n        pass: all\n")
    assert "read" not in read_manifest(build_ok(proj))["completion"]


@pytest.mark.parametrize(
    "completion, needle, message",
    [
        (
            "        read: [lessons/*.md]\n",
            "lessons/*.md",
            "read: 'lessons/*.md' matches no page in content/",
        ),
        ("        read: [othr.md]\n", "othr.md", "did you mean 'other.md'?"),
        ("        read: some\n", "read: some", 'read must be "all" or a list of pages in content/'),
        ("        raed: all\n", "raed: all", "unknown setting 'raed' (did you mean 'read'?)"),
    ],
    ids=["no-match", "typo", "bad-value", "unknown-key"],
)
def test_read_rule_mistakes_are_located(tmp_path, completion, needle, message):
    proj = project(tmp_path, "      completion:\n" + completion)
    out = failing_build(proj)
    assert f"mkdocs.yml:{line_of(proj, needle)}: completion: " in out and message in out, out
    assert "Traceback" not in out


def test_flagship_rules_require_the_module_pages(flagship_site):
    read = read_manifest(flagship_site)["completion"]["read"]
    assert read == [
        f"modules/{p.stem}.html" for p in sorted(Path("content/modules").glob("*.md")) if ".es." not in p.name
    ]


def test_meter_starting_at_an_end_is_a_located_warning(tmp_path):
    proj = make_project(
        tmp_path / "p",
        {
            "quizzes/s.yml": "kind: scenario\ntitle: T\nstart: a\nmeters:\n"
            "  calm: {label: Calm, start: 0, min: 0, max: 4}\n"
            "  trust: {label: Trust, start: 2, min: 0, max: 4}\n"
            "nodes:\n  a:\n    text: Hi\n    choices:\n      - {text: Go, to: b, effects: {calm: 1}}\n"
            "  b: {ending: success, text: Done}\n",
            "content/index.md": "# x\n\n::: scenario s\n",
        },
    )
    result = course("check", cwd=proj)
    assert result.returncode == 0  # a warning, not an error
    assert "quizzes/s.yml:5: warning: meter 'calm' starts at its minimum" in result.stdout + result.stderr
    assert "'trust'" not in result.stdout + result.stderr


def test_flagship_meters_start_where_they_can_rise_and_fall():
    from builder.course import Course
    from tests.helpers import REPO

    c = Course.load(REPO)
    for item in c.items.values():
        if item.kind == "scenario":
            for name, m in (item.model.meters or {}).items():
                assert m.min < m.start < m.max, (item.id, name)
    assert not [str(w) for w in c.warnings if "starts at its" in str(w)]


# ------------------------------------------------------------------ in the browser


@pytest.fixture
def base(flagship_server) -> str:
    return flagship_server.url


def percent(page) -> int:
    el = page.locator("[data-course-percent]").first
    value = int(el.get_attribute("data-course-percent"))
    assert el.inner_text() == f"{value}%"
    return value


def read_all_modules(page, base, skip: str | None = None) -> None:
    for url in page.evaluate("COURSE_MANIFEST.completion.read"):
        if url != skip:
            go(page, base + url)


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_one_figure_and_100_exactly_when_complete(browser, base, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        go(page, base + "progress.html")
        assert percent(page) == 0
        assert page.locator("[data-course-percent]").count() == 1  # one figure on the progress page
        # everything but one module page
        read_all_modules(page, base, skip="modules/03-always-the-customer.html")
        quiz(page, base, "modules/09-final-assessment.html", "final-assessment", 14)
        for name in SCENARIOS:
            scenario(page, base, name)
        go(page, base + "progress.html")
        almost = percent(page)
        assert 90 <= almost < 100
        summary = page.locator(".cq-summary").inner_text()
        assert "You have completed the course" not in summary and "1 thing left" in summary
        go(page, base + "completion.html")
        assert page.locator('[data-when="incomplete"]').is_visible()
        assert percent(page) == almost  # the certificate page says the same
        assert "Not read yet" in page.locator("[data-read-requirements]").inner_text()
        assert page.locator("[data-requirements] > li").count() == 5
        go(page, base + "index.html")
        resume = page.locator('[data-action="resume"]')
        assert resume.inner_text() == "Resume where you left off"
        assert percent(page) == almost  # and the home page
        # the last page: 100 everywhere, and only now
        go(page, base + "modules/03-always-the-customer.html")
        go(page, base + "progress.html")
        assert percent(page) == 100
        assert "You have completed the course" in page.locator(".cq-summary").inner_text()
        go(page, base + "completion.html")
        assert page.locator('[data-when="complete"]').is_visible()
        assert page.locator('[data-when="incomplete"]').is_hidden()
        go(page, base + "index.html")
        assert percent(page) == 100
        assert page.locator('[data-action="resume"]').get_attribute("href").endswith("completion.html")
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_resume_starts_then_goes_to_the_first_unfinished_page(page, base):
    go(page, base + "index.html")
    resume = page.locator('[data-action="resume"]')
    assert resume.inner_text() == "Start the course"
    assert resume.get_attribute("href").endswith("modules/01-welcome.html")
    quiz(page, base, "modules/01-welcome.html", "quiz-01-welcome")
    go(page, base + "modules/02-not-personal.html")  # visited, quiz not passed: unfinished
    go(page, base + "index.html")
    resume = page.locator('[data-action="resume"]')
    assert resume.inner_text() == "Resume where you left off"
    assert resume.get_attribute("href").endswith("modules/02-not-personal.html")
    with page.expect_navigation():
        resume.click()
    assert page.url.endswith("modules/02-not-personal.html")
    assert page.watch.errors == []


@pytest.mark.browser
def test_any_course_gets_the_figure_and_resume(tmp_path, page):
    proj = project(tmp_path, "      completion:\n        pass: all\n        finish: all\n")
    with Server(build_ok(proj), prefix="/c/") as server:
        page.goto(server.url + "index.html")
        page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        assert page.locator('[data-action="resume"]').inner_text() == "Start the course"
        page.goto(server.url + "progress.html")
        assert page.locator("[data-course-percent]").get_attribute("data-course-percent") == "0"
    assert page.watch.errors == []


@pytest.mark.browser
def test_certificate_messages_match_its_state(page, base):
    page.add_init_script("window.print = function () {};")
    go(page, base + "completion.html")
    assert page.locator('[data-when="incomplete"]').is_visible()
    assert page.locator('[data-when="complete"]').is_hidden()
    intro = page.locator(".md-content__inner > p").first.inner_text()
    assert "pass the final assessment and finish every practice scenario" not in intro
    read_all_modules(page, base)
    quiz(page, base, "modules/09-final-assessment.html", "final-assessment")
    for name in SCENARIOS:
        scenario(page, base, name)
    go(page, base + "completion.html")
    page.get_by_role("button", name="Print certificate").click()
    msg = page.locator(".cq-cert-form [data-msg]")
    assert "Type your name first" in msg.inner_text()
    page.get_by_label("Your name, as it should appear on the certificate").fill("Sam Lee")
    assert msg.inner_text() == ""  # the message no longer applies


# ------------------------------------------------------------------ tabs (issue 11 item 6)


@pytest.mark.browser
def test_a_reset_in_one_tab_is_not_undone_by_another(context, base):
    a, b = context.new_page(), context.new_page()
    quiz(a, base, "modules/01-welcome.html", "quiz-01-welcome")
    go(b, base + "modules/02-not-personal.html")  # B holds the old progress in memory
    key = a.evaluate("COURSE_MANIFEST.storage_key")
    go(a, base + "progress.html")
    a.get_by_role("button", name="Reset my progress…").click()
    a.get_by_role("button", name="Yes, delete my progress").click()
    gen = stored(a, key)["gen"]
    assert gen >= 1 and stored(a, key)["quizzes"] == {}
    # B was open all along; its next save must not bring the old quiz result back
    b.evaluate("() => cqDriver.answerQuiz('quiz-02-not-personal')")
    after = stored(b, key)
    assert "quiz-01-welcome" not in after["quizzes"] and "quiz-02-not-personal" in after["quizzes"]
    assert after["gen"] == gen
    assert b.evaluate("Object.keys(CourseProgress.state.quizzes)") == ["quiz-02-not-personal"]
    # A, on the progress page, shows what B did without a reload
    a.wait_for_function(
        "() => /Quizzes passed: 1 of/.test(document.querySelector('.cq-summary').textContent)"
    )


@pytest.mark.browser
def test_an_import_in_one_tab_reaches_the_others(context, base, tmp_path):
    a, b = context.new_page(), context.new_page()
    go(a, base + "progress.html")
    go(b, base + "index.html")
    data = {
        "format": "course-progress",
        "course": "irate-customers",
        "progress": {"quizzes": {"quiz-01-welcome": {"best": 100, "passed": True, "v": "x", "n": 1, "t": 1}}},
    }
    f = tmp_path / "p.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    a.set_input_files("#cq-import-file", str(f))
    a.wait_for_function(
        "() => /Progress loaded/.test(document.querySelector('.cq-progress__msg').textContent)"
    )
    b.wait_for_function("() => !!CourseProgress.state.quizzes['quiz-01-welcome']")
    b.evaluate("() => CourseProgress.save()")
    key = a.evaluate("COURSE_MANIFEST.storage_key")
    assert "quiz-01-welcome" in stored(a, key)["quizzes"]


def test_driver_is_shared():
    assert "cqDriver" in DRIVER


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_home_resume_and_percent_have_no_axe_violations(flagship_server, page, scheme):
    from tests.test_accessibility import assert_no_violations, open_page

    base = flagship_server.url
    open_page(page, base, "index.html", scheme)
    assert page.locator('[data-action="resume"]').inner_text() == "Start the course"
    assert_no_violations(page, f"home page, not started ({scheme})")
    open_page(page, base, "modules/01-welcome.html", scheme)
    open_page(page, base, "index.html", scheme)
    assert page.locator('[data-action="resume"]').inner_text() == "Resume where you left off"
    assert_no_violations(page, f"home page, resume ({scheme})")
