"""Issue 12: starting a course, adding to it, and the checks for what authors get wrong.

Each message has its exact line and text here; `course check`, its JSON and GitHub formats
and the preview's error box are compared with one another.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from builder.cli import main as course_main
from tests.helpers import build_ok, course, soup


def _subcommands() -> list[str]:
    import argparse

    from builder.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


SUBCOMMANDS = _subcommands()  # every one, including those other modules register


def _code(line: str) -> str:
    """A `course check` line as the error box's <code> shows it: its "(follows from ...)" is a note beside it."""
    return re.sub(r" \(follows from [^()]*\)$", "", line)


def new_course(tmp_path: Path, name: str = "my-course") -> Path:
    result = course("new", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path / name


def check(project: Path, *args: str):
    result = course("check", *args, cwd=project)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return result.returncode, lines, result.stderr


def write(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ---------------------------------------------------------------- course new / add


def test_new_course_passes_check_and_builds(tmp_path):
    project = new_course(tmp_path)
    for rel in (
        "mkdocs.yml",
        "README.md",
        ".gitignore",
        "content/index.md",
        "content/lessons/01-first-lesson.md",
        "content/practice/first-scenario.md",
        "quizzes/quiz-01-first-lesson.yml",
        "quizzes/first-scenario.yml",
    ):
        assert (project / rel).is_file(), rel
    config = (project / "mkdocs.yml").read_text()
    assert "id: my-course" in config and 'version: "1"' in config and "completion:" in config
    assert "# When is the course complete?" in config  # the rules are explained in comments
    code, lines, summary = check(project)
    assert code == 0 and lines == [], lines
    assert "0 error(s), 0 warning(s)" in summary
    site = build_ok(project)
    page = soup(site / "lessons" / "01-first-lesson.html")
    assert page.select_one("[data-module='cq-quiz']") is not None
    assert (site / "assets" / "course" / "quiz.js").is_file()  # the builder's theme files, no copy needed
    assert (site / "lessons" / "images" / "example.svg").is_file()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = course("new", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert "course new: taken exists and is not empty; choose a new folder" in result.stderr
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_add_lesson_writes_the_page_and_its_nav_entry_keeping_everything_else(tmp_path):
    project = new_course(tmp_path)
    config = project / "mkdocs.yml"
    before = config.read_text()
    result = course("add", "lesson", "02-listening", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "wrote content/lessons/02-listening.md" in result.stdout
    assert "added 'lessons/02-listening.md' to the nav after the other pages in lessons/" in result.stdout
    after = config.read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - lessons/02-listening.md"]
    assert after.replace("      - lessons/02-listening.md\n", "") == before  # comments and all kept
    assert "# Listening" in (project / "content/lessons/02-listening.md").read_text()
    code, lines, _ = check(project)
    # the templates' placeholder text is what is left to write (tests/test_lesson_checks.py)
    assert code == 0 and [line for line in lines if "placeholder text" not in line] == [], lines


def test_add_keeps_python_name_tags_env_tags_and_comments(tmp_path):
    project = new_course(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text().replace(
        "  - course                     # lets a page",
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "  - course                     # lets a page",
    )
    text = text.replace("nav:\n", "extra:\n  analytics: !ENV [ANALYTICS, none]\n\nnav:\n")
    config.write_text(text)
    assert course("add", "lesson", "02-more", cwd=project).returncode == 0
    after = config.read_text()
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in after
    assert "analytics: !ENV [ANALYTICS, none]" in after
    assert after.replace("      - lessons/02-more.md\n", "") == text


def test_add_quiz_and_scenario_to_a_page(tmp_path):
    project = new_course(tmp_path)
    assert course("add", "lesson", "02-listening", cwd=project).returncode == 0
    result = course("add", "quiz", "quiz-02-listening", "--page", "lessons/02-listening.md", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "added '::: quiz quiz-02-listening' at the end of content/lessons/02-listening.md" in result.stdout
    result = course("add", "scenario", "angry-caller", "--page", "lessons/02-listening.md", cwd=project)
    assert result.returncode == 0, result.stderr
    page = (project / "content/lessons/02-listening.md").read_text()
    assert page.rstrip().endswith("::: quiz quiz-02-listening\n\n::: scenario angry-caller")
    code, lines, _ = check(project)
    # the templates' placeholder text is what is left to write (tests/test_lesson_checks.py)
    assert code == 0 and [line for line in lines if "placeholder text" not in line] == [], lines


def test_add_refuses_bad_names_and_existing_files(tmp_path):
    project = new_course(tmp_path)
    result = course("add", "lesson", "My Lesson", cwd=project)
    assert result.returncode == 2
    assert "course add: 'My Lesson' is not a usable name: use lower-case letters, digits and hyphens" in (
        result.stderr
    )
    result = course("add", "quiz", "quiz-01-first-lesson", cwd=project)
    assert result.returncode == 1
    assert "course add: quizzes/quiz-01-first-lesson.yml exists already" in result.stderr
    outside = tmp_path / "empty"
    outside.mkdir()
    result = course("add", "lesson", "x", cwd=outside)
    assert result.returncode == 1 and "no mkdocs.yml" in result.stderr


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_help_has_description_exit_codes_and_example(command, capsys):
    assert {"new", "add", "check", "review", "paths"} <= set(SUBCOMMANDS)
    with pytest.raises(SystemExit) as done:
        course_main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out and "examples:" in out and f"course {command}" in out
    usage, _, rest = out.partition("\n\n")
    assert rest.split("\n\n")[0].strip(), "no description"


# ---------------------------------------------------------------- checks


def test_page_left_out_of_the_nav_is_a_warning(tmp_path):
    project = new_course(tmp_path)
    write(project, "content/lessons/02-forgotten.md", "# Forgotten\n")
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "content/lessons/02-forgotten.md:1: warning: this page is not in the nav of mkdocs.yml, so no "
        "menu leads to it; add '- lessons/02-forgotten.md' under 'nav:' (or list it under 'not_in_nav:' "
        "if that is meant)"
    ]


def test_nav_entry_without_a_page_is_an_error_at_its_line(tmp_path):
    project = new_course(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text().replace("lessons/01-first-lesson.md", "lessons/01-frist-lesson.md")
    config.write_text(text)
    line = text.splitlines().index("      - lessons/01-frist-lesson.md") + 1
    code, lines, _ = check(project)
    assert code == 1
    assert (
        f"mkdocs.yml:{line}: nav lists 'lessons/01-frist-lesson.md', which is not a page in content/ "
        "(did you mean 'lessons/01-first-lesson.md'?)"
    ) in lines


def test_pass_mark_written_as_a_fraction_warns(tmp_path):
    project = new_course(tmp_path)
    quiz = project / "quizzes/quiz-01-first-lesson.yml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 75 ", "pass_mark: 0.8"))
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "quizzes/quiz-01-first-lesson.yml:4: warning: pass_mark 0.8 is a percentage: learners pass with "
        "0.8 % (did you mean 80?)"
    ]


@pytest.mark.parametrize("qtype", ["single", "multiple"])
@pytest.mark.parametrize("word", ["yes", "'true'", "1", "on"])
def test_correct_must_be_true_or_false_at_the_options_line(tmp_path, qtype, word):
    project = new_course(tmp_path)
    write(
        project,
        "quizzes/q.yml",
        f"""\
        kind: quiz
        title: Q
        questions:
          - id: a
            type: {qtype}
            prompt: Pick
            options:
              - text: A
                correct: {word}
              - text: B
            explanation: Why
        """,
    )
    page = project / "content/lessons/01-first-lesson.md"
    page.write_text(page.read_text() + "\n::: quiz q\n")
    code, lines, _ = check(project)
    assert code == 1
    shown = {"yes": "'yes'", "'true'": "'true'", "1": "1", "on": "'on'"}[word]
    assert lines[0] == f"quizzes/q.yml:9: 'correct' should be true or false, got {shown}"
    assert not any(line.startswith("quizzes/q.yml:") for line in lines[1:] if "(follows from" not in line)


def test_missing_feedback_warns_and_the_course_can_turn_it_off(tmp_path):
    project = new_course(tmp_path)
    write(
        project,
        "quizzes/q.yml",
        """\
        kind: quiz
        title: Q
        questions:
          - id: a
            type: single
            prompt: Pick
            options:
              - {text: A, correct: true, feedback: Right}
              - {text: B}
          - {id: b, type: true_false, prompt: True?, answer: true}
        """,
    )
    page = project / "content/lessons/01-first-lesson.md"
    page.write_text(page.read_text() + "\n::: quiz q\n")
    scenario = project / "quizzes/first-scenario.yml"
    scenario.write_text(
        scenario.read_text().replace('        feedback: "Vague advice leaves Sam where they started."\n', "")
    )
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "quizzes/first-scenario.yml:30: warning: choice 2 of node 'listen' has no feedback: learners are "
        "not told why it helped or hurt (add 'feedback:')",
        "quizzes/q.yml:9: warning: option 2 of question 'a' has no feedback (add 'feedback:', or an "
        "'explanation:' to the question)",
        "quizzes/q.yml:10: warning: question 'b' has no explanation: learners are told only right or wrong "
        "(add 'explanation:', or both 'feedback_true:' and 'feedback_false:')",
    ]
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("# feedback_warnings: false", "feedback_warnings: false"))
    code, lines, _ = check(project)
    assert (code, lines) == (0, [])
    build_ok(project)  # MkDocs accepts the setting


YAML_CASES = {
    "curly quotes": (
        "kind: quiz\ntitle: \u201cCheck: your understanding\u201d\nquestions: []\n",
        "2: invalid YAML: this text starts with a curly quote \u201c, which YAML does not read as a quote; "
        'put straight quotes " " around the whole text (curly quotes inside them are fine)',
    ),
    "straight quote closed by a curly one": (
        'kind: quiz\ntitle: "Check your understanding\u201d\nquestions:\n  - id: a\n',
        '2: invalid YAML: this text starts with a straight quote " but ends with a curly quote \u201d; '
        'end it with a straight quote " too',
    ),
    "indented too little": (
        "kind: quiz\ntitle: T\nquestions:\n  - id: a\n    type: single\n    prompt: P\n    options:\n"
        "      - text: A\n        correct: true\n      - text: B\n       feedback: x\n",
        "11: invalid YAML: this line is not indented like the lines above it: it has 7 spaces; "
        "indent `feedback:` 8 spaces to line up with `text:` on line 10",
    ),
    "indented too much": (
        "kind: quiz\ntitle: T\nquestions:\n  - id: a\n    type: single\n    prompt: P\n     options:\n"
        "      - text: A\n",
        "7: invalid YAML: this line is not indented like the lines above it: it has 5 spaces; "
        "indent `options:` 4 spaces to line up with `prompt:` on line 6",
    ),
    "list item slipped left": (
        "kind: quiz\ntitle: T\nquestions:\n  - id: a\n    type: single\n    prompt: P\n    options:\n"
        "      - text: A\n        correct: true\n    - text: B\n",
        "10: invalid YAML: this line is not indented like the lines above it: it has 4 spaces; "
        "indent `- text:` 6 spaces to line up with the option on line 8",
    ),
    "slip after a quoted text over two lines": (
        'kind: quiz\ntitle: T\nquestions:\n  - id: a\n    type: single\n    prompt: "A long prompt\n'
        '      that goes on."\n    options:\n      - text: A\n        correct: true\n      - text: B\n'
        "       feedback: x\n",
        "12: invalid YAML: this line is not indented like the lines above it: it has 7 spaces; "
        "indent `feedback:` 8 spaces to line up with `text:` on line 11",
    ),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_yaml_hints_point_at_the_line_to_change(tmp_path, case):
    from builder.loader import load_text

    text, expected = YAML_CASES[case]
    loaded = load_text(text, "q.yml")
    assert [f"{p.line}: {p.message}" for p in loaded.problems] == [expected]


def test_key_at_the_wrong_level_says_so(tmp_path):
    project = new_course(tmp_path)
    quiz = project / "quizzes/quiz-01-first-lesson.yml"
    text = quiz.read_text().replace(
        '        feedback: "Not quite: the lesson', '    feedback: "Not quite: the lesson'
    )
    quiz.write_text(text)
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith('    feedback: "Not quite'))
    code, lines, _ = check(project)
    assert code == 1
    assert lines[0] == (
        f"quizzes/quiz-01-first-lesson.yml:{line}: unknown key 'feedback' here; 'feedback' belongs at "
        "another level: this line has 4 spaces; indent `feedback:` 8 spaces to line up with `text:` on line 13"
    )


DUPLICATE = """\
kind: scenario
title: S
start: a
nodes:
  a:
    text: A
    choices:
      - {text: go, to: d, feedback: f}
  c:
    text: C
    choices:
      - {text: go, to: d, feedback: f}
  d:
    ending: success
    text: D
  b:
    text: B
    choices:
      - {text: go, to: c, feedback: f}
  a:
    text: the real start
    choices:
      - {text: go, to: b, feedback: f}
"""


def test_root_cause_first_with_its_consequences_under_it(tmp_path):
    project = new_course(tmp_path)
    write(project, "quizzes/s.yml", DUPLICATE)
    page = project / "content/practice/first-scenario.md"
    page.write_text(page.read_text() + "\n::: scenario s\n")
    code, lines, _ = check(project)
    assert code == 1
    assert lines == [
        "quizzes/s.yml:20: duplicate node id 'a' (first defined on line 5)",
        "quizzes/s.yml:9: node 'c' cannot be reached from start node 'a' (follows from quizzes/s.yml:20)",
        "quizzes/s.yml:16: node 'b' cannot be reached from start node 'a' (follows from quizzes/s.yml:20)",
    ]
    code, lines, _ = check(project, "--format", "github")
    assert lines == [
        "::error file=quizzes/s.yml,line=20::duplicate node id 'a' (first defined on line 5)",
        "::error file=quizzes/s.yml,line=9::node 'c' cannot be reached from start node 'a' "
        "(follows from quizzes/s.yml:20)",
        "::error file=quizzes/s.yml,line=16::node 'b' cannot be reached from start node 'a' "
        "(follows from quizzes/s.yml:20)",
    ]
    result = course("check", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert [(e["path"], e["line"], e["severity"], e["message"]) for e in data] == [
        ("quizzes/s.yml", 20, "error", "duplicate node id 'a' (first defined on line 5)"),
        ("quizzes/s.yml", 9, "error", "node 'c' cannot be reached from start node 'a'"),
        ("quizzes/s.yml", 16, "error", "node 'b' cannot be reached from start node 'a'"),
    ]
    assert data[1]["caused_by"] == {
        "path": "quizzes/s.yml",
        "line": 20,
        "message": "duplicate node id 'a' (first defined on line 5)",
    }
    assert data[0]["text"] == "quizzes/s.yml:20: duplicate node id 'a' (first defined on line 5)"


def test_github_format_escapes_and_marks_warnings(tmp_path):
    project = new_course(tmp_path)
    quiz = project / "quizzes/quiz-01-first-lesson.yml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 75 ", "pass_mark: 0.8"))
    code, lines, _ = check(project, "--format", "github")
    assert lines == [
        "::warning file=quizzes/quiz-01-first-lesson.yml,line=4::pass_mark 0.8 is a percentage: learners "
        "pass with 0.8 %25 (did you mean 80?)"
    ]


