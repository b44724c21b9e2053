"""GIFT and Aiken question banks into quiz YAML, and GIFT back out (issue 16, items 2 and 4)."""

from __future__ import annotations

import pytest
import yaml

from builder.interchange.aiken import read_aiken
from builder.interchange.common import check_output, dump_yaml
from builder.interchange.gift import escape, read_gift, write_gift
from builder.problems import Problems
from builder.schema import Quiz
from tests.helpers import FIXTURES, course

BANK = FIXTURES / "interchange" / "irate-customers.gift"
AIKEN = FIXTURES / "interchange" / "quick-check.aiken.txt"


def gift(text: str) -> tuple[dict, list[str]]:
    quiz, problems = read_gift(text, "bank.gift")
    return quiz, [str(p) for p in problems]


def only(text: str) -> dict:
    quiz, notes = gift(text)
    assert len(quiz["questions"]) == 1, notes
    return quiz["questions"][0]


# ---------------------------------------------------------------- the worked example


@pytest.fixture(scope="module")
def bank():
    return read_gift(BANK.read_text(encoding="utf-8"), "irate-customers.gift")


def test_worked_example_has_every_supported_type(bank):
    quiz, problems = bank
    by_id = {q["id"]: q for q in quiz["questions"]}
    assert quiz["title"] == "Handling irate customers"  # the last part of $CATEGORY
    assert list(by_id) == [
        "first-move", "heard-her", "always-right", "one-word", "how-many-steps", "missing-word", "escapes",
    ]  # fmt: skip
    first = by_id["first-move"]
    assert first["type"] == "single"
    assert first["prompt"].startswith("Mr Okafor has waited **twenty minutes**")  # [markdown] tag dropped
    assert [o.get("correct", False) for o in first["options"]] == [True, False, False]
    assert first["options"][1]["feedback"] == "Being told to calm down usually makes people angrier."
    assert first["explanation"] == "Feelings first, then the problem."
    heard = by_id["heard-her"]
    assert heard["type"] == "multiple"
    assert [o.get("correct", False) for o in heard["options"]] == [True, True, False]
    tf = by_id["always-right"]
    assert tf["answer"] is False
    # first feedback is for a wrong answer (True here), the second for a right one
    assert tf["feedback_true"].startswith("Not quite") and tf["feedback_false"].startswith("Right")
    assert tf["explanation"] == "What matters is how they feel about what happened."
    assert by_id["one-word"]["accept"] == ["listen", "listening"]
    assert by_id["one-word"]["prompt"] == "In one word: what do you do while an angry caller vents?"
    assert by_id["how-many-steps"] == {
        "id": "how-many-steps",
        "type": "text",
        "prompt": "The apology model in Module 5 has how many steps?",
        "accept": ["3", "3.0"],
        "explanation": "Acknowledge, apologise, act.",
    }
    assert by_id["missing-word"]["prompt"] == "Don't take the _____ when a customer makes a jab about you."
    esc = by_id["escapes"]
    assert esc["prompt"] == 'Which reply uses the "I=we" rule {own the problem}?'
    assert esc["options"][0]["text"] == '~ "We made a mistake, and I\'ll fix it." #ownership'
    assert esc["options"][1]["text"] == '"Head office did that: not me."'


def test_worked_example_reports_unsupported_with_lines(bank):
    _, problems = bank
    lines = BANK.read_text(encoding="utf-8").split("\n")
    notes = {p.message.split(" ")[1].strip("'"): p for p in problems}
    assert not any(p.is_error for p in problems)
    for qid, word in (("match-moves", "matching"), ("reflect", "essay"), ("note", "description")):
        assert word in notes[qid].message and "not supported" in notes[qid].message
        assert lines[notes[qid].line - 1].startswith(f"::{qid}::")
        assert str(notes[qid]).startswith(f"irate-customers.gift:{notes[qid].line}: warning: ")


def test_worked_example_passes_course_check_and_reads_well(bank):
    quiz, _ = bank
    text = dump_yaml(quiz)
    assert check_output(text, "quizzes/irate-customers.yml").problems == []
    assert "  - id: first-move\n    type: single\n" in text  # block style, keys in a stable order
    assert dump_yaml(quiz) == text  # the same data always gives the same lines
    assert yaml.safe_load(text) == quiz


def test_round_trip_gift_yaml_gift_keeps_text_answers_feedback(bank):
    quiz, _ = bank
    model = Quiz.model_validate(yaml.safe_load(dump_yaml(quiz)))
    again, problems = read_gift(write_gift(model, "irate-customers"), "out.gift")
    assert [str(p) for p in problems] == []
    assert again["questions"] == quiz["questions"]
    assert again["title"] == quiz["title"]


