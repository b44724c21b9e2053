"""Moodle GIFT question banks: read them into a quiz, write a quiz back out.

The format is Moodle's (docs.moodle.org/en/GIFT_format, and question/format/gift/format.php).
A small parser of our own: pygiftparser (last release 2017) and pygiftparserrgmf (0.0.5, 2022)
are unmaintained, and neither reports line numbers.

Read (``read_gift``): single choice ``{=right ~wrong}``, multiple choice with weights
``{~%50%a ~%50%b ~%-100%c}`` (an option is correct when its weight is positive), true/false
``{T}`` / ``{FALSE#wrong#right}``, short answer ``{=a =b}``, numeric ``{#42}`` /
``{#=42 =42.0}`` (each exact form becomes an accepted text answer; ranges ``1..2`` and
tolerances ``3.14:0.01`` are reported), feedback ``#``, general feedback ``####``,
``$CATEGORY:``, ``//`` comments, escapes ``\\~ \\= \\# \\{ \\} \\: \\n \\\\``, titles
``::title::``, formats ``[markdown]`` / ``[html]`` / ``[plain]`` / ``[moodle]`` and the
missing-word form ``text {answers} more text``.  Matching, essay and description questions are
reported with their line and left out.

Write (``write_gift``): every type but ``order``, which GIFT cannot express (reported, and left
as a comment in the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..problems import Problems
from .common import Ids

# escaped characters stand in as private-use characters while the markup is parsed
_ESCAPES = {
    "~": "\ue000",
    "=": "\ue001",
    "#": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    ":": "\ue005",
    "\\": "\ue006",
}
_NEWLINE = "\ue007"  # an escaped line break (\n): the spaces around it are the author's, not layout
_RESTORE = {v: k for k, v in _ESCAPES.items()}
_FORMAT = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]\s*", re.I)
_TITLE = re.compile(r"^\s*::(.*?)::", re.S)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF = re.compile(r"^(T|TRUE|F|FALSE)$", re.I)
_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_EXACT = re.compile(rf"^({_NUMBER})(?::(0+(?:\.0*)?))?$")
_RANGE = re.compile(rf"^(?:{_NUMBER}:{_NUMBER}|{_NUMBER}\.\.{_NUMBER})$")
BLANK = "_____"
_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # schema.Ident


def _protect(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "n":
                out.append(_NEWLINE)
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


# white space at either end of a field, which Moodle trims, is written as character references
# (``&#32;``), which Markdown and HTML show as the same space
_EDGE_BACK = re.compile(r"\A(?:&#\d{1,7};)+|(?:&#\d{1,7};)+\Z")
_REF = re.compile(r"&#(\d{1,7});")
_LAYOUT = " \t"  # what Moodle's trim() takes off a source line (line breaks are already split off)


def _edges(match: re.Match) -> str:
    return _REF.sub(
        lambda m: chr(int(m.group(1))) if int(m.group(1)) <= 0x10FFFF else m.group(0), match.group(0)
    )


def _clean(text: str) -> str:
    """A field as the author meant it: the outer spaces of each source line trimmed (they are
    layout), escapes restored, escaped line breaks kept with the spaces around them, and what
    ``escape`` wrote as references turned back (white space at either end, ``-&gt;``)."""
    lines = [line.strip(_LAYOUT) for line in text.split("\n")]
    out = _restore("\n".join(lines).strip(_LAYOUT + "\n")).replace(_NEWLINE, "\n")
    out = _EDGE_BACK.sub(_edges, _ARROW_BACK.sub(_arrow, out))
    return _INNER_BACK.sub(lambda m: chr(int(m.group(1))), out)


_INNER = re.compile("[\r\ue000-\ue007]")
_INNER_BACK = re.compile(r"&#(13|5734[4-9]|5735[01]);")


# Moodle takes any answer holding "->" for a matching pair: "->" is written "-&gt;" (the same text
# in Markdown and HTML), and an author's own "-&gt;" gets one more "amp;" so that it comes back as is
_ARROW = re.compile(r"-&((?:amp;)*)gt;")
_ARROW_BACK = _ARROW


def _arrow(match: re.Match) -> str:
    return "->" if not match.group(1) else f"-&{match.group(1)[4:]}gt;"


@dataclass
class _Block:
    line: int
    lines: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``//`` comment lines are left out."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            current = None
            continue
        if current is None:
            current = _Block(n)
            blocks.append(current)
        current.lines.append(line)
    return blocks


def _answers(body: str) -> list[tuple[str, str]]:
    """``=a#f ~b`` -> [("=", "a#f"), ("~", "b")]."""
    parts = re.split(r"([=~])", body)
    out = []
    for i in range(1, len(parts), 2):
        out.append((parts[i], parts[i + 1]))
    return out