# ---------------------------------------------------------------- the preview's error box


def _render_page(project: Path, page: str) -> str:
    import markdown

    from builder.markdown_ext import CourseExtension
    from builder.project import check_course, read_project

    loaded, _, _ = check_course(read_project(project))
    ext = CourseExtension(root=str(project))
    ext.set_course(loaded)
    ext.set_page(page)
    return markdown.Markdown(extensions=[ext]).convert((project / "content" / page).read_text())


def test_error_box_shows_course_checks_lines_and_names_the_file(tmp_path, monkeypatch):
    project = new_course(tmp_path)
    monkeypatch.chdir(project)
    write(project, "quizzes/s.yml", DUPLICATE)
    page = project / "content/practice/first-scenario.md"
    page.write_text(page.read_text() + "\n::: scenario s\n\n::: quiz no-such-quiz\n")
    _, lines, _ = check(project)
    html = soup_of(_render_page(project, "practice/first-scenario.md"))
    boxes = html.select(".cq-build-error")
    assert len(boxes) == 2
    scenario_box, page_box = boxes
    assert scenario_box.select_one(".admonition-title").get_text() == (
        "This scenario (s) cannot be shown: fix quizzes/s.yml"
    )
    shown = [code.get_text() for code in scenario_box.select("li code")]
    assert shown == [_code(line) for line in lines if line.startswith("quizzes/s.yml")]
    assert [li.get("class") for li in scenario_box.select("li")] == [
        None,
        ["cq-build-error__follows"],
        ["cq-build-error__follows"],
    ]
    # a bad embed: the lesson is at fault, and the box says so with course check's line
    assert page_box.select_one(".admonition-title").get_text() == (
        "This quiz (no-such-quiz) cannot be shown: fix content/practice/first-scenario.md"
    )
    page_lines = [code.get_text() for code in page_box.select("li code")]
    assert page_lines == [line for line in lines if line.startswith("content/practice/first-scenario.md")]
    assert page_lines and "quiz 'no-such-quiz' does not exist" in page_lines[0]


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


