"""`course import moodle-xml` and `course import qti` (issue 16 follow-up 3): foreign banks into
quiz YAML that passes `course check`, unsupported types reported at their line, untrusted XML
parsed safely, and export -> import giving the same quiz for both formats."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from builder.course import Course
from builder.interchange.common import SourceError, check_output, dump_yaml
from builder.interchange.markup import Html
from builder.interchange.moodle import write_moodle_xml
from builder.interchange.moodle_import import read_moodle_xml_bank
from builder.interchange.qti import write_qti
from builder.interchange.qti_import import read_qti_package
from builder.schema import Quiz
from tests.helpers import FIXTURES, REPO, course

HERE = FIXTURES / "interchange"
MOODLE = HERE / "service-desk.moodle.xml"
QTI_DIR = HERE / "front-desk-qti"
BASE = "https://training.example.org/care/"


def normal(quiz) -> dict:
    """A quiz as the course reads it, each text without a line break at its very end (a folded
    YAML block adds one; no format keeps it: a documented loss)."""

    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v.rstrip("\n") if isinstance(v, str) else v

    model = quiz if isinstance(quiz, Quiz) else Quiz.model_validate(quiz)
    return strip(model.model_dump())


def quizzes() -> list[tuple[str, Quiz]]:
    out = [(i.id, i.model) for i in Course.load(REPO).items.values() if i.kind == "quiz"]
    for name in ("calm-the-caller", "refunds-exam"):
        out.append(
            (name, Quiz.model_validate(yaml.safe_load((HERE / f"{name}.yml").read_text(encoding="utf-8"))))
        )
    return out


def package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("base", [None, BASE], ids=["no-base-url", "base-url"])
@pytest.mark.parametrize("fmt", ["moodle-xml", "qti"])
def test_export_then_import_gives_the_same_quiz(fmt, base):
    """Every flagship quiz and both fixtures, exactly: settings, groups, pins, text (lesson links
    and Markdown spelling included, through the course-quiz comment), answers, feedback."""
    for quiz_id, quiz in quizzes():
        if fmt == "moodle-xml":
            back, problems = read_moodle_xml_bank(
                write_moodle_xml(quiz, quiz_id, Html(base)), "x.xml", None, base
            )
        else:
            back, problems = read_qti_package(write_qti(quiz, quiz_id, Html(base)), "x.zip", None, base)
        assert [str(p) for p in problems] == [], quiz_id
        assert Quiz.model_validate(back).model_dump() == quiz.model_dump(), quiz_id
        assert check_output(dump_yaml(back), f"quizzes/{quiz_id}.yml").problems == [], quiz_id


def test_text_edited_in_the_lms_wins_over_the_stored_markdown():
    quiz = dict(quizzes())["calm-the-caller"]
    text = write_moodle_xml(quiz, "c", Html())
    assert "See Module 4." in text
    edited = text.replace("Feelings first, then facts. See Module 4.", "Feelings come first. See Module 4.")
    back, _ = read_moodle_xml_bank(edited, "c.xml")
    first = back["questions"][0]
    assert first["explanation"] == "Feelings come first. See Module 4."  # the file, not the stored text
    assert first["prompt"] == quiz.questions[0].prompt  # unchanged text: the exact Markdown
    data = write_qti(quiz, "c", Html())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == "items/first-words.xml":
                body = body.replace(b"Feelings first, then facts.", b"Feelings come first.")
            dst.writestr(name, body)
    back, _ = read_qti_package(buffer.getvalue(), "c.zip")
    assert back["questions"][0]["explanation"] == "Feelings come first. See Module 4."


def test_tricky_text_round_trips_through_html():
    texts = [
        'Saying "calm down" < twice > &amp; a_b __init__ *star* `code`',
        "Two lines  \nwith a break, and a list:\n\n- one\n- two",
        "Fill the _____ in.",
    ]
    quiz = Quiz.model_validate(
        {
            "kind": "quiz",
            "title": "T",
            "questions": [
                {
                    "id": f"q{n}",
                    "type": "single",
                    "prompt": t,
                    "options": [{"text": t, "correct": True}, {"text": "x"}],
                }
                for n, t in enumerate(texts)
            ],
        }
    )
    from builder.interchange import moodle, qti

    for back, _ in (  # the HTML alone, without the exact texts the comment keeps
        read_moodle_xml_bank(moodle._write(quiz, "t", Html()), "t.xml"),
        read_qti_package(qti._write(quiz, "t", Html()), "t.zip"),
    ):
        got = [q["prompt"] for q in back["questions"]]
        # the same rendered text (Markdown may come back in another spelling, e.g. __x__ as **x**)
        assert [Html().html(g) for g in got] == [Html().html(t) for t in texts]
        assert got[2] == texts[2] and got[1] == texts[1]


# ---------------------------------------------------------------- Moodle XML from Moodle


def test_moodle_worked_example():
    quiz, problems = read_moodle_xml_bank(MOODLE.read_bytes(), "service-desk.moodle.xml")
    assert (
        quiz["title"] == "Service desk" and quiz["description"] == "Questions for the **service desk** team."
    )
    assert quiz["shuffle"] is True
    by_id = {q["id"]: q for q in quiz["questions"]}
    assert list(by_id) == [
        "first-reply",
        "signs-of-listening",
        "always-right",
        "one-word",
        "steps",
        "call-order",
    ]
    first = by_id["first-reply"]
    assert first["prompt"] == 'A caller says: *"Third time I\'ve rung!"* What do you say **first**?'
    assert [o.get("correct", False) for o in first["options"]] == [True, False, False]
    assert first["options"][2]["text"] == '"Calm down" < twice > & louder'
    assert first["explanation"] == "Feelings first, then facts.\n\nWell done."
    assert [o.get("correct", False) for o in by_id["signs-of-listening"]["options"]] == [True, True, False]
    tf = by_id["always-right"]
    assert tf["answer"] is False and tf["feedback_false"] == "Right: check the facts kindly."
    assert by_id["one-word"]["accept"] == ["listen", "listening"]
    assert by_id["steps"]["accept"] == ["3"]
    assert by_id["call-order"]["items"] == ["Listen", "Acknowledge", "Act"]
    lines = MOODLE.read_text(encoding="utf-8").split("\n")
    notes = {p.message: p.line for p in problems}
    assert not any(p.is_error for p in problems)
    for name, kind in (("match-terms", "a matching"), ("reflect", "an essay"), ("intro", "a description")):
        line = notes[f"question '{name}' is {kind} question, which the course does not support; left out"]
        assert lines[line - 1].strip().startswith("<question type=")
    assert any("wait" in m and "50% credit" in m for m in notes)
    assert any("tolerance of 1" in m for m in notes)
    assert check_output(dump_yaml(quiz), "quizzes/service-desk.yml").problems == []


def test_moodle_not_a_bank_and_broken_xml_are_located():
    with pytest.raises(SourceError) as exc:
        read_moodle_xml_bank(b"<?xml version='1.0'?>\n<questions/>", "b.xml")
    assert str(exc.value.problems[0]).startswith("b.xml:2: the root element is <questions>")
    with pytest.raises(SourceError) as exc:
        read_moodle_xml_bank(b"<quiz>\n<question type='truefalse'>\n</quiz>", "b.xml")
    assert str(exc.value.problems[0]).startswith("b.xml:3: not well-formed XML")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="category"><category><text>&b;</text></category></question></quiz>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="category"><category><text>&secret;</text></category></question></quiz>"""


