"""GIFT round trips keep every field exactly (issue 16 item 4, follow-up 1): a table of tricky
strings is put in every field of every supported question type, and YAML -> GIFT -> YAML and
GIFT -> YAML -> GIFT give back the same text, answers and feedback, spaces included."""

from __future__ import annotations

import itertools

import pytest
import yaml

from builder.interchange.common import check_output, dump_yaml
from builder.interchange.gift import escape, read_gift, write_gift
from builder.schema import Quiz

TRICKY = [
    "plain words",
    "  two leading spaces",
    "two trailing spaces  ",
    " both ends ",
    "\ttab at the start",
    "ends with a tab\t",
    "line one\nline two",
    "line one  \nhard break above",  # Markdown's two-space line break
    "list:\n\n- one\n  - nested two\n- three",
    "    indented code block",
    "para\n\n    code\n      deeper\n\nafter",
    "tilde ~ equals = hash # braces { } colon :",
    "::looks like a title::",
    "backslash \\ and \\n written out and \\\\ two",
    "ends with a backslash \\",
    "#### not general feedback",
    "%50% not a weight",
    "%-100%",
    "=starts with equals",
    "~starts with tilde",
    "a -> b looks like matching",
    "an author's own -&gt; stays",
    "-&amp;gt; twice",
    "&#32; a reference at the start",
    "a reference at the end &#32;",
    "&#65;",
    "&amp; &lt;tag&gt; &nbsp;",
    "[markdown] at the start",
    "[html]<b>x</b>",
    "// looks like a comment",
    "$CATEGORY: looks like a category",
    "T",
    "FALSE",
    "**bold**, *em*, `code {x}`, [link](https://example.org/a=b#c)",
    "<em>inline HTML</em> & <br> 5 < 6 > 4",
    "quotes \"double\" 'single' and unicode é — ☃ 中文",
    "\u00a0non-breaking space at the start",
    "trailing\u2003em space\u2003",
    " ",
    "\n",
    "x\n",
    "{#42}",
    "}{",
    "carriage\rreturn and \r\n Windows line end",
    "private use \ue000\ue002\ue007 characters",
]


def quiz_of(text: str, other: str) -> Quiz:
    """Every supported question type with ``text`` in each field (``other`` where two must differ)."""
    return Quiz.model_validate(
        {
            "kind": "quiz",
            "title": "T",
            "questions": [
                {
                    "id": "single",
                    "type": "single",
                    "prompt": text,
                    "explanation": text,
                    "options": [
                        {"text": text, "correct": True, "feedback": text},
                        {"text": other, "feedback": text},
                    ],
                },
                {
                    "id": "Single_Wrong-2",  # ids keep their case and underscores
                    "type": "single",
                    "prompt": other,
                    "options": [{"text": other, "correct": True}, {"text": text, "feedback": other}],
                },
                {
                    "id": "multiple",
                    "type": "multiple",
                    "prompt": text,
                    "options": [
                        {"text": other, "correct": True},
                        {"text": text, "correct": True, "feedback": text},
                        {"text": f"{other} 3"},
                    ],
                    "explanation": text,
                },
                {
                    "id": "tf",
                    "type": "true_false",
                    "prompt": text,
                    "answer": False,
                    "feedback_true": text,
                    "feedback_false": text,
                    "explanation": text,
                },
                {
                    "id": "tf-right-only",
                    "type": "true_false",
                    "prompt": text,
                    "answer": True,
                    "feedback_true": text,
                },
                {
                    "id": "text",
                    "type": "text",
                    "prompt": text,
                    "accept": [text, other],
                    "explanation": text,
                },
            ],
        }
    )


def expected(quiz: Quiz) -> list[dict]:
    return [q.model_dump(exclude_none=True, exclude_defaults=True) | {"type": q.type} for q in quiz.questions]


@pytest.mark.parametrize("text", TRICKY, ids=[repr(t)[:30] for t in TRICKY])
def test_yaml_gift_yaml_keeps_every_field_exactly(text):
    quiz = quiz_of(text, "other answer")
    gift = write_gift(quiz, "x")
    back, problems = read_gift(gift, "x.gift")
    assert [str(p) for p in problems] == []
    assert back["questions"] == expected(quiz), gift
    # and the result is a quiz `course check` accepts (it refuses answers of only spaces or
    # punctuation, which no learner can type), through its YAML file
    if any(c.isalnum() for c in text):
        assert check_output(dump_yaml(back), "quizzes/x.yml").problems == []
    assert yaml.safe_load(dump_yaml(back))["questions"] == back["questions"]


