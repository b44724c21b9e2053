"""Issue 12, newcomer-trial defects: each mistake in, the exact ``path:line: message`` out.

Curly quotes around a plain YAML text, indentation slips blamed on the line to change, problem
lines editors can parse, next steps a newcomer can run, the home page's module table, missing
images as errors, and a warning-free flagship build.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

from builder.loader import load_text
from tests.helpers import course

ROOT = Path(__file__).resolve().parent.parent


def new_course(tmp_path: Path, name: str = "my-course") -> Path:
    result = course("new", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path / name


def write(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def check(project: Path, *args: str):
    result = course("check", *args, cwd=project)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return result.returncode, lines, result.stderr


def problems(text: str) -> list[str]:
    return [str(p) for p in load_text(textwrap.dedent(text), "q.yml").problems]


# ---------------------------------------------------------------- 1. curly quotes around plain text

CURLY = (
    "this text starts with {0} and ends with {1}: curly quotes are part of the text (learners see "
    "them), not quotes to YAML; if you meant to quote it, use straight quotes \" or ' instead, "
    "otherwise leave the text as it is"
)


@pytest.mark.parametrize(
    "value, open_, close",
    [("\u201cSafety first\u201d", "\u201c", "\u201d"), ("\u2018Safety\u2019", "\u2018", "\u2019"),
     ("\u201eSicherheit\u201c", "\u201e", "\u201c"), ("\u00abS\u00e9curit\u00e9\u00bb", "\u00ab", "\u00bb")],
)  # fmt: skip
def test_a_plain_text_in_curly_quotes_warns_at_its_line(value, open_, close):
    text = f"""\
        kind: quiz
        title: {value}
        questions:
          - id: a
            options:
              - text: plain
              - {value}
        """
    assert problems(text) == [
        "q.yml:2: warning: " + CURLY.format(open_, close),
        "q.yml:7: warning: " + CURLY.format(open_, close),
    ]


@pytest.mark.parametrize(
    "value",
    [
        '"\u201cquoted on purpose\u201d"',  # straight quotes around: the author meant the curly ones
        "'\u201cquoted on purpose\u201d'",
        "He said \u201chi\u201d to her",  # inside normal text
        "\u201cHi,\u201d she said",  # starts with one, ends elsewhere
        "|\n  \u201cblock\u201d",  # a block scalar is not plain
    ],
)
def test_curly_quotes_that_are_text_pass_silently(value):
    assert problems(f"title: {value}\n") == []


def test_curly_quotes_around_text_with_a_colon_say_it_was_split():
    assert problems("options:\n  - \u201cStop: look\u201d\n") == [
        "q.yml:2: warning: this text starts with \u201c and ends with \u201d, and the ': ' inside made YAML "
        "read it as a key and a value (curly quotes are not quotes to YAML); put straight quotes \" or ' "
        "around the whole text"
    ]


def test_course_check_reports_curly_quotes_with_the_line(tmp_path):
    project = new_course(tmp_path)
    quiz = project / "quizzes/quiz-01-first-lesson.yml"
    lines = quiz.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("title:"))
    lines[n] = lines[n].split(":")[0] + ": \u201cA title\u201d"
    quiz.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, summary = check(project)
    assert code == 0
    assert out == [f"quizzes/quiz-01-first-lesson.yml:{n + 1}: warning: " + CURLY.format("\u201c", "\u201d")]
    assert "0 error(s), 1 warning(s)" in summary


def test_the_flagship_has_no_curly_quote_warnings():
    files = sorted((ROOT / "quizzes").rglob("*.yml")) + sorted((ROOT / "content").rglob("*.yml"))
    assert len(files) > 10
    found = [
        str(p)
        for f in files
        for p in load_text(f.read_bytes(), str(f.relative_to(ROOT))).problems
        if "curly quotes" in p.message
    ]
    assert found == []


# ---------------------------------------------------------------- 2. indentation slips

QUIZ = """\
kind: quiz
title: Q
questions:
  - id: a
    type: single
    prompt: Pick one
    options:
      - text: A
        correct: true
      - text: B
      - text: C
    explanation: Why
  - id: b
    type: single
    prompt: Pick two
    options:
      - text: A
        correct: true
      - text: B
    explanation: Why