# ---------------------------------------------------------------- review and paths


def test_review_document_marks_answers_feedback_and_scenario_script(tmp_path):
    project = new_course(tmp_path)
    result = course("review", "-o", "review.html", cwd=project)
    assert result.returncode == 0, result.stderr
    doc = soup(project / "review.html")
    assert doc.select_one("h1").get_text() == "My course"
    assert "@media print" in doc.select_one("style").get_text()
    assert not doc.select("script, link[rel=stylesheet], img[src^=http]")  # one self-contained file
    quiz = doc.select_one("section#quiz-01-first-lesson")
    assert "Pass mark: 75% · 3 of 4 right answers pass" in quiz.get_text(" ", strip=True)
    first = quiz.select(".question")[0]
    right = first.select("li.right")
    assert [li.select_one(".mark").get_text() for li in first.select("li")] == ["Right", "Wrong"]
    assert "A YAML file in the quizzes folder" in right[0].get_text()
    assert "Right: each quiz is one file in quizzes/" in right[0].select_one(".feedback").get_text()
    assert "Lessons are Markdown" in first.select_one(".explanation").get_text()
    texts = quiz.get_text(" ", strip=True)
    assert "The answer is True." in texts and "Accepted answers: content ; content/" in texts
    scenario = doc.select_one("section#first-scenario")
    rows = scenario.select("table.script tbody tr")
    assert [r.select_one("td code").get_text() for r in rows] == ["hello", "listen", "helped", "brushed_off"]
    listen = rows[1].get_text(" ", strip=True)
    assert "→ helped" in listen and "Offered only when trust ≥ 2" in listen
    assert "Clear and specific" in listen
    assert "Effects: trust +1" in rows[0].get_text(" ", strip=True)
    endings = scenario.select("table")[-1].select("tbody tr")
    assert [[td.get_text(" ", strip=True) for td in r.select("td")] for r in endings] == [
        ["helped", "success", "hello [1] → listen [1] → helped", "trust 2"],
        ["brushed_off", "failure", "hello [2] → brushed_off", "trust 0"],
    ]


