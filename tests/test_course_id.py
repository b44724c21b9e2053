"""A stable course identity (issue 11 item 5).

``id`` is required under ``plugins: - course:``; `course check` and the build fail at the line of
``course`` in mkdocs.yml and suggest the id the course used so far (from ``site_name``), so
learners keep their progress. ``previous_ids`` lets the progress page import a progress file
exported under an earlier id.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import BASE_MKDOCS, REPO, course, make_project, mkdocs_build

WITHOUT_ID = BASE_MKDOCS.replace("  - course:\n      id: {course_id}\n{plugin_extra}\n", "{plugins}")
PAGE = "# Welcome\n\nHello.\n"


def line_of(proj, needle: str) -> int:
    lines = (proj / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    "plugins",
    ["  - course\n", "  - course:\n      version: '2'\n", "  - course: {}\n"],
    ids=["bare", "settings-without-id", "empty-mapping"],
)
def test_a_missing_id_is_a_located_error_with_a_suggestion(tmp_path, plugins):
    yml = WITHOUT_ID.format(site_name="Handling Irate Customers!", plugins=plugins)
    proj = make_project(tmp_path / "p", {"content/index.md": PAGE}, mkdocs_yml=yml)
    line = line_of(proj, "  - course")
    expected = f"mkdocs.yml:{line}: the course plugin needs an 'id'"
    check = course("check", cwd=proj)
    assert check.returncode == 1
    assert expected in check.stdout and "'id: handling-irate-customers'" in check.stdout
    build = mkdocs_build(proj)
    assert build.returncode != 0 and expected in build.stderr
    assert "Traceback" not in build.stderr and not (proj / "site").exists()


def test_a_malformed_id_or_previous_id_is_located(tmp_path):
    yml = WITHOUT_ID.format(
        site_name="Course",
        plugins="  - course:\n      id: 'Our Course: v2'\n      previous_ids: [ok-id, 'bad id']\n",
    )
    proj = make_project(tmp_path / "p", {"content/index.md": PAGE}, mkdocs_yml=yml)
    check = course("check", cwd=proj)
    assert check.returncode == 1
    assert f"mkdocs.yml:{line_of(proj, 'id: ')}: course id 'Our Course: v2'" in check.stdout
    assert f"mkdocs.yml:{line_of(proj, 'previous_ids')}: previous_ids: 'bad id'" in check.stdout


def test_previous_ids_let_an_old_progress_file_import(page, tmp_path):
    proj = make_project(
        tmp_path / "p",
        {"content/progress.md": (REPO / "content" / "progress.md").read_text(encoding="utf-8")},
        fixture="basic",
    )
    yml = proj / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("id: fixture", "id: renamed\n      previous_ids: [fixture]"),
        encoding="utf-8",
    )
    assert mkdocs_build(proj).returncode == 0
    manifest = (proj / "site" / "assets" / "course" / "manifest.js").read_text(encoding="utf-8")
    assert '"previous_ids":["fixture"]' in manifest

    page.goto((proj / "site" / "progress.html").as_uri())
    msg = page.locator(".cq-progress__msg")
    for course_id, expected in (("stranger", "different course"), ("fixture", "Progress loaded")):
        exported = tmp_path / f"{course_id}.json"
        data = {"format": "course-progress", "course": course_id, "progress": {}}
        exported.write_text(json.dumps(data), encoding="utf-8")
        page.set_input_files("#cq-import-file", str(exported))
        page.wait_for_function(
            "want => document.querySelector('.cq-progress__msg').textContent.includes(want)", arg=expected
        )
        assert expected in msg.inner_text()
    assert page.watch.errors == []


@pytest.fixture
def renamed_site(tmp_path):
    """The basic fixture course renamed from 'fixture' to 'renamed' (previous_ids: [fixture]), served."""
    from tests.helpers import Server

    proj = make_project(
        tmp_path / "p",
        {"content/progress.md": (REPO / "content" / "progress.md").read_text(encoding="utf-8")},
        fixture="basic",
    )
    yml = proj / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("id: fixture", "id: renamed\n      previous_ids: [fixture]"),
        encoding="utf-8",
    )
    assert mkdocs_build(proj).returncode == 0
    manifest = (proj / "site" / "assets" / "course" / "manifest.js").read_text(encoding="utf-8")
    version = json.loads(manifest[manifest.index("{") : manifest.rindex("}") + 1])["items"]["sample"][
        "version"
    ]
    with Server(proj / "site") as server:
        yield server, version


OLD_KEY, NEW_KEY = "course:fixture:v1", "course:renamed:v1"


def preload(page, server, values: dict) -> None:
    """Put ``values`` in the site's localStorage before any course page has run."""
    page.route("**/favicon.ico", lambda route: route.fulfill(status=200, body=b""))  # a bare file's tab icon
    page.goto(server.url + "assets/course/manifest.js")
    page.evaluate("v => { localStorage.clear(); for (const k in v) localStorage.setItem(k, v[k]); }", values)