def test_round_trip_of_the_flagship_quizzes():
    from builder.course import Course
    from tests.helpers import REPO

    for item in Course.load(REPO).items.values():
        if item.kind != "quiz":
            continue
        notes = Problems(item.path)
        text = write_gift(item.model, item.id, notes)
        back, problems = read_gift(text, "x.gift")
        assert not [p for p in problems if p.is_error]
        kept = [
            q.model_dump(exclude_none=True, exclude_defaults=True)
            for q in item.model.questions
            if q.type != "order"
        ]
        for q in kept:
            q["type"] = next(x.type for x in item.model.questions if x.id == q["id"])
        assert back["questions"] == kept
        orders = [q for q in item.model.questions if q.type == "order"]
        assert len([n for n in notes if "order question" in n.message]) == len(orders)  # each reported
        # the quiz's settings come back from the course-quiz comment
        from builder.interchange.settings import quiz_settings

        settings = quiz_settings(item.model)
        settings.pop("questions", None)
        for key, value in settings.items():
            assert back[key] == value, (item.id, key)


# ---------------------------------------------------------------- the parser, case by case


def test_comments_blank_lines_and_categories():
    quiz, notes = gift(
        "// top comment\n$CATEGORY: bank/Refunds\n\n// about q1\n::q1:: Hi {=a ~b}\n\n\n::q2:: Ho {T}\n"
    )
    assert [q["id"] for q in quiz["questions"]] == ["q1", "q2"]
    assert quiz["title"] == "Refunds" and notes == []


def test_several_categories_are_reported():
    quiz, notes = gift("$CATEGORY: A\n\n::a:: x {T}\n\n$CATEGORY: B\n\n::b:: y {F}\n")
    assert len(quiz["questions"]) == 2
    assert any("2 categories" in n for n in notes)


def test_ids_from_titles_else_numbers_and_unique():
    quiz, _ = gift("::Refund, late!:: x {T}\n\ny {T}\n\n::Refund late:: z {F}\n")
    assert [q["id"] for q in quiz["questions"]] == ["refund-late", "q2", "refund-late-2"]


def test_single_with_partial_credit_reports_it():
    q, notes = gift("x {=a ~%50%b ~c}")[0]["questions"][0], gift("x {=a ~%50%b ~c}")[1]
    assert q["type"] == "single" and [o.get("correct", False) for o in q["options"]] == [True, False, False]
    assert any("partial credit" in n for n in notes)


def test_multiple_equals_become_multiple_with_a_note():
    quiz, notes = gift("x {=a =b ~c}")
    assert quiz["questions"][0]["type"] == "multiple"
    assert any("2 answers are fully right" in n for n in notes)


def test_true_false_forms():
    for mark, value in (("T", True), ("TRUE", True), ("F", False), ("false", False)):
        assert only(f"q {{{mark}}}")["answer"] is value
    q = only("q {TRUE##Right.}")
    assert q == {"id": "q1", "type": "true_false", "prompt": "q", "answer": True, "feedback_true": "Right."}


def test_numeric_forms_and_ranges():
    assert only("n {#42}")["accept"] == ["42"]
    assert only("n {#=42 =42.0 =%100%042}")["accept"] == ["42", "42.0", "042"]
    assert only("n {#=42:0}")["accept"] == ["42"]
    quiz, notes = gift("n {#=42 =40..44}")
    assert quiz["questions"][0]["accept"] == ["42"]
    assert any("range '40..44'" in n and n.startswith("bank.gift:1:") for n in notes)
    quiz, notes = gift("a\n\nn {#3.14:0.01}")
    assert quiz["questions"] == [] or all(q["id"] != "q2" for q in quiz["questions"])
    assert any("3.14:0.01" in n and n.startswith("bank.gift:3:") for n in notes)
    q = only("n {#=4#Yes, four.}")
    assert q["explanation"] == "Yes, four."  # feedback on a numeric answer is kept, not dropped


def test_short_answer_feedback_and_partial_credit():
    quiz, notes = gift("s {=listen#Good. =%50%hear}")
    q = quiz["questions"][0]
    assert q["accept"] == ["listen"] and q["explanation"] == "Good."
    assert any("50% credit" in n for n in notes)


