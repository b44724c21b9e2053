"""Moodle XML question banks (docs.moodle.org/en/Moodle_XML_format).

``write_moodle_xml``: a quiz as a category plus one ``<question>`` per question:
``single`` / ``multiple`` -> ``multichoice`` (multiple: each right option scores 100/n %, each
wrong one -100 %, so only the full right set scores), ``true_false`` -> ``truefalse``,
``text`` -> ``shortanswer`` (case-insensitive, every accepted answer 100 %), ``order`` ->
``ordering`` (Moodle's ordering question, all-or-nothing).  Text is HTML (``format="html"``)
made from our Markdown by ``markup.Html``.

``check_moodle_xml`` checks the structure Moodle's importer needs (there is no official XSD),
and ``read_moodle_xml`` reads questions back in ``markup.canonical`` form for round-trip tests.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..problems import Problems
from .markup import Html, fragment, inner_html

QTYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "text": "shortanswer",
    "order": "ordering",
}


def _fraction(n: int) -> str:
    return f"{100 / n:.7f}".rstrip("0").rstrip(".")


def _text(parent: ET.Element, tag: str, html: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = html
    return el


def write_moodle_xml(
    quiz,
    quiz_id: str,
    html: Html,
    problems: Problems | None = None,
    lines: dict | None = None,
    field_lines: dict | None = None,
) -> str:
    """A ``schema.Quiz`` as Moodle XML text: see ``_write``.  Each text that would not come
    back from its HTML exactly (``settings.text_sources``) is kept in the ``course-quiz``
    comment too, so ``course import moodle-xml`` gives back the same quiz."""
    from .moodle_import import read_moodle_xml_bank
    from .settings import write_exactly

    def read_back(data, base_url):
        return read_moodle_xml_bank(data, "export.xml", None, base_url)

    return write_exactly(_write, read_back, quiz, quiz_id, html, problems, lines, field_lines)


def _write(
    quiz,
    quiz_id: str,
    html: Html,
    problems: Problems | None = None,
    lines: dict | None = None,
    field_lines: dict | None = None,
    texts: dict | None = None,
) -> str:
    """A ``schema.Quiz`` as Moodle XML text (UTF-8).  What the HTML could not carry (lesson
    links without a base URL) is reported to ``problems`` at the question's line.

    A question bank has no home for a quiz's settings: the description and the settings in words
    go in the category's ``<info>`` (shown in Moodle's question bank), and all of them, exactly,
    in a ``<!-- course-quiz: {...} -->`` comment that ``read_moodle_import`` reads back; each
    setting Moodle cannot use is reported at its line (``field_lines``: setting -> line).  A
    question's pool ``group`` becomes a question tag (Moodle's random questions draw by tag)."""
    from .settings import describe, quiz_settings, report, settings_comment

    settings = quiz_settings(quiz, texts)
    if quiz.title != quiz.title.strip() or "/" in quiz.title.strip()[:1] + quiz.title.strip()[-1:]:
        settings = {"title": quiz.title, **settings}  # outer spaces or slashes the category loses
    root = ET.Element("quiz")
    cat = ET.SubElement(root, "question", {"type": "category"})
    _text(cat, "category", f"$course$/top/{quiz.title.replace('/', '//')}", None)
    words = describe(settings)
    info = html.html(quiz.description) if quiz.description else ""
    if words:
        note = ET.Element("p")
        note.text = f"Settings of the course quiz (a question bank does not use them): {words}"
        info += ("\n" if info else "") + ET.tostring(note, encoding="unicode")
    if info:
        _text(cat, "info", info)
    if settings:
        cat.append(ET.Comment(" " + settings_comment(settings).replace("--", "-\\u002d") + " "))
        ids = {q.id: (lines or {}).get(i, 1) for i, q in enumerate(quiz.questions)}
        carried = {
            "description": "puts it in {where}, which the question bank shows but learners do not "
            "(give the Moodle quiz its own description)",
            "shuffle": "",
            "group": "",
        }
        report(settings, carried, "Moodle XML", "the category's info", problems, field_lines, ids)
    for index, q in enumerate(quiz.questions):
        before = len(html.notes)
        el = ET.SubElement(root, "question", {"type": QTYPES[q.type]})
        _text(el, "name", q.id, None)
        _text(el, "questiontext", html.html(q.prompt))
        _text(el, "generalfeedback", html.html(q.explanation))
        ET.SubElement(el, "defaultgrade").text = "1"
        ET.SubElement(el, "penalty").text = "0" if q.type in ("true_false", "order") else "0.3333333"
        ET.SubElement(el, "hidden").text = "0"
        ET.SubElement(el, "idnumber").text = q.id
        if q.group:
            tag = ET.SubElement(ET.SubElement(el, "tags"), "tag")
            ET.SubElement(tag, "text").text = q.group
        if q.type in ("single", "multiple"):
            ET.SubElement(el, "single").text = "true" if q.type == "single" else "false"
            ET.SubElement(el, "shuffleanswers").text = "1" if quiz.shuffle else "0"
            ET.SubElement(el, "answernumbering").text = "none"
            n_right = sum(1 for o in q.options if o.correct)
            for o in q.options:
                if q.type == "single":
                    fraction = "100" if o.correct else "0"
                else:
                    fraction = _fraction(n_right) if o.correct else "-100"
                answer = _text(el, "answer", html.html(o.text))
                answer.set("fraction", fraction)
                _text(answer, "feedback", html.html(o.feedback))
        elif q.type == "true_false":
            for value, feedback in ((True, q.feedback_true), (False, q.feedback_false)):
                answer = _text(el, "answer", "true" if value else "false", "moodle_auto_format")
                answer.set("fraction", "100" if value == q.answer else "0")
                _text(answer, "feedback", html.html(feedback))
        elif q.type == "text":
            ET.SubElement(el, "usecase").text = "0"
            for accepted in q.accept:
                answer = _text(el, "answer", accepted, "moodle_auto_format")
                answer.set("fraction", "100")
                _text(answer, "feedback", "")
        elif q.type == "order":
            ET.SubElement(el, "layouttype").text = "VERTICAL"
            ET.SubElement(el, "selecttype").text = "ALL"
            ET.SubElement(el, "selectcount").text = "0"
            ET.SubElement(el, "gradingtype").text = "ALL_OR_NOTHING"
            ET.SubElement(el, "showgrading").text = "SHOW"
            ET.SubElement(el, "numberingstyle").text = "none"
            for item in q.items:
                answer = _text(el, "answer", html.html(item))
                answer.set("fraction", "1")
        if problems is not None:
            for note in dict.fromkeys(html.notes[before:]):
                problems.warn((lines or {}).get(index, 1), f"question '{q.id}': {note}")
    ET.indent(root, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------- checking and reading back


def _html_of(el: ET.Element | None) -> str:
    if el is None:
        return ""
    text = el.findtext("text") or ""
    if el.get("format", "html") == "html":
        return inner_html(fragment(text))
    return text


def check_moodle_xml(text: str) -> list[str]:
    """Structural problems Moodle's importer would stop on (empty list: none)."""
    out: list[str] = []
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != "quiz":
        return [f"the root element is <{root.tag}>, not <quiz>"]
    for n, q in enumerate(root.findall("question"), 1):
        qtype = q.get("type")
        where = f"question {n} ({qtype})"
        if qtype == "category":
            if not (q.findtext("category/text") or "").strip():
                out.append(f"{where}: no category/text")
            continue
        if qtype not in set(QTYPES.values()):
            out.append(f"{where}: unknown type")
            continue
        if not (q.findtext("name/text") or "").strip():
            out.append(f"{where}: no name/text")
        if q.find("questiontext") is None or q.find("questiontext/text") is None:
            out.append(f"{where}: no questiontext/text")
        answers = q.findall("answer")
        fractions = []
        for a in answers:
            try:
                fractions.append(float(a.get("fraction", "x")))
            except ValueError:
                out.append(f"{where}: answer without a numeric fraction")
            if a.find("text") is None:
                out.append(f"{where}: answer without text")
        if qtype == "multichoice":
            if len(answers) < 2:
                out.append(f"{where}: fewer than two answers")
            if (q.findtext("single") or "") not in ("true", "false"):
                out.append(f"{where}: <single> must be true or false")
            if not any(f > 0 for f in fractions):
                out.append(f"{where}: no answer with a positive fraction")
            if q.findtext("single") == "false" and abs(sum(f for f in fractions if f > 0) - 100) > 0.01:
                out.append(f"{where}: the positive fractions do not add up to 100")
        elif qtype == "truefalse":
            if sorted(a.findtext("text") for a in answers) != ["false", "true"]:
                out.append(f"{where}: needs exactly the answers true and false")
        elif qtype == "shortanswer":
            if not any(f == 100 for f in fractions):
                out.append(f"{where}: no answer with fraction 100")
        elif qtype == "ordering":
            if len(answers) < 2:
                out.append(f"{where}: fewer than two items")
            for tag in ("layouttype", "selecttype", "gradingtype"):
                if q.find(tag) is None:
                    out.append(f"{where}: no <{tag}>")
    return out


