"""A quiz's own settings in a question bank export, and the notes for what a format cannot hold.

Question banks (GIFT, Moodle XML) hold questions, not quizzes: a quiz's description, pass mark,
draw (question pool), attempts, reveal, mode, time limit and shuffle have no home in them, and
neither have a question's pool ``group`` nor an option's ``pin``.  Each export writes what its
format can carry natively (see ``content/guide/export-question-banks.md``), reports each setting
it cannot carry at the setting's line (never silently), and writes all of them as one line of
JSON in a comment:

    course-quiz: {"pass_mark": 80, "attempts": 3, "questions": {"q1": {"group": "a"}}}

which an LMS ignores and our importers read back, so export -> import gives the same quiz.
The HTML formats also keep there each text that would not come back from its HTML exactly
(``text_sources``), restored only where the file still reads the same (``restore_texts``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..problems import Problems

MARK = "course-quiz:"
# quiz-level fields besides title and questions, in the order the YAML lists them
FIELDS = ("description", "pass_mark", "shuffle", "reveal", "draw", "attempts", "mode", "time_limit")
_DEFAULTS = {"pass_mark": 75, "shuffle": False, "reveal": 2, "mode": "practice"}
_LINE = re.compile(rf"^{re.escape(MARK)}\s*(.*?)\s*$", re.S)


def quiz_settings(quiz, texts: dict | None = None) -> dict[str, Any]:
    """The settings a ``schema.Quiz`` sets (those that differ from the defaults), in YAML order:
    ``{"pass_mark": 80, "draw": {"a": 2}, "questions": {"q1": {"group": "a", "pins": [3]}}}``
    (``pins``: 1-based option numbers with ``pin: true``; ``texts``: see ``text_sources``)."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        value = getattr(quiz, key)
        if value is None or (key in _DEFAULTS and value == _DEFAULTS[key]):
            continue
        out[key] = int(value) if key == "pass_mark" and float(value).is_integer() else value
    questions: dict[str, dict] = {}
    for q in quiz.questions:
        extra: dict[str, Any] = {}
        if q.group:
            extra["group"] = q.group
        pins = [n for n, o in enumerate(getattr(q, "options", None) or [], 1) if o.pin]
        if pins:
            extra["pins"] = pins
        if extra:
            questions[q.id] = extra
    for qid, extra in (texts or {}).items():
        questions.setdefault(qid, {}).update(extra)
    if questions:
        out["questions"] = questions
    return out


def settings_comment(settings: dict) -> str:
    """``course-quiz: {...}`` on one line (JSON, non-ASCII kept)."""
    return f"{MARK} {json.dumps(settings, ensure_ascii=False, separators=(', ', ': '))}"


def parse_comment(text: str) -> dict | None:
    """The settings of a ``course-quiz: {...}`` comment; ``None`` when ``text`` holds none.
    ``ValueError`` when it holds one that is not a JSON object."""
    match = _LINE.search(text.strip())
    if not match:
        return None
    value = json.loads(match.group(1))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def apply_settings(quiz: dict, settings: dict, problems: Problems, line: int) -> None:
    """Put read-back ``settings`` into imported ``quiz`` data (our YAML shape), in YAML order;
    unknown keys are reported at ``line`` and left out.  Questions are matched by id."""
    per_question = settings.get("questions") or {}
    if isinstance(settings.get("title"), str) and settings["title"].strip():
        quiz["title"] = settings["title"]  # a title the format's own field could not hold exactly
    for key in settings:
        if key not in FIELDS and key not in ("questions", "title"):
            problems.warn(line, f"course-quiz setting '{key}' is not a quiz setting; left out")
    ordered = {k: quiz[k] for k in ("kind", "title") if k in quiz}
    for key in FIELDS:
        if key in settings:
            ordered[key] = settings[key]
        elif key in quiz:
            ordered[key] = quiz[key]
    for key, value in quiz.items():
        ordered.setdefault(key, value)
    quiz.clear()
    quiz.update(ordered)
    if not isinstance(per_question, dict):
        return
    by_id = {q.get("id"): q for q in quiz.get("questions", [])}
    for qid, extra in per_question.items():
        q = by_id.get(qid)
        if q is None or not isinstance(extra, dict):
            problems.warn(line, f"course-quiz settings name question '{qid}', which is not in the file")
            continue
        if extra.get("group"):
            q["group"] = extra["group"]
        if isinstance(extra.get("texts"), dict):
            restore_texts(q, extra["texts"])
        for n in extra.get("pins") or []:
            options = q.get("options") or []
            if isinstance(n, int) and 1 <= n <= len(options):
                options[n - 1]["pin"] = True


