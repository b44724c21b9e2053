"""``course import moodle-xml SRC``: a Moodle XML question bank into quiz YAML (issue 16).

Format: docs.moodle.org/en/Moodle_XML_format.  Read: ``multichoice`` (``<single>true`` ->
``single``, else ``multiple``: an answer with a positive fraction is right), ``truefalse``,
``shortanswer`` (answers with fraction 100), ``numerical`` (exact answers as accepted text;
tolerances, units and partial credit reported), ``ordering`` (answers in their order) with
answer feedback and general feedback (``explanation``); the combined feedback (correct /
partially correct / incorrect) is kept in the explanation with a note.  Every other type
(matching, essay, description, cloze, calculated, drag and drop...) is reported at its line and
left out.  Text in HTML becomes Markdown (``from_html``); the category's info becomes the
description, and a ``course-quiz`` comment written by ``course export moodle-xml`` brings back
the quiz's settings.  The file is parsed by ``xmlsafe`` (no entities, no external references).
"""

from __future__ import annotations

import re

from ..problems import Problems
from .common import Ids
from .from_html import looks_like_html, to_markdown
from .links import Links
from .settings import apply_settings, fit_draw, parse_comment
from .xmlsafe import comments, parse, text_of

_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_NAMES = {
    "matching": "matching",
    "essay": "essay",
    "description": "description",
    "multianswer": "cloze (embedded answers)",
    "calculated": "calculated",
    "calculatedsimple": "calculated",
    "calculatedmulti": "calculated multichoice",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "randomsamatch": "random short-answer matching",
    "random": "random",
}


def _fraction(el) -> float:
    try:
        return float(el.get("fraction", "0"))
    except ValueError:
        return 0.0