@pytest.mark.parametrize("data", [BOMB, XXE], ids=["entity-expansion", "external-entity"])
def test_untrusted_xml_is_refused_not_expanded(tmp_path, data):
    for fmt, name in (("moodle-xml", "bank.xml"), ("qti", "item.xml")):
        (tmp_path / name).write_bytes(data)
        result = course("import", fmt, name, "-o", "quizzes/x.yml", cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"{name}:2: the file declares XML entities"), result.stderr
        assert "root:" not in result.stderr and not (tmp_path / "quizzes" / "x.yml").exists()


# ---------------------------------------------------------------- QTI from other tools


def test_qti_worked_example_test_on_disk():
    src = QTI_DIR / "assessmentTest.xml"
    quiz, problems = read_qti_package(src.read_bytes(), "front-desk-qti/assessmentTest.xml", folder=QTI_DIR)
    assert quiz["title"] == "Front desk check"
    assert quiz["description"] == "Three questions about the *front desk*."
    assert (quiz["attempts"], quiz["time_limit"], quiz["shuffle"]) == (2, 10, True)
    greeting, badge, order = quiz["questions"]
    assert greeting["type"] == "single" and greeting["prompt"].startswith("A visitor walks up")
    assert greeting["options"][1] == {
        "text": 'Smile and raise a hand: **"One moment"**',
        "correct": True,
        "feedback": "They know they have been seen.",
    }
    assert greeting["options"][0]["feedback"] == "They may feel ignored."
    assert greeting["options"][2]["pin"] is True
    assert badge == {
        "id": "visitor-badge",
        "type": "text",
        "prompt": "Every visitor signs in and gets a _____ to wear.",
        "accept": ["badge", "pass"],
    }
    assert order["items"] == ["Greet the visitor", "Ask them to sign in", "Hand over a badge"]
    assert [str(p) for p in problems] == [
        "front-desk-qti/items/match.xml:5: warning: item 'match' has a matchInteraction, which the course does not support; left out"
    ]
    assert check_output(dump_yaml(quiz), "quizzes/front-desk.yml").problems == []


