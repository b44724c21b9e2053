"""IMS QTI 2.1 content packages (IMS QTI v2.1 Final, 2012; IMS Content Packaging 1.1).

``write_qti``: a zip with ``imsmanifest.xml``, one ``assessmentItem`` per question under
``items/`` and an ``assessmentTest.xml`` that lists them in order (its ``PASS`` outcome carries
the quiz's pass mark).  ``single`` / ``multiple`` / ``true_false`` -> ``choiceInteraction``
(``maxChoices`` 1 or 0), ``text`` -> ``textEntryInteraction`` with a case-insensitive
``mapping`` of every accepted answer, ``order`` -> ``orderInteraction`` with an ordered correct
response.  Option feedback is ``modalFeedback`` keyed by the chosen identifiers (the
``FEEDBACK`` outcome); the explanation is ``modalFeedback`` on the ``EXPLANATION`` outcome.
Text is XHTML in the QTI namespace, made from our Markdown by ``markup.Html``.

``validate_qti`` checks every item and the test against the IMS QTI 2.1 XSD vendored in
``builder/schemas`` (see its NOTICE), and ``read_qti`` reads a package back in
``markup.canonical`` form for round-trip tests.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..problems import Problems
from .markup import Html, inner_html

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ET.register_namespace("xsi", XSI)

# XHTML that QTI 2.1 allows in item bodies; the rest of our allow-list maps onto span
_KEEP = {
    "p", "br", "strong", "em", "b", "i", "code", "kbd", "pre", "blockquote", "ul", "ol", "li", "a",
    "abbr", "span", "hr", "table", "thead", "tbody", "tr", "th", "td", "img", "h4", "h5", "h6",
    "sub", "sup", "small",
}  # fmt: skip
_ATTRS = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}
_DATE = (2000, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same quiz gives the same bytes


def _q(tag: str) -> str:
    """A QTI element's name as ElementTree reads it back."""
    return f"{{{NS}}}{tag}"


def _t(tag: str) -> str:
    """A QTI element's name as we write it: plain, the root declares the default namespace."""
    return tag


def _ident(text: str) -> str:
    """An id as a QTI identifier (an XML NCName: it may not start with a digit or hyphen)."""
    return text if re.match(r"^[A-Za-z_]", text) else f"q_{text}"


def _flow(parent: ET.Element, tree: ET.Element) -> None:
    """Copy an HTML tree's content under ``parent``, in the QTI namespace."""
    if tree.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + tree.text
        else:
            parent.text = (parent.text or "") + tree.text
    for child in tree:
        tag = child.tag if child.tag in _KEEP else "span"
        attrs = {k: v for k, v in child.attrib.items() if k in _ATTRS.get(tag, ())}
        if tag == "span" and child.get("lang"):
            attrs[f"{{{XML_NS}}}lang"] = child.get("lang")
        if tag == "img":
            attrs.setdefault("alt", "")
        el = ET.SubElement(parent, _t(tag), attrs)
        _flow(el, child)
        el.tail = child.tail


def _block(parent: ET.Element, tag: str, tree: ET.Element, attrs: dict | None = None) -> ET.Element:
    el = ET.SubElement(parent, _t(tag), attrs or {})
    _flow(el, tree)
    return el


def _value(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, _t("value")).text = text


def _set(parent: ET.Element, outcome: str, expr: ET.Element) -> None:
    ET.SubElement(parent, _t("setOutcomeValue"), {"identifier": outcome}).append(expr)


def _base(base_type: str, value: str) -> ET.Element:
    el = ET.Element(_t("baseValue"), {"baseType": base_type})
    el.text = value
    return el


def _variable(name: str) -> ET.Element:
    return ET.Element(_t("variable"), {"identifier": name})