def test_progress_kept_under_a_previous_id_moves_to_the_renamed_course(page, renamed_site, tmp_path):
    """A learner's browser progress saved before the course id was renamed is taken over once: the
    quiz result and pages read show again, under the new key, with where a scenario was up to."""
    server, version = renamed_site
    old = {"pages": {"other.html": 1}, "quizzes": {"sample": {"best": 80, "passed": True, "v": version,
           "n": 1, "t": 1795000000000}}, "scenarios": {}, "name": "Ana", "completed": 0, "gen": 0}  # fmt: skip
    preload(page, server, {OLD_KEY: json.dumps(old), f"cq-scenario:{OLD_KEY}:late-order": '{"node":"x"}'})
    page.goto(server.url + "progress.html")
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    state = page.evaluate("() => CourseProgress.load()")
    assert state["quizzes"]["sample"]["best"] == 80 and state["quizzes"]["sample"]["passed"] is True
    assert "other.html" in state["pages"] and state["name"] == "Ana"
    page.goto(server.url + "index.html")  # a visit writes the progress under the current id
    page.wait_for_function("k => localStorage.getItem(k) !== null", arg=NEW_KEY)
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", NEW_KEY))
    assert saved["quizzes"]["sample"]["best"] == 80 and {"other.html", "index.html"} <= set(saved["pages"])
    assert page.evaluate("k => localStorage.getItem(k)", OLD_KEY) is None  # moved, once
    assert (
        page.evaluate("k => localStorage.getItem(k)", f"cq-scenario:{NEW_KEY}:late-order") == '{"node":"x"}'
    )
    assert page.evaluate("k => localStorage.getItem(k)", f"cq-scenario:{OLD_KEY}:late-order") is None
    page.goto(server.url + "progress.html")
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    page.screenshot(path=str(tmp_path / "renamed-progress-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "renamed-progress-390.png"), full_page=True)
    assert page.watch.errors == []


def test_progress_under_the_current_id_wins_and_a_reset_does_not_bring_the_old_back(page, renamed_site):
    server, version = renamed_site
    rec = {"best": 40, "passed": False, "v": version, "n": 1, "t": 1795000000000}
    old = {"pages": {}, "quizzes": {"sample": rec}, "scenarios": {}, "name": "", "completed": 0, "gen": 0}
    new = dict(old, quizzes={})
    # both present: the current id's progress is what counts; the old is not merged in
    preload(page, server, {OLD_KEY: json.dumps(old), NEW_KEY: json.dumps(new)})
    page.goto(server.url + "index.html")
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    assert page.evaluate("() => CourseProgress.load().quizzes") == {}
    # only the old: taken over; a reset then clears it for good
    preload(page, server, {OLD_KEY: json.dumps(old)})
    page.goto(server.url + "index.html")
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    assert page.evaluate("() => CourseProgress.load().quizzes.sample.best") == 40
    page.evaluate("() => CourseProgress.reset()")
    page.reload()
    page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
    assert page.evaluate("() => CourseProgress.load().quizzes") == {}
    assert page.evaluate("k => localStorage.getItem(k)", OLD_KEY) is None
    assert page.watch.errors == []