def _split_feedback(text: str) -> tuple[str, str | None]:
    if "#" in text:
        answer, feedback = text.split("#", 1)
        return answer, (_clean(feedback) or None)
    return text, None


class _Reader:
    def __init__(self, text: str, display: str):
        self.problems = Problems(display)
        self.text = text
        self.ids = Ids()
        self.questions: list[dict] = []
        self.categories: list[str] = []
        self.count = 0

    def note(self, line: int, message: str) -> None:
        self.problems.warn(line, message)

    def run(self) -> None:
        for block in _blocks(self.text):
            lines = list(block.lines)
            line = block.line
            while lines and lines[0].strip().startswith("$CATEGORY:"):
                category = lines.pop(0).strip()[len("$CATEGORY:") :].strip()
                self.categories.append(category)
                line += 1
            if lines:
                self.count += 1
                self.question(line, _protect("\n".join(lines)))

    def question(self, line: int, text: str) -> None:
        title = None
        match = _TITLE.match(text)
        if match:
            title = _clean(match.group(1))
            text = text[match.end() :]
        label = f"question '{title}'" if title else f"question {self.count}"
        if "{" not in text:
            self.note(
                line,
                f"{label} is a description (no answers in {{...}}); descriptions are not supported, left out",
            )
            return
        start = text.index("{")
        end = text.find("}", start)
        if end < 0:
            self.problems.add(
                line + text[:start].count("\n"), f"{label}: '{{' is never closed with '}}'; left out"
            )
            return
        before, body, after = text[:start], text[start + 1 : end], text[end + 1 :]
        answer_line = line + text[:start].count("\n")
        if "{" in body:
            self.problems.add(
                answer_line, f"{label}: a second '{{' before the closing '}}'; write \\{{ for a literal brace"
            )
            return
        if "{" in after:
            self.problems.add(
                answer_line + body.count("\n") + after[: after.index("{")].count("\n"),
                f"{label}: another '{{' after the answers; separate questions with a blank line",
            )
            return
        before = _FORMAT.sub("", before, count=1)
        prompt = _clean(before)
        tail = _clean(after)
        if tail:
            prompt = f"{prompt} {BLANK} {tail}".strip()
        general = None
        if "####" in body:
            body, general = body.split("####", 1)
            general = _clean(general) or None
        stripped = body.strip()
        if title and _IDENT.match(title) and len(title) <= 120 and title not in self.ids.used:
            qid = title  # already an id (as `course export gift` writes them): kept as it is
            self.ids.used.add(qid)
        else:
            qid = self.ids.take(title or f"q{self.count}", f"q{self.count}")
        base = {"id": qid}
        if not prompt:
            self.problems.add(line, f"{label} has no question text; left out")
            return
        if not stripped:
            self.note(answer_line, f"{label} is an essay question ({{}}); essays are not supported, left out")
            return
        if stripped.startswith("#"):
            q = self.numeric(answer_line, label, stripped[1:], base, prompt)
        else:
            tf_text, *tf_feedback = stripped.split("#")
            if _TF.match(tf_text.strip()):
                q = self.true_false(tf_text.strip(), tf_feedback, base, prompt)
            else:
                q = self.choices(answer_line, label, stripped, base, prompt)
        if q is None:
            return
        if general:
            q["explanation"] = general
        self.questions.append(q)

    def true_false(self, value: str, feedback: list[str], base: dict, prompt: str) -> dict:
        answer = value.upper().startswith("T")
        wrong = _clean(feedback[0]) if len(feedback) > 0 else ""
        right = _clean(feedback[1]) if len(feedback) > 1 else ""
        q = {**base, "type": "true_false", "prompt": prompt, "answer": answer}
        on_true, on_false = (right, wrong) if answer else (wrong, right)
        if on_true:
            q["feedback_true"] = on_true
        if on_false:
            q["feedback_false"] = on_false
        return q

    def numeric(self, line: int, label: str, body: str, base: dict, prompt: str) -> dict | None:
        if "=" in body:
            lead, *parts = body.split("=")
            if lead.strip():
                self.problems.add(
                    line, f"{label}: '{_restore(lead).strip()}' before the first = is not an answer; left out"
                )
                return None
        else:
            parts = [body]
        accept: list[str] = []
        extra_feedback: list[str] = []
        for raw in parts:
            raw, feedback = _split_feedback(raw)
            raw = _restore(raw).strip()
            weight = _WEIGHT.match(raw)
            if weight:
                raw = raw[weight.end() :].strip()
                if float(weight.group(1)) != 100:
                    self.note(
                        line,
                        f"{label}: answer {raw} gives {weight.group(1)}% credit; partial credit is not supported, left out",
                    )
                    continue
            exact = _EXACT.match(raw)
            if exact:
                accept.append(exact.group(1))
                if feedback:
                    extra_feedback.append(feedback)
            elif _RANGE.match(raw):
                self.note(
                    line,
                    f"{label}: the numeric range '{raw}' is not supported (only exact numbers); left out",
                )
            else:
                self.problems.add(line, f"{label}: '{raw}' is not a number")
        if not accept:
            self.note(line, f"{label}: no exact numeric answer left, so the question is left out")
            return None
        q = {**base, "type": "text", "prompt": prompt, "accept": accept}
        if extra_feedback:
            self.note(line, f"{label}: feedback on a numeric answer is kept in the explanation")
            q["_feedback"] = extra_feedback
        return q

    def choices(self, line: int, label: str, body: str, base: dict, prompt: str) -> dict | None:
        lead = re.split(r"[=~]", body, maxsplit=1)[0].strip()
        if lead:
            self.problems.add(
                line, f"{label}: '{_restore(lead)}' before the first = or ~ is not an answer; left out"
            )
            return None
        answers = _answers(body)
        if all(mark == "=" and "->" in text for mark, text in answers):
            self.note(line, f"{label} is a matching question (a -> b); matching is not supported, left out")
            return None
        options = []
        for mark, raw in answers:
            raw, feedback = _split_feedback(raw)
            raw = raw.strip(_LAYOUT + "\n")
            weight = 100.0 if mark == "=" else 0.0
            # Moodle reads a %weight% after ~ in a choice question, and after = only in a short
            # answer (all =); after = in a choice question "%50%" is the answer's own text
            match = _WEIGHT.match(raw)
            if match and (mark == "~" or all(m == "=" for m, _ in answers)):
                weight = float(match.group(1))
                raw = raw[match.end() :]
            option = {"text": _clean(raw), "weight": weight, "mark": mark}
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        if any(not o["text"] for o in options):
            self.problems.add(line, f"{label}: an answer is empty; left out")
            return None
        if all(o["mark"] == "=" for o in options):  # short answer
            accept, extra = [], []
            for o in options:
                if o["weight"] != 100:
                    self.note(
                        line,
                        f"{label}: answer '{o['text']}' gives {o['weight']:g}% credit; partial credit is not supported, left out",
                    )
                    continue
                accept.append(o["text"])
                if o.get("feedback"):
                    extra.append(o["feedback"])
            if not accept:
                self.note(line, f"{label}: no answer gets full credit, so the question is left out")
                return None
            q = {**base, "type": "text", "prompt": prompt, "accept": accept}
            if extra:
                self.note(line, f"{label}: feedback on a short answer is kept in the explanation")
                q["_feedback"] = extra
            return q
        if len(options) < 2:
            self.problems.add(line, f"{label} needs at least two answers; left out")
            return None
        full = [o for o in options if o["mark"] == "=" or o["weight"] >= 100]
        partial = [o for o in options if o not in full and o["weight"] > 0]
        if len(full) == 1 and not partial:
            qtype, correct = "single", full
        elif full and partial:
            qtype, correct = "single" if len(full) == 1 else "multiple", full
            for o in partial:
                self.note(
                    line,
                    f"{label}: '{o['text']}' gives {o['weight']:g}% credit; partial credit is not supported, so it counts as wrong",
                )
        else:
            qtype, correct = "multiple", full + partial
            if len(full) > 1 and not partial:
                self.note(
                    line,
                    f"{label}: {len(full)} answers are fully right; imported as multiple choice, where the learner picks all of them",
                )
        if not correct:
            self.problems.add(
                line, f"{label}: no answer is marked right (= or a positive %weight%); left out"
            )
            return None
        out = []
        for o in options:
            option = {"text": o["text"]}
            if o in correct:
                option["correct"] = True
            if o.get("feedback"):
                option["feedback"] = o["feedback"]
            out.append(option)
        return {**base, "type": qtype, "prompt": prompt, "options": out}


