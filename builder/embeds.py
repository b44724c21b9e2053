"""The one scanner of ``::: quiz|scenario|scenario-map <id>`` lines in lesson Markdown (issue 10 item 3).

An embed is found wherever Markdown allows a block: at the top of the page, and inside the
containers Material's Markdown extensions give authors, nested to any depth:

- admonitions ``!!! note``, collapsible blocks ``??? note`` / ``???+ note`` (content indented
  four spaces under the marker);
- content tabs ``=== "Tab"`` / ``===+ "Tab"`` (the same);
- list items ``- x`` / ``* x`` / ``+ x`` / ``1. x`` (on the marker line or indented under it);
- block quotes ``> ``.

Lines inside fenced code (```` ``` ```` / ``~~~``, at any depth) and indented code blocks are
never embeds.  ``course check``, the build (the Markdown extension), the manifest, progress and
completion all read embeds through :func:`directives`, so they cannot disagree.

Every step is linear in the length of the line: no regular expression here can backtrack (each
pattern is a fixed prefix, or one character class followed by a disjoint one), and white space
is trimmed with ``str.strip``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("quiz", "scenario")
MAP = "scenario-map"
TAB = 4  # Python-Markdown's tab_length: container content is indented this much

# each of these matches a fixed prefix and one run of a single class: linear on any line
_WORD = re.compile(r"[A-Za-z][A-Za-z_-]*")
_BULLET = re.compile(r"[-+*](?:[ \t]|$)")
_ORDERED = re.compile(r"[0-9]{1,9}[.](?:[ \t]|$)")  # Python-Markdown: `1.` only, not `1)`
_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]*[A-Za-z]")
_TAB = re.compile(r"===[+!]{0,2}[ \t]+\"")
_FENCE = re.compile(r"`{3,}|~{3,}")


@dataclass(frozen=True)
class Directive:
    """A ``::: word rest`` line outside code: ``word`` as written, ``rest`` stripped."""

    line: int  # 1-based
    word: str
    rest: str

    @property
    def embed(self) -> tuple[str, str] | None:
        """``(kind, id)`` when this is a real embed or map line (``kind`` may be ``scenario-map``)."""
        if self.word in (*KINDS, MAP) and self.rest and len(self.rest.split()) == 1:
            return self.word, self.rest
        return None


def parse_directive(content: str) -> tuple[str, str] | None:
    """``(word, rest)`` of a line whose text (after its container prefixes) starts with ``:::``.

    ``word`` is the directive name (letters, ``-``, ``_``) or ``""``; ``rest`` the stripped rest.
    """
    if not content.startswith(":::"):
        return None
    body = content[3:].strip()
    m = _WORD.match(body)
    if not m:
        return "", body
    return m.group(0), body[m.end() :].strip()


def match_line(line: str) -> tuple[str, str] | None:
    """``(kind, id)`` when ``line`` (at most three spaces in) is an embed or map line by itself."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    parsed = parse_directive(stripped.rstrip())
    if parsed is None:
        return None
    word, rest = parsed
    if word in (*KINDS, MAP) and rest and len(rest.split()) == 1:
        return word, rest
    return None


def _indent(line: str, i: int = 0, col: int = 0) -> tuple[int, int]:
    """(column, index) after the white space of ``line`` from index ``i`` at column ``col``
    (tabs to multiples of 4)."""
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += TAB - col % TAB
        else:
            break
        i += 1
    return col, i


def directives(text: str) -> Iterator[Directive]:
    """Every ``:::`` directive line of a Markdown page that is not code, in order.

    Linear in the length of the text: each line is read once by index (no slicing per marker)."""
    stack = [0]  # content column of each open container (0: the page)
    quotes: list[int] = []  # depths in ``stack`` opened by `>`: each line must repeat its `>`
    fence: tuple[str, int, int] | None = None  # (char, length, depth of its container)
    for number, raw in enumerate(text.splitlines(), 1):
        col, i = _indent(raw)
        n = len(raw)
        if i == n or not raw[i:].strip():
            continue  # blank lines close nothing
        if quotes:  # a line re-opens its quotes with `>`; containers inside them end here
            del stack[quotes[0] :]
            quotes.clear()
        while len(stack) > 1 and col < stack[-1]:
            stack.pop()
        if fence is not None:
            char, length, depth = fence
            if len(stack) - 1 < depth:
                fence = None  # its container ended, so did the fence
            else:
                if (
                    col - stack[-1] <= 3
                    and raw.startswith(char * length, i)
                    and not raw[i:].strip(char).strip()
                ):
                    fence = None
                continue
        # one line may open several containers: `- > - ::: quiz a`
        while i < n:
            if col - stack[-1] > 3:
                break  # indented code (or a lazy continuation): never a directive
            if raw[i] == ">":
                i, col = i + 1, col + 1
                if i < n and raw[i] == " ":
                    i, col = i + 1, col + 1
                col, i = _indent(raw, i, col)
                quotes.append(len(stack))
                stack.append(col)
                continue
            m = _BULLET.match(raw, i) or _ORDERED.match(raw, i)
            if m:
                marker = len(m.group(0).rstrip(" \t"))
                after_col, after = _indent(raw, i + marker, col + marker)
                if after == n or after_col - (col + marker) > 4:
                    # an empty item (content on the next lines) or one starting with indented code
                    stack.append(col + marker + 1)
                    break
                col, i = after_col, after
                stack.append(col)
                continue
            if _ADMONITION.match(raw, i) or _TAB.match(raw, i):
                stack.append(col + TAB)
                break
            m = _FENCE.match(raw, i)
            if m:
                if not (m.group(0)[0] == "`" and "`" in raw[m.end() :]):
                    fence = (m.group(0)[0], len(m.group(0)), len(stack) - 1)
                break
            if raw.startswith(":::", i):
                parsed = parse_directive(raw[i:].rstrip())
                if parsed is not None:
                    yield Directive(number, *parsed)
            break
