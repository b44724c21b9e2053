"""A quiz's own settings in each export (issue 16 follow-up 2): what GIFT, Moodle XML and QTI 2.1
can carry is written in the format's own terms, everything else is reported at its line on
stderr, and every setting is kept exactly in a ``course-quiz`` comment that the importers read."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
import yaml

from builder.interchange.gift import read_gift, write_gift
from builder.interchange.markup import Html, inner_html
from builder.interchange.moodle import check_moodle_xml, write_moodle_xml
from builder.interchange.qti import NS, qti_schema, validate_qti, write_qti
from builder.interchange.settings import FIELDS, quiz_settings
from builder.problems import Problems
from builder.schema import Quiz
from tests.helpers import FIXTURES, course

EXAM = FIXTURES / "interchange" / "refunds-exam.yml"
Q = f"{{{NS}}}"


@pytest.fixture(scope="module")
def exam() -> Quiz:
    return Quiz.model_validate(yaml.safe_load(EXAM.read_text(encoding="utf-8")))


def line_of(key: str) -> int:
    """The line of a top-level key (or `- id: key`) in the fixture."""
    for n, line in enumerate(EXAM.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith(f"{key}:") or line.strip() == f"- id: {key}":
            return n
    raise AssertionError(key)


def test_quiz_settings_lists_what_differs_from_the_defaults(exam):
    settings = quiz_settings(exam)
    assert list(settings) == [*FIELDS, "questions"]
    assert settings["draw"] == {"policy": 2, "tone": 2} and settings["time_limit"] == 12.5
    assert settings["questions"]["refund-window"] == {"group": "policy", "pins": [3]}
    plain = Quiz.model_validate(
        {"kind": "quiz", "title": "T", "questions": exam.model_dump()["questions"][:1]}
    )
    plain.questions[0].group = None
    plain.questions[0].options[2].pin = False
    assert quiz_settings(plain) == {}


def test_gift_keeps_every_setting_in_a_comment_and_reads_it_back(exam):
    notes = Problems("refunds-exam.yml")
    text = write_gift(exam, "refunds-exam", notes, {0: line_of("refund-window")}, {"attempts": 13})
    assert "\n$CATEGORY: Refunds // returns exam\n" in text  # a / in a category name is //
    assert re.search(r"^// course-quiz: \{.*\"attempts\": 3", text, re.M)
    messages = [str(n) for n in notes]
    assert (
        "refunds-exam.yml:13: warning: attempts: 3 has no place in GIFT; kept only in the // course-quiz: "
        "comment, which the LMS ignores (course import reads it back)"
    ) in messages
    assert any(
        m.startswith(f"refunds-exam.yml:{line_of('refund-window')}: warning: question 'refund-window': pin")
        for m in messages
    )
    back, problems = read_gift(text, "r.gift")
    assert not [p for p in problems if p.is_error]
    assert back["title"] == exam.title
    for key, value in quiz_settings(exam).items():
        if key != "questions":
            assert back[key] == value, key
    assert list(back)[:4] == ["kind", "title", "description", "pass_mark"]  # YAML order
    first = back["questions"][0]
    assert first["group"] == "policy" and first["options"][2]["pin"] is True


def test_gift_comment_that_is_not_json_is_a_located_note():
    quiz, problems = read_gift("// course-quiz: {nope\n\n::a:: x {T}\n", "b.gift")
    assert quiz["questions"] and any(p.line == 1 and "not valid JSON" in p.message for p in problems)


def test_moodle_xml_category_info_tags_and_comment(exam):
    notes = Problems("refunds-exam.yml")
    text = write_moodle_xml(exam, "refunds-exam", Html(), notes, {}, {"draw": 12, "description": 5})
    assert check_moodle_xml(text) == []
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.fromstring(text, parser=parser)
    category = root.find("question")
    assert category.findtext("category/text") == "$course$/top/Refunds // returns exam"
    info = category.findtext("info/text")
    assert info.startswith("<p>Six questions on refunds; each attempt draws <strong>four</strong>.</p>")
    assert "attempts: 3" in info and "draw: {policy: 2, tone: 2}" in info
    comments = [c.text for c in category if c.tag is ET.Comment]
    assert len(comments) == 1 and comments[0].strip().startswith("course-quiz: {")
    tags = [q.findtext("tags/tag/text") for q in root.findall("question")[1:]]
    assert tags == ["policy", "policy", "policy", "tone", "tone", "tone"]
    messages = [str(n) for n in notes]
    assert any(
        m.startswith("refunds-exam.yml:12: warning: draw: {policy: 2, tone: 2} has no place in Moodle XML")
        for m in messages
    )
    # the category's info holds the description, which learners do not see: noted at its line
    assert any(
        m.startswith("refunds-exam.yml:5: warning: description: Moodle XML puts it in the category's info")
        for m in messages
    )


def test_qti_test_carries_the_settings_and_validates(exam):
    notes = Problems("refunds-exam.yml")
    data = write_qti(exam, "refunds-exam", Html(), notes, {}, {"attempts": 13, "mode": 14, "reveal": 11})
    assert validate_qti(data, qti_schema()) == []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        test = ET.fromstring(zf.read("assessmentTest.xml"))
        proof = ET.fromstring(zf.read("items/proof.xml"))
    control = test.find(f"{Q}testPart/{Q}itemSessionControl")
    assert control.attrib == {"maxAttempts": "3", "showFeedback": "false", "showSolution": "true"}
    assert test.find(f"{Q}testPart/{Q}timeLimits").get("maxTime") == "750"  # 12.5 minutes
    outer = test.find(f"{Q}testPart/{Q}assessmentSection")
    assert "<strong>four</strong>" in inner_html(outer.find(f"{Q}rubricBlock"))
    subs = outer.findall(f"{Q}assessmentSection")
    assert [(s.get("title"), s.find(f"{Q}selection").get("select")) for s in subs] == [
        ("policy", "2"),
        ("tone", "2"),
    ]
    assert [r.get("identifier") for r in subs[0].findall(f"{Q}assessmentItemRef")] == [
        "refund-window",
        "proof",
        "sale-items",
    ]
    # pass mark of the 4 questions drawn, not of the 6 in the pool
    assert test.find(f".//{Q}gte/{Q}baseValue").text == "3.02"
    fixed = [c.get("identifier") for c in proof.iter(f"{Q}simpleChoice") if c.get("fixed") == "true"]
    assert fixed == ["C4"]
    messages = sorted(str(n) for n in notes)
    assert [m.split(": warning: ")[0] for m in messages] == [
        "refunds-exam.yml:11", "refunds-exam.yml:13", "refunds-exam.yml:14",
    ]  # fmt: skip
    assert "maxAttempts" in messages[1] and "showFeedback" in messages[2]


def test_qti_draw_of_a_number_is_a_selection():
    quiz = Quiz.model_validate(
        {
            "kind": "quiz",
            "title": "T",
            "draw": 2,
            "reveal": "never",
            "questions": [
                {"id": f"q{n}", "type": "true_false", "prompt": f"p{n}", "answer": True} for n in range(4)
            ],
        }
    )
    notes = Problems("t.yml")
    data = write_qti(quiz, "t", Html(), notes)
    assert validate_qti(data, qti_schema()) == [] and list(notes) == []  # both held exactly
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        test = ET.fromstring(zf.read("assessmentTest.xml"))
    assert test.find(f".//{Q}assessmentSection/{Q}selection").get("select") == "2"
    assert test.find(f".//{Q}itemSessionControl").get("showSolution") == "false"


def test_cli_reports_each_dropped_setting_at_its_line(tmp_path):
    for fmt, word in (("gift", "GIFT"), ("moodle-xml", "Moodle XML")):
        result = course("export", fmt, str(EXAM), "-o", str(tmp_path / f"out.{fmt}"), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        for key in ("pass_mark", "draw", "attempts", "reveal", "mode", "time_limit"):
            assert re.search(
                rf"refunds-exam.yml:{line_of(key)}: warning: {key}: .* has no place in {word}", result.stderr
            ), (fmt, key)


def test_cli_gift_export_then_import_keeps_the_settings(tmp_path):
    result = course("export", "gift", str(EXAM), "-o", "r.gift", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = course("import", "gift", "r.gift", "-o", "quizzes/refunds-exam.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    back = yaml.safe_load((tmp_path / "quizzes" / "refunds-exam.yml").read_text(encoding="utf-8"))
    original = yaml.safe_load(EXAM.read_text(encoding="utf-8"))
    for key in ("title", *FIELDS):
        assert back[key] == original[key], key
    kept = [q for q in original["questions"] if q["type"] != "order"]  # GIFT has no order question
    assert back["questions"] == [{**q} for q in kept]