def read_gift(
    text: str, display: str, title: str | None = None, base_url: str | None = None
) -> tuple[dict, Problems]:
    """GIFT text -> (quiz data in our YAML format, notes ``display:line: message``).

    The quiz title is ``title``, else the last part of the first ``$CATEGORY``, else "Imported
    questions".  A question that cannot be imported is left out with a note on its line.
    ``base_url``: where the course was published; links under it become lesson links again."""
    reader = _Reader(text.replace("\r\n", "\n").replace("\r", "\n"), display)
    reader.run()
    questions = []
    for q in reader.questions:
        extra = q.pop("_feedback", None)
        if extra:
            joined = "\n\n".join(dict.fromkeys(extra))
            q["explanation"] = f"{q['explanation']}\n\n{joined}" if q.get("explanation") else joined
        questions.append(q)
    if len(set(reader.categories)) > 1:
        reader.problems.warn(
            1,
            f"the questions of {len(set(reader.categories))} categories ({', '.join(dict.fromkeys(reader.categories))}) are all in this one quiz",
        )
    name = title or (_last_category(reader.categories[0]) if reader.categories else "")
    quiz = {"kind": "quiz", "title": name or "Imported questions", "pass_mark": 75, "questions": questions}
    if not questions:
        reader.problems.add(1, "no question could be imported from this file")
    if base_url:
        from .links import Links

        _relink(quiz["questions"], Links(base_url))
    _read_settings(text, quiz, reader.problems)
    if title:
        quiz["title"] = title
    from .settings import fit_draw

    fit_draw(quiz, reader.problems, 1)
    return quiz, reader.problems