def test_pass_count_is_exact():
    from builder.review import pass_count

    assert pass_count(75, 4) == "3 of 4 right answers pass"
    assert pass_count(80, 9) == "8 of 9 right answers pass"  # 7/9 = 78 %
    assert pass_count(67, 3) == "2 of 3 right answers pass"  # 2/3 rounds to 67 %: exactly the mark passes
    assert pass_count(0, 5) == "0 of 5 right answers pass"


def test_paths_lists_every_path_to_each_ending_with_meters(tmp_path):
    project = new_course(tmp_path)
    result = course("paths", "first-scenario", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Scenario first-scenario: A first conversation\n"
        "Meters at the start: trust 1\n"
        "3 path(s) to an ending\n"
        "\n"
        "ending 'helped' (success): 1 path(s)\n"
        "  1. hello -[1]-> listen -[1]-> helped   (trust 2)\n"
        "\n"
        "ending 'brushed_off' (failure): 2 path(s)\n"
        "  1. hello -[1]-> listen -[2]-> brushed_off   (trust 2)\n"
        "  2. hello -[2]-> brushed_off   (trust 0)\n"
    )
    result = course("paths", "first-scenari", cwd=project)
    assert result.returncode == 1
    assert "course paths: no scenario 'first-scenari' in quizzes/; scenarios: first-scenario" in result.stderr


