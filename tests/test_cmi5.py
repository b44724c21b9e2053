"""cmi5 package (issue 15): cmi5.xml against the cmi5 CourseStructure.xsd, and the launch played in
Chromium against a test LMS (fetch URL, LMS.LaunchData in an xAPI State API) whose statements go to
Ralph, a real LRS."""

from __future__ import annotations

import base64
import functools
import html
import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
import xmlschema

from builder.package.cmi5 import SCHEMA
from tests.helpers import course, make_project
from tests.lrs import Ralph, ralph_validate
from tests.test_xapi import PAGES

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
AU = "https://courses.invalid/fixture/au"
TOKEN = base64.b64encode(b"lms-launch:token-1").decode()


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cmi5")
    project = make_project(root / "p", {k: v for k, v in PAGES.items()}, fixture="basic")
    out = root / "course-cmi5.zip"
    result = course("package", "--cmi5", str(out), cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "moveOn CompletedAndPassed" in result.stderr
    return out


def test_cmi5_xml_is_valid_and_follows_the_completion_rules(package, tmp_path):
    with zipfile.ZipFile(package) as zf:
        names = zf.namelist()
        xml = zf.read("cmi5.xml")
    assert names[0] == "cmi5.xml" and "cmi5.html" in names and "assets/vendor/cmi5/Cmi5.umd.js" in names
    assert "assets/vendor/cmi5/LICENSE.md" in names
    (tmp_path / "cmi5.xml").write_bytes(xml)
    schema = xmlschema.XMLSchema(str(SCHEMA))
    schema.validate(str(tmp_path / "cmi5.xml"))
    data = schema.to_dict(str(tmp_path / "cmi5.xml"))
    (au,) = data["au"]
    assert au["@id"] == AU and au["url"] == "cmi5.html"
    assert au["@moveOn"] == "CompletedAndPassed" and float(au["@masteryScore"]) == 0.75
    assert data["course"]["@id"] == "https://courses.invalid/fixture"


def test_cmi5_without_quizzes_to_pass_moves_on_when_completed(tmp_path):
    yml = (Path(__file__).parent / "fixtures/basic/mkdocs.yml").read_text()
    yml = yml.replace("        pass: [sample]\n", "        pass: []\n").replace(
        "        assessment: sample\n", ""
    )
    project = make_project(tmp_path / "p", PAGES, fixture="basic", mkdocs_yml=yml)
    out = tmp_path / "c.zip"
    result = course("package", "--cmi5", str(out), cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    xml = zipfile.ZipFile(out).read("cmi5.xml").decode()
    assert 'moveOn="Completed"' in xml and "masteryScore" not in xml


class Lms:
    """The LMS side of a cmi5 launch: the package at /pkg/, a one-time fetch URL, an xAPI State API
    holding LMS.LaunchData, and /lrs/statements forwarded to Ralph. Statements need the fetched token."""

    def __init__(self, pkg: Path, ralph: Ralph):
        self.ralph, self.state, self.fetches = ralph, {}, 0
        owner = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def translate_path(self, path):
                p = urllib.parse.urlsplit(path).path
                return (
                    super().translate_path("/" + p[len("/pkg/") :])
                    if p.startswith("/pkg/")
                    else "/nonexistent"
                )

            def reply(self, code, body=b"", ctype="application/json"):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def lrs(self):
                url = urllib.parse.urlsplit(self.path)
                data = self.body()
                if self.headers.get("Authorization") != "Basic " + TOKEN:
                    return self.reply(401, b'{"error":"no token"}')
                if url.path == "/lrs/activities/state":
                    q = dict(urllib.parse.parse_qsl(url.query))
                    key = (q.get("activityId"), json.dumps(json.loads(q.get("agent", "{}")), sort_keys=True),
                           q.get("registration"), q.get("stateId"))  # fmt: skip
                    if self.command == "GET":
                        return self.reply(200, owner.state[key]) if key in owner.state else self.reply(404)
                    owner.state[key] = data
                    return self.reply(204)
                if url.path.startswith("/lrs/agents/profile"):
                    return self.reply(404)
                if url.path.startswith("/lrs/statements"):
                    owner.seen.append((self.command, json.loads(data) if data else None))
                    req = urllib.request.Request(
                        owner.ralph.url + "statements" + (("?" + url.query) if url.query else ""), data=data or None,
                        method=self.command, headers={"Authorization": owner.ralph.auth, "Content-Type": "application/json",
                                                      "X-Experience-API-Version": "1.0.3"},
                    )  # fmt: skip
                    try:
                        with urllib.request.urlopen(req, timeout=30) as r:
                            return self.reply(r.status, r.read())
                    except urllib.error.HTTPError as e:
                        return self.reply(e.code, e.read())
                return self.reply(404)

            def do_GET(self):  # noqa: N802
                if self.path.startswith("/lrs/"):
                    return self.lrs()
                if self.path.startswith("/done"):
                    return self.reply(
                        200, b"<!doctype html><title>LMS</title><p>Back in the LMS</p>", "text/html"
                    )
                return super().do_GET()

            def do_PUT(self):  # noqa: N802
                return self.lrs()

            def do_POST(self):  # noqa: N802
                if self.path.startswith("/fetch"):
                    self.body()
                    owner.fetches += 1
                    if owner.fetches > 1:  # cmi5 8.2.3: the fetch URL works once
                        return self.reply(200, b'{"error-code":"1","error-text":"already fetched"}')
                    return self.reply(200, json.dumps({"auth-token": TOKEN}).encode())
                return self.lrs()

        self.seen: list = []
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(pkg))
        )
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def launch_url(self, actor: dict, registration: str, mode: str = "Normal") -> str:
        """Prepare the launch as an LMS does (LMS.LaunchData, "launched" statement) and give the URL."""
        session = str(uuid.uuid4())
        self.session = session
        launch_data = {
            "contextTemplate": {"contextActivities": {"grouping": [{"objectType": "Activity", "id": AU}]},
                                "extensions": {SESSION: session}},
            "launchMode": mode, "moveOn": "CompletedAndPassed", "masteryScore": 0.75,
            "returnURL": self.origin + "/done", "launchMethod": "AnyWindow",
        }  # fmt: skip
        key = (AU, json.dumps(actor, sort_keys=True), registration, "LMS.LaunchData")
        self.state[key] = json.dumps(launch_data).encode()
        launched = {
            "id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
            "object": {"objectType": "Activity", "id": AU},
            "context": {"registration": registration,
                        "contextActivities": {"category": [{"id": CMI5}], "grouping": [{"id": AU}]},
                        "extensions": {SESSION: session,
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                                       "https://w3id.org/xapi/cmi5/context/extensions/moveon": "CompletedAndPassed",
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchurl": self.origin + "/pkg/cmi5.html"}},
            "timestamp": "2026-01-01T09:00:00.000Z",
        }  # fmt: skip
        req = urllib.request.Request(
            self.ralph.url + "statements", data=json.dumps(launched).encode(), method="POST",
            headers={"Authorization": self.ralph.auth, "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
        )  # fmt: skip
        urllib.request.urlopen(req, timeout=30).close()
        q = urllib.parse.urlencode({
            "endpoint": self.origin + "/lrs/", "fetch": self.origin + "/fetch/" + session,
            "actor": json.dumps(actor), "registration": registration, "activityId": AU,
        })  # fmt: skip
        return f"{self.origin}/pkg/cmi5.html?{q}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def frame_of(page):
    for _ in range(200):
        for f in page.frames:
            if "/pkg/" in f.url and "cmi5.html" not in f.url and f.url.endswith(".html"):
                try:
                    if f.evaluate("() => !!(window.CourseProgress && CourseProgress.state)"):
                        return f
                except Exception:  # noqa: BLE001  (navigating)
                    pass
        page.wait_for_timeout(50)
    raise AssertionError([f.url for f in page.frames])


def answer_quiz(frame, first_right: bool, tf_right: bool) -> None:
    """Answer the sample quiz; after a retry, questions answered right stay locked (issue 9) and are
    left as they are."""
    quiz = frame.locator('[data-quiz="sample"]')

    def open_(qid: str) -> bool:
        return "cq-question--locked" not in (
            quiz.locator(f'[data-question="{qid}"]').get_attribute("class") or ""
        )

    if open_("first-response"):
        quiz.locator(f'[data-question="first-response"] input[value="{0 if first_right else 1}"]').check()
    if open_("pick-two"):
        quiz.locator('[data-question="pick-two"] input[value="0"]').check()
        quiz.locator('[data-question="pick-two"] input[value="1"]').check()
    if open_("tf"):
        quiz.locator(f'[data-question="tf"] input[value="{"false" if tf_right else "true"}"]').check()
    if open_("word"):
        quiz.locator('[data-question="word"] input').fill("listen")
    if open_("steps"):
        order = frame.evaluate(
            "() => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(JSON.parse("
            "document.querySelector('[data-quiz-key]').textContent)), c => c.charCodeAt(0)))).questions[4].order"
        )
        for shown, place in enumerate(order):
            quiz.locator(f'[data-question="steps"] select[data-item="{shown}"]').select_option(str(place + 1))
    quiz.locator('button[data-action="check"]').click()


@pytest.fixture
def lms(package, tmp_path):
    """The package unpacked behind the test LMS, with its own Ralph."""
    pkg = tmp_path / "pkg"
    zipfile.ZipFile(package).extractall(pkg)
    ralph = Ralph()
    harness = Lms(pkg, ralph)
    try:
        yield harness
    finally:
        harness.close()
        ralph.close()


def learner_on(browser, name: str, employee: str):
    """(browser context, page, cmi5 actor, new registration) for one learner's launch."""
    actor = {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": "https://lms.example.com", "name": employee},
    }
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    return ctx, ctx.new_page(), actor, str(uuid.uuid4())


@pytest.mark.browser
def test_cmi5_launch_against_the_lms_harness(lms, browser, tmp_path):
    ralph = lms.ralph
    ctx, page, actor, registration = learner_on(browser, "Priya", "emp-0042")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms.launch_url(actor, registration))
    frame = frame_of(page)
    answer_quiz(frame, first_right=False, tf_right=False)  # 3 of 5: 60%, below the mastery score
    frame.locator('[data-quiz="sample"] button[data-action="retry"]').click()
    answer_quiz(frame, first_right=False, tf_right=True)  # 4 of 5: 80%, passed
    page.screenshot(path=str(tmp_path / "cmi5-1280.png"))
    frame.goto(lms.origin + "/pkg/practice.html")
    frame = frame_of(page)
    root = frame.locator('[data-scenario="late-order"]')
    root.locator('button[data-choice="0"]').click()
    root.locator('button[data-choice="0"]').click()
    frame.locator('[data-scenario="late-order"][data-ending="success"]').wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "cmi5-390.png"))
    page.locator('[data-action="exit"]').click()
    page.wait_for_url(lms.origin + "/done")
    assert lms.fetches == 1
    everything = [s for s in ralph.statements() if s["context"].get("registration") == registration]

    def cats(s):
        return [c["id"] for c in s["context"].get("contextActivities", {}).get("category", [])]

    got = [s for s in everything if CMI5 in cats(s)]  # cmi5 defined statements (and the LMS's launched)
    allowed = [s for s in everything if CMI5 not in cats(s)]  # the course's own, through the launch page
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in got]
    assert verbs == ["launched", "initialized", "failed", "passed", "completed", "terminated"], verbs
    for s in got[1:]:
        assert s["object"]["id"] == AU
        assert s["actor"]["account"] == actor["account"]
        cats = [c["id"] for c in s["context"]["contextActivities"]["category"]]
        assert CMI5 in cats
        assert (MOVEON in cats) == (s["verb"]["id"].rsplit("/", 1)[1] in ("passed", "failed", "completed"))
        assert s["context"]["extensions"][SESSION] == lms.session
        assert s["context"]["contextActivities"]["grouping"][0]["id"] == AU
    failed, passed = got[2]["result"], got[3]["result"]
    assert failed["score"]["scaled"] == 0.6 and failed["success"] is False
    assert passed["score"]["scaled"] == 0.8 and passed["success"] is True
    assert got[4]["result"]["completion"] is True
    assert got[5]["result"]["duration"].startswith("PT")
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in allowed] == (
        ["answered"] * 5
        + ["failed"]
        + ["answered"] * 5
        + ["passed"]
        + ["attempted", "answered", "answered", "completed"]
    )
    assert allowed[5]["object"]["id"] == "https://courses.invalid/fixture/quiz/sample"
    assert allowed[-1]["object"]["id"] == "https://courses.invalid/fixture/scenario/late-order"
    for s in allowed:
        assert s["actor"] == actor
        assert s["context"]["extensions"][SESSION] == lms.session
        assert AU in [g["id"] for g in s["context"]["contextActivities"]["grouping"]]
    assert not ralph_validate(everything), ralph_validate(everything)
    assert not errors, errors
    ctx.close()


