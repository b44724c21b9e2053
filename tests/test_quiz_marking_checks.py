"""`course check` on the quiz fields of issues 9 and 10: reveal, pin under shuffle (in the course's
language), accepted answers that normalise to the same text or to nothing."""

from __future__ import annotations

import pytest

from builder.quiz_checks import refers_to_other_options
from tests.helpers import BASE_MKDOCS
from tests.test_quiz_validation import GOOD, check, run_check

SHUFFLED = """\
kind: quiz
title: Check
shuffle: true
questions:
  - id: one
    type: single
    prompt: "Pick one"
    explanation: "Because."
    options:
      - {text: "Right", correct: true}
      - {text: "Wrong"}
      - {text: "OPTION"}
"""


@pytest.mark.parametrize(
    ("value", "ok"),
    [("1", True), ("2", True), ("100", True), ("pass", True), ("never", True), ("0", False),
     ("101", False), ("sometimes", False), ("true", True), ("always", True), ("false", True), ("1.5", False),
     ('"2"', False)],
)  # fmt: skip
def test_reveal_is_checked_with_its_line(tmp_path, capsys, value, ok):
    quiz = GOOD.replace("pass_mark: 75", f"pass_mark: 75\nreveal: {value}")
    code, lines = run_check(check(tmp_path, quiz), capsys)
    if ok:
        assert code == 0 and lines == []
    else:
        assert code == 1
        assert lines == [
            f"quizzes/q.yml:4: 'reveal': must be a number of checked attempts from 1 to 100, 'pass' or 'never' "
            f"(default 2), got {lines[0].rsplit('got ', 1)[1]}"
        ]


@pytest.mark.parametrize(
    ("language", "text", "warned"),
    [
        ("en", "All of the above", True),
        ("en", "none of the above.", True),
        ("en", "Both A and B", True),
        ("en", "“Neither of these”", True),
        ("en", "All the staff were trained", False),
        ("en", "Nonetheless, apologise", False),
        ("es", "Todas las anteriores", True),
        ("es", "Ninguna de las anteriores", True),
        ("fr", "Toutes les réponses ci-dessus", True),
        ("fr", "Aucune de ces réponses", True),
        ("de", "Alle oben genannten", True),
        ("de", "Keine der genannten Antworten", True),
        ("de", "Beide", True),
        ("de", "All of the above", True),  # English is checked in every course
        ("en", "Todas las anteriores", False),  # another language only when it is the course's
    ],
)
def test_unpinned_all_of_the_above_under_shuffle_warns(tmp_path, capsys, language, text, warned):
    mkdocs = BASE_MKDOCS.format(site_name="T", course_id="t", plugin_extra="").replace(
        "  font: false\n", f"  font: false\n  language: {language}\n"
    )
    project = check(tmp_path, SHUFFLED.replace("OPTION", text), extra={"mkdocs.yml": mkdocs})
    code, lines = run_check(project, capsys)
    assert code == 0
    if warned:
        assert len(lines) == 1 and lines[0].startswith("quizzes/q.yml:12: warning: option"), lines
        assert "pin: true" in lines[0]
    else:
        assert lines == []


def test_pinned_or_unshuffled_is_quiet(tmp_path, capsys):
    pinned = SHUFFLED.replace('{text: "OPTION"}', '{text: "All of the above", pin: true}')
    assert run_check(check(tmp_path / "a", pinned), capsys) == (0, [])
    still = SHUFFLED.replace("shuffle: true", "shuffle: false").replace("OPTION", "All of the above")
    assert run_check(check(tmp_path / "b", still), capsys) == (0, [])


def test_pin_must_be_a_boolean(tmp_path, capsys):
    quiz = SHUFFLED.replace('{text: "OPTION"}', '{text: "None of these", pin: sometimes}')
    code, lines = run_check(check(tmp_path, quiz), capsys)
    assert code == 1 and lines[0].startswith("quizzes/q.yml:12: 'pin'"), lines


def test_accepted_answers_equal_once_normalised_warn(tmp_path, capsys):
    quiz = GOOD.replace('accept: ["listen"]', 'accept: ["Straße", "strasse", "don’t", "don\'t!", "listen"]')
    code, lines = run_check(check(tmp_path, quiz), capsys)
    assert code == 0
    assert len(lines) == 2 and all(
        line.startswith("quizzes/q.yml:12: warning: text question 'word'") for line in lines
    )
    assert "'strasse'" in lines[0] and '"don\'t"' in lines[1]


def test_accepted_answer_of_only_punctuation_is_an_error(tmp_path, capsys):
    code, lines = run_check(
        check(tmp_path, GOOD.replace('accept: ["listen"]', 'accept: ["listen", "?!"]')), capsys
    )
    assert code == 1 and "only punctuation" in lines[0] and lines[0].startswith("quizzes/q.yml:12:")


def test_phrase_list_reads_the_normalised_text():
    assert refers_to_other_options("ALL OF THE ABOVE!")
    assert refers_to_other_options("Ａｌｌ ｏｆ ｔｈｅ ａｂｏｖｅ")
    assert refers_to_other_options("toutes les réponses précédentes", "fr-CA")
    assert not refers_to_other_options("Above all, listen")


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, 2),
        (1, 1),
        (5, 5),
        ("pass", "pass"),
        ("never", "never"),
        ("always", 1),
        (True, 1),
        (False, "never"),
    ],
)
def test_reveal_values_as_the_browser_gets_them(value, stored):
    from builder.schema import Quiz

    data = {
        "kind": "quiz",
        "title": "t",
        "questions": [{"id": "a", "type": "true_false", "prompt": "p", "answer": True}],
    }
    if value is not None:
        data["reveal"] = value
    assert Quiz.model_validate(data).reveal == stored