def test_multiline_answers_and_general_feedback():
    q = only("::m:: Pick\none {\n  =yes # right\n  ~no # wrong\n  #### In general.\n}")
    assert q["prompt"] == "Pick\none"
    assert q["options"] == [
        {"text": "yes", "correct": True, "feedback": "right"},
        {"text": "no", "feedback": "wrong"},
    ]
    assert q["explanation"] == "In general."


def test_newline_escape_and_html_format():
    q = only("::h::[html]<p>Line one\\nline two</p> {T}")
    assert q["prompt"] == "<p>Line one\nline two</p>"


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("ok {T}\n\n::bad:: text {=a ~b\nmore", 3, "never closed"),
        ("::a:: x {=a} y {=b}", 1, "separate questions with a blank line"),
        ("::a:: x {~a ~b}", 1, "no answer is marked right"),
        ("::a:: x {lead =a ~b}", 1, "before the first"),
        ("::a:: {=a ~b}", 1, "no question text"),
        ("::a:: x {#abc}", 1, "not a number"),
    ],
)
def test_mistakes_are_located_errors(text, line, message):
    quiz, problems = read_gift(text, "bank.gift")
    errors = [p for p in problems if p.is_error]
    assert errors, [str(p) for p in problems]
    assert any(p.line == line and message in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("bank.gift:") for p in problems)


def test_empty_file_is_an_error():
    quiz, problems = read_gift("// nothing here\n", "empty.gift")
    assert [str(p) for p in problems] == ["empty.gift:1: no question could be imported from this file"]


def test_escape_round_trips_every_special_character():
    text = "a~b=c#d{e}f:g\\h\nnext"
    q = only(f"::t:: {escape(text)} {{T}}")
    assert q["prompt"] == text


# ---------------------------------------------------------------- Aiken


def test_aiken_worked_example():
    quiz, problems = read_aiken(AIKEN.read_text(encoding="utf-8"), "quick-check.aiken.txt", "Quick check")
    assert [str(p) for p in problems] == []
    assert quiz["title"] == "Quick check"
    assert [q["id"] for q in quiz["questions"]] == ["q1", "q2", "q3"]
    assert [[o.get("correct", False) for o in q["options"]].index(True) for q in quiz["questions"]] == [
        1,
        1,
        2,
    ]
    assert quiz["questions"][1]["options"][0]["text"] == '"Sorry for any inconvenience."'
    assert check_output(dump_yaml(quiz), "quizzes/quick-check.yml").problems == []


def test_aiken_mistakes_have_lines():
    text = "Q one?\nA. yes\nB. no\nANSWER: C\n\nQ two?\nA. yes\nB. no\n\nQ three?\nA. only\nANSWER: A\n"
    quiz, problems = read_aiken(text, "a.txt")
    got = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert (4, "ANSWER:") in got  # C is not an option
    assert any(p.line == 8 and "no 'ANSWER: X'" in p.message for p in problems)
    assert any(p.line == 10 and "at least two options" in p.message for p in problems)
    assert quiz["questions"] == []


# ---------------------------------------------------------------- the command


def test_cli_import_gift_and_aiken(tmp_path):
    result = course("import", "gift", str(BANK), "-o", "quizzes/irate-customers.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "passes course check" in result.stderr
    assert "irate-customers.gift:42: warning: question 'match-moves' is a matching question" in result.stderr
    written = (tmp_path / "quizzes" / "irate-customers.yml").read_text(encoding="utf-8")
    assert written.startswith("# Imported from irate-customers.gift")
    result = course("import", "aiken", str(AIKEN), "--title", "Quick check", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("# Imported from quick-check.aiken.txt")
    assert yaml.safe_load(result.stdout)["title"] == "Quick check"
    result = course("import", "aiken", str(AIKEN), cwd=tmp_path)  # no title: the file's name
    assert yaml.safe_load(result.stdout)["title"] == "Quick check"


def test_cli_import_errors_are_located_not_tracebacks(tmp_path):
    (tmp_path / "bad.gift").write_bytes(b"::a:: caf\xe9 {T}\n")
    result = course("import", "gift", "bad.gift", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("bad.gift:1: byte 0xe9 is not UTF-8")
    assert "Traceback" not in result.stderr
    result = course("import", "gift", "missing.gift", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("missing.gift:1: cannot read the file")
    (tmp_path / "half.gift").write_text("::a:: x {T}\n\n::b:: y {=a ~b\n", encoding="utf-8")
    result = course("import", "gift", "half.gift", "-o", "quizzes/half.yml", cwd=tmp_path)
    assert result.returncode == 1 and "half.gift:3: question 'b'" in result.stderr
    assert (tmp_path / "quizzes" / "half.yml").exists()  # what could be read is kept
