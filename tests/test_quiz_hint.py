"""The quiz shows "Choose all that apply." under a multiple-answer prompt; a prompt that says it
too gets a `course check` warning, and the flagship says it once (newcomer trial item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.test_quiz_validation import check, run_check

MULTIPLE = """\
kind: quiz
title: Check
questions:
  - id: many
    type: multiple
    prompt: "PROMPT"
    explanation: "Because."
    options:
      - {text: "Right", correct: true}
      - {text: "Also right", correct: true}
      - {text: "Wrong"}
"""


@pytest.mark.parametrize(
    "prompt",
    [
        "Which help? Select all that apply.",
        "¿Cuáles ayudan? Marca todas las correctas.",
        "Lesquelles ? Cochez toutes les bonnes réponses.",
        "Welche? Wählen Sie alle zutreffenden aus.",
    ],
)
def test_a_prompt_repeating_the_hint_warns_at_its_line(tmp_path, capsys, prompt):
    code, lines = run_check(check(tmp_path, MULTIPLE.replace("PROMPT", prompt)), capsys)
    assert code == 0
    assert len(lines) == 1 and lines[0].startswith("quizzes/q.yml:6: warning: question 'many'"), lines
    assert "remove that sentence from the prompt" in lines[0]


def test_a_plain_prompt_or_a_single_answer_question_is_quiet(tmp_path, capsys):
    assert run_check(check(tmp_path / "a", MULTIPLE.replace("PROMPT", "Which of these help?")), capsys) == (
        0,
        [],
    )
    single = MULTIPLE.replace("type: multiple", "type: single").replace("PROMPT", "Select all that apply.")
    single = single.replace('{text: "Also right", correct: true}', '{text: "Also wrong"}')
    assert run_check(check(tmp_path / "b", single), capsys) == (0, [])


def test_flagship_prompts_leave_the_hint_to_the_quiz():
    from builder.quiz_checks import repeats_the_multiple_hint

    repeated = [
        f"{path.relative_to(REPO)}: {line.strip()}"
        for path in sorted(Path(REPO, "quizzes").rglob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*prompt:", line) and repeats_the_multiple_hint(line)
    ]
    assert repeated == []


def test_spanish_option_verdicts_judge_the_option_not_the_input():
    import json

    es = json.loads(Path(REPO, "builder/messages/es.json").read_text(encoding="utf-8"))
    # "no es una respuesta válida" read as "invalid input"; the verdict is about the chosen option
    assert "válid" not in es["quiz.incorrect_option"] and "válid" not in es["quiz.correct_option"]
    assert es["quiz.incorrect_option"] == "Incorrecto: esta opción no es acertada."
