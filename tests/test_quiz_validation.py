"""Every quiz validation rule, as an author meets it: `path:line: message`, exit status."""

from __future__ import annotations

import textwrap

import pytest

from builder.cli import main as course_main
from tests.helpers import make_project, mkdocs_build

LESSON = "# Lesson\n\nSome text.\n\n::: quiz q\n"

GOOD = """\
kind: quiz
title: Check
pass_mark: 75
questions:
  - id: one
    type: single
    prompt: "Pick one"
    options:
      - {text: "Right", correct: true, feedback: "Yes"}
      - {text: "Wrong", feedback: "No"}
  - {id: tf, type: true_false, prompt: "True?", answer: false, explanation: "Why"}
  - {id: word, type: text, prompt: "Word?", accept: ["listen"], explanation: "Why"}
  - {id: steps, type: order, prompt: "Order", items: ["a", "b", "c"], explanation: "Why"}
  - id: many
    type: multiple
    prompt: "Pick some"
    options:
      - {text: "A", correct: true, feedback: "Yes"}
      - {text: "B", correct: true, feedback: "Yes"}
      - {text: "C", feedback: "No"}
"""


def check(tmp_path, quiz: str | bytes, lesson: str = LESSON, extra: dict | None = None):
    files = {
        "content/index.md": lesson,
        "quizzes/q.yml": quiz if isinstance(quiz, bytes) else textwrap.dedent(quiz),
    }
    files.update(extra or {})
    project = make_project(tmp_path / "p", files)
    return project


def run_check(project, capsys) -> tuple[int, list[str]]:
    code = course_main(["-C", str(project), "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, [line for line in out.out.splitlines() if line.strip()]


def test_valid_quiz_is_clean(tmp_path, capsys):
    code, lines = run_check(check(tmp_path, GOOD), capsys)
    assert code == 0
    assert lines == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            GOOD.replace('{text: "Right", correct: true', '{text: "Right", corect: true'),
            "quizzes/q.yml:9: unknown key 'corect' (did you mean 'correct'?)",
        ),
        (
            GOOD.replace("pass_mark: 75", "pass_mark: lots"),
            "quizzes/q.yml:3: 'pass_mark' should be a number, got 'lots'",
        ),
        (
            GOOD.replace("pass_mark: 75", "pass_mark: 120"),
            "quizzes/q.yml:3: 'pass_mark' must be at most 100, got 120",
        ),
        (GOOD.replace('    prompt: "Pick one"\n', ""), "quizzes/q.yml:5: missing required key 'prompt'"),
        (GOOD.replace("title: Check\n", ""), "quizzes/q.yml:1: missing required key 'title'"),
        (
            GOOD.replace('{text: "Wrong", feedback: "No"}', '{text: "Wrong", correct: true}'),
            "quizzes/q.yml:8: single-choice question 'one' needs exactly one option with correct: true, found 2",
        ),
        (
            GOOD.replace('{text: "Right", correct: true, feedback: "Yes"}', '{text: "Right"}'),
            "quizzes/q.yml:8: single-choice question 'one' needs exactly one option with correct: true, found 0",
        ),
        (
            GOOD.replace('{text: "A", correct: true,', '{text: "A",').replace(
                '{text: "B", correct: true,', '{text: "B",'
            ),
            "quizzes/q.yml:17: multiple-choice question 'many' has no option with correct: true",
        ),
        (
            GOOD.replace("type: single", "type: singel"),
            "quizzes/q.yml:6: unknown question type 'singel'; use one of single, multiple, true_false, text, order",
        ),
        (
            GOOD.replace("answer: false", "answer: maybe"),
            "quizzes/q.yml:11: 'answer' should be true or false, got 'maybe'",
        ),
        (GOOD.replace('accept: ["listen"]', "accept: []"), "quizzes/q.yml:12: 'accept' must not be empty"),
        (
            GOOD.replace('items: ["a", "b", "c"]', 'items: ["a"]'),
            "quizzes/q.yml:13: 'items' needs at least 2 items",
        ),
        (
            GOOD.replace("id: word", "id: tf"),
            "quizzes/q.yml:12: duplicate question id 'tf' (first used on line 11)",
        ),
        (
            GOOD.replace("kind: quiz", "kind: quizz"),
            "quizzes/q.yml:1: 'kind' must be quiz or scenario, got 'quizz'",
        ),
        (GOOD + "questions: []\n", "quizzes/q.yml:21: duplicate key 'questions' (first defined on line 4)"),
        (GOOD.replace("title: Check", "title: Check: again"), "quizzes/q.yml:2: invalid YAML"),
        (
            GOOD.replace("questions:\n", "questions: []\nx:\n", 1).split("  - id: one")[0],
            "quizzes/q.yml:5: unknown key 'x'",
        ),
        (
            GOOD.replace('    prompt: "Pick one"', '\tprompt: "Pick one"'),
            "quizzes/q.yml:7: tab character in indentation; YAML indents with spaces only",
        ),
        ("kind: quiz\ntitle: T\nquestions: []\n", "quizzes/q.yml:3: 'questions' must not be empty"),
        ("", "quizzes/q.yml:1: file is empty"),
        ("- just\n- a list\n", "quizzes/q.yml:1: a quiz or scenario file must be a mapping"),
    ],
)
def test_each_rule_names_file_and_line(tmp_path, capsys, broken, expected):
    code, lines = run_check(check(tmp_path, broken), capsys)
    assert code == 1
    assert any(line.startswith(expected) for line in lines), lines


