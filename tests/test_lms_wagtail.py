"""The SCORM 1.2 package in a real LMS: wagtail-lms (Django + Wagtail + SQLite, issue 11 item 2).

wagtail-lms lives in its own virtual environment (.venv-lms, `make lms-deps`): it pulls Django and
Wagtail, which the course builder does not need. The test imports our zip through its SCORMPackage
model, serves the LMS on 127.0.0.1 with a free port, plays the package in Chromium (first launch,
relaunch with fresh browser storage, completion) and reads back what the LMS stored in its
database. Its API sends SetValue with asynchronous requests and GetValue with synchronous ones, and
has LMSTerminate instead of LMSFinish: what it stores is what a learner's record would hold.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from types import SimpleNamespace

import pytest

from tests.helpers import REPO, course

LMS_DIR = REPO / "tests" / "lms"
LMS_PY = REPO / ".venv-lms" / "bin" / "python"
DRIVER = (REPO / "tests" / "js" / "driver.js").read_text(encoding="utf-8")

pytestmark = [pytest.mark.browser, pytest.mark.lms]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wagtail(tmp_path_factory):
    if not LMS_PY.exists():
        pytest.fail("wagtail-lms is missing: run `make lms-deps` (its own virtual environment, .venv-lms)")
    data = tmp_path_factory.mktemp("wagtail-lms")
    package = data / "course-scorm.zip"
    result = course("package", "--scorm", str(package), cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    env = {
        **os.environ,
        "LMS_DATA": str(data),
        "DJANGO_SETTINGS_MODULE": "settings",
        "PYTHONPATH": str(LMS_DIR),
    }

    def lms(*args: str, timeout: float = 120) -> dict:
        done = subprocess.run(
            [str(LMS_PY), *args], cwd=LMS_DIR, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}

    lms("-m", "django", "migrate", "-v0", timeout=600)
    info = lms("lms_site.py", "setup", str(package))
    assert info["package"] == {
        "title": "Handling irate customers",  # from imsmanifest.xml
        "version": "1.2",
        "launch": "/lms/scorm-content/package_1_course-scorm/scorm.html",
    }
    port = _free_port()
    log = open(data / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(LMS_PY), "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=LMS_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/lms/scorm-content/x", timeout=2)
            except urllib.error.HTTPError:
                break  # it answers (302 to the login page, or 404)
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("wagtail-lms did not start: " + (data / "server.log").read_text()[-2000:])
        yield SimpleNamespace(
            url=url,
            player=f"{url}/lms/scorm-lesson/{info['lesson']}/play/",
            session=info["session"],
            login=lambda: lms("lms_site.py", "login")["session"],
            stored=lambda: lms("lms_site.py", "dump"),
        )
    finally:
        server.terminate()
        server.wait(20)
        log.close()


def learner(browser, lms, session: str):
    """A fresh browser (no storage) signed in to the LMS, on the lesson's player page."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_cookies([{"name": "sessionid", "value": session, "url": lms.url}])
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda m: "course LMS:" in m.text and page.errors.append(m.text))
    page.goto(lms.player)
    course_frame(page).wait_for_function("() => window.CourseProgress && CourseProgress.state")
    return ctx, page


def course_frame(page):
    for _ in range(200):
        for frame in page.frames:
            if "/scorm-content/" in frame.url and not frame.url.endswith("/scorm.html"):
                return frame
        page.wait_for_timeout(50)
    raise AssertionError(f"no course page in {[f.url for f in page.frames]}")


def visit(page, path: str):
    frame = course_frame(page)
    frame.goto(frame.url.rsplit("/scorm-content/", 1)[0] + "/scorm-content/package_1_course-scorm/" + path)
    frame = course_frame(page)
    frame.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    frame.add_script_tag(content=DRIVER)
    return frame


def lms_value(page, key: str) -> str:
    """What the LMS holds now (its API's GetValue is a synchronous request to the server)."""
    return page.evaluate("k => API.LMSGetValue(k)", key)