def test_qti_zip_without_a_test_and_a_single_item():
    item = (QTI_DIR / "items" / "queue-order.xml").read_text(encoding="utf-8")
    manifest = (
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources>'
        '<resource identifier="R1" type="imsqti_item_xmlv2p1" href="q.xml"><file href="q.xml"/></resource>'
        '<resource identifier="R2" type="imsqti_item_xmlv2p1" href="gone.xml"/>'
        "</resources></manifest>"
    )
    quiz, problems = read_qti_package(package({"imsmanifest.xml": manifest, "q.xml": item}), "p.zip")
    assert [q["id"] for q in quiz["questions"]] == ["queue-order"]
    assert any(p.is_error and "gone.xml" in p.message for p in problems)
    quiz, problems = read_qti_package(item.encode(), "queue-order.xml")
    assert quiz["questions"][0]["type"] == "order" and not problems


def test_qti_true_false_and_multiple_from_another_tool():
    def item(body: str, correct: str, card: str = "single") -> bytes:
        return (
            '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2" identifier="i 1" title="Is it?">'
            f'<responseDeclaration identifier="R" cardinality="{card}" baseType="identifier"><correctResponse>{correct}'
            f"</correctResponse></responseDeclaration><itemBody><p>Question?</p>{body}</itemBody></assessmentItem>"
        ).encode()

    tf = '<choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="t">True</simpleChoice><simpleChoice identifier="f">False</simpleChoice></choiceInteraction>'
    quiz, _ = read_qti_package(item(tf, "<value>f</value>"), "tf.xml")
    assert quiz["questions"][0] == {
        "id": "is-it",
        "type": "true_false",
        "prompt": "Question?",
        "answer": False,
    }
    multi = '<choiceInteraction responseIdentifier="R" maxChoices="0"><simpleChoice identifier="a">A</simpleChoice><simpleChoice identifier="b">B</simpleChoice><simpleChoice identifier="c">C</simpleChoice></choiceInteraction>'
    quiz, _ = read_qti_package(item(multi, "<value>a</value><value>c</value>", "multiple"), "m.xml")
    q = quiz["questions"][0]
    assert q["type"] == "multiple" and [o.get("correct", False) for o in q["options"]] == [True, False, True]
    two = multi + multi.replace('"R"', '"R2"')
    quiz, problems = read_qti_package(item(two, "<value>a</value>", "multiple"), "two.xml")
    assert quiz["questions"] == [] and any("2 interactions" in p.message for p in problems)


# ---------------------------------------------------------------- the command


