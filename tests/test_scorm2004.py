"""SCORM 2004 4th edition (issue 11): `course package --scorm2004`, its imsmanifest.xml against the
ADL schemas (builder/schemas/scorm2004, from the ADL CAM 4th edition XSDs), and the course in
scorm-again's SCORM 2004 runtime: separate completion and success, scaled score, location, ISO 8601
session time, and a 64,000-character suspend_data."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
import zipfile

import pytest

from tests.helpers import REPO, Server, course
from tests.test_scorm import JS, SCORM_AGAIN, STUDENT, course_frame, package_dir, visit

SCHEMA = REPO / "builder" / "schemas" / "scorm2004" / "imscp_v1p1.xsd"
LEARNER = {"learner_id": STUDENT["student_id"], "learner_name": STUDENT["student_name"]}
ISO_DURATION = r"PT\d+H\d+M\d+(\.\d{1,2})?S"


@pytest.fixture(scope="module")
def lms2004(flagship_site, tmp_path_factory):
    if not SCORM_AGAIN.is_file():
        pytest.fail("scorm-again is missing: run `make js-deps` (npm ci in tests/js)")
    www = tmp_path_factory.mktemp("lms2004")
    package_dir(flagship_site, www / "pkg", "2004")
    for name in ("lms.html", "lms.js", "lms-start.js"):
        shutil.copy(JS / name, www / name)
    shutil.copy(SCORM_AGAIN, www / "scorm12.min.js")
    shutil.copy(SCORM_AGAIN.with_name("scorm2004.min.js"), www / "scorm2004.min.js")
    with Server(www, prefix="/lms/") as server:
        yield server.url


def launch(page, url: str, cmi: dict, **options) -> None:
    page.goto(url + "lms.html#" + urllib.parse.quote(json.dumps({"edition": "2004", "cmi": cmi, **options})))
    page.wait_for_function("() => lmsCalls.some(c => c[0] === 'GetValue' && c[1] === 'cmi.suspend_data')")
    course_frame(page).wait_for_function("() => window.CourseProgress && CourseProgress.state")


def test_package_2004_manifest_is_valid(tmp_path):
    import xmlschema

    out = tmp_path / "course-scorm2004.zip"
    result = course("package", "--scorm2004", str(out), cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "SCORM 2004 4th edition package" in result.stderr
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = zf.read("imsmanifest.xml").decode("utf-8")
    assert names[0] == "imsmanifest.xml" and "scorm.html" in names
    xmlschema.XMLSchema(str(SCHEMA)).validate(manifest)
    assert "<schemaversion>2004 4th Edition</schemaversion>" in manifest
    assert 'adlcp:scormType="sco" href="scorm.html"' in manifest
    assert "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>" in manifest  # pass mark 80
    listed = re.findall(r'<file href="([^"]+)"/>', manifest)
    assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml")


@pytest.mark.browser
def test_scorm_2004_runtime_gets_separate_statuses_and_a_large_record(page, lms2004, browser):
    launch(page, lms2004, {**LEARNER, "scaled_passing_score": "0.8"})
    got = page.evaluate("lmsValues")
    assert got["cmi.completion_status"] == "incomplete" and got["cmi.success_status"] == "unknown"
    assert course_frame(page).evaluate("CourseScorm.edition") == 2004

    frame = visit(page, lms2004, "modules/09-final-assessment.html")
    frame.evaluate("cqDriver.answerQuiz('final-assessment', 12)")  # 75%
    got = page.evaluate("lmsValues")
    assert got["cmi.success_status"] == "failed" and got["cmi.completion_status"] == "incomplete"
    assert got["cmi.score.raw"] == "75" and got["cmi.score.scaled"] == "0.75"
    assert got["cmi.location"] == "modules/09-final-assessment.html"
    assert re.fullmatch(ISO_DURATION, got["cmi.session_time"])
    assert got["cmi.exit"] == "suspend"

    frame.evaluate("cqDriver.answerQuiz('final-assessment', 14)")  # 88%: passed; scenarios left
    got = page.evaluate("lmsValues")
    assert got["cmi.success_status"] == "passed" and got["cmi.completion_status"] == "incomplete"

    manifest = frame.evaluate("COURSE_MANIFEST")
    for entry in manifest["pages"]:
        todo = [i for i in entry["items"] if i != "final-assessment"]
        if todo:
            frame = visit(page, lms2004, entry["url"])
            for item in todo:
                kind = manifest["items"][item]["kind"]
                frame.evaluate(
                    f"id => cqDriver.{'answerQuiz' if kind == 'quiz' else 'playScenario'}(id)", item
                )
    frame.evaluate(
        "CourseProgress.merge({pages: Object.fromEntries(COURSE_MANIFEST.pages.map(p => [p.url, 1]))})"
    )
    got = page.evaluate("lmsValues")
    assert got["cmi.completion_status"] == "completed" and got["cmi.success_status"] == "passed"
    assert got["cmi.score.scaled"] == "0.88" and got["cmi.exit"] == "normal"
    # the 2004 budget: 64,000 characters, so even a huge record keeps everything
    big = frame.evaluate(
        """() => { const M = JSON.parse(JSON.stringify(COURSE_MANIFEST)), s = JSON.parse(JSON.stringify(CourseProgress.state));
        for (let i = 0; i < 1500; i++) { const id = 'q' + i; M.items[id] = {kind: 'quiz', version: 'v', pages: []};
          s.quizzes[id] = {best: 50, passed: false, v: 'v', n: 2, t: 1, answers: [1, 2, 3]}; }
        const c = CourseScormCodec(M, 64000), text = c.encode(s), back = c.decode(text);
        return [text.length, Object.keys(back.quizzes).length, back.quizzes.q7.answers]; }"""
    )
    assert big[0] <= 64000 and big[1] == 1509 and big[2] == [1, 2, 3]
    page.evaluate("document.getElementById('sco').remove()")
    final = page.evaluate("lmsValues")
    assert page.evaluate("API_1484_11.isTerminated()")
    assert [c for c in page.evaluate("lmsCalls") if c[0] != "GetValue" and c[4] != "0"] == []
    assert page.watch.errors == []

    # relaunch elsewhere: the LMS hands back suspend_data and location
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        again = ctx.new_page()
        launch(again, lms2004, {**LEARNER, "entry": "resume", "location": final["cmi.location"],
                                "suspend_data": final["cmi.suspend_data"], "completion_status": "completed",
                                "success_status": "passed", "score": {"raw": "88", "scaled": "0.88"}})  # fmt: skip
        state = course_frame(again).evaluate("CourseProgress.state")
        assert state["quizzes"]["final-assessment"]["best"] == 88 and len(state["scenarios"]) == 4
        # never lower: a failed retry here leaves "passed" and 88
        frame = visit(again, lms2004, "modules/09-final-assessment.html")
        frame.evaluate("CourseProgress.reset()")
        got = again.evaluate("lmsValues")
        assert got["cmi.success_status"] == "passed" and got["cmi.completion_status"] == "completed"
        assert got["cmi.score.raw"] == "88"
    finally:
        ctx.close()


@pytest.mark.browser
def test_an_lms_offering_both_runtimes_gets_the_package_edition(page, lms2004):
    launch(page, lms2004, dict(LEARNER), both=True)
    visit(page, lms2004, "modules/01-welcome.html").evaluate("cqDriver.answerQuiz('quiz-01-welcome')")
    assert page.evaluate("lmsValues")["cmi.completion_status"] == "incomplete"
    assert page.evaluate("otherApi.isNotInitialized()")  # the SCORM 1.2 API was never used
    assert page.watch.errors == []