"""


def slipped(line: int, text: str) -> str:
    lines = QUIZ.split("\n")
    lines[line - 1] = text
    return "\n".join(lines)


SLIP = (
    "q.yml:{0}: invalid YAML: this line is not indented like the lines above it: it has {1}; "
    "indent `{2}` {3} spaces to line up with {4}"
)


@pytest.mark.parametrize(
    "line, text, expected",
    [
        (10, "     - text: B", (10, "5 spaces", "- text:", 6, "the option on line 8")),
        (10, "       - text: B", (10, "7 spaces", "- text:", 6, "the option on line 8")),
        (10, "    - text: B", (10, "4 spaces", "- text:", 6, "the option on line 8")),
        (11, "     - text: C", (11, "5 spaces", "- text:", 6, "the option on line 10")),
        # the first item slipped: the parser stumbles on the line after it, the fix is this one
        (8, "       - text: A", (8, "7 spaces", "- text:", 6, "the option on line 10")),
        (8, "     - text: A", (8, "5 spaces", "- text:", 6, "the option on line 10")),
        (4, "   - id: a", (4, "3 spaces", "- id:", 2, "the question on line 13")),
        (13, " - id: b", (13, "1 space", "- id:", 2, "the question on line 4")),
        (9, "       correct: true", (9, "7 spaces", "correct:", 8, "`text:` on line 8")),
        (9, "         correct: true", (9, "9 spaces", "correct:", 8, "`text:` on line 8")),
        (6, "   prompt: Pick one", (6, "3 spaces", "prompt:", 4, "`type:` on line 5")),
        (7, "     options:", (7, "5 spaces", "options:", 4, "`prompt:` on line 6")),
        # YAML only stumbles five lines later; the message still names the line to change
        (7, "options:", (7, "0 spaces", "options:", 4, "`prompt:` on line 6")),
        (9, "      correct: true", (9, "6 spaces", "correct:", 8, "`text:` on line 8")),
        # one more or one less, nearest to the same key at another depth
        (12, "     explanation: Why", (12, "5 spaces", "explanation:", 4, "`options:` on line 7")),
        (12, "   explanation: Why", (12, "3 spaces", "explanation:", 4, "`options:` on line 7")),
    ],
)
def test_an_indentation_slip_is_reported_at_the_line_to_change(line, text, expected):
    assert problems(slipped(line, text)) == [SLIP.format(*expected)]
    # the advice fixes it in one round
    n, _, head, want, _ = expected
    fixed = slipped(n, " " * want + text.lstrip(" "))
    assert problems(fixed) == []


def test_a_key_under_the_wrong_parent_says_where_it_belongs(tmp_path):
    project = new_course(tmp_path)
    write(project, "quizzes/q.yml", slipped(12, "        explanation: Why"))
    page = project / "content/lessons/01-first-lesson.md"
    page.write_text(page.read_text() + "\n::: quiz q\n")
    code, lines, _ = check(project)
    assert code == 1
    assert lines[0] == (
        "quizzes/q.yml:12: unknown key 'explanation' here; 'explanation' belongs at another level: "
        "this line has 8 spaces; indent `explanation:` 4 spaces to line up with `options:` on line 7"
    )


# ---------------------------------------------------------------- 3. every problem line starts with path:line:

LOCATED = re.compile(r"^[^\s:][^:]*:\d+: ")

UNREACHABLE = """\
kind: scenario
title: S
start: a
nodes:
  a:
    text: start
    ending: true
  b:
    text: B
    choices:
      - {text: go, to: c, feedback: f}
  c:
    text: C
    ending: true
  a:
    text: the real start
    choices:
      - {text: go, to: b, feedback: f}
