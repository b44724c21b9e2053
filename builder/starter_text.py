"""Text of the ``course add`` templates (``builder/starter/lesson.md``, ``quiz.yml``,
``scenario.yml``) that an author is meant to replace (issue 12).

The placeholders are read from the template files themselves, so they stay right when the
templates change: every line of prose in the lesson template (not its title, admonition lines or
code) and every string of two words or more in the YAML templates.  Matching is by whole line or
whole string, ignoring case, list and heading markers and spacing.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

STARTER = Path(__file__).resolve().parent / "starter"
LESSON_TEMPLATES = ("lesson.md",)
YAML_TEMPLATES = ("quiz.yml", "scenario.yml")

_MARKERS = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+|>\s*)+")
_FENCE = re.compile(r"^\s*(```|~~~)")


def normal(text: str) -> str:
    """``text`` as compared: no list, heading or quote markers, single spaces, lower case."""
    return " ".join(_MARKERS.sub("", text.strip()).split()).lower()


def _lesson_lines(text: str) -> set[str]:
    found, fence = set(), False
    for line in text.splitlines():
        if _FENCE.match(line):
            fence = not fence
            continue
        body = line.strip()
        if fence or not body or "{" in body or body.startswith(("!!!", "???", ":::")):
            continue
        if len(normal(body).split()) >= 2:
            found.add(normal(body))
    return found


def _yaml_strings(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_yaml_strings(v) for v in value.values()), set())
    if isinstance(value, list):
        return set().union(*(_yaml_strings(v) for v in value), set())
    if isinstance(value, str) and "{" not in value and len(value.split()) >= 2:
        return {normal(value)}
    return set()


@functools.cache
def placeholders() -> tuple[frozenset[str], frozenset[str]]:
    """(lesson lines, quiz and scenario strings) of the templates, each :func:`normal`."""
    lesson: set[str] = set()
    for name in LESSON_TEMPLATES:
        lesson |= _lesson_lines((STARTER / name).read_text(encoding="utf-8"))
    strings: set[str] = set()
    for name in YAML_TEMPLATES:
        text = (STARTER / name).read_text(encoding="utf-8").replace("{id}", "x").replace("{title}", "x")
        strings |= _yaml_strings(yaml.safe_load(text))
    return frozenset(lesson), frozenset(strings)


def lesson_placeholders(text: str) -> list[tuple[int, str]]:
    """``(line, message)`` for each line of lesson ``text`` (outside code) still template text."""
    lesson, _ = placeholders()
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip() and len(line) <= 1000 and normal(line) in lesson:
            found.append((number, f"'{line.strip()}' is the template's placeholder text: write your own"))
    if found:
        from .asset_refs import code_lines

        code = code_lines(text)
        found = [(n, m) for n, m in found if n not in code]
    return found


def is_placeholder(value: str) -> bool:
    """Whether a quiz or scenario string is still template text."""
    return isinstance(value, str) and normal(value) in placeholders()[1]
