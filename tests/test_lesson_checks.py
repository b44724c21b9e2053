"""Issue 12: lesson (Markdown) checks a newcomer needed: links between lessons, admonition layout,
starter text left in place, and the check summary's wording.  Markdown in, `path:line: message` out,
through `course check` and `mkdocs build` run as a learner's author would run them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import PYTHON, course, make_project, mkdocs_build, run

LESSON_ONE = """\
# First lesson

## Welcome aboard

Text.

## What you will learn

More text.
"""


def project_with(tmp_path: Path, files: dict[str, str]) -> Path:
    files = {rel: textwrap.dedent(text) for rel, text in files.items()}
    return make_project(tmp_path / "course", files)


def check(project: Path) -> tuple[int, list[str], str]:
    result = course("check", cwd=project)
    return result.returncode, [line for line in result.stdout.splitlines() if line.strip()], result.stderr


# ---------------------------------------------------------------- links between lessons


def test_a_link_to_a_lesson_that_does_not_exist_is_an_error_with_a_hint(tmp_path):
    project = project_with(
        tmp_path,
        {
            "content/index.md": "# Home\n\n[Start](lessons/01-first-lesson.md)\n",
            "content/lessons/01-first-lesson.md": LESSON_ONE,
            "content/lessons/02-apology.md": (
                "# Apology\n\nSee [lesson one](01-frist-lesson.md) first.\n\n"
                "Also [the welcome](01-first-lesson.md#welcome-abord) and [home](../index.md).\n\n"
                "[Up](#apology) and [down](#nowhere).\n\n"
                "`[code](missing.md)` is code.\n\n"
                "```markdown\n[fenced](gone.md)\n```\n\n"
                "    [indented](gone-too.md)\n\n"
                "[Site](https://example.org/x.md) is elsewhere.\n\n"
                "[ref]: ../lessons/03-later.md\n"
            ),
        },
    )
    code, lines, _ = check(project)
    assert code == 1
    assert lines == [
        "content/lessons/02-apology.md:3: link to '01-frist-lesson.md' goes nowhere: there is no "
        "content/lessons/01-frist-lesson.md; did you mean '01-first-lesson.md'?",
        "content/lessons/02-apology.md:19: link to '../lessons/03-later.md' goes nowhere: there is no "
        "content/lessons/03-later.md",
        "content/lessons/02-apology.md:5: warning: link to '01-first-lesson.md#welcome-abord' goes to no "
        "heading: content/lessons/01-first-lesson.md has no id 'welcome-abord'; did you mean "
        "'#welcome-aboard'? (its headings: #first-lesson, #welcome-aboard, #what-you-will-learn)",
        "content/lessons/02-apology.md:7: warning: link to '#nowhere' goes to no heading: "
        "content/lessons/02-apology.md has no id 'nowhere' (its headings: #apology)",
    ]
    # the build stops on the dead link too, at the same line, and keeps no broken site
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert (
        "content/lessons/02-apology.md:3: link to '01-frist-lesson.md' goes nowhere: there is no "
        "content/lessons/01-frist-lesson.md; did you mean '01-first-lesson.md'?"
    ) in result.stdout + result.stderr


def test_heading_ids_follow_the_sites_toc_slugify(tmp_path):
    project = project_with(
        tmp_path,
        {
            "content/index.md": "# Home\n\n[Café](a.md#café-au-lait) [bad](a.md#cafe-au-lait)\n",
            "content/a.md": "# A\n\n## Café au lait\n\n## Custom {#mine}\n",
        },
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "  - attr_list\n  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n"
    )
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "content/index.md:3: warning: link to 'a.md#cafe-au-lait' goes to no heading: content/a.md has "
        "no id 'cafe-au-lait'; did you mean '#café-au-lait'? (its headings: #a, #café-au-lait, #mine)"
    ]


def test_links_in_quiz_files_are_relative_to_the_content_folder(tmp_path):
    project = project_with(
        tmp_path,
        {
            "content/index.md": "# Home\n\n::: quiz q1\n",
            "content/lessons/01-first-lesson.md": LESSON_ONE,
            "quizzes/q1.yml": """\
                kind: quiz
                title: Q
                questions:
                  - id: a
                    type: true_false
                    prompt: "Read [the lesson](lessons/01-frist-lesson.md) first."
                    answer: true
                    explanation: "See [welcome](lessons/01-first-lesson.md#welcome) and [more](lessons/01-first-lesson.md#what-you-will-learn)."
                """,
        },
    )
    code, lines, _ = check(project)
    assert code == 1
    assert lines == [
        "quizzes/q1.yml:6: link to 'lessons/01-frist-lesson.md', which is not a page in content/ (links in "
        "course files are relative to that folder); did you mean 'lessons/01-first-lesson.md'?",
        "quizzes/q1.yml:8: warning: link to 'lessons/01-first-lesson.md#welcome' goes to no heading: "
        "content/lessons/01-first-lesson.md has no id 'welcome'; did you mean '#welcome-aboard'? "
        "(its headings: #first-lesson, #welcome-aboard, #what-you-will-learn)",
    ]


def test_the_flagship_course_stays_clean():
    repo = Path(__file__).resolve().parent.parent
    result = course("check", cwd=repo, timeout=300)
    assert result.returncode == 0, result.stdout
    assert "goes nowhere" not in result.stdout and "goes to no heading" not in result.stdout


# ---------------------------------------------------------------- summary


def test_the_check_summary_counts_in_proper_english(tmp_path):
    project = project_with(
        tmp_path,
        {
            "content/index.md": "# Home\n\n::: quiz q1\n",
            "quizzes/q1.yml": (
                "kind: quiz\ntitle: Q\nquestions:\n  - id: a\n    type: true_false\n"
                '    prompt: "Sure?"\n    answer: true\n    explanation: "Yes."\n'
            ),
        },
    )
    code, _, summary = check(project)
    assert code == 0
    assert "1 quiz, 0 scenarios, 1 embed: 0 error(s), 0 warning(s)" in summary


# ---------------------------------------------------------------- admonition layout


def test_admonition_slips_are_warned_at_the_line_to_change(tmp_path):
    page = (
        "# Layout\n"
        "\n"
        "!!! abstract “In this lesson…”\n"
        "    - a goal\n"
        "\n"
        '!!! tip "Two spaces"\n'
        "  - shown below an empty box\n"
        "\n"
        '!!! abstrct "Typo"\n'
        "    Body.\n"
        "\n"
        '???+ warnin "Open"\n'
        "    Body.\n"
        "\n"
        "??? note 'Single'\n"
        "    Body.\n"
        "\n"
        '!!! note inline end "Fine"\n'
        "    Body.\n"
        "\n"
        "```markdown\n"
        "!!! abstrct “in code”\n"
        "  not checked\n"
        "```\n"
    )
    project = project_with(tmp_path, {"content/index.md": page})
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "content/index.md:3: warning: this '!!!' line shows as plain text: its title has curly quotes; "
        "use straight quotes: '!!! abstract \"In this lesson…\"'",
        "content/index.md:7: warning: the body of the admonition on line 6 is indented 2 spaces: indent it "
        "4 spaces, or the box shows empty with this text below it",
        "content/index.md:9: warning: unknown admonition type 'abstrct' shows as a plain note box; did you "
        "mean 'abstract'?",
        "content/index.md:12: warning: unknown collapsible block type 'warnin' shows as a plain note box; "
        "did you mean 'warning'?",
        "content/index.md:15: warning: this '???' line shows as plain text: put the title in double quotes: "
        "'??? note \"Single\"'",
    ]
    # the build reports the same lines and still publishes the page
    result = run([PYTHON, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "content/index.md:9: warning: unknown admonition type 'abstrct'" in result.stdout + result.stderr


# ---------------------------------------------------------------- template text left in place


def test_template_text_left_in_a_new_lesson_quiz_and_scenario_is_warned_line_by_line(tmp_path):
    assert course("new", "c", cwd=tmp_path).returncode == 0
    project = tmp_path / "c"
    assert course("add", "lesson", "02-listening", cwd=project).returncode == 0
    for kind, name in (("quiz", "quiz-02"), ("scenario", "call-02")):
        result = course("add", kind, name, "--page", "lessons/02-listening.md", cwd=project)
        assert result.returncode == 0, result.stderr
    code, lines, _ = check(project)
    assert code == 0
    assert lines == [
        "content/lessons/02-listening.md:4: warning: '- first thing the learner will be able to do' is the "
        "template's placeholder text: write your own",
        "content/lessons/02-listening.md:5: warning: '- second thing' is the template's placeholder text: "
        "write your own",
        "content/lessons/02-listening.md:7: warning: 'Write the lesson here. Keep paragraphs short and speak "
        "to the learner as \"you\".' is the template's placeholder text: write your own",
        "content/lessons/02-listening.md:9: warning: '## A heading' is the template's placeholder text: "
        "write your own",
        "content/lessons/02-listening.md:11: warning: 'Put images in `content/lessons/images/` and show them "
        "like this (describe the picture in' is the template's placeholder text: write your own",
        "content/lessons/02-listening.md:12: warning: 'the square brackets):' is the template's placeholder "
        "text: write your own",
        "quizzes/call-02.yml:11: warning: 'text' is still the template's placeholder text \"What the other "
        'person says or does first.": write your own',
        "quizzes/call-02.yml:13: warning: 'text' is still the template's placeholder text \"A helpful "
        'reply": write your own',
        "quizzes/call-02.yml:15: warning: 'feedback' is still the template's placeholder text \"Why this "
        'helps.": write your own',
        "quizzes/call-02.yml:17: warning: 'text' is still the template's placeholder text \"An unhelpful "
        'reply": write your own',
        "quizzes/call-02.yml:19: warning: 'feedback' is still the template's placeholder text \"Why this "
        'hurts.": write your own',
        "quizzes/call-02.yml:23: warning: 'text' is still the template's placeholder text \"What happened, "
        'and why it went well.": write your own',
        "quizzes/call-02.yml:26: warning: 'text' is still the template's placeholder text \"What happened, "
        'and what to try next time.": write your own',
        "quizzes/quiz-02.yml:9: warning: 'prompt' is still the template's placeholder text \"Write the "
        'question here.": write your own',
        "quizzes/quiz-02.yml:11: warning: 'text' is still the template's placeholder text \"The right "
        'answer": write your own',
        "quizzes/quiz-02.yml:13: warning: 'feedback' is still the template's placeholder text \"Why this is "
        'right.": write your own',
        "quizzes/quiz-02.yml:14: warning: 'text' is still the template's placeholder text \"A wrong "
        'answer": write your own',
        "quizzes/quiz-02.yml:15: warning: 'feedback' is still the template's placeholder text \"Why this is "
        'wrong.": write your own',
        "quizzes/quiz-02.yml:16: warning: 'explanation' is still the template's placeholder text \"Shown "
        'after the learner answers.": write your own',
    ]
    # written over, the warnings go; the same words inside code are not template text
    lesson = project / "content/lessons/02-listening.md"
    lesson.write_text(
        "# Listening\n\nHear the caller out.\n\n```text\n- second thing\n```\n\n"
        "::: quiz quiz-02\n\n::: scenario call-02\n"
    )
    for name in ("quiz-02", "call-02"):
        path = project / "quizzes" / f"{name}.yml"
        text = path.read_text()
        for old in (
            "Write the question here.", "The right answer", "Why this is right.", "A wrong answer",
            "Why this is wrong.", "Shown after the learner answers.", "What the other person says or does first.",
            "A helpful reply", "Why this helps.", "An unhelpful reply", "Why this hurts.",
            "What happened, and why it went well.", "What happened, and what to try next time.",
        ):  # fmt: skip
            text = text.replace(old, old.upper() + " (edited)")
        path.write_text(text)
    code, lines, _ = check(project)
    assert code == 0 and lines == [], lines