"""


def broken_course(tmp_path: Path) -> Path:
    """A course with a root cause and its followers, another error, and a warning."""
    project = new_course(tmp_path)
    write(project, "quizzes/s.yml", UNREACHABLE)
    page = project / "content/practice/first-scenario.md"
    page.write_text(page.read_text() + "\n::: scenario s\n")
    write(project, "quizzes/q.yml", slipped(12, "        explanation: Why"))
    page = project / "content/lessons/01-first-lesson.md"
    page.write_text(page.read_text() + "\n::: quiz q\n")
    return project


def counts(summary: str) -> tuple[int, int]:
    m = re.search(r"(\d+) error\(s\), (\d+) warning\(s\)", summary)
    assert m, summary
    return int(m.group(1)), int(m.group(2))


def test_check_prints_located_lines_and_counts_exactly_them(tmp_path):
    project = broken_course(tmp_path)
    code, lines, stderr = check(project)
    assert code == 1
    assert lines and all(LOCATED.match(line) for line in lines), lines
    followers = [line for line in lines if line.endswith("(follows from quizzes/s.yml:15)")]
    assert followers == [
        "quizzes/s.yml:8: node 'b' cannot be reached from start node 'a' (follows from quizzes/s.yml:15)",
        "quizzes/s.yml:12: node 'c' cannot be reached from start node 'a' (follows from quizzes/s.yml:15)",
    ]
    n_warnings = sum(": warning: " in line for line in lines)
    assert n_warnings >= 1
    assert counts(stderr) == (len(lines) - n_warnings, n_warnings)

    code, quiet, stderr = check(project, "-q")
    assert quiet == [line for line in lines if ": warning: " not in line]
    assert counts(stderr) == (len(quiet), 0)
    assert f"({n_warnings} warning(s) not shown: -q)" in stderr

    code, github, _ = check(project, "--format", "github")
    assert len(github) == len(lines)
    assert all(re.match(r"^::(error|warning) file=[^,]+,line=\d+::", line) for line in github)
    result = course("check", "--format", "json", cwd=project)
    assert len(json.loads(result.stdout)) == len(lines)
    assert counts(result.stderr) == (len(lines) - n_warnings, n_warnings)


def test_build_prints_the_same_located_lines_and_a_summary_after_them(tmp_path):
    project = broken_course(tmp_path)
    _, lines, _ = check(project)
    result = course("build", cwd=project, timeout=300)
    assert result.returncode == 1
    out = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    located = [line for line in out if LOCATED.match(line)]
    assert sorted(located) == sorted(lines)
    n_warnings = sum(": warning: " in line for line in lines)
    last = [line for line in out if not LOCATED.match(line)]
    assert any(
        counts(line) == (len(lines) - n_warnings, n_warnings) for line in last if "error(s)" in line
    ), out
    assert out.index(next(line for line in out if "error(s)" in line)) > max(map(out.index, located))


# ---------------------------------------------------------------- 4. next steps a newcomer can run


def test_new_prints_next_steps_that_run_from_where_the_user_is(tmp_path):
    """With only the venv's bin/ (not on PATH), the printed commands are full paths that work."""
    import os
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
    env["PATH"] = "/usr/bin:/bin"  # a newcomer's shell: the venv is not activated
    result = subprocess.run(
        [str(bin_dir / "course"), "new", "my-course"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    steps = [line.strip() for line in result.stdout.splitlines()[1:] if line.startswith("  ")]
    assert steps[0] == "cd my-course"
    course_cmd = str(bin_dir / "course")
    assert f"{bin_dir / 'mkdocs'} serve" in steps[1]
    assert steps[-1] == f"{course_cmd} check"
    assert not any(step.split()[0] in ("course", "mkdocs") for step in steps)
    # each printed command runs as printed, from the folder it says to cd into
    project = tmp_path / "my-course"
    for step in steps[2:]:
        run = subprocess.run(
            step.split("#")[0], shell=True, cwd=project, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, (step, run.stdout, run.stderr)
    assert (project / "content/lessons/02-my-topic.md").is_file()


def test_new_prints_bare_commands_when_they_are_on_path(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin")
    result = subprocess.run(["course", "new", "c"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "  course check" in result.stdout.splitlines()
    assert "  mkdocs serve          # preview at http://127.0.0.1:8000" in result.stdout.splitlines()


def test_next_steps_use_make_when_the_course_has_a_makefile(tmp_path):
    from builder.scaffold import next_steps

    (tmp_path / "Makefile").write_text("serve:\n\tmkdocs serve\n")
    steps = next_steps(tmp_path, 9)
    assert "  make serve            # preview at http://127.0.0.1:8000" in steps
    assert "  make check" in steps


# ---------------------------------------------------------------- 5. the home page's module table


def table_rows(project: Path) -> list[str]:
    return [line for line in (project / "content/index.md").read_text().splitlines() if line.startswith("| ")]


def test_add_lesson_fills_what_youll_learn_from_summary(tmp_path):
    project = new_course(tmp_path)
    result = course(
        "add", "lesson", "02-listening", "--summary", "Listen so the caller | feels heard", cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert table_rows(project)[-1] == (
        "| 2 | [Listening](lessons/02-listening.md) | Listen so the caller \\| feels heard |"
    )
    lesson = (project / "content/lessons/02-listening.md").read_text()
    assert "    - Listen so the caller | feels heard" in lesson  # the lesson's first objective
    code, lines, summary = check(project)
    # the rest of the template is what is left to write (tests/test_lesson_checks.py)
    assert (code, [line for line in lines if "template's placeholder text" not in line]) == (0, [])


def test_add_lesson_without_summary_never_leaves_an_empty_cell(tmp_path):
    project = new_course(tmp_path)
    result = course("add", "lesson", "02-listening", cwd=project)
    assert result.returncode == 0, result.stderr
    row = table_rows(project)[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells == [
        "2",
        "[Listening](lessons/02-listening.md)",
        "First thing the learner will be able to do",
    ]
    assert "give --summary" in result.stdout


def test_add_lesson_fills_every_column_of_a_wider_table(tmp_path):
    from builder.author_checks import add_home_row

    docs = tmp_path
    (docs / "modules").mkdir()
    (docs / "index.md").write_text(
        "| # | Module | What you'll learn | Minutes |\n|---|---|---|---|\n"
        "| 1 | [Welcome](modules/01-welcome.md) | Who it is for | 5 |\n"
    )
    (docs / "modules/02-calm.md").write_text("# Calm\n\nStay calm when a caller shouts. Then listen.\n")
    assert add_home_row(docs, "modules/02-calm.md", "Calm")
    assert (docs / "index.md").read_text().splitlines()[-1] == (
        "| 2 | [Calm](modules/02-calm.md) | Stay calm when a caller shouts. | 5 |"
    )


def test_an_empty_cell_in_the_module_table_is_a_warning_at_its_row(tmp_path):
    project = new_course(tmp_path)
    home = project / "content/index.md"
    home.write_text(home.read_text().replace("| What this course is about |", "|  |"))
    line = next(n for n, s in enumerate(home.read_text().splitlines(), 1) if "01-first-lesson.md" in s)
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        f"content/index.md:{line}: warning: the row for 'lessons/01-first-lesson.md' in the table on the home "
        "page has an empty 'What you'll learn' cell; fill it in (learners see a gap)"
    ]


# ---------------------------------------------------------------- 7. a warning-free flagship build


@pytest.mark.parametrize("config", ["mkdocs.yml", "handbook.yml"])
def test_the_flagship_builds_without_warnings(tmp_path, config):
    from tests.helpers import run

    result = run([sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / config), "-d", str(tmp_path / "site")],
                 cwd=ROOT, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = (result.stdout + result.stderr).splitlines()
    assert [line for line in out if line.startswith("WARNING")] == []
    assert not any("extra.alternate" in line for line in out), out  # mkdocs-static-i18n's link message
    assert any("Documentation built" in line for line in out)


def test_an_authors_own_bad_switcher_link_is_still_reported():
    import logging

    from builder.languages import _OwnSwitcherLinks

    def record(link: str) -> logging.LogRecord:
        message = (
            "mkdocs_static_i18n: The 'extra.alternate' configuration contains a 'link' option that should be "
            f"an absolute path '/' and end with a trailing '/' in {{'name': 'English', 'link': '{link}', 'lang': 'en'}}"
        )
        return logging.LogRecord("x", logging.INFO, "", 0, message, None, None)

    keep = _OwnSwitcherLinks().filter
    assert not keep(record("es/index.html")) and not keep(record("/es/index.html"))
    assert keep(record("/es"))  # not one of ours: still said


# ---------------------------------------------------------------- 6. the module table on a phone


@pytest.mark.parametrize("path", ["index.html", "es/index.html"])
def test_the_home_page_module_table_fits_a_phone(browser, flagship_server, path, tmp_path):
    """At 390 px the module table (4 columns) fits: no sideways scrolling in it or the page."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(flagship_server.url + path)
        tables = page.locator(".md-typeset__scrollwrap")
        assert tables.count() >= 2
        widths = tables.evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
        assert all(scroll <= client for scroll, client in widths), widths
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        table = page.locator(".md-typeset table").first
        table.scroll_into_view_if_needed()
        header = table.locator("th").all_inner_texts()
        assert header[-1].strip() in ("Minutes", "Minutos")
        page.screenshot(path=str(tmp_path / "module-table-390.png"))
    finally:
        ctx.close()


# ---------------------------------------------------------------- 9. a missing image or file is an error

LESSON = """\
# Listening

Listen first.

![The till](images/till.png)

```markdown
![fenced](images/nope-1.png)
```

    ![indented code](images/nope-2.png)

Inline `![code](images/nope-3.png)` and ``[a ` b](files/nope-4.pdf)``.

!!! example "How to show a picture"

    ```markdown
    ![fenced in a box](images/nope-5.png)
    ```

        ![indented code in a box](images/nope-6.png)

- a list item

      ![indented code in a list item](images/nope-7.png)

[The hand-out](files/hand-out.pdf)
"""


def lesson_course(tmp_path: Path) -> Path:
    project = new_course(tmp_path)
    result = course("add", "lesson", "02-listening", "--summary", "Listen", cwd=project)
    assert result.returncode == 0, result.stderr
    write(project, "content/lessons/02-listening.md", LESSON)
    return project


def test_a_missing_image_in_a_lesson_is_an_error_and_a_missing_file_a_warning_at_its_line(tmp_path):
    project = lesson_course(tmp_path)
    code, lines, summary = check(project)
    assert code == 1
    assert lines == [
        "content/lessons/02-listening.md:5: image 'images/till.png' not found: there is no "
        "content/lessons/images/till.png",
        "content/lessons/02-listening.md:27: warning: file 'files/hand-out.pdf' not found: there is no "
        "content/lessons/files/hand-out.pdf",
    ]  # nothing from code: fenced, indented (top level, in a box, in a list item) or inline
    assert "1 error(s), 1 warning(s)" in summary


def test_a_missing_image_in_a_quiz_is_an_error_at_its_line(tmp_path):
    project = new_course(tmp_path)
    quiz = project / "quizzes/quiz-01-first-lesson.yml"
    lines = quiz.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("prompt:"))
    lines[n] = lines[n].split("prompt:")[0] + 'prompt: "Look: ![A till](images/gone.png)"'
    quiz.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = check(project)
    assert code == 1
    assert out == [
        f"quizzes/quiz-01-first-lesson.yml:{n + 1}: image 'images/gone.png' not found: there is no "
        "content/images/gone.png (images and files in course files are relative to content/, like links to lessons)"
    ]


def test_the_build_fails_on_a_missing_image_and_keeps_the_last_good_site(tmp_path):
    project = lesson_course(tmp_path)
    (project / "content/lessons/images").mkdir(exist_ok=True)
    (project / "content/lessons/images/till.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    (project / "content/lessons/files").mkdir()
    (project / "content/lessons/files/hand-out.pdf").write_bytes(b"%PDF-1.4\n")
    assert course("build", cwd=project, timeout=300).returncode == 0
    page = project / "site/lessons/02-listening.html"
    good = page.read_text(encoding="utf-8")
    assert "till.png" in good
    (project / "content/lessons/images/till.png").unlink()
    result = course("build", cwd=project, timeout=300)
    assert result.returncode == 1
    assert (
        "content/lessons/02-listening.md:5: image 'images/till.png' not found: there is no "
        "content/lessons/images/till.png"
    ) in result.stderr.splitlines()
    assert page.read_text(encoding="utf-8") == good  # the last good site is still there


@pytest.mark.parametrize(
    "text, found",
    [
        ("![a](a.png)\n\n    ![code](b.png)\n", [1]),
        ("- item\n\n      ![code](b.png)\n\n  ![para](c.png)\n", [5]),
        ("!!! note\n\n    ![in box](a.png)\n\n        ![code](b.png)\n", [3]),
        ("text\n    ![lazy continuation, not code](a.png)\n", [2]),
        ("    ```\n    ![fence](a.png)\n    ```\n![after](b.png)\n", [4]),
        ("~~~~\n```\n![fence](a.png)\n~~~~\n![after](b.png)\n", [5]),
        ("Inline ``a ` ![x](h.png)`` and `![y](i.png)` but ![real](j.png)\n", [1]),
    ],
)
def test_asset_refs_skip_fenced_indented_and_inline_code(text, found):
    from builder.asset_refs import refs

    assert [line for line, _, _ in refs(text, skip_code=True)] == found


# ---------------------------------------------------------------- 8. the README's first screen


def test_the_readme_first_screen_is_for_authors_and_hr():
    first = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:24])
    for needed in ("make serve", "make test", "content/", "quizzes/", "mkdocs.yml", "content/guide/"):
        assert needed in first, needed
    for noise in ("Playwright", "pytest", "wagtail", "nginx", "PYTEST_ARGS", ".venv-l"):
        assert noise not in first, noise


SCENARIO = """\
kind: scenario
title: S
start: a
nodes:
  a:
    text: start
    choices:
      - text: go
        to: b
      - text: stay
        to: a
  b:
    text: end
    ending: true
"""


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("      - text: stay", "     - text: stay",
         "s.yml:10: invalid YAML: this line is not indented like the lines above it: it has 5 spaces; "
         "indent `- text:` 6 spaces to line up with the choice on line 8"),
        ("  b:", "   b:",
         "s.yml:12: invalid YAML: this line is not indented like the lines above it: it has 3 spaces; "
         "indent `b:` 2 spaces to line up with `a:` on line 5"),
    ],
)  # fmt: skip
def test_a_scenario_indentation_slip_names_the_choice_or_node_to_line_up_with(old, new, expected):
    assert [str(p) for p in load_text(SCENARIO.replace(old, new), "s.yml").problems] == [expected]


def test_a_message_over_several_lines_is_printed_on_one():
    from builder.problem_output import text_lines
    from builder.problems import Problem

    assert text_lines([Problem("q.yml", 3, "first part\n  second part")]) == [
        "q.yml:3: first part second part"
    ]
