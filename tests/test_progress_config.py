"""Completion rules in mkdocs.yml (validated at build time) and the course manifest progress reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.manifest import read_manifest
from tests.helpers import Server, build_ok, make_project, mkdocs_build

SCENARIO = """\
kind: scenario
title: Tiny scenario
start: a
nodes:
  a:
    text: "Start here."
    choices:
      - {text: "Listen", to: win}
      - {text: "Argue", to: lose}
  win: {ending: success, text: "Well done."}
  lose: {ending: failure, text: "That went badly."}
"""
FILES = {
    "quizzes/tiny.yml": SCENARIO,
    "content/practice.md": "# Practice\n\n::: scenario tiny\n",
    "content/progress.md": '# My progress\n\n<div data-module="cq-progress-page"></div>\n',
    "content/done.md": '# Certificate\n\n<div data-module="cq-completion"></div>\n',
}
NAV = """\
nav:
  - Start: index.md
  - Lessons:
      - other.md
      - practice.md
  - You:
      - progress.md
      - done.md
"""


def project(tmp_path: Path, completion: str, extra_files: dict | None = None) -> Path:
    proj = make_project(
        tmp_path / "p",
        {**FILES, **(extra_files or {})},
        fixture="basic",
        mkdocs_yml=None,
    )
    text = (proj / "mkdocs.yml").read_text(encoding="utf-8")
    head, _, _ = text.partition("      completion:")
    tail = text[text.index("markdown_extensions:") :]
    (proj / "mkdocs.yml").write_text(head + completion + tail + NAV, encoding="utf-8")
    return proj


def failing_build(proj: Path) -> str:
    result = mkdocs_build(proj, proj / "site")
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


def line_of(proj: Path, needle: str) -> int:
    lines = (proj / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_a_typo_in_a_quiz_id_is_a_build_error_naming_mkdocs_yml(tmp_path):
    proj = project(tmp_path, "      completion:\n        pass: [samle]\n        finish: all\n")
    out = failing_build(proj)
    line = line_of(proj, "pass: [samle]")
    assert f"mkdocs.yml:{line}: completion: pass: 'samle' is not a quiz" in out
    assert "did you mean 'sample'?" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    "completion, needle, message",
    [
        (
            "        pass: [tiny]\n",
            "pass: [tiny]",
            "pass: 'tiny' is a scenario, not a quiz; list it under finish",
        ),
        (
            "        finish: [sample]\n",
            "finish: [sample]",
            "finish: 'sample' is a quiz, not a scenario; list it under pass",
        ),
        ("        finsh: all\n", "finsh: all", "unknown setting 'finsh' (did you mean 'finish'?)"),
        ("        finish: some\n", "finish: some", 'finish must be "all" or a list of scenario ids'),
        ("        assessment: final\n", "assessment: final", "assessment: 'final' is not a quiz"),
        ("        pass: [spare]\n", "pass: [spare]", "pass: quiz 'spare' is not on any page"),
    ],
    ids=["scenario-as-quiz", "quiz-as-scenario", "unknown-key", "bad-value", "bad-assessment", "unused-quiz"],
)
def test_completion_mistakes_are_reported_with_a_line(tmp_path, completion, needle, message):
    spare = (Path(__file__).parent / "fixtures" / "basic" / "quizzes" / "sample.yml").read_text(
        encoding="utf-8"
    )
    proj = project(tmp_path, "      completion:\n" + completion, {"quizzes/spare.yml": spare})
    out = failing_build(proj)
    assert f"mkdocs.yml:{line_of(proj, needle)}: completion: {message}" in out, out


def test_manifest_resolves_completion_nav_and_tool_pages(tmp_path):
    proj = project(
        tmp_path,
        "      version: '3.1'\n      progress_version: 4\n"
        "      completion:\n        pass: all\n        finish: all\n        assessment: sample\n",
    )
    site = build_ok(proj)
    manifest = read_manifest(site)
    assert manifest["storage_key"] == "course:fixture:v4"
    assert manifest["version"] == "3.1"
    assert manifest["completion"] == {"pass": ["sample"], "finish": ["tiny"], "assessment": "sample"}
    assert [p["url"] for p in manifest["pages"]] == [
        "index.html",
        "other.html",
        "practice.html",
        "progress.html",
        "done.html",
    ]  # fmt: skip  (navigation order)
    assert manifest["nav"] == [
        {"title": None, "pages": ["index.html"]},
        {"title": "Lessons", "pages": ["other.html", "practice.html"]},
        {"title": "You", "pages": ["progress.html", "done.html"]},
    ]
    tools = {p["url"]: p.get("tool") for p in manifest["pages"]}
    assert tools == {
        "index.html": None, "other.html": None, "practice.html": None, "progress.html": "progress", "done.html": "completion",
    }  # fmt: skip
    assert manifest["items"]["sample"]["pass_mark"] == 75 and manifest["items"]["sample"]["pages"] == [
        "index.html"
    ]
    assert manifest["items"]["tiny"]["kind"] == "scenario"


@pytest.mark.browser
def test_bare_hooks_still_show_progress_and_what_is_left(tmp_path, page):
    """`<div data-module="cq-progress-page"></div>` alone (no buttons in the page) shows the progress."""
    proj = project(tmp_path, "      completion:\n        pass: all\n        finish: all\n")
    site = build_ok(proj)
    with Server(site, prefix="/x/") as server:
        page.goto(server.url + "index.html")
        page.wait_for_function("() => window.CourseProgress && CourseProgress.state")
        page.goto(server.url + "progress.html")
        summary = page.locator(".cq-summary").inner_text()
        assert "Quizzes passed: 0 of 1" in summary and "Scenarios finished: 0 of 1" in summary
        assert (
            page.locator("li.cq-page", has_text="Start").locator(".cq-item__status").first.inner_text()
            == "Started"
        )
        page.goto(server.url + "done.html")
        items = page.locator("[data-requirements] > li")
        assert items.count() == 2 and "Quiz: Sample check" in items.first.inner_text()
    assert page.watch.errors == []


def test_without_completion_rules_every_quiz_and_scenario_counts(tmp_path):
    proj = project(tmp_path, "")
    manifest = read_manifest(build_ok(proj))
    assert manifest["completion"] == {"pass": ["sample"], "finish": ["tiny"], "assessment": None}