class _Reader:
    def __init__(self, display: str, links: Links):
        self.problems = Problems(display)
        self.ids = Ids()
        self.links = links
        self.questions: list[dict] = []
        self.categories: list[str] = []
        self.infos: list[str] = []
        self.settings: list[tuple[int, dict]] = []

    def markdown(self, el, where: int) -> str:
        """A Moodle text element (``<x format=...><text>...</text></x>``) as Markdown."""
        if el is None:
            return ""
        fmt = el.get("format", "html")
        raw = text_of(el, "text")
        if "@@PLUGINFILE@@" in raw:
            self.problems.warn(
                where,
                "an image or file embedded in the bank (@@PLUGINFILE@@) is not imported; its link stays",
            )
        if (
            fmt == "markdown"
            or fmt == "plain_text"
            or (fmt == "moodle_auto_format" and not looks_like_html(raw))
        ):
            return raw.strip()
        return self.links.back(to_markdown(raw))

    def take_id(self, q, number: int) -> str:
        candidates = (text_of(q, "idnumber"), text_of(q, "name/text"))
        return self.ids.keep_or_take(candidates, text_of(q, "name/text"), f"q{number}")

    def run(self, root) -> None:
        count = 0
        for q in root.findall("question"):
            qtype = q.get("type", "")
            if qtype == "category":
                self.categories.append(text_of(q, "category/text").strip())
                info = self.markdown(q.find("info"), q.line)
                if info:
                    self.infos.append(info)
                for c in comments(q):
                    self.comment(c.text or "", q.line)
                continue
            count += 1
            name = text_of(q, "name/text").strip() or f"question {count}"
            label = f"question '{name}'"
            if qtype not in ("multichoice", "truefalse", "shortanswer", "numerical", "ordering"):
                kind = _NAMES.get(qtype, qtype or "untyped")
                self.problems.warn(
                    q.line,
                    f"{label} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} question, which the course does not support; left out",
                )
                continue
            prompt = self.markdown(q.find("questiontext"), q.line)
            if not prompt:
                self.problems.add(q.line, f"{label} has no question text; left out")
                continue
            base = {"id": self.take_id(q, count), "type": "", "prompt": prompt}
            out = getattr(self, qtype)(q, label, base)
            if out is None:
                continue
            explanation = [self.markdown(q.find("generalfeedback"), q.line)]
            explanation += out.pop("_feedback", [])
            for tag, word in (
                ("correctfeedback", "right"),
                ("partiallycorrectfeedback", "partly right"),
                ("incorrectfeedback", "wrong"),
            ):
                text = self.markdown(q.find(tag), q.line)
                if text:
                    self.problems.warn(
                        q.line, f"{label}: the feedback for a {word} answer is kept in the explanation"
                    )
                    explanation.append(text)
            joined = "\n\n".join(dict.fromkeys(t for t in explanation if t))
            if joined:
                out["explanation"] = joined
            self.questions.append(out)
        for c in comments(root):
            self.comment(c.text or "", root.line)

    def comment(self, text: str, line: int) -> None:
        try:
            settings = parse_comment(text)
        except ValueError as exc:
            self.problems.warn(line, f"the course-quiz settings are not valid JSON ({exc}); left out")
            return
        if settings is not None:
            self.settings.append((line, settings))

    def answers(self, q) -> list:
        return q.findall("answer")

    def multichoice(self, q, label: str, base: dict) -> dict | None:
        single = (text_of(q, "single").strip().lower() or "true") in ("true", "1")  # Moodle's default
        options, fractions = [], []
        for a in self.answers(q):
            text = self.markdown(a, a.line)
            if not text:
                self.problems.add(a.line, f"{label}: an answer is empty; left out")
                return None
            option = {"text": text}
            feedback = self.markdown(a.find("feedback"), a.line)
            fractions.append(_fraction(a))
            options.append((option, feedback))
        if len(options) < 2:
            self.problems.add(q.line, f"{label} needs at least two answers; left out")
            return None
        if single:
            best = max(fractions)
            right = [f >= 100 or (f == best and f > 0) for f in fractions]
            if sum(right) != 1:
                self.problems.warn(
                    q.line, f"{label}: {sum(right)} answers are fully right; imported as multiple choice"
                )
                single = False
            for f, r in zip(fractions, right, strict=True):
                if 0 < f < 100 and not r:
                    self.problems.warn(
                        q.line,
                        f"{label}: an answer gives {f:g}% credit; partial credit is not supported, so it counts as wrong",
                    )
        else:
            right = [f > 0 for f in fractions]
        if not any(right):
            self.problems.add(q.line, f"{label}: no answer has a positive fraction; left out")
            return None
        out = []
        for (option, feedback), r in zip(options, right, strict=True):
            if r:
                option["correct"] = True
            if feedback:
                option["feedback"] = feedback
            out.append(option)
        if text_of(q, "shuffleanswers").strip() in ("1", "true"):
            self.shuffled = getattr(self, "shuffled", 0) + 1
        return {**base, "type": "single" if single else "multiple", "options": out}

    def truefalse(self, q, label: str, base: dict) -> dict | None:
        answers = self.answers(q)
        by_value: dict[bool, object] = {}
        for n, a in enumerate(answers):
            word = text_of(a, "text").strip().lower()
            value = {"true": True, "false": False}.get(word, n == 0)
            by_value[value] = a
        if set(by_value) != {True, False}:
            self.problems.add(q.line, f"{label} needs the answers true and false; left out")
            return None
        out = {**base, "type": "true_false", "answer": _fraction(by_value[True]) > _fraction(by_value[False])}
        for value, key in ((True, "feedback_true"), (False, "feedback_false")):
            feedback = self.markdown(by_value[value].find("feedback"), by_value[value].line)
            if feedback:
                out[key] = feedback
        return out

    def shortanswer(self, q, label: str, base: dict, numeric: bool = False) -> dict | None:
        accept, extra = [], []
        if not numeric and text_of(q, "usecase").strip() == "1":
            self.problems.warn(q.line, f"{label} is case-sensitive in Moodle; the course ignores case")
        for a in self.answers(q):
            text = text_of(a, "text").strip()
            if looks_like_html(text):
                text = to_markdown(text)
            fraction = _fraction(a)
            if text == "*":
                self.problems.warn(a.line, f"{label}: the catch-all answer '*' is not supported; left out")
                continue
            if fraction < 100:
                if fraction > 0:
                    self.problems.warn(
                        a.line,
                        f"{label}: answer '{text}' gives {fraction:g}% credit; partial credit is not supported, left out",
                    )
                continue
            if numeric:
                tolerance = text_of(a, "tolerance").strip() or "0"
                if not _NUMBER.match(text):
                    self.problems.add(a.line, f"{label}: '{text}' is not a number; left out")
                    continue
                try:
                    exact = float(tolerance) == 0
                except ValueError:
                    exact = False
                if not exact:
                    self.problems.warn(
                        a.line,
                        f"{label}: {text} with a tolerance of {tolerance} is a range, which is not supported (only exact numbers); left out",
                    )
                    continue
            elif "*" in text:
                self.problems.warn(
                    a.line, f"{label}: the wildcard * in '{text}' is not supported; kept as typed"
                )
            accept.append(text)
            feedback = self.markdown(a.find("feedback"), a.line)
            if feedback:
                extra.append(feedback)
        if numeric and q.find("units/unit") is not None:
            self.problems.warn(q.line, f"{label}: units are not supported; only the number is accepted")
        if not accept:
            self.problems.warn(q.line, f"{label}: no answer gets full credit, so the question is left out")
            return None
        out = {**base, "type": "text", "accept": list(dict.fromkeys(accept))}
        if extra:
            self.problems.warn(q.line, f"{label}: feedback on an answer is kept in the explanation")
            out["_feedback"] = extra
        return out

    def numerical(self, q, label: str, base: dict) -> dict | None:
        return self.shortanswer(q, label, base, numeric=True)

    def ordering(self, q, label: str, base: dict) -> dict | None:
        answers = sorted(enumerate(self.answers(q)), key=lambda pair: (_fraction(pair[1]), pair[0]))
        items = [self.markdown(a, a.line) for _, a in answers]
        if len(items) < 2 or not all(items):
            self.problems.add(q.line, f"{label} needs at least two items, none empty; left out")
            return None
        if (text_of(q, "gradingtype").strip() or "ALL_OR_NOTHING") != "ALL_OR_NOTHING":
            self.problems.warn(q.line, f"{label}: partial grading is not supported; marked all or nothing")
        return {**base, "type": "order", "items": items}