def test_every_error_at_once(tmp_path, capsys):
    broken = (
        GOOD.replace("corre", "corect", 1)
        .replace("pass_mark: 75", "pass_mark: x")
        .replace("type: text", "type: txt")
    )
    code, lines = run_check(check(tmp_path, broken), capsys)
    assert code == 1
    assert len([line for line in lines if line.startswith("quizzes/q.yml:")]) >= 3


def test_lesson_embedding_missing_quiz(tmp_path, capsys):
    project = check(tmp_path, GOOD, lesson="# L\n\n::: quiz q\n\nText\n\n::: quiz nope\n")
    code, lines = run_check(project, capsys)
    assert code == 1
    assert any(line.startswith("content/index.md:7: quiz 'nope' does not exist") for line in lines), lines


def test_embed_in_fenced_code_is_not_an_embed(tmp_path, capsys):
    project = check(tmp_path, GOOD, lesson="# L\n\n::: quiz q\n\n```markdown\n::: quiz example\n```\n")
    code, _ = run_check(project, capsys)
    assert code == 0


def test_unused_quiz_is_a_warning_not_an_error(tmp_path, capsys):
    project = check(tmp_path, GOOD, extra={"quizzes/spare.yml": GOOD})
    code, lines = run_check(project, capsys)
    assert code == 0
    assert any(line.startswith("quizzes/spare.yml:1: warning:") and "not used" in line for line in lines), (
        lines
    )


def test_link_to_missing_lesson_is_reported(tmp_path, capsys):
    broken = GOOD.replace('feedback: "Yes"', 'feedback: "See [this](nowhere.md)"')
    code, lines = run_check(check(tmp_path, broken), capsys)
    assert code == 1
    assert any(line.startswith("quizzes/q.yml:9: link to 'nowhere.md'") for line in lines), lines


def test_bad_file_name_is_reported(tmp_path, capsys):
    project = check(tmp_path, GOOD, extra={"quizzes/Bad Name.yml": GOOD})
    code, lines = run_check(project, capsys)
    assert code == 1
    assert any("must be lower-case letters, digits and hyphens" in line for line in lines)


def test_mkdocs_build_fails_with_the_same_messages(tmp_path):
    broken = GOOD.replace('{text: "Right", correct: true', '{text: "Right", corect: true')
    project = check(tmp_path, broken)
    result = mkdocs_build(project)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "quizzes/q.yml:9: unknown key 'corect' (did you mean 'correct'?)" in output
    assert "Traceback" not in output


def test_course_check_runs_from_the_project_folder(tmp_path):
    from tests.helpers import course

    project = check(tmp_path, GOOD.replace("pass_mark: 75", "pass_mark: x"))
    result = course("check", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("quizzes/q.yml:3: ")
