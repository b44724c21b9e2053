"""Issue 12, second newcomer trial: YAML slips get advice that makes the file valid.

Each test writes YAML, runs ``course check`` (and ``course build`` where the build reads the
file too) as a subprocess and compares the exact ``path:line: message`` lines.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers import course, make_project

QUIZ = """\
kind: quiz
title: Quiz
pass_mark: 80
questions:
  - id: q1
    type: single
    prompt: Which one?
    options:
      - text: A
        correct: true
        feedback: Yes.
      - text: B
        feedback: No.
    explanation: Because.
"""


def project_with(tmp_path: Path, files: dict[str, str], mkdocs_yml: str | None = None) -> Path:
    files = {k: textwrap.dedent(v) for k, v in files.items()}
    files.setdefault("content/index.md", "# Home\n\n::: quiz q\n")
    return make_project(tmp_path / "p", files, mkdocs_yml=mkdocs_yml)


def check(project: Path) -> tuple[int, list[str]]:
    result = course("check", cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, [line for line in result.stdout.splitlines() if line.strip()]


def errors(project: Path) -> list[str]:
    return [line for line in check(project)[1] if ": warning: " not in line]


def set_line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


# ---------------------------------------------------------------- 3. advice that makes the file valid


@pytest.mark.parametrize("indent", [0, 2, 6])
def test_indentation_advice_puts_the_key_where_the_schema_allows_it(tmp_path, indent):
    text = set_line(QUIZ, 14, " " * indent + "explanation: Because.")
    project = project_with(tmp_path, {"quizzes/q.yml": text})
    got = errors(project)
    assert len(got) == 1, got
    assert got[0].startswith("quizzes/q.yml:14: ")
    assert f"it has {indent} spaces" in got[0] or f"this line has {indent} spaces" in got[0]
    assert "indent `explanation:` 4 spaces" in got[0], got[0]
    # following the advice gives a valid file
    fixed = set_line(QUIZ, 14, "    explanation: Because.")
    assert errors(project_with(tmp_path / "fixed", {"quizzes/q.yml": fixed})) == []


def test_indentation_advice_after_a_parse_error(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": set_line(QUIZ, 14, "  explanation: Because.")})
    assert errors(project) == [
        "quizzes/q.yml:14: invalid YAML: this line is not indented like the lines above it: it has "
        "2 spaces; indent `explanation:` 4 spaces to line up with `options:` on line 8"
    ]


def test_a_key_at_the_top_level_says_how_many_spaces(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": set_line(QUIZ, 14, "explanation: Because.")})
    assert errors(project) == [
        "quizzes/q.yml:14: unknown key 'explanation' here; 'explanation' belongs at another level: "
        "this line has 0 spaces; indent `explanation:` 4 spaces to line up with `options:` on line 8"
    ]


# ---------------------------------------------------------------- 4. misspelt keys are not indentation


def test_choices_instead_of_options_is_a_misspelling(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("options:", "choices:")})
    assert errors(project) == ["quizzes/q.yml:8: unknown key 'choices' (did you mean 'options'?)"]


def test_answer_instead_of_text_in_an_option(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("- text: B", "- answer: B")})
    assert errors(project) == ["quizzes/q.yml:12: unknown key 'answer' (did you mean 'text'?)"]


def test_a_close_misspelling_in_a_scenario_choice(tmp_path):
    scenario = """\
    kind: scenario
    title: S
    start: a
    nodes:
      a:
        text: Start
        choices:
          - text: Go
            too: b
            feedback: f
      b:
        text: End
        ending: success
    """
    project = project_with(
        tmp_path, {"quizzes/s.yml": scenario, "content/index.md": "# Home\n\n::: scenario s\n"}
    )
    got = errors(project)
    assert got[0] == "quizzes/s.yml:9: unknown key 'too' (did you mean 'to'?)"
    assert got[1:] and all(line.endswith("(follows from quizzes/s.yml:9)") for line in got[1:]), got


def test_an_unknown_key_known_nowhere_lists_the_keys_allowed_here(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("feedback: No.", "colour: red")})
    assert errors(project) == [
        "quizzes/q.yml:13: unknown key 'colour' here; use one of: text, correct, feedback, pin"
    ]


# ---------------------------------------------------------------- 5. the cause first


def test_a_misspelt_correct_comes_before_its_consequence(tmp_path):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("correct: true", "corect: true")})
    assert errors(project) == [
        "quizzes/q.yml:10: unknown key 'corect' (did you mean 'correct'?)",
        "quizzes/q.yml:8: single-choice question 'q1' needs exactly one option with correct: true, "
        "found 0 (follows from quizzes/q.yml:10)",
    ]


# ---------------------------------------------------------------- 1. and 2. mkdocs.yml

MKDOCS = """\
site_name: T
docs_dir: content
nav:
  - Home: index.md
  - Quiz page: quiz.md
