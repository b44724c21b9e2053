"""Which keys the quiz and scenario formats allow at a place in a file (issue 12).

Used to give indentation advice that makes a file valid against the schema, not merely
parseable, and to tell a misspelt key from one at the wrong level.  ``keys_at(data, path)``
returns the field names of the mapping at ``path`` (a tuple of keys and list indexes into
the loaded data), or None where any key is allowed (``effects:``) or the kind is unknown.
"""

from __future__ import annotations

from typing import Any

from .schema import (
    Choice,
    Meter,
    MultipleQuestion,
    Node,
    Option,
    OrderQuestion,
    Quiz,
    Scenario,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)

_QUESTIONS = {
    "single": SingleQuestion,
    "multiple": MultipleQuestion,
    "true_false": TrueFalseQuestion,
    "text": TextQuestion,
    "order": OrderQuestion,
}
_ANY_QUESTION = frozenset(k for m in _QUESTIONS.values() for k in m.model_fields)


def _fields(model: Any) -> frozenset[str]:
    return frozenset(model.model_fields)


def keys_at(data: Any, path: tuple) -> frozenset[str] | None:
    """The keys allowed in the mapping at ``path`` of a quiz or scenario file; None when unknown."""
    if not isinstance(data, dict):
        return None
    kind, path = data.get("kind"), tuple(path)
    n = len(path)
    if kind == "quiz":
        if n == 0:
            return _fields(Quiz)
        if path[0] != "questions":
            return None
        questions = data.get("questions")
        question = (
            questions[path[1]]
            if isinstance(questions, list)
            and n >= 2
            and isinstance(path[1], int)
            and path[1] < len(questions)
            else None
        )
        if n == 2:
            model = _QUESTIONS.get(question.get("type")) if isinstance(question, dict) else None
            return _fields(model) if model else _ANY_QUESTION
        if n == 4 and path[2] == "options":
            return _fields(Option)
        return None
    if kind == "scenario":
        if n == 0:
            return _fields(Scenario)
        if n == 2 and path[0] == "meters":
            return _fields(Meter)
        if n == 2 and path[0] == "nodes":
            return _fields(Node)
        if n == 4 and path[0] == "nodes" and path[2] == "choices":
            return _fields(Choice)
        return None
    return None


def kind_keys(kind: Any) -> frozenset[str]:
    """Every key a file of ``kind`` may have at some level (all kinds' keys when unknown)."""
    if kind == "quiz":
        return _fields(Quiz) | _ANY_QUESTION | _fields(Option)
    if kind == "scenario":
        return _fields(Scenario) | _fields(Meter) | _fields(Node) | _fields(Choice)
    return kind_keys("quiz") | kind_keys("scenario")


_ORDER = {
    name: i
    for i, name in enumerate(
        dict.fromkeys(
            k
            for m in (Quiz, *_QUESTIONS.values(), Option, Scenario, Meter, Node, Choice)
            for k in m.model_fields
        )
    )
}


def ordered_keys(keys: frozenset[str]) -> list[str]:
    """``keys`` in the order the formats declare them (for "use one of: ..." lists)."""
    return sorted(keys, key=lambda k: (_ORDER.get(k, len(_ORDER)), k))


# words authors use for a key, by the key's place (issue 12): 'answer:' in an option means 'text:'
SYNONYMS = {
    "answer": ("text", "correct"),
    "label": ("text",),
    "option": ("text",),
    "choice": ("text",),
    "choices": ("options",),
    "answers": ("options", "accept"),
    "question": ("prompt",),
    "title": ("prompt",),
    "right": ("correct",),
    "is_correct": ("correct",),
    "solution": ("explanation",),
    "next": ("to",),
    "goto": ("to",),
    "target": ("to",),
}


def fits(data: Any, lines: dict, line: int, key: str) -> bool | None:
    """Whether ``key:`` on ``line`` lands in a mapping that allows it (None: cannot tell)."""
    for path, at in lines.items():
        if at == line and path and path[-1] == key:
            allowed = keys_at(data, path[:-1])
            return None if allowed is None else key in allowed
    return False  # the key is not a key there at all (it became part of a text)