def test_paths_counts_when_there_are_too_many(tmp_path):
    from builder.scenario_paths import paths_report

    nodes = {
        f"n{i}": {
            "text": "t",
            "choices": [{"text": "a", "to": f"n{i + 1}"}, {"text": "b", "to": f"n{i + 1}"}],
        }
        for i in range(12)
    }
    nodes["n12"] = {"ending": "success", "text": "done"}
    report = paths_report("wide", {"title": "Wide", "start": "n0", "nodes": nodes}, keep=2)
    assert "4,096 path(s) to an ending" in report
    assert "  ... and 4,094 more (--all lists them all)" in report
    report = paths_report("wide", {"title": "Wide", "start": "n0", "nodes": nodes}, keep=2, limit=1000)
    assert "more than 1,000 path(s) to an ending" in report


def test_end_to_end_new_edit_add_check_build_review(tmp_path):
    """Issue 12's workflow: course new -> edit -> course add -> course check -> build -> course review."""
    project = new_course(tmp_path, "induction")
    lesson = project / "content/lessons/01-first-lesson.md"
    lesson.write_text(lesson.read_text().replace("# First lesson", "# Welcome to the team"))
    assert course("add", "lesson", "02-safety", "--title", "Safety first", cwd=project).returncode == 0
    assert (
        course("add", "quiz", "quiz-02-safety", "--page", "lessons/02-safety.md", cwd=project).returncode == 0
    )
    code, lines, summary = check(project)
    left = [line for line in lines if "template's placeholder text" in line]  # what is left to write
    assert left and (code, [line for line in lines if line not in left]) == (0, []), lines
    assert f"2 quizzes, 1 scenario, 3 embeds: 0 error(s), {len(left)} warning(s)" in summary
    site = build_ok(project)
    page = soup(site / "lessons" / "02-safety.html")
    assert page.select_one("h1").get_text() == "Safety first"
    assert page.select_one("[data-module='cq-quiz']") is not None
    nav_links = [a.get("href") for a in soup(site / "index.html").select("nav a")]
    assert any(h and h.endswith("lessons/02-safety.html") for h in nav_links)
    result = course("review", "-o", "review.html", cwd=project)
    assert result.returncode == 0, result.stderr
    review = soup(project / "review.html")
    assert [s.get("id") for s in review.select("section.quiz")] == ["quiz-01-first-lesson", "quiz-02-safety"]


