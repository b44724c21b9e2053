"""The quiz and scenario file formats, declared once.

pydantic validates a whole file and reports every problem at once; ``errors.translate`` turns
its reports into messages an author understands, and ``json_schema()`` gives editors
completion and validation for free.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=120)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=False)


# ---------------------------------------------------------------- quizzes


class Option(_Model):
    text: Text = Field(description="What the learner can choose (Markdown).")
    correct: StrictBool = Field(False, description="true for a right answer.")  # yes/"true" are mistakes
    feedback: Text | None = Field(
        None, description="Shown when this option was chosen: why it works or backfires."
    )
    pin: bool = Field(
        False,
        description="Keep this option in its place when the quiz shuffles (e.g. 'All of the above').",
    )


class _Question(_Model):
    id: Ident = Field(description="Unique within the quiz; used in progress data and analytics.")
    prompt: Text = Field(description="The question (Markdown).")
    explanation: Text | None = Field(None, description="Shown after the learner answers (Markdown).")
    group: Ident | None = Field(
        None,
        description="The pool group this question belongs to, for a quiz's draw: {group: count} (issue 13).",
    )


class SingleQuestion(_Question):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2, description="Exactly one option has correct: true.")


class MultipleQuestion(_Question):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=2, description="One or more options have correct: true.")


class TrueFalseQuestion(_Question):
    type: Literal["true_false"]
    answer: bool = Field(description="true or false.")
    feedback_true: Text | None = Field(None, description="Shown when the learner answered True.")
    feedback_false: Text | None = Field(None, description="Shown when the learner answered False.")


class TextQuestion(_Question):
    type: Literal["text"]
    accept: list[ShortText] = Field(
        min_length=1,
        description="Accepted answers. Compared after normalisation: Unicode NFKC, case folding, "
        "typographic quotes and dashes as plain ones, runs of spaces as one, surrounding punctuation ignored.",
    )


class OrderQuestion(_Question):
    type: Literal["order"]
    items: list[ShortText] = Field(
        min_length=2, description="Listed in the correct order; learners see them shuffled."
    )


Question = Annotated[
    SingleQuestion | MultipleQuestion | TrueFalseQuestion | TextQuestion | OrderQuestion,
    Discriminator("type"),
]
QUESTION_TYPES = ("single", "multiple", "true_false", "text", "order")


REVEAL_DEFAULT = 2
REVEAL_WORDS = ("pass", "never")


def _reveal(value: Any) -> int | str:
    """``reveal:`` is a whole number of attempts 1-100, 'pass' or 'never' (issue 9, item 2); 'always'
    and true mean 1, false means 'never'."""
    if value is True or (isinstance(value, str) and value.strip().lower() == "always"):
        return 1  # shown from the first checked attempt
    if value is False:
        return "never"
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    if isinstance(value, str) and value.strip().lower() in REVEAL_WORDS:
        return value.strip().lower()
    raise PydanticCustomError(
        "reveal",
        "must be a number of checked attempts from 1 to 100, 'pass' or 'never' (default 2), got {got}",
        {"got": repr(value)},
    )


Reveal = Annotated[
    int | str,
    BeforeValidator(_reveal),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 100},
                {"type": "string", "enum": [*REVEAL_WORDS, "always"]},
                {"type": "boolean"},
            ]
        }
    ),
]


def _time_limit(value: Any) -> float:
    """``time_limit:`` in minutes: a number (1.5 = 90 seconds) or text like '20m', '90s' (issue 13)."""
    got = value
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        unit = 60.0
        for suffix, size in (("minutes", 60), ("minute", 60), ("min", 60), ("m", 60), ("seconds", 1),
                             ("second", 1), ("sec", 1), ("s", 1)):  # fmt: skip
            if text.endswith(suffix):
                text, unit = text[: -len(suffix)], float(size)
                break
        try:
            value = float(text) * unit / 60
        except ValueError:
            value = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0.25 <= value <= 600:
        return float(value)
    raise PydanticCustomError(
        "time_limit",
        "must be a number of minutes from 0.25 to 600 (e.g. 20, or '90s'), got {got}",
        {"got": repr(got)},
    )


TimeLimit = Annotated[
    float,
    BeforeValidator(_time_limit),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0.25, "maximum": 600},
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(m|min|minutes?|s|sec|seconds?)?\s*$"},
            ]
        }
    ),
]
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _draw(value: Any) -> int | dict[str, int]:
    """``draw:`` is how many questions an attempt draws from the pool (1-1000), or a mapping of group
    name to count, e.g. ``{module-1: 2, module-2: 2}`` (issue 13, item 1)."""

    def count(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 1000

    if count(value):
        return value
    if isinstance(value, dict) and value:
        bad = [k for k, v in value.items() if not (isinstance(k, str) and _GROUP.match(k) and count(v))]
        if not bad:
            return dict(value)
        raise PydanticCustomError(
            "draw",
            "group {name} must be a group name with a count of questions from 1 to 1000, got {got}",
            {"name": repr(bad[0]), "got": repr(value[bad[0]])},
        )
    raise PydanticCustomError(
        "draw",
        "must be a number of questions from 1 to 1000 (e.g. 10) or a mapping of group to count "
        "(e.g. {{module-1: 2, module-2: 2}}), got {got}",
        {"got": repr(value)},
    )


Draw = Annotated[
    int | dict[str, int],
    BeforeValidator(_draw),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 1000},
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$"},
                    "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 1000},
                },
            ]
        }
    ),
]


class Quiz(_Model):
    kind: Literal["quiz"]
    title: Text = Field(description="Shown above the quiz.")
    description: Text | None = Field(None, description="Optional introduction (Markdown).")
    pass_mark: float = Field(75, ge=0, le=100, description="Percent needed to pass.")
    shuffle: bool = Field(
        False, description="Shuffle the options on every attempt (options with pin: true stay in place)."
    )
    reveal: Reveal = Field(
        REVEAL_DEFAULT,
        description="When the right answers are shown after Check: a number of checked attempts "
        "(1 = after the first), 'pass' (only once passed) or 'never'. Always shown on a pass unless "
        "'never'. Default 2.",
    )
    draw: Draw | None = Field(
        None,
        description="A question pool (issue 13): how many questions each attempt draws at random, "
        "either a number (from all questions) or {group: count} (from questions with that group:).",
    )
    attempts: Annotated[int, Field(ge=1, le=60)] | None = Field(
        None,
        description="How many checked attempts a learner has (1-60); then the quiz locks, showing the best "
        "result. Unlimited when absent. HR resets a learner through the progress reset.",
    )
    mode: Literal["practice", "exam"] = Field(
        "practice",
        description="'exam' holds back per-question feedback and verdicts until the quiz is passed or out of "
        "attempts, showing only the score; 'practice' (default) gives feedback after every check.",
    )
    time_limit: TimeLimit | None = Field(
        None,
        description="Minutes per attempt (e.g. 20, 1.5 or '90s'): a countdown the learner can extend; at zero "
        "the answers so far are checked as an attempt.",
    )
    questions: list[Question] = Field(min_length=1)


# ---------------------------------------------------------------- scenarios


class Meter(_Model):
    label: ShortText = Field(description="Shown beside the gauge, e.g. Customer's calm.")
    start: int = Field(0, description="Value when the scenario starts.")
    min: int = Field(0, description="Lowest value; effects never go below it.")
    max: int = Field(10, description="Highest value; effects never go above it.")


class Choice(_Model):
    text: Text = Field(description="What the learner says or does (Markdown).")
    to: Ident = Field(description="Id of the node this choice leads to.")
    feedback: Text | None = Field(None, description="Shown after choosing: why this helped or hurt.")
    effects: dict[str, int] = Field(
        default_factory=dict, description="Meter changes, e.g. {calm: 1, trust: -1}."
    )
    requires: dict[str, int] = Field(
        default_factory=dict, description="Offered only when each meter is at least this value."
    )


Ending = Literal["success", "partial", "failure"]


class Node(_Model):
    speaker: ShortText | None = Field(None, description="Who is talking.")
    mood: ShortText | None = Field(None, description="How they feel, e.g. furious, calmer, relieved.")
    text: Text = Field(description="What happens or is said (Markdown). For an ending: the debrief.")
    choices: list[Choice] | None = Field(
        None, description="What the learner can do next; none for an ending."
    )
    ending: Ending | None = Field(None, description="Marks an ending: success, partial or failure.")


class Scenario(_Model):
    kind: Literal["scenario"]
    title: Text
    description: Text | None = Field(None, description="Optional introduction (Markdown).")
    start: Ident = Field(description="Id of the first node.")
    meters: dict[Ident, Meter] | None = Field(None, description="Named gauges that choices move.")
    nodes: dict[Ident, Node] = Field(min_length=1)


KINDS: dict[str, type[_Model]] = {"quiz": Quiz, "scenario": Scenario}
KNOWN_KEYS = sorted(
    {
        name
        for model in (
            Option,
            SingleQuestion,
            TrueFalseQuestion,
            TextQuestion,
            OrderQuestion,
            Quiz,
            Meter,
            Choice,
            Node,
            Scenario,
        )
        for name in model.model_fields
    }
)


def json_schema() -> dict[str, Any]:
    """JSON Schema for quiz and scenario files (for the VS Code YAML extension and others)."""
    adapter = TypeAdapter(Annotated[Quiz | Scenario, Discriminator("kind")])
    schema = adapter.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Course quiz or scenario file"
    return schema