def _words(key: str, value: Any) -> str:
    if key == "description":
        return "description"
    if isinstance(value, dict):
        value = "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    elif isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{key}: {value}"


def describe(settings: dict) -> str:
    """The settings in words for people reading the bank: ``pass_mark: 80; attempts: 3``."""
    parts = [_words(k, v) for k, v in settings.items() if k not in ("questions", "description", "title")]
    groups = sorted({e["group"] for e in settings.get("questions", {}).values() if e.get("group")})
    if groups:
        parts.append("groups: " + ", ".join(groups))
    return "; ".join(parts)


def report(
    settings: dict,
    carried: dict[str, str],
    fmt: str,
    where: str,
    problems: Problems | None,
    field_lines: dict | None,
    question_lines: dict[str, int] | None = None,
) -> None:
    """A located warning for each setting ``fmt`` cannot hold as itself: ``carried`` maps a
    setting (``attempts``, ``group``, ``pin``) to how the format holds it natively (no note
    when the text is empty, else it is part of the note); the rest are only in ``where`` (e.g.
    "a comment").  ``field_lines``: setting -> line in the quiz file; ``question_lines``:
    question id -> line."""
    if problems is None:
        return
    field_lines = field_lines or {}
    question_lines = question_lines or {}
    for key, value in settings.items():
        if key in ("questions", "title"):
            continue
        how = carried.get(key)
        if how == "":
            continue
        what = _words(key, value)
        line = field_lines.get(key, 1)
        if how and "{where}" in how:
            problems.warn(line, f"{what}: {fmt} {how.format(where=where)}")
        elif how:
            problems.warn(line, f"{what}: {fmt} {how}; the exact setting is kept in {where}")
        else:
            problems.warn(
                line,
                f"{what} has no place in {fmt}; kept only in {where}, which the LMS ignores "
                f"(course import reads it back)",
            )
    for qid, extra in settings.get("questions", {}).items():
        line = question_lines.get(qid, 1)
        for key in ("group", "pins"):
            if key not in extra:
                continue
            how = carried.get(key)
            if how == "":
                continue
            what = f"group: {extra['group']}" if key == "group" else "pin: true on an option"
            if how:
                problems.warn(line, f"question '{qid}': {what}: {fmt} {how}; kept exactly in {where}")
            else:
                problems.warn(
                    line,
                    f"question '{qid}': {what} has no place in {fmt}; kept only in {where}, which the LMS "
                    f"ignores (course import reads it back)",
                )


def fit_draw(quiz: dict, problems: Problems, line: int) -> None:
    """An imported draw that asks for more questions than came across (some were left out) is
    lowered to what there is, with a note; a group with no question left is dropped from it."""
    draw = quiz.get("draw")
    questions = quiz.get("questions") or []
    if isinstance(draw, int) and not isinstance(draw, bool):
        if questions and draw > len(questions):
            problems.warn(
                line,
                f"draw: {draw} is more than the {len(questions)} questions imported; lowered to {len(questions)}",
            )
            quiz["draw"] = len(questions)
        elif not questions:
            quiz.pop("draw", None)
    elif isinstance(draw, dict):
        fitted = {}
        for group, count in draw.items():
            have = sum(1 for q in questions if q.get("group") == group)
            if not have:
                problems.warn(
                    line,
                    f"draw: group '{group}' has no question left after the import; dropped from the draw",
                )
                continue
            if isinstance(count, int) and count > have:
                problems.warn(
                    line,
                    f"draw: {count} from group '{group}' is more than its {have} questions imported; lowered to {have}",
                )
                count = have
            fitted[group] = count
        if fitted:
            quiz["draw"] = fitted
        else:
            quiz.pop("draw", None)