def test_pairs_of_tricky_strings_side_by_side():
    """Two tricky strings next to each other (an option and its feedback, two answers)."""
    for a, b in itertools.islice(itertools.permutations(TRICKY, 2), 0, None, 7):
        if a.strip() == b.strip() or not a.strip() or not b.strip():
            continue
        quiz = quiz_of(a, b)
        back, problems = read_gift(write_gift(quiz, "x"), "x.gift")
        assert not problems and back["questions"] == expected(quiz), (a, b)


@pytest.mark.parametrize("text", TRICKY, ids=[repr(t)[:30] for t in TRICKY])
def test_escape_alone_round_trips(text):
    q = read_gift(f"::t:: [markdown]{escape(text)} {{T}}", "t.gift")[0]["questions"][0]
    assert q["prompt"] == text


HAND_WRITTEN = [
    # escaped line breaks keep the author's spaces around them; source layout does not
    "::a:: [markdown]First line\\n  indented second\\n\\n    code {\n  =yes  # right  \n  ~no\n}",
    "::b:: Text with \\{braces\\} and a \\~ tilde \\= and \\# and a\\: colon {=x\\=y ~z}",
    "::c:: Spread\nover\n   lines {TRUE#\n  wrong \n#right}",
    "::d:: Short {=%100%%40 off =forty percent#close =%50%40}",
    "::e:: [html]<p>Say <b>hi</b></p> {~%50%a ~%50%b ~%-100%c ####General\\n  feedback}",
    "::f:: Missing {=word ~other} in the middle",
    "::g:: Numeric {#=42 =42.0#Yes}",
]


@pytest.mark.parametrize("source", HAND_WRITTEN, ids=[s[:6] for s in HAND_WRITTEN])
def test_gift_yaml_gift_is_stable(source):
    """GIFT -> YAML -> GIFT -> YAML: the second import is the first, and the GIFT written from it
    no longer changes."""
    first, _ = read_gift(source, "bank.gift")
    assert first["questions"], source
    written = write_gift(Quiz.model_validate(yaml.safe_load(dump_yaml(first))), "bank")
    second, problems = read_gift(written, "out.gift")
    assert [str(p) for p in problems] == []
    assert second["questions"] == first["questions"]
    again = write_gift(Quiz.model_validate(second), "bank")
    assert again == written


def test_hand_written_spaces_after_escaped_line_breaks_are_kept():
    q = read_gift(HAND_WRITTEN[0], "bank.gift")[0]["questions"][0]
    assert q["prompt"] == "First line\n  indented second\n\n    code"
    assert q["options"][0] == {"text": "yes", "correct": True, "feedback": "right"}
    q = read_gift(HAND_WRITTEN[2], "bank.gift")[0]["questions"][0]
    assert q["prompt"] == "Spread\nover\nlines"  # source line breaks are layout, as in Moodle
    q = read_gift(HAND_WRITTEN[3], "bank.gift")[0]["questions"][0]
    assert q["accept"] == ["%40 off", "forty percent"]


def test_titles_that_are_ids_stay_as_they_are():
    quiz, _ = read_gift("::Q1_a:: x {T}\n\n::Q1_a:: y {T}\n\n::Not an id!:: z {F}\n", "b.gift")
    assert [q["id"] for q in quiz["questions"]] == ["Q1_a", "q1-a", "not-an-id"]


def test_percent_after_equals_in_a_choice_is_text_as_in_moodle():
    q = read_gift("::p:: Pick {=%50% of it ~none}", "bank.gift")[0]["questions"][0]
    assert q["options"][0] == {"text": "%50% of it", "correct": True}


@pytest.mark.parametrize("title", ["Refunds / returns", " spaced ", "two\nlines", "a//b", "/lead"])
def test_the_title_comes_back_exactly(title):
    quiz = quiz_of("x", "y").model_copy(update={"title": title})
    back, problems = read_gift(write_gift(quiz, "x"), "x.gift")
    assert back["title"] == title and not problems
    assert read_gift(write_gift(quiz, "x"), "x.gift", "Given")[0]["title"] == "Given"
