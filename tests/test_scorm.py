"""SCORM 1.2: the package (deterministic zip, imsmanifest.xml against our schema) and the runtime
adapter inside a test LMS that provides a real SCORM 1.2 runtime (scorm-again, tests/js)."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from builder.package.learner import learner_only
from builder.package.scorm import prepare, write_zip
from tests.helpers import REPO, Server, course

JS = REPO / "tests" / "js"
SCORM_AGAIN = JS / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
DRIVER = (JS / "driver.js").read_text(encoding="utf-8")
SCHEMA = REPO / "builder" / "schemas" / "scorm12_imscp.xsd"
SCENARIOS = ["phone-call", "counter-return", "transferred-caller", "abusive-caller"]
STUDENT = {"student_id": "emp-0042", "student_name": "Natarajan, Priya"}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scorm") / "course.zip"
    result = course("package", "--scorm", str(out), cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "SCORM 1.2 package" in result.stderr
    return out


def package_dir(site: Path, dest: Path, edition: str = "1.2") -> Path:
    """The package's folder, made from an already built site exactly as `course package` makes it
    (test_package_... checks that zipping it gives the same bytes as the command's zip)."""
    from builder.package.language import one_language

    shutil.copytree(site, dest)
    learner_only(dest)
    one_language(dest, None)  # the default language version, as the command packs it (issue 14)
    prepare(dest, edition)
    return dest


@pytest.fixture(scope="module")
def lms(flagship_site, tmp_path_factory):
    """The package and the test LMS page, served from one origin (so the frame is same-origin)."""
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is missing: run `make js-deps` (npm ci in tests/js)")
    www = tmp_path_factory.mktemp("lms")
    package_dir(flagship_site, www / "pkg")
    for name in ("lms.html", "lms.js", "lms-start.js"):
        shutil.copy(JS / name, www / name)
    shutil.copy(SCORM_AGAIN, www / "scorm12.min.js")
    shutil.copy(SCORM_AGAIN.with_name("scorm2004.min.js"), www / "scorm2004.min.js")
    with Server(www, prefix="/lms/") as server:
        yield server.url


# ------------------------------------------------------------------ driving the test LMS


def launch(page, url: str, **init) -> None:
    page.goto(url + "lms.html#" + urllib.parse.quote(json.dumps(init)))
    if init.get("noApi") or init.get("broken"):
        page.wait_for_function("() => [...document.querySelectorAll('#sco')].length")
    else:
        page.wait_for_function(
            "() => lmsCalls.some(c => c[0] === 'LMSGetValue' && c[1] === 'cmi.suspend_data')"
        )
    course_frame(page).wait_for_function("() => window.CourseProgress && CourseProgress.state")


def course_frame(page):
    for _ in range(100):
        for frame in page.frames:
            if "/pkg/" in frame.url and not frame.url.endswith("scorm.html"):
                return frame
        page.wait_for_timeout(50)
    raise AssertionError(f"no course page in {[f.url for f in page.frames]}")


def visit(page, url: str, path: str):
    course_frame(page).goto(url + "pkg/" + path)
    frame = course_frame(page)
    frame.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    frame.add_script_tag(content=DRIVER)
    return frame


def quiz(page, url: str, path: str, quiz_id: str, right: int | None = None):
    frame = visit(page, url, path)
    frame.evaluate("([id, n]) => cqDriver.answerQuiz(id, n)", [quiz_id, right])
    return frame


def values(page) -> dict:
    return page.evaluate("lmsValues")


def close(page) -> dict:
    """The learner closes the course: the LMS removes the frame (pagehide -> commit, finish)."""
    page.evaluate("document.getElementById('sco').remove()")
    return values(page)


def calls(page, name: str) -> list:
    return [c for c in page.evaluate("lmsCalls") if c[0] == name]


def relaunch_data(previous: dict, **core) -> dict:
    """What an LMS hands the SCO on the next launch."""
    return {
        "core": {**STUDENT, "lesson_status": previous["cmi.core.lesson_status"], "entry": "resume",
                 "lesson_location": previous.get("cmi.core.lesson_location", ""), **core},
        "suspend_data": previous["cmi.suspend_data"],
    }  # fmt: skip


def lms_warnings(page) -> list[str]:
    return [m for m in page.console_messages if "course LMS:" in m]


@pytest.fixture
def lms_page(page):
    page.console_messages = []
    page.on("console", lambda msg: page.console_messages.append(f"{msg.type}: {msg.text}"))
    return page


# ------------------------------------------------------------------ the package


def test_package_is_deterministic_and_its_manifest_is_valid(package, flagship_site, tmp_path):
    import xmlschema

    with zipfile.ZipFile(package) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        manifest = zf.read("imsmanifest.xml").decode("utf-8")
        zf.extractall(tmp_path / "x")
    assert names[0] == "imsmanifest.xml" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    for name in ("scorm.html", "index.html", "assets/course/scorm.js", "assets/course/scorm-launch.js"):
        assert name in names

    xmlschema.XMLSchema(str(SCHEMA)).validate(manifest)
    listed = re.findall(r'<file href="([^"]+)"/>', manifest)
    assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml")  # every file, once
    assert 'adlcp:scormtype="sco" href="scorm.html"' in manifest
    assert manifest.count("<resource ") == 1 and manifest.count("<item ") == 1  # one SCO: the course
    assert "<schemaversion>1.2</schemaversion>" in manifest
    assert "<title>Handling irate customers</title>" in manifest  # site_name in mkdocs.yml
    assert "turning an angry customer into a loyal one" in manifest  # site_description
    assert "<adlcp:masteryscore>80</adlcp:masteryscore>" in manifest  # the final assessment's pass mark
    assert 'identifier="irate-customers-2026.11"' in manifest

    # the same files give the same bytes, whatever their timestamps
    site = tmp_path / "x"
    write_zip(site, tmp_path / "a.zip", "imsmanifest.xml")
    for path in site.rglob("*.html"):
        path.touch()
    write_zip(site, tmp_path / "b.zip", "imsmanifest.xml")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes() == package.read_bytes()
    # the folder the LMS tests load is this package (made from the session's build of the same sources)
    folder = package_dir(flagship_site, tmp_path / "y")
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == sorted(names)
    for name in ("imsmanifest.xml", "scorm.html", "assets/course/scorm-launch.js", "assets/course/scorm.js"):
        assert (folder / name).read_bytes() == (site / name).read_bytes(), name


# ------------------------------------------------------------------ the runtime in an LMS


@pytest.mark.browser
def test_lms_gets_status_score_and_progress_that_survive_a_relaunch(lms_page, lms, browser):
    page = lms_page
    launch(page, lms, cmi={"core": dict(STUDENT)})
    assert values(page)["cmi.core.lesson_status"] == "incomplete"  # started
    assert calls(page, "LMSInitialize")[0][3] == "true"

    quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 12)  # 75%: below 80
    got = values(page)
    assert got["cmi.core.lesson_status"] == "failed"
    assert (
        got["cmi.core.score.raw"] == "75"
        and got["cmi.core.score.min"] == "0"
        and got["cmi.core.score.max"] == "100"
    )
    assert got["cmi.core.exit"] == "suspend"

    course_frame(page).evaluate("cqDriver.answerQuiz('final-assessment', 14)")  # 88%: passed, scenarios left
    got = values(page)
    assert got["cmi.core.lesson_status"] == "incomplete" and got["cmi.core.score.raw"] == "88"

    # a learner who does everything: every quiz, every scenario, and (quicker than loading each) every page
    manifest = course_frame(page).evaluate("COURSE_MANIFEST")
    for entry in manifest["pages"]:
        todo = [i for i in entry["items"] if i != "final-assessment"]
        if not todo:
            continue
        frame = visit(page, lms, entry["url"])
        for item in todo:
            kind = manifest["items"][item]["kind"]
            frame.evaluate(f"id => cqDriver.{'answerQuiz' if kind == 'quiz' else 'playScenario'}(id)", item)
    frame.evaluate(
        "CourseProgress.merge({pages: Object.fromEntries(COURSE_MANIFEST.pages.map(p => [p.url, 1]))})"
    )
    got = values(page)
    assert got["cmi.core.lesson_status"] == "passed" and got["cmi.core.score.raw"] == "88"
    assert got["cmi.core.exit"] == ""
    suspend = got["cmi.suspend_data"]
    assert len(suspend) < 4096, len(suspend)
    state = course_frame(page).evaluate("CourseProgress.state")
    assert (
        len(state["pages"]) == len(manifest["pages"])
        and len(state["quizzes"]) == 9
        and len(state["scenarios"]) == 4
    )
    # even a course many times this size stays under the limit
    huge = course_frame(page).evaluate(
        """() => { const M = COURSE_MANIFEST, s = JSON.parse(JSON.stringify(CourseProgress.state));
        for (let i = 0; i < 3000; i++) { M.pages.push({url: 'extra/' + i + '.html', items: []}); s.pages['extra/' + i + '.html'] = 1; }
        const out = CourseScorm.encode(s); M.pages.length -= 3000; return out; }"""
    )
    assert len(huge) <= 4096
    back = course_frame(page).evaluate("t => CourseScorm.decode(t)", huge)
    assert len(back["quizzes"]) == 9 and len(back["scenarios"]) == 4  # pages go first; every result stays

    final = close(page)
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", final["cmi.core.session_time"])
    assert (
        len(calls(page, "LMSInitialize")) == 1 and len(calls(page, "LMSFinish")) == 1
    )  # one session, many pages
    assert page.evaluate("API.isTerminated()")
    assert [c for c in page.evaluate("lmsCalls") if c[0] != "LMSGetValue" and c[4] != "0"] == []
    assert lms_warnings(page) == [] and page.watch.errors == []

    # next launch, another computer: progress comes back from suspend_data and the course reopens where it was
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        again = ctx.new_page()
        again.console_messages = []
        again.on("console", lambda msg: again.console_messages.append(f"{msg.type}: {msg.text}"))
        launch(again, lms, cmi=relaunch_data(final))
        assert course_frame(again).url.endswith("/pkg/" + final["cmi.core.lesson_location"])
        restored = course_frame(again).evaluate("CourseProgress.state")
        for part in ("pages", "quizzes", "scenarios"):
            assert sorted(restored[part]) == sorted(state[part]), part
        assert restored["quizzes"]["final-assessment"]["best"] == 88
        assert all(s["best"] == "success" and s["done"] for s in restored["scenarios"].values())
        assert again.evaluate("lmsValues")["cmi.core.lesson_status"] == "passed"
        frame = visit(again, lms, "progress.html")
        assert "You have completed the course" in frame.locator(".cq-summary").inner_text()
        frame = visit(again, lms, "completion.html")
        assert frame.locator("#cq-cert-name").input_value() == "Priya Natarajan"  # from cmi.core.student_name
        assert lms_warnings(again) == []
    finally:
        ctx.close()