# ---------------------------------------------------------------- exact text through HTML formats

_TEXT_KEYS = ("prompt", "explanation", "feedback_true", "feedback_false")


def _digest(value: str) -> str:
    import hashlib

    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def _text_fields(q: dict) -> dict[str, str]:
    """A question's text fields by path: ``prompt``, ``options.1.feedback``, ``items.0``..."""
    out = {key: q.get(key) or "" for key in _TEXT_KEYS}
    for i, option in enumerate(q.get("options") or []):
        out[f"options.{i}.text"] = option.get("text") or ""
        out[f"options.{i}.feedback"] = option.get("feedback") or ""
    for i, item in enumerate(q.get("items") or []):
        out[f"items.{i}"] = item or ""
    return out


def text_sources(original: list[dict], imported: list[dict]) -> dict[str, dict]:
    """For HTML formats (Moodle XML, QTI): each text that does not come back from the HTML exactly
    (a lesson link without a base URL, another Markdown spelling, a line break at the end), as
    ``{qid: {"texts": {path: [markdown, digest of what the import reads]}}}``.  ``restore``
    puts the Markdown back only where the file still reads the same, so an edit made in the LMS
    wins over the stored text."""
    out: dict[str, dict] = {}
    by_id = {q.get("id"): q for q in imported}
    for q in original:
        back = by_id.get(q["id"])
        if back is None:
            continue
        theirs = _text_fields(back)
        texts = {
            path: [value, _digest(theirs.get(path, ""))]
            for path, value in _text_fields(q).items()
            if value and value != theirs.get(path, "")
        }
        if texts:
            out[q["id"]] = {"texts": texts}
    return out


def restore_texts(q: dict, texts: dict) -> None:
    """Put stored Markdown back into imported question ``q`` where the file still reads the same."""
    current = _text_fields(q)
    for path, pair in texts.items():
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            continue
        if _digest(current.get(path, "")) != pair[1]:
            continue  # edited in the LMS: what the file says now wins
        parts = path.split(".")
        if parts[0] in _TEXT_KEYS and len(parts) == 1:
            q[parts[0]] = pair[0]
        elif parts[0] == "options" and len(parts) == 3 and parts[1].isdigit():
            options = q.get("options") or []
            if int(parts[1]) < len(options) and parts[2] in ("text", "feedback"):
                options[int(parts[1])][parts[2]] = pair[0]
        elif parts[0] == "items" and len(parts) == 2 and parts[1].isdigit():
            items = q.get("items") or []
            if int(parts[1]) < len(items):
                items[int(parts[1])] = pair[0]


def write_exactly(write, read_back, quiz, quiz_id: str, html, problems, lines, field_lines):
    """Export ``quiz`` with ``write(quiz, quiz_id, html, problems, lines, field_lines, texts)`` so that
    importing it gives back the same quiz: one write without notes, read back with
    ``read_back(data, base_url) -> (quiz dict, problems)``, and the texts that did not come back exactly
    (:func:`text_sources`) passed to the second, real write, which keeps them in its ``course-quiz``
    comment.  Returns what the second write returns (Moodle XML text, QTI zip bytes)."""
    from .markup import Html

    first = write(quiz, quiz_id, Html(html.base_url), None, lines, field_lines)
    back, _ = read_back(first, html.base_url)
    original = [q.model_dump(exclude_none=True) for q in quiz.questions]
    texts = text_sources(original, back.get("questions", []))
    return write(quiz, quiz_id, html, problems, lines, field_lines, texts)