# ---------------------------------------------------------------- the flagship's guide and home page


def test_home_page_module_table_matches_the_nav():
    """The home page's module table lists the nav's modules, in the nav's order (issue 12)."""
    import re

    from builder.project import read_project
    from tests.helpers import REPO

    project = read_project(REPO)
    modules = next(
        entry["Modules"] for entry in project.nav if isinstance(entry, dict) and "Modules" in entry
    )
    home = (REPO / "content" / "index.md").read_text(encoding="utf-8")
    table = home.split("## Module map", 1)[1].split("\n## ", 1)[0]
    linked = re.findall(r"^\|[^|]*\|\s*\[[^\]]*\]\(([^)]+\.md)\)", table, re.M)
    assert linked == [m if isinstance(m, str) else next(iter(m.values())) for m in modules]


def test_guide_covers_what_an_author_needs():
    from tests.helpers import REPO

    guide = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "content" / "guide").glob("*.md")}
    start, lessons, marking = guide["start.md"], guide["lessons.md"], guide["marking.md"]
    assert "course new" in start and "## Add a page to the menu" in start and "nav:" in start
    assert "## Completion rules" in start and "## Where files go" in start
    assert "Objectives" in lessons and "## Pictures" in lessons
    for words in ("One mark per question", "A score equal to the pass mark passes", "punctuation",
                  "## Requirements and effects in scenarios", "feedback_warnings: false"):  # fmt: skip
        assert words in marking, words
    config = (REPO / "handbook.yml").read_text(encoding="utf-8")  # the guide is built by handbook.yml
    for page in ("start", "lessons", "marking", "review"):
        assert f"guide/{page}.md" in config