def read_moodle_xml_bank(
    data: bytes | str, display: str, title: str | None = None, base_url: str | None = None
) -> tuple[dict, Problems]:
    """Moodle XML -> (quiz data in our YAML format, notes ``display:line: message``).

    The title is ``title``, else the last part of the first category, else "Imported
    questions".  ``base_url``: where the course was published, so that links under it come back
    as links to its lessons.  ``SourceError`` when the file is not XML or not a Moodle quiz."""
    from .common import SourceError

    root = parse(data, display)
    if root.tag != "quiz":
        problems = Problems(display)
        problems.add(
            root.line, f"the root element is <{root.tag}>, not <quiz>: this is not a Moodle XML question bank"
        )
        raise SourceError(problems)
    reader = _Reader(display, Links(base_url))
    reader.run(root)
    name = title or ""
    if not name and reader.categories:
        parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", reader.categories[0])]
        parts = [p for p in parts if p and p not in ("$course$", "$system$", "$module$", "$cat1$", "top")]
        name = parts[-1] if parts else ""
    quiz: dict = {"kind": "quiz", "title": name or "Imported questions"}
    if reader.infos:
        quiz["description"] = "\n\n".join(reader.infos)
    quiz["pass_mark"] = 75
    if reader.questions and getattr(reader, "shuffled", 0) == sum(
        1 for q in reader.questions if q["type"] in ("single", "multiple")
    ):
        quiz["shuffle"] = True
    quiz["questions"] = reader.questions
    if len(set(reader.categories)) > 1:
        reader.problems.warn(
            1, f"the questions of {len(set(reader.categories))} categories are all in this one quiz"
        )
    for line, settings in reader.settings:
        if title:
            settings = {k: v for k, v in settings.items() if k != "title"}  # --title wins
        # our own export: the comment holds the exact settings, the info only repeats them
        quiz.pop("description", None)
        if "shuffle" not in settings:
            quiz.pop("shuffle", None)
        apply_settings(quiz, settings, reader.problems, line)
    fit_draw(quiz, reader.problems, reader.settings[0][0] if reader.settings else 1)
    if not reader.questions:
        reader.problems.add(1, "no question could be imported from this file")
    return quiz, reader.problems
