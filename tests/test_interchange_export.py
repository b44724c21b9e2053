"""Quizzes out to LMS question banks: GIFT, Moodle XML and an IMS QTI 2.1 package (issue 16,
items 3 and 4).  Moodle XML is checked with a parser (Moodle publishes no XSD); QTI against the
IMS QTI 2.1 XSD vendored in builder/schemas."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
import yaml

from builder.course import Course
from builder.interchange.gift import read_gift
from builder.interchange.markup import Html, canonical
from builder.interchange.moodle import check_moodle_xml, read_moodle_xml, write_moodle_xml
from builder.interchange.qti import NS, qti_schema, read_qti, validate_qti, write_qti
from builder.problems import Problems
from builder.schema import Quiz
from tests.helpers import FIXTURES, REPO, course

DEMO = FIXTURES / "interchange" / "calm-the-caller.yml"
BASE = "https://training.example.org/care/"
Q = f"{{{NS}}}"


@pytest.fixture(scope="module")
def demo() -> Quiz:
    return Quiz.model_validate(yaml.safe_load(DEMO.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def schema():
    return qti_schema()


def flagship_quizzes():
    return [(i.id, i.model) for i in Course.load(REPO).items.values() if i.kind == "quiz"]


# ---------------------------------------------------------------- Moodle XML


def test_moodle_xml_structure_and_types(demo):
    text = write_moodle_xml(demo, "calm-the-caller", Html())
    assert check_moodle_xml(text) == []
    root = ET.fromstring(text)
    types = [q.get("type") for q in root.findall("question")]
    assert types == ["category", "multichoice", "multichoice", "truefalse", "shortanswer", "ordering"]
    assert root.find("question/category/text").text == "$course$/top/Calm the caller"
    single, multiple, tf, short, order = root.findall("question")[1:]
    assert single.findtext("single") == "true" and multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "50", "-100"]
    assert [a.findtext("text") for a in short.findall("answer")] == ["listen", "listening", "Listen quietly"]
    assert short.findtext("usecase") == "0"  # case-insensitive, as our quizzes mark
    assert [a.findtext("text") for a in tf.findall("answer")] == ["true", "false"]
    assert [a.get("fraction") for a in tf.findall("answer")] == ["0", "100"]
    # order questions become Moodle's ordering type, items in the right order, all or nothing
    assert order.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert [a.findtext("text") for a in order.findall("answer")][0] == "<p>Listen until they finish</p>"


def test_moodle_xml_markdown_is_safe_html(demo):
    root = ET.fromstring(write_moodle_xml(demo, "calm-the-caller", Html()))
    prompt = root.findall("question")[1].findtext("questiontext/text")
    assert prompt == (
        '<p>Mr Haddad opens with: <em>"Your lot have double-billed me again!"</em> What do you say '
        "<strong>first</strong>?</p>"
    )
    third = root.findall("question")[2].findall("answer")[2].findtext("text")
    assert third == '<p>Saying "calm down" &lt; twice &gt;</p>'  # escaped, not markup
    evil = demo.model_copy(deep=True)
    evil.questions[
        0
    ].prompt = "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"
    text = write_moodle_xml(evil, "evil", Html())
    html = ET.fromstring(text).findall("question")[1].findtext("questiontext/text")
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_moodle_xml_lesson_links(demo):
    notes = Problems("calm-the-caller.yml")
    text = write_moodle_xml(demo, "calm-the-caller", Html(), notes, {0: 9})
    general = ET.fromstring(text).findall("question")[1].findtext("generalfeedback/text")
    assert general == "<p>Feelings first, then facts. See Module 4.</p>"
    assert [str(n) for n in notes if "question '" in n.message] == [
        "calm-the-caller.yml:9: warning: question 'first-words': the link to 'modules/04-feelings-first.html' "
        "is a page of the course; kept as plain text (give --base-url to keep links)"
    ]
    text = write_moodle_xml(demo, "calm-the-caller", Html(BASE))
    general = ET.fromstring(text).findall("question")[1].findtext("generalfeedback/text")
    assert f'<a href="{BASE}modules/04-feelings-first.html">Module 4</a>' in general


@pytest.mark.parametrize("base", [None, BASE])
def test_moodle_xml_reads_back_losslessly(demo, base):
    assert read_moodle_xml(write_moodle_xml(demo, "calm-the-caller", Html(base))) == canonical(
        demo, Html(base)
    )


def test_moodle_xml_of_every_flagship_quiz():
    for quiz_id, quiz in flagship_quizzes():
        text = write_moodle_xml(quiz, quiz_id, Html(BASE))
        assert check_moodle_xml(text) == [], quiz_id
        assert read_moodle_xml(text) == canonical(quiz, Html(BASE)), quiz_id


def test_moodle_checker_finds_broken_structure():
    assert check_moodle_xml("<quiz><question") != []
    bad = '<quiz><question type="multichoice"><name><text>x</text></name><single>maybe</single></question></quiz>'
    problems = check_moodle_xml(bad)
    assert any("questiontext" in p for p in problems) and any("fewer than two" in p for p in problems)


# ---------------------------------------------------------------- QTI 2.1


def test_qti_package_validates_against_the_xsd(demo, schema):
    data = write_qti(demo, "calm-the-caller", Html())
    assert validate_qti(data, schema) == []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names[0] == "imsmanifest.xml"
        assert sorted(names[1:]) == sorted(
            ["assessmentTest.xml"] + [f"items/{q.id}.xml" for q in demo.questions]
        )
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        cp = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
        types = [r.get("type") for r in manifest.iter(f"{cp}resource")]
        assert types == ["imsqti_test_xmlv2p1"] + ["imsqti_item_xmlv2p1"] * 5
        interactions = {}
        for q in demo.questions:
            item = ET.fromstring(zf.read(f"items/{q.id}.xml"))
            assert item.tag == f"{Q}assessmentItem" and item.get("identifier") == q.id
            body = item.find(f"{Q}itemBody")
            found = [el.tag[len(Q) :] for el in body.iter() if el.tag.endswith("Interaction")]
            interactions[q.type] = (found, item.find(f"{Q}responseDeclaration").get("cardinality"))
        assert interactions == {
            "single": (["choiceInteraction"], "single"),
            "multiple": (["choiceInteraction"], "multiple"),
            "true_false": (["choiceInteraction"], "single"),
            "text": (["textEntryInteraction"], "single"),
            "order": (["orderInteraction"], "ordered"),
        }
        test = ET.fromstring(zf.read("assessmentTest.xml"))
        assert test.find(f".//{Q}gte/{Q}baseValue").text == "4"  # 80% of 5 questions


def test_qti_of_every_flagship_quiz_validates_and_reads_back(schema):
    for quiz_id, quiz in flagship_quizzes():
        data = write_qti(quiz, quiz_id, Html(BASE))
        assert validate_qti(data, schema) == [], quiz_id
        assert read_qti(data) == canonical(quiz, Html(BASE)), quiz_id


@pytest.mark.parametrize("base", [None, BASE])
def test_qti_reads_back_losslessly(demo, base):
    assert read_qti(write_qti(demo, "calm-the-caller", Html(base))) == canonical(demo, Html(base))


def test_qti_is_byte_identical_each_time(demo):
    assert write_qti(demo, "calm-the-caller", Html()) == write_qti(demo, "calm-the-caller", Html())


def test_qti_xsd_catches_a_broken_item(demo, schema):
    data = write_qti(demo, "calm-the-caller", Html())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == "items/first-words.xml":
                body = body.replace(b"<itemBody>", b"<itemBody><nonsense />")
            dst.writestr(name, body)
    problems = validate_qti(buffer.getvalue(), schema)
    assert problems and problems[0].startswith("items/first-words.xml:")


def test_qti_markup_and_ids(demo, schema):
    quiz = demo.model_copy(deep=True)
    quiz.questions[0].id = "1st-question"  # not an XML name: prefixed
    quiz.questions[
        0
    ].prompt = "A ~~struck~~ <u>under</u> <mark>marked</mark> `code` and\n\n    pre  formatted\n"
    data = write_qti(quiz, "9-lives", Html())
    assert validate_qti(data, schema) == []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read("items/q_1st-question.xml").decode()
        assert "<pre><code>pre  formatted\n</code></pre>" in text


# ---------------------------------------------------------------- GIFT and the command


def test_gift_export_imports_back(demo):
    from builder.interchange.gift import write_gift

    notes = Problems("calm-the-caller.yml")
    text = write_gift(demo, "calm-the-caller", notes, {4: 50})
    assert [str(n) for n in notes if "question '" in n.message] == [
        "calm-the-caller.yml:1: warning: question 'first-words': the link to 'modules/04-feelings-first.md' is a "
        "page of the course, which the LMS cannot open; kept as written (give --base-url to link to the published course)",
        "calm-the-caller.yml:50: warning: question 'call-steps' is an order question, which GIFT does not support; left out",
    ]
    assert "// question 'call-steps' (order) left out" in text
    back, problems = read_gift(text, "out.gift")
    assert not problems
    expected = [
        q.model_dump(exclude_none=True, exclude_defaults=True) | {"type": q.type} for q in demo.questions[:4]
    ]
    assert back["questions"] == expected
    assert back["title"] == demo.title


def test_gift_lesson_links_with_a_base_url_and_back(demo):
    from builder.interchange.gift import write_gift

    notes = Problems("calm-the-caller.yml")
    text = write_gift(demo, "calm-the-caller", notes, base_url=BASE)
    from builder.interchange.gift import escape

    assert escape(f"[Module 4]({BASE}modules/04-feelings-first.html)") in text
    assert not any("link" in n.message for n in notes)
    back, _ = read_gift(text, "out.gift", base_url=BASE)
    assert back["questions"][0]["explanation"] == demo.questions[0].explanation
    back, _ = read_gift(text, "out.gift")  # without it, the absolute link stays
    assert f"({BASE}modules/04-feelings-first.html)" in back["questions"][0]["explanation"]


def test_cli_exports(tmp_path):
    project = tmp_path / "p"
    (project / "quizzes").mkdir(parents=True)
    (project / "quizzes" / "calm-the-caller.yml").write_text(
        DEMO.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = course("-C", str(project), "export", "gift", "calm-the-caller", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("// Calm the caller")
    assert (
        "quizzes/calm-the-caller.yml:50: warning: question 'call-steps' is an order question" in result.stderr
    )
    assert "exported 4 of 5 questions" in result.stderr
    result = course(
        "export",
        "moodle-xml",
        str(project / "quizzes" / "calm-the-caller.yml"),
        "-o",
        "bank.xml",
        cwd=tmp_path,
    )
    assert (
        result.returncode == 0 and check_moodle_xml((tmp_path / "bank.xml").read_text(encoding="utf-8")) == []
    )
    result = course("-C", str(project), "export", "qti", "calm-the-caller", "--base-url", BASE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(tmp_path / "calm-the-caller-qti21.zip")


def test_cli_export_mistakes_are_located(tmp_path):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "broken.yml").write_text(
        "kind: quiz\ntitle: T\nquestions:\n  - id: a\n    type: single\n    prompt: P\n    options: [{text: x}, {text: y}]\n",
        encoding="utf-8",
    )
    (tmp_path / "quizzes" / "story.yml").write_text(
        "kind: scenario\ntitle: S\nstart: a\nnodes:\n  a: {text: x, ending: success}\n", encoding="utf-8"
    )
    result = course("export", "gift", "broken", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "quizzes/broken.yml:7: single-choice question 'a' needs exactly one option" in result.stderr
    result = course("export", "qti", "story", cwd=tmp_path)
    assert result.returncode == 1
    assert "quizzes/story.yml:1: this is a scenario, not a quiz" in result.stderr
    result = course("export", "moodle-xml", "nope", cwd=tmp_path)
    assert result.returncode == 1 and "no quiz 'nope'" in result.stderr


def _random_quiz(rnd) -> Quiz | None:
    alphabet = list("ab cd\n~=#{}:\\*_`[]<>&\"'%é—") + ["->", "####", "[markdown]", "//", "$CATEGORY:", "T"]

    def text() -> str:
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 25))) or "x"

    questions = []
    for k in range(4):
        kind = rnd.choice(["single", "multiple", "true_false", "text"])
        q = {"id": f"q{k}", "type": kind, "prompt": text()}
        if rnd.random() < 0.5:
            q["explanation"] = text()
        if kind in ("single", "multiple"):
            q["options"] = [{"text": text()} for _ in range(3)]
            q["options"][0]["correct"] = True
            if kind == "multiple":
                q["options"][1]["correct"] = True
            for o in q["options"]:
                if rnd.random() < 0.5:
                    o["feedback"] = text()
        elif kind == "true_false":
            q["answer"] = rnd.random() < 0.5
            for key in ("feedback_true", "feedback_false"):
                if rnd.random() < 0.5:
                    q[key] = text()
        else:
            q["accept"] = [text().replace("\n", " ") for _ in range(2)]
        questions.append(q)
    try:
        return Quiz.model_validate({"kind": "quiz", "title": "T", "questions": questions})
    except Exception:  # e.g. two options with the same text
        return None


def test_round_trips_of_random_text_with_every_special_character(schema):
    """Every format's special characters in every field: each export reads back the same, spaces
    at the ends of lines included."""
    import random

    rnd = random.Random(16)
    tried = 0
    while tried < 60:
        quiz = _random_quiz(rnd)
        if quiz is None:
            continue
        tried += 1
        from builder.interchange.gift import write_gift

        back, problems = read_gift(write_gift(quiz, "x"), "x.gift")
        assert problems == []
        expected = [
            q.model_dump(exclude_none=True, exclude_defaults=True) | {"type": q.type} for q in quiz.questions
        ]
        assert back["questions"] == expected
        moodle = write_moodle_xml(quiz, "x", Html())
        assert check_moodle_xml(moodle) == [] and read_moodle_xml(moodle) == canonical(quiz, Html())
        package = write_qti(quiz, "x", Html())
        assert read_qti(package) == canonical(quiz, Html())
        if tried % 4 == 0:
            assert validate_qti(package, schema) == []