@pytest.mark.browser
def test_mastery_score_from_the_lms_overrides_the_pass_mark(lms_page, lms):
    page = lms_page
    launch(page, lms, cmi={"core": dict(STUDENT), "student_data": {"mastery_score": "90"}})
    frame = quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 14)  # 88% >= 80, < 90
    assert values(page)["cmi.core.lesson_status"] == "failed"
    assert values(page)["cmi.core.score.raw"] == "88"
    assert frame.evaluate("CourseProgress.status().assessment") == {
        "id": "final-assessment", "best": 88, "passed": False, "mark": 90,
    }  # fmt: skip
    frame = visit(page, lms, "completion.html")
    assert "pass mark 90%" in frame.locator(".cq-completion").inner_text()
    close(page)

    page.goto("about:blank")
    launch(
        page, lms, cmi={"core": dict(STUDENT, student_id="emp-7"), "student_data": {"mastery_score": "50"}}
    )
    quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 9)  # 56%: passes 50, fails 80
    assert values(page)["cmi.core.lesson_status"] == "incomplete"  # passed; scenarios still to finish
    assert course_frame(page).evaluate("CourseProgress.status().assessment.passed") is True
    assert page.watch.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["review", "browse"])
def test_review_and_browse_modes_report_nothing(lms_page, lms, mode):
    page = lms_page
    launch(
        page,
        lms,
        cmi={"core": {**STUDENT, "lesson_mode": mode, "lesson_status": "passed", "score": {"raw": "95"}}},
    )
    quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 2)
    frame = visit(page, lms, "practice/phone-call.html")
    frame.evaluate("cqDriver.playScenario('practice-phone-call', 'failure')")
    close(page)
    assert calls(page, "LMSSetValue") == []  # not a new attempt
    assert len(calls(page, "LMSInitialize")) == 1 and len(calls(page, "LMSFinish")) == 1
    assert page.evaluate("[API.cmi.core.lesson_status, API.cmi.core.score.raw]") == ["passed", "95"]
    assert page.watch.errors == []