def test_pages_listed_under_not_in_nav_are_not_reported(tmp_path):
    project = new_course(tmp_path)
    write(project, "content/drafts/idea.md", "# Idea\n")
    write(project, "content/lessons/02-forgotten.md", "# Forgotten\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nnot_in_nav: |\n  /drafts/\n")
    code, lines, _ = check(project)
    assert code == 0
    assert [line.split(":")[0] for line in lines] == ["content/lessons/02-forgotten.md"]
    result = course("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "content/lessons/02-forgotten.md:1: warning: this page is not in the nav" in result.stderr
    assert "drafts/idea.md:1" not in result.stderr


def test_serve_error_box_says_what_course_check_says(tmp_path):
    """In `mkdocs serve`, the red box lists course check's lines for the file at fault, in its order."""
    import subprocess

    from tests.helpers import ENV, PYTHON
    from tests.test_serve import _free_port, _get, _wait_for

    project = new_course(tmp_path)
    write(project, "quizzes/s.yml", DUPLICATE)
    page = project / "content/practice/first-scenario.md"
    page.write_text(page.read_text() + "\n::: scenario s\n\n::: quiz quiz-01-frist-lesson\n")
    _, lines, _ = check(project)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        html = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/practice/first-scenario.html"))
        boxes = soup_of(html).select(".cq-build-error")
        assert [b.select_one(".admonition-title").get_text() for b in boxes] == [
            "This scenario (s) cannot be shown: fix quizzes/s.yml",
            "This quiz (quiz-01-frist-lesson) cannot be shown: fix content/practice/first-scenario.md",
        ]
        for box, path in zip(boxes, ["quizzes/s.yml", "content/practice/first-scenario.md"], strict=True):
            shown = [code.get_text() for code in box.select("li code")]
            assert shown == [_code(line) for line in lines if line.startswith(path + ":")]
        assert "(did you mean 'quiz-01-first-lesson'?)" in shown[-1]
        log.seek(0)
        logged = log.read()
        for line in lines:
            assert line.strip() in logged
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_home_page_table_is_kept_with_the_nav(tmp_path):
    project = new_course(tmp_path)
    result = course("add", "lesson", "02-listening", "--title", "Listening", cwd=project)
    assert "added a row for it to the table on content/index.md" in result.stdout
    home = project / "content/index.md"
    assert (
        "| 2 | [Listening](lessons/02-listening.md) | First thing the learner will be able to do |"
        in home.read_text().splitlines()
    )  # never an empty cell (tests/test_author_trial.py)
    code, lines, _ = check(project)
    assert (code, [line for line in lines if "template's placeholder text" not in line]) == (0, [])
    # a lesson added to the nav by hand but not to the table: a warning at the table
    write(project, "content/lessons/03-apology.md", "# Apology\n")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "      - lessons/02-listening.md\n",
            "      - lessons/02-listening.md\n      - lessons/03-apology.md\n",
        )
    )
    line = (
        home.read_text()
        .splitlines()
        .index("| 1 | [First lesson](lessons/01-first-lesson.md) | What this course is about |")
        + 1
    )
    code, lines, _ = check(project)
    lines = [line for line in lines if "template's placeholder text" not in line]
    assert code == 0
    assert lines == [
        f"content/index.md:{line}: warning: the table on the home page lists the pages of 'Lessons' but "
        "not 'lessons/03-apology.md'; add a row for it"
    ]


