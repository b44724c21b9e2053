"""The quiz and scenario file formats, declared once.

pydantic validates a whole file and reports every problem at once; ``errors.translate`` turns
its reports into messages an author understands, and ``json_schema()`` gives editors
completion and validation for free.
"""

from __future__ import annotations

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