@pytest.mark.browser
def test_cmi5_package_opened_without_an_lms_shows_the_course(package, browser, tmp_path):
    pkg = tmp_path / "pkg"
    zipfile.ZipFile(package).extractall(pkg)
    page = browser.new_page()
    page.goto((pkg / "cmi5.html").as_uri())
    page.wait_for_url("**/index.html")
    assert page.locator('[data-quiz="sample"]').count() == 1
    page.close()


@pytest.mark.browser
def test_closing_the_cmi5_window_sends_terminated_at_once(lms, browser):
    """The learner closes the window instead of pressing Save and exit: terminated still reaches the
    LMS's LRS right away (cmi5 9.3.8: the AU should send it when the session ends), exactly once."""
    import time

    ralph = lms.ralph
    ctx, page, actor, registration = learner_on(browser, "Tomas", "emp-7")
    page.goto(lms.launch_url(actor, registration))
    frame_of(page)
    page.close()
    end = time.monotonic() + 10
    while True:
        got = [s for s in ralph.statements() if s["context"].get("registration") == registration]
        verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in got]
        if "terminated" in verbs or time.monotonic() > end:
            break
        time.sleep(0.2)
    assert verbs == ["launched", "initialized", "terminated"], verbs
    term = got[-1]
    assert term["object"]["id"] == AU and term["actor"]["account"] == actor["account"]
    assert CMI5 in [c["id"] for c in term["context"]["contextActivities"]["category"]]
    assert term["context"]["extensions"][SESSION] == lms.session
    assert term["result"]["duration"].startswith("PT")
    assert not ralph_validate(got), ralph_validate(got)
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("how", ["exit", "reload"])
def test_reloading_an_ended_cmi5_session_says_to_relaunch_from_the_lms(lms, browser, tmp_path, how):
    """After the AU sent "terminated" (Save and exit, or the page was unloaded), reloading the launch
    page neither fetches again nor sends statements (cmi5 9.3.8): it says calmly, in the course's
    language, that the session has ended and to launch again from the LMS; no console error."""
    import time

    ralph = lms.ralph
    ctx, page, actor, registration = learner_on(browser, "Ines", "emp-9")
    url = lms.launch_url(actor, registration)
    page.goto(url)
    frame_of(page)
    problems, asked = [], []

    def watch():  # from the second opening of the launch page on
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
        page.on("request", lambda r: ("/lrs/" in r.url or "/fetch/" in r.url) and asked.append(r.url))

    if how == "exit":  # Save and exit goes back to the LMS; the learner then reopens the old address
        page.locator('[data-action="exit"]').click()
        page.wait_for_url(lms.origin + "/done")
        watch()
        page.goto(url)
    else:
        page.wait_for_timeout(300)
        watch()
        page.reload()
    status = page.locator("[data-cmi5-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == (
        "This session has ended. To continue the course, launch it again from your learning system."
    )
    assert page.locator('[data-action="exit"]').is_hidden()
    page.screenshot(path=str(tmp_path / f"cmi5-ended-{how}-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / f"cmi5-ended-{how}-390.png"))
    page.wait_for_timeout(500)
    assert lms.fetches == 1
    end = time.monotonic() + 10
    while True:
        got = [s for s in ralph.statements() if s["context"].get("registration") == registration]
        verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in got]
        if "terminated" in verbs or time.monotonic() > end:
            break
        time.sleep(0.2)
    assert verbs == ["launched", "initialized", "terminated"], verbs
    assert not problems, problems
    assert not [u for u in asked if "/fetch/" in u], asked
    ctx.close()


def test_the_ended_session_message_is_in_every_language():
    """The launch page carries the "session ended" words in the course's language (issue 14)."""
    from builder.package.cmi5 import launch_page

    folder = Path(__file__).parents[1] / "builder/messages"
    english = json.loads((folder / "en.json").read_text())["launch.ended"]
    for path in sorted(folder.glob("*.json")):
        words = json.loads(path.read_text())
        assert words.get("launch.ended"), path.name
        assert path.stem == "en" or words["launch.ended"] != english, path.name
        page = launch_page({"language": path.stem, "messages": words, "title": "T"})
        assert 'data-ended="' + html.escape(words["launch.ended"]) + '"' in page, path.name