@pytest.mark.browser
def test_without_an_lms_the_package_is_the_plain_site(lms_page, lms):
    page = lms_page
    launch(page, lms, noApi=True)
    frame = course_frame(page)
    assert frame.url.endswith("/pkg/index.html")  # the launch page handed over to the site
    assert frame.evaluate("typeof window.CourseScorm") == "undefined"  # the adapter stayed inert
    frame = quiz(page, lms, "modules/01-welcome.html", "quiz-01-welcome")
    assert frame.evaluate("CourseProgress.lms") is False
    key = frame.evaluate("COURSE_MANIFEST.storage_key")
    assert json.loads(frame.evaluate("k => localStorage.getItem(k)", key))["quizzes"]["quiz-01-welcome"][
        "passed"
    ]
    assert lms_warnings(page) == [] and page.watch.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("broken", [True, "throw"], ids=["errors", "exceptions"])
def test_lms_errors_are_logged_and_the_course_keeps_working(lms_page, lms, broken):
    page = lms_page
    launch(page, lms, broken=broken)
    frame = quiz(page, lms, "modules/01-welcome.html", "quiz-01-welcome")
    assert frame.locator('[data-quiz="quiz-01-welcome"][data-state="passed"]').count() == 1
    frame = visit(page, lms, "practice/phone-call.html")
    frame.evaluate("cqDriver.playScenario('practice-phone-call', 'success')")
    frame = visit(page, lms, "progress.html")
    assert "Quizzes passed: 1 of 9" in frame.locator(".cq-summary").inner_text()
    close(page)
    warnings = lms_warnings(page)
    assert warnings and all(w.startswith("warning: course LMS:") for w in warnings)
    assert any("LMSSetValue(cmi.core.lesson_status)" in w for w in warnings)
    assert page.watch.errors == []