def _relink(questions: list[dict], links) -> None:
    for q in questions:
        for key in ("prompt", "explanation", "feedback_true", "feedback_false"):
            if q.get(key):
                q[key] = links.back(q[key])
        for option in q.get("options") or []:
            for key in ("text", "feedback"):
                if option.get(key):
                    option[key] = links.back(option[key])


def _last_category(path: str) -> str:
    """``$course$/top/Refunds // returns`` -> ``Refunds / returns`` (``//`` is a ``/`` in a name)."""
    parts = re.split(r"(?<!/)/(?!/)", path.strip().rstrip("/"))
    return parts[-1].replace("//", "/").strip()


def _read_settings(text: str, quiz: dict, problems: Problems) -> None:
    """The quiz settings ``write_gift`` keeps in a ``// course-quiz: {...}`` comment."""
    from .settings import MARK, apply_settings, parse_comment

    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not (stripped.startswith("//") and MARK in stripped):
            continue
        try:
            settings = parse_comment(stripped[2:])
        except ValueError as exc:
            problems.warn(n, f"the course-quiz settings are not valid JSON ({exc}); left out")
            continue
        if settings is not None:
            apply_settings(quiz, settings, problems, n)


# ---------------------------------------------------------------- writing


_MARKDOWN = re.compile(r"[*_`\[\]<>|!]|\n|^#|^\s*[-+] |^\s*\d+\. ")