theme:
  name: material
  custom_dir: {overrides}
plugins:
  - course:
      id: test-course
      completion:
        pass: [q]
markdown_extensions:
  - course
"""
OVERRIDES = str(Path(__file__).resolve().parent.parent / "site_overrides")


def config_project(tmp_path: Path, mkdocs_yml: str, **extra: str) -> Path:
    files = {
        "quizzes/q.yml": QUIZ,
        "content/quiz.md": "# Quiz\n\n::: quiz q\n",
        "content/index.md": "# Home\n",
    }
    files.update(extra)
    return project_with(tmp_path, files, mkdocs_yml=mkdocs_yml.replace("{overrides}", OVERRIDES))


def build(project: Path) -> tuple[int, list[str]]:
    result = course("build", cwd=project, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    return result.returncode, [line for line in lines if line.startswith("mkdocs.yml:")] + [
        line for line in lines if "while parsing" in line or "expected <block end>" in line
    ]


NAV_SLIP = (
    "mkdocs.yml:5: invalid YAML: this line is not indented like the lines above it: it has 1 space; "
    "indent `- Quiz page:` 2 spaces to line up with the nav entry on line 4"
)
FINISH_SLIP = (
    "mkdocs.yml:14: 'finish' is not a plugin; 'finish' belongs at another level: this line has 4 spaces; "
    "indent `finish:` 8 spaces to line up with `pass:` on line 13"
)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("  - Quiz page: quiz.md", " - Quiz page: quiz.md", NAV_SLIP),
        ("        pass: [q]\n", "        pass: [q]\n    finish: all\n", FINISH_SLIP),
    ],
)
def test_a_slip_in_mkdocs_yml_is_located_in_check_and_build(tmp_path, old, new, expected):
    assert old in MKDOCS
    project = config_project(tmp_path, MKDOCS.replace(old, new))
    code, lines = check(project)
    assert code == 1
    assert [line for line in lines if line.startswith("mkdocs.yml")] == [expected]
    code, lines = build(project)
    assert code == 1
    assert lines == [expected]  # and no "while parsing a block mapping" dump


def test_following_the_mkdocs_yml_advice_gives_a_clean_check(tmp_path):
    project = config_project(
        tmp_path, MKDOCS.replace("        pass: [q]\n", "        pass: [q]\n        finish: all\n")
    )
    assert errors(project) == []


def test_a_slip_in_the_inherited_file_is_reported_there(tmp_path):
    handbook = "INHERIT: mkdocs.yml\nsite_name: Handbook\nsite_dir: site-handbook\n"
    project = config_project(
        tmp_path,
        MKDOCS.replace("  - Quiz page: quiz.md", " - Quiz page: quiz.md"),
        **{"handbook.yml": handbook},
    )
    from builder.config_yaml import config_problems

    assert [str(p) for p in config_problems(project / "handbook.yml", "handbook.yml")] == [NAV_SLIP]
    slipped = handbook.replace("site_dir", " site_dir")
    (project / "handbook.yml").write_text(slipped)
    got = [str(p) for p in config_problems(project / "handbook.yml", "handbook.yml")]
    assert got[0].startswith("handbook.yml:3: invalid YAML: "), got
    assert "indent `site_dir:` 0 spaces" in got[0]
    # course check reads the files that inherit mkdocs.yml too
    (project / "mkdocs.yml").write_text(MKDOCS.replace("{overrides}", OVERRIDES))
    assert [line for line in errors(project) if "yml:" in line and "quizzes/" not in line] == got


def test_a_misspelt_plugin_setting_is_located_in_check_and_build(tmp_path):
    project = config_project(
        tmp_path,
        MKDOCS.replace("      id: test-course\n", "      id: test-course\n      quizes_dir: quizzes\n"),
    )
    expected = (
        "mkdocs.yml:12: unknown setting 'quizes_dir' for the course plugin; did you mean 'quizzes_dir'?"
    )
    code, lines = check(project)
    assert code == 1
    assert [line for line in lines if line.startswith("mkdocs.yml")] == [expected]
    code, lines = build(project)
    assert code == 1
    assert lines == [expected]


# ---------------------------------------------------------------- 6. mixed and stray quotes

MIXED = (
    "this text starts with a curly quote {0} and ends with a straight quote {1}: YAML reads neither as "
    'a quote, so learners see both; put straight quotes " around the whole text (curly quotes inside '
    "them are fine) or remove them"
)
NEVER_CLOSED = "this text starts with a curly quote {0} that is never closed: learners see a stray quote; close it with {1} or remove it"
NEVER_OPENED = "this text ends with a curly quote {0} that is never opened: learners see a stray quote; open it with {1} or remove it"


@pytest.mark.parametrize(
    "title, expected",
    [
        ('\u201cQuiz 02 apology"', MIXED.format("\u201c", '"')),
        ("\u2018Quiz 02 apology'", MIXED.format("\u2018", "'")),
        (
            "\u201cmismatched\u2019",
            "this text starts with a curly quote \u201c and ends with \u2019, which does not match it: YAML "
            'reads neither as a quote, so learners see both; put straight quotes " around the whole text '
            "(curly quotes inside them are fine) or remove them",
        ),
        ('"\u201cQuiz 02 apology"', NEVER_CLOSED.format("\u201c", "\u201d")),
        ('"Quiz 02 apology\u201d"', NEVER_OPENED.format("\u201d", "\u201c")),
        ("'\u00abQuiz 02'", NEVER_CLOSED.format("\u00ab", "\u00bb")),
        ("Quiz 02 apology\u201d", NEVER_OPENED.format("\u201d", "\u201c")),
    ],
)
def test_mixed_or_stray_quotes_are_warned_at_their_line(tmp_path, title, expected):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("title: Quiz", f"title: {title}")})
    code, lines = check(project)
    assert code == 0
    assert lines == [f"quizzes/q.yml:2: warning: {expected}"]


@pytest.mark.parametrize(
    "title",
    [
        '"He said \u201cno\u201d"',
        "\u201cStop,\u201d she said",
        "don\u2019t panic",
        "'the customers\u2019'",
        '"\u201cQuiz\u201d"',
    ],
)
def test_balanced_curly_quotes_and_apostrophes_are_fine(tmp_path, title):
    project = project_with(tmp_path, {"quizzes/q.yml": QUIZ.replace("title: Quiz", f"title: {title}")})
    assert check(project) == (0, [])


def test_the_flagship_has_no_quote_warnings():
    root = Path(__file__).resolve().parent.parent
    result = course("check", cwd=root, timeout=300)
    assert result.returncode == 0, result.stdout
    assert [line for line in result.stdout.splitlines() if "quote" in line] == []
    assert "0 error(s), 0 warning(s)" in result.stderr