@pytest.mark.browser
def test_an_lms_that_launches_index_html_directly_still_gets_results(lms_page, lms):
    """Each page then opens and finishes its own LMS session, as a multi-page SCO does."""
    page = lms_page
    launch(page, lms, launch="index.html", cmi={"core": dict(STUDENT)})
    quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 16)
    got = values(page)
    assert got["cmi.core.score.raw"] == "100" and got["cmi.core.lesson_status"] == "incomplete"
    assert len(calls(page, "LMSFinish")) >= 1  # the first page finished its session when it was left
    assert got["cmi.suspend_data"].startswith("c2|")
    assert page.watch.errors == []


@pytest.mark.browser
def test_the_course_never_reports_less_than_the_lms_holds(lms_page, lms):
    """An LMS that holds "passed" and 95 (from another computer, or before a reset) keeps them."""
    page = lms_page
    launch(
        page,
        lms,
        cmi={"core": {**STUDENT, "lesson_status": "passed", "entry": "resume", "score": {"raw": "95"}}},
    )
    frame = quiz(page, lms, "modules/09-final-assessment.html", "final-assessment", 12)  # 75%: failed here
    got = values(page)
    assert got["cmi.core.lesson_status"] == "passed" and got["cmi.core.score.raw"] == "95"
    frame.evaluate("CourseProgress.reset()")
    assert values(page)["cmi.core.lesson_status"] == "passed"
    assert page.evaluate("[API.cmi.core.lesson_status, API.cmi.core.score.raw]") == ["passed", "95"]
    close(page)
    assert page.evaluate("[API.cmi.core.lesson_status, API.cmi.core.score.raw]") == ["passed", "95"]

    # "completed" (no assessment tried here) may still become "passed", never "incomplete"
    page.goto("about:blank")
    launch(page, lms, cmi={"core": {**STUDENT, "student_id": "emp-9", "lesson_status": "completed"}})
    assert values(page)["cmi.core.lesson_status"] == "completed"
    assert page.watch.errors == []


@pytest.mark.browser
def test_session_time_and_commits_go_out_while_the_page_is_alive(lms_page, lms):
    """Each report carries the session time and a commit; hiding the page commits too (issue 11):
    an LMS whose API makes synchronous requests gets nothing during page dismissal."""
    page = lms_page
    launch(page, lms, cmi={"core": dict(STUDENT)})
    commits = len(calls(page, "LMSCommit"))
    page.wait_for_timeout(1100)
    frame = quiz(page, lms, "modules/01-welcome.html", "quiz-01-welcome")
    got = values(page)
    assert re.fullmatch(r"0000:00:\d\d\.\d\d", got["cmi.core.session_time"])
    assert got["cmi.core.session_time"] > "0000:00:01.00"  # measured from the launch, across pages
    assert len(calls(page, "LMSCommit")) > commits
    assert calls(page, "LMSFinish") == []  # all of that before the learner leaves

    # the learner switches tab: the page and the launch page commit
    before = len(calls(page, "LMSCommit"))
    hide = """() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange')); }"""
    frame.evaluate(hide)
    assert len(calls(page, "LMSCommit")) > before
    before = len(calls(page, "LMSCommit"))
    next(f for f in page.frames if f.url.endswith("/pkg/scorm.html")).evaluate(hide)  # the launch page
    assert len(calls(page, "LMSCommit")) > before
    assert page.watch.errors == []