def wait_lms(page, key: str, want) -> str:
    for _ in range(100):
        got = lms_value(page, key)
        if want(got) if callable(want) else got == want:
            return got
        page.wait_for_timeout(100)
    raise AssertionError(f"the LMS holds {key}={got!r}")


def test_wagtail_lms_stores_status_score_time_and_progress_across_launches(browser, wagtail):
    # first launch: the learner fails the final assessment
    ctx, page = learner(browser, wagtail, wagtail.session)
    try:
        assert page.locator("#scorm-status").inner_text() != "Loading..."
        frame = visit(page, "modules/09-final-assessment.html")
        frame.evaluate("cqDriver.answerQuiz('final-assessment', 12)")  # 12 of 16: 75%, pass mark 80
        wait_lms(page, "cmi.core.lesson_status", "failed")
        wait_lms(page, "cmi.core.score.raw", "75")
        # stored while the page is alive: session time, suspend_data, resume location
        first_time = wait_lms(
            page, "cmi.core.session_time", lambda v: bool(re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", v))
        )
        wait_lms(page, "cmi.suspend_data", lambda v: v.startswith("c2|"))
        assert page.errors == []
    finally:
        ctx.close()  # the learner closes the browser: nothing sent during dismissal is needed
    stored = wagtail.stored()
    assert stored["completion_status"] == "failed" and stored["score_raw"] == 75
    assert (stored["score_min"], stored["score_max"]) == (0, 100)
    assert stored["location"] == "modules/09-final-assessment.html"
    assert stored["cmi"]["cmi.core.session_time"] == first_time or re.fullmatch(
        r"\d{4}:\d{2}:\d{2}\.\d{2}", stored["cmi"]["cmi.core.session_time"]
    )
    assert stored["cmi"]["cmi.core.exit"] == "suspend"
    assert stored["suspend_data"].startswith("c2|") and len(stored["suspend_data"]) <= 4096

    # relaunch on another computer (fresh browser storage): back where the learner was, progress restored
    ctx, page = learner(browser, wagtail, wagtail.login())
    try:
        frame = course_frame(page)
        assert frame.url.endswith("/modules/09-final-assessment.html")
        quiz = frame.evaluate("CourseProgress.state.quizzes['final-assessment']")
        assert quiz["best"] == 75 and quiz["passed"] is False
        assert frame.locator('[data-module="cq-progress-page"], .md-content').count() >= 1

        # completion: the assessment passed, every quiz and scenario done, every page seen
        frame = visit(page, "modules/09-final-assessment.html")
        frame.evaluate("cqDriver.answerQuiz('final-assessment', 14)")  # 88%
        manifest = frame.evaluate("COURSE_MANIFEST")
        for entry in manifest["pages"]:
            todo = [i for i in entry["items"] if i != "final-assessment"]
            if todo:
                frame = visit(page, entry["url"])
                for item in todo:
                    kind = manifest["items"][item]["kind"]
                    frame.evaluate(
                        f"id => cqDriver.{'answerQuiz' if kind == 'quiz' else 'playScenario'}(id)", item
                    )
        frame.evaluate(
            "CourseProgress.merge({pages: Object.fromEntries(COURSE_MANIFEST.pages.map(p => [p.url, 1]))})"
        )
        wait_lms(page, "cmi.core.lesson_status", "passed")
        wait_lms(page, "cmi.core.score.raw", "88")
        # a reset in the course never lowers what the LMS holds
        frame.evaluate("CourseProgress.reset()")
        page.wait_for_timeout(500)
        assert lms_value(page, "cmi.core.lesson_status") == "passed"
        assert lms_value(page, "cmi.core.score.raw") == "88"
        assert page.errors == []
    finally:
        ctx.close()
    stored = wagtail.stored()
    assert stored["attempts"] == 1
    assert stored["completion_status"] == "passed" and stored["score_raw"] == 88
    assert stored["enrolment_completed"] is True  # wagtail-lms marked the course complete
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", stored["cmi"]["cmi.core.session_time"])
    assert stored["cmi"]["cmi.core.exit"] == ""
    assert stored["suspend_data"].startswith("c2|") and len(stored["suspend_data"]) <= 4096