def test_cli_round_trip_and_worked_examples(tmp_path):
    exam = HERE / "refunds-exam.yml"
    for fmt, out in (("moodle-xml", "bank.xml"), ("qti", "bank.zip")):
        result = course("export", fmt, str(exam), "-o", out, "--base-url", BASE, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        result = course("import", fmt, out, "-o", f"quizzes/back-{fmt}.yml", "--base-url", BASE, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "passes course check" in result.stderr
        back = yaml.safe_load((tmp_path / "quizzes" / f"back-{fmt}.yml").read_text(encoding="utf-8"))
        assert normal(back) == normal(yaml.safe_load(exam.read_text(encoding="utf-8")))
    result = course("import", "moodle-xml", str(MOODLE), "-o", "quizzes/service-desk.yml", cwd=tmp_path)
    assert result.returncode == 0 and "is a matching question" in result.stderr
    result = course("import", "qti", str(QTI_DIR / "assessmentTest.xml"), cwd=tmp_path)
    assert result.returncode == 0 and yaml.safe_load(result.stdout)["title"] == "Front desk check"
    assert "items/match.xml:5: warning: item 'match' has a matchInteraction" in result.stderr


def test_a_draw_larger_than_what_came_across_is_lowered_with_a_note():
    test = (
        (QTI_DIR / "assessmentTest.xml")
        .read_bytes()
        .replace(b"<rubricBlock", b'<selection select="4"/><rubricBlock')
    )
    quiz, problems = read_qti_package(test, "front-desk-qti/assessmentTest.xml", folder=QTI_DIR)
    assert quiz["draw"] == 3  # the match item was left out
    assert (
        "front-desk-qti/assessmentTest.xml:4: warning: draw: 4 is more than the 3 questions imported; lowered to 3"
        in [str(p) for p in problems]
    )
    assert check_output(dump_yaml(quiz), "quizzes/front-desk.yml").problems == []


@pytest.mark.parametrize("title", ["Refunds / returns", " spaced ", "/lead", "a//b", "two\nlines"])
def test_the_title_comes_back_exactly(title):
    quiz = dict(quizzes())["calm-the-caller"].model_copy(update={"title": title})
    back, _ = read_moodle_xml_bank(write_moodle_xml(quiz, "c", Html()), "c.xml")
    assert back["title"] == title
    back, _ = read_qti_package(write_qti(quiz, "c", Html()), "c.zip")
    assert back["title"] == title
    assert read_moodle_xml_bank(write_moodle_xml(quiz, "c", Html()), "c.xml", "Given")[0]["title"] == "Given"


def test_a_huge_member_of_a_package_is_not_read(monkeypatch):
    from builder.interchange import qti_import

    monkeypatch.setattr(qti_import, "MAX_MEMBER", 3000)
    item = (QTI_DIR / "items" / "greeting.xml").read_text(encoding="utf-8")
    big = item.replace("<itemBody>", "<itemBody><!--" + "x" * 5000 + "-->")
    manifest = (
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><resources>'
        '<resource identifier="R1" type="imsqti_item_xmlv2p1" href="big.xml"/>'
        '<resource identifier="R2" type="imsqti_item_xmlv2p1" href="q.xml"/>'
        "</resources></manifest>"
    )
    quiz, problems = read_qti_package(
        package({"imsmanifest.xml": manifest, "big.xml": big, "q.xml": item}), "p.zip"
    )
    assert [q["id"] for q in quiz["questions"]] == ["greeting"]
    assert any(str(p).startswith("p.zip/big.xml:1: this file unpacks to more than") for p in problems)


def test_qti_text_entry_in_a_sentence_is_a_blank():
    def item(body: str) -> bytes:
        return (
            '<assessmentItem identifier="c" title="Capital"><responseDeclaration identifier="R" cardinality="single" '
            'baseType="string"><correctResponse><value>Paris</value></correctResponse></responseDeclaration>'
            f"<itemBody>{body}</itemBody></assessmentItem>"
        ).encode()

    entry = '<textEntryInteraction responseIdentifier="R"/>'
    for body, prompt in (
        (f"The capital of France is {entry}.", "The capital of France is _____."),
        (f"<p>{entry} is the capital of France.</p>", "_____ is the capital of France."),
        (f"<p>Name the capital of France.</p><p>{entry}</p>", "Name the capital of France."),
    ):
        quiz, problems = read_qti_package(item(body), "c.xml")
        assert quiz["questions"][0]["prompt"] == prompt and not problems
