"""Aiken question banks (docs.moodle.org/en/Aiken_format): single-choice questions only.

    Which reply keeps the caller talking?
    A. "Tell me what happened."
    B) "Calm down, please."
    ANSWER: A

A question is its text, two or more options lettered ``A.`` or ``A)``, and ``ANSWER: X``;
questions are separated by blank lines.  Aiken has no feedback, ids or titles: ids are
``q1``, ``q2``, ... in file order.  Small enough that no library is needed (none on PyPI is
maintained for it).
"""

from __future__ import annotations

import re

from ..problems import Problems

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(\S*)\s*$", re.I)


def read_aiken(text: str, display: str, title: str | None = None) -> tuple[dict, Problems]:
    """Aiken text -> (quiz data in our YAML format, notes ``display:line: message``).
    A question with a mistake is left out, with an error on its line."""
    problems = Problems(display)
    questions: list[dict] = []
    block: list[tuple[int, str]] = []

    def finish() -> None:
        if not block:
            return
        first = block[0][0]
        prompt_lines: list[str] = []
        options: list[tuple[str, str, int]] = []
        answer = None
        for n, line in block:
            stripped = line.strip()
            opt = _OPTION.match(stripped)
            ans = _ANSWER.match(stripped)
            if ans:
                answer = (n, ans.group(1).upper())
            elif opt and (options or prompt_lines):
                options.append((opt.group(1), opt.group(2), n))
            elif options:
                problems.add(
                    n,
                    f"'{stripped}' after the options is neither an option (A. text) nor ANSWER: X; left out",
                )
                return
            else:
                prompt_lines.append(stripped)
        number = len(questions) + 1
        if not prompt_lines:
            problems.add(first, "a question needs its text before the options; left out")
            return
        if answer is None:
            problems.add(block[-1][0], "question has no 'ANSWER: X' line after its options; left out")
            return
        if len(options) < 2:
            problems.add(first, "question needs at least two options (A. text, B. text); left out")
            return
        letters = [o[0] for o in options]
        if answer[1] not in letters:
            problems.add(
                answer[0], f"ANSWER: {answer[1]} is not one of the options ({', '.join(letters)}); left out"
            )
            return
        questions.append(
            {
                "id": f"q{number}",
                "type": "single",
                "prompt": " ".join(prompt_lines),
                "options": [
                    {"text": text, "correct": True} if letter == answer[1] else {"text": text}
                    for letter, text, _ in options
                ],
            }
        )

    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if line.strip():
            block.append((n, line))
            if _ANSWER.match(line.strip()):
                finish()
                block = []
        else:
            finish()
            block = []
    finish()
    if not questions:
        problems.add(1, "no question could be imported from this file")
    return {
        "kind": "quiz",
        "title": title or "Imported questions",
        "pass_mark": 75,
        "questions": questions,
    }, problems