def test_add_lesson_to_the_flagship_goes_with_its_modules(tmp_path):
    """A course whose lessons live in modules/ (the flagship): the new lesson goes there, after
    the other modules, and nothing else in mkdocs.yml changes."""
    import shutil

    from tests.helpers import REPO

    project = tmp_path / "flagship"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "quizzes", project / "quizzes")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    before = (project / "mkdocs.yml").read_text()
    result = course("add", "lesson", "10-follow-up", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "wrote content/modules/10-follow-up.md" in result.stdout
    after = (project / "mkdocs.yml").read_text()
    assert after == before.replace(
        "      - modules/09-final-assessment.md\n",
        "      - modules/09-final-assessment.md\n      - modules/10-follow-up.md\n",
    )
    home = (project / "content/index.md").read_text()
    # no empty cell: the lesson's first objective, and the reading time under Minutes
    assert (
        "| 10 | [Follow up](modules/10-follow-up.md) | First thing the learner will be able to do | 5 |"
        in home
    )


def test_serve_shows_a_pages_own_problems_at_its_top(tmp_path):
    import subprocess

    from tests.helpers import ENV, PYTHON
    from tests.test_serve import _free_port, _get, _wait_for

    project = new_course(tmp_path)
    page = project / "content/lessons/01-first-lesson.md"
    page.write_text(page.read_text() + "\n::: quizz quiz-01-first-lesson\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("assessment: quiz-01-first-lesson", "assessment: quiz-01"))
    _, lines, _ = check(project)
    assert [line.split(":")[0] for line in lines] == ["content/lessons/01-first-lesson.md", "mkdocs.yml"]
    port = _free_port()
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        html = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/lessons/01-first-lesson.html"))
        settings, box = soup_of(html).select(".cq-build-error")[:2]
        assert settings.select_one(".admonition-title").get_text() == (
            "The course settings have 1 problem: fix mkdocs.yml"
        )
        assert [code.get_text() for code in settings.select("li code")] == lines[1:]
        assert box.select_one(".admonition-title").get_text() == (
            "This page has 1 problem: fix content/lessons/01-first-lesson.md"
        )
        assert [code.get_text() for code in box.select("li code")] == lines[:1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_builder_folder_and_file_is_declared_for_packaging():
    """No setuptools "Package would be ignored" warnings: every folder under builder/ is a declared
    package and every data file in it matches package-data (issue 12, item 7)."""
    import fnmatch

    try:
        import tomllib
    except ImportError:  # Python 3.10
        pytest.skip("tomllib needs Python 3.11")

    from setuptools import find_namespace_packages

    from tests.helpers import REPO

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    find = config["packages"]["find"]
    assert find.get("namespaces", True) is True
    found = set(find_namespace_packages(where=str(REPO), include=find["include"]))
    data = config["package-data"]["*"]
    for folder in (REPO / "builder").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__":
            assert ".".join(folder.relative_to(REPO).parts) in found, folder
        elif folder.is_file() and folder.suffix not in (".py", ".pyc"):
            assert any(fnmatch.fnmatch(folder.name, pattern) for pattern in data), folder