def read_moodle_xml(text: str) -> list[dict]:
    """Questions of a Moodle XML file in ``markup.canonical`` form (text as HTML)."""
    out = []
    for q in ET.fromstring(text).findall("question"):
        qtype = q.get("type")
        if qtype == "category":
            continue
        item = {
            "id": q.findtext("idnumber") or q.findtext("name/text"),
            "prompt": _html_of(q.find("questiontext")),
            "explanation": _html_of(q.find("generalfeedback")),
        }
        answers = q.findall("answer")
        if qtype == "multichoice":
            item["type"] = "single" if q.findtext("single") == "true" else "multiple"
            item["options"] = [
                {
                    "text": _html_of(a),
                    "correct": float(a.get("fraction")) > 0,
                    "feedback": _html_of(a.find("feedback")),
                }
                for a in answers
            ]
        elif qtype == "truefalse":
            item["type"] = "true_false"
            by_value = {a.findtext("text"): a for a in answers}
            item["answer"] = float(by_value["true"].get("fraction")) > 0
            item["feedback_true"] = _html_of(by_value["true"].find("feedback"))
            item["feedback_false"] = _html_of(by_value["false"].find("feedback"))
        elif qtype == "shortanswer":
            item["type"] = "text"
            item["accept"] = [a.findtext("text") for a in answers if float(a.get("fraction")) == 100]
        elif qtype == "ordering":
            item["type"] = "order"
            item["items"] = [_html_of(a) for a in answers]
        out.append({"id": item.pop("id"), "type": item.pop("type"), **item})
    return out