def _item(q, quiz, html: Html) -> ET.Element:
    item = ET.Element(
        _t("assessmentItem"),
        {
            "xmlns": NS,
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            "identifier": _ident(q.id),
            "title": q.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    choices: list[tuple[str, str | None, str | None]] = []  # (identifier, text, feedback) in order
    if q.type in ("single", "multiple"):
        choices = [(f"C{i}", o.text, o.feedback) for i, o in enumerate(q.options, 1)]
        correct = [f"C{i}" for i, o in enumerate(q.options, 1) if o.correct]
        card, base_type = ("single" if q.type == "single" else "multiple"), "identifier"
    elif q.type == "true_false":
        choices = [("true", "True", q.feedback_true), ("false", "False", q.feedback_false)]
        correct, card, base_type = ["true" if q.answer else "false"], "single", "identifier"
    elif q.type == "order":
        choices = [(f"I{i}", text, None) for i, text in enumerate(q.items, 1)]
        correct, card, base_type = [c[0] for c in choices], "ordered", "identifier"
    else:
        correct, card, base_type = [q.accept[0]], "single", "string"
    response = ET.SubElement(
        item,
        _t("responseDeclaration"),
        {"identifier": "RESPONSE", "cardinality": card, "baseType": base_type},
    )
    right = ET.SubElement(response, _t("correctResponse"))
    for value in correct:
        _value(right, value)
    if q.type == "text":
        mapping = ET.SubElement(response, _t("mapping"), {"defaultValue": "0", "upperBound": "1"})
        for accepted in q.accept:
            ET.SubElement(
                mapping, _t("mapEntry"), {"mapKey": accepted, "mappedValue": "1", "caseSensitive": "false"}
            )
    score = ET.SubElement(
        item, _t("outcomeDeclaration"), {"identifier": "SCORE", "cardinality": "single", "baseType": "float"}
    )
    _value(ET.SubElement(score, _t("defaultValue")), "0")
    ET.SubElement(
        item,
        _t("outcomeDeclaration"),
        {"identifier": "MAXSCORE", "cardinality": "single", "baseType": "float"},
    ).append(_default("1"))
    has_feedback = any(c[2] for c in choices)
    if has_feedback:
        ET.SubElement(
            item,
            _t("outcomeDeclaration"),
            {
                "identifier": "FEEDBACK",
                "cardinality": "multiple" if card == "multiple" else "single",
                "baseType": "identifier",
            },
        )
    if q.explanation:
        ET.SubElement(
            item,
            _t("outcomeDeclaration"),
            {"identifier": "EXPLANATION", "cardinality": "single", "baseType": "identifier"},
        )
    body = ET.SubElement(item, _t("itemBody"))
    _block(body, "div", html.tree(q.prompt))
    if q.type == "text":
        para = ET.SubElement(body, _t("p"))
        width = max(len(a) for a in q.accept)
        ET.SubElement(
            para,
            _t("textEntryInteraction"),
            {"responseIdentifier": "RESPONSE", "expectedLength": str(max(10, width))},
        )
    else:
        tag = "orderInteraction" if q.type == "order" else "choiceInteraction"
        attrs = {
            "responseIdentifier": "RESPONSE",
            "shuffle": "true" if (quiz.shuffle or q.type == "order") else "false",
        }
        if tag == "choiceInteraction":
            attrs["maxChoices"] = "1" if card == "single" else "0"
        interaction = ET.SubElement(body, _t(tag), attrs)
        pinned = {f"C{i}" for i, o in enumerate(getattr(q, "options", None) or [], 1) if o.pin}
        for identifier, text, _ in choices:
            attrs = {"identifier": identifier}
            if identifier in pinned:
                attrs["fixed"] = "true"  # stays in place when the options are shuffled
            _block(interaction, "simpleChoice", html.tree(text), attrs)
    processing = ET.SubElement(item, _t("responseProcessing"))
    if q.type == "text":
        _set(processing, "SCORE", ET.Element(_t("mapResponse"), {"identifier": "RESPONSE"}))
    else:
        condition = ET.SubElement(processing, _t("responseCondition"))
        when = ET.SubElement(condition, _t("responseIf"))
        match = ET.SubElement(when, _t("match"))
        match.append(_variable("RESPONSE"))
        match.append(ET.Element(_t("correct"), {"identifier": "RESPONSE"}))
        _set(when, "SCORE", _base("float", "1"))
        _set(ET.SubElement(condition, _t("responseElse")), "SCORE", _base("float", "0"))
    if has_feedback:
        _set(processing, "FEEDBACK", _variable("RESPONSE"))
    if q.explanation:
        _set(processing, "EXPLANATION", _base("identifier", "EXPLANATION"))
    for identifier, _, feedback in choices:
        if feedback:
            _block(
                item,
                "modalFeedback",
                html.tree(feedback),
                {"outcomeIdentifier": "FEEDBACK", "identifier": identifier, "showHide": "show"},
            )
    if q.explanation:
        _block(
            item,
            "modalFeedback",
            html.tree(q.explanation),
            {"outcomeIdentifier": "EXPLANATION", "identifier": "EXPLANATION", "showHide": "show"},
        )
    return item


def _default(value: str) -> ET.Element:
    el = ET.Element(_t("defaultValue"))
    _value(el, value)
    return el


def _test(quiz, quiz_id: str, hrefs: list[tuple[str, str]], html: Html, settings: dict) -> ET.Element:
    """The assessmentTest: the quiz's settings as QTI holds them (see ``write_qti``)."""
    from .settings import settings_comment

    test = ET.Element(
        _t("assessmentTest"),
        {
            "xmlns": NS,
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            "identifier": _ident(quiz_id),
            "title": quiz.title,
        },
    )
    if settings:
        # every setting exactly, for `course import qti` (an LMS ignores comments)
        test.append(ET.Comment(" " + settings_comment(settings).replace("--", "-\\u002d") + " "))
    ET.SubElement(
        test, _t("outcomeDeclaration"), {"identifier": "SCORE", "cardinality": "single", "baseType": "float"}
    ).append(_default("0"))
    ET.SubElement(
        test, _t("outcomeDeclaration"), {"identifier": "PASS", "cardinality": "single", "baseType": "boolean"}
    )
    part = ET.SubElement(
        test,
        _t("testPart"),
        {"identifier": "part-1", "navigationMode": "nonlinear", "submissionMode": "simultaneous"},
    )
    control = {}
    if quiz.attempts:
        control["maxAttempts"] = str(quiz.attempts)
    if quiz.mode == "exam":
        control["showFeedback"] = "false"
    if quiz.reveal != 2:
        control["showSolution"] = "false" if quiz.reveal == "never" else "true"
    if control:
        ET.SubElement(part, _t("itemSessionControl"), control)
    if quiz.time_limit:
        ET.SubElement(part, _t("timeLimits"), {"maxTime": f"{quiz.time_limit * 60:g}"})
    section = ET.SubElement(
        part, _t("assessmentSection"), {"identifier": "section-1", "title": quiz.title, "visible": "true"}
    )
    by_id = dict(zip([q.id for q in quiz.questions], hrefs, strict=True))
    if isinstance(quiz.draw, int):
        ET.SubElement(section, _t("selection"), {"select": str(quiz.draw)})
    if quiz.description:
        _block(section, "rubricBlock", html.tree(quiz.description), {"view": "candidate"})
    if isinstance(quiz.draw, dict):
        # one invisible section per group, drawing its count; the course never shows questions of
        # other groups: they sit in a section that selects none
        groups = sorted(quiz.draw)
        rest = [q.id for q in quiz.questions if q.group not in quiz.draw]
        for n, group in enumerate(groups + (["not-drawn"] if rest else []), 1):
            sub = ET.SubElement(
                section,
                _t("assessmentSection"),
                {"identifier": f"section-1-{n}", "title": group, "visible": "false"},
            )
            members = [q.id for q in quiz.questions if q.group == group] if group in quiz.draw else rest
            ET.SubElement(sub, _t("selection"), {"select": str(quiz.draw.get(group, 0))})
            for qid in members:
                identifier, href = by_id[qid]
                ET.SubElement(sub, _t("assessmentItemRef"), {"identifier": identifier, "href": href})
    else:
        for identifier, href in hrefs:
            ET.SubElement(section, _t("assessmentItemRef"), {"identifier": identifier, "href": href})
    processing = ET.SubElement(test, _t("outcomeProcessing"))
    total = ET.Element(_t("sum"))
    ET.SubElement(total, _t("testVariables"), {"variableIdentifier": "SCORE"})
    _set(processing, "SCORE", total)
    passed = ET.Element(_t("gte"))
    passed.append(_variable("SCORE"))
    if isinstance(quiz.draw, int):
        shown = min(quiz.draw, len(hrefs))
    elif isinstance(quiz.draw, dict):
        shown = sum(min(c, sum(1 for q in quiz.questions if q.group == g)) for g, c in quiz.draw.items())
    else:
        shown = len(hrefs)
    needed = shown * quiz.pass_mark / 100
    passed.append(_base("float", f"{needed:g}"))
    _set(processing, "PASS", passed)
    return test


_LEAVES = {"div", "p", "simpleChoice", "modalFeedback"}  # their content is author text: left as it is


def _indent(el: ET.Element, level: int = 0) -> None:
    """Like ``ET.indent``, but never inside author text, where white space can matter (pre)."""
    if len(el) and el.tag not in _LEAVES:
        pad = "\n" + "  " * (level + 1)
        if not (el.text or "").strip():
            el.text = pad
        for child in el:
            _indent(child, level + 1)
            if not (child.tail or "").strip():
                child.tail = pad
        el[-1].tail = "\n" + "  " * level


def _xml(root: ET.Element) -> bytes:
    _indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode(
        "utf-8"
    )


def _manifest(quiz, quiz_id: str, hrefs: list[tuple[str, str]]) -> ET.Element:
    c = lambda tag: tag  # noqa: E731
    manifest = ET.Element(
        c("manifest"),
        {
            "xmlns": CP,
            "identifier": f"MANIFEST-{_ident(quiz_id)}",
            f"{{{XSI}}}schemaLocation": f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
        },
    )
    meta = ET.SubElement(manifest, c("metadata"))
    ET.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(meta, c("schemaversion")).text = "1.0.0"
    ET.SubElement(manifest, c("organizations"))
    resources = ET.SubElement(manifest, c("resources"))
    test = ET.SubElement(
        resources,
        c("resource"),
        {"identifier": "RES-test", "type": "imsqti_test_xmlv2p1", "href": "assessmentTest.xml"},
    )
    ET.SubElement(test, c("file"), {"href": "assessmentTest.xml"})
    for identifier, _ in hrefs:
        ET.SubElement(test, c("dependency"), {"identifierref": f"RES-{identifier}"})
    for identifier, href in hrefs:
        res = ET.SubElement(
            resources,
            c("resource"),
            {"identifier": f"RES-{identifier}", "type": "imsqti_item_xmlv2p1", "href": href},
        )
        ET.SubElement(res, c("file"), {"href": href})
    return manifest


def write_qti(
    quiz,
    quiz_id: str,
    html: Html,
    problems: Problems | None = None,
    lines: dict | None = None,
    field_lines: dict | None = None,
) -> bytes:
    """A ``schema.Quiz`` as an IMS QTI 2.1 package: see ``_write``.  Each text that would not
    come back from its HTML exactly (``settings.text_sources``) is kept in the test's
    ``course-quiz`` comment too, so ``course import qti`` gives back the same quiz."""
    from .qti_import import read_qti_package
    from .settings import write_exactly

    def read_back(data, base_url):
        return read_qti_package(data, "export.zip", None, base_url)

    return write_exactly(_write, read_back, quiz, quiz_id, html, problems, lines, field_lines)


def _write(
    quiz,
    quiz_id: str,
    html: Html,
    problems: Problems | None = None,
    lines: dict | None = None,
    field_lines: dict | None = None,
    texts: dict | None = None,
) -> bytes:
    """A ``schema.Quiz`` as the bytes of an IMS QTI 2.1 content package (zip).

    The quiz's settings in the assessmentTest (QTI 2.1 section 5): ``description`` ->
    ``rubricBlock view="candidate"``, ``pass_mark`` -> the ``PASS`` outcome, ``draw`` -> the
    section's ``selection select`` (``{group: count}``: one section per group), ``attempts`` ->
    ``itemSessionControl maxAttempts``, ``reveal: never`` -> ``showSolution="false"``,
    ``mode: exam`` -> ``showFeedback="false"``, ``time_limit`` -> ``timeLimits maxTime``
    (seconds), ``shuffle`` -> each interaction's ``shuffle``, ``pin`` -> ``simpleChoice
    fixed``.  What QTI holds only roughly is reported at its line (``field_lines``: setting
    -> line); every setting is also kept exactly in a ``course-quiz`` comment for ``course
    import qti``."""
    from .settings import quiz_settings, report

    settings = quiz_settings(quiz, texts)
    ids = {q.id: (lines or {}).get(i, 1) for i, q in enumerate(quiz.questions)}
    carried = {
        "description": "",
        "pass_mark": "",
        "shuffle": "",
        "draw": "",
        "time_limit": "",
        "pins": "",
        "attempts": "has itemSessionControl maxAttempts, which counts attempts at each item, not at the whole test",
        "mode": 'has showFeedback="false", which hides feedback for good, not until the quiz is passed or out of attempts',
        "reveal": ""
        if quiz.reveal in (1, "never")
        else "can only show solutions (showSolution) or not, not after a number of attempts or a pass",
        "group": "" if isinstance(quiz.draw, dict) else None,
    }
    report(settings, carried, "QTI 2.1", "a course-quiz comment", problems, field_lines, ids)
    if isinstance(quiz.draw, dict) and problems is not None:
        for q in quiz.questions:
            if q.group not in quiz.draw:
                problems.warn(
                    ids[q.id],
                    f"question '{q.id}' is in no group the draw takes, so the course never shows it; "
                    "in the QTI test it sits in a section that selects none",
                )
    files: dict[str, bytes] = {}
    hrefs: list[tuple[str, str]] = []
    for index, q in enumerate(quiz.questions):
        before = len(html.notes)
        identifier = _ident(q.id)
        href = f"items/{identifier}.xml"
        files[href] = _xml(_item(q, quiz, html))
        hrefs.append((identifier, href))
        if problems is not None:
            for note in dict.fromkeys(html.notes[before:]):
                problems.warn((lines or {}).get(index, 1), f"question '{q.id}': {note}")
    files["assessmentTest.xml"] = _xml(_test(quiz, quiz_id, hrefs, html, settings))
    files = {"imsmanifest.xml": _xml(_manifest(quiz, quiz_id, hrefs)), **files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


# ---------------------------------------------------------------- validating and reading back

_STUBS = {
    "mathml2.xsd": "qti_stub_mathml.xsd",
    "XInclude.xsd": "qti_stub_xinclude.xsd",
    "apipv1p0_qtiextv2p1_v1p0.xsd": "qti_stub_apip.xsd",
}


def qti_schema():
    """The IMS QTI 2.1 XSD (``xmlschema`` needed: a test dependency).  Its MathML, XInclude and
    APIP imports are answered by small local stand-ins, so nothing is fetched."""
    import xmlschema

    def mapper(uri: str) -> str:
        for tail, stub in _STUBS.items():
            if uri.endswith(tail):
                return str(SCHEMAS / stub)
        return uri

    return xmlschema.XMLSchema(str(SCHEMAS / "imsqti_v2p1.xsd"), uri_mapper=mapper, allow="local")


def validate_qti(data: bytes, schema=None) -> list[str]:
    """Problems of a QTI package: every XML file but the manifest against the QTI 2.1 XSD, and
    the manifest's resources against the files in the zip.  Empty list: valid."""
    schema = schema or qti_schema()
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        if "imsmanifest.xml" not in names:
            return ["no imsmanifest.xml at the root of the zip"]
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        for res in manifest.iter(f"{{{CP}}}resource"):
            for f in res.iter(f"{{{CP}}}file"):
                if f.get("href") not in names:
                    out.append(f"imsmanifest.xml lists {f.get('href')}, which is not in the zip")
        for name in sorted(names - {"imsmanifest.xml"}):
            if name.endswith(".xml"):
                for error in schema.iter_errors(io.BytesIO(zf.read(name))):
                    out.append(f"{name}: {error.reason} at {error.path}")
    return out


def read_qti(data: bytes) -> list[dict]:
    """The items of a package (in the test's order) in ``markup.canonical`` form."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        test = ET.fromstring(zf.read("assessmentTest.xml"))
        for ref in test.iter(_q("assessmentItemRef")):
            item = ET.fromstring(zf.read(ref.get("href")))
            out.append(_read_item(item))
    return out


def _read_item(item: ET.Element) -> dict:
    response = item.find(_q("responseDeclaration"))
    correct = [v.text or "" for v in response.iter(_q("value"))] if response is not None else []
    body = item.find(_q("itemBody"))
    feedback = {
        (m.get("outcomeIdentifier"), m.get("identifier")): inner_html(m)
        for m in item.findall(_q("modalFeedback"))
    }
    out = {
        "id": item.get("title"),
        "prompt": inner_html(body.find(_q("div"))),
        "explanation": feedback.get(("EXPLANATION", "EXPLANATION"), ""),
    }
    choice = body.find(_q("choiceInteraction"))
    order = body.find(_q("orderInteraction"))
    if choice is not None:
        simple = choice.findall(_q("simpleChoice"))
        ids = [s.get("identifier") for s in simple]
        if ids == ["true", "false"]:
            out.update(
                type="true_false",
                answer=correct == ["true"],
                feedback_true=feedback.get(("FEEDBACK", "true"), ""),
                feedback_false=feedback.get(("FEEDBACK", "false"), ""),
            )
        else:
            out["type"] = "single" if choice.get("maxChoices") == "1" else "multiple"
            out["options"] = [
                {
                    "text": inner_html(s),
                    "correct": s.get("identifier") in correct,
                    "feedback": feedback.get(("FEEDBACK", s.get("identifier")), ""),
                }
                for s in simple
            ]
    elif order is not None:
        by_id = {s.get("identifier"): inner_html(s) for s in order.findall(_q("simpleChoice"))}
        out.update(type="order", items=[by_id[i] for i in correct])
    else:
        entries = response.iter(_q("mapEntry"))
        out.update(type="text", accept=[e.get("mapKey") for e in entries])
    return out