def escape(text: str) -> str:
    """Text for GIFT, so that ``read_gift`` gives back exactly ``text``: ``~ = # { } :`` and
    ``\\`` escaped with a backslash, line breaks as ``\\n``, ``->`` as ``-&gt;`` (else Moodle
    reads a matching pair), and white space at either end of the text, which Moodle trims, as a
    character reference such as ``&#32;`` (the same space in Markdown and HTML).  A numeric
    character reference at either end of ``text`` is itself written so that it comes back as
    typed (``&#38;#32;``)."""
    # a carriage return, and the private-use characters the reader uses for escapes, as references
    text = _INNER.sub(lambda m: f"&#{ord(m.group(0))};", text)
    core = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(core) :] if core else ""
    if not core:
        lead = text
    if _REF.match(core):
        core = "&#38;" + core[1:]
    if re.search(r"&#\d{1,7};\Z", core):
        core = core[:-1] + "&#59;"
    core = _ARROW.sub(lambda m: f"-&amp;{m.group(1)}gt;", core).replace("->", "-&gt;")
    out = "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in trail)
    out = out.replace("\\", "\\\\")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _weight(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


_MD_LINK = re.compile(r"(!?\[[^\]\n]*\]\()(<[^>\n]*>|[^)\s]+)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _lesson_links(q, base_url: str | None, problems: Problems | None, line: int):
    """``q`` with Markdown links and images to the course's own pages made absolute under
    ``base_url`` (``modules/04.md`` -> ``BASE/modules/04.html``, as the other exports do); without
    a base URL each one is noted (Moodle cannot follow it) and the text is kept as it is."""
    import urllib.parse

    seen: list[str] = []

    def fix(text: str | None) -> str | None:
        if not text:
            return text

        def one(match: re.Match) -> str:
            href = match.group(2).strip("<>")
            if not href or _SCHEME.match(href) or href.startswith(("#", "//")):
                return match.group(0)
            if base_url is None:
                seen.append(href)
                return match.group(0)
            path, _, anchor = href.partition("#")
            if path.endswith("index.md"):
                path = path[: -len("index.md")]
            elif path.endswith(".md"):
                path = path[:-3] + ".html"
            absolute = urllib.parse.urljoin(base_url.rstrip("/") + "/", path)
            return match.group(1) + absolute + (f"#{anchor}" if anchor else "")

        return _MD_LINK.sub(one, text)

    q = q.model_copy(deep=True)
    for key in ("prompt", "explanation", "feedback_true", "feedback_false"):
        if hasattr(q, key):
            setattr(q, key, fix(getattr(q, key)))
    for option in getattr(q, "options", None) or []:
        option.text, option.feedback = fix(option.text), fix(option.feedback)
    if problems is not None:
        for href in dict.fromkeys(seen):
            problems.warn(
                line,
                f"question '{q.id}': the link to '{href}' is a page of the course, which the LMS cannot open; "
                "kept as written (give --base-url to link to the published course)",
            )
    return q


def write_gift(
    quiz,
    quiz_id: str,
    problems: Problems | None = None,
    lines: dict | None = None,
    field_lines: dict | None = None,
    base_url: str | None = None,
) -> str:
    """A ``schema.Quiz`` as GIFT text.  Each question's title is its id; Markdown text is
    marked ``[markdown]`` so Moodle renders it.  The title is the ``$CATEGORY`` (a ``/`` in it
    written ``//``, as Moodle reads it).  The quiz's settings (description, pass mark, draw,
    attempts, reveal, mode, time limit, shuffle, groups, pins) have no place in GIFT: they are
    written in a ``// course-quiz: {...}`` comment that ``read_gift`` reads back, and each is
    reported to ``problems`` at its line (``field_lines``: setting -> line).  Order questions
    cannot be written in GIFT: each is reported (at its line from ``lines``: question index ->
    line) and left as a ``//`` comment.  Links to the course's pages: see ``_lesson_links``."""
    from .settings import describe, quiz_settings, report, settings_comment

    settings = quiz_settings(quiz)
    category = quiz.title.replace("\n", " ").replace("/", "//")
    if _last_category(category) != quiz.title:
        settings = {"title": quiz.title, **settings}  # e.g. a line break or outer spaces
    out = [f"// {quiz.title}".replace("\n", " "), f"// exported from {quiz_id} by course export gift"]
    if settings:
        words = describe(settings)
        out.append("// quiz settings, which GIFT cannot hold" + (f" ({words})" if words else "") + ":")
        out.append(f"// {settings_comment(settings)}")
        ids = {q.id: (lines or {}).get(i, 1) for i, q in enumerate(quiz.questions)}
        report(settings, {}, "GIFT", "the // course-quiz: comment", problems, field_lines, ids)
    out += ["", f"$CATEGORY: {category}", ""]
    for index, q in enumerate(quiz.questions):
        if q.type == "order":
            if problems is not None:
                problems.warn(
                    (lines or {}).get(index, 1),
                    f"question '{q.id}' is an order question, which GIFT does not support; left out",
                )
            out += [f"// question '{q.id}' (order) left out: GIFT has no ordering question", ""]
            continue
        q = _lesson_links(q, base_url, problems, (lines or {}).get(index, 1))
        texts = [q.prompt, q.explanation or ""]
        texts += [f for o in getattr(q, "options", []) for f in (o.text, o.feedback or "")]
        texts += [getattr(q, "feedback_true", None) or "", getattr(q, "feedback_false", None) or ""]
        fmt = "[markdown]" if any(_MARKDOWN.search(t) for t in texts) else ""
        head = f"::{escape(q.id)}:: {fmt}{escape(q.prompt)} {{"
        body: list[str] = []
        if q.type in ("single", "multiple"):
            n_right = sum(1 for o in q.options if o.correct)
            for o in q.options:
                if q.type == "single":
                    mark = "=" if o.correct else "~"
                else:
                    mark = f"~%{_weight(n_right)}%" if o.correct else "~%-100%"
                fb = f"#{escape(o.feedback)}" if o.feedback else ""
                if mark == "~" and o.text.startswith("%"):
                    mark = "~%0%"  # the text's own % is not read as a weight
                body.append(f"\t{mark}{escape(o.text)}{fb}")
        elif q.type == "true_false":
            right = q.feedback_true if q.answer else q.feedback_false
            wrong = q.feedback_false if q.answer else q.feedback_true
            value = "TRUE" if q.answer else "FALSE"
            if right:
                value += f"#{escape(wrong or '')}#{escape(right)}"
            elif wrong:
                value += f"#{escape(wrong)}"
            body.append(f"\t{value}")
        elif q.type == "text":
            body.append(
                "\t" + " ".join(f"={'%100%' if a.startswith('%') else ''}{escape(a)}" for a in q.accept)
            )
        if q.explanation:
            body.append(f"\t####{escape(q.explanation)}")
        out += [head, *body, "}", ""]
    return "\n".join(out).rstrip("\n") + "\n"
