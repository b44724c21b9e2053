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
